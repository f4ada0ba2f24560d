// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, ALICE } = require('./support');

/**
 * Each mode of the file picker as saved in a workflow: From List (an ID the picker stored), By Path, By URL with
 * the file's own `-my.sharepoint.com` address, By URL with a sharing link made in the same run, By ID.
 */
module.exports = {
	requires: [NODE_TYPE],
	async check(ctx, result) {
		const driveId = await ctx.driveIdOf(ALICE);
		const hello = await ctx.sandboxItem(driveId, '/hello.txt');
		const notes = await ctx.sandboxItem(driveId, '/Documents/notes.txt');

		const [fromList] = result.items('From List');
		assert.equal(fromList.id, hello.id);
		assert.equal(fromList.name, 'hello.txt');

		const [byPath] = result.items('By Path');
		assert.equal(byPath.id, notes.id);
		const webUrl = new URL(byPath.webUrl);
		assert.match(webUrl.hostname, /-my\.sharepoint\.com$/, `webUrl is not a OneDrive for Business address: ${byPath.webUrl}`);

		const [byWebUrl] = result.items('By URL (my.sharepoint.com)');
		assert.equal(byWebUrl.id, notes.id);

		const [link] = result.items('Create Sharing Link');
		assert.equal(typeof link.url, 'string');
		assert.notEqual(link.url, byPath.webUrl, 'the sharing link should differ from the item address');
		const [bySharingLink] = result.items('By URL (sharing link)');
		assert.equal(bySharingLink.id, notes.id);

		const [byId] = result.items('By ID');
		assert.equal(byId.id, notes.id);
		assert.equal(byId.path, '/Documents/notes.txt');
	},
};
