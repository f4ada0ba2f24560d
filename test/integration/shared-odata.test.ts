/**
 * The shared layer's OData path (`odataRequest` / `odataPages`) against the sandbox's Dataverse environment,
 * through n8n-core's real ExecuteContext and request helpers (test/harness) with the package's real
 * `microsoft365ClientCredentialsApi` credential (resource Dataverse, token by msal-node in preAuthentication).
 * Needs NODE_EXTRA_CA_CERTS (see test/sandbox/README.md).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { SEED, startSandbox, type Sandbox } from '../sandbox';
import {
	getConnection,
	odataGetAll,
	odataPages,
	odataRequest,
	type MicrosoftConnection,
} from '../../nodes/Microsoft/shared';
import { clearAppOnlyTokenCache } from '../../nodes/Microsoft/shared/signIn';

const API = '/api/data/v9.2';
const MISSING_ID = '00000000-0000-4000-8000-00000000d00d';

interface RouteContext {
	headers: Record<string, string>;
	query: Record<string, string>;
	json(status: number, body: unknown): unknown;
	sandbox: { filesUrl: string; dataverseUrl: string };
}
type SandboxRouter = { add(method: string, path: string, handler: (ctx: RouteContext) => unknown, options?: object): void };

/** Test-only routes on the Dataverse host: a page whose nextLink leaves the credential's hosts, and a header echo. */
const testRoutes = {
	register(untypedRouter: unknown) {
		const router = untypedRouter as SandboxRouter;
		router.add(
			'GET',
			`${API}/test_foreignpages`,
			(ctx) => {
				const target = ctx.query.to === 'http' ? ctx.sandbox.dataverseUrl.replace('https:', 'http:') : ctx.sandbox.filesUrl;
				return ctx.json(200, { value: [{ accountid: 'first' }], '@odata.nextLink': `${target}${API}/accounts?$skiptoken=steal` });
			},
			{ host: 'dataverse' },
		);
		router.add(
			'GET',
			`${API}/test_headers`,
			(ctx) => {
				const { authorization, ...rest } = ctx.headers;
				return ctx.json(200, { headers: rest, hadBearer: /^Bearer \S+$/.test(authorization ?? '') });
			},
			{ host: 'dataverse' },
		);
	},
};

const testNode: INodeType = {
	description: {
		displayName: 'OData Test',
		name: 'odataTest',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'OData Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'microsoft365ClientCredentialsApi', required: true }],
		properties: [],
	},
};

const delegatedTestNode: INodeType = {
	description: {
		...testNode.description,
		name: 'odataDelegatedTest',
		credentials: [{ name: 'microsoft365TenantOAuth2Api', required: true }],
	},
};

