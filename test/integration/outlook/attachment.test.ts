/**
 * The Attachment resource of the Outlook node inside n8n-core against the sandbox (binary data on the
 * filesystem, as n8n runs in production): add (inline, a 10 MB upload session that resumes after an injected
 * chunk failure, files above 150 MB and missing binary fields refused before anything is sent), get (metadata
 * without bytes unless asked), getAll (all or a limit), download (the bytes into a named binary field with the
 * attachment's name and type), the attachment picker, bad IDs refused before anything is sent, and app-only on
 * Alice's mailbox by address.
 */
import type { INodeParameters } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { ALICE, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { attachmentBytes, attachmentsOf, binaryItem, listSearch, MIB, oversizedBinaryItem, patternBytes } from './mailTestKit';

let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture({ binaryMode: 'filesystem' });
}, 60_000);
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
});

const FROM_INPUT = '={{ $json.v }}';
const SMALL = Buffer.from('id,amount\n1,9.99\n2,19.50\n');

function attachmentParams(operation: string, messageId: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'attachment', operation, messageId: rl('id', messageId), ...extra };
}

/** A fresh draft of Alice's (made behind the node's back), optionally with inline file attachments. */
async function newDraft(files: Array<{ name: string; bytes: Buffer; contentType?: string }> = []): Promise<string> {
	const created = await env.graph('POST', '/me/messages', { subject: `Attachments ${Date.now()}` });
	expect(created.status).toBe(201);
	const id = String(created.body.id);
	for (const file of files) {
		const added = await env.graph('POST', `/me/messages/${encodeURIComponent(id)}/attachments`, {
			'@odata.type': '#microsoft.graph.fileAttachment',
			name: file.name,
			contentType: file.contentType ?? 'application/octet-stream',
			contentBytes: file.bytes.toString('base64'),
		});
		expect(added.status).toBe(201);
	}
	env.clearRequests();
	return id;
}

