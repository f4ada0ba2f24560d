// @ts-check
'use strict';
/**
 * PLACE FOR THE TEAMS WEBHOOK TRIGGER IN QUEUE MODE (microsoft365TeamsTrigger; queue.test.js skips the case until
 * the node type is in the package, and marks it "todo" while `run` is undefined).
 *
 * To add it, export `run(ctx, topology)` here. What the topology offers (scripts/lib/queueTopology.js):
 *   - `topology.webhookUrl`: the webhook processor (every process's WEBHOOK_URL; production webhooks are served
 *     only there, N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true), so the subscription's notificationUrl points at it;
 *   - `topology.workersThatStarted(executionId)`: which worker(s) ran an execution (from the workers' logs);
 *   - `topology.logs()`: every process's log by name (main, worker-1, worker-2, webhook);
 *   - `ctx` as in the other e2e cases (api, importWorkflow, sandboxRequest, credentials, sandbox.teams helpers).
 * What to prove (issue 16): activation on the main creates ONE subscription in the sandbox (not one per process);
 * a channel message's notification is delivered to the webhook processor, validated (clientState), and becomes one
 * execution on a worker; renewal (the sandbox's subscription clock shortens lifetimes) happens once, not once per
 * process; deactivation deletes the subscription.
 */
module.exports = {
	NODE_TYPE: 'n8n-nodes-microsoft-365.microsoft365TeamsTrigger',
	/** @type {undefined | ((ctx: any, topology: import('../../../scripts/lib/queueTopology').QueueTopology) => Promise<void>)} */
	run: undefined,
};
