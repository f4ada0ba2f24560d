// @ts-check
'use strict';
/** What the Dynamics cases share: the node types and an app-only credential on the sandbox's Dataverse environment. */

const { waitFor } = require('../../executions');
const { appOnlyCredential } = require('../resourceCredentials');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365Dynamics';
const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365DynamicsTrigger';
const CREDENTIAL_NAME = 'Sandbox: Microsoft 365 Client Credentials (Contoso Dataverse)';

/**
 * The client-credentials credential with Resource Dataverse (created once per line).
 * @param {any} ctx
 * @returns {Promise<{ microsoft365ClientCredentialsApi: { id: string, name: string } }>}
 */
async function dataverseCredential(ctx) {
	if (!ctx.dataverseAppCredential) {
		const credentials = await appOnlyCredential(ctx, CREDENTIAL_NAME, { resource: 'dataverse', environmentUrl: ctx.sandbox.dataverseUrl });
		ctx.dataverseAppCredential = credentials.microsoft365ClientCredentialsApi;
	}
	return { microsoft365ClientCredentialsApi: ctx.dataverseAppCredential };
}


module.exports = { NODE_TYPE, TRIGGER_TYPE, dataverseCredential, waitFor };
