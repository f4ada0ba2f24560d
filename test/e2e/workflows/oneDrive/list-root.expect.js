// @ts-check
'use strict';
const assert = require('node:assert/strict');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365OneDrive';
/** What the sandbox seeds into every user's OneDrive root (test/sandbox/graph/drives-seed.js). */
const SEEDED_ROOT = ['Documents', 'Photos', 'Reports', 'Shared stuff & more', 'hello.txt'];

/**
 * Listing the root through the installed node, then the file picker's first page as the editor asks for it
 * (resource-locator search endpoint, list mode, no filter).
 */
module.exports = {
	requires: [NODE_TYPE],
	async check(ctx, result) {
		const names = result.items('List Root').map((item) => item.name).sort();
		assert.deepEqual(names, [...SEEDED_ROOT].sort());

		const picker = await ctx.api.resourceLocatorSearch({
			nodeType: NODE_TYPE,
			nodeVersion: 1,
			parameter: 'folderId',
			methodName: 'searchFolders',
			credentials: { microsoft365OAuth2Api: { id: ctx.credentials.microsoft365OAuth2Api.id, name: ctx.credentials.microsoft365OAuth2Api.name } },
			currentNodeParameters: { authentication: 'oAuth2', resource: 'folder', operation: 'listChildren', driveLocation: 'myDrive' },
		});
		const listed = (picker.results || []).map((entry) => String(entry.name));
		for (const folder of ['Documents', 'Photos', 'Reports']) {
			assert.ok(listed.some((name) => name.includes(folder)), `picker did not list folder ${folder}: ${JSON.stringify(listed)}`);
		}
	},
};
