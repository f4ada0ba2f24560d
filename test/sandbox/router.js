// @ts-check
'use strict';

/**
 * A tiny router plus the per-request context handlers receive. Handlers build a response object
 * (`ctx.json` / `ctx.send` / `ctx.error` / `ctx.redirect`) instead of writing to the socket, so the same
 * handler serves a direct request and a `$batch` sub-request.
 */

const crypto = require('node:crypto');
const { Readable } = require('node:stream');

const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * @typedef {'api' | 'files' | 'dataverse' | 'financeOperations' | 'businessCentral'} HostName
 * @typedef {{ status: number, headers: Record<string, string>, body: Buffer | Readable | null }} SandboxResponse
 * @typedef {{ claims: Record<string, any>, tenantId: string, appId: string, userId: string | null,
 *   appOnly: boolean, scopes: string[], roles: string[] }} AuthInfo
 * @typedef {(ctx: Context) => Promise<SandboxResponse | void> | SandboxResponse | void} Handler
 * @typedef {{ method: string, pattern: string | RegExp, regex: RegExp, keys: string[], handler: Handler, host: HostName }} Route
 */

/** A Graph-shaped error a handler (or a helper such as requireAuth) throws to end the request. */
class SandboxHttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} code
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, code, message, headers = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.headers = headers;
	}
}

/** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
function httpError(status, code, message, headers) {
	return new SandboxHttpError(status, code, message, headers);
}

class Router {
	constructor() {
		/** @type {Route[]} */
		this.routes = [];
	}

	/**
	 * @param {string} method HTTP method or '*'
	 * @param {string | RegExp} pattern '/v1.0/users/:id' (each :param one segment) or a RegExp on the raw pathname
	 * @param {Handler} handler
	 * @param {{ host?: HostName }} [options]
	 */
	add(method, pattern, handler, options = {}) {
		/** @type {string[]} */
		const keys = [];
		let regex;
		if (pattern instanceof RegExp) {
			regex = pattern;
		} else {
			const source = pattern
				.split('/')
				.map((segment) => {
					if (segment.startsWith(':')) {
						keys.push(segment.slice(1));
						return '([^/]+)';
					}
					return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
				})
				.join('/');
			regex = new RegExp(`^${source}/?$`);
		}
		this.routes.push({ method: method.toUpperCase(), pattern, regex, keys, handler, host: options.host ?? 'api' });
		return this;
	}

	/**
	 * @param {string} method
	 * @param {string} rawPath still percent-encoded pathname
	 * @param {HostName} host
	 * @returns {{ route: Route, params: Record<string, string> } | { route: null, pathKnown: boolean }}
	 */
	match(method, rawPath, host) {
		let pathKnown = false;
		for (const route of this.routes) {
			if (route.host !== host) continue;
			const found = route.regex.exec(rawPath);
			if (!found) continue;
			pathKnown = true;
			if (route.method !== '*' && route.method !== method.toUpperCase()) continue;
			/** @type {Record<string, string>} */
			const params = {};
			route.keys.forEach((key, index) => (params[key] = safeDecode(found[index + 1])));
			for (const [key, value] of Object.entries(found.groups ?? {})) {
				if (value !== undefined) params[key] = safeDecode(value);
			}
			return { route, params };
		}
		return { route: null, pathKnown };
	}
}

