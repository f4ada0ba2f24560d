// @ts-check
'use strict';
/**
 * The OneDrive and Outlook nodes' pickers as the editor drives them: n8n's resource-locator search endpoint with
 * the node's current parameters and the pre-created credentials (n8n loads the node, resolves the credential,
 * our listSearch method calls the sandbox).
 */
const { it } = require('node:test');
const assert = require('node:assert/strict');
const outlook = require('./workflows/outlook/support');
const teams = require('./workflows/teams/support');

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

/**
 * The Outlook node's pickers: mail folders with their paths (nested ones included) and messages found by words.
 * @param {() => any} getCtx the line's environment (set in the describe's before hook)
 */
function defineOutlookPickerTests(getCtx) {
	/** @param {string} methodName @param {{ parameter?: string, filter?: string, params?: Record<string, unknown>, authentication?: string }} [options] */
	async function search(methodName, { parameter = 'folderId', filter, params = {}, authentication = 'oAuth2' } = {}) {
		const ctx = getCtx();
		const type = authentication === 'oAuth2' ? 'microsoft365OAuth2Api' : 'microsoft365ClientCredentialsApi';
		const credential = ctx.credentials[type];
		assert.ok(credential, `credential ${type} was not created (see the earlier test)`);
		return ctx.api.resourceLocatorSearch({
			nodeType: outlook.NODE_TYPE,
			nodeVersion: 1,
			parameter,
			methodName,
			filter,
			credentials: { [type]: { id: credential.id, name: credential.name } },
			currentNodeParameters: { authentication, resource: 'message', operation: 'getAll', mailbox: 'me', ...params },
		});
	}
	const names = (result) => (result.results || []).map((entry) => String(entry.name));
	/** Skips when this package build has no Outlook node (as the workflow cases do with `requires`). */
	async function outlookListed(t) {
		if ((await getCtx().api.nodeTypeNames()).has(outlook.NODE_TYPE)) return true;
		t.skip('Outlook node not in the package');
		return false;
	}
	const NESTED = ['E2E Projects', 'Q3 reports'];
	/** @type {{ parent: string, child: string } | undefined} */
	let nested;
	/** "Inbox/E2E Projects/Q3 reports" in Alice's mailbox (made once per line through Graph as the app). */
	async function nestedFolders() {
		if (!nested) {
			const ctx = getCtx();
			const mailbox = `/users/${encodeURIComponent(outlook.ALICE)}`;
			const parent = await outlook.graphAsApp(ctx, 'POST', `${mailbox}/mailFolders/inbox/childFolders`, { displayName: NESTED[0] });
			const child = await outlook.graphAsApp(ctx, 'POST', `${mailbox}/mailFolders/${encodeURIComponent(parent.id)}/childFolders`, { displayName: NESTED[1] });
			nested = { parent: parent.id, child: child.id };
		}
		return nested;
	}

	it('Outlook folder picker: lists Inbox and a nested folder with its path; typed text filters by path', async (t) => {
		if (!(await outlookListed(t))) return;
		const ctx = getCtx();
		const { parent, child } = await nestedFolders();
		const inbox = await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(outlook.ALICE)}/folders/inbox`);
		const all = await search('searchFolders');
		const byName = new Map(all.results.map((entry) => [String(entry.name), entry.value]));
		assert.equal(byName.get('Inbox'), inbox.id, `the picker listed ${JSON.stringify(names(all))}`);
		for (const folder of ['Drafts', 'Sent Items', 'Deleted Items']) assert.ok(byName.has(folder), `no ${folder} in ${JSON.stringify(names(all))}`);
		assert.equal(byName.get(`Inbox/${NESTED[0]}`), parent);
		assert.equal(byName.get(`Inbox/${NESTED.join('/')}`), child);
		const filtered = await search('searchFolders', { filter: 'q3 REP' });
		assert.deepEqual(filtered.results.map((entry) => [entry.name, entry.value]), [[`Inbox/${NESTED.join('/')}`, child]]);
	});

	it("Outlook folder picker (app-only): follows the chosen mailbox (Bob's has no such folder)", async (t) => {
		if (!(await outlookListed(t))) return;
		await nestedFolders();
		const params = { mailbox: 'user', mailboxUser: { __rl: true, mode: 'id', value: outlook.BOB } };
		const listed = names(await search('searchFolders', { params, authentication: 'clientCredentials' }));
		assert.ok(listed.includes('Inbox'), `Bob's folders: ${JSON.stringify(listed)}`);
		assert.ok(!listed.some((name) => name.includes(NESTED[0])), `Alice's folder in Bob's list: ${JSON.stringify(listed)}`);
	});

	it('Outlook message picker: words find a seeded message (subject, sender, time), values are message IDs', async (t) => {
		if (!(await outlookListed(t))) return;
		const ctx = getCtx();
		const subject = `Quokka invoice ${ctx.line}x`;
		const seeded = await ctx.sandboxRequest('POST', `/_sandbox/outlook/${encodeURIComponent(outlook.ALICE)}/messages`, {
			folder: 'inbox',
			subject,
			body: 'The marsupial accounts are attached.',
			bodyType: 'text',
			from: { name: 'Dana Dobbs', address: 'dana@fabrikam.example' },
			receivedDateTime: '2026-04-01T10:20:00Z',
		});
		const found = await search('searchMessages', { parameter: 'messageId', filter: 'quokka', params: { operation: 'get' } });
		assert.deepEqual(found.results.map((entry) => [entry.name, entry.value]), [[`${subject} — dana@fabrikam.example (2026-04-01 10:20)`, seeded.id]]);
		// Body words count too; a word in no message finds nothing.
		assert.deepEqual((await search('searchMessages', { parameter: 'messageId', filter: 'marsupial', params: { operation: 'get' } })).results.map((entry) => entry.value), [seeded.id]);
		assert.deepEqual((await search('searchMessages', { parameter: 'messageId', filter: 'wombat', params: { operation: 'get' } })).results, []);
		// Without words: newest first, the seeded ones among them.
		const recent = names(await search('searchMessages', { parameter: 'messageId', params: { operation: 'get' } }));
		assert.ok(recent.some((name) => name.startsWith('Welcome to Microsoft 365')), `recent messages: ${JSON.stringify(recent)}`);
	});
}

