// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { SALES } = require('./support');
const { SEED } = require('../../../sandbox/seed');
const { waitFor, readExecution, waitForExecution } = require('../../executions');

const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365TeamsPollingTrigger';
/** n8n polls once at activation and then every minute (its shortest schedule). */
const WAIT_FOR_EXECUTION_MS = 90000;



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

		const finished = await waitForExecution(ctx, stored.id, WAIT_FOR_EXECUTION_MS);
		const items = (await readExecution(ctx, finished.id)).items('New Deals Message') ?? [];
		assert.deepEqual(items.map((item) => item.json.body?.content), texts, `trigger emitted ${JSON.stringify(items.map((i) => i.json)).slice(0, 800)}`);
		assert.equal((await ctx.api.listExecutions(stored.id)).length, 1);
		await ctx.api.deactivateWorkflow(stored.id);
	},
};
