// @ts-check
'use strict';

/**
 * Dataverse's multipart `$batch` (`POST /api/data/v9.2/$batch`, `Content-Type: multipart/mixed; boundary=…`): each
 * `application/http` part is one request (absolute URL on the environment, an absolute path, or a path relative to
 * `/api/data/v9.2/`), run in order through the same routes, token checks and faults (`host: 'dataverse'`) as a direct
 * request, with the batch's Authorization header, and logged with `viaBatch: true`. The answer is `multipart/mixed`
 * with one `application/http` part per request, in order, without `Content-ID` outside change sets (as in
 * Microsoft's examples). Change sets (a nested `multipart/mixed` part) are atomic: their requests run in order with
 * `Content-ID` echoed and `$n` references to earlier requests of the set resolved (URL and JSON strings such as
 * `"x@odata.bind": "$1"`); the first failure undoes all of the set's writes and the set answers with that one error.
 * GET inside a change set, more than 1,000 requests, malformed parts and other hosts → 400 0x80048d19 before anything
 * runs. Without `Prefer: odata.continue-on-error` the batch stops after the first failed request or change set; with
 * it everything runs and the answer has `Preference-Applied: odata.continue-on-error`.
 */

const crypto = require('node:crypto');
const { STATUS_CODES } = require('node:http');
const { httpError, createContext, bufferBodySource, dispatch } = require('./router');
const { faultResponse } = require('./faults');
const { boundaryOf, splitParts, splitHead, bodyText } = require('./multipart');

const API = '/api/data/v9.2';
/** Dataverse's limit of requests in one batch. */
const MAX_BATCH_REQUESTS = 1000;
/** Dataverse's code for a malformed batch payload. */
const PAYLOAD_ERROR = '0x80048d19';

/** Parts between boundaries, or Dataverse's payload error when the closing boundary is missing. @param {string} text @param {string} boundary */
function partsOrRefuse(text, boundary) {
	const parts = splitParts(text, boundary);
	if (!parts) throw httpError(400, PAYLOAD_ERROR, 'The batch request is missing its closing boundary.');
	return parts;
}

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox
 * @param {{ host: import('./router').HostName, authorised: (handler: any) => import('./router').Handler,
 *   useDataverseErrors: (ctx: import('./router').Context) => import('./router').Context, store: import('./dataverse-store').DataverseStore }} options
 */
