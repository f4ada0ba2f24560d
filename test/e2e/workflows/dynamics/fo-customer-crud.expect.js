// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE } = require('./support');
const { appOnlyCredential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365ClientCredentialsApi of the sandbox). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await appOnlyCredential(ctx, 'Sandbox: Microsoft 365 Client Credentials (Contoso F&O)', { resource: 'financeOperations', environmentUrl: ctx.sandbox.financeOperationsUrl });
}

/** Real n8n, app-only on Finance & Operations: a customer of company demf created, read by its key fields, updated with its ETag, found by a quoted condition, deleted. */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = crypto.randomUUID().slice(0, 8);
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials: await caseCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const [made] = result.items('Create Customer');
		assert.deepEqual({ account: made.CustomerAccount, company: made.dataAreaId }, { account: `E2E-${mark}`, company: 'demf' });
		const [read] = result.items('Get Customer');
		assert.equal(read.OrganizationName, `E2E O'Neil ${mark}`);
		const found = result.items('Find Customer');
		assert.deepEqual(found, [{ CustomerAccount: `E2E-${mark}`, OrganizationName: `E2E renamed ${mark}`, dataAreaId: 'demf', '@odata.etag': found[0]['@odata.etag'] }]);
		assert.deepEqual(result.items('Delete Customer'), [{ deleted: true }]);
	},
};
