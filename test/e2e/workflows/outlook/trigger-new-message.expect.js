// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { TRIGGER_TYPE, ALICE, BOB, waitFor, readExecution, mailboxMessages, graphAsApp } = require('./support');

/** n8n polls once at activation and then on its cron; "every minute" is its shortest (it refuses `*` seconds). */
const WAIT_FOR_EXECUTION_MS = 90000;

/** Delta requests of Alice's Inbox the sandbox answered, oldest first. */
async function inboxDeltaCalls(ctx, inboxId) {
	const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
	return requests.filter((r) => r.method === 'GET' && decodeURIComponent(r.path).toLowerCase() === `/v1.0/me/mailfolders/${inboxId.toLowerCase()}/messages/delta`);
}

/**
 * The trigger in an ACTIVE workflow: activation's poll starts the Inbox delta at "now" (nothing older is
 * emitted); two messages Bob sends afterwards come out of the next poll's execution, each exactly once, and the
 * poll after that finds nothing new (no second execution).
 */
module.exports = {
	requires: [TRIGGER_TYPE],
	async run(ctx, workflow) {
		const inboxId = (await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(ALICE)}/folders/inbox`)).id;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		try {
			// The activation poll: delta of the Inbox from now ($filter receivedDateTime ge …), answered 200.
			const [first] = await waitFor('the first delta request', async () => {
				const calls = await inboxDeltaCalls(ctx, inboxId);
				return calls.some((r) => r.status === 200) ? calls : undefined;
			}, 30000).catch(async (error) => {
				const seen = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).map((r) => `${r.method} ${r.path}${r.query} → ${r.status}`);
				throw new Error(`${error.message}; the sandbox saw: ${seen.join(' | ') || 'nothing'}`);
			});
			assert.match(new URLSearchParams(first.query).get('$filter') ?? '', /^receivedDateTime ge \d{4}-\d\d-\d\dT/, `first delta query: ${first.query}`);
			assert.deepEqual(await ctx.api.listExecutions(stored.id), [], 'the activation poll started an execution (it must start from now)');

			const tag = crypto.randomUUID().slice(0, 8);
			const subjects = [`E2E trigger one (n8n ${ctx.line}.x) ${tag}`, `E2E trigger two (n8n ${ctx.line}.x) ${tag}`];
			// Bob mails Alice twice through Graph (as the app): delivered into her Inbox as Exchange delivers mail.
			for (const subject of subjects) {
				await graphAsApp(ctx, 'POST', `/users/${encodeURIComponent(BOB)}/sendMail`, {
					message: { subject, body: { contentType: 'Text', content: `Made for the ${subject}` }, toRecipients: [{ emailAddress: { address: ALICE } }] },
					saveToSentItems: false,
				});
			}
			const seeded = await Promise.all(subjects.map(async (subject) => {
				const [message, ...more] = await mailboxMessages(ctx, ALICE, 'inbox', subject);
				assert.ok(message && more.length === 0, `Alice's Inbox should hold "${subject}" once`);
				return message;
			}));

			const finished = await waitFor('an execution of the trigger workflow', async () => {
				const executions = await ctx.api.listExecutions(stored.id);
				return executions.find((e) => e.status === 'success' || e.status === 'error' || e.finished === true);
			}, WAIT_FOR_EXECUTION_MS, 1000);
			const run = await readExecution(ctx, finished.id);
			assert.equal(finished.status === 'error' ? 'error' : 'success', 'success', `the trigger execution failed: ${JSON.stringify(run.data?.resultData?.error ?? {}).slice(0, 1000)}`);
			const items = run.items('New Message') ?? [];
			assert.deepEqual(items.map((item) => item.json.subject).sort(), [...subjects].sort(), `trigger emitted ${JSON.stringify(items.map((i) => i.json)).slice(0, 1000)}`);
			assert.deepEqual(items.map((item) => item.json.id).sort(), seeded.map((m) => m.id).sort());
			for (const item of items) {
				assert.equal(item.json.folderId, inboxId);
				assert.equal(item.json.from, `Bob O'Brien <${BOB}>`);
				assert.equal(item.json.isRead, false);
			}

			// The poll after that reads the delta from its stored link and emits nothing: still one execution.
			const callsSoFar = (await inboxDeltaCalls(ctx, inboxId)).length;
			await waitFor('the poll after the execution', async () => (await inboxDeltaCalls(ctx, inboxId)).length > callsSoFar, WAIT_FOR_EXECUTION_MS, 1000);
			const later = await inboxDeltaCalls(ctx, inboxId);
			assert.ok(later.every((r) => r.status === 200), `delta answers: ${later.map((r) => r.status).join(', ')}`);
			assert.ok(new URLSearchParams(later[later.length - 1].query).has('$deltatoken'), 'the later poll did not continue from the stored delta link');
			// A moment for n8n to record an execution if that poll had emitted anything.
			await new Promise((resolve) => setTimeout(resolve, 2000));
			const all = await ctx.api.listExecutions(stored.id);
			assert.equal(all.length, 1, `expected one execution, n8n has ${all.length}`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	},
};
