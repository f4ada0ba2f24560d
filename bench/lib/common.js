// @ts-nocheck
'use strict';

/** Shared by the bench scripts: CA restart, TypeScript on the fly, RSS sampling, child processes, medians. */

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { PerformanceObserver } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '../..');
const MIB = 1024 * 1024;

/**
 * Node reads NODE_EXTRA_CA_CERTS only at start-up: re-runs `script` with the sandbox CA trusted and gc exposed.
 * Returns true when the caller is already that process and should run its main().
 */
function ensureCaAndGc(script) {
	if (process.env.NODE_EXTRA_CA_CERTS && process.execArgv.includes('--expose-gc')) return true;
	const ca = execFileSync(process.execPath, [path.join(ROOT, 'test/sandbox/ca.js')], { encoding: 'utf8' }).trim();
	const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', script, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
	});
	child.on('exit', (code) => process.exit(code ?? 1));
	return false;
}

function registerTypeScript() {
	const ts = require('typescript');
	require.extensions['.ts'] = function compile(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		});
		module._compile(outputText, filename);
	};
}

/**
 * Runs `work` and returns its result, seconds and the peak RSS growth over the baseline of `pid` (default this
 * process; curl's runs are sampled through /proc). Dirty pages are flushed first, so one run's disk writeback
 * does not slow down the next one.
 */
async function measure(work, { rssOf, cpuOf } = {}) {
	execFileSync('sync');
	global.gc();
	await new Promise((resolve) => setTimeout(resolve, 50));
	const rss = rssOf ?? (() => process.memoryUsage.rss());
	const baseline = rssOf ? 0 : rss();
	let peak = baseline;
	let otherCpu = 0;
	const timer = setInterval(() => {
		peak = Math.max(peak, rss());
		if (cpuOf) otherCpu = Math.max(otherCpu, cpuOf());
	}, 25);
	const cpuBefore = process.cpuUsage();
	const faultsBefore = process.resourceUsage().minorPageFault;
	let gcMs = 0;
	const gcObserver = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) gcMs += entry.duration;
	});
	gcObserver.observe({ entryTypes: ['gc'] });
	const started = process.hrtime.bigint();
	try {
		const result = await work();
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		peak = Math.max(peak, rss());
		const own = process.cpuUsage(cpuBefore);
		// CPU seconds of the work (all threads of this process, or the sampled child): a load-independent cost.
		const cpuSeconds = cpuOf ? otherCpu : (own.user + own.system) / 1e6;
		if (process.env.BENCH_DEBUG) process.stderr.write(`cpu user ${own.user / 1e6} system ${own.system / 1e6} minor faults ${process.resourceUsage().minorPageFault - faultsBefore}\n`);
		return { result, seconds, peakGrowthMiB: (peak - baseline) / MIB, gcMs, cpuSeconds };
	} finally {
		clearInterval(timer);
		gcObserver.disconnect();
	}
}

/** RSS of another process in bytes (0 once it is gone). */
function rssOfPid(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = /VmRSS:\s+(\d+) kB/.exec(status);
		return match ? Number(match[1]) * 1024 : 0;
	} catch {
		return 0;
	}
}

/** CPU seconds (user + system) another process has used so far (0 once it is gone). */
function cpuOfPid(pid) {
	try {
		const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
	} catch {
		return 0;
	}
}

/** Runs a command; `onSpawn(child)` sees the process (for RSS sampling); resolves with stdout. */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
		options.onSpawn?.(child);
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		if (options.input) options.input.pipe(child.stdin);
		else child.stdin.end();
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out}`))));
	});
}

/** Runs curl, sampling its own peak RSS. */
async function measureCurl(args, options = {}) {
	let pid = 0;
	return await measure(
		async () => await run('curl', args, { ...options, onSpawn: (child) => (pid = child.pid) }),
		{ rssOf: () => (pid ? rssOfPid(pid) : 0), cpuOf: () => (pid ? cpuOfPid(pid) : 0) },
	);
}

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

module.exports = { ROOT, MIB, ensureCaAndGc, registerTypeScript, measure, measureCurl, run, median };
