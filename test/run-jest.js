// @ts-check
'use strict';

/**
 * `npm test`: makes sure the sandbox CA exists, then runs jest with NODE_EXTRA_CA_CERTS pointing at it
 * (Node reads that variable only at start, so it must be set before jest's workers start).
 * Extra arguments go to jest: `npm test -- test/unit`.
 */

const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureTls } = require('./sandbox/ca');

ensureTls().then(
	(tls) => {
		const jest = require.resolve('jest/bin/jest');
		const child = spawn(process.execPath, [jest, ...process.argv.slice(2)], {
			cwd: path.join(__dirname, '..'),
			stdio: 'inherit',
			env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caPath },
		});
		child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
	},
	(error) => {
		process.stderr.write(`could not create the sandbox CA: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	},
);
