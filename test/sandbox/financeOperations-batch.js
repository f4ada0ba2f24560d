// @ts-check
'use strict';

/**
 * F&O's multipart `$batch` (`POST /data/$batch`, `Content-Type: multipart/mixed; boundary=…`): `application/http`
 * parts and change sets (a nested `multipart/mixed` whose requests are applied all or none). Each request (absolute URL
 * on the environment, an absolute path, or a path relative to `/data/`) runs through the same routes, token checks and
 * faults (`host: 'financeOperations'`) as a direct request, with the batch's Authorization header, and is logged with
 * `viaBatch: true`. The answer is `multipart/mixed`: one `application/http` part per request outside change sets, a
 * nested multipart per change set whose requests all succeeded (each answer with the request's `Content-ID`), and for
 * a failed change set the failed request's answer alone, its changes rolled back. Without
 * `Prefer: odata.continue-on-error` the batch stops after the first failure.
 */

const crypto = require('node:crypto');
const { STATUS_CODES } = require('node:http');
const { httpError, createContext, bufferBodySource, dispatch } = require('./router');
const { faultResponse } = require('./faults');
const { boundaryOf, splitParts, splitHead, bodyText } = require('./multipart');

/** Requests in one batch the sandbox accepts. */
const MAX_BATCH_REQUESTS = 1000;
const PAYLOAD_ERROR = 'Microsoft.OData.ODataException';

/**
 * @typedef {{ method: string, url: URL, headers: Record<string, string>, body: Buffer, contentId?: string }} SubRequest
 * @param {import('./router').Router} router
 * @param {any} sandbox
 * @param {{ host: import('./router').HostName, base: string, authorised: (handler: any) => import('./router').Handler,
 *   useErrors: (ctx: import('./router').Context) => import('./router').Context, store: { snapshot(): any, restore(copy: any): void } }} options
 */
