// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { TRIGGER_TYPE, dataverseCredential, waitFor } = require('./support');
const { readExecution } = require('../outlook/support');

/** n8n polls once at activation and then every minute (its shortest interval). */
const WAIT_FOR_EXECUTION_MS = 100000;

/** Change-tracking reads of the accounts table the sandbox answered. */
async function accountReads(ctx) {
	const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
	return requests.filter((/** @type {any} */ r) => r.host === 'dataverse' && r.method === 'GET' && r.path === '/api/data/v9.2/accounts');
}

/**
 * The trigger in an ACTIVE workflow: activation's poll reads the table to its delta link and starts no execution;
 * two accounts created afterwards come out of the next poll's execution once each; the poll after finds nothing.
 */
module.exports = {
	requires: [TRIGGER_TYPE],
	// npm run dev: the example polls with the same Dataverse credential.
	example: { setup: async (ctx) => ({ credentials: await dataverseCredential(ctx) }) },
	async run(ctx, workflow) {
		const credentials = await dataverseCredential(ctx);
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const stored = await ctx.importWorkflow(workflow, { credentials });
		await ctx.api.activateWorkflow(stored.id);
		try {
			await waitFor('the activation poll', async () => (await accountReads(ctx)).some((r) => r.status === 200 && !/deltatoken/.test(r.query)), 30000);
			// The first round has ended on its delta link before anything is created.
			await new Promise((resolve) => setTimeout(resolve, 1500));
			assert.deepEqual(await ctx.api.listExecutions(stored.id), [], 'the activation poll started an execution (it must start from now)');

			const mark = crypto.randomUUID().slice(0, 8);
			const names = [`E2E Trigger ${mark} one (n8n ${ctx.line}.x)`, `E2E Trigger ${mark} two (n8n ${ctx.line}.x)`];
			const created = [];
			for (const name of names) created.push(await ctx.sandboxRequest('POST', '/_sandbox/dataverse/tables/account/rows', { name }));

			const finished = await waitFor('an execution of the trigger workflow', async () => {
				const executions = await ctx.api.listExecutions(stored.id);
				return executions.find((/** @type {any} */ e) => e.status === 'success' || e.status === 'error' || e.finished === true);
			}, WAIT_FOR_EXECUTION_MS, 1000);
			const run = await readExecution(ctx, finished.id);
			assert.notEqual(finished.status, 'error', `the trigger execution failed: ${JSON.stringify(run.data?.resultData?.error ?? {}).slice(0, 1000)}`);
			const items = (run.items('Row Changed') ?? []).map((/** @type {any} */ item) => item.json);
			assert.deepEqual(items.map((item) => item.event), ['created', 'created'], `trigger emitted ${JSON.stringify(items).slice(0, 1000)}`);
			assert.deepEqual(items.map((item) => item.id).sort(), created.map((row) => row.accountid).sort());
			assert.deepEqual(items.map((item) => item.row.name).sort(), [...names].sort());

			const readsSoFar = (await accountReads(ctx)).length;
			await waitFor('the poll after the execution', async () => (await accountReads(ctx)).length > readsSoFar, WAIT_FOR_EXECUTION_MS, 1000);
			const later = await accountReads(ctx);
			assert.ok(/deltatoken/.test(later[later.length - 1].query), 'the later poll did not follow the stored delta link');
			await new Promise((resolve) => setTimeout(resolve, 2000));
			const all = await ctx.api.listExecutions(stored.id);
			assert.equal(all.length, 1, `expected one execution, n8n has ${all.length}`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	},
};
