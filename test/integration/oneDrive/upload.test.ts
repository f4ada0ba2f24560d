/**
 * Upload through the OneDrive node against the sandbox: simple PUT up to 4 MiB, upload sessions above,
 * fragment resume, conflict behaviours, verification, and bad input that must write nothing.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { quickXorHash } from '../../../nodes/Microsoft/OneDrive/helpers/quickXorHash';
import { patternBytes, rl, startOneDriveFixture, type OneDriveFixture } from './fixture';

const MIB = 1024 * 1024;
let env: OneDriveFixture;

beforeAll(async () => {
	env = await startOneDriveFixture({ binaryMode: 'default' });
});
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
	env.sandbox.drives.copyBehavior.fail = false;
});

async function binaryItem(bytes: Buffer, fileName: string, property = 'data'): Promise<INodeExecutionData> {
	return { json: {}, binary: { [property]: await env.harness.prepareBinary(bytes, fileName, 'application/octet-stream') } };
}

function uploadParams(extra: Record<string, unknown> = {}) {
	return { resource: 'file', operation: 'upload', parentFolder: rl('path', '/Uploads'), ...extra };
}

function contentAt(path: string): Buffer | null {
	const item = env.sandbox.drives.itemByPath(env.driveId, path);
	return item ? (env.sandbox.drives.contentOf(item.id) as Buffer) : null;
}

beforeAll(() => {
	env.sandbox.drives.addFolder(env.driveId, '/Uploads');
});

describe('simple upload (≤ 4 MiB)', () => {
	it('uploads text as a file and returns the simplified, verified item', async () => {
		const out = await env.run(uploadParams({ uploadFrom: 'text', textContent: 'héllo wörld', fileName: 'notes.txt' }));
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({ name: 'notes.txt', path: '/Uploads/notes.txt', size: Buffer.byteLength('héllo wörld'), type: 'file' });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(contentAt('/Uploads/notes.txt')?.toString('utf8')).toBe('héllo wörld');
		const put = env.requests().filter((r) => r.method === 'PUT');
		expect(put).toHaveLength(1);
		expect(put[0].path).toMatch(/:\/notes\.txt:\/content$/);
	});

	it('uploads 4 MiB − 1 bytes with one PUT and the hash Graph reports matches', async () => {
		const bytes = patternBytes(4 * MIB - 1, 'simple');
		const out = await env.run(uploadParams({ fileName: 'just-under.bin' }), { input: [await binaryItem(bytes, 'ignored.bin')] });
		expect(out[0].json).toMatchObject({ name: 'just-under.bin', size: bytes.length, quickXorHash: quickXorHash(bytes) });
		expect(contentAt('/Uploads/just-under.bin')?.equals(bytes)).toBe(true);
		expect(env.requests().some((r) => /createUploadSession/.test(r.path))).toBe(false);
	});

	it('takes the binary file name when "File Name" is empty', async () => {
		const out = await env.run(uploadParams(), { input: [await binaryItem(Buffer.from('a,b\n1,2\n'), 'table.csv')] });
		expect(out[0].json.name).toBe('table.csv');
	});
});

describe('upload session (> 4 MiB)', () => {
	it('uploads 4 MiB + 1 bytes through a session, with no token on the upload host', async () => {
		const bytes = patternBytes(4 * MIB + 1, 'session');
		const out = await env.run(uploadParams({ fileName: 'just-over.bin', options: { fragmentSizeMiB: 1.25 } }), {
			input: [await binaryItem(bytes, 'x.bin')],
		});
		expect(out[0].json).toMatchObject({ name: 'just-over.bin', size: bytes.length, quickXorHash: quickXorHash(bytes) });
		expect(contentAt('/Uploads/just-over.bin')?.equals(bytes)).toBe(true);
		const fragments = env.requests().filter((r) => r.host === 'files' && r.method === 'PUT');
		// 1.25 MiB fragments: 3 full + the remaining 262,145 bytes.
		expect(fragments).toHaveLength(4);
		expect(fragments.every((r) => !r.hasAuthorization)).toBe(true);
		expect(env.sandbox.state.violations).toHaveLength(0);
		expect(env.sandbox.drives.openUploadSessions()).toBe(0);
	});

	it('resumes a multi-fragment upload after an injected fragment failure', async () => {
		const bytes = patternBytes(5 * MIB + 777, 'multi');
		env.sandbox.drives.cutNextFragment({ afterBytes: 200_000 });
		env.sandbox.faults.add({ host: 'files', method: 'PUT', path: '^/upload/', status: 503, times: 1 });
		const out = await env.run(uploadParams({ fileName: 'multi.bin', options: { fragmentSizeMiB: 0.625 } }), {
			input: [await binaryItem(bytes, 'm.bin')],
		});
		expect(out[0].json).toMatchObject({ size: bytes.length, quickXorHash: quickXorHash(bytes) });
		expect(contentAt('/Uploads/multi.bin')?.equals(bytes)).toBe(true);
		const files = env.requests().filter((r) => r.host === 'files');
		// The resume asked the session where to continue.
		expect(files.filter((r) => r.method === 'GET').length).toBeGreaterThanOrEqual(2);
		expect(files.every((r) => !r.hasAuthorization)).toBe(true);
		expect(env.sandbox.drives.openUploadSessions()).toBe(0);
	});

	it('cancels the session when a fragment fails for good', async () => {
		const bytes = patternBytes(4 * MIB + 10, 'abandon');
		env.sandbox.faults.add({ host: 'files', method: 'PUT', path: '^/upload/', status: 400, code: 'invalidRequest', message: 'broken fragment' });
		await expect(
			env.run(uploadParams({ fileName: 'abandoned.bin' }), { input: [await binaryItem(bytes, 'a.bin')] }),
		).rejects.toThrow(/broken fragment/);
		expect(env.requests().some((r) => r.host === 'files' && r.method === 'DELETE')).toBe(true);
		expect(env.sandbox.drives.openUploadSessions()).toBe(0);
		expect(env.sandbox.drives.itemByPath(env.driveId, '/Uploads/abandoned.bin')).toBeNull();
	});
});

describe('conflict behaviour', () => {
	beforeEach(() => {
		env.sandbox.drives.addFile(env.driveId, '/Uploads/existing.txt', 'original');
	});

	it('fail: refuses and keeps the existing file', async () => {
		await expect(
			env.run(uploadParams({ uploadFrom: 'text', textContent: 'new', fileName: 'existing.txt', conflictBehavior: 'fail' })),
		).rejects.toThrow(/already exists/);
		expect(contentAt('/Uploads/existing.txt')?.toString()).toBe('original');
	});

	it('fail: also for an upload session', async () => {
		await expect(
			env.run(uploadParams({ fileName: 'existing.txt', conflictBehavior: 'fail' }), {
				input: [await binaryItem(patternBytes(4 * MIB + 5), 'e.txt')],
			}),
		).rejects.toThrow(/already exists/);
		expect(contentAt('/Uploads/existing.txt')?.toString()).toBe('original');
	});

	it('replace: overwrites', async () => {
		await env.run(uploadParams({ uploadFrom: 'text', textContent: 'replaced', fileName: 'existing.txt', conflictBehavior: 'replace' }));
		expect(contentAt('/Uploads/existing.txt')?.toString()).toBe('replaced');
	});

	it('rename: keeps both', async () => {
		const out = await env.run(uploadParams({ uploadFrom: 'text', textContent: 'second', fileName: 'existing.txt', conflictBehavior: 'rename' }));
		expect(out[0].json.name).not.toBe('existing.txt');
		expect(contentAt('/Uploads/existing.txt')?.toString()).toBe('original');
		expect(contentAt(`/Uploads/${String(out[0].json.name)}`)?.toString()).toBe('second');
	});
});

describe('bad input writes nothing', () => {
	const writes = () => env.requests().filter((r) => r.method !== 'GET');

	it.each([
		['a#b.txt', /"File Name" contains "#"/],
		['what?.txt', /"File Name" contains "\?"/],
		['x:y.txt', /"File Name" contains ":"/],
		['star*.txt', /"File Name" contains "\*"/],
		['quote".txt', /"File Name" contains """/],
		['lt<.txt', /"File Name" contains "<"/],
		['pipe|.txt', /"File Name" contains "\|"/],
		['100%.txt', /"File Name" contains "%"/],
		[' lead.txt', /"File Name" starts or ends with a space/],
		['trail.txt ', /"File Name" starts or ends with a space/],
		['CON', /"File Name" "CON" is a reserved name/],
	])('refuses the file name %j', async (fileName, message) => {
		await expect(env.run(uploadParams({ uploadFrom: 'text', textContent: 'x', fileName }))).rejects.toThrow(message);
		expect(writes()).toHaveLength(0);
	});

	it('refuses a 0-byte binary', async () => {
		await expect(env.run(uploadParams({ fileName: 'empty.bin' }), { input: [await binaryItem(Buffer.alloc(0), 'empty.bin')] })).rejects.toThrow(
			/"Input Binary Field" holds an empty file \(0 bytes\)/,
		);
		expect(writes()).toHaveLength(0);
		expect(env.sandbox.drives.itemByPath(env.driveId, '/Uploads/empty.bin')).toBeNull();
	});

	it('names the missing binary property and lists the ones the item has', async () => {
		const item = await binaryItem(Buffer.from('abc'), 'a.txt', 'attachment');
		const error = await env.run(uploadParams({ fileName: 'a.txt' }), { input: [item] }).catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toMatch(/"Input Binary Field": the item has no binary field "data"/);
		expect((error as { description?: string }).description).toMatch(/It has: "attachment"/);
		expect(writes()).toHaveLength(0);
	});

	it('refuses empty text', async () => {
		await expect(env.run(uploadParams({ uploadFrom: 'text', textContent: '', fileName: 'e.txt' }))).rejects.toThrow(/"Text" (is empty|is required)/);
		expect(writes()).toHaveLength(0);
	});

	it('refuses a fragment size that is not a multiple of 320 KiB', async () => {
		await expect(
			env.run(uploadParams({ uploadFrom: 'text', textContent: 'x', fileName: 'f.txt', options: { fragmentSizeMiB: 1 } })),
		).rejects.toThrow(/"Fragment Size \(MiB\)" must be a multiple of 320 KiB/);
		expect(writes()).toHaveLength(0);
	});

	it('refuses a file larger than the quota and leaves no session open', async () => {
		const quotaEnv = await startOneDriveFixture({ binaryMode: 'default' });
		try {
			quotaEnv.sandbox.drives.setQuota(quotaEnv.driveId, 6 * MIB);
			const bytes = patternBytes(7 * MIB, 'quota');
			const item = { json: {}, binary: { data: await quotaEnv.harness.prepareBinary(bytes, 'big.bin', 'application/octet-stream') } };
			await expect(quotaEnv.run(uploadParams({ parentFolder: rl('path', '/') }), { input: [item] })).rejects.toThrow(/quota/i);
			expect(quotaEnv.sandbox.drives.itemByPath(quotaEnv.driveId, '/big.bin')).toBeNull();
			expect(quotaEnv.sandbox.drives.openUploadSessions()).toBe(0);
		} finally {
			await quotaEnv.stop();
		}
	});
});

describe('item by item', () => {
	it('continueOnFail: a bad item becomes { error } and the others are uploaded', async () => {
		const out = await env.run(uploadParams({ uploadFrom: 'text', textContent: 'same', fileName: '={{ $json.name }}' }), {
			continueOnFail: true,
			input: [{ json: { name: 'good-1.txt' } }, { json: { name: 'bad|name.txt' } }, { json: { name: 'good-2.txt' } }],
		});
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.name).toBe('good-1.txt');
		expect(String(out[1].json.error)).toMatch(/"File Name" contains "\|"/);
		expect(out[2].json.name).toBe('good-2.txt');
		expect(contentAt('/Uploads/good-2.txt')?.toString()).toBe('same');
	});
});
