// @ts-check
'use strict';
const assert = require('node:assert/strict');

/**
 * Delegated OAuth2 with refresh: the sandbox answers the first /me with 401 InvalidAuthenticationToken, n8n
 * must redeem the stored refresh token at the sandbox's token endpoint and retry with the new access token.
 */
module.exports = {
	async before(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		await ctx.sandboxRequest('POST', '/_sandbox/faults', {
			method: 'GET',
			path: '^/v1\\.0/me$',
			status: 401,
			code: 'InvalidAuthenticationToken',
			message: 'Access token has expired or is not yet valid.',
			times: 1,
		});
	},
	async check(ctx, result) {
		const [me] = result.items('Get Me');
		assert.equal(me.userPrincipalName, ctx.seed.SEED.users.alice.userPrincipalName);
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const tokenCalls = requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path) && r.status === 200);
		assert.ok(tokenCalls.length >= 1, `expected n8n to redeem the refresh token, sandbox saw: ${JSON.stringify(requests.map((r) => `${r.method} ${r.path} ${r.status}`))}`);
		const meCalls = requests.filter((r) => r.method === 'GET' && r.path === '/v1.0/me').map((r) => r.status);
		assert.deepEqual(meCalls, [401, 200]);
	},
	async after(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/faults');
	},
};
