// @ts-check
'use strict';
/**
 * The Teams operations beyond the credential's *Teams* service (creating and managing teams, channels and members,
 * reading and editing channel posts, online meetings) need further delegated permissions under *Additional Scopes*,
 * as the README says. This creates (once per n8n line) a delegated credential that asks for them and connects it
 * through n8n's OAuth2 flow, as a user would. Not a case itself: only `*.json` files are cases.
 */
const TEAMS_EXTRA_SCOPES = [
	'Team.Create',
	'TeamSettings.ReadWrite.All',
	'Channel.Create',
	'ChannelSettings.ReadWrite.All',
	'Channel.Delete.All',
	'TeamMember.ReadWrite.All',
	'ChannelMessage.Read.All',
	'ChannelMessage.ReadWrite',
	'OnlineMeetings.ReadWrite',
].join(' ');

const NAME = 'Sandbox: Microsoft 365 OAuth2 with Teams management scopes (Contoso)';

/**
 * Runs `call` again once when the kept-alive connection it reused was already closed by the server (undici:
 * "other side closed" / ECONNRESET; seen on the sandbox's control routes under load). The request never reached
 * the server then, so repeating it does not do anything twice. (n8n's REST calls retry the same way in n8nApi.js.)
 * @template T @param {() => Promise<T>} call @returns {Promise<T>}
 */
async function retryClosedSocket(call) {
	try {
		return await call();
	} catch (error) {
		const code = /** @type {any} */ (error)?.cause?.code;
		if (code !== 'UND_ERR_SOCKET' && code !== 'ECONNRESET') throw error;
		return call();
	}
}

/** @returns {Promise<{ microsoft365OAuth2Api: { id: string, name: string, type: string, data: any } }>} the credentials override for runWorkflow */
async function teamsManagementCredential(ctx) {
	if (!ctx.teamsManagementCredential) {
		const type = 'microsoft365OAuth2Api';
		const data = { ...ctx.credentialData()[type], additionalScopes: TEAMS_EXTRA_SCOPES };
		const created = await ctx.api.createCredential({ name: NAME, type, data });
		const flow = await ctx.api.connectOAuth2(created.id);
		if (!flow.connected) throw new Error(`connecting "${NAME}" failed: ${flow.failure}`);
		ctx.teamsManagementCredential = { id: created.id, name: NAME, type, data };
	}
	return { microsoft365OAuth2Api: ctx.teamsManagementCredential };
}

module.exports = { teamsManagementCredential, retryClosedSocket, TEAMS_EXTRA_SCOPES };
