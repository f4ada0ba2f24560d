// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { NODE_TYPE, ALICE, BOB, waitFor, readExecution, mailboxMessages, htmlLinks } = require('./support');

const WEBHOOK_PATH = 'e2e-outlook-approval';

/** Status of an execution as n8n's REST API reports it ('waiting', 'success', …). */
async function executionStatus(ctx, id) {
	return (await ctx.api.getExecution(id)).status;
}

/** A request to a link of the mail, as a browser or a mail scanner sends it; returns status, type and text. */
async function open(url, init = {}) {
	const response = await fetch(url, { redirect: 'manual', ...init });
	return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** The approval page's form submission: `<form method="POST">` without fields posts an empty urlencoded body to the page's URL. */
function postForm(url) {
	return open(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
}

/**
 * sendAndWait inside the n8n server: a webhook starts the workflow, the node mails Bob the question with
 * signed links to this execution's waiting URL and the execution waits. A GET of a link (mail scanners,
 * previews, the person clicking) only shows a confirmation page; the page's form POST resumes the execution
 * with `{ data: { approved: true } }`. A second POST changes nothing; a link with a changed answer is refused.
 */
module.exports = {
	requires: [NODE_TYPE],
	example: { needs: "press Execute workflow, call its test webhook, then answer the mail in Bob's Inbox (docs/development.md)" },
	async run(ctx, workflow) {
		const subject = `E2E approval (n8n ${ctx.line}.x) ${crypto.randomUUID().slice(0, 8)}`;
		const stored = await ctx.importWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%SUBJECT%%', subject)));
		await ctx.api.activateWorkflow(stored.id);
		try {
			// n8n registers the production webhook shortly after activation; the first call that lands starts the run.
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

			// The question in Bob's Inbox, from Alice, with an Approve and a Decline link.
			const [question] = await waitFor("the question in Bob's Inbox", () => mailboxMessages(ctx, BOB, 'inbox', subject).then((list) => (list.length ? list : undefined)), 10000);
			assert.equal(question.from.emailAddress.address, ALICE);
			assert.equal(question.body.contentType, 'html');
			assert.match(question.body.content, /Invoice 2026-113 \(1,250\.00 EUR\) from Northwind\.<br>Please approve or decline\./);
			const links = htmlLinks(question.body.content);
			assert.deepEqual(links.map((link) => link.text), ['Approve', 'Decline']);
			const [approve, decline] = links.map((link) => new URL(link.url));
			for (const [link, answer] of [[approve, 'approve'], [decline, 'decline']]) {
				assert.equal(link.origin, ctx.n8n.baseUrl, `link ${link} is not on n8n`);
				assert.match(link.pathname, new RegExp(`^/webhook-waiting/${waiting.id}/[0-9a-f-]{36}$`), `link ${link} is not this execution's waiting URL of the node`);
				assert.equal(link.searchParams.get('answer'), answer);
				assert.ok(link.searchParams.get('signature'), `link ${link} is not signed`);
			}

			// A scanner opening the Decline link: a page, no answer; the execution still waits.
			const scanned = await open(decline.toString(), { headers: { 'user-agent': 'Mozilla/5.0 (compatible; SafeLinks scanner)' } });
			assert.equal(scanned.status, 200, scanned.text.slice(0, 500));
			assert.match(scanned.type, /^text\/html/);
			assert.match(scanned.text, /<form method="POST">[\s\S]*Decline<\/button>/);
			assert.equal(await executionStatus(ctx, waiting.id), 'waiting', 'a GET of the Decline link answered');

			// A link whose answer was changed after signing is refused and records nothing.
			const forged = new URL(decline);
			forged.searchParams.set('answer', 'approve');
			const refused = await postForm(forged.toString());
			assert.equal(refused.status, 401, `a forged link answered ${refused.status}: ${refused.text.slice(0, 300)}`);
			assert.equal(await executionStatus(ctx, waiting.id), 'waiting', 'a forged link answered');

			// Bob clicks Approve: the confirmation page with its form; still nothing recorded.
			const page = await open(approve.toString());
			assert.equal(page.status, 200, page.text.slice(0, 500));
			assert.match(page.type, /^text\/html/);
			assert.match(page.text, new RegExp(`<h2>${subject.replace(/[().]/g, '\\$&')}</h2>`));
			assert.match(page.text, /<form method="POST"><button type="submit">Approve<\/button><\/form>/);
			assert.equal(await executionStatus(ctx, waiting.id), 'waiting', 'a GET of the Approve link answered');

			// The form's POST (same URL) records the answer and resumes the execution.
			const answered = await postForm(approve.toString());
			assert.equal(answered.status, 200, answered.text.slice(0, 500));
			assert.match(answered.type, /^text\/html/);
			assert.match(answered.text, /Your answer was recorded/);
			const finished = await waitFor('the execution to finish', async () => {
				const status = await executionStatus(ctx, waiting.id);
				if (status === 'error' || status === 'crashed') throw new Error(`the resumed execution ended with ${status}`);
				return status === 'success' ? status : undefined;
			}, 30000);
			assert.equal(finished, 'success');
			const run = await readExecution(ctx, waiting.id);
			const [output] = run.items('Ask Bob') ?? [];
			assert.ok(output, `"Ask Bob" has no output: ${JSON.stringify(run.data?.resultData?.runData?.['Ask Bob'] ?? null).slice(0, 800)}`);
			assert.equal(output.json.data.approved, true);
			assert.ok(Number.isFinite(Date.parse(output.json.data.answeredAt)), `answeredAt: ${output.json.data.answeredAt}`);
			assert.deepEqual(run.items('Answered')?.map((item) => item.json), [output.json]);
			const stoppedAt = run.execution.stoppedAt;

			// A second POST (a double click, a second person) changes nothing.
			const again = await postForm(approve.toString());
			const late = await postForm(decline.toString());
			// n8n answers itself now (the node is no longer asked): its "No action required" page for a finished sendAndWait.
			for (const [what, response] of [['a second POST', again], ['a later Decline POST', late]]) {
				assert.doesNotMatch(response.text, /Your answer was recorded/, `${what} was recorded: ${response.status} ${response.text.slice(0, 300)}`);
				assert.equal(response.status, 200, `${what}: ${response.text.slice(0, 300)}`);
				assert.match(response.text, /<title>No action required<\/title>/, `${what}: ${response.text.slice(0, 300)}`);
			}
			const after = await readExecution(ctx, waiting.id);
			assert.equal(after.execution.status, 'success');
			assert.equal(after.execution.stoppedAt, stoppedAt);
			assert.deepEqual(after.items('Ask Bob')?.map((item) => item.json), [output.json]);
			assert.equal((await ctx.api.listExecutions(stored.id)).length, 1, 'an answer started another execution');
			const title = (text) => text.match(/<title>([^<]*)<\/title>/)?.[1];
			console.log(`n8n ${ctx.line}.x: a second POST of Approve → ${again.status} ${again.type} "${title(again.text)}"; a later Decline POST → ${late.status} "${title(late.text)}"`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	},
};
