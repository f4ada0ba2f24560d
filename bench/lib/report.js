// @ts-nocheck
'use strict';

/** Alternating runs, the results table, bench/results.md and the README's bench section. */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Results go to the checkout the bench was started from (the run itself may be in a snapshot of HEAD). */
const ROOT = process.env.BENCH_RESULTS_ROOT || path.resolve(__dirname, '../..');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results.md');
const README = path.join(ROOT, 'README.md');
const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

/**
 * Runs every side `runs` times, alternating (order reversed every other round, so background load on the
 * shared machine hits all sides alike). Returns each side's list of results.
 */
async function alternate(runs, sides) {
	const names = Object.keys(sides);
	const results = Object.fromEntries(names.map((name) => [name, []]));
	for (let round = 0; round < runs; round++) {
		for (const name of round % 2 ? [...names].reverse() : names) {
			const result = await sides[name]();
			if (process.env.BENCH_DEBUG) process.stderr.write(`  ${name}: ${JSON.stringify(result)}\n`);
			results[name].push(result);
		}
	}
	return results;
}

function fmt(value, digits = 1) {
	return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A table row: `pass` true / false, or null for a skipped row (`ours` says why). */
function row({ id, work, ours, reference, ratio, target, pass, runs }) {
	return { id, work, ours, reference, ratio, target, pass, runs };
}

function verdict(r) {
	return r.pass === null ? 'skipped' : r.pass ? 'pass' : 'FAIL';
}

const cell = (text) => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function markdownTable(rows) {
	return [
		'| id | work | ours | reference | ratio | target | result |',
		'|---|---|---|---|---|---|---|',
		...rows.map((r) => `| ${[r.id, r.work, r.ours, r.reference, r.ratio, r.target, verdict(r)].map(cell).join(' | ')} |`),
	].join('\n');
}

function machine() {
	const cpus = os.cpus();
	return `${os.type()} ${os.release()}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
}

/**
 * Prints the table and writes bench/results.md and the README's section between its markers; a run of some rows
 * only (`partial`) writes bench/results-partial.md instead, so the latest complete table stays where it is.
 */
function publish(rows, { n8nVersion, mode, runs, startedAt, notes = [], partial = false }) {
	const header = `Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · n8n ${n8nVersion} · ${mode} sizes, medians of ${runs} alternating runs · ${machine()}`;
	const table = markdownTable(rows);
	process.stdout.write(`\n${header}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
	const runsJson = JSON.stringify(Object.fromEntries(rows.filter((r) => r.runs).map((r) => [r.id, r.runs])), (key, value) => (typeof value === 'number' ? Number(value.toFixed(3)) : value));
	const document = [
		'# Benchmark results',
		'',
		'Written by `npm run bench` (see docs/development.md "Benchmarks"). Every figure comes from one run in real n8n 2.x',
		'against the local sandbox; ratios compare sides measured in that same run.',
		'',
		header,
		'',
		table,
		'',
		...notes.map((n) => `- ${n}`),
		'',
		'Single runs (MiB/s for transfers, seconds otherwise):',
		'',
		'```json',
		runsJson,
		'```',
		'',
	].join('\n');
	if (partial) return void fs.writeFileSync(RESULTS_FILE.replace(/\.md$/, '-partial.md'), document.replace('# Benchmark results', '# Benchmark results (some rows only)'));
	fs.writeFileSync(RESULTS_FILE, document);
	updateReadme(header, table);
}

/** Replaces the README's bench section (between its markers) when the markers are there. */
function updateReadme(header, table) {
	const readme = fs.readFileSync(README, 'utf8');
	const start = readme.indexOf(README_START);
	const end = readme.indexOf(README_END);
	if (start < 0 || end < start) return;
	const section = `${README_START}\n${header}\n\n${table}\n${README_END}`;
	fs.writeFileSync(README, readme.slice(0, start) + section + readme.slice(end + README_END.length));
}

module.exports = { alternate, fmt, row, publish, verdict, RESULTS_FILE };
