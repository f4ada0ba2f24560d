// @ts-check
'use strict';

/**
 * Business Central's JSON `$batch` (`POST {api root}/$batch`, `Content-Type: application/json`): `{ requests: [{ id,
 * method, url, headers?, body?, dependsOn?, atomicityGroup? }] }` with URLs relative to the API root
 * (`companies({id})/customers`) or absolute on it, at most 100 requests. Each request runs in order through the same
 * routes, token checks and faults (`host: 'businessCentral'`) as a direct request, with the batch's Authorization
 * header, logged with `viaBatch: true`; the answer is `{ responses: [{ id, status, headers, body }] }`. A request whose
 * `dependsOn` failed is answered 424; the requests of an `atomicityGroup` are applied all or none (a failure rolls the
 * group back: the failed request keeps its error, the others get 424). The whole batch is one atomic group with the
 * header `Isolation: snapshot`. Multipart batches (without `Accept: application/json`) are not modelled.
 */

const crypto = require('node:crypto');
const { httpError, createContext, bufferBodySource, dispatch } = require('./router');
const { faultResponse } = require('./faults');
const { bodyText } = require('./multipart');

/** Business Central's limit of operations in one batch. */
const MAX_BATCH_REQUESTS = 100;

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox
 * @param {{ host: import('./router').HostName, useErrors: (ctx: import('./router').Context) => import('./router').Context, environments: Map<string, any> }} options
 */
function registerBusinessCentralBatch(router, sandbox, { host, useErrors, environments }) {
	/** @param {{ method: string, url: URL, headers: Record<string, string>, body: Buffer }} sub */
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

	/** Every company of every environment, to roll an atomic group back. */
	const snapshot = () => [...environments.values()].flatMap((environment) => [...environment.companies.values()].map((company) => ({ company, copy: company.snapshot() })));

	/** @param {import('./router').Context} ctx @param {string} apiRoot */
	async function handle(ctx, apiRoot) {
		if (!/^application\/json/i.test(ctx.headers['content-type'] ?? '')) throw httpError(400, 'BadRequest', 'The batch request must have a Content-Type of application/json (multipart batches are not modelled by the sandbox).');
		const payload = await ctx.readJson();
		const requests = payload?.requests;
		if (!Array.isArray(requests) || requests.length === 0) throw httpError(400, 'BadRequest', 'The batch request must contain a non-empty "requests" array.');
		if (requests.length > MAX_BATCH_REQUESTS) throw httpError(400, 'BadRequest', `The maximum number of operations in a batch request is ${MAX_BATCH_REQUESTS}.`);
		const root = new URL(`${apiRoot}/`);
		const ids = new Set();
		for (const request of requests) {
			if (!request || typeof request.id !== 'string' || !request.id) throw httpError(400, 'BadRequest', 'Every batch request needs an "id".');
			if (ids.has(request.id)) throw httpError(400, 'BadRequest', `The batch request id '${request.id}' is used more than once.`);
			ids.add(request.id);
			if (typeof request.method !== 'string' || typeof request.url !== 'string') throw httpError(400, 'BadRequest', `The batch request '${request.id}' needs a "method" and a "url".`);
		}
		const whole = /^snapshot$/i.test(ctx.headers.isolation ?? '');
		/** @type {Map<string, { id: string, status: number, headers: Record<string, string>, body?: unknown }>} */
		const answers = new Map();
		/** @type {Map<string, { before: ReturnType<typeof snapshot>, members: string[], failed: boolean }>} */
		const groups = new Map();
		const before = whole ? snapshot() : null;
		for (const request of requests) {
			const groupName = whole ? '(batch)' : request.atomicityGroup;
			let group = groupName ? groups.get(groupName) : undefined;
			if (groupName && !group) {
				group = { before: whole ? /** @type {any} */ (before) : snapshot(), members: [], failed: false };
				groups.set(groupName, group);
			}
			group?.members.push(request.id);
			const failedDependency = (request.dependsOn ?? []).some((/** @type {string} */ id) => (answers.get(id)?.status ?? 424) >= 400);
			if (failedDependency || group?.failed) {
				answers.set(request.id, { id: request.id, status: 424, headers: {}, body: { error: { code: 'BadRequest_FailedDependency', message: 'A request this one depends on failed.' } } });
				continue;
			}
			let url;
			try {
				url = new URL(request.url, root);
			} catch {
				url = null;
			}
			if (!url || url.origin !== root.origin) {
				answers.set(request.id, { id: request.id, status: 400, headers: {}, body: { error: { code: 'BadRequest', message: `The batch request '${request.id}' addresses another host or an invalid URL.` } } });
				if (group) group.failed = true;
				continue;
			}
			/** @type {Record<string, string>} */
			const headers = {};
			for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = String(value);
			headers.authorization = ctx.headers.authorization ?? '';
			const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
			if (request.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
			const response = await run({ method: String(request.method).toUpperCase(), url, headers, body });
			const text = await bodyText(response);
			let parsed;
			try {
				parsed = text ? JSON.parse(text) : undefined;
			} catch {
				parsed = text;
			}
			const answerHeaders = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !['content-length', 'request-id', 'client-request-id'].includes(name)));
			answers.set(request.id, { id: request.id, status: response.status, headers: answerHeaders, ...(parsed !== undefined ? { body: parsed } : {}) });
			if (response.status >= 400 && group && !group.failed) {
				group.failed = true;
				for (const { company, copy } of group.before) company.restore(copy);
				for (const member of group.members) {
					if (member !== request.id) answers.set(member, { id: member, status: 424, headers: {}, body: { error: { code: 'BadRequest_FailedDependency', message: 'Rolled back: another request of the atomic group failed.' } } });
				}
			}
		}
		return ctx.json(200, { responses: requests.map((request) => answers.get(request.id)) }, { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' });
	}

	return { handle, MAX_BATCH_REQUESTS };
}

module.exports = { registerBusinessCentralBatch, MAX_BATCH_REQUESTS };
