/**
 * The file operations of the OneDrive node (besides upload/download, see upload.test.ts and download.test.ts)
 * against the sandbox.
 */
import { rl, startOneDriveFixture, type OneDriveFixture } from './fixture';

let env: OneDriveFixture;
beforeAll(async () => {
	env = await startOneDriveFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
	env.sandbox.drives.copyBehavior.fail = false;
});

const byPath = (path: string) => env.sandbox.drives.itemByPath(env.driveId, path);
const writes = () => env.requests().filter((r) => r.method !== 'GET');

describe('file', () => {
	it('get: metadata by path, simplified and full', async () => {
		const [simple] = await env.run({ resource: 'file', operation: 'get', fileId: rl('path', '/Documents/notes.txt') });
		expect(simple.json).toMatchObject({ name: 'notes.txt', path: '/Documents/notes.txt', type: 'file', mimeType: 'text/plain' });
		expect(simple.json.parentReference).toBeUndefined();
		const [full] = await env.run({ resource: 'file', operation: 'get', fileId: rl('id', String(simple.json.id)), output: 'raw' });
		expect(full.json).toMatchObject({ id: simple.json.id, name: 'notes.txt' });
		expect(full.json.parentReference).toBeDefined();
	});

	it('get: an unknown path names the field', async () => {
		await expect(env.run({ resource: 'file', operation: 'get', fileId: rl('path', '/nope/missing.txt') })).rejects.toThrow(
			/"File": no item found at path "\/nope\/missing.txt"/,
		);
	});

	it('delete: returns { deleted: true, id } and the file is gone', async () => {
		const created = env.sandbox.drives.addFile(env.driveId, '/trash-me.txt', 'bye');
		const out = await env.run({ resource: 'file', operation: 'delete', fileId: rl('id', created.id) });
		expect(out.map((o) => o.json)).toEqual([{ deleted: true, id: created.id }]);
		expect(byPath('/trash-me.txt')).toBeNull();
	});

	it('copy: waits for the monitor (without a token) and returns the new item', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/CopyTarget');
		env.sandbox.drives.copyBehavior.pollsInProgress = 2;
		const out = await env.run({
			resource: 'file',
			operation: 'copy',
			fileId: rl('path', '/Documents/notes.txt'),
			destinationFolder: rl('path', '/CopyTarget'),
			newName: 'notes-copy.txt',
		});
		expect(out[0].json).toMatchObject({ name: 'notes-copy.txt', path: '/CopyTarget/notes-copy.txt' });
		expect(env.sandbox.drives.contentOf(String(out[0].json.id)).toString()).toBe('Meeting notes\nItem 1\nItem 2\n');
		const monitor = env.requests().filter((r) => r.host === 'files');
		expect(monitor.length).toBeGreaterThanOrEqual(3);
		expect(monitor.every((r) => !r.hasAuthorization)).toBe(true);
	});

	it('copy: a failed copy job is an error carrying Graph\'s message', async () => {
		env.sandbox.drives.copyBehavior.pollsInProgress = 0;
		env.sandbox.drives.copyBehavior.fail = true;
		await expect(
			env.run({ resource: 'file', operation: 'copy', fileId: rl('path', '/hello.txt'), newName: 'hello-copy.txt' }),
		).rejects.toThrow(/Copy failed: The copy failed \(sandbox test switch\)/);
		expect(byPath('/hello-copy.txt')).toBeNull();
	});

	it('move: into another folder with a new name', async () => {
		env.sandbox.drives.addFile(env.driveId, '/move-me.txt', 'moving');
		env.sandbox.drives.addFolder(env.driveId, '/Archive');
		const out = await env.run({
			resource: 'file',
			operation: 'move',
			fileId: rl('path', '/move-me.txt'),
			destinationFolder: rl('path', '/Archive'),
			newName: 'moved.txt',
		});
		expect(out[0].json).toMatchObject({ name: 'moved.txt', path: '/Archive/moved.txt' });
		expect(byPath('/move-me.txt')).toBeNull();
	});

	it('rename: fail on conflict by default, rename when asked', async () => {
		env.sandbox.drives.addFile(env.driveId, '/r1.txt', 'one');
		env.sandbox.drives.addFile(env.driveId, '/r2.txt', 'two');
		await expect(env.run({ resource: 'file', operation: 'rename', fileId: rl('path', '/r1.txt'), newName: 'r2.txt' })).rejects.toThrow(
			/already exists/,
		);
		const [out] = await env.run({ resource: 'file', operation: 'rename', fileId: rl('path', '/r1.txt'), newName: 'r3.txt' });
		expect(out.json).toMatchObject({ name: 'r3.txt', path: '/r3.txt' });
	});

	it('rename: an invalid new name is refused before any request', async () => {
		await expect(env.run({ resource: 'file', operation: 'rename', fileId: rl('path', '/hello.txt'), newName: 'a/b' })).rejects.toThrow(
			/"New Name" contains "\/"/,
		);
		expect(env.requests()).toHaveLength(0);
	});

	it('search: files only, a quote in the query is escaped, limit applies', async () => {
		const hits = await env.run({ resource: 'file', operation: 'search', query: "it's", returnAll: true });
		expect(hits.map((h) => h.json.name)).toEqual(["it's here.txt"]);
		const notes = await env.run({ resource: 'file', operation: 'search', query: 'notes', limit: 1 });
		expect(notes).toHaveLength(1);
		expect(notes.every((h) => h.json.type === 'file')).toBe(true);
		const searchRequest = env.requests().find((r) => r.path.includes('search('));
		expect(searchRequest?.path).toContain("search(q='it''s')");
	});

	it('share: organization view link', async () => {
		const [out] = await env.run({ resource: 'file', operation: 'share', fileId: rl('path', '/hello.txt'), linkType: 'view', linkScope: 'organization' });
		expect(String(out.json.url)).toMatch(/^https:\/\//);
		expect(out.json.link).toMatchObject({ type: 'view', scope: 'organization' });
	});

	it('share: a password on a business drive is refused with an explanation, nothing created', async () => {
		const error = await env
			.run({
				resource: 'file',
				operation: 'share',
				fileId: rl('path', '/hello.txt'),
				linkType: 'view',
				linkScope: 'anonymous',
				shareOptions: { password: 'secret-pass' },
			})
			.catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toMatch(/"Password" is only available on personal OneDrive/);
		expect(JSON.stringify(error)).not.toContain('secret-pass');
		expect(writes()).toHaveLength(0);
	});

	it('share: an expiration in the past is refused', async () => {
		await expect(
			env.run({ resource: 'file', operation: 'share', fileId: rl('path', '/hello.txt'), shareOptions: { expirationDateTime: '2020-01-01T00:00:00Z' } }),
		).rejects.toThrow(/"Expiration" is in the past/);
	});

	it('listVersions: one item per version', async () => {
		env.sandbox.drives.addFile(env.driveId, '/versioned.txt', 'v1');
		env.sandbox.drives.addFile(env.driveId, '/versioned.txt', 'v2');
		env.sandbox.drives.addFile(env.driveId, '/versioned.txt', 'v3');
		const out = await env.run({ resource: 'file', operation: 'listVersions', fileId: rl('path', '/versioned.txt') });
		expect(out).toHaveLength(3);
		expect(out.every((o) => o.pairedItem && (o.pairedItem as { item: number }).item === 0)).toBe(true);
	});
});

describe('errors', () => {
	it('continueOnFail: per-item errors, the other items still run', async () => {
		const out = await env.run(
			{ resource: 'file', operation: 'get', fileId: rl('path', '={{ $json.path }}') },
			{ continueOnFail: true, input: [{ json: { path: '/hello.txt' } }, { json: { path: '/missing.txt' } }, { json: { path: '/Documents/notes.txt' } }] },
		);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.name).toBe('hello.txt');
		expect(String(out[1].json.error)).toMatch(/"File": no item found/);
		expect(out[2].json.name).toBe('notes.txt');
	});
});

describe('app-only (client credentials)', () => {
	let appEnv: OneDriveFixture;
	beforeAll(async () => {
		appEnv = await startOneDriveFixture({ authentication: 'clientCredentials' });
	});
	afterAll(async () => appEnv?.stop());

	it('"My OneDrive" is refused for app-only sign-in with a clear fix', async () => {
		await expect(
			appEnv.run({ driveLocation: 'myDrive', resource: 'file', operation: 'get', fileId: rl('path', '/hello.txt') }),
		).rejects.toThrow(/"Drive" is "My OneDrive", which needs a signed-in user/);
	});
});
