#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * CI's closing line: `N passed, N failed` over jest and the end-to-end runner, never better than the run.
 *
 *   node .ci/summary.js --jest-json <file> --jest-status <code> --e2e-log <file> --e2e-status <code>
 *   node .ci/summary.js --jest-json <file> --jest-status <code> --step-failed <step>   (a step stopped the run)
 *
 * jest: its own JSON result (`--json --outputFile`). Failed = failed tests, plus one for every suite that
 * failed without a failed test (it did not run: a syntax or import error, a missing file), plus one if jest
 * exited non-zero while its result counts nothing failed (it crashed, or wrote no result).
 * node --test: the `ℹ pass N`, `ℹ fail N` and `ℹ cancelled N` lines of its summary; cancelled tests (a
 * failing `before` hook, a timeout) count as failed, and a non-zero exit without any counted failure
 * (or without a summary) counts as one failure.
 */
const fs = require('node:fs');

function option(name) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : undefined;
}

/** @returns {{ passed: number, failed: number, notes: string[] }} */
function jestCounts(file, status) {
	const notes = [];
	/** @type {any} */
	let result;
	try {
		result = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
	} catch (error) {
		notes.push(`jest result ${file} unreadable: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (!result) return { passed: 0, failed: status === 0 ? 0 : 1, notes: [...notes, 'jest wrote no result'] };
	let failed = result.numFailedTests || 0;
	for (const suite of result.testResults || []) {
		const failedTests = (suite.assertionResults || []).filter((/** @type {any} */ test) => test.status === 'failed').length;
		if (suite.status === 'failed' && failedTests === 0) {
			failed += 1;
			notes.push(`suite failed to run: ${suite.name}`);
		}
	}
	if (status !== 0 && failed === 0) {
		failed = 1;
		notes.push(`jest exited ${status} without a failed test`);
	}
	return { passed: result.numPassedTests || 0, failed, notes };
}

/** @returns {{ passed: number, failed: number, notes: string[] }} */
function nodeTestCounts(file, status) {
	let text = '';
	try {
		text = file ? fs.readFileSync(file, 'utf8') : '';
	} catch {
		// Counted below as a run without a summary.
	}
	const last = (/** @type {string} */ word) => {
		const matches = [...text.matchAll(new RegExp(`^ℹ ${word} (\\d+)$`, 'gm'))];
		return matches.length > 0 ? Number(matches[matches.length - 1][1]) : undefined;
	};
	const passed = last('pass');
	const fail = last('fail');
	const cancelled = last('cancelled');
	const notes = [];
	let failed = (fail ?? 0) + (cancelled ?? 0);
	if (cancelled) notes.push(`${cancelled} e2e test(s) cancelled (failed hook or timeout)`);
	if (passed === undefined && status !== 0) notes.push('the e2e runner printed no summary');
	if (status !== 0 && failed === 0) {
		failed = 1;
		notes.push(`the e2e runner exited ${status} without a failed test`);
	}
	return { passed: passed ?? 0, failed, notes };
}

const stepFailed = option('step-failed');
const jestJson = option('jest-json');
// Before `npm test` ran (a failed install or build) there is no jest result, and none is expected.
const jestRan = !stepFailed || (jestJson !== undefined && fs.existsSync(jestJson));
const jest = jestRan ? jestCounts(jestJson, Number(option('jest-status') ?? 1)) : { passed: 0, failed: 0, notes: [] };
const e2eLog = option('e2e-log');
const e2e = e2eLog ? nodeTestCounts(e2eLog, Number(option('e2e-status') ?? 1)) : { passed: 0, failed: 0, notes: [] };
const step = stepFailed ? { failed: 1, notes: [`step failed: ${stepFailed}`] } : { failed: 0, notes: [] };
for (const note of [...jest.notes, ...e2e.notes, ...step.notes]) process.stdout.write(`note: ${note}\n`);
process.stdout.write(`${jest.passed + e2e.passed} passed, ${jest.failed + e2e.failed + step.failed} failed\n`);
