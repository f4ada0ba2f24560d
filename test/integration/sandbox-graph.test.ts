/**
 * The sandbox's Graph core over raw HTTPS: token checks like Graph's, users paging with opaque skip
 * tokens, $batch, fault injection (Retry-After, 503/504, connection reset, slow), the request log and
 * the files host's refusal of Authorization headers.
 */
import { startSandbox, SEED, type Sandbox } from '../sandbox';
import { sandboxRequest } from '../sandbox/httpClient';

const contoso = SEED.tenants.contoso;
const alice = SEED.users.alice;

let sandbox: Sandbox;
let appToken: string;
let aliceToken: string;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	appToken = sandbox.issueToken({ roles: ['User.Read.All', 'Organization.Read.All'] });
	aliceToken = sandbox.issueToken({ userId: alice.id, scopes: ['User.Read', 'User.ReadBasic.All'] });
});
afterAll(async () => {
	await sandbox.stop();
});
afterEach(() => {
	sandbox.faults.reset();
});

const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
	sandboxRequest(path.startsWith('https://') ? path : `${sandbox.graphUrl}${path}`, {
		ca: sandbox.tls.ca,
		headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
	});

function expectGraphError(res: { status: number; json: any; headers: Record<string, any> }, status: number, code: string) {
	expect(res.status).toBe(status);
	expect(res.json.error.code).toBe(code);
	expect(typeof res.json.error.message).toBe('string');
	expect(res.json.error.innerError['request-id']).toBe(res.headers['request-id']);
	expect(res.json.error.innerError['client-request-id']).toBe(res.headers['client-request-id']);
	expect(res.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
}

describe('authentication', () => {
	it('answers 401 InvalidAuthenticationToken without a token, with request ids', async () => {
		const res = await get('/v1.0/me', undefined, { 'client-request-id': 'my-client-id' });
		expectGraphError(res, 401, 'InvalidAuthenticationToken');
		expect(res.headers['client-request-id']).toBe('my-client-id');
		expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
	});

	it('refuses a tampered, an expired and a revoked token', async () => {
		const [header, payload, signature] = aliceToken.split('.');
		const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
		const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, oid: SEED.users.bob.id })).toString('base64url')}.${signature}`;
		expectGraphError(await get('/v1.0/me', forged), 401, 'InvalidAuthenticationToken');

		const expired = sandbox.issueToken({ userId: alice.id, scopes: ['User.Read'], lifetimeSeconds: -60 });
		expectGraphError(await get('/v1.0/me', expired), 401, 'InvalidAuthenticationToken');

		const revoked = sandbox.issueToken({ userId: alice.id, scopes: ['User.Read'] });
		expect((await get('/v1.0/me', revoked)).status).toBe(200);
		sandbox.state.revokeAllTokens();
		expectGraphError(await get('/v1.0/me', revoked), 401, 'InvalidAuthenticationToken');
		// tokens issued after the revocation work
		aliceToken = sandbox.issueToken({ userId: alice.id, scopes: ['User.Read', 'User.ReadBasic.All'] });
		appToken = sandbox.issueToken({ roles: ['User.Read.All', 'Organization.Read.All'] });
		expect((await get('/v1.0/me', aliceToken)).status).toBe(200);
	});

	it('refuses a token for another audience and accepts one from the token endpoint', async () => {
		const dataverse = sandbox.issueToken({ roles: ['Organization.Read.All'], audience: 'https://contoso.crm.dynamics.com' });
		expectGraphError(await get('/v1.0/organization', dataverse), 401, 'InvalidAuthenticationToken');
		const res = await sandboxRequest(`${sandbox.loginUrl}/${contoso.id}/oauth2/v2.0/token`, {
			ca: sandbox.tls.ca,
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SEED.apps.multiTenant.clientId, client_secret: SEED.apps.multiTenant.secret, scope: `${sandbox.graphUrl}/.default` }).toString(),
		});
		expect((await get('/v1.0/organization', res.json.access_token)).status).toBe(200);
	});

	it('answers 403 Authorization_RequestDenied for missing scopes or roles', async () => {
		const filesOnly = sandbox.issueToken({ userId: alice.id, scopes: ['Files.Read'] });
		expectGraphError(await get('/v1.0/me', filesOnly), 403, 'Authorization_RequestDenied');
		const noRoles = sandbox.issueToken({ appId: SEED.apps.noConsent.clientId });
		expectGraphError(await get('/v1.0/organization', noRoles), 403, 'Authorization_RequestDenied');
		expectGraphError(await get('/v1.0/users', noRoles), 403, 'Authorization_RequestDenied');
	});

	it('answers 400 to an app-only token on /me', async () => {
		const res = await get('/v1.0/me', appToken);
		expectGraphError(res, 400, 'BadRequest');
		expect(res.json.error.message).toContain('delegated authentication flow');
	});
});

describe('users, me, organization', () => {
	it('returns the signed-in user with Graph default properties', async () => {
		const res = await get('/v1.0/me', aliceToken);
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ id: alice.id, userPrincipalName: alice.userPrincipalName, displayName: alice.displayName });
		expect(res.json['@odata.context']).toBe(`${sandbox.graphUrl}/v1.0/$metadata#users/$entity`);
		expect(res.headers['content-type']).toMatch(/^application\/json;odata\.metadata=minimal/);
	});

	it('pages /users with $top and an opaque $skiptoken until no nextLink is left', async () => {
		const seen: string[] = [];
		let next: string | undefined = `/v1.0/users?$top=1`;
		let pages = 0;
		while (next) {
			const res = await get(next, appToken);
			expect(res.status).toBe(200);
			expect(res.json.value).toHaveLength(1);
			seen.push(...res.json.value.map((user: { id: string }) => user.id));
			next = res.json['@odata.nextLink'];
			if (next) {
				const url = new URL(next);
				expect(url.origin).toBe(sandbox.graphUrl);
				expect(url.searchParams.get('$skiptoken')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
				expect(url.searchParams.get('$skiptoken')).not.toMatch(/^\d+$/);
			}
			pages += 1;
		}
		const contosoUsers = Object.values(SEED.users).filter((user) => user.tenant === contoso.id).map((user) => user.id);
		expect(pages).toBe(contosoUsers.length);
		expect(seen.sort()).toEqual(contosoUsers.sort());
	});

	it('refuses $top outside 1..999 and an unknown $skiptoken', async () => {
		expectGraphError(await get('/v1.0/users?$top=0', appToken), 400, 'Request_BadRequest');
		expectGraphError(await get('/v1.0/users?$top=1000', appToken), 400, 'Request_BadRequest');
		expect((await get('/v1.0/users?$skiptoken=made-up', appToken)).status).toBe(400);
	});

	it('applies $select and an OData-quoted $filter', async () => {
		const filter = encodeURIComponent("displayName eq 'Bob O''Brien'");
		const res = await get(`/v1.0/users?$filter=${filter}&$select=id,displayName`, appToken);
		expect(res.json.value).toEqual([{ id: SEED.users.bob.id, displayName: "Bob O'Brien" }]);
		expectGraphError(await get('/v1.0/users?$select=nonsense', appToken), 400, 'BadRequest');
		expectGraphError(await get(`/v1.0/users?$filter=${encodeURIComponent('length(displayName) eq 3')}`, appToken), 400, 'Request_UnsupportedQuery');
	});

	it('finds a user by id or UPN, within the token tenant only', async () => {
		expect((await get(`/v1.0/users/${encodeURIComponent(SEED.users.bob.userPrincipalName)}`, appToken)).json.id).toBe(SEED.users.bob.id);
		expect((await get(`/v1.0/users/${SEED.users.bob.id}`, appToken)).json.userPrincipalName).toBe(SEED.users.bob.userPrincipalName);
		expectGraphError(await get(`/v1.0/users/${SEED.users.carol.id}`, appToken), 404, 'Request_ResourceNotFound');
	});

	it('limits delegated User.Read to the signed-in user', async () => {
		const selfOnly = sandbox.issueToken({ userId: alice.id, scopes: ['User.Read'] });
		expect((await get(`/v1.0/users/${alice.id}`, selfOnly)).status).toBe(200);
		expectGraphError(await get(`/v1.0/users/${SEED.users.bob.id}`, selfOnly), 403, 'Authorization_RequestDenied');
	});

	it('returns the token tenant as the organization', async () => {
		const res = await get('/v1.0/organization', appToken);
		expect(res.json.value).toHaveLength(1);
		expect(res.json.value[0]).toMatchObject({ id: contoso.id, displayName: contoso.displayName });
		expect(res.json.value[0].verifiedDomains.map((domain: { name: string }) => domain.name)).toEqual(contoso.domains);
	});

	it('answers an unknown path with a Graph 400', async () => {
		expectGraphError(await get('/v1.0/nothingHere', appToken), 400, 'BadRequest');
	});
});

