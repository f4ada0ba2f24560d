// @ts-check
'use strict';
/**
 * Credentials the Dynamics and Request cases sign in with to a non-Graph resource of the sandbox (Dataverse, Finance &
 * Operations, Business Central): app-only with Contoso's single-tenant app and its secret, or tenant OAuth2 with the
 * multi-tenant app, connected through n8n's real OAuth2 flow. `resource` is the credential's resource fields, e.g.
 * `{ resource: 'businessCentral', businessCentralUrl: ctx.sandbox.businessCentralUrl }`.
 */

/** @param {any} ctx @param {any} app */
function cloudOf(ctx, app) {
	const { SEED } = ctx.seed;
	return { cloud: 'custom', customLoginUrl: ctx.sandbox.loginUrl, customGraphUrl: ctx.sandbox.graphUrl, tenant: SEED.tenants.contoso.id, clientId: app.clientId, clientSecret: app.secret };
}

/**
 * @param {any} ctx @param {string} name @param {Record<string, string>} resource
 * @returns {Promise<{ microsoft365ClientCredentialsApi: { id: string, name: string } }>}
 */
async function appOnlyCredential(ctx, name, resource) {
	const data = { ...cloudOf(ctx, ctx.seed.SEED.apps.singleTenant), authMethod: 'secret', ...resource };
	const created = await ctx.api.createCredential({ name, type: 'microsoft365ClientCredentialsApi', data });
	return { microsoft365ClientCredentialsApi: { id: created.id, name } };
}

/**
 * @param {any} ctx @param {string} name @param {Record<string, string>} resource
 * @returns {Promise<{ microsoft365TenantOAuth2Api: { id: string, name: string } }>}
 */
async function tenantOAuth2Credential(ctx, name, resource) {
	const data = { ...cloudOf(ctx, ctx.seed.SEED.apps.multiTenant), ...resource };
	const created = await ctx.api.createCredential({ name, type: 'microsoft365TenantOAuth2Api', data });
	const connected = await ctx.api.connectOAuth2(created.id);
	if (!connected.connected) throw new Error(`OAuth2 connect failed: ${connected.failure}`);
	return { microsoft365TenantOAuth2Api: { id: created.id, name } };
}

module.exports = { appOnlyCredential, tenantOAuth2Credential };