function registerBatch(router, sandbox, { host, authorised, useDataverseErrors, store }) {
	const root = new URL(`${sandbox.dataverseUrl}${API}/`);

	/** The URL a part addresses, on this environment only. @param {string} target */
	const resolve = (target) => {
		let url;
		try {
			url = new URL(target, root);
		} catch {
			throw httpError(400, PAYLOAD_ERROR, `The batch request contains an invalid URL: '${target}'.`);
		}
		if (url.origin !== root.origin) throw httpError(400, PAYLOAD_ERROR, `The batch request addresses another host: '${url.origin}'.`);
		return url;
	};

	/**
	 * One request of the batch through faults and routes, logged like a direct request.
	 * @param {{ method: string, url: URL, headers: Record<string, string>, body: Buffer }} sub
	 */
	const runSubRequest = async (sub) => {
		const requestId = crypto.randomUUID();
		const entry = {
			method: sub.method, host: 'dataverse', path: sub.url.pathname, query: sub.url.search,
			hasAuthorization: sub.headers.authorization !== undefined, status: /** @type {number | null} */ (null),
			time: new Date().toISOString(), requestId, viaBatch: true,
		};
		sandbox.state.requests.push(entry);
		const ctx = useDataverseErrors(createContext({
			method: sub.method, url: sub.url, headers: sub.headers, host, body: bufferBodySource(sub.body), requestId,
			state: sandbox.state, sandbox: { loginUrl: sandbox.loginUrl, graphUrl: sandbox.graphUrl, filesUrl: sandbox.filesUrl, port: sandbox.port },
			authenticate: sandbox.tokens.authenticate,
		}));
		let response;
		const fault = sandbox.faults.take(sub.method, sub.url.pathname, host);
		if (fault?.delayMs) await new Promise((done) => setTimeout(done, fault.delayMs));
		// A connection cannot be reset for one request inside a batch; the gateway reports a timeout.
		if (fault?.reset) response = ctx.error(504, 'UnknownError', 'The gateway timed out.');
		const injected = fault ? faultResponse(fault) : null;
		if (!response && injected) response = ctx.error(injected.status, injected.code, injected.message, injected.headers);
		response ??= await dispatch(router, ctx);
		entry.status = response.status;
		return response;
	};

	/**
	 * One `application/http` part → a request (the batch's Authorization header; `$n` references resolved).
	 * @param {string} raw @param {string} authorization @param {Map<string, string>} [references]
	 */
	const parseRequest = (raw, authorization, references) => {
		const part = splitHead(raw);
		const type = part.headers['content-type'] ?? '';
		if (!/^application\/http/i.test(type)) throw httpError(400, PAYLOAD_ERROR, `A batch part must be application/http, not '${type}'.`);
		const http = splitHead(part.rest);
		const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(http.lines[0] ?? '');
		if (!requestLine) throw httpError(400, PAYLOAD_ERROR, `Invalid request line in the batch: '${http.lines[0] ?? ''}'.`);
		/** @type {Record<string, string>} */
		const headers = {};
		for (const line of http.lines.slice(1)) {
			const colon = line.indexOf(':');
			if (colon <= 0) throw httpError(400, PAYLOAD_ERROR, `Invalid header line in the batch: '${line}'.`);
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		headers.authorization = authorization;
		return { method: requestLine[1], target: requestLine[2], headers, body: http.rest, contentId: part.headers['content-id'] ?? null, references };
	};

	/**
	 * Resolves `$n` (a Content-ID of an earlier request of the same change set) in the URL and in JSON string values.
	 * @param {{ method: string, target: string, headers: Record<string, string>, body: string, references?: Map<string, string> }} request
	 */
	const materialise = (request) => {
		let { target, body } = request;
		const references = request.references;
		if (references) {
			const head = /^\$(\w+)(.*)$/.exec(target);
			if (head) {
				const url = references.get(head[1]);
				if (!url) throw httpError(400, PAYLOAD_ERROR, `The Content-ID reference '$${head[1]}' does not name an earlier request of this change set.`);
				target = `${url}${head[2]}`;
			}
			body = body.replace(/"\$(\w+)"/g, (whole, id) => (references.has(id) ? JSON.stringify(references.get(id)) : whole));
		}
		return { method: request.method, url: resolve(target), headers: request.headers, body: Buffer.from(body, 'utf8') };
	};

	/** @param {import('./router').SandboxResponse} response @param {string | null} contentId */
	const responsePart = async (response, contentId) => {
		const headerLines = Object.entries(response.headers)
			.filter(([name]) => !['content-length', 'request-id', 'client-request-id'].includes(name))
			.map(([name, value]) => `${name}: ${value}`);
		return [
			'Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : []), '',
			`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(), ...headerLines, '', await bodyText(response),
		].join('\r\n');
	};

	router.add('POST', /^\/api\/data\/v9\.2\/\$batch$/, authorised(async (/** @type {import('./router').Context} */ ctx) => {
		const boundary = boundaryOf(ctx.headers['content-type'] ?? '');
		if (!/^multipart\/mixed/i.test(ctx.headers['content-type'] ?? '') || !boundary) {
			throw httpError(400, PAYLOAD_ERROR, 'The batch request must have a Content-Type of multipart/mixed with a boundary.');
		}
		const authorization = ctx.headers.authorization ?? '';
		/** @type {Array<{ kind: 'single', request: ReturnType<typeof parseRequest> } | { kind: 'changeset', requests: Array<ReturnType<typeof parseRequest>> }>} */
		const items = partsOrRefuse((await ctx.readBody()).toString('utf8'), boundary).map((raw) => {
			const part = splitHead(raw);
			const type = part.headers['content-type'] ?? '';
			if (!/^multipart\/mixed/i.test(type)) return { kind: 'single', request: parseRequest(raw, authorization) };
			const inner = boundaryOf(type);
			if (!inner) throw httpError(400, PAYLOAD_ERROR, 'A change set must have a Content-Type of multipart/mixed with a boundary.');
			/** @type {Map<string, string>} */
			const references = new Map();
			const requests = partsOrRefuse(part.rest, inner).map((item) => parseRequest(item, authorization, references));
			if (requests.length === 0) throw httpError(400, PAYLOAD_ERROR, 'A change set must contain at least one request.');
			const ids = new Set();
			for (const request of requests) {
				if (request.method === 'GET') throw httpError(400, PAYLOAD_ERROR, 'A change set may contain only POST, PATCH, PUT and DELETE requests; send GET requests outside change sets.');
				if (request.contentId && ids.has(request.contentId)) throw httpError(400, PAYLOAD_ERROR, `The Content-ID '${request.contentId}' is used twice in one change set.`);
				if (request.contentId) ids.add(request.contentId);
			}
			return { kind: 'changeset', requests };
		});
		const total = items.reduce((sum, item) => sum + (item.kind === 'single' ? 1 : item.requests.length), 0);
		if (total > MAX_BATCH_REQUESTS) throw httpError(400, PAYLOAD_ERROR, `Number of requests in a batch exceeded the limit of ${MAX_BATCH_REQUESTS}; this batch has ${total}.`);
		// Nothing runs before the whole payload has been read and checked (a malformed part fails the batch, not half of it).
		for (const item of items) for (const request of item.kind === 'single' ? [item.request] : item.requests) if (!/^\$\w+/.test(request.target)) resolve(request.target);

		const continueOnError = /odata\.continue-on-error/i.test(ctx.headers.prefer ?? '');
		const answer = `batchresponse_${crypto.randomUUID()}`;
		/** @type {string[]} */
		const out = [];
		for (const item of items) {
			if (item.kind === 'single') {
				const response = await runSubRequest(materialise(item.request));
				out.push(`--${answer}\r\n${await responsePart(response, null)}`);
				if (!continueOnError && response.status >= 400) break;
				continue;
			}
			// A change set applies whole or not at all: on the first failure everything it did is undone and its answer
			// is that one error.
			/** @type {Array<() => void>} */
			const journal = [];
			/** @type {string[]} */
			const parts = [];
			/** @type {import('./router').SandboxResponse | null} */
			let failed = null;
			let failedId = null;
			await store.withJournal(journal, async () => {
				for (const request of item.requests) {
					let response;
					try {
						response = await runSubRequest(materialise(request));
					} catch (error) {
						if (!(error instanceof Error) || !('status' in error)) throw error;
						const ctxError = useDataverseErrors(createContext({ method: request.method, url: root, headers: {}, host, body: bufferBodySource(Buffer.alloc(0)), state: sandbox.state, sandbox: { loginUrl: sandbox.loginUrl, graphUrl: sandbox.graphUrl, filesUrl: sandbox.filesUrl, port: sandbox.port }, authenticate: sandbox.tokens.authenticate }));
						const thrown = /** @type {any} */ (error);
						response = ctxError.error(thrown.status, thrown.code, thrown.message);
					}
					if (response.status >= 400) {
						failed = response;
						failedId = request.contentId;
						break;
					}
					const entity = response.headers['odata-entityid'] ?? response.headers.location;
					if (request.contentId && entity && request.references) request.references.set(request.contentId, entity);
					parts.push(await responsePart(response, request.contentId));
				}
			});
			if (failed) {
				store.rollback(journal);
				out.push(`--${answer}\r\n${await responsePart(failed, failedId)}`);
				if (!continueOnError) break;
				continue;
			}
			const changeset = `changesetresponse_${crypto.randomUUID()}`;
			out.push(`--${answer}\r\nContent-Type: multipart/mixed; boundary=${changeset}\r\n\r\n${parts.map((part) => `--${changeset}\r\n${part}`).join('\r\n')}\r\n--${changeset}--`);
		}
		const body = `${out.join('\r\n')}\r\n--${answer}--\r\n`;
		return ctx.send(200, body, {
			'content-type': `multipart/mixed; boundary=${answer}`,
			'odata-version': '4.0',
			...(continueOnError ? { 'preference-applied': 'odata.continue-on-error' } : {}),
		});
	}), { host });
}

module.exports = { registerBatch, MAX_BATCH_REQUESTS };
