// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, BOB, SEEDED_ROOT } = require('./support');

/**
 * App-only sign-in with the app's certificate (msal-node client assertion inside n8n; the credential has no
 * secret at all) reading another user's OneDrive picked by UPN.
 */
module.exports = {
	requires: [NODE_TYPE],
	/** Client-credentials nodes use the certificate credential (also in `npm run dev`). */
	certificateCredential: true,
	async before(ctx) {
		// n8n keeps the token the credential test fetched; revoking it makes the run sign in again (401 →
		// preAuthentication → msal-node with the certificate) inside `n8n execute`.
		await ctx.sandboxRequest('POST', '/_sandbox/revoke-tokens');
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
	},
	async check(ctx, result) {
		assert.deepEqual(result.items("List Bob's Root").map((item) => item.name).sort(), [...SEEDED_ROOT].sort());

		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const tokenCalls = requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path));
		assert.ok(tokenCalls.length >= 1 && tokenCalls.at(-1).status === 200, `token calls: ${JSON.stringify(tokenCalls)}`);
		// Bob's drive, by UPN, object ID or drive ID (the root names alone are the same in every seeded drive).
		const bobMarks = [BOB, ctx.seed.SEED.users.bob.id, await ctx.driveIdOf(BOB)];
		const graphPaths = requests.filter((r) => r.path.startsWith('/v1.0/')).map((r) => decodeURIComponent(r.path));
		assert.ok(graphPaths.some((p) => bobMarks.some((mark) => p.includes(mark))), `Bob's drive was never requested: ${JSON.stringify(graphPaths)}`);
		assert.ok(!graphPaths.some((p) => p.startsWith('/v1.0/me')), 'app-only must not call /me');
	},
};
