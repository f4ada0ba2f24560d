// @ts-check
'use strict';
const assert = require('node:assert/strict');

/**
 * App-only Graph: three items become one JSON $batch; Bob's look-up is throttled once inside the batch and sent again
 * alone; the unknown user is an error on its own item only (continue on fail).
 */
module.exports = {
	requires: ['n8n-nodes-microsoft-365.microsoft365Request'],
	async before(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		await ctx.sandboxRequest('POST', '/_sandbox/faults', { path: '^/v1\\.0/users/bob@', status: 429, retryAfter: '1', times: 1 });
	},
	async check(ctx, result) {
		const out = result.items('Look Up');
		assert.equal(out.length, 3, JSON.stringify(out));
		assert.equal(out[0].userPrincipalName, 'alice@contoso.onmicrosoft.com');
		assert.equal(out[1].userPrincipalName, 'bob@contoso.onmicrosoft.com');
		assert.match(String(out[2].error), /does not exist/);
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		assert.equal(requests.filter((r) => r.path === '/v1.0/$batch').length, 2, 'the batch, then Bob alone');
		const bob = requests.filter((r) => r.viaBatch && r.path.startsWith('/v1.0/users/bob@')).map((r) => r.status);
		assert.deepEqual(bob, [429, 200]);
		assert.equal(requests.filter((r) => r.viaBatch && r.path.startsWith('/v1.0/users/alice@')).length, 1, 'Alice was read once');
	},
	async after(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/faults');
	},
};
