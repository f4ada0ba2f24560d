// @ts-check
'use strict';
/**
 * The package in n8n 2.x **queue mode** (run by `npm run test:e2e`, which sets E2E_TARBALL and E2E_QUEUE=1):
 * PostgreSQL + Redis from Debian, one main, two workers, one webhook processor, binary data in the database
 * (scripts/lib/queueTopology.js). Executions are started the way production starts them, through the webhook
 * processor or the main's pollers, and run on the workers; which worker ran what is read from the workers' own
 * logs ("Worker started execution <id> (job <n>)"). Findings are documented in docs/queue-mode.md.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startEnvironment } = require('../harness');
const { prepareWorkflow } = require('../workflows');
const { QueueTopology, retryOnClosedSocket } = require('../../../scripts/lib/queueTopology');
const { tempUserFolder } = require('../../../scripts/lib/n8n');
const { waitFor, readExecution, mailboxMessages, htmlLinks, BOB, ALICE } = require('../workflows/outlook/support');
const teamsTrigger = require('./teams-trigger');

const TARBALL = process.env.E2E_TARBALL || '';
const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const WORKFLOWS = path.join(__dirname, 'workflows');
const E2E_WORKFLOWS = path.join(__dirname, '..', 'workflows');
const DELEGATED = 'microsoft365OAuth2Api';
const APP = 'microsoft365ClientCredentialsApi';
const TENANT = 'microsoft365TenantOAuth2Api';
/** E2E_QUEUE_ONLY=<regex>: run only the queue tests whose title matches (quick iterations; the topology starts anyway). */
const QUEUE_ONLY = process.env.E2E_QUEUE_ONLY ? new RegExp(process.env.E2E_QUEUE_ONLY) : undefined;
/** `it` that honours E2E_QUEUE_ONLY. @type {typeof it} */
const queueIt = /** @type {any} */ ((/** @type {string} */ title, /** @type {any} */ options, /** @type {any} */ fn) =>
	it(title, QUEUE_ONLY && !QUEUE_ONLY.test(title) ? { ...options, skip: 'E2E_QUEUE_ONLY does not match' } : options, fn));