describe('$batch', () => {
	const batch = (body: unknown, token = appToken) =>
		sandboxRequest(`${sandbox.graphUrl}/v1.0/$batch`, {
			ca: sandbox.tls.ca,
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});

	it('dispatches relative URLs through the router and returns per-request status, headers and body', async () => {
		const res = await batch({
			requests: [
				{ id: '1', method: 'GET', url: '/organization' },
				{ id: '2', method: 'GET', url: `/users/${SEED.users.bob.id}?$select=id,displayName`, dependsOn: ['1'] },
				{ id: '3', method: 'GET', url: 'users/nobody@contoso.onmicrosoft.com' },
			],
		});
		expect(res.status).toBe(200);
		const byId = Object.fromEntries(res.json.responses.map((r: { id: string }) => [r.id, r]));
		expect(byId['1'].status).toBe(200);
		expect(byId['1'].body.value[0].id).toBe(contoso.id);
		expect(byId['2'].body).toMatchObject({ id: SEED.users.bob.id, displayName: "Bob O'Brien" });
		expect(byId['2'].headers['content-type']).toMatch(/^application\/json/);
		expect(byId['3'].status).toBe(404);
		expect(byId['3'].body.error.code).toBe('Request_ResourceNotFound');
		const logged = sandbox.state.requests.filter((entry) => entry.viaBatch).map((entry) => entry.path);
		expect(logged).toEqual(expect.arrayContaining(['/v1.0/organization', `/v1.0/users/${SEED.users.bob.id}`]));
	});

	it('fails a request whose dependency failed with 424', async () => {
		const res = await batch({
			requests: [
				{ id: 'a', method: 'GET', url: '/users/nobody' },
				{ id: 'b', method: 'GET', url: '/organization', dependsOn: ['a'] },
			],
		});
		expect(res.json.responses.find((r: { id: string }) => r.id === 'b').status).toBe(424);
	});

	it('carries a throttled sub-request as a 429 with its Retry-After inside the batch', async () => {
		sandbox.faults.add({ method: 'GET', path: '^/v1\\.0/organization$', status: 429, retryAfter: '7', times: 1 });
		const res = await batch({ requests: [{ id: '1', method: 'GET', url: '/organization' }, { id: '2', method: 'GET', url: '/users?$top=1' }] });
		expect(res.status).toBe(200);
		const [first, second] = res.json.responses;
		expect(first).toMatchObject({ id: '1', status: 429, headers: { 'retry-after': '7' } });
		expect(first.body.error.code).toBe('TooManyRequests');
		expect(second.status).toBe(200);
	});

	it('refuses more than 20 requests, absolute URLs, duplicate ids and unknown dependsOn with 400', async () => {
		const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/me' }));
		expectGraphError(await batch({ requests: many }), 400, 'BadRequest');
		expectGraphError(await batch({ requests: [{ id: '1', method: 'GET', url: `${sandbox.graphUrl}/v1.0/me` }] }), 400, 'BadRequest');
		expectGraphError(await batch({ requests: [{ id: '1', method: 'GET', url: '/me' }, { id: '1', method: 'GET', url: '/me' }] }), 400, 'BadRequest');
		expectGraphError(await batch({ requests: [{ id: '1', method: 'GET', url: '/me', dependsOn: ['9'] }] }), 400, 'BadRequest');
	});

	it('accepts exactly 20 requests', async () => {
		const twenty = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/me' }));
		const res = await batch({ requests: twenty }, aliceToken);
		expect(res.json.responses).toHaveLength(20);
		expect(res.json.responses.every((r: { status: number }) => r.status === 200)).toBe(true);
	});

	it('uses the batch token for every sub-request', async () => {
		const res = await batch({ requests: [{ id: '1', method: 'GET', url: '/me' }] });
		expect(res.json.responses[0].status).toBe(400); // app-only token on /me
	});
});

