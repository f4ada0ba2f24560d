// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { describeFailure } = require('../../harness');
const { tenantOAuth2Credential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365TenantOAuth2Api of the sandbox, connected through n8n's OAuth2 flow). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await tenantOAuth2Credential(ctx, 'Sandbox: Microsoft 365 Tenant OAuth2 (Contoso Dataverse)', { resource: 'dataverse', environmentUrl: ctx.sandbox.dataverseUrl, scopeStyle: 'userImpersonation' });
}

/**
 * Tenant-specific OAuth2 on Dataverse: a credential with Resource Dataverse (the sandbox's environment) is created and
 * connected through n8n's real OAuth2 flow, then WhoAmI answers for the signed-in user and "Up to a Limit" reads 7
 * accounts over pages of 3 (three requests).
 */
module.exports = {
	requires: ['n8n-nodes-microsoft-365.microsoft365Request'],
	// npm run dev: the example runs with the same credential.
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(workflow, { credentials: await caseCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const [me] = result.items('Who Am I');
		assert.equal(me.OrganizationId, ctx.sandbox.dataverse.environment.organizationId);
		assert.match(String(me.UserId), /^[0-9a-f-]{36}$/);
		const accounts = result.items('Accounts');
		assert.equal(accounts.length, 7);
		assert.ok(accounts.every((account) => typeof account.name === 'string'));
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const dataverse = requests.filter((r) => r.host === 'dataverse');
		assert.deepEqual(dataverse.map((r) => `${r.path} ${r.status} ${r.hasAuthorization}`), [
			'/api/data/v9.2/WhoAmI 200 true',
			'/api/data/v9.2/accounts 200 true',
			'/api/data/v9.2/accounts 200 true',
			'/api/data/v9.2/accounts 200 true',
		]);
	},
};
