/**
 * The sandbox router on its own: `:param` segments, RegExp routes for Graph path addressing (colons),
 * host separation, method mismatch, and the Graph-shaped responses handlers build.
 */
/* eslint-disable @typescript-eslint/no-var-requires */
const { Router, createContext, bufferBodySource, dispatch, httpError } = require('../sandbox/router');

type Params = Record<string, string>;

function contextFor(method: string, rawUrl: string, host: 'api' | 'files' = 'api', headers: Record<string, string> = {}, body = Buffer.alloc(0)) {
	return createContext({
		method,
		url: new URL(rawUrl, 'https://127.0.0.1:1'),
		headers,
		host,
		body: bufferBodySource(body),
		state: {},
		sandbox: { loginUrl: '', graphUrl: '', filesUrl: '', port: 1 },
		authenticate: () => null,
	});
}

async function run(router: unknown, method: string, url: string, host: 'api' | 'files' = 'api', headers: Record<string, string> = {}) {
	const ctx = contextFor(method, url, host, headers);
	const response = await dispatch(router, ctx);
	const isJson = String(response.headers['content-type'] ?? '').startsWith('application/json');
	return { response, json: isJson ? JSON.parse(response.body.toString('utf8')) : undefined };
}

describe('sandbox router', () => {
	const router = new Router();
	router.add('GET', '/v1.0/users/:id', (ctx: { params: Params; json: Function }) => ctx.json(200, { route: 'user', params: ctx.params }));
	router.add('GET', /^\/v1\.0\/drives\/(?<driveId>[^/]+)\/root:\/(?<path>.+):\/content$/, (ctx: { params: Params; json: Function }) => ctx.json(200, { route: 'content', params: ctx.params }));
	router.add('PUT', '/upload/:session', (ctx: { params: Params; send: Function }) => ctx.send(202, 'ok'), { host: 'files' });
	router.add('GET', '/v1.0/boom', () => {
		throw httpError(409, 'nameAlreadyExists', 'An item with the same name already exists.');
	});

	it('decodes :param segments', async () => {
		const { json } = await run(router, 'GET', "/v1.0/users/bob%27s%40contoso.example");
		expect(json).toEqual({ route: 'user', params: { id: "bob's@contoso.example" } });
	});

	it('matches path addressing with colons through a RegExp and decodes named groups', async () => {
		const { json } = await run(router, 'GET', '/v1.0/drives/b!abc/root:/Reports%202024/Q1%3A%20plan.txt:/content');
		expect(json.params).toEqual({ driveId: 'b!abc', path: 'Reports 2024/Q1: plan.txt' });
	});

	it('keeps files-host routes off the api host and the other way round', async () => {
		const upload = await run(router, 'PUT', '/upload/s1', 'files');
		expect(upload.response.status).toBe(202);
		expect(upload.response.body.toString()).toBe('ok');
		expect((await run(router, 'PUT', '/upload/s1', 'api')).response.status).toBe(400);
		expect((await run(router, 'GET', '/v1.0/users/x', 'files')).response.status).toBe(400);
	});

	it('answers 405 for a known path with another method and 400 for an unknown path', async () => {
		expect((await run(router, 'DELETE', '/v1.0/users/x')).response.status).toBe(405);
		const unknown = await run(router, 'GET', '/v1.0/nothing');
		expect(unknown.response.status).toBe(400);
		expect(unknown.json.error.code).toBe('BadRequest');
	});

	it('turns a thrown httpError into Graph error JSON with request ids', async () => {
		const { response, json } = await run(router, 'GET', '/v1.0/boom', 'api', { 'client-request-id': 'abc' });
		expect(response.status).toBe(409);
		expect(json.error).toMatchObject({ code: 'nameAlreadyExists', innerError: { 'client-request-id': 'abc', 'request-id': expect.any(String) } });
	});

	it('reads a JSON body once and refuses malformed JSON with 400', async () => {
		const ok = contextFor('POST', '/x', 'api', {}, Buffer.from('{"a":1}'));
		await expect(ok.readJson()).resolves.toEqual({ a: 1 });
		const bad = contextFor('POST', '/x', 'api', {}, Buffer.from('{nope'));
		await expect(bad.readJson()).rejects.toMatchObject({ status: 400, code: 'BadRequest' });
	});
});