function decodeJwtPayload(token: string): Record<string, unknown> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('OData resource API path (Dataverse) against the sandbox', () => {
	let sandbox: Sandbox;
	let harness: Harness;
	let ctx: IExecuteFunctions;
	let conn: MicrosoftConnection;
	const sleeps: number[] = [];
	const fastRetry = { sleep: async (ms: number) => void sleeps.push(ms) };

	const credential = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
		cloud: 'custom',
		customLoginUrl: sandbox.loginUrl,
		customGraphUrl: sandbox.graphUrl,
		tenant: SEED.tenants.contoso.id,
		clientId: SEED.apps.singleTenant.clientId,
		authMethod: 'secret',
		clientSecret: SEED.apps.singleTenant.secret,
		resource: 'dataverse',
		environmentUrl: sandbox.dataverseUrl,
		...extra,
	});

	const log = () => sandbox.state.requests;
	const dataverseRequests = (path?: string) => log().filter((r) => r.host === 'dataverse' && (path === undefined || r.path === path));
	const tokenRequests = () => log().filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'));

	const withCredential = async (data: ICredentialDataDecryptedObject, run: (c: IExecuteFunctions, h: Harness) => Promise<void>) => {
		const h = createHarness({ credentials: { microsoft365ClientCredentialsApi: data } });
		try {
			await run(h.executeContext(testNode, {}) as unknown as IExecuteFunctions, h);
		} finally {
			await h.cleanup();
		}
	};

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, modules: [testRoutes] });
		sandbox.dataverse.addAccounts(12, 'Paging account');
	});
	afterAll(async () => {
		await harness?.cleanup();
		await sandbox?.stop();
	});
	beforeEach(async () => {
		// Each test signs in afresh (the sign-in layer caches app-only tokens process-wide).
		clearAppOnlyTokenCache();
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
		sleeps.length = 0;
		harness = createHarness({ credentials: { microsoft365ClientCredentialsApi: credential() } });
		ctx = harness.executeContext(testNode, {}) as unknown as IExecuteFunctions;
		conn = await getConnection(ctx, 'microsoft365ClientCredentialsApi');
	});
	afterEach(async () => {
		await harness.cleanup();
		// The token never reaches the pre-authenticated files host.
		expect(sandbox.state.violations).toEqual([]);
		expect(log().filter((r) => r.host === 'files')).toEqual([]);
	});

	it('reads the credential into the Dataverse URL and an allow-list without the files host', () => {
		expect(conn.resourceUrl).toBe(sandbox.dataverseUrl);
		expect(conn.appOnly).toBe(true);
		expect(conn.allowedHosts.has(new URL(sandbox.dataverseUrl).host)).toBe(true);
		expect(conn.allowedHosts.has(new URL(sandbox.filesUrl).host)).toBe(false);
	});

	it('WhoAmI with an app-only token minted by msal-node for the Dataverse audience', async () => {
		const response = await odataRequest(ctx, conn, { url: `${API}/WhoAmI` });
		expect(response.status).toBe(200);
		expect(response.headers['odata-version']).toBe('4.0');
		expect(response.body).toEqual({
			'@odata.context': `${sandbox.dataverseUrl}${API}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
			BusinessUnitId: sandbox.dataverse.environment.businessUnitId,
			UserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			OrganizationId: sandbox.dataverse.environment.organizationId,
		});

		const stored = await harness.storedCredentials('microsoft365ClientCredentialsApi');
		const claims = decodeJwtPayload(String(stored?.accessToken));
		expect(claims.aud).toBe(sandbox.dataverseUrl);
		expect(claims.idtyp).toBe('app');
		expect(claims.appid).toBe(SEED.apps.singleTenant.clientId);
		expect(tokenRequests()).toHaveLength(1);
		expect(dataverseRequests(`${API}/WhoAmI`).map((r) => [r.status, r.hasAuthorization])).toEqual([[200, true]]);
	});

	it('sends the OData headers and the bearer token on the Dataverse host', async () => {
		const response = await odataRequest(ctx, conn, { url: `${API}/test_headers` });
		expect(response.body.hadBearer).toBe(true);
		expect(response.body.headers).toMatchObject({ 'odata-version': '4.0', 'odata-maxversion': '4.0', accept: 'application/json' });
	});

	it('pages with Prefer: odata.maxpagesize, following each nextLink exactly as given', async () => {
		const nextLinks: string[] = [];
		const items = await odataGetAll(ctx, conn, `${API}/accounts`, {
			pageSize: 5,
			qs: { $select: 'name' },
			onPage: (body) => void (typeof body['@odata.nextLink'] === 'string' && nextLinks.push(body['@odata.nextLink'])),
		});
		const total = sandbox.dataverse.accounts.size;
		expect(total).toBe(22);
		expect(items).toHaveLength(total);
		expect(new Set(items.map((item) => item.accountid)).size).toBe(total);
		expect(items.every((item) => Object.keys(item).sort().join() === '@odata.etag,accountid,name')).toBe(true);

		const pages = dataverseRequests(`${API}/accounts`);
		expect(pages).toHaveLength(Math.ceil(total / 5));
		expect(nextLinks).toHaveLength(pages.length - 1);
		nextLinks.forEach((link, index) => expect(`${sandbox.dataverseUrl}${pages[index + 1].path}${pages[index + 1].query}`).toBe(link));
		expect(pages[0].query).toContain('select=name');
		expect(pages.slice(1).every((page) => page.query.includes('$skiptoken='))).toBe(true);
	});

	it('stops fetching pages once the limit is reached', async () => {
		const seen: number[] = [];
		for await (const page of odataPages(ctx, conn, `${API}/accounts`, { pageSize: 5, limit: 7 })) seen.push(page.length);
		expect(seen).toEqual([5, 2]);
		expect(dataverseRequests(`${API}/accounts`)).toHaveLength(2);
	});

	it('$top turns paging off and $skip is refused with Dataverse\'s error, translated', async () => {
		const top = await odataRequest(ctx, conn, { url: `${API}/accounts`, qs: { $top: 3 }, headers: { Prefer: 'odata.maxpagesize=2' } });
		expect(top.body.value).toHaveLength(3);
		expect(top.body['@odata.nextLink']).toBeUndefined();

		const error = (await odataRequest(ctx, conn, { url: `${API}/accounts`, qs: { $skip: 2 } }).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('400');
		expect(error.message).toBe('The query parameter $skip is not supported');
		expect(error.description).toContain('Error code: 0x0 (HTTP 400)');
	});

	it('retries a service-protection 429 after its Retry-After, in the middle of paging too', async () => {
		sandbox.faults.add({ host: 'dataverse', method: 'GET', path: '^/api/data/v9\\.2/WhoAmI$', status: 429, retryAfter: '7', times: 2 });
		const who = await odataRequest(ctx, conn, { url: `${API}/WhoAmI` }, fastRetry);
		expect(who.status).toBe(200);
		expect(sleeps).toEqual([7000, 7000]);
		expect(dataverseRequests(`${API}/WhoAmI`).map((r) => r.status)).toEqual([429, 429, 200]);

		sleeps.length = 0;
		sandbox.state.requests.length = 0;
		const pages: number[] = [];
		for await (const page of odataPages(ctx, conn, `${API}/accounts`, { pageSize: 10, transport: fastRetry })) {
			pages.push(page.length);
			// Throttle the next page request once.
			if (pages.length === 1) sandbox.faults.add({ host: 'dataverse', path: '^/api/data/v9\\.2/accounts$', status: 429, retryAfter: '3', times: 1 });
		}
		expect(pages).toEqual([10, 10, 2]);
		expect(sleeps).toEqual([3000]);
		expect(dataverseRequests(`${API}/accounts`).map((r) => r.status)).toEqual([200, 429, 200, 200]);
	});

	it('gives up on persistent throttling with Dataverse\'s code and the wait Microsoft asked for', async () => {
		sandbox.faults.add({ host: 'dataverse', path: '^/api/data/v9\\.2/WhoAmI$', status: 429, retryAfter: '2' });
		const error = (await odataRequest(ctx, conn, { url: `${API}/WhoAmI` }, { ...fastRetry, policy: { maxAttempts: 3 } }).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('429');
		expect(error.message).toContain('Number of requests exceeded the limit');
		expect(error.description).toContain('0x80072322');
		expect(error.description).toContain('retry after 2 seconds');
		expect(dataverseRequests(`${API}/WhoAmI`)).toHaveLength(3);
	});

	it('refuses a nextLink to a foreign host (or plain http) without sending the token there', async () => {
		for (const to of ['files', 'http']) {
			const seen: IDataObject[] = [];
			await expect(
				(async () => {
					for await (const page of odataPages(ctx, conn, `${API}/test_foreignpages`, { qs: { to } })) seen.push(...page);
				})(),
			).rejects.toThrow(/not one of this credential's hosts/);
			expect(seen).toEqual([{ accountid: 'first' }]);
		}
		expect(dataverseRequests().map((r) => r.path)).toEqual([`${API}/test_foreignpages`, `${API}/test_foreignpages`]);
	});

	it('refuses to send the token to the files host through odataRequest', async () => {
		await expect(odataRequest(ctx, conn, { url: `${sandbox.filesUrl}${API}/WhoAmI` })).rejects.toThrow(/Refused to send/);
		expect(log()).toHaveLength(0);
	});

	it('creates (204 + OData-EntityId, or 201 with the record), updates with If-Match: * and deletes', async () => {
		const created = await odataRequest(ctx, conn, { method: 'POST', url: `${API}/accounts`, body: { name: "O'Neil Supplies", address1_city: 'Oslo' } });
		expect(created.status).toBe(204);
		const entityId = created.headers['odata-entityid'];
		const id = /accounts\(([0-9a-f-]{36})\)$/.exec(entityId)?.[1] ?? '';
		expect(entityId).toBe(`${sandbox.dataverseUrl}${API}/accounts(${id})`);
		expect(sandbox.dataverse.account(id)).toMatchObject({ name: "O'Neil Supplies", address1_city: 'Oslo' });

		const represented = await odataRequest(ctx, conn, {
			method: 'POST',
			url: `${API}/accounts`,
			body: { name: 'Represented Ltd' },
			headers: { Prefer: 'return=representation' },
		});
		expect(represented.status).toBe(201);
		expect(represented.body).toMatchObject({ name: 'Represented Ltd', '@odata.etag': expect.stringMatching(/^W\/"\d+"$/) });

		const filtered = await odataGetAll(ctx, conn, `${API}/accounts`, { qs: { $filter: "name eq 'O''Neil Supplies'", $select: 'name' } });
		expect(filtered.map((row) => row.accountid)).toEqual([id]);

		const updated = await odataRequest(ctx, conn, { method: 'PATCH', url: `${API}/accounts(${id})`, body: { telephone1: '555-0199' }, headers: { 'If-Match': '*' } });
		expect(updated.status).toBe(204);
		expect(sandbox.dataverse.account(id)?.telephone1).toBe('555-0199');

		const deleted = await odataRequest(ctx, conn, { method: 'DELETE', url: `${API}/accounts(${id})` });
		expect(deleted.status).toBe(204);
		expect(sandbox.dataverse.account(id)).toBeNull();
		sandbox.dataverse.accounts.delete(String(represented.body.accountid));
	});

	it('translates a Dataverse error with its hex code and request id (PATCH with If-Match: * never creates)', async () => {
		const error = (await odataRequest(ctx, conn, {
			method: 'PATCH',
			url: `${API}/accounts(${MISSING_ID})`,
			body: { name: 'Should not exist' },
			headers: { 'If-Match': '*' },
			operation: 'update an account',
		}).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.httpCode).toBe('404');
		expect(error.message).toBe(`Entity 'account' With Id = ${MISSING_ID} Does Not Exist`);
		expect(error.description).toContain('Error code: 0x80040217 (HTTP 404)');
		expect(error.description).toContain('While trying to update an account');
		const logged = dataverseRequests(`${API}/accounts(${MISSING_ID})`);
		expect(logged).toHaveLength(1);
		expect(error.description).toContain(`request-id ${logged[0].requestId}`);
		expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
		expect(sandbox.dataverse.account(MISSING_ID)).toBeNull();
	});

	it('a Graph token is refused (401) and n8n renews it for the Dataverse audience through preAuthentication', async () => {
		const graphToken = sandbox.issueToken({ appId: SEED.apps.singleTenant.clientId });
		await withCredential(credential({ accessToken: graphToken }), async (c, h) => {
			const response = await odataRequest(c, await getConnection(c, 'microsoft365ClientCredentialsApi'), { url: `${API}/WhoAmI` }, fastRetry);
			expect(response.status).toBe(200);
			const relevant = log().filter((r) => r.host === 'dataverse' || r.path.endsWith('/oauth2/v2.0/token'));
			expect(relevant.map((r) => [r.method, r.host, r.status])).toEqual([
				['GET', 'dataverse', 401],
				['POST', 'api', 200],
				['GET', 'dataverse', 200],
			]);
			const renewed = String((await h.storedCredentials('microsoft365ClientCredentialsApi'))?.accessToken);
			expect(renewed).not.toBe(graphToken);
			expect(decodeJwtPayload(renewed).aud).toBe(sandbox.dataverseUrl);
		});
	});

	it('an app without an application user in the environment gets Dataverse\'s 403, translated', async () => {
		const app = SEED.apps.noConsent;
		await withCredential(credential({ clientId: app.clientId, clientSecret: app.secret }), async (c) => {
			const error = (await odataRequest(c, await getConnection(c, 'microsoft365ClientCredentialsApi'), { url: `${API}/WhoAmI` }).catch(
				(e: unknown) => e,
			)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('403');
			expect(error.message).toBe('The user is not a member of the organization.');
			expect(error.description).toContain('0x80072560');
			// Dataverse authorises by its own users and roles: Microsoft's fix, not Graph's consent advice.
			expect(error.description).toContain('add the app registration as an application user in this environment');
			expect(error.description).toContain('security role');
			expect(error.description).not.toContain('API permissions');
			expect(error.description).not.toMatch(/signed-in user/);
		});
	});

	it('a signed-in user who is not a user of the environment gets Dataverse\'s 403 with the security-role fix', async () => {
		// A delegated token for the environment that Dataverse refuses: no user_impersonation scope.
		const token = sandbox.issueToken({ userId: SEED.users.alice.id, audience: sandbox.dataverseUrl, scopes: ['openid'] });
		const h = createHarness({
			credentials: {
				microsoft365TenantOAuth2Api: {
					cloud: 'custom',
					customLoginUrl: sandbox.loginUrl,
					customGraphUrl: sandbox.graphUrl,
					tenant: SEED.tenants.contoso.id,
					resource: 'dataverse',
					environmentUrl: sandbox.dataverseUrl,
					clientId: SEED.apps.singleTenant.clientId,
					clientSecret: SEED.apps.singleTenant.secret,
					oauthTokenData: { access_token: token, token_type: 'Bearer' },
				},
			},
		});
		try {
			const c = h.executeContext(delegatedTestNode, {}) as unknown as IExecuteFunctions;
			const delegated = await getConnection(c, 'microsoft365TenantOAuth2Api');
			expect(delegated.appOnly).toBe(false);
			const error = (await odataRequest(c, delegated, { url: `${API}/WhoAmI` }).catch((e: unknown) => e)) as NodeApiError;
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.httpCode).toBe('403');
			expect(error.description).toContain('0x80072560');
			expect(error.description).toContain('the signed-in user lacks a security role in this environment');
			expect(error.description).not.toContain('application user');
			expect(error.description).not.toContain('admin consent');
			expect(dataverseRequests(`${API}/WhoAmI`).map((r) => r.status)).toEqual([403]);
		} finally {
			await h.cleanup();
		}
	});
});
