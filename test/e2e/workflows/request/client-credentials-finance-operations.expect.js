// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { describeFailure } = require('../../harness');
const { appOnlyCredential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365ClientCredentialsApi of the sandbox). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await appOnlyCredential(ctx, 'Sandbox: Microsoft 365 Client Credentials (Contoso Finance & Operations)', { resource: 'financeOperations', environmentUrl: ctx.sandbox.financeOperationsUrl });
}

/**
 * App-only Finance & Operations: a client-credentials credential with Resource Finance & Operations (the sandbox's
 * environment) signs in at the sandbox's Entra; "Return All Pages" reads the demf customers across companies one page
 * at a time (cross-company=true in every link), then a multipart $batch reads each back by its key; the first part is
 * throttled once inside the batch and sent again alone.
 */
module.exports = {
	requires: ['n8n-nodes-microsoft-365.microsoft365Request'],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		await ctx.sandboxRequest('POST', '/_sandbox/faults', { host: 'financeOperations', path: "DE-001'\\)$", status: 429, retryAfter: '1', times: 1 });
		try {
			const result = await ctx.runWorkflow(workflow, { credentials: await caseCredential(ctx) });
			assert.ok(result.ok, describeFailure(result));
			assert.deepEqual(result.items('German Customers').map((customer) => `${customer.dataAreaId}/${customer.CustomerAccount}`), ['demf/DE-001', 'demf/DE-002']);
			assert.deepEqual(result.items('Read Back').map((customer) => `${customer.CustomerAccount} ${customer.CreditLimit} ${customer.OnHoldStatus}`), ['DE-001 40000 No', 'DE-002 15000 No']);
			const requests = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => r.host === 'financeOperations');
			assert.ok(requests.every((/** @type {any} */ r) => r.hasAuthorization), 'every F&O request carried the token');
			const pages = requests.filter((/** @type {any} */ r) => r.path === '/data/CustomersV3');
			assert.equal(pages.length, 2);
			assert.ok(pages.every((/** @type {any} */ r) => new URLSearchParams(r.query).get('cross-company') === 'true'));
			assert.equal(requests.filter((/** @type {any} */ r) => r.path === '/data/$batch').length, 2, 'the batch, then the throttled part alone');
			assert.deepEqual(
				requests.filter((/** @type {any} */ r) => r.viaBatch).map((/** @type {any} */ r) => `${decodeURIComponent(r.path)} ${r.status}`),
				[
					"/data/CustomersV3(dataAreaId='demf',CustomerAccount='DE-001') 429",
					"/data/CustomersV3(dataAreaId='demf',CustomerAccount='DE-002') 200",
					"/data/CustomersV3(dataAreaId='demf',CustomerAccount='DE-001') 200",
				],
			);
		} finally {
			await ctx.sandboxRequest('DELETE', '/_sandbox/faults');
		}
	},
};
