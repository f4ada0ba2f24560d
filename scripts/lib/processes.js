// @ts-check
'use strict';
/**
 * Child processes started by dev/e2e: each runs in its own process group so that stopping it also stops what
 * it started (n8n's task runner), and every group still alive is stopped when this process exits or is
 * interrupted. Only processes started here are ever signalled.
 */
const fs = require('node:fs');
const net = require('node:net');
const { spawn } = require('node:child_process');

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

function signalGroup(child, signal) {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// Group already gone.
	}
}

/**
 * Starts a long-running process in its own group, output appended to `logFile`.
 * @returns {{ child: import('node:child_process').ChildProcess, exited: Promise<number | null>, stop: (graceMs?: number) => Promise<void> }}
 */
function startProcess(command, args, { env, cwd, logFile }) {
	const out = fs.openSync(logFile, 'a');
	const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	running.add(child);
	const exited = new Promise((resolve) => {
		child.on('exit', (code) => {
			running.delete(child);
			resolve(code);
		});
		child.on('error', () => {
			running.delete(child);
			resolve(null);
		});
	});
	async function stop(graceMs = 10000) {
		signalGroup(child, 'SIGTERM');
		const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
		if ((await Promise.race([exited, timer])) === 'timeout') {
			signalGroup(child, 'SIGKILL');
			await exited;
		}
		// The runner may outlive its parent for a moment: make sure the whole group is gone.
		try {
			if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
		} catch {
			// Nothing left.
		}
	}
	return { child, exited, stop };
}

/**
 * Runs a command to completion, capturing its output. Never rejects on a non-zero exit: callers decide.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number, input?: string }} [options]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>}
 */
function runCaptured(command, args, { env, cwd, timeoutMs = 300000, input, stdoutFile } = {}) {
	return new Promise((resolve, reject) => {
		// A file, not a pipe, when asked: a process that exits right after printing megabytes (n8n execute) loses the
		// end of what it wrote to a pipe; writes to a file are synchronous in Node.
		const outFd = stdoutFile ? fs.openSync(stdoutFile, 'w') : undefined;
		const child = spawn(command, args, { env, cwd, detached: true, stdio: ['pipe', outFd ?? 'pipe', 'pipe'] });
		if (outFd !== undefined) fs.closeSync(outFd);
		running.add(child);
		const stdout = [];
		const stderr = [];
		child.stdout?.on('data', (chunk) => stdout.push(chunk));
		child.stderr.on('data', (chunk) => stderr.push(chunk));
		const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			running.delete(child);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			running.delete(child);
			const out = stdoutFile ? fs.readFileSync(stdoutFile, 'utf8') : Buffer.concat(stdout).toString('utf8');
			if (stdoutFile) fs.rmSync(stdoutFile, { force: true });
			resolve({ code, signal, stdout: out, stderr: Buffer.concat(stderr).toString('utf8') });
		});
		child.stdin.end(input);
	});
}

/** Stops every process group started here (synchronously usable from an exit handler). */
function killAllSync() {
	for (const child of running) signalGroup(child, 'SIGKILL');
	running.clear();
}

let handlersInstalled = false;
/** On Ctrl-C / SIGTERM: run `cleanup` once (graceful), then kill what is left and exit. */
function onShutdown(cleanup) {
	if (handlersInstalled) return;
	handlersInstalled = true;
	let shuttingDown = false;
	const handler = (signal) => {
		if (shuttingDown) {
			killAllSync();
			process.exit(130);
		}
		shuttingDown = true;
		process.stderr.write(`\n${signal}: stopping everything…\n`);
		Promise.resolve()
			.then(cleanup)
			.catch(() => undefined)
			.finally(() => {
				killAllSync();
				process.exit(signal === 'SIGINT' ? 130 : 143);
			});
	};
	process.on('SIGINT', handler);
	process.on('SIGTERM', handler);
	process.on('exit', killAllSync);
}

/**
 * For processes without their own shutdown logic (the e2e test process): children run in their own process
 * groups and do not see the terminal's Ctrl-C, so kill them when this process exits or is interrupted.
 */
function killChildrenOnExit() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', killAllSync);
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, () => {
			killAllSync();
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

module.exports = { startProcess, runCaptured, killAllSync, onShutdown, killChildrenOnExit, freePort };
