/**
 * The sandbox's Entra ID v2 endpoints over raw HTTPS: every modelled AADSTS failure with its code, status
 * and body shape; the authorization-code flow with PKCE and refresh-token rotation; client assertions;
 * and one msal-node smoke test proving the discovery endpoints satisfy it.
 */
import * as crypto from 'node:crypto';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { generate } from 'selfsigned';
import { startSandbox, SEED, type Sandbox } from '../sandbox';
import { sandboxRequest, form } from '../sandbox/httpClient';

const contoso = SEED.tenants.contoso;
const multi = SEED.apps.multiTenant;
const single = SEED.apps.singleTenant;
const REDIRECT = 'https://app.example.test/callback';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
	await sandbox.stop();
});

const request = (path: string, options: Parameters<typeof sandboxRequest>[1] = {}) =>
	sandboxRequest(`${sandbox.loginUrl}${path}`, { ca: sandbox.tls.ca, ...options });

function postToken(tenant: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
	return request(`/${tenant}/oauth2/v2.0/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: form(fields),
	});
}

function claimsOf(token: string): Record<string, any> {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Entra's error body: code in description and error_codes, trace/correlation ids, timestamp, error_uri. */
function expectEntraError(res: { status: number; json: any }, status: number, error: string, code: number) {
	expect(res.status).toBe(status);
	expect(res.json.error).toBe(error);
	expect(res.json.error_codes).toEqual([code]);
	expect(res.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
	expect(res.json.error_description).toMatch(/\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
	expect(res.json.trace_id).toMatch(/^[0-9a-f-]{36}$/);
	expect(res.json.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
	expect(res.json.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
	expect(res.json.error_uri).toBe(`${sandbox.loginUrl}/error?code=${code}`);
}

const graphDefault = () => `${sandbox.graphUrl}/.default`;

describe('discovery', () => {
	it('serves the OpenID configuration for a verified domain with tenant-specific endpoints', async () => {
		const res = await request(`/${contoso.domains[0]}/v2.0/.well-known/openid-configuration`);
		expect(res.status).toBe(200);
		expect(res.json.issuer).toBe(`${sandbox.loginUrl}/${contoso.id}/v2.0`);
		expect(res.json.token_endpoint).toBe(`${sandbox.loginUrl}/${contoso.id}/oauth2/v2.0/token`);
		expect(res.json.authorization_endpoint).toBe(`${sandbox.loginUrl}/${contoso.id}/oauth2/v2.0/authorize`);
		expect(res.json.jwks_uri).toBe(`${sandbox.loginUrl}/${contoso.id}/discovery/v2.0/keys`);
	});

	it('keeps {tenantid} in the issuer of /common', async () => {
		const res = await request('/common/v2.0/.well-known/openid-configuration');
		expect(res.json.issuer).toBe(`${sandbox.loginUrl}/{tenantid}/v2.0`);
		expect(res.json.token_endpoint).toBe(`${sandbox.loginUrl}/common/oauth2/v2.0/token`);
	});

	it('answers instance discovery with the sandbox host as its own alias', async () => {
		const res = await request('/common/discovery/instance?api-version=1.1&authorization_endpoint=x');
		const host = new URL(sandbox.loginUrl).host;
		expect(res.json.metadata).toEqual([{ preferred_network: host, preferred_cache: host, aliases: [host] }]);
	});

	it('refuses an unknown tenant with AADSTS90002', async () => {
		const res = await request('/nowhere.example/v2.0/.well-known/openid-configuration');
		expectEntraError(res, 400, 'invalid_tenant', 90002);
	});
});

describe('client credentials with a secret', () => {
	it('issues an app-only Graph token with the granted roles', async () => {
		const res = await postToken(contoso.domains[0], { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: graphDefault() });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: expect.any(String) });
		const claims = claimsOf(res.json.access_token);
		expect(claims).toMatchObject({ aud: 'https://graph.microsoft.com', tid: contoso.id, appid: multi.clientId, idtyp: 'app' });
		expect(claims.roles).toContain('User.Read.All');
		expect(claims.scp).toBeUndefined();
	});

	it('accepts the secret in an HTTP Basic header', async () => {
		const basic = Buffer.from(`${encodeURIComponent(single.clientId)}:${encodeURIComponent(single.secret)}`).toString('base64');
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', scope: graphDefault() }, { authorization: `Basic ${basic}` });
		expect(res.status).toBe(200);
	});

	it('refuses a wrong secret with AADSTS7000215 (401)', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: 'not-the-secret', scope: graphDefault() });
		expectEntraError(res, 401, 'invalid_client', 7000215);
	});

	it('refuses the Secret ID pasted instead of its Value with AADSTS7000215', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secretId, scope: graphDefault() });
		expectEntraError(res, 401, 'invalid_client', 7000215);
		expect(res.json.error_description).toContain('not the client secret ID');
	});

	it('refuses an expired secret with AADSTS7000222 (401)', async () => {
		const app = SEED.apps.expiredSecret;
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.secret, scope: graphDefault() });
		expectEntraError(res, 401, 'invalid_client', 7000222);
	});

	it('refuses a request without any client credential with AADSTS7000218', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, scope: graphDefault() });
		expectEntraError(res, 401, 'invalid_client', 7000218);
	});

	it('refuses an unknown app with AADSTS700016', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: crypto.randomUUID(), client_secret: 'x', scope: graphDefault() });
		expectEntraError(res, 400, 'unauthorized_client', 700016);
	});

	it('refuses a single-tenant app in another tenant with AADSTS700016', async () => {
		const res = await postToken(SEED.tenants.fabrikam.id, { grant_type: 'client_credentials', client_id: single.clientId, client_secret: single.secret, scope: graphDefault() });
		expectEntraError(res, 400, 'unauthorized_client', 700016);
	});

	it('refuses an unknown tenant with AADSTS90002', async () => {
		const res = await postToken('nowhere.onmicrosoft.com', { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: graphDefault() });
		expectEntraError(res, 400, 'invalid_request', 90002);
	});

	it('refuses a single-tenant app on /common with AADSTS50194', async () => {
		const res = await postToken('common', { grant_type: 'client_credentials', client_id: single.clientId, client_secret: single.secret, scope: graphDefault() });
		expectEntraError(res, 400, 'invalid_request', 50194);
	});

	it('refuses client credentials on /organizations with AADSTS50059 (no tenant)', async () => {
		const res = await postToken('organizations', { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: graphDefault() });
		expectEntraError(res, 400, 'invalid_request', 50059);
	});

	it('refuses scopes of two resources with AADSTS700022', async () => {
		const scope = `https://graph.microsoft.com/.default https://contoso.crm.dynamics.com/.default`;
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope });
		expectEntraError(res, 400, 'invalid_scope', 700022);
	});

	it('accepts Graph by its public URL as well as by the sandbox Graph URL', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: 'https://graph.microsoft.com/.default' });
		expect(res.status).toBe(200);
		expect(claimsOf(res.json.access_token).aud).toBe('https://graph.microsoft.com');
	});

	it('refuses a non-.default scope with AADSTS1002012 and a missing scope with AADSTS70011', async () => {
		const named = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: 'User.Read' });
		expectEntraError(named, 400, 'invalid_scope', 1002012);
		const missing = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret });
		expectEntraError(missing, 400, 'invalid_scope', 70011);
	});

	it('refuses an unknown resource with AADSTS500011', async () => {
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: multi.clientId, client_secret: multi.secret, scope: 'https://unknown.example/.default' });
		expectEntraError(res, 400, 'invalid_resource', 500011);
	});

	it('gives an app without admin consent a token without roles', async () => {
		const app = SEED.apps.noConsent;
		const res = await postToken(contoso.id, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.secret, scope: graphDefault() });
		expect(res.status).toBe(200);
		expect(claimsOf(res.json.access_token).roles).toBeUndefined();
	});

	it('refuses an unknown grant type with AADSTS70003', async () => {
		const res = await postToken(contoso.id, { grant_type: 'password', client_id: multi.clientId, client_secret: multi.secret });
		expectEntraError(res, 400, 'unsupported_grant_type', 70003);
	});
});

