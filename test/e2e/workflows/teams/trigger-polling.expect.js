// @ts-check
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { SALES } = require('./support');
const { SEED } = require('../../../sandbox/seed');
const { RUNTIME_DIR } = require('../../../../scripts/lib/runtime');

const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365TeamsPollingTrigger';
/** n8n polls once at activation and then every minute (its shortest schedule). */
const WAIT_FOR_EXECUTION_MS = 90000;

function parseRunData(line, data) {
	if (typeof data !== 'string') return data;
	const { parse } = require(path.join(RUNTIME_DIR, `n8n-${line}`, 'node_modules', 'flatted'));
	return parse(data);
}

async function waitFor(what, probe, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/**
 * The polling trigger in an ACTIVE workflow: the activation poll starts the channel's delta feed from now; two
 * messages posted afterwards (and a reply, which this event ignores) arrive in the next poll's one execution.
 */
module.exports = {
	requires: [TRIGGER_TYPE],
	async run(ctx, workflow) {
		const deals = SALES.channels.deals.id;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		await waitFor('the activation poll', async () => {
			const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
			return requests.some((r) => r.path.endsWith(`/channels/${encodeURIComponent(deals)}/messages/delta`) && r.status === 200);
		}, 30000);
		const texts = [`polled one ${ctx.line}`, `polled two ${ctx.line}`];
		const messagesUrl = `/_sandbox/teams/${encodeURIComponent(SALES.id)}/channels/${encodeURIComponent(deals)}/messages`;
		const first = await ctx.sandboxRequest('POST', messagesUrl, { from: SEED.users.bob.id, content: texts[0], contentType: 'text' });
		await ctx.sandboxRequest('POST', messagesUrl, { from: SEED.users.alice.id, content: 'a reply', contentType: 'text', replyTo: first.id });
		await ctx.sandboxRequest('POST', messagesUrl, { from: SEED.users.bob.id, content: texts[1], contentType: 'text' });

		const finished = await waitFor('an execution of the trigger workflow', async () => {
			const executions = await ctx.api.listExecutions(stored.id);
			return executions.find((e) => e.status === 'success' || e.finished === true) ?? (executions.some((e) => e.status === 'error') ? executions[0] : undefined);
		}, WAIT_FOR_EXECUTION_MS);
		const runData = parseRunData(ctx.line, (await ctx.api.getExecution(finished.id)).data);
		const items = runData?.resultData?.runData?.['New Deals Message']?.[0]?.data?.main?.[0] ?? [];
		assert.deepEqual(items.map((item) => item.json.body?.content), texts, `trigger emitted ${JSON.stringify(items.map((i) => i.json)).slice(0, 800)}`);
		assert.equal((await ctx.api.listExecutions(stored.id)).length, 1);
		await ctx.api.deactivateWorkflow(stored.id);
	},
};