/** @param {string} value */
function safeDecode(value) {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

/**
 * Where a context's body comes from: the live request (streamed) or a buffer (a `$batch` sub-request).
 * @typedef {{ stream: () => Readable, buffer: (limit: number) => Promise<Buffer> }} BodySource
 */

/** @param {import('node:http').IncomingMessage} req @returns {BodySource} */
function requestBodySource(req) {
	let consumed = false;
	return {
		stream() {
			if (consumed) throw new Error('request body already read');
			consumed = true;
			return req;
		},
		async buffer(limit) {
			if (consumed) throw new Error('request body already read');
			consumed = true;
			/** @type {Buffer[]} */
			const chunks = [];
			let size = 0;
			for await (const chunk of req) {
				size += chunk.length;
				if (size > limit) throw httpError(413, 'BadRequest', `Request body larger than ${limit} bytes`);
				chunks.push(chunk);
			}
			return Buffer.concat(chunks);
		},
	};
}

/** @param {Buffer} body @returns {BodySource} */
function bufferBodySource(body) {
	return { stream: () => Readable.from([body]), buffer: async () => body };
}

/**
 * @param {{ method: string, url: URL, headers: Record<string, string>, host: HostName, params?: Record<string, string>,
 *   req?: import('node:http').IncomingMessage | null, res?: import('node:http').ServerResponse | null,
 *   body: BodySource, state: any, sandbox: { loginUrl: string, graphUrl: string, filesUrl: string, port: number },
 *   authenticate: (ctx: Context, requirement: { scopes?: string[], roles?: string[] } | undefined, optional: boolean) => AuthInfo | null,
 *   requestId?: string }} init
 */
function createContext(init) {
	const requestId = init.requestId ?? crypto.randomUUID();
	const clientRequestId = init.headers['client-request-id'] || requestId;
	/** @type {Record<string, string>} */
	const query = {};
	for (const [key, value] of init.url.searchParams) query[key] = value;

	/** @param {number} status @param {Buffer | Readable | null} body @param {Record<string, string>} headers */
	const respond = (status, body, headers) => {
		/** @type {SandboxResponse} */
		const response = { status, headers: { ...lowerCaseKeys(headers) }, body };
		ctx.response = response;
		return response;
	};

	const ctx = {
		req: init.req ?? null,
		res: init.res ?? null,
		method: init.method.toUpperCase(),
		url: init.url,
		path: init.url.pathname,
		query,
		headers: init.headers,
		params: init.params ?? {},
		host: init.host,
		/** @type {AuthInfo | null} */
		auth: null,
		state: init.state,
		sandbox: init.sandbox,
		requestId,
		clientRequestId,
		/** @type {SandboxResponse | null} */
		response: null,

		readBody(limit = DEFAULT_BODY_LIMIT) {
			return init.body.buffer(limit);
		},
		async readJson() {
			const body = await init.body.buffer(DEFAULT_BODY_LIMIT);
			if (body.length === 0) return undefined;
			try {
				return JSON.parse(body.toString('utf8'));
			} catch {
				throw httpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
			}
		},
		bodyStream() {
			return init.body.stream();
		},
		/** @param {{ scopes?: string[], roles?: string[] }} [requirement] */
		requireAuth(requirement) {
			return /** @type {AuthInfo} */ (init.authenticate(ctx, requirement, false));
		},
		optionalAuth() {
			return init.authenticate(ctx, undefined, true);
		},
		/** @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
		json(status, body, headers = {}) {
			return respond(status, Buffer.from(JSON.stringify(body)), { 'content-type': GRAPH_JSON, ...headers });
		},
		/** @param {number} status @param {Buffer | string | Readable | null} body @param {Record<string, string>} [headers] */
		send(status, body, headers = {}) {
			const payload = typeof body === 'string' ? Buffer.from(body) : body;
			return respond(status, payload, headers);
		},
		/** @param {number} status @param {string} location @param {Record<string, string>} [headers] */
		redirect(status, location, headers = {}) {
			return respond(status, null, { location, ...headers });
		},
		/** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
		error(status, code, message, headers = {}) {
			return ctx.json(status, graphErrorBody(code, message, requestId, clientRequestId), headers);
		},
	};
	return ctx;
}

/** @typedef {ReturnType<typeof createContext>} Context */

/** Graph's error body. @param {string} code @param {string} message @param {string} requestId @param {string} clientRequestId */
function graphErrorBody(code, message, requestId, clientRequestId) {
	return {
		error: {
			code,
			message,
			innerError: {
				date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
				'request-id': requestId,
				'client-request-id': clientRequestId,
			},
		},
	};
}

/** @param {Record<string, string>} headers */
function lowerCaseKeys(headers) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [key, value] of Object.entries(headers)) if (value !== undefined) out[key.toLowerCase()] = String(value);
	return out;
}

/**
 * Runs the matching handler and always produces a response (errors become Graph errors).
 * @param {Router} router
 * @param {Context} ctx
 * @returns {Promise<SandboxResponse>}
 */
async function dispatch(router, ctx) {
	const found = router.match(ctx.method, ctx.path, ctx.host);
	if (!found.route) {
		return found.pathKnown
			? ctx.error(405, 'Request_BadRequest', `The HTTP method '${ctx.method}' is not allowed on this resource.`)
			: ctx.error(400, 'BadRequest', `Resource not found for the segment '${lastSegment(ctx.path)}'.`);
	}
	ctx.params = found.params;
	try {
		const result = await found.route.handler(ctx);
		const response = result ?? ctx.response;
		if (!response) return ctx.error(500, 'generalException', 'The sandbox handler produced no response.');
		return response;
	} catch (error) {
		if (error instanceof SandboxHttpError) return ctx.error(error.status, error.code, error.message, error.headers);
		process.stderr.write(`sandbox: handler for ${ctx.method} ${ctx.path} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
		return ctx.error(500, 'generalException', 'An internal sandbox error occurred.');
	}
}

/** @param {string} path */
function lastSegment(path) {
	return safeDecode(path.split('/').filter(Boolean).pop() ?? '');
}

module.exports = {
	Router,
	SandboxHttpError,
	httpError,
	createContext,
	requestBodySource,
	bufferBodySource,
	dispatch,
	graphErrorBody,
	GRAPH_JSON,
};
