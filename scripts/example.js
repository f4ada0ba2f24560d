#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run example -- <name> [--n8n=2|1]`: runs one example workflow (a case under test/e2e/workflows/, e.g.
 * `oneDrive/upload-download-text`; the part after the slash is enough when it is unique) in a real n8n against
 * the Microsoft 365 sandbox, prints every node's output and whether the case's own checks hold, then stops.
 * Without a name it lists the examples.
 *
 * Steps: build and pack the package, install the n8n runtime on first use (.n8n-runtime/, 5–10 minutes once),
 * start the sandbox and n8n with the package installed the community way in a temporary user folder, create
 * the owner and the sandbox credentials (OAuth2 connected), import the workflow, `n8n execute` it.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, log, duration } = require('./lib/runtime');
const { buildAndPack, nodeOutput, runError } = require('./lib/n8n');
const { ensureProcessTrustsSandboxCa, createSandboxCredentials } = require('./lib/environment');
const { option, positional } = require('./lib/args');
const { loadCases } = require('../test/e2e/workflows');

/** Items printed per node unless `--all`. */
const MAX_ITEMS = 5;

function usage(cases) {
	return [
		'usage: npm run example -- <name> [--n8n=2|1] [--all]',
		'examples (the workflows under test/e2e/workflows/, also imported by npm run dev):',
		...cases.map((c) => `  ${c.id.padEnd(40)} ${c.workflow.name}${c.expect.run ? '  (drives itself: trigger/webhook)' : ''}`),
	].join('\n');
}

function findCase(cases, name) {
	const exact = cases.find((c) => c.id === name);
	if (exact) return exact;
	const byName = cases.filter((c) => c.id.split('/').pop() === name);
	if (byName.length === 1) return byName[0];
	if (byName.length > 1) throw new Error(`"${name}" is ambiguous: ${byName.map((c) => c.id).join(', ')}`);
	throw new Error(`no example "${name}"\n${usage(cases)}`);
}

/** A binary's metadata without its inline data. */
function describeBinary(binary) {
	const { data, ...meta } = binary || {};
	return { ...meta, ...(typeof data === 'string' && data.length > 40 ? { data: `(${data.length} base64 characters)` } : data ? { data } : {}) };
}

/** Every node that ran, in run order, with its output items (json, binary metadata). */
function printRun(run, all) {
	const resultData = run?.data?.resultData ?? run?.resultData;
	const lines = [];
	for (const nodeName of Object.keys(resultData?.runData ?? {})) {
		const items = nodeOutput(run, nodeName) ?? [];
		lines.push(`▸ ${nodeName}: ${items.length} item${items.length === 1 ? '' : 's'}`);
		for (const item of all ? items : items.slice(0, MAX_ITEMS)) {
			const shown = item.binary ? { json: item.json, binary: Object.fromEntries(Object.entries(item.binary).map(([key, value]) => [key, describeBinary(value)])) } : item.json;
			lines.push(JSON.stringify(shown, null, 2).replace(/^/gm, '    '));
		}
		if (!all && items.length > MAX_ITEMS) lines.push(`    … ${items.length - MAX_ITEMS} more (--all prints every item)`);
	}
	return lines.join('\n');
}

async function main() {
	await ensureProcessTrustsSandboxCa();
	const started = Date.now();
	const cases = loadCases();
	const [name] = positional();
	if (!name) {
		process.stdout.write(`${usage(cases)}\n`);
		return 0;
	}
	const example = findCase(cases, name);
	const line = /** @type {'1' | '2'} */ (String(option('n8n', '2')));
	if (line !== '1' && line !== '2') throw new Error('--n8n must be 1 or 2');
	if (example.expect.lines && !example.expect.lines.includes(line)) throw new Error(`${example.id} runs on n8n ${example.expect.lines.join(', ')}.x only`);
	const all = process.argv.includes('--all');

	log(`example ${example.id} on n8n ${line}.x: build and pack`);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-microsoft-365-example-'));
	const tarball = await buildAndPack(packDir);
	log(`start the sandbox and n8n ${line}.x (the runtime is installed on first use: 5–10 minutes, progress below)`);
	// The e2e harness is the one place that knows how to run a case (sandbox, n8n, credentials, `n8n execute`).
	const { startEnvironment, describeFailure } = require('../test/e2e/harness');
	const logCopy = path.join(ROOT, '.dev', `example-n8n-${line}.log`);
	const ctx = await startEnvironment(line, tarball, { logCopy });
	let ok = false;
	try {
		const nodeTypes = await ctx.api.nodeTypeNames();
		const missing = (example.expect.requires || []).filter((/** @type {string} */ type) => !nodeTypes.has(type));
		if (missing.length > 0) throw new Error(`${example.id} needs node types the package does not have yet: ${missing.join(', ')}`);
		ctx.credentials = await createSandboxCredentials(ctx.api, ctx.sandbox, { connect: true });
		log(`running ${example.id} ("${example.workflow.name}") (at ${duration(Date.now() - started)})`);
		if (example.expect.before) await example.expect.before(ctx);
		try {
			if (example.expect.run) {
				// Triggers and webhooks: the case activates the workflow and feeds it itself.
				await example.expect.run(ctx, example.workflow);
				process.stdout.write(`\n${example.id}: the workflow was activated and triggered by its script, and its checks hold.\n`);
				ok = true;
			} else {
				const credentials = example.expect.certificateCredential ? { microsoft365ClientCredentialsApi: await ctx.createCertificateCredential() } : {};
				const result = await ctx.runWorkflow(example.workflow, { credentials });
				process.stdout.write(`\n${example.workflow.name} (${example.id}) on n8n ${ctx.n8n.version}:\n${printRun(result.run, all)}\n`);
				const error = runError(result.run);
				if (error) process.stdout.write(`\nn8n stopped the run in node "${error.node}": ${error.message}${error.description ? `\n  ${error.description}` : ''}\n`);
				if (!result.run) process.stdout.write(`\nn8n printed no run data: ${describeFailure(result)}\n`);
				const expected = example.expect.expectFailure ? !result.ok : result.ok;
				let checks = 'none';
				if (expected && example.expect.check) {
					try {
						await example.expect.check(ctx, result);
						checks = 'hold';
					} catch (failure) {
						checks = `FAILED: ${failure instanceof Error ? failure.message : String(failure)}`;
					}
				}
				process.stdout.write(
					`\n${example.id}: ${result.ok ? 'run succeeded' : 'run failed'}${example.expect.expectFailure ? ' (this example is meant to fail)' : ''}; the e2e checks ${expected ? checks : 'were not run'}.\n`,
				);
				ok = expected && (checks === 'hold' || checks === 'none');
			}
		} finally {
			if (example.expect.after) await example.expect.after(ctx);
		}
	} finally {
		await ctx.stop();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	log(`done in ${duration(Date.now() - started)}; n8n's log: ${path.relative(ROOT, logCopy)}`);
	return ok ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		process.stderr.write(`${error instanceof Error ? error.stack || error.message : String(error)}\n`);
		process.exit(1);
	},
);
