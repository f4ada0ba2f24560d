/**
 * Every file and folder operation of the OneDrive node (besides upload/download) against the sandbox.
 */
import { CONTOSO, rl, startOneDriveEnv, type OneDriveEnv } from './onedrive-setup';

let env: OneDriveEnv;
beforeAll(async () => {
	env = await startOneDriveEnv();
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

describe('folder', () => {
	it('create: a nested path creates every missing level and reuses existing ones', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/Projects');
		const [out] = await env.run({ resource: 'folder', operation: 'create', folderPath: 'Projects/2026/March' });
		expect(out.json).toMatchObject({ name: 'March', path: '/Projects/2026/March', type: 'folder' });
		expect(byPath('/Projects/2026')).not.toBeNull();
	});

	it('create: conflict fail / rename / replace on the last level', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/Dup');
		await expect(env.run({ resource: 'folder', operation: 'create', folderPath: 'Dup' })).rejects.toThrow(/already exists/);
		const [renamed] = await env.run({ resource: 'folder', operation: 'create', folderPath: 'Dup', conflictBehavior: 'rename' });
		expect(renamed.json.name).not.toBe('Dup');
		const [replaced] = await env.run({ resource: 'folder', operation: 'create', folderPath: 'Dup', conflictBehavior: 'replace' });
		expect(replaced.json.name).toBe('Dup');
	});

	it.each([
		['A/../B', /"Folder Name or Path" contains a "\.\." segment/],
		['Good/Ba:d', /"Folder Name or Path": segment 2 \("Ba:d"\) contains ":"/],
		['Good/ trailing /x', /segment 2 \(" trailing "\) starts or ends with a space/],
		['One//Two', /contains an empty segment/],
	])('create: %j is refused before anything is written', async (folderPath, message) => {
		await expect(env.run({ resource: 'folder', operation: 'create', folderPath })).rejects.toThrow(message);
		expect(writes()).toHaveLength(0);
		expect(byPath('/Good')).toBeNull();
	});

	it('listChildren: all pages of 1000, or a limit', async () => {
		env.sandbox.drives.bulkFolder(env.driveId, '/Bulk', 2500);
		env.clearRequests();
		const all = await env.run({ resource: 'folder', operation: 'listChildren', folderId: rl('path', '/Bulk'), returnAll: true });
		expect(all).toHaveLength(2500);
		const pages = env.requests().filter((r) => r.path.endsWith('/children'));
		expect(pages).toHaveLength(3);
		expect(new URLSearchParams(String(pages[0].query)).get('$top')).toBe('1000');
		env.clearRequests();
		const some = await env.run({ resource: 'folder', operation: 'listChildren', folderId: rl('path', '/Bulk'), limit: 5 });
		expect(some.map((o) => o.json.name)).toEqual(['item-00001.txt', 'item-00002.txt', 'item-00003.txt', 'item-00004.txt', 'item-00005.txt']);
		expect(env.requests().filter((r) => r.path.endsWith('/children'))).toHaveLength(1);
	});

	it('rename, move, search, share and delete a folder', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/FolderOps/Inner');
		env.sandbox.drives.addFolder(env.driveId, '/FolderDest');
		const [renamed] = await env.run({ resource: 'folder', operation: 'rename', folderId: rl('path', '/FolderOps/Inner'), newName: 'Renamed' });
		expect(renamed.json.path).toBe('/FolderOps/Renamed');
		const [moved] = await env.run({
			resource: 'folder',
			operation: 'move',
			folderId: rl('path', '/FolderOps/Renamed'),
			destinationFolder: rl('path', '/FolderDest'),
		});
		expect(moved.json.path).toBe('/FolderDest/Renamed');
		const found = await env.run({ resource: 'folder', operation: 'search', query: 'renamed', returnAll: true });
		expect(found.map((f) => f.json.path)).toEqual(['/FolderDest/Renamed']);
		const [link] = await env.run({ resource: 'folder', operation: 'share', folderId: rl('path', '/FolderDest/Renamed'), linkType: 'edit' });
		expect(link.json.link).toMatchObject({ type: 'edit' });
		const [deleted] = await env.run({ resource: 'folder', operation: 'delete', folderId: rl('path', '/FolderDest') });
		expect(deleted.json).toMatchObject({ deleted: true });
		expect(byPath('/FolderDest')).toBeNull();
	});

	it('a folder operation refuses a file in the Folder field', async () => {
		await expect(env.run({ resource: 'folder', operation: 'delete', folderId: rl('path', '/hello.txt') })).rejects.toThrow(
			/"Folder" is the file "hello.txt", not a folder/,
		);
		expect(byPath('/hello.txt')).not.toBeNull();
	});
});

describe('errors', () => {
	it('a drive the account may not use → 403 with the permission fix', async () => {
		const finance = env.sandbox.drives.site(CONTOSO, 'Finance');
		const error = await env
			.run({
				driveLocation: 'siteLibrary',
				driveSite: rl('id', finance.id),
				driveLibrary: rl('id', finance.driveIds[0]),
				resource: 'folder',
				operation: 'listChildren',
				returnAll: true,
			})
			.catch((e: Error & { description?: string; httpCode?: string }) => e);
		expect((error as { httpCode?: string }).httpCode).toBe('403');
		expect((error as { description?: string }).description).toMatch(/lacks permission/);
	});

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
	let appEnv: OneDriveEnv;
	beforeAll(async () => {
		appEnv = await startOneDriveEnv('default', 'clientCredentials');
	});
	afterAll(async () => appEnv?.stop());

	it("works on a user's OneDrive picked by UPN", async () => {
		const [created] = await appEnv.run({ resource: 'folder', operation: 'create', folderPath: 'FromApp/Inbox' });
		expect(created.json).toMatchObject({ path: '/FromApp/Inbox', type: 'folder' });
		const [uploaded] = await appEnv.run({
			resource: 'file',
			operation: 'upload',
			parentFolder: rl('path', '/FromApp/Inbox'),
			uploadFrom: 'text',
			textContent: 'written by the app',
			fileName: 'app.txt',
		});
		expect(appEnv.sandbox.drives.contentOf(String(uploaded.json.id)).toString()).toBe('written by the app');
		expect(appEnv.requests().some((r) => r.path.startsWith('/v1.0/me/'))).toBe(false);
	});

	it('"My OneDrive" is refused for app-only sign-in with a clear fix', async () => {
		await expect(
			appEnv.run({ driveLocation: 'myDrive', resource: 'file', operation: 'get', fileId: rl('path', '/hello.txt') }),
		).rejects.toThrow(/"Drive" is "My OneDrive", which needs a signed-in user/);
	});

	it('a drive closed to apps answers 403, reported with the permission fix', async () => {
		appEnv.sandbox.drives.denyAccess(appEnv.driveId, { appOnly: true });
		const error = await appEnv
			.run({ resource: 'folder', operation: 'listChildren', returnAll: true })
			.catch((e: Error & { httpCode?: string; description?: string }) => e);
		expect((error as { httpCode?: string }).httpCode).toBe('403');
		expect((error as { description?: string }).description).toMatch(/admin consent/);
	});
});
