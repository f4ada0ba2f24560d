// @ts-check
'use strict';

/** `npm run sandbox [-- --port=8443]`: a standalone sandbox until Ctrl-C (`--port 8443` works too). */

const { startSandbox } = require('./index');
const { sandboxSummary } = require('./summary');

/** `--port=N` or `--port N` (the same style as `npm run dev -- --sandbox-port=N`), else SANDBOX_PORT, else 8443. */
function portArgument(argv) {
	const inline = argv.find((arg) => arg.startsWith('--port='));
	const index = argv.indexOf('--port');
	const value = inline ? inline.slice('--port='.length) : index >= 0 ? argv[index + 1] : (process.env.SANDBOX_PORT ?? '8443');
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got "${value}")`);
	return port;
}

async function main() {
	const port = portArgument(process.argv.slice(2));
	const sandbox = await startSandbox({ port });
	const lines = ['Microsoft 365 sandbox running', ...sandboxSummary(sandbox), '', 'Ctrl-C stops it.'];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => {
		sandbox.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
