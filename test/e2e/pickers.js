// @ts-check
'use strict';
/**
 * The OneDrive node's pickers as the editor drives them: n8n's resource-locator search endpoint with the
 * node's current parameters and the pre-created credentials (n8n loads the node, resolves the credential,
 * our listSearch method calls the sandbox).
 */
const { it } = require('node:test');
const assert = require('node:assert/strict');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365OneDrive';
const ALICE = 'alice@contoso.onmicrosoft.com';
const FOLDER_MARK = '📁 ';
/** More children than one Graph page holds (OneDrive's largest `$top` is 1000). */
const BULK_COUNT = 1005;

/**
 * @param {() => any} getCtx the line's environment (set in the describe's before hook)
 */
function definePickerTests(getCtx) {
	/**
	 * One picker call: `authentication` chooses the credential, like switching it in the node.
	 * @param {string} methodName
	 * @param {{ parameter?: string, filter?: string, paginationToken?: unknown, params?: Record<string, unknown>, authentication?: string }} [options]
	 */
	async function search(methodName, { parameter = 'fileId', filter, paginationToken, params = {}, authentication = 'oAuth2' } = {}) {
		const ctx = getCtx();
		const type = authentication === 'oAuth2' ? 'microsoft365OAuth2Api' : 'microsoft365ClientCredentialsApi';
		const credential = ctx.credentials[type];
		assert.ok(credential, `credential ${type} was not created (see the earlier test)`);
		return ctx.api.resourceLocatorSearch({
			nodeType: NODE_TYPE,
			nodeVersion: 1,
			parameter,
			methodName,
			filter,
			paginationToken,
			credentials: { [type]: { id: credential.id, name: credential.name } },
			currentNodeParameters: { authentication, resource: 'file', operation: 'get', driveLocation: 'myDrive', ...params },
		});
	}
	const names = (result) => (result.results || []).map((entry) => String(entry.name));

	it('file picker: lists the drive root (folders marked, files by name)', async () => {
		const listed = names(await search('searchItems'));
		for (const folder of ['Documents', 'Photos', 'Reports', 'Shared stuff & more']) assert.ok(listed.includes(`${FOLDER_MARK}${folder}/`), `no ${folder}/ in ${JSON.stringify(listed)}`);
		assert.ok(listed.includes('hello.txt'), `no hello.txt in ${JSON.stringify(listed)}`);
	});

	it('file picker: "Folder/" opens that folder, values are item IDs', async () => {
		const ctx = getCtx();
		const result = await search('searchItems', { filter: 'Documents/' });
		assert.deepEqual(names(result).sort(), ['Documents/notes.txt', 'Documents/report.xlsx']);
		const driveId = await ctx.driveIdOf(ALICE);
		const notes = await ctx.sandboxItem(driveId, '/Documents/notes.txt');
		assert.equal(result.results.find((entry) => entry.name === 'Documents/notes.txt').value, notes.id);
		// Nested, with characters that need encoding in the path.
		assert.deepEqual(names(await search('searchItems', { filter: "Shared stuff & more/" })), ["Shared stuff & more/it's here.txt"]);
	});

	it('file picker: words search the drive', async () => {
		const listed = names(await search('searchItems', { filter: 'q1' }));
		assert.ok(listed.includes('Reports/2026/q1.csv'), `search "q1" gave ${JSON.stringify(listed)}`);
		assert.ok(!listed.includes('hello.txt'), 'search returned an unrelated file');
	});

	it(`file picker: a folder of ${BULK_COUNT} items pages with paginationToken`, async () => {
		const ctx = getCtx();
		const driveId = await ctx.driveIdOf(ALICE);
		await ctx.sandboxRequest('POST', `/_sandbox/drives/${encodeURIComponent(driveId)}/bulk`, { path: '/Many', count: BULK_COUNT });
		try {
			const first = await search('searchItems', { filter: 'Many/' });
			assert.equal(first.results.length, 1000);
			assert.ok(first.paginationToken, 'no paginationToken after a full page');
			const second = await search('searchItems', { filter: 'Many/', paginationToken: first.paginationToken });
			assert.equal(second.results.length, BULK_COUNT - 1000);
			assert.ok(!second.paginationToken, 'a paginationToken after the last page');
			const all = new Set([...names(first), ...names(second)]);
			assert.equal(all.size, BULK_COUNT, 'pages overlap');
			assert.ok(all.has('Many/item-01005.txt'));
		} finally {
			await ctx.sandboxRequest('DELETE', `/_sandbox/drives/${encodeURIComponent(driveId)}/item?path=${encodeURIComponent('/Many')}`);
		}
	});

	it('folder picker: offers the drive root itself and only folders', async () => {
		const result = await search('searchFolders', { parameter: 'folderId', params: { resource: 'folder', operation: 'listChildren' } });
		const listed = names(result);
		assert.equal(result.results[0].value, 'root');
		assert.ok(listed.every((name) => name.startsWith(FOLDER_MARK)), `a file in the folder picker: ${JSON.stringify(listed)}`);
		assert.ok(listed.includes(`${FOLDER_MARK}Reports/`));
	});

	it('user picker (app-only): lists and filters the directory', async () => {
		const { SEED } = getCtx().seed;
		const params = { driveLocation: 'userDrive' };
		const all = await search('searchUsers', { parameter: 'driveUser', params, authentication: 'clientCredentials' });
		assert.deepEqual(all.results.map((entry) => entry.value).sort(), [SEED.users.alice.id, SEED.users.bob.id].sort());
		const bob = await search('searchUsers', { parameter: 'driveUser', params, authentication: 'clientCredentials', filter: 'bob@' });
		assert.deepEqual(bob.results.map((entry) => entry.value), [SEED.users.bob.id]);
	});

	it('site and library pickers: find the Marketing site and its libraries', async () => {
		const params = { driveLocation: 'siteLibrary' };
		const sites = await search('searchSites', { parameter: 'driveSite', params, filter: 'Marketing' });
		const marketing = sites.results.find((entry) => /Marketing/.test(entry.name));
		assert.ok(marketing, `no Marketing site in ${JSON.stringify(names(sites))}`);
		const libraries = await search('searchLibraries', {
			parameter: 'driveLibrary',
			params: { ...params, driveSite: { __rl: true, mode: 'list', value: marketing.value } },
		});
		assert.deepEqual(names(libraries).sort(), ['Documents', 'Reports']);
	});
}

module.exports = { definePickerTests };
