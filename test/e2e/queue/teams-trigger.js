// @ts-check
'use strict';
/**
 * The Teams webhook trigger (microsoft365TeamsTrigger) in queue mode: activation on the main creates ONE
 * subscription whose URL is the webhook processor's; Graph's handshake and notifications go there; with the sandbox's
 * lifetimes shortened to 9 s (renewal asked 6 s before expiry: room for a loaded machine) the subscription is renewed once per reauthorizationRequired notification (not once per
 * process) and outlives three lifetimes untouched; each posted message becomes one execution on a worker;
 * deactivation deletes the subscription.
 */
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SEED } = require('../../sandbox/seed');
const { waitFor, readExecution } = require('../executions');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365TeamsTrigger';
const WEBHOOK_ID = '7ea75000-0000-4000-8000-0000000e0e0e';
const CLOCK = { maxLifetimeMs: 9000, reauthorizeBeforeMs: 6000 };
const SALES = SEED.teams.sales;

/** @param {any} ctx @param {import('../../../scripts/lib/queueTopology').QueueTopology} topology */
async function run(ctx, topology) {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'workflows', 'teams', 'trigger-webhook.json'), 'utf8'));
	workflow.name = 'Queue: Teams Trigger (webhook)';
	workflow.nodes[0].webhookId = WEBHOOK_ID;
	const ours = (/** @type {any} */ s) => String(s.notificationUrl).includes(WEBHOOK_ID);
	const subscriptionRequests = async () => (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => r.host === 'api' && /^\/v1\.0\/subscriptions/.test(r.path));
	await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
	await ctx.sandboxRequest('PUT', '/_sandbox/teams/subscription-clock', CLOCK);
	try {
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		const subscription = await waitFor('the subscription', async () => (await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions')).live.find(ours), 30000);
		assert.ok(subscription.notificationUrl.startsWith(`${topology.webhookUrl}/webhook/`), `notificationUrl ${subscription.notificationUrl} is not the webhook processor's`);
		const validations = (await ctx.sandboxRequest('GET', '/_sandbox/teams/validations')).filter((/** @type {any} */ v) => String(v.url).includes(WEBHOOK_ID));
		assert.ok(validations.length >= 1 && validations.every((/** @type {any} */ v) => v.ok !== false), `handshake: ${JSON.stringify(validations)}`);

		await new Promise((resolve) => setTimeout(resolve, 3 * CLOCK.maxLifetimeMs));
		const { live } = await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions');
		assert.deepEqual(live.filter(ours).map((/** @type {any} */ s) => s.id), [subscription.id], 'one subscription, still the first one');
		const requests = await subscriptionRequests();
		assert.equal(requests.filter((/** @type {any} */ r) => r.method === 'POST' && r.status === 201).length, 1, 'created once, not once per process');
		const renewals = requests.filter((/** @type {any} */ r) => r.method === 'PATCH' && r.status === 200).length;
		const asked = (await ctx.sandboxRequest('GET', `/_sandbox/teams/deliveries?subscriptionId=${encodeURIComponent(subscription.id)}&kind=lifecycle`))
			.filter((/** @type {any} */ d) => d.lifecycleEvent === 'reauthorizationRequired' && d.state === 'delivered').length;
		assert.ok(asked >= 3, `Graph asked for renewal ${asked} times`);
		assert.ok(renewals >= asked - 1 && renewals <= asked, `${renewals} renewals for ${asked} reauthorizationRequired notifications`);

		const texts = [`queue first ${Date.now()}`, `queue second ${Date.now()}`];
		for (const content of texts) {
			await ctx.sandboxRequest('POST', `/_sandbox/teams/${encodeURIComponent(SALES.id)}/channels/${encodeURIComponent(SALES.channels.general.id)}/messages`, { from: SEED.users.bob.id, content, contentType: 'text' });
		}
		const executions = await waitFor('two finished executions', async () => {
			const all = await ctx.api.listExecutions(stored.id);
			return all.filter((/** @type {any} */ e) => e.status === 'success' || e.finished === true).length >= 2 ? all : undefined;
		}, 30000);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		assert.equal((await ctx.api.listExecutions(stored.id)).length, 2, 'one execution per message');
		const seen = [];
		for (const execution of executions) {
			assert.equal(topology.workersThatStarted(execution.id).length, 1, `execution ${execution.id} ran on one worker`);
			const items = (await readExecution(ctx, execution.id)).items('New Channel Message') ?? [];
			assert.equal(items.length, 1);
			seen.push(items[0].json.body?.content);
		}
		assert.deepEqual(seen.sort(), [...texts].sort());

		await ctx.api.deactivateWorkflow(stored.id);
		await waitFor('the subscription to be deleted', async () => !(await ctx.sandboxRequest('GET', '/_sandbox/teams/subscriptions')).live.some(ours), 15000);
	} finally {
		await ctx.sandboxRequest('PUT', '/_sandbox/teams/subscription-clock', { maxLifetimeMs: null, reauthorizeBeforeMs: null });
	}
}

module.exports = { NODE_TYPE, run };
