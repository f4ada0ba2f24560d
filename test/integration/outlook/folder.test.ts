/** The Outlook node's folder resource against the sandbox: create (top level and nested), get many with paths, rename, delete. */
import { rl, startOutlookFixture, type OutlookFixture } from './fixture';

let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture();
});
afterAll(async () => env?.stop());

describe('folder', () => {
	it('creates a folder and a child, lists them with their paths, renames and deletes', async () => {
		const name = `Projects ${Date.now()}`;
		const [parent] = await env.run({ resource: 'folder', operation: 'create', displayName: name });
		expect(parent.json).toMatchObject({ displayName: name, childFolderCount: 0 });
		const [child] = await env.run({ resource: 'folder', operation: 'create', displayName: '2026', parentFolderId: rl('id', String(parent.json.id)) });
		expect(child.json.parentFolderId).toBe(parent.json.id);

		const all = await env.run({ resource: 'folder', operation: 'getAll', recursive: true, returnAll: true });
		expect(all.map((item) => item.json.path)).toEqual(expect.arrayContaining(['Inbox', name, `${name}/2026`]));
		const top = await env.run({ resource: 'folder', operation: 'getAll', recursive: false, returnAll: true });
		expect(top.map((item) => item.json.path)).not.toContain(`${name}/2026`);

		const [renamed] = await env.run({ resource: 'folder', operation: 'update', folderId: rl('id', String(child.json.id)), displayName: '2027' });
		expect(renamed.json.displayName).toBe('2027');
		const [got] = await env.run({ resource: 'folder', operation: 'get', folderId: rl('id', 'inbox') });
		expect(got.json.displayName).toBe('Inbox');
		const [deleted] = await env.run({ resource: 'folder', operation: 'delete', folderId: rl('id', String(parent.json.id)) });
		expect(deleted.json).toEqual({ deleted: true, id: parent.json.id });
		const after = await env.run({ resource: 'folder', operation: 'getAll', recursive: true, returnAll: true });
		expect(after.map((item) => item.json.path)).not.toContain(name);
	});

	it('a duplicate name is an error that says what to do', async () => {
		const name = `Twice ${Date.now()}`;
		await env.run({ resource: 'folder', operation: 'create', displayName: name });
		const error = await env.run({ resource: 'folder', operation: 'create', displayName: name }).catch((e: Error & { description?: string }) => e);
		expect((error as { description?: string }).description).toMatch(/already exists here: choose another name/);
	});

	it('the folder picker shows nested folders with their path', async () => {
		const name = `Picker ${Date.now()}`;
		const [parent] = await env.run({ resource: 'folder', operation: 'create', displayName: name });
		await env.run({ resource: 'folder', operation: 'create', displayName: 'Inner', parentFolderId: rl('id', String(parent.json.id)) });
		const ctx = env.harness.loadOptionsContext(env.node, { parameters: { authentication: 'oAuth2', mailbox: 'me' } });
		const result = await (env.node.methods.listSearch.searchFolders as (this: unknown, filter?: string) => Promise<{ results: Array<{ name: string }> }>).call(ctx, 'inner');
		expect(result.results.map((entry) => entry.name)).toEqual([`${name}/Inner`]);
	});
});
