/**
 * Token reuse within one connection (shared/credentialToken.ts) through n8n-core's real helpers against the sandbox:
 * requests send the token getConnection read instead of n8n reading the credential for each one; a refused OAuth2
 * token is renewed by n8n's refresh and the request sent again once (as n8n does); a refused client-credential token
 * goes back to n8n's helper, which signs in again, and the next requests read the new one; a token n8n cannot renew
 * is not reused again; a stream body always goes through n8n's helper.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeType } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { createHarness, type Harness } from '../harness';
import { SEED, startSandbox, type Sandbox } from '../sandbox';
import { getConnection, graphRequest, sendAuthenticated } from '../../nodes/Microsoft/shared';
import { bearerTokenOf } from '../../nodes/Microsoft/shared/credentialToken';

const testNode: INodeType = {
	description: {
		displayName: 'Credential Token Test',
		name: 'credentialTokenTest',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Credential Token Test' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'microsoft365OAuth2Api', required: false },
			{ name: 'microsoft365ClientCredentialsApi', required: false },
		],
		properties: [],
	},
};

describe('token reuse within a connection', () => {
	let sandbox: Sandbox;
	const harnesses: Harness[] = [];
	const cloud = () => ({ cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl });
	const meRequests = () => sandbox.state.requests.filter((r) => r.path === '/v1.0/me' || r.path.endsWith('/oauth2/v2.0/token'));
	const statuses = () => meRequests().map((r) => `${r.method} ${r.path.replace(/^\/[^/]+\/oauth2/, '/oauth2')} ${r.status}`);

	function harnessWith(type: string, data: ICredentialDataDecryptedObject) {
		const harness = createHarness({ credentials: { [type]: data } });
		harnesses.push(harness);
		const ctx = harness.executeContext(testNode, {}) as unknown as IExecuteFunctions;
		const calls = (method: string, called?: boolean) =>
			harness.credentialsHelper.calls.filter((call) => call.method === method && (called === undefined || call.called === called)).length;
		return { harness, ctx, calls };
	}

	/** A delegated credential whose refresh token is real (the sandbox's authorization-code flow). */
	async function delegatedWithRefreshToken(accessToken?: string) {
		const redirectUri = 'https://app.example.test/callback';
		const authorize = new URL(`${sandbox.loginUrl}/common/oauth2/v2.0/authorize`);
		authorize.search = new URLSearchParams({
			client_id: SEED.apps.multiTenant.clientId, response_type: 'code', redirect_uri: redirectUri,
			scope: 'offline_access User.Read Files.ReadWrite', login_hint: SEED.users.alice.userPrincipalName, state: 's',
		}).toString();
		const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
		const token = (await (await fetch(`${sandbox.loginUrl}/common/oauth2/v2.0/token`, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: SEED.apps.multiTenant.clientId, client_secret: SEED.apps.multiTenant.secret }),
		})).json()) as { access_token: string; refresh_token: string };
		sandbox.state.requests.length = 0;
		return {
			...cloud(), tenant: 'common', clientId: SEED.apps.multiTenant.clientId, clientSecret: SEED.apps.multiTenant.secret,
			oauthTokenData: { token_type: 'Bearer', access_token: accessToken ?? token.access_token, refresh_token: token.refresh_token },
		};
	}

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		for (const harness of harnesses) await harness.cleanup();
		await sandbox?.stop();
	});
	beforeEach(() => {
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
	});

	it('reads the credential once for a run of requests instead of once per request', async () => {
		const { ctx, calls } = harnessWith('microsoft365OAuth2Api', await delegatedWithRefreshToken());
		const conn = await getConnection(ctx, 'microsoft365OAuth2Api');
		const before = calls('getDecrypted');
		for (let i = 0; i < 5; i++) {
			const response = await graphRequest(ctx, conn, { url: '/me' });
			expect(response.body.userPrincipalName).toBe(SEED.users.alice.userPrincipalName);
		}
		// getConnection's read serves every request; n8n's helper alone read it once per request (5 times).
		expect(calls('getDecrypted') - before).toBe(0);
		expect(meRequests().every((r) => r.hasAuthorization && r.status === 200)).toBe(true);
		expect(statuses()).toHaveLength(5);
	});

	it('hands a token refused mid-run back to n8n, which refreshes it; the next requests reuse the new one', async () => {
		const { harness, ctx } = harnessWith('microsoft365OAuth2Api', await delegatedWithRefreshToken());
		const conn = await getConnection(ctx, 'microsoft365OAuth2Api');
		expect((await graphRequest(ctx, conn, { url: '/me' })).status).toBe(200);
		expect((await graphRequest(ctx, conn, { url: '/me' })).status).toBe(200);
		const first = bearerTokenOf(await harness.storedCredentials('microsoft365OAuth2Api'));
		sandbox.state.revokeAllTokens();
		expect((await graphRequest(ctx, conn, { url: '/me' })).status).toBe(200);
		expect((await graphRequest(ctx, conn, { url: '/me' })).status).toBe(200);
		expect(statuses()).toEqual([
			'GET /v1.0/me 200',
			'GET /v1.0/me 200',
			'GET /v1.0/me 401', // revoked
			'POST /oauth2/v2.0/token 200', // n8n's refresh, which stores the new token
			'GET /v1.0/me 200', // sent again once with it, as n8n does
			'GET /v1.0/me 200', // the new token, reused
		]);
		const renewed = bearerTokenOf(await harness.storedCredentials('microsoft365OAuth2Api'));
		expect(renewed).toBeTruthy();
		expect(renewed).not.toBe(first);
	});

	it('requests refused at the same time share one refresh', async () => {
		const { ctx } = harnessWith('microsoft365OAuth2Api', await delegatedWithRefreshToken());
		const conn = await getConnection(ctx, 'microsoft365OAuth2Api');
		sandbox.state.revokeAllTokens();
		const answers = await Promise.all([1, 2, 3].map(async () => (await graphRequest(ctx, conn, { url: '/me' })).status));
		expect(answers).toEqual([200, 200, 200]);
		// The sandbox's refresh tokens are single-use, as Entra's rotation makes them: a second refresh would have failed.
		expect(statuses().filter((line) => line.startsWith('POST'))).toEqual(['POST /oauth2/v2.0/token 200']);
		expect(statuses().filter((line) => line.startsWith('GET')).sort()).toEqual([...Array(3).fill('GET /v1.0/me 200'), ...Array(3).fill('GET /v1.0/me 401')]);
	});

	it('does not reuse a token n8n cannot renew again, and fails as n8n does', async () => {
		const data = { ...(await delegatedWithRefreshToken('not-a-valid-token')), oauthTokenData: { token_type: 'Bearer', access_token: 'not-a-valid-token' } };
		const { ctx } = harnessWith('microsoft365OAuth2Api', data);
		const conn = await getConnection(ctx, 'microsoft365OAuth2Api');
		const errors: Error[] = [];
		for (let i = 0; i < 3; i++) errors.push(await graphRequest(ctx, conn, { url: '/me' }).then(() => new Error('no error'), (error: Error) => error));
		// n8n's own error every time: the token expired and there is no refresh token.
		expect(errors.map((error) => error.message)).toEqual(Array(3).fill(expect.stringMatching(/no refresh token is available/)));
		// 1st: refused, n8n's refresh fails (no refresh token), so n8n's helper sends it as before; 2nd and 3rd: n8n's helper only.
		expect(meRequests().filter((r) => r.path === '/v1.0/me').map((r) => r.status)).toEqual([401, 401, 401, 401]);
	});

	it('app-only: the sign-in runs once (preAuthentication), later requests reuse its token without n8n signing each one', async () => {
		const { ctx, calls } = harnessWith('microsoft365ClientCredentialsApi', {
			...cloud(), tenant: SEED.tenants.contoso.id, clientId: SEED.apps.singleTenant.clientId, authMethod: 'secret',
			clientSecret: SEED.apps.singleTenant.secret, resource: 'graph',
		});
		const conn = await getConnection(ctx, 'microsoft365ClientCredentialsApi');
		for (let i = 0; i < 4; i++) expect((await graphRequest(ctx, conn, { url: `/users/${SEED.users.bob.id}` })).body.id).toBe(SEED.users.bob.id);
		expect(calls('preAuthentication', true)).toBe(1);
		expect(calls('authenticate')).toBe(1);
		expect(sandbox.state.requests.filter((r) => r.path.startsWith('/v1.0/users/')).every((r) => r.hasAuthorization && r.status === 200)).toBe(true);
	});

	it('app-only: a token refused mid-run goes back to n8n, which signs in again; the next requests reuse the new one', async () => {
		const { ctx, calls } = harnessWith('microsoft365ClientCredentialsApi', {
			...cloud(), tenant: SEED.tenants.contoso.id, clientId: SEED.apps.singleTenant.clientId, authMethod: 'secret',
			clientSecret: SEED.apps.singleTenant.secret, resource: 'graph',
		});
		const conn = await getConnection(ctx, 'microsoft365ClientCredentialsApi');
		const get = async () => (await graphRequest(ctx, conn, { url: `/users/${SEED.users.bob.id}` })).status;
		expect([await get(), await get()]).toEqual([200, 200]);
		sandbox.state.revokeAllTokens();
		expect([await get(), await get()]).toEqual([200, 200]);
		expect(sandbox.state.requests.filter((r) => r.path.startsWith('/v1.0/users/')).map((r) => r.status)).toEqual([
			200, // n8n's helper: the first sign-in
			200, // reused
			401, // reused, revoked
			401, // n8n's helper with the stored (revoked) token, then its sign-in again
			200,
			200, // the new token, reused
		]);
		// Signed in twice: at the start and after the refusal.
		expect(calls('preAuthentication', true)).toBe(2);
	});

	it('sends a stream body through n8n\'s helper (it could not be sent again after a 401)', async () => {
		const { ctx, calls } = harnessWith('microsoft365OAuth2Api', await delegatedWithRefreshToken());
		const conn = await getConnection(ctx, 'microsoft365OAuth2Api');
		await graphRequest(ctx, conn, { url: '/me' });
		await graphRequest(ctx, conn, { url: '/me' });
		const before = calls('getDecrypted');
		const response = await sendAuthenticated(ctx, conn, { method: 'PUT', url: '/me/drive/root:/reuse-stream.txt:/content', body: Readable.from([Buffer.from('streamed')]) });
		expect(response.status).toBe(201);
		expect(calls('getDecrypted') - before).toBe(1); // n8n's helper read the credential for it
	});

	it('finds the bearer token in either credential kind, and none in a non-bearer OAuth2 token', () => {
		expect(bearerTokenOf({ oauthTokenData: { access_token: 'a', token_type: 'Bearer' } })).toBe('a');
		expect(bearerTokenOf({ oauthTokenData: { access_token: 'a' } })).toBe('a');
		expect(bearerTokenOf({ oauthTokenData: { access_token: 'a', token_type: 'mac' } })).toBeUndefined();
		expect(bearerTokenOf({ accessToken: 'b' })).toBe('b');
		expect(bearerTokenOf({ accessToken: '' })).toBeUndefined();
		expect(bearerTokenOf(undefined)).toBeUndefined();
	});
});
