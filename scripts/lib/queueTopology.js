// @ts-check
'use strict';
/**
 * n8n 2.x in queue mode, the way an operator scales it out: PostgreSQL and Redis (queueServices.js), one main
 * (`n8n start`: editor, REST API, triggers and pollers), two workers (`n8n worker`: run the executions) and one
 * webhook processor (`n8n webhook`: production and waiting webhooks), binary data in the database (2.x's
 * default in queue mode, set explicitly). Every process has its own user folder with the packed package
 * installed the community way (one npm install, copied), so each loads it itself.
 *
 * It offers what N8nInstance offers (baseUrl = the main, userFolder, logFile, server, prepare, start, stop,
 * cli, execute), so the e2e harness and `npm run dev` use it in place of a single instance.
 */
const fs = require('node:fs');
const path = require('node:path');
const { N8N_LINES, n8nBin, nodeBinDirFor, log } = require('./runtime');
const { startProcess, freePort } = require('./processes');
const { n8nEnv, N8nInstance } = require('./n8n');
const { ensureQueuePackages, startPostgres, startRedis, servicesDir } = require('./queueServices');

const WORKER_NAMES = ['worker-1', 'worker-2'];

/**
 * Shorter Bull lock and stalled-job check than n8n's defaults (lock 60 s, renewed every 10 s, stalled check every
 * 30 s) so that a killed worker's job is noticed within about 25 s instead of 90 s; the behaviour is the same.
 */
const FAST_STALL_DETECTION = { QUEUE_WORKER_LOCK_DURATION: '15000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' };

/** While booting n8n answers every path with 200 "n8n is starting up" (HTML): the main is ready when settings come back as JSON. */
async function isSettingsJson(/** @type {Response} */ response) {
	return (response.headers.get('content-type') || '').includes('application/json') && Boolean((await response.json())?.data);
}

