// @ts-nocheck
'use strict';

/**
 * The bench runs from a snapshot of the last commit (HEAD) in a scratch folder, so files other engineers are
 * editing in the working tree (nodes, sandbox) cannot break or colour the run: `runFromSnapshot` extracts HEAD,
 * links node_modules and runs the same bench script there (n8n runtimes and results stay in this checkout).
 * `--worktree` snapshots the working tree's files instead of HEAD.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { run, RUNTIME_DIR } = require('../../scripts/lib/runtime');
const { runCaptured } = require('../../scripts/lib/processes');

const ROOT = path.resolve(__dirname, '../..');

/**
 * Runs `bench/<script>` of a snapshot with `args` (HEAD, or with `worktree` the checkout's files as they are now:
 * built in the snapshot too, so builds of others in this checkout's dist/ cannot collide with it); resolves with
 * its exit code.
 */
async function runFromSnapshot(script, args, { worktree = false } = {}) {
	const src = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-src-'));
	try {
		const copy = worktree
			? 'git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -x -C "$0"'
			: 'git archive --format=tar HEAD | tar -x -C "$0"';
		await run('sh', ['-c', copy, src], { cwd: ROOT });
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
		const head = (await runCaptured('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, env: process.env })).stdout.trim();
		const commit = worktree ? `the working tree (on ${head})` : `commit ${head}`;
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
