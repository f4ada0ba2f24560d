// @ts-check
'use strict';
/**
 * Runs a real n8n (server and CLI) from `.n8n-runtime/` with one user folder, the community package installed
 * there the way n8n's own "install community node" does it, and the sandbox's CA trusted.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, N8N_LINES, ensureN8n, n8nBin, nodeBinDirFor, run, log } = require('./runtime');
const { startProcess, runCaptured, freePort } = require('./processes');

/** Fixed so that credentials created in one run can be read by the CLI runs of the same user folder. */
const ENCRYPTION_KEY = 'n8n-nodes-microsoft-365-local-test-key';

/** `npm run build` then `npm pack` into `destDir`; returns the tarball's path. */
async function buildAndPack(destDir, { build = true } = {}) {
	fs.mkdirSync(destDir, { recursive: true });
	if (build) await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env });
	const result = await runCaptured('npm', ['pack', '--json', '--pack-destination', destDir], { cwd: ROOT, env: process.env });
	if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
	const packed = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
	return path.join(destDir, packed[0].filename);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` like n8n's community-package installer: a plain npm
 * install (no symlinks) that brings our runtime dependencies and leaves the `n8n-workflow` peer to n8n.
 */
async function installPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const result = await runCaptured('npm', ['install', tarball, '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: nodesDir, env: process.env });
	if (result.code !== 0) throw new Error(`installing ${tarball} into ${nodesDir} failed:\n${result.stderr}`);
	const installed = path.join(nodesDir, 'node_modules', 'n8n-nodes-microsoft-365');
	if (fs.lstatSync(installed).isSymbolicLink()) throw new Error(`${installed} is a symlink; expected a real install`);
	return installed;
}

/**
 * The environment n8n runs with: a private user folder and a fixed encryption key, telemetry, templates and
 * update checks off, one SQLite connection, listening on 127.0.0.1 only. `brokerPort` must differ between a
 * running server and a CLI run of the same folder, or the CLI's task broker cannot listen.
 */
function n8nEnv({ line, userFolder, port, brokerPort, caFile, extra = {} }) {
	const nodeBinDir = nodeBinDirFor(line);
	/** @type {Record<string, string>} */
	const env = {};
	// Start from a clean slate: npm's own variables (npm_config_*) and the caller's N8N_* must not leak in.
	for (const [key, value] of Object.entries(process.env)) {
		if (value === undefined || key.startsWith('npm_') || key.startsWith('N8N_') || key === 'NODE_OPTIONS') continue;
		env[key] = value;
	}
	const base = `http://127.0.0.1:${port}`;
	Object.assign(env, {
		PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		DB_SQLITE_POOL_SIZE: '1',
		N8N_PORT: String(port),
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		// The OAuth2 callback URL n8n gives the sign-in server is built from these.
		N8N_EDITOR_BASE_URL: `${base}/`,
		WEBHOOK_URL: `${base}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		// `n8n execute` prints the execution JSON through the info logger.
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...N8N_LINES[line].extraEnv,
		...extra,
	});
	if (caFile) env.NODE_EXTRA_CA_CERTS = caFile;
	return env;
}

function nodeFor(line) {
	return path.join(nodeBinDirFor(line), 'node');
}

async function waitForReady(baseUrl, exited, logFile, timeoutMs = 120000) {
	const deadline = Date.now() + timeoutMs;
	let processEnded = false;
	exited.then(() => {
		processEnded = true;
	});
	while (Date.now() < deadline) {
		if (processEnded) throw new Error(`n8n exited before it was ready; last log lines:\n${tail(logFile, 40)}`);
		try {
			// While booting n8n answers every path with 200 "n8n is starting up" (text/html); healthz also answers
			// before the REST API is mounted (1.x). Ready = settings come back as JSON.
			const response = await fetch(`${baseUrl}/rest/settings`);
			const isJson = (response.headers.get('content-type') || '').includes('application/json');
			if (response.ok && isJson && (await response.json())?.data) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not become ready within ${timeoutMs / 1000} s; last log lines:\n${tail(logFile, 40)}`);
}

function tail(file, lines) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * One n8n instance: a user folder with our package installed, a server that can be started/stopped, and CLI
 * commands against the same database.
 */
