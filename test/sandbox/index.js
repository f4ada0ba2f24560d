// @ts-check
'use strict';

/**
 * The Microsoft 365 sandbox: one HTTPS server answering as Entra ID + Microsoft Graph on 127.0.0.1:<port>
 * ("api" host), as the pre-authenticated files host on 127.0.0.2:<same port> and as a Dataverse
 * environment on 127.0.0.3:<same port> ("dataverse" host), a Finance & Operations environment on 127.0.0.4 ("financeOperations")
 * and Business Central on 127.0.0.5 ("businessCentral"). See README.md.
 */

const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const https = require('node:https');
const crypto = require('node:crypto');
const { ensureTls } = require('./ca');
const { createState } = require('./state');
const { createTokenService } = require('./tokens');
const { defaultResources, GRAPH_AUDIENCE } = require('./permissions');
const { Router, createContext, requestBodySource, bufferBodySource, dispatch } = require('./router');
const { Faults, faultResponse } = require('./faults');
const { SEED } = require('./seed');
const dataverse = require('./dataverse');
const financeOperations = require('./financeOperations');
const businessCentral = require('./businessCentral');

const API_ADDRESS = '127.0.0.1';
const FILES_ADDRESS = '127.0.0.2';
const DATAVERSE_ADDRESS = '127.0.0.3';
const FINANCE_OPERATIONS_ADDRESS = '127.0.0.4';
const BUSINESS_CENTRAL_ADDRESS = '127.0.0.5';
const RESET = Symbol('reset');

/**
 * @typedef {{ port?: number, tenants?: import('./state').Tenant[], apps?: any[], users?: import('./state').User[],
 *   tokenLifetimeSeconds?: number, modules?: Array<{ register: (router: Router, sandbox: any) => void }> }} SandboxOptions
 */

