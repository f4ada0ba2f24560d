// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, ALICE } = require('./support');

/**
 * The hardening issue's exploit in real n8n: a Site ID of ".." (here from an expression, as from `$json`)
 * would have turned `/sites/../drive/root:/hello.txt` into the user's own OneDrive and deleted that file.
 * The run fails naming "Site", and nothing reaches the sandbox.
 */
module.exports = {
	requires: [NODE_TYPE],
	expectFailure: true,
	async before(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
	},
	async check(ctx, result) {
		assert.ok(result.error, 'n8n reported no error for the run');
		assert.equal(result.error.node, 'Delete Via Site');
		assert.match(result.error.message, /"Site" is or contains "\.\."/);
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		assert.deepEqual(requests.filter((r) => r.path.startsWith('/v1.0/')), [], 'a request reached Graph');
		// Throws (404) when Alice's /hello.txt is gone.
		assert.equal((await ctx.sandboxItem(await ctx.driveIdOf(ALICE), '/hello.txt')).name, 'hello.txt');
	},
};
