// @ts-nocheck
'use strict';

/**
 * One real n8n 2.x server for the whole bench run: the packed package installed the community way, the sandbox
 * in this process, and n8n's built-in Microsoft nodes routed to the sandbox by a preload (microsoft-hosts.js).
 * Credentials of both sides are connected through n8n's own OAuth2 flow; workflows run over n8n's REST API in
 * the server process, so one process's memory is sampled for every side.
 */

const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, tempUserFolder } = require('../../scripts/lib/n8n');
const { N8nApi } = require('../../scripts/lib/n8nApi');
const { startSandbox, createSandboxCredentials, seed } = require('../../scripts/lib/environment');
const { RUNTIME_DIR, nodeBinDirFor, n8nBin } = require('../../scripts/lib/runtime');
const { startProcess } = require('../../scripts/lib/processes');

const PRELOAD = path.join(__dirname, 'microsoft-hosts.js');
const STORE_PROBE = path.join(__dirname, 'store-probe.js');
const MICROSOFT_LOGIN = 'https://login.microsoftonline.com';
/** The Dataverse environment URL the built-in Dataverse node is given (routed to the sandbox's Dataverse host). */
const DATAVERSE_ENVIRONMENT = 'https://contoso.crm.dynamics.com';
const MIB = 1024 * 1024;

/** Resident and peak-resident memory of a process in bytes (VmRSS, VmHWM). */
function memoryOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
		return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
	} catch {
		return { rss: 0, hwm: 0 };
	}
}

