/**
 * The folder operations of the OneDrive node against the sandbox.
 */
import { CONTOSO, rl, startOneDriveFixture, type OneDriveFixture } from './fixture';

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

describe('folder', () => {
	it('create: a nested path creates every missing level and reuses existing ones', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/Projects');
		const [out] = await env.run({ resource: 'folder', operation: 'create', folderPath: 'Projects/2026/March' });
		expect(out.json).toMatchObject({ name: 'March', path: '/Projects/2026/March', type: 'folder' });
		expect(byPath('/Projects/2026')).not.toBeNull();
	});

	it('create: items that share a Parent Folder look it up once per run; a lookup that failed is tried again', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/Parents');
		const input = ['a', 'b', 'c'].map((name) => ({ json: { name } }));
		const out = await env.run({ resource: 'folder', operation: 'create', parentFolder: rl('path', '/Parents'), folderPath: '={{ $json.name }}' }, { input });
		expect(out.map((item) => [item.json.path, item.pairedItem])).toEqual([
			['/Parents/a', { item: 0 }],
			['/Parents/b', { item: 1 }],
			['/Parents/c', { item: 2 }],
		]);
		const lookups = () => env.requests().filter((r) => r.method === 'GET' && decodeURIComponent(r.path).includes('Parents'));
		expect(lookups()).toHaveLength(1);
		expect(writes().map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);

		env.clearRequests();
		const missing = await env.run({ resource: 'folder', operation: 'create', parentFolder: rl('path', '/Parents/none'), folderPath: '={{ $json.name }}' }, { input, continueOnFail: true });
		expect(missing.map((item) => String(item.json.error))).toEqual(Array(3).fill(expect.stringMatching(/Parent Folder/)));
		expect(lookups()).toHaveLength(3);
		expect(writes()).toHaveLength(0);
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
});

describe('app-only (client credentials)', () => {
	let appEnv: OneDriveFixture;
	beforeAll(async () => {
		appEnv = await startOneDriveFixture({ authentication: 'clientCredentials' });
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

	it('a drive closed to apps answers 403, reported with the permission fix', async () => {
		appEnv.sandbox.drives.denyAccess(appEnv.driveId, { appOnly: true });
		const error = await appEnv
			.run({ resource: 'folder', operation: 'listChildren', returnAll: true })
			.catch((e: Error & { httpCode?: string; description?: string }) => e);
		expect((error as { httpCode?: string }).httpCode).toBe('403');
		expect((error as { description?: string }).description).toMatch(/admin consent/);
	});
});