describe('add', () => {
	it('adds a small file with one POST and returns its metadata without the bytes', async () => {
		const draftId = await newDraft();
		const out = await env.run(attachmentParams('add', draftId), { input: [await binaryItem(env, SMALL, 'amounts.csv', 'text/csv')] });
		expect(out[0].json).toMatchObject({ id: expect.any(String), name: 'amounts.csv', contentType: 'text/csv' });
		expect(out[0].json).not.toHaveProperty('contentBytes');
		expect(env.requests().map((r) => `${r.method} ${r.path}`)).toEqual([expect.stringMatching(/^POST \/v1\.0\/me\/messages\/[^/]+\/attachments$/)]);
		const [stored] = await attachmentsOf(env, draftId);
		expect(stored).toMatchObject({ id: out[0].json.id, name: 'amounts.csv' });
		expect((await attachmentBytes(env, draftId, String(stored.id))).equals(SMALL)).toBe(true);
	});

	it('takes "File Name" over the binary\'s name', async () => {
		const draftId = await newDraft();
		const out = await env.run(attachmentParams('add', draftId, { attachmentOptions: { fileName: 'renamed.csv' } }), { input: [await binaryItem(env, SMALL, 'amounts.csv', 'text/csv')] });
		expect(out[0].json.name).toBe('renamed.csv');
		expect((await attachmentsOf(env, draftId)).map((a) => a.name)).toEqual(['renamed.csv']);
	});

	it('adds 10 MB to a draft through an upload session that resumes after an injected chunk failure', async () => {
		const draftId = await newDraft();
		const bytes = patternBytes(10 * MIB, 'ten');
		env.sandbox.faults.add({ host: 'files', method: 'PUT', path: '.', status: 503, times: 1 });
		const out = await env.run(attachmentParams('add', draftId), { input: [await binaryItem(env, bytes, 'ten.bin')] });
		expect(out[0].json).toMatchObject({ id: expect.any(String), name: 'ten.bin', size: bytes.length });
		const [stored] = await attachmentsOf(env, draftId);
		expect(stored).toMatchObject({ id: out[0].json.id, name: 'ten.bin' });
		expect((await attachmentBytes(env, draftId, String(stored.id))).equals(bytes)).toBe(true);
		const files = env.requests().filter((r) => r.host === 'files');
		const puts = files.filter((r) => r.method === 'PUT');
		// 10 MiB in chunks of 12 × 320 KiB (3.75 MiB): 3 chunks, plus the one that failed and was sent again.
		expect(puts).toHaveLength(4);
		expect(puts.filter((r) => r.status === 503)).toHaveLength(1);
		// Outlook's sessions take PUT and DELETE only: the failed chunk was sent again, nothing asked with GET,
		// and nothing carried a token to the upload host.
		expect(files.filter((r) => r.method !== 'PUT')).toEqual([]);
		expect(files.every((r) => !r.hasAuthorization)).toBe(true);
		expect(env.sandbox.state.violations).toHaveLength(0);
		expect(env.requests().filter((r) => /createUploadSession$/.test(r.path))).toHaveLength(1);
	});

	it('refuses a file above 150 MB naming "Input Binary Field" before any request', async () => {
		const draftId = await newDraft();
		const item = await oversizedBinaryItem(env, 150 * MIB + 1, 'huge.iso');
		await expect(env.run(attachmentParams('add', draftId), { input: [item] })).rejects.toThrow(/^"Input Binary Field": "data" is 157286401 bytes, above Outlook's 150 MB/);
		expect(env.requests()).toHaveLength(0);
		// Draft create checks its Attachments the same way.
		await expect(env.run({ resource: 'draft', operation: 'create', subject: 'Huge', attachments: 'data' }, { input: [item] })).rejects.toThrow(/^"Attachments": "data" is 157286401 bytes/);
		expect(env.requests()).toHaveLength(0);
		expect(await attachmentsOf(env, draftId)).toEqual([]);
	});

	it('refuses a missing binary field naming "Input Binary Field" and the fields the item has', async () => {
		const error = await env.run(attachmentParams('add', 'AAMkAGAnyMessage=', { binaryPropertyName: 'invoice' }), { input: [await binaryItem(env, SMALL, 'a.csv')] }).catch((e: unknown) => e);
		expect(error).toMatchObject({ message: '"Input Binary Field": the item has no binary field "invoice"', description: expect.stringContaining('"data"') });
		expect(env.requests()).toHaveLength(0);
	});
});

describe('get', () => {
	it('returns the metadata without contentBytes, and the bytes only when asked', async () => {
		const draftId = await newDraft([{ name: 'amounts.csv', bytes: SMALL, contentType: 'text/csv' }]);
		const [stored] = await attachmentsOf(env, draftId);
		env.clearRequests();
		const [plain] = await env.run(attachmentParams('get', draftId, { attachmentId: rl('id', String(stored.id)) }));
		expect(plain.json).toMatchObject({ id: stored.id, name: 'amounts.csv', contentType: 'text/csv', size: expect.any(Number) });
		expect(plain.json).not.toHaveProperty('contentBytes');
		expect(env.requests()[0].query).toMatch(/%24select=|\$select=/);
		const [withContent] = await env.run(attachmentParams('get', draftId, { attachmentId: rl('id', String(stored.id)), includeContent: true }));
		expect(Buffer.from(String(withContent.json.contentBytes), 'base64').equals(SMALL)).toBe(true);
	});
});

describe('getAll', () => {
	it('lists every attachment (no bytes), or up to the limit', async () => {
		const files = ['a.txt', 'b.txt', 'c.txt'].map((name) => ({ name, bytes: Buffer.from(`file ${name}`), contentType: 'text/plain' }));
		const draftId = await newDraft(files);
		const all = await env.run(attachmentParams('getAll', draftId, { returnAll: true }));
		expect(all.map((i) => i.json.name).sort()).toEqual(['a.txt', 'b.txt', 'c.txt']);
		expect(all.every((i) => i.json.contentBytes === undefined && typeof i.json.id === 'string')).toBe(true);
		expect(all.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		const limited = await env.run(attachmentParams('getAll', draftId, { returnAll: false, limit: 2 }));
		expect(limited).toHaveLength(2);
	});

	it('a message without attachments gives no items', async () => {
		expect(await env.run(attachmentParams('getAll', await newDraft(), { returnAll: true }))).toEqual([]);
	});
});

describe('download', () => {
	it('puts the bytes into the named binary field with the attachment\'s name and type', async () => {
		const bytes = patternBytes(3 * MIB + 5, 'download');
		const draftId = await newDraft([{ name: 'amounts.csv', bytes: SMALL, contentType: 'text/csv' }]);
		await env.run(attachmentParams('add', draftId), { input: [await binaryItem(env, bytes, 'scan.pdf', 'application/pdf')] });
		const stored = await attachmentsOf(env, draftId);
		const byName = Object.fromEntries(stored.map((a) => [a.name, String(a.id)]));
		env.clearRequests();
		const [pdf] = await env.run(attachmentParams('download', draftId, { attachmentId: rl('id', byName['scan.pdf']), outputBinaryField: 'file' }));
		expect(pdf.json).toMatchObject({ id: byName['scan.pdf'], name: 'scan.pdf', contentType: 'application/pdf' });
		expect(pdf.binary?.file).toMatchObject({ fileName: 'scan.pdf', mimeType: 'application/pdf' });
		expect((await env.harness.binaryToBuffer(pdf.binary!.file)).equals(bytes)).toBe(true);
		expect(env.requests().map((r) => r.path)).toEqual([expect.stringMatching(/\/attachments\/[^/]+$/), expect.stringMatching(/\/attachments\/[^/]+\/\$value$/)]);
		const [csv] = await env.run(attachmentParams('download', draftId, { attachmentId: rl('id', byName['amounts.csv']) }));
		expect(csv.binary?.data).toMatchObject({ fileName: 'amounts.csv', mimeType: 'text/csv' });
		expect((await env.harness.binaryToBuffer(csv.binary!.data)).equals(SMALL)).toBe(true);
	});

	it('refuses an empty "Put Output File in Field" before anything is sent', async () => {
		await expect(env.run(attachmentParams('download', 'AAMkAGAnyMessage=', { attachmentId: rl('id', 'AAMkAGAnyAttachment='), outputBinaryField: ' ' }))).rejects.toThrow(
			/^"Put Output File in Field" is empty/,
		);
		expect(env.requests()).toHaveLength(0);
	});
});

describe('the attachment picker', () => {
	it('lists the chosen message\'s attachments, filtered by name; nothing before a message is chosen', async () => {
		const draftId = await newDraft([
			{ name: 'invoice-march.pdf', bytes: Buffer.from('pdf'), contentType: 'application/pdf' },
			{ name: 'photo.jpg', bytes: Buffer.from('jpg'), contentType: 'image/jpeg' },
		]);
		const stored = await attachmentsOf(env, draftId);
		env.clearRequests();
		const all = await listSearch(env, 'searchAttachments', { resource: 'attachment', operation: 'get', messageId: rl('id', draftId) });
		expect(all.results.map((r) => r.value).sort()).toEqual(stored.map((a) => String(a.id)).sort());
		const filtered = await listSearch(env, 'searchAttachments', { resource: 'attachment', operation: 'get', messageId: rl('id', draftId) }, 'INVOICE');
		expect(filtered.results).toEqual([expect.objectContaining({ name: expect.stringMatching(/^invoice-march\.pdf/) })]);
		expect(await listSearch(env, 'searchAttachments', { resource: 'attachment', operation: 'get', messageId: rl('id', '') })).toEqual({ results: [] });
		expect(env.requests().filter((r) => r.path.startsWith('/v1.0/'))).toHaveLength(2);
	});
});

describe('bad IDs', () => {
	it('"Message" and "Attachment" refuse every bad value (from an expression) before sending anything', async () => {
		const input = async (value: string) => [{ json: { v: value }, binary: (await binaryItem(env, SMALL, 'a.csv')).binary }];
		let tried = 0;
		const refuses = async (field: string, parameters: INodeParameters) => {
			tried += await expectEveryBadInputRefused({
				field,
				values: BAD_PATH_SEGMENTS,
				run: async (value) => await env.run(parameters, { input: await input(value) }),
				requests: () => env.requests(),
				clear: () => env.clearRequests(),
			});
		};
		for (const operation of ['add', 'getAll']) await refuses('Message', attachmentParams(operation, FROM_INPUT, { returnAll: true }));
		for (const operation of ['get', 'download']) {
			await refuses('Message', attachmentParams(operation, FROM_INPUT, { attachmentId: rl('id', 'AAMkAGAnyAttachment=') }));
			await refuses('Attachment', attachmentParams(operation, 'AAMkAGAnyMessage=', { attachmentId: rl('id', FROM_INPUT) }));
		}
		expect(tried).toBe(6 * BAD_PATH_SEGMENTS.length);
	});
});

describe('app-only on Alice\'s mailbox by address', () => {
	let app: OutlookFixture;
	beforeAll(async () => {
		app = await startOutlookFixture({ authentication: 'clientCredentials', binaryMode: 'filesystem' });
	}, 60_000);
	afterAll(async () => app?.stop());

	it('adds, lists, reads and downloads an attachment in /users/{address}', async () => {
		const created = await app.graph('POST', '/me/messages', { subject: 'App attachments' });
		const draftId = String(created.body.id);
		const params = (operation: string, extra: INodeParameters = {}) => ({ resource: 'attachment', operation, messageId: rl('id', draftId), ...extra });
		const [added] = await app.run(params('add'), { input: [{ json: {}, binary: { data: await app.harness.prepareBinary(SMALL, 'app.csv', 'text/csv') } }] });
		const attachmentId = String(added.json.id);
		expect((await app.run(params('getAll', { returnAll: true }))).map((i) => i.json.id)).toEqual([attachmentId]);
		const [read] = await app.run(params('get', { attachmentId: rl('id', attachmentId) }));
		expect(read.json).toMatchObject({ id: attachmentId, name: 'app.csv' });
		const [downloaded] = await app.run(params('download', { attachmentId: rl('id', attachmentId) }));
		expect((await app.harness.binaryToBuffer(downloaded.binary!.data)).equals(SMALL)).toBe(true);
		const nodeCalls = app.requests().filter((r) => r.path.startsWith('/v1.0/') && !r.path.startsWith('/v1.0/me/'));
		expect(nodeCalls.length).toBeGreaterThanOrEqual(5);
		for (const call of nodeCalls) expect(decodeURIComponent(call.path)).toMatch(new RegExp(`^/v1\\.0/users/${ALICE.userPrincipalName.replace(/\./g, '\\.')}/messages/`));
	});
});