async function waitForHttp(what, url, exited, logFile, timeoutMs = 300000, accept = async (/** @type {Response} */ response) => response.ok) {
	const deadline = Date.now() + timeoutMs;
	let ended = false;
	exited.then(() => {
		ended = true;
	});
	while (Date.now() < deadline) {
		if (ended) throw new Error(`${what} exited before it was ready; last log lines:\n${tail(logFile, 40)}`);
		try {
			const response = await fetch(url);
			if (response.ok && (await accept(response))) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`${what} was not ready within ${timeoutMs / 1000} s; last log lines:\n${tail(logFile, 40)}`);
}

function tail(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * @typedef {{ name: string, role: 'worker' | 'webhook', userFolder: string, logFile: string, port: number, brokerPort: number,
 *   proc?: ReturnType<typeof startProcess> }} QueueProcess
 */

class QueueTopology {
	/**
	 * @param {{ userFolder: string, caFile?: string, port?: number, webhookPort?: number, fastStallDetection?: boolean }} options
	 * `userFolder` holds one folder per process (main/, worker-1/, worker-2/, webhook/) and the databases' logs.
	 */
	constructor(options) {
		this.line = /** @type {'2'} */ ('2');
		this.root = options.userFolder;
		this.caFile = options.caFile;
		this.fixedPort = options.port;
		this.fixedWebhookPort = options.webhookPort;
		this.fastStallDetection = options.fastStallDetection ?? true;
		this.main = new N8nInstance({ line: '2', userFolder: path.join(this.root, 'main'), caFile: this.caFile, port: options.port });
		/** @type {QueueProcess[]} */
		this.processes = [];
		/** @type {Awaited<ReturnType<typeof startPostgres>> | undefined} */
		this.postgres = undefined;
		/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
		this.redis = undefined;
		this.servicesDir = '';
		/** Seconds spent installing postgresql / redis-server with apt-get (0 when present). */
		this.packageInstallSeconds = 0;
	}

	get userFolder() {
		return this.main.userFolder;
	}

	get logFile() {
		return this.main.logFile;
	}

	get baseUrl() {
		return this.main.baseUrl;
	}

	get server() {
		return this.main.server;
	}

	get version() {
		return N8N_LINES[this.line].version;
	}

	/** Where production and waiting webhooks are served (`WEBHOOK_URL` of every process). */
	get webhookUrl() {
		return `http://127.0.0.1:${this.webhookProcess().port}`;
	}

	get workers() {
		return this.processes.filter((entry) => entry.role === 'worker');
	}

	webhookProcess() {
		const found = this.processes.find((entry) => entry.role === 'webhook');
		if (!found) throw new Error('the webhook processor is not prepared');
		return found;
	}

	/** Installs postgres/redis (first use) and n8n, starts the databases, installs the package for every process. */
	async prepare(tarball) {
		const installed = await ensureQueuePackages();
		this.packageInstallSeconds = installed.seconds;
		fs.mkdirSync(this.root, { recursive: true });
		await this.main.prepare(tarball);
		this.servicesDir = servicesDir();
		[this.postgres, this.redis] = await Promise.all([startPostgres(this.servicesDir), startRedis(this.servicesDir)]);
		log(`queue mode: postgres on 127.0.0.1:${this.postgres.port}, redis on 127.0.0.1:${this.redis.port} (data in ${this.servicesDir})`);
		const mainNodes = path.join(this.main.userFolder, '.n8n', 'nodes');
		const roles = [...WORKER_NAMES.map((name) => ({ name, role: /** @type {const} */ ('worker') })), { name: 'webhook', role: /** @type {const} */ ('webhook') }];
		for (const { name, role } of roles) {
			const userFolder = path.join(this.root, name);
			fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
			// The same installed package in every process's own folder: a real copy, as an operator's image would have.
			if (tarball) fs.cpSync(mainNodes, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
			const port = role === 'webhook' && this.fixedWebhookPort ? this.fixedWebhookPort : await freePort();
			this.processes.push({ name, role, userFolder, logFile: path.join(userFolder, 'n8n.log'), port, brokerPort: await freePort() });
		}
	}

	/** What every process shares: queue mode, the database, Redis, binary data in the database, public URLs. */
	sharedEnv() {
		if (!this.postgres || !this.redis) throw new Error('prepare() first');
		return {
			...this.postgres.env,
			...this.redis.env,
			EXECUTIONS_MODE: 'queue',
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Manual runs (the editor's "Execute workflow") go to the workers as well.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Production webhooks are served by the webhook processor only, as n8n recommends with webhook processors.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			WEBHOOK_URL: `${this.webhookUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			...(this.fastStallDetection ? FAST_STALL_DETECTION : {}),
		};
	}

	/** @param {QueueProcess} entry */
	envOf(entry) {
		const extra = { ...this.sharedEnv(), ...(entry.role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(entry.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } : {}) };
		return n8nEnv({ line: this.line, userFolder: entry.userFolder, port: entry.port, brokerPort: entry.brokerPort, caFile: this.caFile, extra });
	}

	/** @param {QueueProcess} entry */
	async startProcessOf(entry) {
		const started = Date.now();
		const args = entry.role === 'worker' ? ['worker', '--concurrency=5'] : ['webhook'];
		const node = path.join(nodeBinDirFor(this.line), 'node');
		entry.proc = startProcess(node, [n8nBin(this.line), ...args], { env: this.envOf(entry), cwd: entry.userFolder, logFile: entry.logFile });
		await waitForHttp(`n8n ${entry.name}`, `http://127.0.0.1:${entry.port}/healthz/readiness`, entry.proc.exited, entry.logFile);
		log(`n8n ${entry.name} ready on 127.0.0.1:${entry.port} in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${entry.logFile})`);
	}

	async start() {
		// The main runs the migrations; the others start once the schema exists. Started here rather than with
		// N8nInstance.start(): its 120 s readiness limit was too short on a busy 2-core machine (migrations on
		// PostgreSQL plus three more n8n processes starting right after).
		this.main.extraEnv = this.sharedEnv();
		const started = Date.now();
		const node = path.join(nodeBinDirFor(this.line), 'node');
		this.main.server = startProcess(node, [n8nBin(this.line), 'start'], { env: this.main.env(), cwd: this.main.userFolder, logFile: this.main.logFile });
		await waitForHttp('n8n main', `${this.baseUrl}/rest/settings`, this.main.server.exited, this.main.logFile, 300000, isSettingsJson);
		log(`n8n ${this.version} main ready at ${this.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${this.main.logFile})`);
		await Promise.all(this.processes.map((entry) => this.startProcessOf(entry)));
	}

	/** SIGKILL of a worker's process group (the worker and its task runner), as a crash or an OOM kill would. */
	async killWorker(name) {
		const entry = this.workers.find((worker) => worker.name === name);
		if (!entry?.proc) throw new Error(`no running worker ${name}`);
		const pid = entry.proc.child.pid;
		if (pid !== undefined) process.kill(-pid, 'SIGKILL');
		await entry.proc.exited;
		entry.proc = undefined;
	}

	async stop() {
		await Promise.all(this.processes.map((entry) => entry.proc?.stop().catch(() => undefined)));
		for (const entry of this.processes) entry.proc = undefined;
		await this.main.stop().catch(() => undefined);
		await this.redis?.stop().catch(() => undefined);
		await this.postgres?.stop().catch(() => undefined);
		this.redis = undefined;
		this.postgres = undefined;
		if (this.servicesDir) fs.rmSync(this.servicesDir, { recursive: true, force: true });
	}

	/** A CLI command against the main's folder and the shared database. */
	async cli(args, options = {}) {
		return this.main.cli(args, options);
	}

	async execute(workflowId) {
		return this.main.execute(workflowId);
	}

	/** Log text of every process by name (main, worker-1, worker-2, webhook). */
	logs() {
		/** @type {Record<string, string>} */
		const texts = { main: readOr(this.main.logFile) };
		for (const entry of this.processes) texts[entry.name] = readOr(entry.logFile);
		return texts;
	}

	/** Names of the workers whose log says they started (or resumed) this execution, once per start. */
	workersThatStarted(executionId) {
		const pattern = new RegExp(`Worker started execution ${executionId} \\(job`, 'g');
		return this.workers.flatMap((entry) => Array.from(readOr(entry.logFile).matchAll(pattern), () => entry.name));
	}

	/** Copies every process's log into `dir` as `n8n-queue-<name>.log`. */
	copyLogs(dir) {
		fs.mkdirSync(dir, { recursive: true });
		const files = [['main', this.main.logFile], ...this.processes.map((entry) => [entry.name, entry.logFile])];
		for (const [name, file] of files) if (fs.existsSync(file)) fs.copyFileSync(file, path.join(dir, `n8n-queue-${name}.log`));
	}
}

/**
 * With four n8n processes on two cores, the call after a large answer (the 2 MB `/types/nodes.json`) twice failed
 * with "other side closed": n8n had closed the keep-alive socket the client reused. Such a call is sent once more.
 * @param {import('./n8nApi').N8nApi} api
 */
function retryOnClosedSocket(api) {
	const request = api.request.bind(api);
	api.request = async (/** @type {[string, string, any?, any?]} */ ...args) => {
		try {
			return await request(...args);
		} catch (error) {
			if (/** @type {any} */ (error)?.cause?.code !== 'UND_ERR_SOCKET') throw error;
			return request(...args);
		}
	};
	return api;
}

function readOr(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

module.exports = { QueueTopology, WORKER_NAMES, FAST_STALL_DETECTION, retryOnClosedSocket };
