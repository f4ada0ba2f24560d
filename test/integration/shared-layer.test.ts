/**
 * The shared Microsoft layer against the Microsoft 365 sandbox, through n8n-core's real ExecuteContext and
 * request helpers (test/harness) with the package's real `microsoft365OAuth2Api` credential on the custom
 * cloud. Needs NODE_EXTRA_CA_CERTS (see test/sandbox/README.md).
 */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { createHarness, type Harness } from '../harness';
import { SEED, startSandbox, type Sandbox } from '../sandbox';
import {
	fetchPreAuthenticated,
	getConnection,
	graphBatch,
	graphGetAll,
	graphPages,
	graphRequest,
	readStream,
	type MicrosoftConnection,
} from '../../nodes/Microsoft/shared';

interface SandboxRouteContext {
	requireAuth(options?: object): unknown;
	json(status: number, body: unknown, headers?: Record<string, string>): unknown;
	send(status: number, body: Buffer | string, headers?: Record<string, string>): unknown;
	redirect(status: number, location: string): unknown;
	sandbox: { filesUrl: string };
}
type SandboxRouter = { add(method: string, path: string | RegExp, handler: (ctx: SandboxRouteContext) => unknown, options?: object): void };

const FILE_BYTES = Buffer.from('pre-authenticated file content\n'.repeat(100));

/** Routes this test needs that Graph has in spirit: a page whose nextLink leaves the allowed hosts,
 * a download redirect to the files host, and the file there. */
const testRoutes = {
	register(untypedRouter: unknown) {
		const router = untypedRouter as SandboxRouter;
		router.add('GET', '/v1.0/test/foreignNextLink', (ctx) => {
			ctx.requireAuth();
			return ctx.json(200, {
				value: [{ id: 'first' }],
				'@odata.nextLink': `${ctx.sandbox.filesUrl}/v1.0/test/foreignNextLink?$skiptoken=steal`,
			});
		});
		router.add('GET', '/v1.0/test/download', (ctx) => {
			ctx.requireAuth();
			return ctx.redirect(302, `${ctx.sandbox.filesUrl}/test/blob?sig=abc`);
		});
		router.add('GET', '/test/blob', (ctx) => ctx.send(200, FILE_BYTES, { 'content-type': 'application/octet-stream' }), { host: 'files' });
	},
};

const testNode: INodeType = {
	description: {
		displayName: 'Shared Layer Test',
		name: 'sharedLayerTest',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Shared Layer Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'microsoft365OAuth2Api', required: false },
			{ name: 'microsoft365ClientCredentialsApi', required: false },
		],
		properties: [],
	},
};

