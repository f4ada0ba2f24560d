/**
 * The harness runs a node through n8n-core's real engine; a generic-auth credential reaches a local server
 * with its header, and preAuthentication runs when the token is empty and again after a 401 (as in n8n).
 */
import type { ServerResponse } from 'node:http';

import {
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { sendJson, startLocalServer, type LocalServer, type RecordedRequest } from '../harness/localServer';

/** Test-only credential: static API key sent as a header through generic authenticate. */
class HarnessApiKeyTest implements ICredentialType {
	name = 'harnessApiKeyTest';
	displayName = 'Harness API key (test)';
	properties: ICredentialType['properties'] = [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Header', name: 'headerName', type: 'string', default: 'X-Api-Key' },
	];
	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: {
			headers: { '={{$credentials.headerName}}': '={{$credentials.apiKey}}' },
			qs: { tenant: '={{$credentials.headerName.toLowerCase()}}' },
		},
	};
}

/** Test-only credential: token from a login endpoint, kept in a hidden expirable field. */
function sessionCredentialType(loginUrl: () => string): ICredentialType {
	return {
		name: 'harnessSessionTest',
		displayName: 'Harness session (test)',
		properties: [
			{ displayName: 'Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true }, default: '' },
			{ displayName: 'User', name: 'user', type: 'string', default: '' },
		],
		async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
			const response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${loginUrl()}/login`,
				body: { user: credentials.user },
				json: true,
			})) as { token: string };
			return { accessToken: response.token };
		},
		authenticate: { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } } },
	};
}

/** Test-only node: one GET per input item through httpRequestWithAuthentication (error-throwing mode). */
function requestNode(credentialType: string): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Harness Request',
		name: 'harnessRequest',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Harness Request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: credentialType, required: true }],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const out: INodeExecutionData[] = [];
			for (let i = 0; i < this.getInputData().length; i++) {
				const url = this.getNodeParameter('url', i) as string;
				const body = (await this.helpers.httpRequestWithAuthentication.call(this, credentialType, {
					method: 'GET',
					url,
					json: true,
				})) as IDataObject;
				out.push({ json: body });
			}
			return [out];
		},
	};
}

describe('harness: generic authenticate', () => {
	let server: LocalServer;
	let harness: Harness;

	beforeAll(async () => {
		server = await startLocalServer((req: RecordedRequest, res: ServerResponse) =>
			sendJson(res, 200, { seenKey: req.headers['x-api-key'] ?? null, url: req.url }),
		);
	});
	afterAll(async () => {
		await server.close();
		await harness?.cleanup();
	});

	it('sends the header and query value resolved from the credential', async () => {
		harness = createHarness({
			credentials: { harnessApiKeyTest: { apiKey: 'key-123' } },
			credentialTypes: [new HarnessApiKeyTest()],
		});
		const out = await harness.execute(requestNode('harnessApiKeyTest'), { parameters: { url: `${server.url}/thing` } });
		expect(out[0]).toHaveLength(1);
		expect(out[0][0].json).toEqual({ seenKey: 'key-123', url: '/thing?tenant=x-api-key' });
		expect(server.requests[0].headers['x-api-key']).toBe('key-123');
	});

	it('credentialsFor picks which stored credential the node uses', async () => {
		await harness.credentialsHelper.save('second-key', 'harnessApiKeyTest', { apiKey: 'key-456', headerName: 'X-Api-Key' });
		const out = await harness.execute(requestNode('harnessApiKeyTest'), {
			parameters: { url: `${server.url}/other` },
			credentialsFor: { harnessApiKeyTest: 'second-key' },
		});
		expect(out[0][0].json.seenKey).toBe('key-456');
		await expect(
			harness.execute(requestNode('harnessApiKeyTest'), {
				parameters: { url: `${server.url}/other` },
				credentialsFor: { harnessApiKeyTest: 'missing-id' },
			}),
		).rejects.toThrow(/missing-id/);
	});
});

describe('harness: function-form authenticate', () => {
	it('calls the credential type’s authenticate function with the resolved credential', async () => {
		const server = await startLocalServer((req, res) => sendJson(res, 200, { auth: req.headers.authorization ?? null }));
		const fnType: ICredentialType = {
			name: 'harnessFnAuthTest',
			displayName: 'Harness function auth (test)',
			properties: [
				{ displayName: 'User', name: 'user', type: 'string', default: '' },
				{ displayName: 'Realm', name: 'realm', type: 'hidden', default: '={{$self.user.toUpperCase()}}' },
			],
			authenticate: async (credentials, requestOptions) => ({
				...requestOptions,
				headers: { ...requestOptions.headers, Authorization: `Custom ${String(credentials.user)}@${String(credentials.realm)}` },
			}),
		};
		const h = createHarness({ credentials: { harnessFnAuthTest: { user: 'eve' } }, credentialTypes: [fnType] });
		try {
			const out = await h.execute(requestNode('harnessFnAuthTest'), { parameters: { url: `${server.url}/a` } });
			expect(out[0][0].json).toEqual({ auth: 'Custom eve@EVE' });
		} finally {
			await server.close();
			await h.cleanup();
		}
	});
});

describe('harness: preAuthentication', () => {
	let server: LocalServer;
	let harness: Harness;
	let issued = 0;
	let validToken = '';

	beforeAll(async () => {
		server = await startLocalServer((req: RecordedRequest, res: ServerResponse) => {
			if (req.url === '/login') {
				validToken = `token-${++issued}`;
				return sendJson(res, 200, { token: validToken });
			}
			if (req.headers.authorization !== `Bearer ${validToken}`) return sendJson(res, 401, { error: 'expired' });
			return sendJson(res, 200, { ok: true, token: validToken });
		});
	});
	afterAll(async () => {
		await server.close();
		await harness?.cleanup();
	});
	beforeEach(() => {
		server.requests.length = 0;
	});

	it('calls preAuthentication when the expirable field is empty and stores the token', async () => {
		harness = createHarness({
			credentials: { harnessSessionTest: { user: 'ada' } },
			credentialTypes: [sessionCredentialType(() => server.url)],
		});
		const out = await harness.execute(requestNode('harnessSessionTest'), { parameters: { url: `${server.url}/data` } });
		expect(out[0][0].json).toEqual({ ok: true, token: 'token-1' });
		expect(server.requests.map((r) => r.url)).toEqual(['/login', '/data']);
		expect(JSON.parse(server.requests[0].body.toString())).toEqual({ user: 'ada' });
		expect((await harness.storedCredentials('harnessSessionTest'))?.accessToken).toBe('token-1');
		const preAuth = harness.credentialsHelper.calls.filter((c) => c.method === 'preAuthentication');
		expect(preAuth).toEqual([{ method: 'preAuthentication', type: 'harnessSessionTest', flag: false, called: true }]);
	});

	it('reuses the stored token, then re-runs preAuthentication with expired=true after a 401', async () => {
		// the stored token-1 is still valid: no login
		await harness.execute(requestNode('harnessSessionTest'), { parameters: { url: `${server.url}/data` } });
		expect(server.requests.map((r) => r.url)).toEqual(['/data']);

		validToken = 'rotated-by-server'; // the stored token is now refused
		server.requests.length = 0;
		const calls = harness.credentialsHelper.calls.length;
		const out = await harness.execute(requestNode('harnessSessionTest'), { parameters: { url: `${server.url}/data` } });
		expect(out[0][0].json).toEqual({ ok: true, token: 'token-2' });
		expect(server.requests.map((r) => [r.url, r.headers.authorization ?? null])).toEqual([
			['/data', 'Bearer token-1'],
			['/login', null],
			['/data', 'Bearer token-2'],
		]);
		const preAuth = harness.credentialsHelper.calls.slice(calls).filter((c) => c.method === 'preAuthentication');
		expect(preAuth.map((c) => [c.flag, c.called])).toEqual([
			[false, false],
			[true, true],
		]);
		expect((await harness.storedCredentials('harnessSessionTest'))?.accessToken).toBe('token-2');
	});

	it('with ignoreHttpStatusErrors a 401 comes straight back and no new token is fetched (as in n8n)', async () => {
		validToken = 'changed-again';
		server.requests.length = 0;
		const ctx = harness.executeContext(requestNode('harnessSessionTest'));
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'harnessSessionTest', {
			method: 'GET',
			url: `${server.url}/data`,
			json: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as { statusCode: number };
		expect(response.statusCode).toBe(401);
		expect(server.requests.map((r) => r.url)).toEqual(['/data']);
	});

	it('surfaces a NodeApiError when the refreshed token is refused too', async () => {
		const failing = await startLocalServer((req, res) =>
			req.url === '/login' ? sendJson(res, 200, { token: 'never-valid' }) : sendJson(res, 401, { error: 'no' }),
		);
		const h = createHarness({
			credentials: { harnessSessionTest: { user: 'bob', accessToken: 'old' } },
			credentialTypes: [sessionCredentialType(() => failing.url)],
		});
		try {
			await expect(h.execute(requestNode('harnessSessionTest'), { parameters: { url: `${failing.url}/x` } })).rejects.toBeInstanceOf(
				NodeApiError,
			);
			expect(failing.requests.map((r) => r.url)).toEqual(['/x', '/login', '/x']);
		} finally {
			await failing.close();
			await h.cleanup();
		}
	});
});
