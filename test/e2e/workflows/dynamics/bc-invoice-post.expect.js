// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE } = require('./support');
const { appOnlyCredential } = require('../resourceCredentials');

/** The app-only credential on the sandbox's Business Central. @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await appOnlyCredential(ctx, 'Sandbox: Microsoft 365 Client Credentials (Contoso Business Central, invoices)', { resource: 'businessCentral', businessCentralUrl: ctx.sandbox.businessCentralUrl });
}

/** The credential this case signs in with (microsoft365ClientCredentialsApi, Resource Business Central, of the sandbox). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	const { SEED } = ctx.seed;
	const app = SEED.apps.singleTenant;
	const name = 'Sandbox: Microsoft 365 Client Credentials (Contoso Business Central, invoices)';
	const data = { cloud: 'custom', customLoginUrl: ctx.sandbox.loginUrl, customGraphUrl: ctx.sandbox.graphUrl, tenant: SEED.tenants.contoso.id, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret, resource: 'businessCentral', businessCentralUrl: ctx.sandbox.businessCentralUrl };
	const created = await ctx.api.createCredential({ name, type: 'microsoft365ClientCredentialsApi', data });
	return { microsoft365ClientCredentialsApi: { id: created.id, name } };
}

/**
 * Real n8n, app-only on Business Central: a draft sales invoice, a line created under it (Parent Document ID), the line
 * updated (the node reads its ETag), the invoice posted with the bound action picked from the list (`post`, sent once),
 * then read back: Open, its total the line's amount; the sandbox saw exactly one POST of Microsoft.NAV.post.
 */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = crypto.randomUUID().slice(0, 8);
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials: await caseCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const [invoice] = result.items('Create Invoice');
		assert.equal(invoice.status, 'Draft');
		assert.equal(invoice.externalDocumentNumber, `E2E-${mark}`);
		const [line] = result.items('Add Line');
		assert.equal(line.documentId, invoice.id);
		assert.equal(result.items('Update Line')[0].amountIncludingTax, 376.5);
		assert.deepEqual(result.items('Post Invoice'), [{ action: 'post', entitySet: 'salesInvoices', id: invoice.id, done: true }]);
		const [posted] = result.items('Get Invoice');
		assert.deepEqual({ id: posted.id, status: posted.status, total: posted.totalAmountIncludingTax }, { id: invoice.id, status: 'Open', total: 376.5 });
		assert.deepEqual(result.items('Get Lines').map((entry) => [entry.id, entry.quantity]), [[line.id, 3]]);
		/** @type {Array<{ method: string, path: string }>} */
		const log = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const actionPosts = log.filter((entry) => entry.method === 'POST' && String(entry.path).endsWith(`/salesInvoices(${invoice.id})/Microsoft.NAV.post`));
		assert.equal(actionPosts.length, 1, JSON.stringify(actionPosts));
	},
};
