#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm run dev [-- --n8n=2|1] [--port=5678] [--sandbox-port=8443] [--queue [--webhook-port=5679]]`: builds and packs
 * the package, starts the Microsoft 365 sandbox, installs (first use) and starts a real n8n with the package
 * installed the community way, creates the owner and the three credentials against the sandbox, imports the
 * example workflows and prints the editor URL and login. Ctrl-C stops everything it started.
 *
 * `--queue` (n8n 2.x): the queue-mode topology of the e2e suite instead of one process — PostgreSQL and Redis
 * (Debian's packages, installed when missing), a main, two workers and a webhook processor (docs/queue-mode.md).
 *
 * The n8n user folder `.dev/n8n-<line>/` (`.dev/n8n-queue/`) is recreated on every start (the sandbox's data lives in memory).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, log, duration } = require('./lib/runtime');
const { option, flag, portOption } = require('./lib/args');
const { QueueTopology, retryOnClosedSocket } = require('./lib/queueTopology');
const { N8nInstance, buildAndPack } = require('./lib/n8n');
const { N8nApi } = require('./lib/n8nApi');
const { startSandbox, createSandboxCredentials, ensureProcessTrustsSandboxCa } = require('./lib/environment');
const { onShutdown } = require('./lib/processes');
const { importExamples } = require('../test/e2e/examples');
const { sandboxSummary } = require('../test/sandbox/summary');

const started = Date.now();
/** `[n8n-runtime] dev 2/5 …: start n8n (at 14 s)` — the first run spends minutes in step 3. */
function step(number, what) {
	log(`dev ${number}/5 ${what} (at ${duration(Date.now() - started)})`);
}

async function main() {
	await ensureProcessTrustsSandboxCa();
	const line = /** @type {'1' | '2'} */ (option('n8n', '2'));
	if (line !== '1' && line !== '2') throw new Error('--n8n must be 1 or 2');
	const queue = flag('queue');
	if (queue && line !== '2') throw new Error('--queue runs n8n 2.x only (queue mode with binary data in the database)');
	const webhookPort = portOption('webhook-port', '5679');
	const port = portOption('port', '5678');
	const sandboxPort = portOption('sandbox-port', '8443');
	const devDir = path.join(ROOT, '.dev');
	const userFolder = path.join(devDir, queue ? 'n8n-queue' : `n8n-${line}`);

	/** @type {Array<() => Promise<unknown>>} */
	const stops = [];
	onShutdown(async () => {
		for (const stop of stops.reverse()) await stop().catch(() => undefined);
	});

	step(1, 'build and pack the package');
	const tarball = await buildAndPack(path.join(devDir, 'pack'));
	log(`packed ${path.relative(ROOT, tarball)}`);

	step(2, 'start the Microsoft 365 sandbox');
	const { sandbox, caFile } = await startSandbox({ port: sandboxPort });
	stops.push(() => sandbox.stop());
	log(`sandbox at ${sandbox.loginUrl} (files host ${sandbox.filesUrl})`);

	step(3, `n8n ${line}.x runtime (installed into .n8n-runtime/ on first use: 5–10 minutes, progress below) and the package into a fresh user folder`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	const n8n = queue
		? new QueueTopology({ userFolder, caFile, port, webhookPort, fastStallDetection: false })
		: new N8nInstance({ line, userFolder, caFile, port });
	await n8n.prepare(tarball);
	stops.push(() => n8n.stop());
	step(4, 'start n8n');
	await n8n.start();

	step(5, 'owner, credentials (OAuth2 connected through the sandbox), example workflows');

	const api = new N8nApi(n8n.baseUrl);
	if (queue) retryOnClosedSocket(api);
	const owner = await api.setupOwnerAndLogin();
	const credentials = await createSandboxCredentials(api, sandbox, { connect: true });
	// The examples (with a fourth credential: client credentials signing in with the sandbox app's certificate, and
	// the further ones some examples need, e.g. Dataverse or Teams management scopes): test/e2e/examples.js.
	const { imported: examples } = await importExamples({ api, sandbox, credentials });
	const imported = examples.map((example) => `${example.name} (${n8n.baseUrl}/workflow/${example.workflowId})${example.needs ? `\n      first: ${example.needs}` : ''}`);
	const extraCredentials = (await api.request('GET', '/rest/credentials')).map((/** @type {any} */ c) => c.name);
	const aliceDriveId = encodeURIComponent(sandbox.drives.driveIdOfUser('alice@contoso.onmicrosoft.com'));

	process.stdout.write(
		[
			'',
			`n8n ${n8n.version} is running with n8n-nodes-microsoft-365 installed:`,
			`  editor:    ${n8n.baseUrl}`,
			`  login:     ${owner.email}`,
			`  password:  ${owner.password}`,
			`  credentials: ${extraCredentials.join('; ')}`,
			`  workflows: ${imported.length === 0 ? '(none)' : `\n    ${imported.join('\n    ')}`}`,
			`  n8n log:   ${n8n.logFile}`,
			...(n8n instanceof QueueTopology ? queueSummary(n8n) : []),
			'What to try (signed in as the owner; the sandbox user is alice@contoso.onmicrosoft.com):',
			'  - open a OneDrive workflow, click "Execute workflow", and look at each node\'s output;',
			'  - open a OneDrive node, set File to "From list": the sandbox drive is listed; type "Documents/" to',
			'    open a folder or words (e.g. "q1") to search; switch to By URL / By Path / By ID;',
			'  - activate "OneDrive: trigger on new files…", then add a file to Alice\'s drive, e.g.',
			`    curl --cacert ${caFile} -X POST '${sandbox.graphUrl}/_sandbox/drives/${aliceDriveId}/files' \\`,
			`      -H 'content-type: application/json' -d '{"path":"/Documents/new.txt","text":"hello"}'`,
			'    and within a minute an execution lists it (Executions tab);',
			'  - credentials: "Test" the client-credentials ones (secret and certificate); the OAuth2 ones are connected.',
			'The Microsoft 365 sandbox (for credentials of your own, cloud "Custom"):',
			...sandboxSummary(sandbox),
			`Ready after ${duration(Date.now() - started)}. Ctrl-C stops n8n and the sandbox.`,
			'',
		].join('\n'),
	);

	// Keep running until n8n exits on its own or Ctrl-C arrives.
	const code = await n8n.server?.exited;
	log(`n8n exited (${code}); stopping the sandbox`);
	await sandbox.stop().catch(() => undefined);
	process.exit(code ? 1 : 0);
}

/** What `--queue` started, for the console. @param {QueueTopology} topology */
function queueSummary(topology) {
	return [
		'Queue mode (EXECUTIONS_MODE=queue, binary data in the database; docs/queue-mode.md):',
		`  main:      ${topology.baseUrl} (editor, REST API, triggers and pollers; production webhooks off)`,
		`  webhooks:  ${topology.webhookUrl} (n8n webhook: production and waiting webhooks; WEBHOOK_URL of every process)`,
		...topology.workers.map((worker) => `  ${worker.name}:  n8n worker --concurrency=5, health on 127.0.0.1:${worker.port}, log ${worker.logFile}`),
		`  postgres:  127.0.0.1:${topology.postgres?.port} (database n8n, user n8n), redis: 127.0.0.1:${topology.redis?.port}; data in ${topology.servicesDir}`,
		'  which worker ran an execution: grep "Worker started execution <id>" in the workers\' logs',
	];
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack || error.message : String(error)}\n`);
	process.exit(1);
});
