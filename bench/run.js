#!/usr/bin/env node
// @ts-nocheck
'use strict';

/**
 * `npm run bench` (quick sizes) / `npm run bench -- --full` (issue 17's sizes): rows P1–P8 in one run, in real
 * n8n 2.x against the sandbox, ours beside n8n's built-in Microsoft nodes (routed to the sandbox by
 * lib/microsoft-hosts.js), n8n's HTTP Request node and curl. Prints the table and writes bench/results.md and
 * the README's bench section. Exits 2 when a row misses its target.
 *
 * Options: --full, --only=P1,P3 (rows to run), --runs=N (default 3), --worktree (snapshot the working tree's files, not HEAD).  BENCH_DEBUG=1 prints every single run;
 * BENCH_N8N_PROFILE=<dir> writes a CPU profile of the benchmarked n8n process.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildAndPack } = require('../scripts/lib/n8n');
const { runFromSnapshot } = require('./lib/pack');
const { ensureProcessTrustsSandboxCa, sandboxCaFile } = require('../scripts/lib/environment');
const { N8N_LINES } = require('../scripts/lib/runtime');
const { startBenchN8n, stopBenchN8n } = require('./lib/n8n-bench');
const { publish, verdict } = require('./lib/report');
const { transferRows } = require('./rows/transfer');
const { listingRows } = require('./rows/listing');
const { dataverseRow } = require('./rows/dataverse');
const { triggerRow } = require('./rows/trigger');
const { throttlingRow } = require('./rows/throttling');
const { coldLoadRow } = require('./rows/coldLoad');

const SIZES = {
	quick: { transferMiB: 64, folderItems: 2000, dataverseRows: 100, messages: 1000, triggerMessages: 100, throttledOps: 30, starts: 3 },
	full: { transferMiB: 1024, folderItems: 20000, dataverseRows: 1000, messages: 10000, triggerMessages: 1000, throttledOps: 500, starts: 7 },
};

function options(argv) {
	const value = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
	const only = value('only')?.toUpperCase().split(',');
	return { full: argv.includes('--full'), worktree: argv.includes('--worktree'), only, runs: Math.max(3, Number(value('runs') ?? 3)) };
}

async function main() {
	await ensureProcessTrustsSandboxCa();
	const opts = options(process.argv.slice(2));
	const mode = opts.full ? 'full' : 'quick';
	const sizes = SIZES[mode];
	const wanted = (id) => !opts.only || opts.only.includes(id);
	const startedAt = new Date();
	const caFile = await sandboxCaFile();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pack-'));
	const log = (text) => process.stderr.write(`[bench] ${text}\n`);
	const rows = [];
	const notes = [];
	try {
		log('building and packing the package...');
		const tarball = await buildAndPack(packDir);
		notes.push(`package and sandbox from ${process.env.BENCH_SNAPSHOT_OF ?? 'the working tree'}`);
		const needsServer = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7'].some(wanted);
		if (needsServer) {
			const env = await startBenchN8n(tarball);
			try {
				for (const [type, credential] of Object.entries(env.credentials)) {
					if (credential.failure) notes.push(`credential ${type} did not connect: ${credential.failure}`);
				}
				const step = async (ids, label, fn) => {
					if (!ids.some(wanted)) return;
					log(`${ids.join('/')}: ${label}...`);
					const started = Date.now();
					try {
						const produced = await fn();
						rows.push(...[].concat(produced).filter((r) => wanted(r.id)));
					} catch (error) {
						log(`${ids.join('/')} failed: ${error.stack}`);
						for (const id of ids.filter(wanted)) rows.push({ id, work: label, ours: `bench error: ${error.message.slice(0, 200)}`, reference: '', ratio: '', target: '', pass: false });
					}
					log(`${ids.join('/')} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
				};
				await step(['P1', 'P2'], `upload / download ${sizes.transferMiB} MiB`, () => transferRows(env, { sizeMiB: sizes.transferMiB, runs: opts.runs, caFile }));
				await step(['P3', 'P5'], `list ${sizes.folderItems} drive items / ${sizes.messages} messages`, () => listingRows(env, { folderItems: sizes.folderItems, messages: sizes.messages, runs: opts.runs }));
				await step(['P4'], `create ${sizes.dataverseRows} Dataverse rows`, () => dataverseRow(env, { count: sizes.dataverseRows, runs: opts.runs }));
				await step(['P6'], `${sizes.triggerMessages} messages between two polls`, () => triggerRow(env, { count: sizes.triggerMessages, checkNextPoll: opts.full }));
				await step(['P7'], `${sizes.throttledOps} operations under 429s`, () => throttlingRow(env, { count: sizes.throttledOps, runs: opts.full ? 1 : opts.runs }));
			} finally {
				await stopBenchN8n(env);
			}
		}
		if (wanted('P8')) {
			log('P8: cold load...');
			try {
				rows.push(await coldLoadRow(tarball, { starts: Math.max(opts.runs, sizes.starts) }));
			} catch (error) {
				log(`P8 failed: ${error.stack}`);
				rows.push({ id: 'P8', work: 'package cold load', ours: `bench error: ${error.message.slice(0, 200)}`, reference: '', ratio: '', target: '', pass: false });
			}
		}
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	rows.sort((a, b) => a.id.localeCompare(b.id));
	publish(rows, { n8nVersion: N8N_LINES[2].version, mode, runs: opts.runs, startedAt, notes, partial: Boolean(opts.only) });
	const failed = rows.filter((r) => verdict(r) === 'FAIL').map((r) => r.id);
	process.stdout.write(failed.length ? `Targets missed: ${failed.join(', ')}\n` : 'Every row that ran met its target.\n');
	process.exitCode = failed.length ? 2 : 0;
}

const snapshotWanted = !process.env.BENCH_SNAPSHOT_OF;
const worktree = process.argv.includes('--worktree');
(snapshotWanted ? runFromSnapshot('run.js', process.argv.slice(2), { worktree }).then((code) => process.exit(code)) : main()).catch((error) => {
	console.error(error);
	process.exit(1);
});
