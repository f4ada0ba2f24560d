// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { TRIGGER_TYPE, ALICE } = require('./support');
const { waitFor, readExecution, waitForExecution } = require('../../executions');

/** n8n polls once at activation and then on its cron; "every minute" is its shortest (it refuses `*` seconds). */
const WAIT_FOR_EXECUTION_MS = 90000;



/**
 * The trigger in an ACTIVE workflow: activation starts the delta feed at "now"; two files added afterwards in
 * the sandbox arrive in the next poll's execution, each exactly once, and a seeded file does not.
 */
module.exports = {
	requires: [TRIGGER_TYPE],
	async run(ctx, workflow) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		// The activation poll asked for a delta link "from now" (token=latest) before anything changes.
		await waitFor('the first delta request', async () => {
			const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
			return requests.some((r) => /\/root\/delta$/.test(r.path) && r.status === 200);
		}, 30000);

		const driveId = await ctx.driveIdOf(ALICE);
		const names = [`trigger one ${ctx.line}.txt`, `trigger two ${ctx.line}.txt`];
		for (const name of names) {
			await ctx.sandboxRequest('POST', `/_sandbox/drives/${encodeURIComponent(driveId)}/files`, { path: `/Documents/${name}`, text: `made for the ${name}` });
		}

		const finished = await waitForExecution(ctx, stored.id, WAIT_FOR_EXECUTION_MS);
		const items = (await readExecution(ctx, finished.id)).items('New File') ?? [];
		const seen = items.map((item) => item.json.name).sort();
		assert.deepEqual(seen, [...names].sort(), `trigger emitted ${JSON.stringify(items.map((i) => i.json)).slice(0, 1000)}`);
		for (const item of items) {
			assert.equal(item.json.event, 'fileCreated');
			assert.match(String(item.json.parentReference?.path), /root:\/Documents$/);
		}

		// Only one execution so far, so neither file was delivered twice.
		const all = await ctx.api.listExecutions(stored.id);
		assert.equal(all.length, 1, `expected one execution, n8n has ${all.length}`);
		await ctx.api.deactivateWorkflow(stored.id);
	},
};
