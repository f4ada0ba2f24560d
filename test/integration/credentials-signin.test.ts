/**
 * The three credentials against the Microsoft 365 sandbox with REAL msal-node (app-only) and the
 * URLs/scopes the credentials' expressions compute (delegated: the authorization-code flow n8n's OAuth
 * client runs, driven here with plain fetch). Needs NODE_EXTRA_CA_CERTS (see test/sandbox/README.md).
 */
import { generate } from 'selfsigned';
import { Workflow, type INodeProperties } from 'n8n-workflow';

import { Microsoft365ClientCredentialsApi } from '../../credentials/Microsoft365ClientCredentialsApi.credentials';
import { Microsoft365OAuth2Api } from '../../credentials/Microsoft365OAuth2Api.credentials';
import { Microsoft365TenantOAuth2Api } from '../../credentials/Microsoft365TenantOAuth2Api.credentials';
import { readCredentialSettings } from '../../nodes/Microsoft/shared/credentialSettings';
import { acquireAppOnlyToken, clearAppOnlyTokenCache, readAppOnlySignIn } from '../../nodes/Microsoft/shared/signIn';
import { DEFAULT_RETRY_POLICY } from '../../nodes/Microsoft/shared/retry';
import { describeSignInError, SignInError } from '../../nodes/Microsoft/shared/signInErrors';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox, SEED } = require('../sandbox');

type TokenFaultSpec = {
	status?: number;
	aadsts?: number | null;
	error?: string;
	description?: string;
	retryAfter?: string;
	body?: string;
	times?: number;
};
type Sandbox = {
	loginUrl: string;
	graphUrl: string;
	dataverseUrl: string;
	tls: { appCert: string; appKey: string };
	state: {
		requests: Array<{ method: string; path: string; host: string; hasAuthorization: boolean; status: number | null; time: string }>;
		tokenFaults: { add(spec: TokenFaultSpec): unknown; reset(): void };
	};
	stop(): Promise<void>;
};

const CONTOSO = SEED.tenants.contoso.id as string;
const REDIRECT_URI = 'http://localhost:5678/rest/oauth2-credential/callback';

const noNodeType = { description: { properties: [] } };
const workflow = new Workflow({
	nodes: [{ id: '1', name: 'Credential', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => noNodeType, getByNameAndVersion: () => noNodeType, getKnownTypes: () => ({}) } as never,
});

/** Resolves a credential's hidden fields the way n8n does before its OAuth2 client runs. */
/** A credential test request resolves over `$credentials`, as n8n does. */
function evaluateTestRequest(expression: unknown, data: Record<string, unknown>): string {
	return String(workflow.expression.getParameterValue(expression as string, null, 0, 0, 'Credential', [], 'internal', { $credentials: data }));
}

function resolveHidden(properties: INodeProperties[], data: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const property of properties.filter((p) => p.type === 'hidden')) {
		out[property.name] = String(
			workflow.expression.getParameterValue(property.default as string, null, 0, 0, 'Credential', [], 'internal', {}, undefined, false, data),
		);
	}
	return out;
}

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = (await startSandbox({ port: 0 })) as Sandbox;
});
afterAll(async () => sandbox?.stop());
beforeEach(() => clearAppOnlyTokenCache());

function customCloud() {
	return { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl };
}

