// @ts-check
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const { TRIGGER_TYPE, ALICE } = require('./support');
const { RUNTIME_DIR } = require('../../../../scripts/lib/runtime');

/** n8n polls once at activation and then on its cron; "every minute" is its shortest (it refuses `*` seconds). */
const WAIT_FOR_EXECUTION_MS = 90000;

/** Run data of an execution: n8n's REST API sends it `flatted`-serialised; n8n's own copy of flatted reads it. */
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

		const finished = await waitFor('an execution of the trigger workflow', async () => {
			const executions = await ctx.api.listExecutions(stored.id);
			return executions.find((e) => e.status === 'success' || e.finished === true) ?? (executions.some((e) => e.status === 'error') ? executions[0] : undefined);
		}, WAIT_FOR_EXECUTION_MS);
		const execution = await ctx.api.getExecution(finished.id);
		const runData = parseRunData(ctx.line, execution.data);
		const items = runData?.resultData?.runData?.['New File']?.[0]?.data?.main?.[0] ?? [];
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
