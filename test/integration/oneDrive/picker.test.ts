/**
 * The OneDrive file picker end to end inside n8n-core against the sandbox: list search (root, "Folder/"
 * navigation, search, paging, folder-only, users/groups/sites/libraries) and every locator mode of
 * resolveItem (list, each URL form, path, ID), with the bad inputs refused before or by Graph.
 */
import type { INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import { rl, SEED, startOneDriveFixture, type OneDriveFixture } from './fixture';
import { PickerProbe } from './picker.node';

const probe = new PickerProbe();
let world: OneDriveFixture;
let aliceDriveId: string;

beforeAll(async () => {
	world = await startOneDriveFixture();
	aliceDriveId = world.sandbox.drives.driveIdOfUser(SEED.users.alice.id);
}, 60000);
afterAll(async () => await world?.stop());

async function search(method: string, parameters: INodeParameters, filter?: string, token?: string): Promise<INodeListSearchResult> {
	const ctx = world.harness.loadOptionsContext(probe, { parameters });
	const fn = (probe.methods.listSearch as Record<string, (this: unknown, f?: string, t?: string) => Promise<INodeListSearchResult>>)[method];
	return await fn.call(ctx, filter, token);
}

async function resolve(parameters: INodeParameters): Promise<Record<string, unknown>> {
	const out = await world.harness.execute(probe, { parameters });
	return out[0][0].json;
}

function requestsTo(pathPrefix: string) {
	return world.sandbox.state.requests.filter((r) => r.path.startsWith(pathPrefix));
}

describe('list search: items', () => {
	it('lists the root of My OneDrive with folders marked and paths shown', async () => {
		const { results, paginationToken } = await search('searchItems', {}, '');
		const names = results.map((r) => r.name);
		expect(names).toEqual(expect.arrayContaining(['📁 Documents/', '📁 Reports/', '📁 Photos/', 'hello.txt']));
		expect(paginationToken).toBeUndefined();
		const hello = results.find((r) => r.name === 'hello.txt');
		expect(hello?.value).toBe(world.sandbox.drives.itemByPath(aliceDriveId, '/hello.txt').id);
	});

	it('opens a folder typed as a path ending in "/"', async () => {
		const { results } = await search('searchItems', {}, 'Reports/2026/');
		expect(results.map((r) => r.name)).toEqual(['Reports/2026/q1.csv']);
		expect(results[0].value).toBe(world.sandbox.drives.itemByPath(aliceDriveId, '/Reports/2026/q1.csv').id);
	});

	it('opens a folder whose name needs quoting and encoding', async () => {
		const { results } = await search('searchItems', {}, "/Shared stuff & more/");
		expect(results.map((r) => r.name)).toEqual(["Shared stuff & more/it's here.txt"]);
	});

	it('searches the drive by words and shows each hit with its path', async () => {
		const { results } = await search('searchItems', {}, 'notes');
		expect(results.map((r) => r.name)).toEqual(['Documents/notes.txt']);
		const quoted = await search('searchItems', {}, "it's");
		expect(quoted.results.map((r) => r.name)).toEqual(["Shared stuff & more/it's here.txt"]);
	});

	it('refuses ".." in a typed folder path', async () => {
		await expect(search('searchItems', {}, 'Reports/../')).rejects.toThrow(/contains "\.\."/);
	});

	it('pages children through the nextLink token (1000 per page) and search results too', async () => {
		world.sandbox.drives.bulkFolder(aliceDriveId, '/Bulk', 1001);
		const before = requestsTo('/v1.0/me/drive/root:/Bulk:/children').length;
		const first = await search('searchItems', {}, 'Bulk/');
		expect(first.results).toHaveLength(1000);
		expect(first.results[0].name).toBe('Bulk/item-00001.txt');
		expect(first.paginationToken).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\//);
		const second = await search('searchItems', {}, 'Bulk/', first.paginationToken);
		expect(second.results.map((r) => r.name)).toEqual(['Bulk/item-01001.txt']);
		expect(second.paginationToken).toBeUndefined();
		const calls = requestsTo('/v1.0/me/drive/root:/Bulk:/children').slice(before);
		expect(calls).toHaveLength(2);
		expect(new URLSearchParams(String(calls[0].query)).get('$top')).toBe('1000');

		const hits = await search('searchItems', {}, 'item-0');
		expect(hits.results.length).toBeGreaterThan(0);
		expect(hits.paginationToken).toBeDefined();
		const more = await search('searchItems', {}, 'item-0', hits.paginationToken);
		expect(more.results.length).toBeGreaterThan(0);
		const ids = new Set([...hits.results, ...more.results].map((r) => r.value));
		expect(ids.size).toBe(hits.results.length + more.results.length);
	});

	it('lists folders only in folder pickers, with the drive root first', async () => {
		const root = await search('searchFolders', {}, '');
		expect(root.results[0]).toEqual({ name: '📁 / (drive root)', value: 'root' });
		expect(root.results.every((r) => String(r.name).startsWith('📁 '))).toBe(true);
		expect(root.results.map((r) => r.name)).toContain('📁 Reports/');
		const reports = world.sandbox.drives.itemByPath(aliceDriveId, '/Reports');
		const inside = await search('searchFolders', {}, 'Reports/');
		expect(inside.results.map((r) => [r.name, r.value])).toEqual([
			['📁 Reports/ (this folder)', reports.id],
			['📁 Reports/2026/', world.sandbox.drives.itemByPath(aliceDriveId, '/Reports/2026').id],
		]);
		// An empty folder: its own ID comes from one extra GET.
		const photos = world.sandbox.drives.itemByPath(aliceDriveId, '/Photos');
		const empty = await search('searchFolders', {}, 'Photos/');
		expect(empty.results).toEqual([{ name: '📁 Photos/ (this folder)', value: photos.id }]);
		const found = await search('searchFolders', {}, '2026');
		expect(found.results.map((r) => r.name)).toEqual(['📁 Reports/2026/']);
		// The "drive root" entry's value resolves like any list value.
		expect(await resolve({ kind: 'folder', item: rl('list', 'root') })).toMatchObject({ name: 'root', driveId: aliceDriveId });
	});

	it("lists another user's drive with app-only credentials, and refuses My OneDrive there", async () => {
		const app = { authentication: 'clientCredentials', driveLocation: 'userDrive', driveUser: rl('id', SEED.users.bob.userPrincipalName) };
		const { results } = await search('searchItems', app, 'Documents/');
		expect(results.map((r) => r.name).sort()).toEqual(['Documents/notes.txt', 'Documents/report.xlsx']);
		await expect(search('searchItems', { authentication: 'clientCredentials', driveLocation: 'myDrive' }, '')).rejects.toThrow(
			/My OneDrive/,
		);
	});
});

describe('list search: drive locations', () => {
	it('finds Microsoft 365 groups by name and hides security groups (no drive)', async () => {
		// The seed has "Marketing" (Microsoft 365) and "Marketing Approvers" (security group).
		const groups = await search('searchGroups', {}, 'Mark');
		const marketing = world.sandbox.drives.group(SEED.tenants.contoso.id, 'Marketing');
		expect(groups.results.map((r) => r.value)).toEqual([marketing.id]);
	});

	it('finds users, sites and a site\'s libraries', async () => {
		const users = await search('searchUsers', {}, 'bob');
		expect(users.results).toEqual([{ name: "Bob O'Brien (bob@contoso.onmicrosoft.com)", value: SEED.users.bob.id }]);
		const quoted = await search('searchUsers', {}, "Bob O'B");
		expect(quoted.results.map((r) => r.value)).toEqual([SEED.users.bob.id]);

		const sites = await search('searchSites', {}, 'Marketing');
		const site = world.sandbox.drives.site(SEED.tenants.contoso.id, 'Marketing');
		expect(sites.results.map((r) => r.value)).toEqual([site.id]);

		const byId = await search('searchLibraries', { driveLocation: 'siteLibrary', driveSite: rl('list', site.id) }, '');
		expect(byId.results.map((r) => r.name).sort()).toEqual(['Documents', 'Reports']);
		const byUrl = await search(
			'searchLibraries',
			{ driveLocation: 'siteLibrary', driveSite: rl('url', 'https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents/Forms/AllItems.aspx') },
			'rep',
		);
		expect(byUrl.results.map((r) => r.value)).toEqual(site.driveIds.slice(1));
	});
});

describe('resolveItem: every locator mode', () => {
	it('resolves From List and By ID values (business ID shape)', async () => {
		const report = world.sandbox.drives.itemByPath(aliceDriveId, '/Documents/report.xlsx');
		expect(report.id).toMatch(/^01[A-Z2-7]{32}$/);
		for (const mode of ['list', 'id']) {
			const found = await resolve({ item: rl(mode, report.id) });
			expect(found).toMatchObject({ basePath: '/me/drive', itemId: report.id, driveId: aliceDriveId, name: 'report.xlsx' });
		}
	});

	it('resolves a personal OneDrive ID shape (DRIVEID!n) in a drive picked by ID', async () => {
		const personal = world.sandbox.drives.personalDriveId();
		const todo = world.sandbox.drives.itemByPath(personal, '/Personal/todo.txt');
		expect(todo.id).toMatch(/^[0-9A-F]{16}![0-9]+$/);
		const found = await resolve({ driveLocation: 'siteLibrary', driveLibrary: rl('id', personal), item: rl('id', todo.id) });
		expect(found).toMatchObject({ basePath: `/drives/${personal.replace('!', '%21')}`, itemId: todo.id, name: 'todo.txt' });
	});

	it('refuses an ID that is not an ID before any request (n8n checks typed values, we check expression results)', async () => {
		const before = world.sandbox.state.requests.length;
		await expect(resolve({ item: rl('id', '../root:/hello.txt') })).rejects.toThrow(/Enter a driveItem ID/);
		await expect(resolve({ item: rl('id', '={{ "../root:/hello.txt" }}') })).rejects.toThrow(/"Item" ID .* is not a driveItem ID/);
		expect(world.sandbox.state.requests.length).toBe(before);
	});

	it('resolves By Path from the drive root, with or without a leading "/", including quotes and "&"', async () => {
		expect(await resolve({ item: rl('path', '/Documents/report.xlsx') })).toMatchObject({ name: 'report.xlsx' });
		expect(await resolve({ item: rl('path', 'Reports/2026/q1.csv') })).toMatchObject({ name: 'q1.csv' });
		expect(await resolve({ item: rl('path', "/Shared stuff & more/it's here.txt") })).toMatchObject({ name: "it's here.txt" });
		expect(await resolve({ kind: 'folder', item: rl('path', '/') })).toMatchObject({ name: 'root' });
	});

	it('refuses ".." in a path and names the field for a missing path', async () => {
		const before = world.sandbox.state.requests.length;
		await expect(resolve({ item: rl('path', '/Documents/../hello.txt') })).rejects.toThrow(/"Item" path .* contains "\.\."/);
		expect(world.sandbox.state.requests.length).toBe(before);
		await expect(resolve({ item: rl('path', '/Documents/missing.txt') })).rejects.toThrow(/"Item": no item found at path/);
	});

	it('checks the kind: a folder is not a file and a file is not a folder', async () => {
		await expect(resolve({ kind: 'file', item: rl('path', '/Documents') })).rejects.toThrow(/"Item" is the folder "Documents", not a file/);
		await expect(resolve({ kind: 'folder', item: rl('path', '/hello.txt') })).rejects.toThrow(/"Item" is the file "hello.txt", not a folder/);
	});

	describe('By URL (resolved through /shares, never fetched)', () => {
		const shareCalls = () => requestsTo('/v1.0/shares/');

		async function resolveUrl(url: string, parameters: INodeParameters = {}) {
			const before = shareCalls().length;
			const found = await resolve({ ...parameters, item: rl('url', url) });
			const calls = shareCalls().slice(before);
			expect(calls).toHaveLength(1);
			expect(calls[0].path).toBe(`/v1.0/shares/${world.sandbox.drives.shareIdFor(url.split('#')[0])}/driveItem`);
			return found;
		}

		it('OneDrive personal browser URL (onedrive.live.com/?cid=..&id=..)', async () => {
			const personal = world.sandbox.drives.personalDriveId();
			const todo = world.sandbox.drives.itemByPath(personal, '/Personal/todo.txt');
			const url = `https://onedrive.live.com/?cid=${personal}&id=${encodeURIComponent(todo.id)}`;
			expect(await resolveUrl(url)).toMatchObject({ itemId: todo.id, driveId: personal, name: 'todo.txt' });
		});

		it('OneDrive personal sharing link (1drv.ms)', async () => {
			const personal = world.sandbox.drives.personalDriveId();
			const holiday = world.sandbox.drives.itemByPath(personal, '/Pictures/holiday.jpg');
			const link = await world.graph('POST', `/drives/${personal}/items/${encodeURIComponent(holiday.id)}/createLink`, { type: 'view', scope: 'anonymous' });
			expect(link.status).toBe(201);
			expect(link.body.link.webUrl).toMatch(/^https:\/\/1drv\.ms\//);
			expect(await resolveUrl(link.body.link.webUrl)).toMatchObject({ itemId: holiday.id, name: 'holiday.jpg' });
		});

		it('OneDrive for Business file URL (<tenant>-my.sharepoint.com/personal/...)', async () => {
			const notes = world.sandbox.drives.itemByPath(aliceDriveId, '/Documents/notes.txt');
			expect(notes.webUrl).toMatch(/^https:\/\/contoso-my\.sharepoint\.com\/personal\//);
			expect(await resolveUrl(notes.webUrl)).toMatchObject({ itemId: notes.id, name: 'notes.txt' });
		});

		it('SharePoint library file URL, and a library view URL naming a folder', async () => {
			const marketing = world.sandbox.drives.group(SEED.tenants.contoso.id, 'Marketing');
			const brief = world.sandbox.drives.itemByPath(marketing.driveId, '/brief.txt');
			expect(brief.webUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/sites\/Marketing\//);
			expect(await resolveUrl(brief.webUrl)).toMatchObject({ itemId: brief.id, name: 'brief.txt' });
			const campaigns = world.sandbox.drives.itemByPath(marketing.driveId, '/Campaigns');
			const view = 'https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents/Forms/AllItems.aspx?id=%2Fsites%2FMarketing%2FShared%20Documents%2FCampaigns';
			expect(await resolveUrl(view, { kind: 'folder' })).toMatchObject({ itemId: campaigns.id, name: 'Campaigns' });
		});

		it('SharePoint sharing link (/:t:/s/...) with a fragment', async () => {
			const marketing = world.sandbox.drives.group(SEED.tenants.contoso.id, 'Marketing');
			const plan = world.sandbox.drives.itemByPath(marketing.driveId, '/Campaigns/plan.docx');
			const link = await world.graph('POST', `/drives/${marketing.driveId}/items/${plan.id}/createLink`, { type: 'view', scope: 'organization' });
			expect(link.body.link.webUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/:w:\/s\/Marketing\//);
			expect(await resolveUrl(`${link.body.link.webUrl}#open`)).toMatchObject({ itemId: plan.id, name: 'plan.docx' });
		});

		it('refuses a foreign host and a non-https link without sending anything', async () => {
			const before = world.sandbox.state.requests.length;
			await expect(resolve({ item: rl('url', 'https://contoso.sharepoint.com.evil.example/x.docx') })).rejects.toThrow(
				/"Item" URL: The link is on "contoso\.sharepoint\.com\.evil\.example", which is not a OneDrive or SharePoint host/,
			);
			await expect(resolve({ item: rl('url', 'http://contoso.sharepoint.com/sites/Marketing/x.docx') })).rejects.toThrow(/https/);
			expect(world.sandbox.state.requests.length).toBe(before);
		});

		it('reports a link that resolves to nothing on the field', async () => {
			await expect(resolve({ item: rl('url', 'https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents/nope.txt') })).rejects.toThrow(
				/"Item": no item found at link/,
			);
		});
	});

	it('resolves items in a user\'s, a group\'s and a site library\'s drive (site by URL)', async () => {
		const bobDrive = world.sandbox.drives.driveIdOfUser(SEED.users.bob.id);
		expect(
			await resolve({ authentication: 'clientCredentials', driveLocation: 'userDrive', driveUser: rl('id', SEED.users.bob.userPrincipalName), item: rl('path', '/hello.txt') }),
		).toMatchObject({ basePath: '/users/bob%40contoso.onmicrosoft.com/drive', driveId: bobDrive, name: 'hello.txt' });

		const marketing = world.sandbox.drives.group(SEED.tenants.contoso.id, 'Marketing');
		expect(await resolve({ driveLocation: 'groupDrive', driveGroup: rl('list', marketing.id), item: rl('path', '/brief.txt') })).toMatchObject({
			basePath: `/groups/${marketing.id}/drive`,
			driveId: marketing.driveId,
		});

		const site = world.sandbox.drives.site(SEED.tenants.contoso.id, 'Marketing');
		const reportsLibrary = site.driveIds[1];
		expect(
			await resolve({ driveLocation: 'siteLibrary', driveSite: rl('url', 'https://contoso.sharepoint.com/sites/Marketing'), driveLibrary: rl('list', reportsLibrary), item: rl('path', '/2026/summary.pdf') }),
		).toMatchObject({ driveId: reportsLibrary, name: 'summary.pdf' });
		// No library chosen: the site's default library, addressed through the site URL.
		expect(
			await resolve({ driveLocation: 'siteLibrary', driveSite: rl('url', 'https://contoso.sharepoint.com/sites/Marketing'), driveLibrary: rl('list', ''), item: rl('path', '/brief.txt') }),
		).toMatchObject({ basePath: '/sites/contoso.sharepoint.com:/sites/Marketing:/drive', driveId: marketing.driveId });
	});

	it('refuses My OneDrive with app-only sign-in, saying what to choose instead', async () => {
		await expect(resolve({ authentication: 'clientCredentials', driveLocation: 'myDrive', item: rl('path', '/hello.txt') })).rejects.toThrow(
			/"Drive" is "My OneDrive", which needs a signed-in user/,
		);
	});

	it('never sent a token to the files host', () => {
		expect(world.sandbox.state.violations).toEqual([]);
	});
});
