// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, SEEDED_ROOT } = require('./support');

/**
 * A single 429 from Entra's token endpoint (AADSTS90055 TenantThrottlingError, Retry-After: 1) during an
 * app-only sign-in inside `n8n execute` is waited out and retried, not reported as a bad secret.
 */
module.exports = {
	requires: [NODE_TYPE],
	async before(ctx) {
		// Revoked tokens make the run sign in again (401 → preAuthentication → msal-node) and meet the fault.
		await ctx.sandboxRequest('POST', '/_sandbox/revoke-tokens');
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		await ctx.sandboxRequest('POST', '/_sandbox/token-faults', { aadsts: 90055, retryAfter: '1', times: 1 });
	},
	async check(ctx, result) {
		assert.deepEqual(result.items("List Bob's Root").map((item) => item.name).sort(), [...SEEDED_ROOT].sort());
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const tokenCalls = requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path));
		assert.deepEqual(tokenCalls.map((r) => r.status), [429, 200], `token calls: ${JSON.stringify(tokenCalls)}`);
	},
};