function registerBatch(router, sandbox, { host, base, authorised, useErrors, store }) {
	const root = new URL(`${base}/`);

	/** @param {string} target */
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

	/** One `application/http` part → a request. @param {{ headers: Record<string, string>, rest: string }} part @param {string} authorization */
	const readRequest = (part, authorization) => {
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
		/** @type {SubRequest} */
		const request = { method: requestLine[1], url: resolve(requestLine[2]), headers, body: Buffer.from(http.rest.replace(/\r?\n$/, ''), 'utf8') };
		const contentId = part.headers['content-id'] ?? headers['content-id'];
		if (contentId !== undefined) request.contentId = contentId;
		return request;
	};

	/** @param {SubRequest} sub */
	const run = async (sub) => {
		const requestId = crypto.randomUUID();
		const entry = {
			method: sub.method, host, path: sub.url.pathname, query: sub.url.search, hasAuthorization: Boolean(sub.headers.authorization),
			status: /** @type {number | null} */ (null), time: new Date().toISOString(), requestId, viaBatch: true,
		};
		sandbox.state.requests.push(entry);
		const ctx = useErrors(createContext({
			method: sub.method, url: sub.url, headers: sub.headers, host, body: bufferBodySource(sub.body), requestId,
			state: sandbox.state, sandbox: { loginUrl: sandbox.loginUrl, graphUrl: sandbox.graphUrl, filesUrl: sandbox.filesUrl, port: sandbox.port },
			authenticate: sandbox.tokens.authenticate,
		}));
		let response;
		const fault = sandbox.faults.take(sub.method, sub.url.pathname, host);
		if (fault?.delayMs) await new Promise((done) => setTimeout(done, fault.delayMs));
		if (fault?.reset) response = ctx.error(504, 'UnknownError', 'The gateway timed out.');
		const injected = fault ? faultResponse(fault) : null;
		if (!response && injected) response = ctx.error(injected.status, injected.code, injected.message, injected.headers);
		response ??= await dispatch(router, ctx);
		entry.status = response.status;
		return response;
	};

	/** An answer as an `application/http` part. @param {import('./router').SandboxResponse} response @param {string | undefined} contentId */
	const answerPart = async (response, contentId) => {
		const headerLines = Object.entries(response.headers)
			.filter(([name]) => !['content-length', 'request-id', 'client-request-id'].includes(name))
			.map(([name, value]) => `${name}: ${value}`);
		return [
			'Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId !== undefined ? [`Content-ID: ${contentId}`] : []), '',
			`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(), ...headerLines, '', await bodyText(response),
		].join('\r\n');
	};

	router.add('POST', /^\/data\/\$batch$/, authorised(async (/** @type {import('./router').Context} */ ctx) => {
		const type = ctx.headers['content-type'] ?? '';
		const boundary = boundaryOf(type);
		if (!/^multipart\/mixed/i.test(type) || !boundary) throw httpError(400, PAYLOAD_ERROR, 'The batch request must have a Content-Type of multipart/mixed with a boundary.');
		const parts = splitParts((await ctx.readBody()).toString('utf8'), boundary);
		if (!parts) throw httpError(400, PAYLOAD_ERROR, 'The batch request is missing its closing boundary.');
		const authorization = ctx.headers.authorization ?? '';
		/** @type {Array<{ changeSet: boolean, requests: SubRequest[] }>} */
		const groups = parts.map((raw) => {
			const part = splitHead(raw);
			const partType = part.headers['content-type'] ?? '';
			if (/^multipart\/mixed/i.test(partType)) {
				const inner = boundaryOf(partType);
				const members = inner ? splitParts(part.rest, inner) : null;
				if (!members) throw httpError(400, PAYLOAD_ERROR, 'A change set is missing its boundary.');
				const requests = members.map((member) => readRequest(splitHead(member), authorization));
				if (requests.some((request) => request.method === 'GET')) throw httpError(400, PAYLOAD_ERROR, 'A change set may not contain GET requests.');
				return { changeSet: true, requests };
			}
			if (!/^application\/http/i.test(partType)) throw httpError(400, PAYLOAD_ERROR, `A batch part must be application/http, not '${partType}'.`);
			return { changeSet: false, requests: [readRequest(part, authorization)] };
		});
		const count = groups.reduce((sum, group) => sum + group.requests.length, 0);
		if (count > MAX_BATCH_REQUESTS) throw httpError(400, PAYLOAD_ERROR, `The batch has ${count} requests; at most ${MAX_BATCH_REQUESTS} are allowed.`);

		const continueOnError = /odata\.continue-on-error/i.test(ctx.headers.prefer ?? '');
		const answer = `batchresponse_${crypto.randomUUID()}`;
		/** @type {string[]} */
		const out = [];
		for (const group of groups) {
			if (!group.changeSet) {
				const response = await run(group.requests[0]);
				out.push(await answerPart(response, group.requests[0].contentId));
				if (!continueOnError && response.status >= 400) break;
				continue;
			}
			const before = store.snapshot();
			/** @type {Array<{ response: import('./router').SandboxResponse, contentId?: string }>} */
			const answers = [];
			let failed = null;
			for (const request of group.requests) {
				const response = await run(request);
				if (response.status >= 400) {
					failed = { response, contentId: request.contentId };
					break;
				}
				answers.push({ response, contentId: request.contentId });
			}
			if (failed) {
				// All or none: the change set's earlier writes are undone and only the failure is answered.
				store.restore(before);
				out.push(await answerPart(failed.response, failed.contentId));
				if (!continueOnError) break;
				continue;
			}
			const inner = `changesetresponse_${crypto.randomUUID()}`;
			const members = await Promise.all(answers.map((entry) => answerPart(entry.response, entry.contentId)));
			out.push([`Content-Type: multipart/mixed; boundary=${inner}`, '', ...members.map((member) => `--${inner}\r\n${member}`), `--${inner}--`].join('\r\n'));
		}
		const body = `${out.map((part) => `--${answer}\r\n${part}`).join('\r\n')}\r\n--${answer}--\r\n`;
		return ctx.send(200, body, {
			'content-type': `multipart/mixed; boundary=${answer}`,
			'odata-version': '4.0',
			...(continueOnError ? { 'preference-applied': 'odata.continue-on-error' } : {}),
		});
	}), { host });
}

module.exports = { registerBatch, MAX_BATCH_REQUESTS };
