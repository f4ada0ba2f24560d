// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { SALES, GENERAL } = require('./support');
const { SEED } = require('../../../sandbox/seed');
const { waitFor, readExecution } = require('../../executions');

const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365TeamsTrigger';
const WEBHOOK_ID = '7ea75000-0000-4000-8000-00000000e2e1';
/** The sandbox grants 6-second subscriptions here and asks for renewal 4 s before expiry (Graph: up to 3 days). */
const CLOCK = { maxLifetimeMs: 6000, reauthorizeBeforeMs: 4000 };



/**
 * The webhook trigger in an ACTIVE workflow of real n8n: activation subscribes (the sandbox's validation handshake
 * reaches n8n's production webhook), the subscription outlives three of its (shortened) lifetimes with nobody
 * touching the workflow — n8n answers Graph's reauthorizationRequired notifications by renewing —, each message
 * posted afterwards starts exactly one execution with the full message, and deactivation deletes the subscription.
 */
module.exports = {
	requires: [TRIGGER_TYPE],
	example: { needs: 'activate it, then post a message in Contoso Sales / General (docs/development.md)' },
	async run(ctx, workflow) {
		const ours = (subscription) => String(subscription.notificationUrl).includes(WEBHOOK_ID);
		await ctx.sandboxRequest('PUT', '/_sandbox/teams/subscription-clock', CLOCK);
		try {
			const stored = await ctx.importWorkflow(workflow);
			await ctx.api.activateWorkflow(stored.id);
			const subscription = await waitFor('the subscription', async () => (await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions')).live.find(ours), 30000).catch(async (error) => {
				const requests = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((r) => r.path.includes('subscriptions'));
				const validations = await ctx.sandboxRequest('GET', '/_sandbox/teams/validations');
				throw new Error(`${error.message}; subscription requests ${JSON.stringify(requests).slice(0, 1500)}; validations ${JSON.stringify(validations).slice(0, 1500)}`);
			});
			assert.match(subscription.notificationUrl, new RegExp(`/webhook/${WEBHOOK_ID}/webhook$`));
			assert.equal(subscription.lifecycleNotificationUrl, subscription.notificationUrl);

			// Three lifetimes without a message: only renewals on Graph's lifecycle notifications keep it.
			await new Promise((resolve) => setTimeout(resolve, 3 * CLOCK.maxLifetimeMs));
			const { live, ended } = await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions');
			assert.ok(live.some((s) => s.id === subscription.id), `the subscription lapsed: ${JSON.stringify(ended.filter(ours))}`);

			const texts = [`first ${ctx.line} ${Date.now()}`, `second ${ctx.line} ${Date.now()}`];
			for (const content of texts) {
				await ctx.sandboxRequest('POST', `/_sandbox/teams/${encodeURIComponent(SALES.id)}/channels/${encodeURIComponent(GENERAL.id)}/messages`, { from: SEED.users.bob.id, content, contentType: 'text' });
			}
			const executions = await waitFor('two finished executions', async () => {
				const all = await ctx.api.listExecutions(stored.id);
				return all.filter((e) => e.status === 'success' || e.finished === true).length >= 2 ? all : undefined;
			}, 30000);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const all = await ctx.api.listExecutions(stored.id);
			assert.equal(all.length, 2, `expected one execution per message, n8n has ${all.length}`);
			const seen = [];
			for (const execution of executions) {
				const items = (await readExecution(ctx, execution.id)).items('New Channel Message') ?? [];
				assert.equal(items.length, 1);
				assert.equal(items[0].json.from?.user?.id, SEED.users.bob.id);
				seen.push(items[0].json.body?.content);
			}
			assert.deepEqual(seen.sort(), [...texts].sort());

			await ctx.api.deactivateWorkflow(stored.id);
			await waitFor('the subscription to be deleted', async () => !(await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions')).live.some(ours), 15000);
		} finally {
			await ctx.sandboxRequest('PUT', '/_sandbox/teams/subscription-clock', { maxLifetimeMs: null, reauthorizeBeforeMs: null });
		}
	},
};