describe('faults', () => {
	it('throttles a route `times` times with Retry-After in seconds, then recovers', async () => {
		sandbox.faults.add({ method: 'GET', path: /^\/v1\.0\/organization$/, status: 429, retryAfter: '1', times: 2 });
		const first = await get('/v1.0/organization', appToken);
		expectGraphError(first, 429, 'TooManyRequests');
		expect(first.headers['retry-after']).toBe('1');
		expect((await get('/v1.0/organization', appToken)).status).toBe(429);
		expect((await get('/v1.0/organization', appToken)).status).toBe(200);
	});

	it('sends Retry-After as an HTTP date when asked', async () => {
		const date = new Date(Date.now() + 5000).toUTCString();
		sandbox.faults.add({ path: '/v1\\.0/users', status: 503, retryAfter: date, times: 1 });
		const res = await get('/v1.0/users', appToken);
		expectGraphError(res, 503, 'serviceNotAvailable');
		expect(res.headers['retry-after']).toBe(date);
	});

	it('answers 504 and matches only the given method', async () => {
		sandbox.faults.add({ method: 'POST', path: '/v1\\.0/organization', status: 504 });
		expect((await get('/v1.0/organization', appToken)).status).toBe(200);
		sandbox.faults.reset();
		sandbox.faults.add({ path: '/v1\\.0/organization', status: 504, times: 1 });
		expectGraphError(await get('/v1.0/organization', appToken), 504, 'UnknownError');
	});

	it('resets the connection', async () => {
		sandbox.faults.add({ path: '/v1\\.0/organization', reset: true, times: 1 });
		await expect(get('/v1.0/organization', appToken)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/) });
		expect((await get('/v1.0/organization', appToken)).status).toBe(200);
		expect(sandbox.state.requests.some((entry) => entry.path === '/v1.0/organization' && entry.status === 0)).toBe(true);
	});

	it('delays a response and then answers normally', async () => {
		const fault = sandbox.faults.add({ path: '/v1\\.0/organization', delayMs: 200, times: 1 });
		expect((await get('/v1.0/organization', appToken)).status).toBe(200);
		expect(fault.hits).toBe(1);
	});

	it('takes faults and reports requests over HTTP for out-of-process tests', async () => {
		const control = (method: string, path: string, body?: unknown) =>
			sandboxRequest(`${sandbox.graphUrl}/_sandbox/${path}`, { ca: sandbox.tls.ca, method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
		expect((await control('DELETE', 'requests')).status).toBe(204);
		const added = await control('POST', 'faults', { method: 'GET', path: '^/v1\\.0/me$', status: 429, retryAfter: '2', times: 1 });
		expect(added.status).toBe(201);
		expect((await get('/v1.0/me', aliceToken)).headers['retry-after']).toBe('2');
		expect((await get('/v1.0/me', aliceToken)).status).toBe(200);
		const log = (await control('GET', 'requests')).json;
		expect(log).toEqual([
			expect.objectContaining({ method: 'GET', host: 'api', path: '/v1.0/me', hasAuthorization: true, status: 429 }),
			expect.objectContaining({ method: 'GET', host: 'api', path: '/v1.0/me', hasAuthorization: true, status: 200 }),
		]);
		expect((await control('POST', 'faults', { path: '/x' })).status).toBe(400);
	});
});