/** Resets the kernel's peak RSS of a process to its current RSS (clear_refs 5); false where not allowed. */
function resetPeak(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

async function startBenchN8n(tarball) {
	const { sandbox, caFile } = await startSandbox({ port: 0 });
	// The built-in Dataverse and Dynamics CRM credentials ask for `<environment URL>/.default`: the sandbox's Dataverse
	// resource answers to that name too (Entra grants user_impersonation, what an app registration for Dataverse lists).
	sandbox.resources.find((resource) => resource.identifiers?.includes(sandbox.dataverseUrl))?.identifiers.push(DATAVERSE_ENVIRONMENT);
	const userFolder = tempUserFolder('n8n-bench-');
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const n8n = new N8nInstance({
		line: '2',
		userFolder,
		caFile,
		extraEnv: {
			// BENCH_N8N_PROFILE=<dir>: a CPU profile of the benchmarked n8n process, written when it stops.
			NODE_OPTIONS: `--require ${PRELOAD} --require ${STORE_PROBE}${process.env.BENCH_N8N_PROFILE ? ` --cpu-prof --cpu-prof-dir=${process.env.BENCH_N8N_PROFILE}` : ''}`,
			BENCH_STORE_PROBE_FILE: path.join(userFolder, 'store-probe'),
			BENCH_MICROSOFT_SANDBOX_PORT: String(sandbox.port),
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_LOG_LEVEL: 'warn',
		},
	});
	const env = { sandbox, n8n, filesDir, api: undefined, credentials: {}, seed: seed().SEED };
	try {
		await n8n.prepare(tarball);
		await startPatiently(n8n);
		env.api = new N8nApi(n8n.baseUrl);
		await env.api.setupOwnerAndLogin();
		env.credentials = await createSandboxCredentials(env.api, sandbox, { connect: true });
		await connectBuiltInCredentials(env);
	} catch (error) {
		await stopBenchN8n(env);
		throw error;
	}
	env.pid = n8n.server.child.pid;
	return env;
}

/**
 * `n8n start`, waiting up to 10 minutes for the REST API: on the shared 2-core machine under load n8n's start-up
 * took 45–95 s and twice ran past the e2e harness's 120 s.
 */
async function startPatiently(n8n) {
	const started = Date.now();
	n8n.server = startProcess(path.join(nodeBinDirFor('2'), 'node'), [n8nBin('2'), 'start'], { env: n8n.env(), cwd: n8n.userFolder, logFile: n8n.logFile });
	let exited = false;
	n8n.server.exited.then(() => (exited = true));
	while (Date.now() - started < 10 * 60 * 1000) {
		if (exited) throw new Error(`n8n exited during start; see ${n8n.logFile}`);
		try {
			const response = await fetch(`${n8n.baseUrl}/rest/settings`);
			if (response.ok && (response.headers.get('content-type') ?? '').includes('application/json') && (await response.json())?.data) {
				process.stderr.write(`[bench] n8n ${n8n.version} ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
				return;
			}
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not become ready within 10 minutes; see ${n8n.logFile}`);
}

async function stopBenchN8n(env) {
	await env.n8n.stop().catch(() => undefined);
	await env.sandbox.stop().catch(() => undefined);
	if (!process.env.BENCH_KEEP) fs.rmSync(env.n8n.userFolder, { recursive: true, force: true });
}

/**
 * n8n's built-in credentials (their sign-in host is fixed to login.microsoftonline.com): created over REST and
 * connected with n8n's OAuth2 flow. This process plays the browser whose DNS sends Microsoft's names to the
 * sandbox (the authorize URL's origin is swapped); n8n's own token exchange goes through the preload.
 */
async function connectBuiltInCredentials(env) {
	const multi = env.seed.apps.multiTenant;
	const specs = {
		microsoftOneDriveOAuth2Api: { clientId: multi.clientId, clientSecret: multi.secret },
		// The built-in's default scopes include MailboxSettings.Read, which the sandbox's Entra does not know: its
		// other default scopes are asked for instead (none of the benchmarked operations needs mailbox settings).
		microsoftOutlookOAuth2Api: {
			clientId: multi.clientId, clientSecret: multi.secret, customScopes: true,
			enabledScopes: 'openid offline_access Contacts.Read Contacts.ReadWrite Calendars.Read Calendars.Read.Shared Calendars.ReadWrite Mail.ReadWrite Mail.ReadWrite.Shared Mail.Send Mail.Send.Shared',
		},
		microsoftDataverseOAuth2Api: {
			grantType: 'authorizationCode', cloud: 'global', tenantId: env.seed.tenants.contoso.id, environmentUrl: DATAVERSE_ENVIRONMENT,
			clientId: multi.clientId, clientSecret: multi.secret,
		},
		// The Dynamics CRM node addresses https://{subdomain}.{region}: the same environment as the Dataverse credential.
		microsoftDynamicsOAuth2Api: { clientId: multi.clientId, clientSecret: multi.secret, subdomain: new URL(DATAVERSE_ENVIRONMENT).hostname.split('.')[0], region: 'crm.dynamics.com' },
	};
	for (const [type, data] of Object.entries(specs)) {
		const name = `Bench: built-in ${type}`;
		const created = await env.api.createCredential({ name, type, data });
		env.credentials[type] = { id: created.id, name, type };
		try {
			await connectThroughSandbox(env, created.id);
		} catch (error) {
			env.credentials[type].failure = error.message;
		}
	}
}

async function connectThroughSandbox(env, credentialId) {
	const api = env.api;
	const authorizeUrl = await api.request('GET', `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
	const rerouted = String(authorizeUrl).replace(/^https:\/\/login\.microsoftonline\.com/, env.sandbox.loginUrl);
	const consent = await fetch(rerouted, { redirect: 'manual' });
	const location = consent.headers.get('location');
	if (!location) throw new Error(`authorize answered ${consent.status}: ${(await consent.text()).slice(0, 300)}`);
	const callback = await fetch(new URL(location, rerouted), { headers: api.headers(), redirect: 'manual' });
	const page = await callback.text();
	if (callback.status !== 200 || /Failed to connect/.test(page)) throw new Error(`OAuth2 callback: ${page.match(/<h4>([\s\S]*?)<\/h4>/)?.[1] ?? callback.status}`);
}

/** Run data arrives `flatted`-serialised; n8n's own copy of flatted reads it. */
function parseRunData(data) {
	if (typeof data !== 'string') return data;
	return require(path.join(RUNTIME_DIR, 'n8n-2', 'node_modules', 'flatted')).parse(data);
}

const manualTrigger = { parameters: {}, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };

/** A manual trigger followed by `nodes` in a chain. */
function chain(name, nodes) {
	const all = [manualTrigger, ...nodes.map((node, index) => ({ position: [220 * (index + 1), 0], ...node }))];
	const connections = {};
	for (let i = 0; i < all.length - 1; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes: all, connections };
}

/** Points each node's credential at the bench's credential of that type. */
function withCredentials(env, workflow) {
	for (const node of workflow.nodes) {
		for (const type of Object.keys(node.credentials ?? {})) {
			if (node.credentials[type].id) continue; // a row's own credential
			const credential = env.credentials[type];
			if (!credential) throw new Error(`no bench credential of type ${type}`);
			node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return workflow;
}

/**
 * Imports and runs a workflow in the server (manual mode) and waits for it. Returns n8n's per-node execution
 * times, the output items of each node, the run's error and the n8n process's peak RSS growth during the run.
 */
async function runInServer(env, workflow, { timeoutMs = 30 * 60 * 1000 } = {}) {
	const stored = await env.api.createWorkflow(withCredentials(env, structuredClone(workflow)));
	const exact = resetPeak(env.pid);
	const baseline = memoryOf(env.pid).rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(env.pid).rss)), 20);
	const started = Date.now();
	try {
		const body = { workflowData: stored, triggerToStartFrom: { name: 'Start' } };
		const answer = await env.api.request('POST', `/rest/workflows/${stored.id}/run`, body);
		const executionId = answer?.executionId;
		if (!executionId) throw new Error(`n8n did not start the run: ${JSON.stringify(answer).slice(0, 300)}`);
		let execution;
		for (;;) {
			execution = await env.api.getExecution(executionId).catch(() => undefined);
			if (execution && (execution.finished || ['success', 'error', 'crashed', 'canceled'].includes(execution.status))) break;
			if (Date.now() - started > timeoutMs) throw new Error(`run of "${workflow.name}" did not finish in ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		clearInterval(sampler);
		peak = Math.max(peak, memoryOf(env.pid).rss, exact ? memoryOf(env.pid).hwm : 0);
		const data = parseRunData(execution.data);
		// Deleting the execution deletes its binary data too (1 GiB files would otherwise fill the disk).
		await env.api.request('POST', '/rest/executions/delete', { ids: [executionId] }).catch(() => undefined);
		const runData = data?.resultData?.runData ?? {};
		const error = data?.resultData?.error;
		return {
			status: execution.status,
			ok: execution.status === 'success' && !error,
			error: error ? `${error.node?.name ? `${error.node.name}: ` : ''}${error.message}${error.description ? ` (${error.description})` : ''}` : undefined,
			seconds: (nodeName) => (runData[nodeName]?.[0]?.executionTime ?? NaN) / 1000,
			startTime: (nodeName) => runData[nodeName]?.[0]?.startTime,
			items: (nodeName) => runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
			nodeError: (nodeName) => runData[nodeName]?.[0]?.error?.message,
			peakGrowthMiB: (peak - baseline) / MIB,
			workflowId: stored.id,
		};
	} finally {
		clearInterval(sampler);
	}
}

/**
 * n8n's binary store fed `size` bytes from memory inside the server process (store-probe.js, on SIGUSR2):
 * the store's own ceiling, with no network. Returns its seconds and the server's peak RSS growth.
 */
async function storeProbe(env, size) {
	const file = path.join(env.n8n.userFolder, 'store-probe');
	fs.rmSync(`${file}.result`, { force: true });
	fs.writeFileSync(`${file}.request`, JSON.stringify({ size }));
	const exact = resetPeak(env.pid);
	const baseline = memoryOf(env.pid).rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(env.pid).rss)), 20);
	try {
		process.kill(env.pid, 'SIGUSR2');
		const deadline = Date.now() + 30 * 60 * 1000;
		while (!fs.existsSync(`${file}.result`)) {
			if (Date.now() > deadline) throw new Error('the store probe did not answer');
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await new Promise((resolve) => setTimeout(resolve, 50)); // the answer is written in one call; let it land
		const result = JSON.parse(fs.readFileSync(`${file}.result`, 'utf8'));
		if (result.error) throw new Error(`store probe: ${result.error}`);
		peak = Math.max(peak, memoryOf(env.pid).rss, exact ? memoryOf(env.pid).hwm : 0);
		return { ok: result.bytes === size, seconds: result.seconds, peakGrowthMiB: (peak - baseline) / MIB };
	} finally {
		clearInterval(sampler);
	}
}

/** Sandbox requests (api / files / dataverse hosts) logged since `from`. */
function requestsSince(env, from) {
	return env.sandbox.state.requests.slice(from);
}

module.exports = { startBenchN8n, stopBenchN8n, runInServer, storeProbe, chain, requestsSince, memoryOf, DATAVERSE_ENVIRONMENT, MIB };
