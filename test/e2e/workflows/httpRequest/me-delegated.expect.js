// @ts-check
'use strict';
const assert = require('node:assert/strict');

/** The delegated token n8n obtained through the OAuth2 flow is the signed-in user's (the sandbox signs in Alice). */
module.exports = {
	async check(ctx, result) {
		const [me] = result.items('Get Me');
		assert.equal(me.userPrincipalName, ctx.seed.SEED.users.alice.userPrincipalName);
		assert.equal(me.id, ctx.seed.SEED.users.alice.id);
	},
};
