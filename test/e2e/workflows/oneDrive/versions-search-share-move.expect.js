// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365OneDrive';
const ALICE = 'alice@contoso.onmicrosoft.com';

/**
 * One execution through the OneDrive operations the other cases leave out (Alice, delegated): a file uploaded
 * twice under one name (replace) has two versions, newest first; Search finds it by words (files only), Search
 * Folders finds the new folder (folders only); sharing links for both (view / edit, organisation); Get; rename and
 * move of the file into the folder, then of the folder into /Documents (the file goes along); both deleted, and the
 * sandbox no longer has them.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const token = crypto.randomUUID().slice(0, 8);
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%TOKEN%%', token)));
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};
		const name = `quarterly ${token}.txt`;
		const [v1, v2] = [one('Upload v1'), one('Upload v2')];
		assert.equal(v2.id, v1.id, 'the second upload replaced the first (same item)');
		assert.deepEqual([v1.size, v2.size], [12, 20]);
		assert.deepEqual(result.items('List Versions').map((v) => [v.id, v.size, v.itemId]), [['2.0', 20, v1.id], ['1.0', 12, v1.id]]);

		assert.deepEqual(result.items('Search Files').map((item) => [item.id, item.name, item.type]), [[v1.id, name, 'file']]);
		const folder = one('Create Folder');
		assert.deepEqual(result.items('Search Folders').map((item) => [item.id, item.type]), [[folder.id, 'folder']]);

		const fileLink = one('Share File');
		assert.deepEqual([fileLink.itemId, fileLink.link.type, fileLink.link.scope, fileLink.roles], [v1.id, 'view', 'organization', ['read']]);
		assert.match(fileLink.url, /^https:\/\/contoso-my\.sharepoint\.com\/:t:\//);
		const folderLink = one('Share Folder');
		assert.deepEqual([folderLink.itemId, folderLink.link.type, folderLink.roles], [folder.id, 'edit', ['write']]);
		assert.match(folderLink.url, /^https:\/\/contoso-my\.sharepoint\.com\/:f:\//);

		assert.deepEqual([one('Get File').name, one('Get File').path], [name, `/Documents/${name}`]);
		assert.equal(one('Rename File').path, `/Documents/quarterly ${token} final.txt`);
		const movedFile = one('Move File');
		assert.deepEqual([movedFile.id, movedFile.parentId, movedFile.path], [v1.id, folder.id, `/Archive ${token}/quarterly ${token} final.txt`]);
		assert.equal(one('Rename Folder').path, `/Archive ${token} 2026`);
		assert.equal(one('Move Folder').path, `/Documents/Archive ${token} 2026`);
		assert.deepEqual(result.items('List Moved Folder').map((item) => item.path), [`/Documents/Archive ${token} 2026/quarterly ${token} final.txt`]);
		assert.deepEqual(one('Delete File'), { deleted: true, id: v1.id });
		assert.deepEqual(one('Delete Folder'), { deleted: true, id: folder.id });

		// Graph saw one search per resource with the words OData-quoted, and the sandbox holds neither item now.
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const searches = requests.filter((/** @type {any} */ r) => /\/root\/search\(q=/.test(r.path)).map((/** @type {any} */ r) => decodeURIComponent(r.path.replace(/^.*search\(q=/, '')));
		assert.deepEqual(searches, [`'quarterly ${token}')`, `'Archive ${token}')`]);
		const driveId = await ctx.driveIdOf(ALICE);
		await assert.rejects(ctx.sandboxItem(driveId, `/Documents/Archive ${token} 2026`), /404/);
		await assert.rejects(ctx.sandboxItem(driveId, `/Documents/${name}`), /404/);
	},
};
