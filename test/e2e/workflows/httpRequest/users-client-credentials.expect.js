// @ts-check
'use strict';
const assert = require('node:assert/strict');

/** App-only token from msal-node (the credential's preAuthentication) lists the Contoso directory's users. */
module.exports = {
	async check(ctx, result) {
		const [page] = result.items('List Users');
		assert.ok(Array.isArray(page.value), `expected a Graph collection, got ${JSON.stringify(page).slice(0, 300)}`);
		const names = page.value.map((user) => user.userPrincipalName).sort();
		const { SEED } = ctx.seed;
		assert.deepEqual(names, [SEED.users.alice.userPrincipalName, SEED.users.bob.userPrincipalName].sort());
	},
};
