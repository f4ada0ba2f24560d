// @ts-check
'use strict';

/**
 * POST /v1.0/$batch (JSON batching): at most 20 requests with relative URLs, each dispatched through the
 * same router and fault injection as a direct request (with the batch's Authorization header);
 * `dependsOn` makes a request wait for others and fail with 424 when one of them failed.
 */

const { httpError } = require('../router');

const MAX_BATCH = 20;

/**
 * @typedef {{ method: string, url: string, headers: Record<string, string>, body: Buffer }} SubRequest
 * @typedef {(sub: SubRequest) => Promise<import('../router').SandboxResponse>} RunSubRequest
 */

/** @param {import('../router').Router} router @param {{ runSubRequest: RunSubRequest }} sandbox */
function register(router, sandbox) {
	router.add('POST', '/v1.0/$batch', async (ctx) => {
		ctx.requireAuth();
		const payload = await ctx.readJson();
		const requests = payload?.requests;
		if (!Array.isArray(requests) || requests.length === 0) throw httpError(400, 'BadRequest', 'Invalid batch payload format.');
		if (requests.length > MAX_BATCH) {
			throw httpError(400, 'BadRequest', `The number of requests in the batch (${requests.length}) exceeds the limit of ${MAX_BATCH}.`);
		}
		validate(requests);

		/** @type {Map<string, number>} */
		const statusById = new Map();
		const responses = [];
		for (const request of requests) {
			const failedDependency = (request.dependsOn ?? []).some((/** @type {string} */ id) => (statusById.get(id) ?? 0) >= 400);
			if (failedDependency) {
				statusById.set(request.id, 424);
				responses.push({ id: request.id, status: 424, headers: {}, body: { error: { code: 'FailedDependency', message: 'Failed dependency.' } } });
				continue;
			}
			/** @type {Record<string, string>} */
			const headers = { authorization: ctx.headers.authorization ?? '' };
			for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = String(value);
			const url = `/v1.0${request.url.startsWith('/') ? '' : '/'}${request.url}`;
			const response = await sandbox.runSubRequest({ method: request.method, url, headers, body: bodyOf(request) });
			statusById.set(request.id, response.status);
			responses.push(await batchResponse(request.id, response));
		}
		return ctx.json(200, { responses });
	});
}

/** @param {any[]} requests */
function validate(requests) {
	const ids = new Set();
	for (const request of requests) {
		if (!request || typeof request.id !== 'string' || !request.id) throw httpError(400, 'BadRequest', 'Invalid batch payload format: every request needs a string "id".');
		if (ids.has(request.id)) throw httpError(400, 'BadRequest', `Invalid batch payload format: duplicate request id '${request.id}'.`);
		if (typeof request.method !== 'string' || typeof request.url !== 'string') {
			throw httpError(400, 'BadRequest', `Invalid batch payload format: request '${request.id}' needs "method" and "url".`);
		}
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url)) {
			throw httpError(400, 'BadRequest', `Invalid batch payload format: request '${request.id}' must use a relative URL.`);
		}
		if (request.body !== undefined && !Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === 'content-type')) {
			throw httpError(400, 'BadRequest', `Write request id : ${request.id} does not contain Content-Type header or body.`);
		}
		for (const dependency of request.dependsOn ?? []) {
			// Graph runs requests in order; a dependency must come earlier in the batch.
			if (!ids.has(dependency)) throw httpError(400, 'BadRequest', `Invalid dependsOn: request '${request.id}' depends on unknown or later request '${dependency}'.`);
		}
		ids.add(request.id);
	}
}

/** @param {any} request @returns {Buffer} */
function bodyOf(request) {
	if (request.body === undefined || request.body === null) return Buffer.alloc(0);
	if (typeof request.body === 'string') {
		const type = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
		// Non-JSON bodies travel base64-encoded inside a batch.
		return String(type).includes('json') ? Buffer.from(request.body) : Buffer.from(request.body, 'base64');
	}
	return Buffer.from(JSON.stringify(request.body));
}

/** @param {string} id @param {import('../router').SandboxResponse} response */
async function batchResponse(id, response) {
	const headers = { ...response.headers };
	delete headers['request-id'];
	delete headers['client-request-id'];
	delete headers['content-length'];
	/** @type {Buffer} */
	let buffer = Buffer.alloc(0);
	if (Buffer.isBuffer(response.body)) buffer = response.body;
	else if (response.body) {
		/** @type {Buffer[]} */
		const chunks = [];
		for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
		buffer = Buffer.concat(chunks);
	}
	/** @type {Record<string, unknown>} */
	const out = { id, status: response.status, headers };
	if (buffer.length > 0) {
		out.body = String(headers['content-type'] ?? '').includes('json') ? JSON.parse(buffer.toString('utf8')) : buffer.toString('base64');
	}
	return out;
}

module.exports = { register, MAX_BATCH };
