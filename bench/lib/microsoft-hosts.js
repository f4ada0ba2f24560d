// @ts-check
'use strict';

/**
 * Preload for the benchmarked n8n process (`NODE_OPTIONS=--require <this file>`): n8n's built-in Microsoft
 * nodes call fixed hosts (graph.microsoft.com, login.microsoftonline.com, <org>.crm.dynamics.com). Without
 * changing n8n, this sends their TLS connections to the sandbox instead: the connection goes to the sandbox's
 * loopback address and port, while the TLS server name stays Microsoft's, so the certificate is checked
 * against that name (the sandbox's certificate names them, signed by its CA in NODE_EXTRA_CA_CERTS).
 *
 *   BENCH_MICROSOFT_SANDBOX_PORT   the sandbox's port (required; nothing is rerouted without it)
 *
 * Graph and sign-in go to the sandbox's api address (127.0.0.1), Dataverse to its dataverse address
 * (127.0.0.3): the sandbox tells its hosts apart by the local address a connection reached. Both https.request
 * (axios, n8n's request helpers) and undici (fetch) open TLS sockets through tls.connect; dns.lookup answers
 * the same addresses for code that resolves first.
 */

const tls = require('node:tls');
const dns = require('node:dns');

const port = Number(process.env.BENCH_MICROSOFT_SANDBOX_PORT);

/** @param {unknown} host @returns {string | undefined} the sandbox address for a Microsoft host name */
function sandboxAddressOf(host) {
	if (typeof host !== 'string') return undefined;
	const name = host.toLowerCase().replace(/\.$/, '');
	if (name === 'graph.microsoft.com' || name === 'login.microsoftonline.com') return '127.0.0.1';
	if (/^[a-z0-9-]+\.crm\.dynamics\.com$/.test(name)) return '127.0.0.3';
	return undefined;
}

if (Number.isInteger(port) && port > 0) {
	const connect = tls.connect;
	/** tls.connect(options[, cb]) or tls.connect(port[, host][, options][, cb]): rewritten when the host is Microsoft's. */
	// @ts-ignore -- same signature as the original
	tls.connect = function connectToSandbox(...args) {
		let options;
		let rest;
		if (args[0] !== null && typeof args[0] === 'object') {
			options = args[0];
			rest = args.slice(1);
		} else if (typeof args[0] === 'number' || typeof args[0] === 'string') {
			const [givenPort, ...others] = args;
			const host = typeof others[0] === 'string' ? others.shift() : undefined;
			const extra = others[0] !== null && typeof others[0] === 'object' ? others.shift() : {};
			options = { ...extra, port: givenPort, ...(host === undefined ? {} : { host }) };
			rest = others;
		}
		const name = options && (options.servername || options.host);
		const address = sandboxAddressOf(name);
		if (!options || !address || Number(options.port ?? 443) !== 443) return connect.apply(this, /** @type {any} */ (args));
		const rerouted = { ...options, host: address, port, servername: String(name).toLowerCase() };
		delete rerouted.path;
		delete rerouted.lookup;
		return connect.call(this, rerouted, ...rest);
	};

	const lookup = dns.lookup;
	// @ts-ignore -- same signature as the original
	dns.lookup = function lookupSandbox(hostname, options, callback) {
		const address = sandboxAddressOf(hostname);
		if (!address) return lookup.call(this, hostname, options, callback);
		const done = typeof options === 'function' ? options : callback;
		const all = typeof options === 'object' && options !== null && options.all;
		process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
		return undefined;
	};
}

module.exports = { sandboxAddressOf };
