// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { describeFailure } = require('../../harness');
const { tenantOAuth2Credential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365TenantOAuth2Api of the sandbox, connected through n8n's OAuth2 flow). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await tenantOAuth2Credential(ctx, 'Sandbox: Microsoft 365 Tenant OAuth2 (Contoso Business Central)', { resource: 'businessCentral', businessCentralUrl: ctx.sandbox.businessCentralUrl, scopeStyle: 'default' });
}

/**
 * Tenant-specific OAuth2 on Business Central: a credential with Resource Business Central and the custom cloud's
 * Business Central API URL (the sandbox's) is connected through n8n's real OAuth2 flow (scope
 * `{Business Central API URL}/.default offline_access`); the company is found by name, its customers are read two a
 * page, and each customer's phone number is updated in one JSON $batch, every PATCH with that customer's ETag as
 * If-Match.
 */
module.exports = {
	requires: ['n8n-nodes-microsoft-365.microsoft365Request'],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(workflow, { credentials: await caseCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const [company] = result.items('Company');
		assert.equal(company.name, 'CRONUS USA, Inc.');
		const customers = result.items('Customers');
		assert.deepEqual(customers.map((customer) => customer.number), ['10000', '20000', '30000', '40000', '50000']);
		const updated = result.items('Update Phones');
		assert.deepEqual(updated.map((customer) => `${customer.number} ${customer.phoneNumber}`), ['10000 555-0100', '20000 555-0200', '30000 555-0300', '40000 555-0400', '50000 555-0500']);
		const stored = ctx.sandbox.businessCentral.records(ctx.sandbox.businessCentral.company('Production', 'CRONUS USA, Inc.'), 'customers');
		assert.deepEqual(stored.slice(0, 5).map((/** @type {any} */ customer) => customer.phoneNumber), ['555-0100', '555-0200', '555-0300', '555-0400', '555-0500']);

		const requests = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => r.host === 'businessCentral');
		assert.ok(requests.every((/** @type {any} */ r) => r.hasAuthorization && r.status < 400), JSON.stringify(requests));
		const root = `/v2.0/contoso.onmicrosoft.com/Production/api/v2.0`;
		assert.deepEqual(requests.filter((/** @type {any} */ r) => !r.viaBatch).map((/** @type {any} */ r) => r.path), [
			`${root}/companies`,
			`${root}/companies(${company.id})/customers`,
			`${root}/companies(${company.id})/customers`,
			`${root}/companies(${company.id})/customers`,
			`${root}/$batch`,
		]);
		assert.deepEqual(requests.filter((/** @type {any} */ r) => r.viaBatch).map((/** @type {any} */ r) => `${r.method} ${r.status}`), Array(5).fill('PATCH 200'));
	},
};
