// @ts-check
'use strict';
/**
 * Command-line options of the npm scripts, one style everywhere: `--name=value` (`--name value` is accepted
 * too, so `npm run sandbox -- --port 9443` and `npm run dev -- --sandbox-port=9443` both work).
 */

/**
 * @param {string} name option name without dashes
 * @param {string} [fallback]
 * @param {string[]} [argv]
 * @returns {string | undefined}
 */
function option(name, fallback, argv = process.argv.slice(2)) {
	const flag = `--${name}`;
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
		if (arg === flag && index + 1 < argv.length && !argv[index + 1].startsWith('--')) return argv[index + 1];
	}
	return fallback;
}

/** Whether a bare flag (`--no-build`) is present. */
function flag(name, argv = process.argv.slice(2)) {
	return argv.includes(`--${name}`);
}

/** Arguments that are neither options nor option values (`npm run example -- oneDrive/list-root`). */
function positional(argv = process.argv.slice(2)) {
	const values = [];
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		if (arg.startsWith('--')) {
			// `--name value`: skip the value too.
			if (!arg.includes('=') && index + 1 < argv.length && !argv[index + 1].startsWith('--') && VALUE_OPTIONS.has(arg.slice(2))) index++;
			continue;
		}
		values.push(arg);
	}
	return values;
}

/** Options that take a value (so `--port 5679 name` leaves `name` positional). */
const VALUE_OPTIONS = new Set(['n8n', 'port', 'sandbox-port']);

/**
 * A TCP port option: an integer 0–65535.
 * @param {string} name
 * @param {string} fallback
 */
function portOption(name, fallback) {
	const value = option(name, fallback);
	const port = Number(value);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--${name} must be a port number (got "${value}")`);
	return port;
}

module.exports = { option, flag, positional, portOption };