async function graphGet(path: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${sandbox.graphUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Runs the client-credentials credential's preAuthentication like n8n does (bound to a helper object). */
async function preAuthenticate(data: Record<string, unknown>): Promise<{ accessToken: string }> {
	const credential = new Microsoft365ClientCredentialsApi();
	return (await credential.preAuthentication.call({ helpers: {} } as never, data as never)) as { accessToken: string };
}

async function signInError(data: Record<string, unknown>): Promise<SignInError> {
	const error = await preAuthenticate(data).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(SignInError);
	return error as SignInError;
}

describe('Microsoft 365 Client Credentials API (msal-node against the sandbox)', () => {
	const app = SEED.apps.singleTenant;

	it('signs in with a client secret and the token works on Graph', async () => {
		const data = { ...customCloud(), tenant: CONTOSO, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret };
		const { accessToken } = await preAuthenticate(data);
		const organization = await graphGet('/v1.0/organization', accessToken);
		expect(organization.status).toBe(200);
		expect(JSON.stringify(organization.body)).toContain(CONTOSO);
		// The token is app-only: there is no signed-in user.
		expect((await graphGet('/v1.0/me', accessToken)).status).toBeGreaterThanOrEqual(400);
	});

	it('signs in with a tenant domain and a certificate (thumbprint derived from the PEM)', async () => {
		const data = {
			...customCloud(),
			tenant: 'contoso.onmicrosoft.com',
			clientId: app.clientId,
			authMethod: 'certificate',
			certificate: sandbox.tls.appCert,
			certificatePrivateKey: sandbox.tls.appKey,
		};
		const { accessToken } = await preAuthenticate(data);
		expect((await graphGet('/v1.0/organization', accessToken)).status).toBe(200);
	});

	it('reuses a token within the process, but not the one n8n reports as rejected', async () => {
		const data = { ...customCloud(), tenant: CONTOSO, clientId: app.clientId, clientSecret: app.secret };
		const tokenRequests = () => sandbox.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token')).length;
		const before = tokenRequests();
		const first = await preAuthenticate(data);
		const second = await preAuthenticate(data);
		expect(second.accessToken).toBe(first.accessToken);
		expect(tokenRequests()).toBe(before + 1);
		// n8n calls preAuthentication with the stored token after a 401: a new token must be fetched.
		const renewed = await preAuthenticate({ ...data, accessToken: first.accessToken });
		expect(renewed.accessToken).not.toBe(first.accessToken);
		expect(tokenRequests()).toBe(before + 2);
	});

	it('wrong secret → AADSTS7000215 with "paste the secret Value", and the secret is not shown', async () => {
		const wrong = 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e'; // the Secret ID, a classic mistake
		const error = await signInError({ ...customCloud(), tenant: CONTOSO, clientId: app.clientId, clientSecret: wrong });
		expect(error.signInCode).toBe('AADSTS7000215');
		expect(error.message).toMatch(/paste the secret Value, not the Secret ID/);
		expect(error.message).not.toContain(wrong);
	});

	it('expired secret → AADSTS7000222 with "create a new client secret"', async () => {
		const expired = SEED.apps.expiredSecret;
		const error = await signInError({ ...customCloud(), tenant: CONTOSO, clientId: expired.clientId, clientSecret: expired.secret });
		expect(error.signInCode).toBe('AADSTS7000222');
		expect(error.message).toMatch(/create a new client secret/);
		expect(error.message).not.toContain(expired.secret);
	});

	it('unknown tenant → AADSTS90002 with the tenant fix', async () => {
		const error = await signInError({
			...customCloud(),
			tenant: '0e0e0e0e-1111-4222-8333-444455556666',
			clientId: app.clientId,
			clientSecret: app.secret,
		});
		expect(error.signInCode).toBe('AADSTS90002');
		expect(error.message).toMatch(/Directory \(tenant\) ID/);
	});

	it('app not in the tenant → AADSTS700016', async () => {
		const error = await signInError({ ...customCloud(), tenant: 'fabrikam.onmicrosoft.com', clientId: app.clientId, clientSecret: app.secret });
		expect(error.signInCode).toBe('AADSTS700016');
	});

	it('certificate not registered on the app → AADSTS700027', async () => {
		const other = await generate([{ name: 'commonName', value: 'not registered' }], { keySize: 2048 });
		const error = await signInError({
			...customCloud(),
			tenant: CONTOSO,
			clientId: app.clientId,
			authMethod: 'certificate',
			certificate: other.cert,
			certificatePrivateKey: other.private,
		});
		expect(error.signInCode).toBe('AADSTS700027');
		expect(error.message).toMatch(/upload the certificate/);
		expect(error.message).not.toContain('PRIVATE KEY');
	});

	it('scopes of two resources in one request → AADSTS700022', async () => {
		const signIn = readAppOnlySignIn({ ...customCloud(), tenant: CONTOSO, clientId: app.clientId, clientSecret: app.secret });
		signIn.settings.scopes = [`${sandbox.graphUrl}/.default`, 'https://org.crm.dynamics.com/.default'];
		const error = await acquireAppOnlyToken(signIn).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SignInError);
		expect((error as SignInError).signInCode).toBe('AADSTS700022');
	});

	it('app without admin consent gets a token without roles: Graph answers 403 (the credential test rule explains it)', async () => {
		const noConsent = SEED.apps.noConsent;
		const { accessToken } = await preAuthenticate({ ...customCloud(), tenant: CONTOSO, clientId: noConsent.clientId, clientSecret: noConsent.secret });
		const credential = new Microsoft365ClientCredentialsApi();
		const status = (await graphGet('/v1.0/organization', accessToken)).status;
		expect(status).toBe(403);
		const rule = credential.test.rules?.find((r) => r.type === 'responseCode' && (r.properties as { value: number }).value === status);
		expect((rule?.properties as { message: string }).message).toMatch(/admin must grant consent/);
	});
});

describe('Client credentials: throttled and transient sign-in failures are retried (msal-node against the sandbox)', () => {
	const app = SEED.apps.singleTenant;
	const data = () => ({ ...customCloud(), tenant: CONTOSO, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret });
	const signIn = () => readAppOnlySignIn(data());
	/** Token requests since `from` (index into the request log), with their statuses and times. */
	const tokenRequests = (from: number) =>
		sandbox.state.requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'));
	/** Never advice to check a secret or certificate that is fine. */
	const blamesTheCredential = /secret|certificate|Client ID/i;

	afterEach(() => sandbox.state.tokenFaults.reset());

	it('one 429 AADSTS90055 with Retry-After: 1 → waits 1 s, signs in on the second request (production policy)', async () => {
		sandbox.state.tokenFaults.add({ aadsts: 90055, retryAfter: '1', times: 1 });
		const from = sandbox.state.requests.length;
		const started = Date.now();
		const { accessToken } = await preAuthenticate(data());
		const elapsed = Date.now() - started;
		expect((await graphGet('/v1.0/organization', accessToken)).status).toBe(200);
		const requests = tokenRequests(from);
		expect(requests.map((r) => r.status)).toEqual([429, 200]);
		// Retry-After honoured: the second request went out at least a second after the first.
		expect(Date.parse(requests[1].time) - Date.parse(requests[0].time)).toBeGreaterThanOrEqual(990);
		expect(elapsed).toBeGreaterThanOrEqual(990);
		expect(elapsed).toBeLessThan(5000);
	});

	it('persistent 429 asking for longer than the retry budget → one request, a throttling error that does not blame the secret', async () => {
		sandbox.state.tokenFaults.add({ aadsts: 90055, retryAfter: String(DEFAULT_RETRY_POLICY.maxTotalWaitMs / 1000 + 480) });
		const from = sandbox.state.requests.length;
		const error = await signInError(data());
		expect(tokenRequests(from)).toHaveLength(1);
		expect(error.signInCode).toBe('AADSTS90055');
		expect(error.message).toMatch(/throttling/i);
		expect(error.message).toMatch(/asked to wait 600 seconds, longer than n8n waits/);
		expect(error.fix).toMatch(/wait a few minutes and run the workflow again.*spread scheduled runs out/);
		expect(error.message).not.toMatch(blamesTheCredential);
	});

	it('persistent 429 within a small budget → retried after Retry-After until the budget is spent', async () => {
		sandbox.state.tokenFaults.add({ aadsts: 90055, retryAfter: '1' });
		const from = sandbox.state.requests.length;
		const started = Date.now();
		const error = await acquireAppOnlyToken(signIn(), { retry: { policy: { maxTotalWaitMs: 1500 } } }).catch((e: unknown) => e as SignInError);
		expect(error).toBeInstanceOf(SignInError);
		// 1 s waited; a second wait of 1 s would exceed 1.5 s.
		expect(tokenRequests(from).map((r) => r.status)).toEqual([429, 429]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(990);
		expect((error as SignInError).message).toMatch(/Tried 2 times\. Microsoft asked to wait 1 second, longer than n8n waits/);
		expect((error as SignInError).message).not.toMatch(blamesTheCredential);
	});

	it('429 without an AADSTS code or Retry-After is throttling too, not a credential mistake', async () => {
		sandbox.state.tokenFaults.add({ status: 429, aadsts: null, error: 'temporarily_unavailable', description: 'Too many requests.' });
		const from = sandbox.state.requests.length;
		const error = await acquireAppOnlyToken(signIn(), { retry: { policy: { maxAttempts: 2 }, random: () => 0 } }).catch((e: unknown) => e as SignInError);
		expect(tokenRequests(from)).toHaveLength(2);
		expect((error as SignInError).message).toMatch(/Microsoft is throttling sign-ins \(HTTP 429\)/);
		expect((error as SignInError).message).not.toMatch(blamesTheCredential);
	});

	it.each([
		['503 (Entra JSON, no Retry-After)', { status: 503, times: 1 }],
		['500 AADSTS90024', { aadsts: 90024, times: 1 }],
		['502 gateway page that is not JSON', { status: 502, body: '<html><body>Bad Gateway</body></html>', times: 1 }],
		['AADSTS50196 loop detected (400 invalid_grant)', { aadsts: 50196, times: 1 }],
	])('%s → retried, the second request signs in', async (_name, fault) => {
		sandbox.state.tokenFaults.add(fault);
		const from = sandbox.state.requests.length;
		// Production policy; only the backoff's jitter is pinned low to keep the test short.
		const { accessToken } = await acquireAppOnlyToken(signIn(), { retry: { random: () => 0.05 } });
		expect((await graphGet('/v1.0/organization', accessToken)).status).toBe(200);
		expect(tokenRequests(from)).toHaveLength(2);
		expect(tokenRequests(from)[1].status).toBe(200);
	});

	it('a certificate sign-in is retried too (a new client assertion per attempt)', async () => {
		sandbox.state.tokenFaults.add({ status: 503, retryAfter: '0', times: 1 });
		const from = sandbox.state.requests.length;
		const { accessToken } = await preAuthenticate({
			...customCloud(),
			tenant: CONTOSO,
			clientId: app.clientId,
			authMethod: 'certificate',
			certificate: sandbox.tls.appCert,
			certificatePrivateKey: sandbox.tls.appKey,
		});
		expect((await graphGet('/v1.0/organization', accessToken)).status).toBe(200);
		expect(tokenRequests(from).map((r) => r.status)).toEqual([503, 200]);
	});

	it('persistent outage → stops after the policy\'s attempts with "temporarily unavailable", not the secret advice', async () => {
		sandbox.state.tokenFaults.add({ status: 503 });
		const from = sandbox.state.requests.length;
		const error = await acquireAppOnlyToken(signIn(), { retry: { policy: { maxAttempts: 3 }, random: () => 0 } }).catch((e: unknown) => e as SignInError);
		expect(error).toBeInstanceOf(SignInError);
		expect(tokenRequests(from)).toHaveLength(3);
		expect((error as SignInError).signInCode).toBe('AADSTS90006');
		expect((error as SignInError).message).toMatch(/temporarily unavailable\. Tried 3 times\. To fix: run the workflow again in a few minutes/);
		expect((error as SignInError).message).not.toMatch(blamesTheCredential);
	});

	it('wrong secret → exactly one token request (never retried) and the secret advice stays', async () => {
		const from = sandbox.state.requests.length;
		const error = await signInError({ ...data(), clientSecret: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e' });
		expect(tokenRequests(from).map((r) => r.status)).toEqual([401]);
		expect(error.signInCode).toBe('AADSTS7000215');
		expect(error.message).toMatch(/paste the secret Value, not the Secret ID/);
		expect(error.message).not.toMatch(/Tried/);
	});

	it('token faults can be injected over HTTP (for n8n running in another process)', async () => {
		const control = `${sandbox.loginUrl}/_sandbox/token-faults`;
		const added = await fetch(control, { method: 'POST', body: JSON.stringify({ aadsts: 90055, retryAfter: '7', times: 1 }) });
		expect(added.status).toBe(201);
		expect(await (await fetch(control)).json()).toEqual([expect.objectContaining({ aadsts: 90055, status: 429, remaining: 1 })]);
		const answer = await fetch(`${sandbox.loginUrl}/${CONTOSO}/oauth2/v2.0/token`, { method: 'POST', body: 'grant_type=client_credentials' });
		expect(answer.status).toBe(429);
		expect(answer.headers.get('retry-after')).toBe('7');
		const body = (await answer.json()) as Record<string, unknown>;
		expect(body).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90055] });
		expect(body.error_description).toMatch(/^AADSTS90055: There are too many incoming requests\..*\r\nTrace ID: /s);
		expect((await fetch(control, { method: 'POST', body: '{}' })).status).toBe(400);
		expect((await fetch(control, { method: 'DELETE' })).status).toBe(204);
		expect(await (await fetch(control)).json()).toEqual([]);
	});

	it('unknown app (AADSTS700016) → never retried', async () => {
		const from = sandbox.state.requests.length;
		const error = await signInError({ ...data(), tenant: 'fabrikam.onmicrosoft.com' });
		expect(error.signInCode).toBe('AADSTS700016');
		expect(tokenRequests(from)).toHaveLength(1);
	});
});

describe('Microsoft 365 OAuth2 API: authorization code flow with the computed URLs', () => {
	const app = SEED.apps.multiTenant;

	async function authorize(data: Record<string, unknown>, properties: INodeProperties[]): Promise<URL> {
		const hidden = resolveHidden(properties, data);
		// As n8n's OAuth client builds it: authUrl + standard parameters + authQueryParameters.
		const url = new URL(hidden.authUrl);
		url.searchParams.set('client_id', String(data.clientId));
		url.searchParams.set('redirect_uri', REDIRECT_URI);
		url.searchParams.set('response_type', 'code');
		url.searchParams.set('scope', hidden.scope);
		url.searchParams.set('state', 'n8n-state-123');
		const target = hidden.authQueryParameters ? `${url.toString()}&${hidden.authQueryParameters}` : url.toString();
		const response = await fetch(target, { redirect: 'manual' });
		expect(response.status).toBe(302);
		return new URL(response.headers.get('location') ?? '');
	}

	async function token(tokenUrl: string, form: Record<string, string>) {
		const response = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(form) });
		return { status: response.status, body: (await response.json()) as Record<string, string> };
	}

	it('signs in, redeems the code, calls Graph, refreshes with rotation; a spent refresh token → reconnect', async () => {
		const data = {
			...customCloud(),
			tenant: 'common',
			services: ['files', 'mail'],
			additionalScopes: '',
			prompt: 'select_account',
			clientId: app.clientId,
			clientSecret: app.secret,
		};
		const properties = new Microsoft365OAuth2Api().properties;
		const hidden = resolveHidden(properties, data);
		expect(hidden.scope).toBe(readCredentialSettings('microsoft365OAuth2Api', data).scopes.join(' '));
		expect(hidden.authQueryParameters).toBe('prompt=select_account');

		const callback = await authorize(data, properties);
		expect(callback.origin + callback.pathname).toBe('http://localhost:5678/rest/oauth2-credential/callback');
		expect(callback.searchParams.get('state')).toBe('n8n-state-123');
		const code = callback.searchParams.get('code');
		expect(code).toBeTruthy();

		const exchanged = await token(hidden.accessTokenUrl, {
			grant_type: 'authorization_code',
			code: code as string,
			redirect_uri: REDIRECT_URI,
			client_id: app.clientId,
			client_secret: app.secret,
		});
		expect(exchanged.status).toBe(200);
		expect(exchanged.body.refresh_token).toBeTruthy();
		expect(exchanged.body.scope.split(' ')).toEqual(expect.arrayContaining(['Files.ReadWrite.All', 'Mail.Send', 'User.Read']));
		const me = await graphGet('/v1.0/me', exchanged.body.access_token);
		expect(me.status).toBe(200);
		expect(me.body.userPrincipalName).toBe(SEED.users.alice.userPrincipalName);

		const refreshed = await token(hidden.accessTokenUrl, {
			grant_type: 'refresh_token',
			refresh_token: exchanged.body.refresh_token,
			client_id: app.clientId,
			client_secret: app.secret,
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).toBeTruthy();
		expect(refreshed.body.refresh_token).not.toBe(exchanged.body.refresh_token);
		expect((await graphGet('/v1.0/me', refreshed.body.access_token)).status).toBe(200);

		const reused = await token(hidden.accessTokenUrl, {
			grant_type: 'refresh_token',
			refresh_token: exchanged.body.refresh_token,
			client_id: app.clientId,
			client_secret: app.secret,
		});
		expect(reused.status).toBe(400);
		expect(reused.body.error).toBe('invalid_grant');
		expect(describeSignInError(`${reused.body.error} ${reused.body.error_description}`)?.fix).toMatch(/reconnect/i);
	});

	it('single-tenant app on "common" → AADSTS50194 back on the redirect, translated to "use a tenant-specific credential"', async () => {
		const single = SEED.apps.singleTenant;
		const data = { ...customCloud(), tenant: 'common', services: ['files'], clientId: single.clientId, clientSecret: single.secret };
		const callback = await authorize(data, new Microsoft365OAuth2Api().properties);
		expect(callback.searchParams.get('code')).toBeNull();
		const description = describeSignInError(callback.searchParams.get('error_description'));
		expect(description?.code).toBe('AADSTS50194');
		expect(description?.fix).toMatch(/tenant-specific credential: set Tenant/);
		// With Tenant set the same app signs in.
		const ok = await authorize({ ...data, tenant: CONTOSO }, new Microsoft365OAuth2Api().properties);
		expect(ok.searchParams.get('code')).toBeTruthy();
	});

	it('admin-only permission without admin consent → AADSTS65001 with the consent steps', async () => {
		const noConsent = SEED.apps.noConsent;
		const data = { ...customCloud(), tenant: CONTOSO, services: ['users'], clientId: noConsent.clientId, clientSecret: noConsent.secret };
		const callback = await authorize(data, new Microsoft365OAuth2Api().properties);
		expect(callback.searchParams.get('error')).toBe('consent_required');
		const description = describeSignInError(callback.searchParams.get('error_description'));
		expect(description?.code).toBe('AADSTS65001');
		expect(description?.fix).toMatch(/Grant admin consent/);
	});

	it('an additional scope of another API → AADSTS700022', async () => {
		const data = {
			...customCloud(),
			tenant: CONTOSO,
			services: ['files'],
			additionalScopes: 'https://org.crm.dynamics.com/user_impersonation',
			clientId: app.clientId,
			clientSecret: app.secret,
		};
		const callback = await authorize(data, new Microsoft365OAuth2Api().properties);
		expect(describeSignInError(callback.searchParams.get('error_description'))?.code).toBe('AADSTS700022');
	});

	it('the tenant-specific credential computes a one-resource scope that the sandbox accepts for Graph as a custom resource', async () => {
		const data = {
			...customCloud(),
			tenant: CONTOSO,
			resource: 'custom',
			customResource: sandbox.graphUrl,
			scopeStyle: 'default',
			clientId: app.clientId,
			clientSecret: app.secret,
		};
		const properties = new Microsoft365TenantOAuth2Api().properties;
		const hidden = resolveHidden(properties, data);
		expect(hidden.scope).toBe(`${sandbox.graphUrl}/.default offline_access`);
		const callback = await authorize(data, properties);
		const code = callback.searchParams.get('code');
		expect(code).toBeTruthy();
		const exchanged = await token(hidden.accessTokenUrl, {
			grant_type: 'authorization_code',
			code: code as string,
			redirect_uri: REDIRECT_URI,
			client_id: app.clientId,
			client_secret: app.secret,
		});
		expect(exchanged.status).toBe(200);
		expect(exchanged.body.refresh_token).toBeTruthy();
		expect((await graphGet('/v1.0/me', exchanged.body.access_token)).status).toBe(200);
	});
});

