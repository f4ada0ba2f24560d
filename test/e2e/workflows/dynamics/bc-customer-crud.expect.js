// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE } = require('./support');
const { appOnlyCredential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365ClientCredentialsApi of the sandbox). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await appOnlyCredential(ctx, 'Sandbox: Microsoft 365 Client Credentials (Contoso Business Central)', { resource: 'businessCentral', businessCentralUrl: ctx.sandbox.businessCentralUrl });
}

/** Real n8n, app-only on Business Central: a customer created, updated (the node reads the ETag and sends If-Match), read, found by a filter, deleted. */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = crypto.randomUUID().slice(0, 8);
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials: await caseCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const [made] = result.items('Create Customer');
		assert.match(String(made.id), /^[0-9a-f-]{36}$/);
		const [updated] = result.items('Update Customer');
		assert.equal(updated.email, `e2e-${mark}@example.com`);
		const [read] = result.items('Get Customer');
		assert.deepEqual({ id: read.id, name: read.displayName, email: read.email }, { id: made.id, name: `E2E Bikes ${mark}`, email: `e2e-${mark}@example.com` });
		assert.deepEqual(result.items('Find Customer').map((item) => item.id), [made.id]);
		assert.deepEqual(result.items('Delete Customer'), [{ deleted: true }]);
	},
};