class N8nInstance {
	/**
	 * @param {{ line: '1' | '2', userFolder: string, caFile?: string, port?: number, extraEnv?: Record<string, string> }} options
	 */
	constructor(options) {
		this.line = options.line;
		this.userFolder = options.userFolder;
		this.caFile = options.caFile;
		this.fixedPort = options.port;
		this.extraEnv = options.extraEnv || {};
		this.logFile = path.join(this.userFolder, 'n8n.log');
		/** @type {ReturnType<typeof startProcess> | undefined} */
		this.server = undefined;
		this.port = 0;
		this.brokerPort = 0;
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	get version() {
		return N8N_LINES[this.line].version;
	}

	async prepare(tarball) {
		await ensureN8n(this.line);
		fs.mkdirSync(this.userFolder, { recursive: true });
		this.port = this.fixedPort || (await freePort());
		this.brokerPort = await freePort();
		if (tarball) await installPackage(this.userFolder, tarball);
	}

	env(extra = {}) {
		return n8nEnv({ line: this.line, userFolder: this.userFolder, port: this.port, brokerPort: this.brokerPort, caFile: this.caFile, extra: { ...this.extraEnv, ...extra } });
	}

	async start() {
		const started = Date.now();
		this.server = startProcess(nodeFor(this.line), [n8nBin(this.line), 'start'], { env: this.env(), cwd: this.userFolder, logFile: this.logFile });
		await waitForReady(this.baseUrl, this.server.exited, this.logFile);
		log(`n8n ${this.version} ready at ${this.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${this.logFile})`);
	}

	async stop() {
		if (this.server) await this.server.stop();
		this.server = undefined;
	}

	/** Runs an n8n CLI command against this user folder (own broker port, so it can run beside the server). */
	async cli(args, { timeoutMs = 180000 } = {}) {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_PORT: String(await freePort()) });
		const stdoutFile = path.join(this.userFolder, `cli-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.out`);
		return runCaptured(nodeFor(this.line), [n8nBin(this.line), ...args], { env, cwd: this.userFolder, timeoutMs, stdoutFile });
	}

	/**
	 * `n8n execute --id --rawOutput`; returns the parsed run data (`{ data: { resultData } }` shape) and whether
	 * n8n called it successful. Log lines precede the JSON, so parsing starts at the first line beginning `{`.
	 */
	async execute(workflowId) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const json = extractJson(result.stdout);
		return { ok: result.code === 0 && !/Execution was NOT successful/.test(result.stdout + result.stderr), code: result.code, run: json, stdout: result.stdout, stderr: result.stderr };
	}
}

/**
 * Parses the JSON document n8n printed: it starts at a line beginning with `{` (log lines before it are skipped; a
 * log line that itself begins with `{` is tried and passed over) and later log lines are dropped.
 */
function extractJson(stdout) {
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (!lines[start].startsWith('{')) continue;
		const parsed = parseFrom(lines, start);
		if (parsed !== undefined) return parsed;
	}
	return undefined;
}

function parseFrom(lines, start) {
	for (let end = lines.length; end > start; end--) {
		const candidate = lines.slice(start, end).join('\n').trim();
		if (!candidate.endsWith('}')) continue;
		try {
			return JSON.parse(candidate);
		} catch {
			// A log line after the JSON: try a shorter slice.
		}
	}
	return undefined;
}

/** Output items (`{ json, binary? }`) of one node in a run returned by `execute`. */
function nodeOutput(run, nodeName, { output = 0, runIndex = 0 } = {}) {
	const resultData = run?.data?.resultData ?? run?.resultData;
	const nodeRuns = resultData?.runData?.[nodeName];
	if (!nodeRuns) return undefined;
	return nodeRuns[runIndex]?.data?.main?.[output] ?? [];
}

/** Output items (`json` of each) of one node in a run returned by `execute`. */
function nodeItems(run, nodeName, options = {}) {
	return nodeOutput(run, nodeName, options)?.map((item) => item.json);
}

/** The error a run ended with, as `{ node, message, description }`, or undefined. */
function runError(run) {
	const resultData = run?.data?.resultData ?? run?.resultData;
	const error = resultData?.error;
	if (!error) return undefined;
	return { node: error.node?.name, message: error.message, description: error.description };
}

function tempUserFolder(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

module.exports = { ENCRYPTION_KEY, N8nInstance, buildAndPack, installPackage, n8nEnv, extractJson, nodeItems, nodeOutput, runError, tempUserFolder };