/** @param {SandboxOptions} [options] */
async function startSandbox(options = {}) {
	const tls = await ensureTls();
	const state = createState({ tenants: options.tenants, apps: options.apps, users: options.users, appCertificatePem: tls.appCert });
	const faults = new Faults();
	const router = new Router();
	/** @type {Set<import('node:stream').Duplex>} */
	const sockets = new Set();

	const server = https.createServer({ key: tls.serverKey, cert: tls.serverCert }, (req, res) => {
		handle(req, res).catch((error) => {
			process.stderr.write(`sandbox: ${error instanceof Error ? error.stack : String(error)}\n`);
			if (!res.headersSent) res.writeHead(500);
			res.end();
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	// The files, Dataverse, F&O and Business Central hosts share the HTTPS server: their sockets are handed over as connections.
	const extraListeners = [FILES_ADDRESS, DATAVERSE_ADDRESS, FINANCE_OPERATIONS_ADDRESS, BUSINESS_CENTRAL_ADDRESS].map((address) => ({
		address,
		listener: net.createServer((socket) => server.emit('connection', socket)),
	}));
	const port = await listenAll(server, extraListeners, options.port ?? 0);

	const loginUrl = `https://${API_ADDRESS}:${port}`;
	const graphUrl = `https://${API_ADDRESS}:${port}`;
	const filesUrl = `https://${FILES_ADDRESS}:${port}`;
	const dataverseUrl = `https://${DATAVERSE_ADDRESS}:${port}`;
	const financeOperationsUrl = `https://${FINANCE_OPERATIONS_ADDRESS}:${port}`;
	const businessCentralUrl = `https://${BUSINESS_CENTRAL_ADDRESS}:${port}`;
	const urls = { loginUrl, graphUrl, filesUrl, dataverseUrl, financeOperationsUrl, businessCentralUrl, port };
	const resources = defaultResources({ graphUrl, dataverseUrl });
	// Token audiences of the F&O environment and of Business Central (entra.js reads this list).
	resources.push(financeOperations.resource(financeOperationsUrl), businessCentral.resource(businessCentralUrl));
	const tokens = createTokenService({ state, loginUrl, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600 });

	const sandbox = {
		...urls,
		state,
		faults,
		router,
		resources,
		tokens,
		tls,
		/** Mints a Graph access token directly (tests that do not need a sign-in). */
		issueToken(/** @type {{ tenant?: string, appId?: string, userId?: string, scopes?: string[], roles?: string[], lifetimeSeconds?: number, audience?: string }} */ request = {}) {
			return tokens.issueAccessToken({
				tenantId: request.tenant ?? SEED.tenants.contoso.id,
				appId: request.appId ?? SEED.apps.multiTenant.clientId,
				audience: request.audience ?? GRAPH_AUDIENCE,
				userId: request.userId,
				scopes: request.scopes,
				roles: request.roles,
				lifetimeSeconds: request.lifetimeSeconds,
			}).token;
		},
		/** @param {import('./graph/batch').SubRequest} sub */
		runSubRequest: (sub) => runSubRequest(sub),
		async stop() {
			for (const { listener } of extraListeners) listener.close();
			server.close();
			for (const socket of sockets) socket.destroy();
			await Promise.all([
				new Promise((resolve) => server.once('close', resolve)),
				...extraListeners.map(({ listener }) => new Promise((resolve) => (listener.listening ? listener.once('close', resolve) : resolve(undefined)))),
			]);
		},
	};

	require('./control').register(router, sandbox);
	require('./entra').register(router, { state, tokens, resources, loginUrl, graphUrl });
	require('./graph/core').register(router, sandbox);
	require('./graph/batch').register(router, sandbox);
	for (const file of findDriveModules()) require(file).register(router, sandbox);
	for (const file of findOutlookModules()) require(file).register(router, sandbox);
	for (const file of findTeamsModules()) require(file).register(router, sandbox);
	require('./graph/groups-members').register(router, sandbox);
	dataverse.register(router, sandbox);
	financeOperations.register(router, sandbox);
	businessCentral.register(router, sandbox);
	for (const module of options.modules ?? []) module.register(router, sandbox);
	require('./graph/core').registerFallbacks(router);
	dataverse.registerFallbacks(router);
	financeOperations.registerFallbacks(router);
	businessCentral.registerFallbacks(router);

	/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
	async function handle(req, res) {
		const host = hostOf(req.socket.localAddress);
		const url = new URL(req.url ?? '/', { files: filesUrl, dataverse: dataverseUrl, financeOperations: financeOperationsUrl, businessCentral: businessCentralUrl, api: graphUrl }[host]);
		const headers = flattenHeaders(req.headers);
		const requestId = crypto.randomUUID();
		const entry = logRequest(req.method ?? 'GET', host, url, headers, requestId, false);

		if (host === 'files' && headers.authorization !== undefined) {
			// Pre-authenticated URLs must never receive a token; record it so tests can fail loudly.
			state.violations.push({ time: new Date().toISOString(), method: req.method ?? 'GET', path: url.pathname, reason: 'Authorization header sent to the files host' });
			const ctx = contextFor({ method: req.method ?? 'GET', url, headers, host, req, res, body: requestBodySource(req), requestId });
			const response = ctx.error(401, 'InvalidAuthenticationToken', 'Pre-authenticated URLs do not accept an Authorization header.', { connection: 'close' });
			return write(res, response, ctx, entry);
		}

		const ctx = contextFor({ method: req.method ?? 'GET', url, headers, host, req, res, body: requestBodySource(req), requestId });
		const response = await run(ctx);
		if (response === RESET) {
			if (entry) entry.status = 0;
			req.socket.destroy();
			return undefined;
		}
		return write(res, response, ctx, entry);
	}

	/** Faults first, then the route. @param {import('./router').Context} ctx */
	async function run(ctx) {
		if (!ctx.path.startsWith('/_sandbox/')) {
			const fault = faults.take(ctx.method, ctx.path, ctx.host);
			if (fault) {
				if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
				if (fault.reset) return RESET;
				const injected = faultResponse(fault);
				if (injected) return ctx.error(injected.status, injected.code, injected.message, injected.headers);
			}
		}
		return dispatch(router, ctx);
	}

	/** @param {import('./graph/batch').SubRequest} sub */
	async function runSubRequest(sub) {
		const url = new URL(sub.url, graphUrl);
		const requestId = crypto.randomUUID();
		const entry = logRequest(sub.method, 'api', url, sub.headers, requestId, true);
		const ctx = contextFor({ method: sub.method, url, headers: sub.headers, host: 'api', body: bufferBodySource(sub.body), requestId });
		const result = await run(ctx);
		// A connection reset cannot happen to one request inside a batch; the gateway reports a timeout.
		const response = result === RESET ? ctx.error(504, 'UnknownError', 'The gateway timed out.') : result;
		if (entry) entry.status = response.status;
		return response;
	}

	/** @param {Omit<Parameters<typeof createContext>[0], 'state' | 'sandbox' | 'authenticate'>} init */
	function contextFor(init) {
		const ctx = createContext({ ...init, state, sandbox: urls, authenticate: tokens.authenticate });
		if (init.host === 'financeOperations') return financeOperations.useErrors(ctx);
		if (init.host === 'businessCentral') return businessCentral.useErrors(ctx);
		return init.host === 'dataverse' ? dataverse.useDataverseErrors(ctx) : ctx;
	}

	/**
	 * @param {string} method @param {import('./router').HostName} host @param {URL} url @param {Record<string, string>} headers
	 * @param {string} requestId @param {boolean} viaBatch
	 */
	function logRequest(method, host, url, headers, requestId, viaBatch) {
		if (url.pathname.startsWith('/_sandbox/')) return null;
		/** @type {import('./state').RequestLogEntry} */
		const entry = { method, host, path: url.pathname, query: url.search, hasAuthorization: headers.authorization !== undefined, status: null, time: new Date().toISOString(), requestId, viaBatch };
		state.requests.push(entry);
		return entry;
	}

	return sandbox;
}

/**
 * @param {import('node:http').ServerResponse} res @param {import('./router').SandboxResponse} response
 * @param {import('./router').Context} ctx @param {import('./state').RequestLogEntry | null} entry
 */
function write(res, response, ctx, entry) {
	if (entry) entry.status = response.status;
	// Graph and the files host send request-id / client-request-id; Dataverse sends its own request id headers.
	const ids = ctx.host === 'dataverse'
		? { 'x-ms-service-request-id': ctx.requestId, req_id: ctx.requestId }
		: { 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId };
	/** @type {Record<string, string>} */
	const headers = { ...response.headers, ...ids };
	if (Buffer.isBuffer(response.body)) headers['content-length'] = String(response.body.length);
	else if (!response.body) headers['content-length'] = '0';
	res.writeHead(response.status, headers);
	if (ctx.method === 'HEAD' || !response.body) return void res.end();
	if (Buffer.isBuffer(response.body)) return void res.end(response.body);
	response.body.on('error', () => res.destroy());
	response.body.pipe(res);
	return undefined;
}

/** @param {import('node:http').IncomingHttpHeaders} raw */
function flattenHeaders(raw) {
	/** @type {Record<string, string>} */
	const headers = {};
	for (const [name, value] of Object.entries(raw)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

/** Which host a connection came in on, by the local address it reached. @param {string | undefined} address */
function hostOf(address) {
	const local = String(address ?? '').replace(/^::ffff:/, '');
	if (local === FINANCE_OPERATIONS_ADDRESS) return /** @type {'financeOperations'} */ ('financeOperations');
	if (local === BUSINESS_CENTRAL_ADDRESS) return /** @type {'businessCentral'} */ ('businessCentral');
	return /** @type {'api' | 'files' | 'dataverse'} */ (local === FILES_ADDRESS ? 'files' : local === DATAVERSE_ADDRESS ? 'dataverse' : 'api');
}

/** @param {net.Server} listener @param {number} port @param {string} address */
function listenOn(listener, port, address) {
	return new Promise((resolve, reject) => {
		listener.once('error', reject);
		listener.listen(port, address, () => {
			listener.off('error', reject);
			resolve(undefined);
		});
	});
}

/** @param {net.Server} listener */
function closeQuietly(listener) {
	return new Promise((resolve) => (listener.listening ? listener.close(() => resolve(undefined)) : resolve(undefined)));
}

/**
 * Listens on 127.0.0.1:<port> and on each extra address with the same port; with port 0, retries when the
 * random port is taken on one of the other addresses.
 * @param {https.Server} server @param {Array<{ address: string, listener: net.Server }>} extra @param {number} port
 */
async function listenAll(server, extra, port) {
	for (let attempt = 0; attempt < 10; attempt += 1) {
		await listenOn(server, port, API_ADDRESS);
		const chosen = /** @type {net.AddressInfo} */ (server.address()).port;
		try {
			for (const { address, listener } of extra) await listenOn(listener, chosen, address);
			return chosen;
		} catch (error) {
			for (const { listener } of extra) await closeQuietly(listener);
			await closeQuietly(server);
			if (port !== 0) throw error;
		}
	}
	throw new Error(`sandbox: no port free on ${[API_ADDRESS, ...extra.map((e) => e.address)].join(', ')}`);
}

/** Drive routes live in graph/drives.js (written separately, with its helpers graph/drives-*.js); loaded when present. */
function findDriveModules() {
	const file = path.join(__dirname, 'graph', 'drives.js');
	return fs.existsSync(file) ? [file] : [];
}

/** Outlook routes live in graph/outlook.js (mail, calendars, contacts; helpers graph/mail-*.js, calendar-*.js); loaded when present. */
function findOutlookModules() {
	const file = path.join(__dirname, 'graph', 'outlook.js');
	return fs.existsSync(file) ? [file] : [];
}

/** Teams, Planner, online meetings and subscriptions live in graph/teams.js (helpers graph/teams-*.js, chats-*, planner-*, meetings-*, subscriptions-*); loaded when present. */
function findTeamsModules() {
	const file = path.join(__dirname, 'graph', 'teams.js');
	return fs.existsSync(file) ? [file] : [];
}

module.exports = { startSandbox, SEED };
