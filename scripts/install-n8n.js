#!/usr/bin/env node
// @ts-check
'use strict';
/** `npm run n8n:install [-- --n8n=2|1|both]`: installs the pinned n8n runtimes into .n8n-runtime/ (idempotent). */
const { ensureN8n, log } = require('./lib/runtime');
const { option } = require('./lib/args');

async function main() {
	const which = option('n8n', 'both');
	if (!['1', '2', 'both'].includes(String(which))) throw new Error(`--n8n must be 1, 2 or both (got "${which}")`);
	const lines = which === 'both' ? ['2', '1'] : [String(which)];
	for (const line of lines) {
		const result = await ensureN8n(line);
		log(`n8n ${line}.x: ${result.skipped ? 'already installed' : 'installed'} (${JSON.stringify(result)})`);
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