describe('Dataverse through both Dynamics credentials', () => {
	/** What n8n does for the credential test: preAuthentication, then the test request with the Bearer header, then the rules. */
	async function credentialTest(data: Record<string, unknown>): Promise<{ status: number; ruleMessage?: string }> {
		const credential = new Microsoft365ClientCredentialsApi();
		const { accessToken } = await preAuthenticate(data);
		const url = evaluateTestRequest(credential.test.request.baseURL, data) + evaluateTestRequest(credential.test.request.url, data);
		expect(readCredentialSettings('microsoft365ClientCredentialsApi', data).allowedHosts.has(new URL(url).host)).toBe(true);
		const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
		const rule = credential.test.rules?.find((r) => r.type === 'responseCode' && (r.properties as { value: number }).value === response.status);
		return { status: response.status, ruleMessage: (rule?.properties as { message?: string } | undefined)?.message };
	}

	it('client credentials: the credential test calls WhoAmI with a Dataverse token', async () => {
		const app = SEED.apps.singleTenant;
		const data = { ...customCloud(), tenant: CONTOSO, clientId: app.clientId, clientSecret: app.secret, resource: 'dataverse', environmentUrl: sandbox.dataverseUrl };
		expect(await credentialTest(data)).toEqual({ status: 200, ruleMessage: undefined });
	});

	it('client credentials: an app without an application user gets the 403 explanation', async () => {
		const app = SEED.apps.noConsent;
		const data = { ...customCloud(), tenant: CONTOSO, clientId: app.clientId, clientSecret: app.secret, resource: 'dataverse', environmentUrl: sandbox.dataverseUrl };
		const result = await credentialTest(data);
		expect(result.status).toBe(403);
		expect(result.ruleMessage).toMatch(/application user with a security role/);
	});

	it('tenant-specific OAuth2: user_impersonation for Dataverse, code flow, WhoAmI as the user', async () => {
		const app = SEED.apps.multiTenant;
		const data = {
			...customCloud(),
			tenant: 'contoso.onmicrosoft.com',
			resource: 'dataverse',
			environmentUrl: sandbox.dataverseUrl,
			scopeStyle: 'userImpersonation',
			clientId: app.clientId,
			clientSecret: app.secret,
		};
		const properties = new Microsoft365TenantOAuth2Api().properties;
		const hidden = resolveHidden(properties, data);
		expect(hidden.scope).toBe(`${sandbox.dataverseUrl}/user_impersonation offline_access`);
		const url = new URL(hidden.authUrl);
		url.searchParams.set('client_id', app.clientId);
		url.searchParams.set('redirect_uri', REDIRECT_URI);
		url.searchParams.set('response_type', 'code');
		url.searchParams.set('scope', hidden.scope);
		const redirect = await fetch(url, { redirect: 'manual' });
		const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
		expect(code).toBeTruthy();
		const exchanged = await fetch(hidden.accessTokenUrl, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'authorization_code', code: code as string, redirect_uri: REDIRECT_URI, client_id: app.clientId, client_secret: app.secret }),
		});
		const body = (await exchanged.json()) as Record<string, string>;
		expect(exchanged.status).toBe(200);
		expect(body.refresh_token).toBeTruthy();
		const whoAmI = await fetch(`${sandbox.dataverseUrl}/api/data/v9.2/WhoAmI`, { headers: { authorization: `Bearer ${body.access_token}` } });
		expect(whoAmI.status).toBe(200);
		expect(await whoAmI.json()).toHaveProperty('UserId');
	});
});
