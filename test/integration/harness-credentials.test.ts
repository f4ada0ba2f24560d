/**
 * The harness with the package's real credential classes against the Microsoft 365 sandbox:
 * `=`-expressions over $self (cloud → URLs, scopes) resolve as in n8n, the delegated OAuth2 credential
 * refreshes through n8n-core and keeps the rotated refresh token, and the client-credential type's
 * preAuthentication (msal-node) runs when its token is empty and again after a 401.
 * Needs NODE_EXTRA_CA_CERTS=test/sandbox/.state/tls/ca.pem (see test/sandbox/README.md).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox') as {
	startSandbox: (o: { port: number }) => Promise<{
		loginUrl: string;
		graphUrl: string;
		state: { requests: Array<{ method: string; path: string; hasAuthorization?: boolean; status?: number }> };
		stop(): Promise<void>;
	}>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SEED } = require('../sandbox/seed') as {
	SEED: {
		tenants: { contoso: { id: string } };
		apps: { multiTenant: { clientId: string; secret: string } };
		users: { alice: { userPrincipalName: string; displayName: string } };
	};
};

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const REDIRECT_URI = 'https://app.example.test/callback';

/** A node that GETs a URL with whichever Microsoft credential type the test names. */
const graphGetNode: INodeType = {
	description: {
		displayName: 'Harness Graph Get',
		name: 'harnessGraphGet',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Harness Graph Get' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: 'microsoft365OAuth2Api', required: false },
			{ name: 'microsoft365ClientCredentialsApi', required: false },
		],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: 'microsoft365OAuth2Api' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const body = (await this.helpers.httpRequestWithAuthentication.call(this, this.getNodeParameter('credentialType', 0) as string, {
			method: 'GET',
			url: this.getNodeParameter('url', 0) as string,
			json: true,
		})) as IDataObject;
		return [[{ json: body }]];
	},
};

/** Signs alice in through the sandbox's authorize endpoint and redeems the code, as n8n's callback does. */
async function signIn(sandbox: Sandbox, scope: string): Promise<{ access_token: string; refresh_token: string }> {
	const app = SEED.apps.multiTenant;
	const tenant = SEED.tenants.contoso.id;
	const authorize = new URL(`${sandbox.loginUrl}/${tenant}/oauth2/v2.0/authorize`);
	authorize.search = new URLSearchParams({
		client_id: app.clientId,
		response_type: 'code',
		redirect_uri: REDIRECT_URI,
		scope,
		login_hint: SEED.users.alice.userPrincipalName,
		state: 'harness',
	}).toString();
	const redirect = await fetch(authorize, { redirect: 'manual' });
	const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
	const token = await fetch(`${sandbox.loginUrl}/${tenant}/oauth2/v2.0/token`, {
		method: 'POST',
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code,
			client_id: app.clientId,
			client_secret: app.secret,
			redirect_uri: REDIRECT_URI,
			scope,
		}),
	});
	expect(token.status).toBe(200);
	return (await token.json()) as { access_token: string; refresh_token: string };
}

