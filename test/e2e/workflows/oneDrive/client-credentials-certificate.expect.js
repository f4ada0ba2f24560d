// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, BOB, SEEDED_ROOT } = require('./support');

/**
 * App-only sign-in with the app's certificate (msal-node client assertion inside n8n) reading another
 * user's OneDrive picked by UPN.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const credential = await ctx.createCertificateCredential();
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(workflow, { credentials: { microsoft365ClientCredentialsApi: credential } });
		assert.ok(result.ok, `run failed: ${result.error ? `${result.error.message} ${result.error.description ?? ''}` : result.stderr.slice(-2000)}`);
		assert.deepEqual(result.items("List Bob's Root").map((item) => item.name).sort(), [...SEEDED_ROOT].sort());

		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const tokenCalls = requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path));
		assert.ok(tokenCalls.length >= 1 && tokenCalls.every((r) => r.status === 200), `token calls: ${JSON.stringify(tokenCalls)}`);
		const bobDrive = await ctx.driveIdOf(BOB);
		assert.ok(requests.some((r) => r.path.includes(`/users/${BOB}`) || r.path.includes(bobDrive)), 'Bob\'s drive was never requested');
	},
};
