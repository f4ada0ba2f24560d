// @ts-check
'use strict';
/**
 * The check behind `npm run dev`'s promise that every imported example runs when a user presses "Execute workflow":
 * a fresh n8n 2.x and sandbox set up as `npm run dev` sets them up (the three credentials, both OAuth2 ones connected,
 * test/e2e/examples.js importing every example), then each example run the way the editor runs it — `POST
 * /rest/workflows/:id/run` from its trigger, in the server — and its execution read back. An example must succeed
 * (an `expectFailure` one must fail with n8n's error in a node, as its e2e case does), or say in `example.needs` what
 * the user does first, and docs/development.md must name it with that step.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startEnvironment } = require('./harness');
const { importExamples } = require('./examples');
const { loadCases } = require('./workflows');
const { parseRunData } = require('./executions');
const { createSandboxCredentials } = require('../../scripts/lib/environment');

const DEVELOPMENT_MD = path.join(__dirname, '..', '..', 'docs', 'development.md');
/** The longest an example may take (upload-large-binary, 1,000-row bulk create). */
const RUN_TIMEOUT_MS = 180000;

/** @param {{ tarball: string, only?: RegExp }} options `only`: E2E_ONLY, matched against `dev-examples/<case id>` */
function defineDevExamplesSuite({ tarball, only }) {
	const cases = loadCases().filter((testCase) => !only || only.test(`dev-examples/${testCase.id}`));
	if (cases.length === 0) return;
	describe('npm run dev examples (n8n 2.x): each runs from the editor', { concurrency: 1 }, () => {
		/** @type {Awaited<ReturnType<typeof startEnvironment>>} */
		let ctx;
		/** @type {Awaited<ReturnType<typeof importExamples>>['imported']} */
		let imported = [];
		/** @type {unknown} */
		let importError;

		before(async () => {
			ctx = await startEnvironment('2', tarball, { logCopy: path.join(__dirname, 'artifacts', 'n8n-2-dev-examples.log') });
			try {
				const credentials = await createSandboxCredentials(ctx.api, ctx.sandbox, { connect: true });
				imported = (await importExamples({ api: ctx.api, sandbox: ctx.sandbox, credentials })).imported;
			} catch (error) {
				importError = error;
			}
		}, { timeout: 600000 });

		after(async () => {
			if (ctx) await ctx.stop();
		});

		it('imports every example (placeholders filled, credentials attached)', () => {
			assert.equal(importError, undefined, `import failed: ${importError instanceof Error ? importError.stack : importError}`);
			assert.ok(imported.length > 0, 'no example imported');
		});

		it('docs/development.md names each example that needs a step, with the step', () => {
			const docs = fs.readFileSync(DEVELOPMENT_MD, 'utf8');
			const undocumented = imported.filter((example) => example.needs && !docs.includes(`\`${example.id}\``)).map((example) => example.id);
			assert.deepEqual(undocumented, [], 'examples with a step that development.md does not name');
		});

		for (const testCase of cases) {
			it(`example ${testCase.id}`, { timeout: RUN_TIMEOUT_MS + 30000 }, async (t) => {
				const example = imported.find((entry) => entry.id === testCase.id);
				if (!example) return t.skip(importError ? 'the import failed' : 'not imported (node types not in the package)');
				if (example.needs) return t.skip(`needs a step first: ${example.needs}`);
				assert.ok(example.startNode, `example ${example.id} has no node to start from`);
				const started = Date.now();
				const execution = await runFromEditor(ctx, example.workflowId, example.startNode);
				const data = parseRunData('2', execution.data);
				const error = data?.resultData?.error;
				const failed = execution.status !== 'success' || Boolean(error);
				const why = error ? `${error.node?.name ?? '?'}: ${error.message}${error.description ? ` (${error.description})` : ''}` : execution.status;
				if (testCase.expect.expectFailure) {
					assert.ok(failed, 'the example was expected to fail, as its e2e case does');
					assert.ok(error?.node?.name, `a failure without a node's error: ${why}`);
				} else {
					assert.ok(!failed, `the example failed: ${why}`);
				}
				const firstItems = data?.resultData?.runData?.[example.startNode]?.[0]?.data?.main?.[0]?.length ?? 0;
				t.diagnostic(`${((Date.now() - started) / 1000).toFixed(1)} s; "${example.startNode}" put out ${firstItems} item(s)`);
			});
		}
	});
}

/**
 * What the editor does on "Execute workflow": POST /rest/workflows/:id/run with the stored workflow, from its trigger;
 * then the execution, once finished.
 * @param {any} ctx @param {string} workflowId @param {string} startNode
 */
async function runFromEditor(ctx, workflowId, startNode) {
	const workflowData = await ctx.api.request('GET', `/rest/workflows/${encodeURIComponent(workflowId)}`);
	const answer = await ctx.api.request('POST', `/rest/workflows/${encodeURIComponent(workflowId)}/run`, { workflowData, triggerToStartFrom: { name: startNode } });
	const executionId = answer?.executionId;
	assert.ok(executionId, `n8n did not start the run: ${JSON.stringify(answer).slice(0, 300)}`);
	const deadline = Date.now() + RUN_TIMEOUT_MS;
	for (;;) {
		const execution = await ctx.api.getExecution(executionId).catch(() => undefined);
		if (execution && ['success', 'error', 'crashed', 'canceled'].includes(execution.status)) return execution;
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish in ${RUN_TIMEOUT_MS / 1000} s (status ${execution?.status})`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

module.exports = { defineDevExamplesSuite, runFromEditor };
