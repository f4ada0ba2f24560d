/**
 * OAuth2 through n8n-core's real requestOAuth2 (@n8n/client-oauth2): a 401 triggers one refresh against a
 * local token endpoint, the rotated refresh token is stored, and the token URL comes from a credential
 * expression over $self — the way our Microsoft credentials build it.
 */
import type { ServerResponse } from 'node:http';

import {
	NodeApiError,
	NodeOperationError,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { sendJson, startLocalServer, type LocalServer, type RecordedRequest } from '../harness/localServer';

/** Test-only OAuth2 type: token URL built from a visible field by an expression, like our credentials. */
class HarnessOAuth2Test implements ICredentialType {
	name = 'harnessOAuth2Test';
	extends = ['oAuth2Api'];
	displayName = 'Harness OAuth2 (test)';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Login base', name: 'loginBase', type: 'string', default: '' },
		{ displayName: 'Tenant', name: 'tenant', type: 'string', default: 'common' },
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{$self["loginBase"]}}/{{$self["tenant"]}}/oauth2/v2.0/token',
		},
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: '={{$self["loginBase"]}}/authorize' },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'offline_access Files.Read' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];
}

function apiNode(): INodeType {
	return {
		description: {
			displayName: 'Harness OAuth Request',
			name: 'harnessOAuthRequest',
			group: ['transform'],
			version: 1,
			description: 'test node',
			defaults: { name: 'Harness OAuth Request' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'harnessOAuth2Test', required: true }],
			properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'harnessOAuth2Test', {
				method: 'GET',
				url: this.getNodeParameter('url', 0) as string,
				json: true,
			})) as IDataObject;
			return [[{ json: body }]];
		},
	};
}

describe('harness: OAuth2 refresh through n8n-core', () => {
	let server: LocalServer;
	let harness: Harness;
	let currentAccess = 'access-2';
	let refreshResponse: { status: number; body: IDataObject } = {
		status: 200,
		body: { access_token: 'access-2', refresh_token: 'refresh-2', token_type: 'Bearer', expires_in: 3600 },
	};

	beforeAll(async () => {
		server = await startLocalServer((req: RecordedRequest, res: ServerResponse) => {
			if (req.method === 'POST' && req.url === '/contoso.example/oauth2/v2.0/token') {
				return sendJson(res, refreshResponse.status, refreshResponse.body);
			}
			if (req.headers.authorization !== `Bearer ${currentAccess}`) {
				return sendJson(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'expired' } });
			}
			return sendJson(res, 200, { ok: true });
		});
		harness = createHarness({
			credentialTypes: [new HarnessOAuth2Test()],
			credentials: {
				harnessOAuth2Test: {
					loginBase: server.url,
					tenant: 'contoso.example',
					clientId: 'client-1',
					clientSecret: 'secret-1',
					oauthTokenData: { access_token: 'access-1', refresh_token: 'refresh-1', token_type: 'Bearer' },
				},
			},
		});
	});
	afterAll(async () => {
		await server.close();
		await harness.cleanup();
	});
	beforeEach(() => {
		server.requests.length = 0;
	});

	it('resolves credential expressions over $self (defaults applied)', async () => {
		const ctx = harness.executeContext(apiNode());
		const data = await ctx.getCredentials('harnessOAuth2Test', 0);
		expect(data.accessTokenUrl).toBe(`${server.url}/contoso.example/oauth2/v2.0/token`);
		expect(data.authUrl).toBe(`${server.url}/authorize`);
		expect(data.scope).toBe('offline_access Files.Read');
		expect(data.grantType).toBe('authorizationCode');
		expect(harness.credentialsHelper.getParentTypes('harnessOAuth2Test')).toEqual(['oAuth2Api']);
	});

	it('refreshes once on 401, retries with the new token and stores the rotated refresh token', async () => {
		const out = await harness.execute(apiNode(), { parameters: { url: `${server.url}/v1.0/me` } });
		expect(out[0][0].json).toEqual({ ok: true });
		expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization ?? null])).toEqual([
			['GET', '/v1.0/me', 'Bearer access-1'],
			['POST', '/contoso.example/oauth2/v2.0/token', null],
			['GET', '/v1.0/me', 'Bearer access-2'],
		]);
		const tokenRequest = new URLSearchParams(server.requests[1].body.toString());
		expect(tokenRequest.get('grant_type')).toBe('refresh_token');
		expect(tokenRequest.get('refresh_token')).toBe('refresh-1');
		expect(tokenRequest.get('client_id')).toBe('client-1'); // authentication: body
		expect(tokenRequest.get('client_secret')).toBe('secret-1');

		const stored = await harness.storedCredentials('harnessOAuth2Test');
		const tokenData = stored?.oauthTokenData as IDataObject;
		expect(tokenData.access_token).toBe('access-2');
		expect(tokenData.refresh_token).toBe('refresh-2');
		expect(Number(tokenData.n8n_expires_at)).toBeGreaterThan(Date.now());
		expect(stored?.clientSecret).toBe('secret-1'); // only the token data changed
	});

	it('uses the stored new token on the next run without refreshing', async () => {
		await harness.execute(apiNode(), { parameters: { url: `${server.url}/v1.0/me` } });
		expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer access-2']);
	});

	it('turns invalid_grant on refresh into "needs to be reconnected"', async () => {
		currentAccess = 'access-3';
		refreshResponse = { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70008: expired' } };
		const run = harness.execute(apiNode(), { parameters: { url: `${server.url}/v1.0/me` } });
		await expect(run).rejects.toBeInstanceOf(NodeApiError);
		await expect(run).rejects.toMatchObject({ cause: expect.any(NodeOperationError) });
		const stored = await harness.storedCredentials('harnessOAuth2Test');
		expect((stored?.oauthTokenData as IDataObject).refresh_token).toBe('refresh-2');
	});
});
