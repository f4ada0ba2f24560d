// @ts-check
'use strict';
/** What workflow cases share to wait for n8n and read its executions over REST (not a case: cases are `*.json`). */
const path = require('node:path');
const { RUNTIME_DIR } = require('../../scripts/lib/runtime');

/** Polls `probe` every `intervalMs` until it returns something truthy; fails naming `what` after `timeoutMs`. */
async function waitFor(what, probe, timeoutMs, intervalMs = 500) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

/** Run data of an execution: n8n's REST API sends it `flatted`-serialised; n8n's own copy of flatted reads it. */
function parseRunData(line, data) {
	if (typeof data !== 'string') return data;
	const { parse } = require(path.join(RUNTIME_DIR, `n8n-${line}`, 'node_modules', 'flatted'));
	return parse(data);
}

/** An execution over REST with its run data parsed: `{ execution, data, items(nodeName) }`. */
async function readExecution(ctx, executionId) {
	const execution = await ctx.api.getExecution(executionId);
	const data = parseRunData(ctx.line, execution.data);
	return {
		execution,
		data,
		/** Output items (`{ json, binary? }`) of a node's first run, or undefined when it did not run. */
		items: (nodeName) => data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0],
	};
}

/** The first finished execution of a workflow (or its failed one, so the case fails with n8n's error). */
async function waitForExecution(ctx, workflowId, timeoutMs) {
	return waitFor('an execution of the trigger workflow', async () => {
		const executions = await ctx.api.listExecutions(workflowId);
		return executions.find((e) => e.status === 'success' || e.finished === true) ?? (executions.some((e) => e.status === 'error') ? executions[0] : undefined);
	}, timeoutMs, 1000);
}

module.exports = { waitFor, parseRunData, readExecution, waitForExecution };
