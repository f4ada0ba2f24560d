// @ts-nocheck
'use strict';

/**
 * The bench runs from a snapshot of the last commit (HEAD) in a scratch folder, so files other engineers are
 * editing in the working tree (nodes, sandbox) cannot break or colour the run: `runFromSnapshot` extracts HEAD,
 * links node_modules and runs the same bench script there (n8n runtimes and results stay in this checkout).
 * `--worktree` runs in place instead.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { run, RUNTIME_DIR } = require('../../scripts/lib/runtime');
const { runCaptured } = require('../../scripts/lib/processes');

const ROOT = path.resolve(__dirname, '../..');

/** Runs `bench/<script>` of a HEAD snapshot with `args`; resolves with its exit code. */
async function runFromSnapshot(script, args) {
	const src = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-src-'));
	try {
		await run('sh', ['-c', 'git archive --format=tar HEAD | tar -x -C "$0"', src], { cwd: ROOT });
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
		const commit = (await runCaptured('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, env: process.env })).stdout.trim();
		const child = spawn(process.execPath, [path.join(src, 'bench', script), ...args], {
			stdio: 'inherit',
			env: { ...process.env, BENCH_SNAPSHOT_OF: commit, BENCH_RESULTS_ROOT: ROOT, N8N_RUNTIME_DIR: RUNTIME_DIR },
		});
		process.on('SIGTERM', () => child.kill('SIGTERM'));
		return await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
	} finally {
		fs.rmSync(src, { recursive: true, force: true });
	}
}

module.exports = { runFromSnapshot };