describe('harness with the real Microsoft credential classes (sandbox)', () => {
	let sandbox: Sandbox;
	const harnesses: Harness[] = [];

	beforeAll(async () => {
		if (!process.env.NODE_EXTRA_CA_CERTS) {
			throw new Error('Set NODE_EXTRA_CA_CERTS to the sandbox CA (test/sandbox/.state/tls/ca.pem); see test/sandbox/README.md');
		}
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.stop();
		for (const h of harnesses) await h.cleanup();
	});

	function customCloud(): ICredentialDataDecryptedObject {
		return {
			cloud: 'custom',
			customLoginUrl: sandbox.loginUrl,
			customGraphUrl: sandbox.graphUrl,
			tenant: SEED.tenants.contoso.id,
			clientId: SEED.apps.multiTenant.clientId,
			clientSecret: SEED.apps.multiTenant.secret,
		};
	}

	it('loads the three package credential types with their oAuth2Api parents', () => {
		const h = createHarness();
		harnesses.push(h);
		const helper = h.credentialsHelper;
		expect(helper.getParentTypes('microsoft365OAuth2Api')).toEqual(['oAuth2Api']);
		expect(helper.getParentTypes('microsoft365TenantOAuth2Api')).toEqual(['oAuth2Api']);
		expect(helper.getParentTypes('microsoft365ClientCredentialsApi')).toEqual([]);
		const names = helper.getCredentialsProperties('microsoft365TenantOAuth2Api').map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['clientId', 'clientSecret', 'oauthTokenData', 'tenant', 'scopeStyle']));
	});

	it('microsoft365OAuth2Api: expressions resolve, a 401 refreshes and the rotated refresh token is stored', async () => {
		const h = createHarness({
			credentials: { microsoft365OAuth2Api: { ...customCloud(), oauthTokenData: { access_token: 'x' } } },
		});
		harnesses.push(h);
		const resolved = await h.executeContext(graphGetNode).getCredentials('microsoft365OAuth2Api', 0);
		const tenant = SEED.tenants.contoso.id;
		expect(resolved.accessTokenUrl).toBe(`${sandbox.loginUrl}/${tenant}/oauth2/v2.0/token`);
		expect(resolved.authUrl).toBe(`${sandbox.loginUrl}/${tenant}/oauth2/v2.0/authorize`);
		expect(String(resolved.scope).split(' ')).toEqual(expect.arrayContaining(['offline_access', 'openid', 'profile']));
		expect(resolved.authentication).toBe('body');
		expect(resolved.grantType).toBe('authorizationCode');

		const first = await signIn(sandbox, String(resolved.scope));
		await h.credentialsHelper.save('microsoft365OAuth2Api', 'microsoft365OAuth2Api', {
			...customCloud(),
			oauthTokenData: { access_token: 'revoked-access-token', refresh_token: first.refresh_token, token_type: 'Bearer' },
		});

		sandbox.state.requests.length = 0;
		const out = await h.execute(graphGetNode, { parameters: { url: `${sandbox.graphUrl}/v1.0/me` } });
		expect(out[0][0].json.displayName).toBe(SEED.users.alice.displayName);
		expect(sandbox.state.requests.map((r) => [r.method, r.path, r.status])).toEqual([
			['GET', '/v1.0/me', 401],
			['POST', `/${tenant}/oauth2/v2.0/token`, 200],
			['GET', '/v1.0/me', 200],
		]);
		const tokenData = (await h.storedCredentials('microsoft365OAuth2Api'))?.oauthTokenData as IDataObject;
		expect(tokenData.refresh_token).toEqual(expect.any(String));
		expect(tokenData.refresh_token).not.toBe(first.refresh_token); // rotated and kept
		expect(tokenData.access_token).not.toBe('revoked-access-token');
	});

	it('microsoft365ClientCredentialsApi: preAuthentication (msal-node) on empty token and after a 401', async () => {
		const h = createHarness({
			credentials: { microsoft365ClientCredentialsApi: { ...customCloud(), authMethod: 'secret', resource: 'graph' } },
		});
		harnesses.push(h);
		const url = `${sandbox.graphUrl}/v1.0/organization`;
		const params = { credentialType: 'microsoft365ClientCredentialsApi', url };

		const out = await h.execute(graphGetNode, { parameters: params });
		expect(Array.isArray(out[0][0].json.value)).toBe(true);
		const firstToken = (await h.storedCredentials('microsoft365ClientCredentialsApi'))?.accessToken;
		expect(typeof firstToken).toBe('string');
		expect(String(firstToken).length).toBeGreaterThan(20);

		// a token Graph no longer accepts: n8n-core calls preAuthentication again with expired = true
		const stored = await h.storedCredentials('microsoft365ClientCredentialsApi');
		await h.credentialsHelper.save('microsoft365ClientCredentialsApi', 'microsoft365ClientCredentialsApi', {
			...stored,
			accessToken: 'no-longer-valid',
		});
		const calls = h.credentialsHelper.calls.length;
		sandbox.state.requests.length = 0;
		await h.execute(graphGetNode, { parameters: params });
		const preAuth = h.credentialsHelper.calls.slice(calls).filter((c) => c.method === 'preAuthentication');
		expect(preAuth.map((c) => [c.flag, c.called])).toEqual([
			[false, false],
			[true, true],
		]);
		expect(sandbox.state.requests.filter((r) => r.path === '/v1.0/organization').map((r) => r.status)).toEqual([401, 200]);
		const renewed = (await h.storedCredentials('microsoft365ClientCredentialsApi'))?.accessToken;
		expect(renewed).not.toBe('no-longer-valid');
	});
});
