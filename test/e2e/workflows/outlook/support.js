// @ts-check
'use strict';
/** Shared by the Outlook workflow cases and the Outlook picker tests (not a case itself: only `*.json` files are cases). */
const { waitFor, parseRunData, readExecution } = require('../../executions');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365Outlook';
const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365OutlookTrigger';
const ALICE = 'alice@contoso.onmicrosoft.com';
const BOB = 'bob@contoso.onmicrosoft.com';

/** Messages of a sandbox mailbox folder with exactly this subject (control route, no token). */
async function mailboxMessages(ctx, mailbox, folder, subject) {
	const query = new URLSearchParams({ folder, ...(subject === undefined ? {} : { subject }) });
	return ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(mailbox)}/messages?${query}`);
}

/**
 * A Graph call as the Contoso app (token minted by the in-process sandbox, every Mail role), for setting up
 * what has no control route (e.g. nested mail folders). Returns the parsed body; throws on a failure status.
 */
async function graphAsApp(ctx, method, urlPath, body) {
	const { SEED } = ctx.seed;
	const token = ctx.sandbox.issueToken({ tenant: SEED.tenants.contoso.id, appId: SEED.apps.singleTenant.clientId, roles: ['Mail.ReadWrite', 'Mail.Send'], lifetimeSeconds: 600 });
	const response = await fetch(`${ctx.sandbox.graphUrl}/v1.0${urlPath}`, {
		method,
		headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`Graph ${method} ${urlPath} → ${response.status}: ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** The `href`s of an HTML body's links with their text, entities decoded. */
function htmlLinks(html) {
	const decode = (text) => text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
	return [...String(html).matchAll(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)].map((match) => ({ url: decode(match[1]), text: decode(match[2].replace(/<[^>]*>/g, '').trim()) }));
}

module.exports = { NODE_TYPE, TRIGGER_TYPE, ALICE, BOB, waitFor, parseRunData, readExecution, mailboxMessages, graphAsApp, htmlLinks };