describe('client credentials with a certificate assertion', () => {
	const tokenEndpoint = () => `${sandbox.loginUrl}/${contoso.id}/oauth2/v2.0/token`;

	function assertion(options: { alg?: 'PS256' | 'RS256'; sha1?: boolean; cert?: string; key?: string; claims?: Record<string, unknown> } = {}) {
		const cert = options.cert ?? sandbox.tls.appCert;
		const der = new crypto.X509Certificate(cert).raw;
		const alg = options.alg ?? 'PS256';
		const header = options.sha1
			? { alg, typ: 'JWT', x5t: crypto.createHash('sha1').update(der).digest('base64url') }
			: { alg, typ: 'JWT', 'x5t#S256': crypto.createHash('sha256').update(der).digest('base64url') };
		const now = Math.floor(Date.now() / 1000);
		const payload = { aud: tokenEndpoint(), iss: single.clientId, sub: single.clientId, jti: crypto.randomUUID(), nbf: now, exp: now + 600, ...options.claims };
		const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
		const key = options.key ?? sandbox.tls.appKey;
		const signature =
			alg === 'PS256'
				? crypto.sign('sha256', Buffer.from(input), { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
				: crypto.sign('sha256', Buffer.from(input), key);
		return `${input}.${signature.toString('base64url')}`;
	}

	const postAssertion = (jwt: string) =>
		postToken(contoso.id, {
			grant_type: 'client_credentials',
			client_id: single.clientId,
			client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
			client_assertion: jwt,
			scope: graphDefault(),
		});

	let otherCert: { cert: string; private: string };
	beforeAll(async () => {
		otherCert = await generate([{ name: 'commonName', value: 'unregistered' }], { keySize: 2048, algorithm: 'sha256' });
	});

	it('accepts PS256 with x5t#S256', async () => {
		const res = await postAssertion(assertion());
		expect(res.status).toBe(200);
		expect(claimsOf(res.json.access_token)).toMatchObject({ appid: single.clientId, tid: contoso.id });
	});

	it('accepts legacy RS256 with x5t (SHA-1)', async () => {
		const res = await postAssertion(assertion({ alg: 'RS256', sha1: true }));
		expect(res.status).toBe(200);
	});

	it('accepts an audience naming the tenant by domain', async () => {
		const res = await postAssertion(assertion({ claims: { aud: `${sandbox.loginUrl}/${contoso.domains[0]}/oauth2/v2.0/token` } }));
		expect(res.status).toBe(200);
	});

	it('refuses a certificate that is not registered with AADSTS700027', async () => {
		const res = await postAssertion(assertion({ cert: otherCert.cert, key: otherCert.private }));
		expectEntraError(res, 401, 'invalid_client', 700027);
		expect(res.json.error_description).toContain('not registered on application');
	});

	it('refuses a registered thumbprint signed by another key with AADSTS700027', async () => {
		const res = await postAssertion(assertion({ key: otherCert.private }));
		expectEntraError(res, 401, 'invalid_client', 700027);
	});

	it('refuses PS256 with a SHA-1 thumbprint header with AADSTS700027', async () => {
		const res = await postAssertion(assertion({ alg: 'PS256', sha1: true }));
		expectEntraError(res, 401, 'invalid_client', 700027);
	});

	it('refuses a wrong audience or issuer with AADSTS700027', async () => {
		const wrongAud = await postAssertion(assertion({ claims: { aud: `${sandbox.loginUrl}/${SEED.tenants.fabrikam.id}/oauth2/v2.0/token` } }));
		expectEntraError(wrongAud, 401, 'invalid_client', 700027);
		const wrongIss = await postAssertion(assertion({ claims: { iss: multi.clientId } }));
		expectEntraError(wrongIss, 401, 'invalid_client', 700027);
	});

	it('refuses an expired assertion with AADSTS700024', async () => {
		const now = Math.floor(Date.now() / 1000);
		const res = await postAssertion(assertion({ claims: { nbf: now - 3600, exp: now - 1800 } }));
		expectEntraError(res, 400, 'invalid_client', 700024);
	});

	it('refuses a malformed assertion with AADSTS700027', async () => {
		const res = await postAssertion('not.a-jwt');
		expectEntraError(res, 401, 'invalid_client', 700027);
	});
});

describe('authorization code flow', () => {
	const verifier = crypto.randomBytes(32).toString('base64url');
	const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');

	async function authorize(params: Record<string, string>, tenant = 'common') {
		const query = new URLSearchParams({
			client_id: multi.clientId,
			response_type: 'code',
			redirect_uri: REDIRECT,
			scope: `openid profile offline_access ${sandbox.graphUrl}/User.Read ${sandbox.graphUrl}/Files.ReadWrite.All`,
			state: 'state-123',
			...params,
		});
		return request(`/${tenant}/oauth2/v2.0/authorize?${query}`);
	}

	function redirectParams(res: { status: number; headers: Record<string, any> }) {
		expect(res.status).toBe(302);
		return new URL(String(res.headers.location)).searchParams;
	}

	async function signIn(params: Record<string, string> = {}) {
		const location = redirectParams(await authorize({ code_challenge: challenge, code_challenge_method: 'S256', ...params }));
		const code = location.get('code');
		expect(code).toBeTruthy();
		return code as string;
	}

	const redeem = (code: string, extra: Record<string, string> = {}) =>
		postToken('common', { grant_type: 'authorization_code', client_id: multi.clientId, client_secret: multi.secret, code, redirect_uri: REDIRECT, code_verifier: verifier, ...extra });

	it('redirects back with a code and the state, then issues access, refresh and ID tokens', async () => {
		const location = redirectParams(await authorize({ code_challenge: challenge, code_challenge_method: 'S256' }));
		expect(location.get('state')).toBe('state-123');
		const res = await redeem(location.get('code') as string, { client_info: '1' });
		expect(res.status).toBe(200);
		expect(res.json.scope.split(' ')).toEqual(expect.arrayContaining(['User.Read', 'Files.ReadWrite.All', 'openid', 'profile']));
		const access = claimsOf(res.json.access_token);
		expect(access).toMatchObject({ aud: 'https://graph.microsoft.com', tid: contoso.id, oid: SEED.users.alice.id, idtyp: 'user', appid: multi.clientId });
		expect(access.scp.split(' ').sort()).toEqual(['Files.ReadWrite.All', 'User.Read']);
		const id = claimsOf(res.json.id_token);
		expect(id).toMatchObject({ aud: multi.clientId, iss: `${sandbox.loginUrl}/${contoso.id}/v2.0`, preferred_username: SEED.users.alice.userPrincipalName });
		expect(JSON.parse(Buffer.from(res.json.client_info, 'base64url').toString())).toEqual({ uid: SEED.users.alice.id, utid: contoso.id });
		expect(res.json.refresh_token).toEqual(expect.any(String));
	});

	it('signs in the login_hint user of the other tenant on /common with a multi-tenant app', async () => {
		const res = await redeem(await signIn({ login_hint: SEED.users.carol.userPrincipalName }));
		expect(claimsOf(res.json.access_token)).toMatchObject({ tid: SEED.tenants.fabrikam.id, oid: SEED.users.carol.id });
	});

	it('rotates refresh tokens: each use returns a new one and the old one stops working', async () => {
		const first = await redeem(await signIn());
		const second = await postToken('common', { grant_type: 'refresh_token', client_id: multi.clientId, client_secret: multi.secret, refresh_token: first.json.refresh_token });
		expect(second.status).toBe(200);
		expect(second.json.refresh_token).toEqual(expect.any(String));
		expect(second.json.refresh_token).not.toBe(first.json.refresh_token);
		expect(claimsOf(second.json.access_token).scp.split(' ').sort()).toEqual(['Files.ReadWrite.All', 'User.Read']);

		const reused = await postToken('common', { grant_type: 'refresh_token', client_id: multi.clientId, client_secret: multi.secret, refresh_token: first.json.refresh_token });
		expectEntraError(reused, 400, 'invalid_grant', 70000);
		const third = await postToken('common', { grant_type: 'refresh_token', client_id: multi.clientId, client_secret: multi.secret, refresh_token: second.json.refresh_token });
		expect(third.status).toBe(200);
	});

	it('refuses a refresh for a scope the user never consented to with AADSTS65001', async () => {
		const first = await redeem(await signIn());
		const res = await postToken('common', { grant_type: 'refresh_token', client_id: multi.clientId, client_secret: multi.secret, refresh_token: first.json.refresh_token, scope: 'Mail.Send offline_access' });
		expectEntraError(res, 400, 'invalid_grant', 65001);
	});

	it('grants user_impersonation for a Dataverse {environment}/.default (the permission an app registration lists for it), which Dataverse accepts', async () => {
		const res = await redeem(await signIn({ scope: `openid offline_access ${sandbox.dataverseUrl}/.default` }));
		expect(res.status).toBe(200);
		const access = claimsOf(res.json.access_token);
		expect(access).toMatchObject({ aud: sandbox.dataverseUrl, oid: SEED.users.alice.id, idtyp: 'user' });
		expect(access.scp).toBe('user_impersonation');
		const whoAmI = await sandboxRequest(`${sandbox.dataverseUrl}/api/data/v9.2/WhoAmI`, { ca: sandbox.tls.ca, headers: { authorization: `Bearer ${res.json.access_token}` } });
		expect(whoAmI.status).toBe(200);
		expect(whoAmI.json.UserId).toEqual(expect.any(String));
	});

	it('refuses a redeemed code (AADSTS54005), a wrong PKCE verifier (501481) and a changed redirect URI (50011)', async () => {
		const code = await signIn();
		expect((await redeem(code)).status).toBe(200);
		expectEntraError(await redeem(code), 400, 'invalid_grant', 54005);
		expectEntraError(await redeem(await signIn(), { code_verifier: 'wrong-verifier' }), 400, 'invalid_grant', 501481);
		expectEntraError(await redeem(await signIn(), { redirect_uri: 'https://elsewhere.example/cb' }), 400, 'invalid_request', 50011);
	});

	it('refuses the code exchange with a wrong secret (AADSTS7000215)', async () => {
		const res = await redeem(await signIn(), { client_secret: 'wrong' });
		expectEntraError(res, 401, 'invalid_client', 7000215);
	});

	it('treats bare Graph scopes and scopes prefixed with the sandbox Graph URL as one resource', async () => {
		const res = await redeem(await signIn({ scope: `openid offline_access User.Read ${sandbox.graphUrl}/Files.Read` }));
		expect(res.status).toBe(200);
		expect(claimsOf(res.json.access_token).scp.split(' ').sort()).toEqual(['Files.Read', 'User.Read']);
	});

	it('ignores the port of a registered http://localhost redirect URI', async () => {
		const location = redirectParams(await authorize({ redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback' }));
		expect(location.get('code')).toBeTruthy();
	});

	it('shows an error page for an unregistered redirect URI (AADSTS50011), an unknown app (700016) or tenant (90002)', async () => {
		const mismatch = await authorize({ redirect_uri: 'https://attacker.example/cb' });
		expect(mismatch.status).toBe(400);
		expect(mismatch.headers.location).toBeUndefined();
		expect(mismatch.text).toContain('AADSTS50011');
		const unknownApp = await authorize({ client_id: crypto.randomUUID() });
		expect(unknownApp.status).toBe(400);
		expect(unknownApp.text).toContain('AADSTS700016');
		const unknownTenant = await authorize({}, 'nowhere.onmicrosoft.com');
		expect(unknownTenant.status).toBe(400);
		expect(unknownTenant.text).toContain('AADSTS90002');
	});

	it('sends AADSTS50194 back to the client for a single-tenant app on /common', async () => {
		const location = redirectParams(await authorize({ client_id: single.clientId }));
		expect(location.get('error')).toBe('invalid_request');
		expect(location.get('error_description')).toMatch(/^AADSTS50194: /);
		expect(location.get('state')).toBe('state-123');
		expect(location.get('code')).toBeNull();
	});

	it('sends AADSTS50020 back for a user of another tenant on a single-tenant app', async () => {
		const location = redirectParams(await authorize({ client_id: single.clientId, login_hint: SEED.users.carol.userPrincipalName }, contoso.id));
		expect(location.get('error_description')).toMatch(/^AADSTS50020: /);
	});

	it('sends AADSTS65001 back when an admin-only scope has no admin consent', async () => {
		const app = SEED.apps.noConsent;
		const location = redirectParams(await authorize({ client_id: app.clientId, scope: 'openid User.Read.All' }, contoso.id));
		expect(location.get('error')).toBe('consent_required');
		expect(location.get('error_description')).toMatch(/^AADSTS65001: /);
	});

	it('sends AADSTS65001 back for prompt=none before the user consented', async () => {
		const location = redirectParams(await authorize({ client_id: single.clientId, scope: 'openid Contacts.Read', prompt: 'none', login_hint: SEED.users.bob.userPrincipalName }, contoso.id));
		expect(location.get('error_description')).toMatch(/^AADSTS65001: /);
	});

	it('sends AADSTS70011 back for an unknown scope and AADSTS700022 for two resources', async () => {
		const unknown = redirectParams(await authorize({ scope: 'openid Files.ReadWriteEverything' }));
		expect(unknown.get('error')).toBe('invalid_scope');
		expect(unknown.get('error_description')).toMatch(/^AADSTS70011: /);
		const two = redirectParams(await authorize({ scope: 'openid User.Read https://contoso.crm.dynamics.com/user_impersonation' }));
		expect(two.get('error_description')).toMatch(/^AADSTS700022: /);
	});
});

describe('msal-node against the sandbox', () => {
	beforeAll(() => {
		// msal-node makes its own HTTPS calls; it trusts the sandbox only through NODE_EXTRA_CA_CERTS (set by `npm test`).
		expect(process.env.NODE_EXTRA_CA_CERTS).toBe(sandbox.tls.caPath);
	});

	const msalConfig = () => ({
		authority: `${sandbox.loginUrl}/${contoso.domains[0]}`,
		knownAuthorities: [new URL(sandbox.loginUrl).host],
	});

	it('acquires a token by client credential with a secret', async () => {
		const app = new ConfidentialClientApplication({ auth: { clientId: multi.clientId, clientSecret: multi.secret, ...msalConfig() } });
		const result = await app.acquireTokenByClientCredential({ scopes: [graphDefault()] });
		expect(result?.accessToken).toBeTruthy();
		expect(claimsOf(result!.accessToken)).toMatchObject({ tid: contoso.id, appid: multi.clientId });
	});

	it('acquires a token by client credential with a certificate (SHA-256 thumbprint)', async () => {
		const der = new crypto.X509Certificate(sandbox.tls.appCert).raw;
		const app = new ConfidentialClientApplication({
			auth: {
				clientId: single.clientId,
				clientCertificate: { thumbprintSha256: crypto.createHash('sha256').update(der).digest('hex'), privateKey: sandbox.tls.appKey, x5c: sandbox.tls.appCert },
				...msalConfig(),
			},
		});
		const result = await app.acquireTokenByClientCredential({ scopes: [graphDefault()] });
		expect(claimsOf(result!.accessToken)).toMatchObject({ tid: contoso.id, appid: single.clientId });
	});

	it('surfaces the sandbox AADSTS error through msal-node', async () => {
		const app = new ConfidentialClientApplication({ auth: { clientId: multi.clientId, clientSecret: 'wrong', ...msalConfig() } });
		await expect(app.acquireTokenByClientCredential({ scopes: [graphDefault()] })).rejects.toMatchObject({ errorCode: 'invalid_client', errorMessage: expect.stringMatching(/AADSTS7000215/) });
	});
});
