// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, ALICE } = require('./support');

/** Nested folder creation, copy into it (copy monitor), listing children by path, recursive delete. */
module.exports = {
	requires: [NODE_TYPE],
	async check(ctx, result) {
		const driveId = await ctx.driveIdOf(ALICE);
		const [created] = result.items('Create Nested');
		assert.equal(created.name, 'b');
		assert.equal(created.path, '/E2E Run/a/b');
		assert.equal(created.type, 'folder');

		const hello = await ctx.sandboxItem(driveId, '/hello.txt');
		const [copy] = result.items('Copy Hello');
		assert.equal(copy.name, 'hello copy.txt');
		assert.equal(copy.parentId, created.id);
		assert.equal(copy.size, hello.size);
		assert.notEqual(copy.id, hello.id);

		assert.deepEqual(result.items('List a-b').map((item) => item.name), ['hello copy.txt']);
		assert.deepEqual(result.items('List a').map((item) => [item.name, item.type]), [['b', 'folder']]);

		const [deleted] = result.items('Delete Folder');
		assert.equal(deleted.deleted, true);
		await assert.rejects(ctx.sandboxItem(driveId, '/E2E Run'), /404/, 'the folder is still there after Delete');
		assert.equal((await ctx.sandboxItem(driveId, '/hello.txt')).id, hello.id, 'the copy source must stay');
	},
};