describe('files host', () => {
	it('refuses a request carrying Authorization with 401 and records a violation', async () => {
		const before = sandbox.state.violations.length;
		const res = await sandboxRequest(`${sandbox.filesUrl}/download/anything`, { ca: sandbox.tls.ca, headers: { authorization: `Bearer ${appToken}` } });
		expectGraphError(res, 401, 'InvalidAuthenticationToken');
		expect(sandbox.state.violations).toHaveLength(before + 1);
		expect(sandbox.state.violations[before]).toMatchObject({ method: 'GET', path: '/download/anything' });
		expect(sandbox.state.requests.at(-1)).toMatchObject({ host: 'files', hasAuthorization: true, status: 401 });
	});

	it('routes requests without Authorization normally and records no violation', async () => {
		const before = sandbox.state.violations.length;
		const res = await sandboxRequest(`${sandbox.filesUrl}/no-such-route`, { ca: sandbox.tls.ca });
		expect(res.status).not.toBe(401);
		expect(sandbox.state.violations).toHaveLength(before);
		expect(sandbox.state.requests.at(-1)).toMatchObject({ host: 'files', hasAuthorization: false });
	});

	it('does not serve Graph on the files host', async () => {
		const res = await sandboxRequest(`${sandbox.filesUrl}/v1.0/organization`, { ca: sandbox.tls.ca });
		expect(res.status).toBe(400);
	});
});
