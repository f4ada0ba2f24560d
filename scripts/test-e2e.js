#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run test:e2e [-- --n8n=2|1|both] [--no-build] [--no-queue | --queue-only]`: installs the pinned n8n runtimes
 * (first use only), builds and packs the package once, then runs test/e2e with Node's test runner (its summary is
 * what CI reads). With n8n 2.x it also runs the queue-mode suite (test/e2e/queue/: PostgreSQL and Redis from
 * Debian, installed when missing; main, two workers, webhook processor) into the same summary.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, ensureN8n, log } = require('./lib/runtime');
const { buildAndPack } = require('./lib/n8n');
const { sandboxCaFile } = require('./lib/environment');
const { option, flag } = require('./lib/args');
const { ensureQueuePackages } = require('./lib/queueServices');

function parseArgs() {
	const which = String(option('n8n', 'both'));
	if (!['1', '2', 'both'].includes(which)) throw new Error(`--n8n must be 1, 2 or both (got "${which}")`);
	const queueOnly = flag('queue-only');
	// The queue suite runs on n8n 2.x; E2E_ONLY (quick iterations on workflow cases) leaves it out unless it names queue/.
	const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
	const queue = queueOnly || (which !== '1' && !flag('no-queue') && (!only || only.test('queue/')));
	const lines = queueOnly ? [] : which === 'both' ? ['2', '1'] : [which];
	return { lines, queue, build: !flag('no-build') };
}

async function main() {
	const { lines, queue, build } = parseArgs();
	const timings = {};
	for (const line of queue && !lines.includes('2') ? [...lines, '2'] : lines) {
		const started = Date.now();
		const result = await ensureN8n(line);
		timings[`install n8n ${line}.x`] = result.skipped ? 'already installed' : `${Math.round((Date.now() - started) / 1000)} s`;
	}
	if (queue) {
		const installed = await ensureQueuePackages();
		timings['install postgresql + redis-server'] = installed.installed.length ? `${installed.seconds} s` : 'already installed';
	}
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-microsoft-365-pack-'));
	let started = Date.now();
	const tarball = await buildAndPack(packDir, { build });
	timings['build + pack'] = `${Math.round((Date.now() - started) / 1000)} s`;

	const caFile = await sandboxCaFile();
	started = Date.now();
	const code = await new Promise((resolve) => {
		const files = [...(lines.length > 0 ? [path.join('test', 'e2e', 'e2e.test.js')] : []), ...(queue ? [path.join('test', 'e2e', 'queue', 'queue.test.js')] : [])];
		const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
			cwd: ROOT,
			stdio: 'inherit',
			// The test process talks to the sandbox itself (OAuth2 consent, /_sandbox/*), so it trusts its CA.
			env: { ...process.env, E2E_N8N_LINES: lines.join(','), E2E_TARBALL: tarball, NODE_EXTRA_CA_CERTS: caFile },
		});
		// Ctrl-C reaches the child through the terminal's process group; wait for it to clean up.
		process.on('SIGINT', () => undefined);
		child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
	});
	timings['e2e tests'] = `${Math.round((Date.now() - started) / 1000)} s`;
	fs.rmSync(packDir, { recursive: true, force: true });
	log(`timings: ${JSON.stringify(timings)}`);
	process.exit(code);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack || error.message : String(error)}\n`);
	process.exit(1);
});
