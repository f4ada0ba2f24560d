/**
 * Download (and upload) in n8n's filesystem binary mode: the file streams between the sandbox's
 * pre-authenticated host and n8n's binary store, with no token sent there.
 */
import { createHash } from 'node:crypto';

import { quickXorHash } from '../../../nodes/Microsoft/OneDrive/helpers/quickXorHash';
import { patternBytes, rl, startOneDriveFixture, type OneDriveFixture } from './fixture';

const MIB = 1024 * 1024;
let env: OneDriveFixture;

beforeAll(async () => {
	env = await startOneDriveFixture({ binaryMode: 'filesystem' });
});
afterAll(async () => env?.stop());
beforeEach(() => env.clearRequests());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

it('downloads a file into filesystem binary data with its name and MIME type, without a token on the download host', async () => {
	const bytes = patternBytes(6 * MIB + 3, 'download');
	const created = env.sandbox.drives.addFile(env.driveId, '/Reports/2026/data.csv', bytes);
	const out = await env.run({ resource: 'file', operation: 'download', fileId: rl('path', '/Reports/2026/data.csv'), binaryPropertyName: 'file' });
	expect(out).toHaveLength(1);
	const binary = out[0].binary!.file;
	expect(binary.fileName).toBe('data.csv');
	expect(binary.mimeType).toBe('text/csv');
	// Filesystem mode: the data lives in the store, referenced by id, not inline.
	expect(binary.id).toBeTruthy();
	expect(binary.data).not.toBe(bytes.toString('base64'));
	const stored = await env.harness.binaryToBuffer(binary);
	expect(sha256(stored)).toBe(sha256(bytes));
	expect(out[0].json).toMatchObject({ id: created.id, name: 'data.csv', size: bytes.length });
	const downloads = env.requests().filter((r) => r.host === 'files');
	expect(downloads).toHaveLength(1);
	expect(downloads[0].hasAuthorization).toBe(false);
	expect(env.sandbox.state.violations).toHaveLength(0);
});

it('uses the File Name option for the binary data', async () => {
	env.sandbox.drives.addFile(env.driveId, '/notes.txt', 'some notes');
	const out = await env.run({
		resource: 'file',
		operation: 'download',
		fileId: rl('path', '/notes.txt'),
		options: { fileName: 'renamed.txt' },
	});
	expect(out[0].binary!.data.fileName).toBe('renamed.txt');
	expect((await env.harness.binaryToBuffer(out[0].binary!.data)).toString()).toBe('some notes');
});

it('refuses to download a folder, naming the field', async () => {
	env.sandbox.drives.addFolder(env.driveId, '/JustAFolder');
	await expect(env.run({ resource: 'file', operation: 'download', fileId: rl('path', '/JustAFolder') })).rejects.toThrow(
		/"File" is the folder "JustAFolder", not a file/,
	);
});

it('round-trips a 9 MiB file: upload streamed from the filesystem store, then download', async () => {
	const bytes = patternBytes(9 * MIB + 11, 'roundtrip');
	const binary = await env.harness.prepareBinary(bytes, 'round.bin', 'application/octet-stream');
	expect(binary.id).toBeTruthy();
	const up = await env.run(
		{ resource: 'file', operation: 'upload', parentFolder: rl('path', '/'), options: { fragmentSizeMiB: 2.5 } },
		{ input: [{ json: {}, binary: { data: binary } }] },
	);
	expect(up[0].json).toMatchObject({ name: 'round.bin', size: bytes.length, quickXorHash: quickXorHash(bytes) });
	expect(env.requests().filter((r) => r.host === 'files' && r.method === 'PUT')).toHaveLength(4);
	const down = await env.run({ resource: 'file', operation: 'download', fileId: rl('id', String(up[0].json.id)) });
	expect(sha256(await env.harness.binaryToBuffer(down[0].binary!.data))).toBe(sha256(bytes));
	expect(env.requests().every((r) => r.host !== 'files' || !r.hasAuthorization)).toBe(true);
});

it('downloads an empty file as empty binary data', async () => {
	env.sandbox.drives.addFile(env.driveId, '/empty.txt', Buffer.alloc(0));
	const out = await env.run({ resource: 'file', operation: 'download', fileId: rl('path', '/empty.txt') });
	expect((await env.harness.binaryToBuffer(out[0].binary!.data)).length).toBe(0);
	expect(out[0].json).toMatchObject({ name: 'empty.txt', size: 0 });
});

describe('in memory binary mode (n8n 1.x default)', () => {
	let memory: OneDriveFixture;
	beforeAll(async () => {
		memory = await startOneDriveFixture({ binaryMode: 'default' });
	});
	afterAll(async () => memory?.stop());

	it('keeps every piece of a multi-piece download intact (pieces are never reused)', async () => {
		// 3 MiB + 5 bytes: six full 512 KiB pieces and a short tail, all held by the in-memory store at once.
		const bytes = patternBytes(3 * MIB + 5, 'memory-mode');
		memory.sandbox.drives.addFile(memory.driveId, '/mem.bin', bytes);
		const out = await memory.run({ resource: 'file', operation: 'download', fileId: rl('path', '/mem.bin') });
		const binary = out[0].binary!.data;
		expect(binary.id).toBeUndefined();
		expect(sha256(Buffer.from(binary.data, 'base64'))).toBe(sha256(bytes));
	});
});