describe('shared layer against the sandbox', () => {
	let sandbox: Sandbox;
	let harness: Harness;
	let ctx: IExecuteFunctions;
	let conn: MicrosoftConnection;
	const sleeps: number[] = [];
	const fastRetry = { sleep: async (ms: number) => void sleeps.push(ms) };

	const credential = (extra: IDataObject = {}) => ({
		cloud: 'custom',
		customLoginUrl: sandbox.loginUrl,
		customGraphUrl: sandbox.graphUrl,
		tenant: 'common',
		clientId: SEED.apps.multiTenant.clientId,
		clientSecret: SEED.apps.multiTenant.secret,
		oauthTokenData: {
			token_type: 'Bearer',
			access_token: sandbox.issueToken({ userId: SEED.users.alice.id, scopes: ['User.Read', 'User.Read.All'] }),
		},
		...extra,
	});

	const log = () => sandbox.state.requests;
	const apiRequests = (path: string) => log().filter((r) => r.host === 'api' && r.path === path && !r.viaBatch);

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, modules: [testRoutes] });
	});
	afterAll(async () => {
		await harness?.cleanup();
		await sandbox?.stop();
	});
	beforeEach(async () => {
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
		sleeps.length = 0;
		harness = createHarness({ credentials: { microsoft365OAuth2Api: credential() } });
		ctx = harness.executeContext(testNode, {}) as unknown as IExecuteFunctions;
		conn = await getConnection(ctx, 'microsoft365OAuth2Api');
	});
	afterEach(() => {
		// No test may ever send a token to the pre-authenticated files host.
		expect(sandbox.state.violations).toEqual([]);
	});

	it('getConnection reads the custom cloud into an allow-list of the sandbox host', () => {
		const host = new URL(sandbox.graphUrl).host;
		expect(conn.graphBaseUrl).toBe(`${sandbox.graphUrl}/v1.0`);
		expect([...conn.allowedHosts]).toEqual([host]);
		expect(conn.appOnly).toBe(false);
	});

	it('getConnection refuses an http:// custom URL, naming the field, without any request', async () => {
		const h = createHarness({ credentials: { microsoft365OAuth2Api: credential({ customGraphUrl: sandbox.graphUrl.replace('https:', 'http:') }) } });
		try {
			const c = h.executeContext(testNode, {}) as unknown as IExecuteFunctions;
			await expect(getConnection(c, 'microsoft365OAuth2Api')).rejects.toThrow(NodeOperationError);
			await expect(getConnection(c, 'microsoft365OAuth2Api')).rejects.toThrow(/Custom API URL/);
			expect(log()).toHaveLength(0);
		} finally {
			await h.cleanup();
		}
	});

	it('retries a 429 after its Retry-After, then succeeds', async () => {
		sandbox.faults.add({ method: 'GET', path: '^/v1\\.0/me$', status: 429, retryAfter: '2', times: 2 });
		const response = await graphRequest(ctx, conn, { url: '/me' }, fastRetry);
		expect(response.status).toBe(200);
		expect(response.body.userPrincipalName).toBe(SEED.users.alice.userPrincipalName);
		expect(sleeps).toEqual([2000, 2000]);
		expect(apiRequests('/v1.0/me').map((r) => r.status)).toEqual([429, 429, 200]);
	});

	it('does not repeat a POST on 503 without Retry-After or on 504; repeats it on 503 with Retry-After', async () => {
		const batchBody = { requests: [{ id: '1', method: 'GET', url: '/me' }] };
		sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/\\$batch$', status: 503, times: 1 });
		await expect(graphRequest(ctx, conn, { method: 'POST', url: '/$batch', body: batchBody }, fastRetry)).rejects.toMatchObject({
			httpCode: '503',
		});
		expect(apiRequests('/v1.0/$batch')).toHaveLength(1);

		sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/\\$batch$', status: 504, times: 1 });
		await expect(graphRequest(ctx, conn, { method: 'POST', url: '/$batch', body: batchBody }, fastRetry)).rejects.toBeInstanceOf(NodeApiError);
		expect(apiRequests('/v1.0/$batch')).toHaveLength(2);

		sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/\\$batch$', status: 503, retryAfter: '1', times: 1 });
		const ok = await graphRequest(ctx, conn, { method: 'POST', url: '/$batch', body: batchBody }, fastRetry);
		expect(ok.status).toBe(200);
		expect(apiRequests('/v1.0/$batch').map((r) => r.status)).toEqual([503, 504, 503, 200]);
		expect(sleeps).toEqual([1000]);
	});

	it('retries a GET after a connection reset, but not a POST', async () => {
		sandbox.faults.add({ method: 'GET', path: '^/v1\\.0/me$', reset: true, times: 1 });
		const response = await graphRequest(ctx, conn, { url: '/me' }, fastRetry);
		expect(response.body.id).toBe(SEED.users.alice.id);
		expect(apiRequests('/v1.0/me')).toHaveLength(2);
		expect(sleeps).toHaveLength(1);

		sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/\\$batch$', reset: true, times: 1 });
		await expect(
			graphRequest(ctx, conn, { method: 'POST', url: '/$batch', body: { requests: [{ id: '1', method: 'GET', url: '/me' }] } }, fastRetry),
		).rejects.toThrow('Could not reach Microsoft: the connection was reset');
		expect(apiRequests('/v1.0/$batch')).toHaveLength(1);
	});

	it('pages /users with the largest page size asked, following nextLinks as given, and respects a limit', async () => {
		const nextLinks: string[] = [];
		const all = await graphGetAll(ctx, conn, '/users', {
			pageSize: 1,
			qs: { $select: 'id,displayName' },
			onPage: (body) => typeof body['@odata.nextLink'] === 'string' && nextLinks.push(body['@odata.nextLink']),
		});
		expect(all.map((u) => u.displayName).sort()).toEqual(['Alice Adams', "Bob O'Brien"]);
		const pages = apiRequests('/v1.0/users');
		expect(pages).toHaveLength(2);
		expect(nextLinks).toHaveLength(1);
		// The second request is the nextLink byte for byte.
		expect(`${sandbox.graphUrl}${pages[1].path}${pages[1].query}`).toBe(nextLinks[0]);

		sandbox.state.requests.length = 0;
		const limited = await graphGetAll(ctx, conn, '/users', { pageSize: 999, limit: 1 });
		expect(limited).toHaveLength(1);
		expect(apiRequests('/v1.0/users')).toHaveLength(1);
		expect(apiRequests('/v1.0/users')[0].query).toContain('%24top=1');
	});

	it('refuses a nextLink to another host without sending the token there', async () => {
		const seen: IDataObject[] = [];
		await expect(
			(async () => {
				for await (const page of graphPages(ctx, conn, '/test/foreignNextLink')) seen.push(...page);
			})(),
		).rejects.toThrow(/not one of this credential's hosts/);
		expect(seen).toEqual([{ id: 'first' }]);
		expect(log().filter((r) => r.host === 'files')).toEqual([]);
	});

	it('sends $batch and re-sends only the sub-request that got 429', async () => {
		sandbox.faults.add({ method: 'GET', path: '^/v1\\.0/users/bob', status: 429, retryAfter: '3', times: 1 });
		const results = await graphBatch(
			ctx,
			conn,
			[
				{ id: 'me', method: 'GET', url: '/me' },
				{ id: 'bob', method: 'GET', url: `/users/${SEED.users.bob.userPrincipalName}` },
				{ id: 'missing', method: 'GET', url: '/users/nobody@contoso.onmicrosoft.com' },
			],
			fastRetry,
		);
		expect(results.map((r) => [r.id, r.status])).toEqual([
			['me', 200],
			['bob', 200],
			['missing', 404],
		]);
		expect((results[1].body as IDataObject).displayName).toBe("Bob O'Brien");
		expect(sleeps).toEqual([3000]);
		expect(apiRequests('/v1.0/$batch')).toHaveLength(2);
		const bobCalls = log().filter((r) => r.viaBatch && r.path.startsWith('/v1.0/users/bob'));
		expect(bobCalls.map((r) => r.status)).toEqual([429, 200]);
		expect(log().filter((r) => r.viaBatch && r.path === '/v1.0/me')).toHaveLength(1);
	});

	it('translates a Graph error with its request-id for Microsoft support', async () => {
		const error = (await graphRequest(ctx, conn, { url: '/users/nobody@contoso.onmicrosoft.com', operation: 'get a user' }).catch(
			(e: unknown) => e,
		)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		const logged = apiRequests('/v1.0/users/nobody@contoso.onmicrosoft.com')[0];
		expect(error.httpCode).toBe('404');
		expect(error.message).toContain('does not exist');
		expect(error.description).toContain('Request_ResourceNotFound');
		expect(error.description).toContain(`request-id ${logged.requestId}`);
		expect(error.description).toContain('While trying to get a user');
		expect(JSON.stringify(error)).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
	});

	it('stops at a download redirect and streams the file from the files host without Authorization', async () => {
		const redirect = await graphRequest(ctx, conn, { url: '/test/download' });
		expect(redirect.status).toBe(302);
		const location = redirect.headers.location;
		expect(new URL(location).host).toBe(new URL(sandbox.filesUrl).host);

		const file = await fetchPreAuthenticated(ctx, location, { encoding: 'stream' });
		expect(file.status).toBe(200);
		expect(file.body).toBeInstanceOf(Readable);
		expect((await readStream(file.body as Readable)).equals(FILE_BYTES)).toBe(true);
		const filesLog = log().filter((r) => r.host === 'files');
		expect(filesLog).toHaveLength(1);
		expect(filesLog[0].hasAuthorization).toBe(false);
	});

	it('refuses to send the token to the files host through the authenticated path', async () => {
		await expect(graphRequest(ctx, conn, { url: `${sandbox.filesUrl}/test/blob` })).rejects.toThrow(/Refused to send/);
		expect(log()).toHaveLength(0);
	});

	it('user values in query and path arrive intact: one parameter, nothing injected (why the Graph SDK builder is not used)', async () => {
		// @microsoft/microsoft-graph-client's builder puts query values into the URL unencoded: this filter would be
		// cut at "&" and "#" and would inject a $top (docs/ARCHITECTURE.md, "One way to call Graph").
		const filter = "startswith(displayName,'Tom & Jerry#1 a&$top=999')";
		const response = await graphRequest(ctx, conn, { url: '/users', qs: { $filter: filter, $select: 'id' } });
		expect(response.body.value).toEqual([]);
		const [sent] = apiRequests('/v1.0/users');
		const params = new URLSearchParams(sent.query);
		expect(params.get('$filter')).toBe(filter);
		expect(params.get('$top')).toBeNull();
		expect([...params.keys()].sort()).toEqual(['$filter', '$select']);
	});

	it('throttling on a paged list is waited out and every page is read through our transport', async () => {
		sandbox.faults.add({ method: 'GET', path: '^/v1\\.0/users$', status: 429, retryAfter: '1', times: 1 });
		const users = await graphGetAll(ctx, conn, '/users', { pageSize: 1, qs: { $select: 'id,displayName' }, transport: fastRetry });
		expect(users.map((user) => user.displayName).sort()).toEqual(['Alice Adams', "Bob O'Brien"]);
		expect(sleeps).toEqual([1000]);
		expect(apiRequests('/v1.0/users').map((r) => r.status)).toEqual([429, 200, 200]);
		await expect(graphRequest(ctx, conn, { url: '/users/nobody@contoso.onmicrosoft.com' })).rejects.toMatchObject({ httpCode: '404' });
	});

	it('a refused token is refreshed by n8n (error-throwing mode) and the request succeeds', async () => {
		// Obtain a real refresh token from the sandbox's authorization-code flow.
		const redirectUri = 'https://app.example.test/callback';
		const authorize = new URL(`${sandbox.loginUrl}/common/oauth2/v2.0/authorize`);
		authorize.search = new URLSearchParams({
			client_id: SEED.apps.multiTenant.clientId,
			response_type: 'code',
			redirect_uri: redirectUri,
			scope: 'offline_access User.Read User.Read.All',
			login_hint: SEED.users.alice.userPrincipalName,
			state: 's',
		}).toString();
		const consent = await fetch(authorize, { redirect: 'manual' });
		const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code');
		expect(code).toBeTruthy();
		const token = (await (
			await fetch(`${sandbox.loginUrl}/common/oauth2/v2.0/token`, {
				method: 'POST',
				body: new URLSearchParams({
					grant_type: 'authorization_code',
					code: code ?? '',
					redirect_uri: redirectUri,
					client_id: SEED.apps.multiTenant.clientId,
					client_secret: SEED.apps.multiTenant.secret,
				}),
			})
		).json()) as { refresh_token: string };
		expect(token.refresh_token).toBeTruthy();
		sandbox.state.requests.length = 0;

		const h = createHarness({
			credentials: {
				microsoft365OAuth2Api: credential({
					oauthTokenData: { token_type: 'Bearer', access_token: 'not-a-valid-token', refresh_token: token.refresh_token },
				}),
			},
		});
		try {
			const c = h.executeContext(testNode, {}) as unknown as IExecuteFunctions;
			const response = await graphRequest(c, await getConnection(c, 'microsoft365OAuth2Api'), { url: '/me' }, fastRetry);
			expect(response.body.userPrincipalName).toBe(SEED.users.alice.userPrincipalName);
			// n8n itself refreshed at the token endpoint between the 401 and the successful retry.
			expect(log().map((r) => [r.method, r.path, r.status])).toEqual([
				['GET', '/v1.0/me', 401],
				['POST', '/common/oauth2/v2.0/token', 200],
				['GET', '/v1.0/me', 200],
			]);
		} finally {
			await h.cleanup();
		}
	});

	describe('app-only (client credentials, token by msal-node in preAuthentication)', () => {
		const appOnly = (extra: IDataObject = {}) => ({
			cloud: 'custom',
			customLoginUrl: sandbox.loginUrl,
			customGraphUrl: sandbox.graphUrl,
			tenant: SEED.tenants.contoso.id,
			clientId: SEED.apps.singleTenant.clientId,
			authMethod: 'secret',
			clientSecret: SEED.apps.singleTenant.secret,
			resource: 'graph',
			...extra,
		});

		it('gets a token through the credential and pages /users with it', async () => {
			const h = createHarness({ credentials: { microsoft365ClientCredentialsApi: appOnly() } });
			try {
				const c = h.executeContext(testNode, {}) as unknown as IExecuteFunctions;
				const appConn = await getConnection(c, 'microsoft365ClientCredentialsApi');
				expect(appConn.appOnly).toBe(true);
				const users = await graphGetAll(c, appConn, '/users', { pageSize: 999 });
				expect(users.map((u) => u.userPrincipalName).sort()).toEqual([SEED.users.alice.userPrincipalName, SEED.users.bob.userPrincipalName]);
				expect(apiRequests('/v1.0/users').every((r) => r.hasAuthorization)).toBe(true);
			} finally {
				await h.cleanup();
			}
		});

		it('turns a wrong secret into the AADSTS7000215 fix, without the secret in the error', async () => {
			const wrongSecret = 'wrong~secret~value~that~must~not~leak';
			const h = createHarness({ credentials: { microsoft365ClientCredentialsApi: appOnly({ clientSecret: wrongSecret }) } });
			try {
				const c = h.executeContext(testNode, {}) as unknown as IExecuteFunctions;
				const appConn = await getConnection(c, 'microsoft365ClientCredentialsApi');
				const error = (await graphRequest(c, appConn, { url: '/users' }).catch((e: unknown) => e)) as NodeApiError;
				expect(error).toBeInstanceOf(NodeApiError);
				expect(`${error.message} ${error.description}`).toContain('AADSTS7000215');
				expect(error.description).toContain('Secret ID');
				expect(error.description).toMatch(/Trace ID [0-9a-f-]{36}/);
				expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toContain(wrongSecret);
				expect(apiRequests('/v1.0/users')).toHaveLength(0);
			} finally {
				await h.cleanup();
			}
		});
	});
});