function workflowFile(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A POST to a production webhook on the webhook processor; retried while n8n has not registered it yet (404). */
async function callWebhook(topology, webhookPath, body = {}) {
	return waitFor(`the production webhook /webhook/${webhookPath}`, async () => {
		const response = await fetch(`${topology.webhookUrl}/webhook/${webhookPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (response.status === 404) return undefined;
		const text = await response.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: response.status, text, json };
	}, 20000, 250);
}

describe('n8n 2.x queue mode: main, 2 workers, webhook processor (PostgreSQL, Redis, binary data in the database)', { concurrency: 1 }, () => {
	/** @type {Awaited<ReturnType<typeof startEnvironment>>} */
	let ctx;
	/** @type {QueueTopology} */
	let topology;

	before(async () => {
		assert.ok(TARBALL && fs.existsSync(TARBALL), 'E2E_TARBALL must point at the packed package: run `npm run test:e2e`');
		const started = Date.now();
		ctx = await startEnvironment('2', TARBALL, {
			logCopy: path.join(ARTIFACTS, 'n8n-queue-main.log'),
			createN8n: (caFile) => {
				topology = new QueueTopology({ userFolder: tempUserFolder('n8n-e2e-queue-'), caFile });
				return topology;
			},
		});
		retryOnClosedSocket(ctx.api);
		await ctx.createCredentials();
		for (const type of [DELEGATED, TENANT]) {
			const connected = await ctx.api.connectOAuth2(ctx.credentials[type].id);
			assert.ok(connected.connected, `OAuth2 connect of ${type} failed: ${connected.failure}`);
		}
		await ctx.createCertificateCredential();
		console.log(`queue topology ready in ${Math.round((Date.now() - started) / 1000)} s (postgresql/redis-server apt install: ${topology.packageInstallSeconds} s)`);
	}, { timeout: 900000 });

	after(async () => {
		if (ctx) await ctx.stop();
		if (topology) {
			topology.copyLogs(ARTIFACTS);
			await topology.stop();
			if (!process.env.E2E_KEEP) fs.rmSync(topology.root, { recursive: true, force: true });
		}
	});

	queueIt('every process runs in queue mode with binary data in the database and the package loaded', {}, async () => {
		const settings = await ctx.api.request('GET', '/rest/settings');
		assert.equal(settings.executionMode, 'queue');
		assert.equal(settings.binaryDataMode, 'database');
		const nodeTypes = await ctx.api.nodeTypeNames();
		assert.ok(nodeTypes.has('n8n-nodes-microsoft-365.microsoft365Request'), 'the main does not list the package');
		const logs = topology.logs();
		for (const worker of topology.workers) assert.match(logs[worker.name], /n8n worker is now ready/, `${worker.name} did not start`);
		assert.match(logs.webhook, /Starting n8n webhook process/);
		// Each process loads the package from its own user folder (a copy of the community install).
		for (const entry of topology.processes) {
			const installed = path.join(entry.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-microsoft-365', 'package.json');
			assert.ok(fs.existsSync(installed), `${entry.name} has no installed package`);
		}
		for (const [name, text] of Object.entries(logs)) assert.doesNotMatch(text, /Unrecognized node type|Error loading package/, `${name} failed to load a node`);
	});

	queueIt('executions spread over both workers succeed with every credential type (secret, certificate, delegated, tenant OAuth2)', { timeout: 300000 }, async () => {
		const prepared = prepareWorkflow(workflowFile(path.join(WORKFLOWS, 'every-credential.json')), { sandbox: ctx.sandbox, credentials: ctx.credentials });
		const certificate = await ctx.createCertificateCredential();
		prepared.nodes.find((/** @type {any} */ node) => node.name === 'App Certificate').credentials[APP] = { id: certificate.id, name: certificate.name };
		const stored = await ctx.api.createWorkflow(prepared);
		await ctx.api.activateWorkflow(stored.id);
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		try {
			/** @type {Map<string, string[]>} execution id → workers that started it */
			const ranOn = new Map();
			// Waves of 10 simultaneous calls (5 jobs per worker at a time) until both workers ran some; at most 4 waves.
			for (let wave = 0; wave < 4; wave++) {
				const answers = await Promise.all(Array.from({ length: 10 }, () => callWebhook(topology, 'e2e-queue-credentials')));
				for (const answer of answers) {
					assert.equal(answer.status, 200, `the webhook answered ${answer.status}: ${answer.text.slice(0, 800)}`);
					assert.deepEqual(
						{ delegated: answer.json.delegated, appSecret: answer.json.appSecret, appCertificate: answer.json.appCertificate, tenantOAuth2: answer.json.tenantOAuth2 },
						{ delegated: ALICE, appSecret: BOB, appCertificate: ALICE, tenantOAuth2: ALICE },
					);
					ranOn.set(answer.json.executionId, topology.workersThatStarted(answer.json.executionId));
				}
				const used = new Set([...ranOn.values()].flat());
				if (used.size === topology.workers.length) break;
			}
			for (const [id, workers] of ranOn) assert.equal(workers.length, 1, `execution ${id} was started by ${JSON.stringify(workers)}`);
			const perWorker = Object.fromEntries(topology.workers.map((w) => [w.name, [...ranOn.values()].filter((names) => names[0] === w.name).length]));
			for (const [name, count] of Object.entries(perWorker)) assert.ok(count > 0, `${name} ran none of ${ranOn.size} executions: ${JSON.stringify(perWorker)}`);
			const executions = await ctx.api.listExecutions(stored.id);
			assert.equal(executions.length, ranOn.size);
			assert.ok(executions.every((e) => e.status === 'success'), JSON.stringify(executions.map((e) => e.status)));
			// Token caches are per process: count the sign-ins the sandbox saw (printed, documented in docs/queue-mode.md).
			const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
			const tokenCalls = requests.filter((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path)).length;
			console.log(`queue: ${ranOn.size} executions per worker ${JSON.stringify(perWorker)}; token requests during them: ${tokenCalls}`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	});

	queueIt('a polling trigger (OneDrive) polled by the main emits each change exactly once, run on a worker', { timeout: 300000 }, async () => {
		const workflow = workflowFile(path.join(E2E_WORKFLOWS, 'oneDrive', 'trigger-new-file.json'));
		// A poll is one delta request: the first on /me/drive/root/delta, later ones on the delta link (/drives/{id}/items/{id}/delta).
		const deltas = async () => (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => /\/delta$/.test(r.path) && r.status === 200).length;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		try {
			// The activation poll takes the delta link "from now" before anything changes.
			await waitFor('the activation poll', async () => ((await deltas()) > 0 ? true : undefined), 30000);
			const driveId = await ctx.driveIdOf(ALICE);
			const names = ['queue trigger one.txt', 'queue trigger two.txt'];
			for (const name of names) {
				await ctx.sandboxRequest('POST', `/_sandbox/drives/${encodeURIComponent(driveId)}/files`, { path: `/Documents/${name}`, text: `made for ${name}` });
			}
			const finished = await waitFor('an execution of the trigger', async () => {
				const executions = await ctx.api.listExecutions(stored.id);
				if (executions.some((e) => e.status === 'error' || e.status === 'crashed')) throw new Error(`the trigger's execution failed: ${JSON.stringify(executions)}`);
				return executions.find((e) => e.status === 'success');
			}, 90000, 1000);
			const run = await readExecution(ctx, finished.id);
			const items = run.items('New File') ?? [];
			assert.deepEqual(items.map((item) => item.json.name).sort(), [...names].sort(), JSON.stringify(items.map((item) => item.json)).slice(0, 1000));
			assert.ok(items.every((item) => item.json.event === 'fileCreated'));
			const workers = topology.workersThatStarted(finished.id);
			assert.equal(workers.length, 1, `the trigger's execution ${finished.id} was started by ${JSON.stringify(workers)}`);

			// The next poll finds nothing new, and it is one delta request: only the main polls, not every process.
			const afterRun = await deltas();
			await waitFor('the next poll', async () => ((await deltas()) > afterRun ? true : undefined), 75000, 1000).catch(async (error) => {
				const polls = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => /delta/.test(r.path));
				throw new Error(`${error.message}; delta requests so far: ${JSON.stringify(polls.map((/** @type {any} */ r) => `${r.method} ${r.path} → ${r.status}`))}`);
			});
			await new Promise((resolve) => setTimeout(resolve, 5000));
			assert.equal(await deltas(), afterRun + 1, 'more than one delta request for one poll');
			const executions = await ctx.api.listExecutions(stored.id);
			assert.equal(executions.length, 1, `a change was emitted again: ${JSON.stringify(executions)}`);
			console.log(`queue: trigger execution ${finished.id} (both files, once) ran on ${workers[0]}; the next poll was one delta request and started nothing`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	});

	queueIt('sendAndWait (Outlook) started on a worker is answered through the webhook processor and resumed on a worker', { timeout: 300000 }, async () => {
		const subject = `E2E queue approval ${crypto.randomUUID().slice(0, 8)}`;
		const workflow = JSON.parse(fs.readFileSync(path.join(E2E_WORKFLOWS, 'outlook', 'send-and-wait.json'), 'utf8').replaceAll('%%SUBJECT%%', subject));
		const stored = await ctx.importWorkflow(workflow);
		await ctx.api.activateWorkflow(stored.id);
		try {
			const started = await callWebhook(topology, 'e2e-outlook-approval');
			assert.equal(started.status, 200, started.text.slice(0, 500));
			const waiting = await waitFor('the execution to wait', async () => {
				const executions = await ctx.api.listExecutions(stored.id);
				if (executions.some((e) => e.status === 'error' || e.status === 'crashed')) throw new Error(`execution failed: ${JSON.stringify(executions)}`);
				return executions.find((e) => e.status === 'waiting');
			}, 60000);
			const startedOn = topology.workersThatStarted(waiting.id);
			assert.equal(startedOn.length, 1, `started by ${JSON.stringify(startedOn)}`);

			const [question] = await waitFor("the question in Bob's Inbox", () => mailboxMessages(ctx, BOB, 'inbox', subject).then((list) => (list.length ? list : undefined)), 15000);
			const links = htmlLinks(question.body.content);
			assert.deepEqual(links.map((link) => link.text), ['Approve', 'Decline']);
			const approve = new URL(links[0].url);
			// The links point at the webhook processor (WEBHOOK_URL), not at the main.
			assert.equal(approve.origin, topology.webhookUrl);
			assert.match(approve.pathname, new RegExp(`^/webhook-waiting/${waiting.id}/`));

			const page = await fetch(approve, { redirect: 'manual' });
			assert.equal(page.status, 200);
			assert.match(await page.text(), /<form method="POST">/);
			assert.equal((await ctx.api.getExecution(waiting.id)).status, 'waiting', 'a GET answered');

			const answered = await fetch(approve, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
			const answerText = await answered.text();
			assert.equal(answered.status, 200, answerText.slice(0, 500));
			assert.match(answerText, /Your answer was recorded/);
			await waitFor('the resumed execution to finish', async () => {
				const status = (await ctx.api.getExecution(waiting.id)).status;
				if (status === 'error' || status === 'crashed') throw new Error(`the resumed execution ended with ${status}`);
				return status === 'success' ? status : undefined;
			}, 60000);
			const run = await readExecution(ctx, waiting.id);
			const [output] = run.items('Ask Bob') ?? [];
			assert.equal(output?.json?.data?.approved, true, JSON.stringify(output ?? null).slice(0, 500));
			const resumedOn = topology.workersThatStarted(waiting.id);
			assert.equal(resumedOn.length, 2, `expected a start and a resume on the workers, saw ${JSON.stringify(resumedOn)}`);
			assert.equal((await ctx.api.listExecutions(stored.id)).length, 1, 'the answer started another execution');
			console.log(`queue: sendAndWait execution ${waiting.id} started on ${resumedOn[0]}, resumed on ${resumedOn[1]}`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	});

	queueIt('a 50 MiB download and upload (OneDrive) work with binary data in the database', { timeout: 600000 }, async () => {
		const size = 50 * 1024 * 1024;
		const driveId = await ctx.driveIdOf(ALICE);
		await ctx.sandboxRequest('POST', `/_sandbox/drives/${encodeURIComponent(driveId)}/folders`, { path: '/Queue' });
		const original = await ctx.sandboxRequest('POST', `/_sandbox/drives/${encodeURIComponent(driveId)}/files`, { path: '/Queue/e2e-queue-50mib.bin', size });
		const stored = await ctx.importWorkflow(workflowFile(path.join(WORKFLOWS, 'large-binary.json')));
		await ctx.api.activateWorkflow(stored.id);
		try {
			const started = Date.now();
			const answer = await callWebhook(topology, 'e2e-queue-large-binary');
			const seconds = (Date.now() - started) / 1000;
			assert.equal(answer.status, 200, answer.text.slice(0, 800));
			assert.equal(answer.json.uploadedSize, size);
			assert.match(answer.json.downloaded, /^database/, `the downloaded binary is not in the database store: ${answer.json.downloaded}`);
			const sha256 = (/** @type {Buffer} */ buffer) => crypto.createHash('sha256').update(buffer).digest('hex');
			const copy = await ctx.sandboxItem(driveId, '/Queue/e2e-queue-50mib-copy.bin');
			assert.equal(copy.id, answer.json.uploadedId);
			assert.equal(copy.size, size);
			assert.equal(sha256(await ctx.sandboxContent(copy.id)), sha256(await ctx.sandboxContent(original.id)), 'the copy differs from the original');
			// The bytes went through n8n's binary_data table in PostgreSQL, kept with the execution.
			const rows = await topology.postgres?.query(`SELECT "fileSize" FROM binary_data WHERE "sourceId" = '${Number(answer.json.executionId)}'`);
			assert.ok(rows?.some(([fileSize]) => Number(fileSize) === size), `binary_data rows of execution ${answer.json.executionId}: ${JSON.stringify(rows)}`);
			const workers = topology.workersThatStarted(answer.json.executionId);
			assert.equal(workers.length, 1);
			console.log(`queue: 50 MiB download + upload on ${workers[0]} in ${seconds.toFixed(1)} s (webhook call to answer)`);
		} finally {
			await ctx.api.deactivateWorkflow(stored.id);
		}
	});

	// ── Teams webhook trigger in queue mode: the lead adds the case in ./teams-trigger.js (see the comment there).
	queueIt('Teams webhook trigger: notifications through the webhook processor, one subscription (created and renewed once)', { timeout: 300000 }, async (t) => {
		const nodeTypes = await ctx.api.nodeTypeNames();
		if (!nodeTypes.has(teamsTrigger.NODE_TYPE)) return t.skip(`${teamsTrigger.NODE_TYPE} not in the package yet`);
		if (!teamsTrigger.run) return t.todo('test/e2e/queue/teams-trigger.js has no run() yet');
		await teamsTrigger.run(ctx, topology);
	});

	// Last: it leaves one worker.
	queueIt('killing a worker mid-execution: n8n fails that execution (not retried, nothing sent twice); the other worker goes on', { timeout: 300000 }, async () => {
		const stored = await ctx.importWorkflow(workflowFile(path.join(WORKFLOWS, 'slow-request.json')));
		await ctx.api.activateWorkflow(stored.id);
		// The node's request hangs 20 s in the sandbox, long enough to kill the worker while it waits.
		await ctx.sandboxRequest('POST', '/_sandbox/faults', { method: 'GET', path: 'hello\\.txt$', delayMs: 20000, times: 1 });
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const reads = async () => (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => /hello\.txt$/.test(r.path)).length;
		try {
			const started = await callWebhook(topology, 'e2e-queue-slow');
			assert.equal(started.status, 200, started.text.slice(0, 500));
			const [execution] = await waitFor('the execution', async () => {
				const list = await ctx.api.listExecutions(stored.id);
				return list.length ? list : undefined;
			}, 20000);
			const [victim] = await waitFor('a worker to start it', async () => {
				const names = topology.workersThatStarted(execution.id);
				return names.length ? names : undefined;
			}, 20000);
			// The sandbox logs a request when it answers; the delayed one is still open, so wait a moment for it to be sent.
			await new Promise((resolve) => setTimeout(resolve, 3000));
			const killedAt = Date.now();
			await topology.killWorker(victim);
			const survivor = topology.workers.find((w) => w.name !== victim)?.name;

			/** @type {string[]} */
			const statuses = [];
			const outcome = await waitFor('n8n to end the execution', async () => {
				const current = await ctx.api.getExecution(execution.id);
				if (statuses[statuses.length - 1] !== current.status) statuses.push(current.status);
				return ['success', 'error', 'crashed', 'canceled'].includes(current.status) ? current : undefined;
			}, 180000, 1000);
			const seconds = Math.round((Date.now() - killedAt) / 1000);
			const run = await readExecution(ctx, execution.id);
			const message = String(run.data?.resultData?.error?.message ?? '');
			const startedBy = topology.workersThatStarted(execution.id);
			console.log(`queue: killed ${victim} (SIGKILL, worker and task runner) during execution ${execution.id}: statuses ${statuses.join(' → ')} after ${seconds} s; "${message.slice(0, 90)}…"; started by ${JSON.stringify(startedBy)}; node requests ${await reads()}`);
			// n8n 2.x runs Bull with maxStalledCount 0: the stalled job is failed, not handed to the other worker.
			assert.equal(outcome.status, 'error');
			assert.match(message, /failed to be processed too many times and will no longer retry/);
			assert.deepEqual(startedBy, [victim], 'another worker ran the execution again');
			assert.equal((await ctx.api.listExecutions(stored.id)).length, 1, 'the kill made n8n start another execution');
			assert.ok((await reads()) <= 1, 'the node\'s request was sent again');

			// The surviving worker takes the next run.
			const again = await callWebhook(topology, 'e2e-queue-slow');
			assert.equal(again.status, 200);
			const next = await waitFor('the next execution to succeed', async () => {
				const list = await ctx.api.listExecutions(stored.id);
				const other = list.find((e) => e.id !== execution.id);
				if (other && (other.status === 'error' || other.status === 'crashed')) throw new Error(`the next run ended ${other.status}`);
				return other?.status === 'success' ? other : undefined;
			}, 60000);
			assert.deepEqual(topology.workersThatStarted(next.id), [survivor]);
		} finally {
			await ctx.sandboxRequest('DELETE', '/_sandbox/faults');
			await ctx.api.deactivateWorkflow(stored.id);
		}
	});
});
