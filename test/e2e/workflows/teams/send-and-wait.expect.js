// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { waitFor, readExecution } = require('../outlook/support');
const { NODE_TYPE, SALES, ADAPTIVE_CARD, channelMessages } = require('./support');

const WEBHOOK_PATH = 'e2e-teams-approval';
const DEALS = SALES.channels.deals;

/** Status of an execution as n8n's REST API reports it ('waiting', 'success', …). */
async function executionStatus(ctx, id) {
	return (await ctx.api.getExecution(id)).status;
}

/** A request to a link of the card, as a browser or a link preview sends it; returns status, type and text. */
async function open(url, init = {}) {
	const response = await fetch(url, { redirect: 'manual', ...init });
	return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/**
 * sendAndWait inside the n8n server: a webhook starts the workflow, the node posts (as Alice) an Adaptive Card
 * to Contoso Sales / Deals whose Action.OpenUrl buttons are signed links to this execution's waiting URL, and
 * the execution waits. A GET of the Approve link (Teams' link preview, the person clicking) shows a
 * confirmation page and records nothing; the page's form POST resumes the execution with `data.approved === true`.
 */
module.exports = {
	requires: [NODE_TYPE],
	example: { needs: 'press Execute workflow, call its test webhook, then answer the card in Contoso Sales / Deals (docs/development.md)' },
	async run(ctx, workflow) {
		const subject = `E2E Teams approval (n8n ${ctx.line}.x) ${crypto.randomUUID().slice(0, 8)}`;
		const { SEED } = ctx.seed;
		const stored = await ctx.importWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%SUBJECT%%', subject)));
		await ctx.api.activateWorkflow(stored.id);
		try {
			const started = await waitFor('the production webhook', async () => {
				const response = await open(`${ctx.n8n.baseUrl}/webhook/${WEBHOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
				return response.status === 404 ? undefined : response;
			}, 20000, 250);
			assert.equal(started.status, 200, `the webhook answered ${started.status}: ${started.text.slice(0, 500)}`);

			const waiting = await waitFor('the execution to wait for the answer', async () => {
				const executions = await ctx.api.listExecutions(stored.id);
				const failed = executions.find((e) => e.status === 'error' || e.status === 'crashed');
				if (failed) {
					const run = await readExecution(ctx, failed.id);
					throw new Error(`the execution failed: ${JSON.stringify(run.data?.resultData?.error ?? {}).slice(0, 1500)}`);
				}
				return executions.find((e) => e.status === 'waiting');
			}, 30000);
			assert.equal((await ctx.api.listExecutions(stored.id)).length, 1);

			// The card in the channel, posted by Alice: title, question, Approve and Decline buttons.
			const cardOf = (message) => {
				const attachment = (message.attachments ?? []).find((a) => a.contentType === ADAPTIVE_CARD);
				return attachment ? { message, attachment, card: JSON.parse(attachment.content) } : undefined;
			};
			const posted = await waitFor('the approval card in Deals', async () => {
				const messages = await channelMessages(ctx, SALES.id, DEALS.id);
				return messages.map(cardOf).find((found) => found && found.card.body?.[0]?.text === subject);
			}, 10000);
			assert.equal(posted.message.from.user.id, SEED.users.alice.id);
			assert.equal(posted.message.body.contentType, 'html');
			assert.equal(posted.message.body.content, `<attachment id="${posted.attachment.id}"></attachment>`);
			assert.equal(posted.card.type, 'AdaptiveCard');
			assert.equal(posted.card.body[1].text, 'Discount of 15 % for Northwind (deal 2026-42).\nPlease approve or decline.');
			const actions = posted.card.actions ?? [];
			assert.deepEqual(actions.map((action) => [action.type, action.title]), [['Action.OpenUrl', 'Approve'], ['Action.OpenUrl', 'Decline']]);
			const [approve, decline] = actions.map((action) => new URL(action.url));
			for (const [link, answer] of [[approve, 'approve'], [decline, 'decline']]) {
				assert.equal(link.origin, ctx.n8n.baseUrl, `link ${link} is not on n8n`);
				assert.match(link.pathname, new RegExp(`^/webhook-waiting/${waiting.id}/[0-9a-f-]{36}$`), `link ${link} is not this execution's waiting URL of the node`);
				assert.equal(link.searchParams.get('answer'), answer);
				assert.ok(link.searchParams.get('signature'), `link ${link} is not signed`);
			}

			// Opening Approve: the confirmation page with its form; nothing recorded yet.
			const page = await open(approve.toString());
			assert.equal(page.status, 200, page.text.slice(0, 500));
			assert.match(page.type, /^text\/html/);
			assert.match(page.text, new RegExp(`<h2>${subject.replace(/[().]/g, '\\$&')}</h2>`));
			assert.match(page.text, /<form method="POST"><button type="submit">Approve<\/button><\/form>/);
			assert.equal(await executionStatus(ctx, waiting.id), 'waiting', 'a GET of the Approve link answered');

			// The form's POST (same URL, empty urlencoded body) records the answer and resumes the execution.
			const answered = await open(approve.toString(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
			assert.equal(answered.status, 200, answered.text.slice(0, 500));
			assert.match(answered.text, /Your answer was recorded/);
			const finished = await waitFor('the execution to finish', async () => {
				const status = await executionStatus(ctx, waiting.id);
				if (status === 'error' || status === 'crashed') throw new Error(`the resumed execution ended with ${status}`);
				return status === 'success' ? status : undefined;
			}, 30000);
			assert.equal(finished, 'success');
			const run = await readExecution(ctx, waiting.id);
			const [output] = run.items('Ask Deals') ?? [];
			assert.ok(output, `"Ask Deals" has no output: ${JSON.stringify(run.data?.resultData?.runData?.['Ask Deals'] ?? null).slice(0, 800)}`);
			assert.equal(output.json.data.approved, true);
			assert.deepEqual(run.items('Answered')?.map((item) => item.json), [output.json]);
			assert.equal((await ctx.api.listExecutions(stored.id)).length, 1, 'the answer started another execution');
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	},
};