/**
 * The Teams node's pickers as the editor drives them: Alice's teams, then (the team chosen) its channels, the
 * private Leadership channel included (Alice is its member).
 * @param {() => any} getCtx the line's environment (set in the describe's before hook)
 */
function defineTeamsPickerTests(getCtx) {
	/** @param {string} methodName @param {{ parameter?: string, filter?: string, params?: Record<string, unknown> }} [options] */
	async function search(methodName, { parameter = 'teamId', filter, params = {} } = {}) {
		const ctx = getCtx();
		const credential = ctx.credentials.microsoft365OAuth2Api;
		assert.ok(credential, 'credential microsoft365OAuth2Api was not created (see the earlier test)');
		return ctx.api.resourceLocatorSearch({
			nodeType: teams.NODE_TYPE,
			nodeVersion: 1,
			parameter,
			methodName,
			filter,
			credentials: { microsoft365OAuth2Api: { id: credential.id, name: credential.name } },
			currentNodeParameters: { authentication: 'oAuth2', resource: 'channelMessage', operation: 'send', ...params },
		});
	}
	/** Skips when this package build has no Teams node (as the workflow cases do with `requires`). */
	async function teamsListed(t) {
		if ((await getCtx().api.nodeTypeNames()).has(teams.NODE_TYPE)) return true;
		t.skip('Teams node not in the package');
		return false;
	}

	it("Teams team picker: Alice's teams are Contoso Sales (not Engineering, not Fabrikam's); typed text filters", async (t) => {
		if (!(await teamsListed(t))) return;
		const { SEED } = getCtx().seed;
		const all = await search('searchTeams');
		assert.deepEqual(all.results.map((entry) => [entry.name, entry.value]), [['Contoso Sales', SEED.teams.sales.id]]);
		assert.deepEqual((await search('searchTeams', { filter: 'SALES' })).results.map((entry) => entry.value), [SEED.teams.sales.id]);
		assert.deepEqual((await search('searchTeams', { filter: 'engineering' })).results, []);
	});

	it('Teams channel picker: with Contoso Sales chosen, General, Deals and the private Leadership channel', async (t) => {
		if (!(await teamsListed(t))) return;
		const { SEED } = getCtx().seed;
		const sales = SEED.teams.sales;
		// No team chosen yet: nothing to list (the picker reloads when the team changes).
		assert.deepEqual((await search('searchChannels', { parameter: 'channelId' })).results, []);
		const teamId = { __rl: true, mode: 'list', value: sales.id, cachedResultName: 'Contoso Sales' };
		const channels = await search('searchChannels', { parameter: 'channelId', params: { teamId } });
		const listed = channels.results.map((entry) => [entry.name, entry.value]).sort((a, b) => a[0].localeCompare(b[0]));
		assert.deepEqual(listed, [
			['Deals', sales.channels.deals.id],
			['General', sales.channels.general.id],
			['Leadership (private)', sales.channels.leadership.id],
		]);
		assert.deepEqual((await search('searchChannels', { parameter: 'channelId', params: { teamId }, filter: 'lead' })).results.map((entry) => entry.value), [sales.channels.leadership.id]);
	});
}

module.exports = { definePickerTests, defineOutlookPickerTests, defineTeamsPickerTests };
