import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { chunkBatch, graphBatch, subRequestsToRetry, type BatchRequest, type BatchResult } from '../../nodes/Microsoft/shared/batch';
import { fetchPreAuthenticated } from '../../nodes/Microsoft/shared/preAuthenticated';
import { graphRequest, resolveRequestUrl, sendAuthenticated } from '../../nodes/Microsoft/shared/transport';
import { fakeContext, testConnection } from './shared-fakeContext';

const conn = testConnection();
const noSleep = { sleep: async () => undefined };

describe('sendAuthenticated', () => {
	it('resolves relative URLs against graphBaseUrl and keeps absolute ones', () => {
		expect(resolveRequestUrl(conn, '/me')).toBe('https://graph.example.test/v1.0/me');
		expect(resolveRequestUrl(conn, 'me/drive')).toBe('https://graph.example.test/v1.0/me/drive');
		expect(resolveRequestUrl(conn, 'https://graph.example.test/beta/me')).toBe('https://graph.example.test/beta/me');
	});

	it.each([
		['a foreign host', 'https://evil.example.com/v1.0/me'],
		['plain http on an allowed host', 'http://graph.example.test/v1.0/me'],
		['credentials in the URL', 'https://user:pw@graph.example.test/v1.0/me'],
		['a look-alike host', 'https://graph.example.test.evil.com/v1.0/me'],
	])('refuses %s without sending anything', async (_name, url) => {
		const { ctx, authenticated, plain } = fakeContext(() => ({ status: 200, body: {} }));
		await expect(sendAuthenticated(ctx, conn, { url })).rejects.toThrow(NodeOperationError);
		expect(authenticated).toHaveLength(0);
		expect(plain).toHaveLength(0);
	});

	it('asks n8n for the full response, no redirects, no credentials on cross-origin redirects', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 302, headers: { location: 'https://files.example.test/d/1' } }));
		const response = await graphRequest(ctx, conn, { url: '/me/drive/items/1/content' });
		expect(response.status).toBe(302);
		expect(response.headers.location).toBe('https://files.example.test/d/1');
		expect(authenticated[0]).toMatchObject({
			returnFullResponse: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});

	it('sends objects as JSON and parses JSON answers', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 201, body: { id: 'new' } }));
		const response = await graphRequest(ctx, conn, { method: 'POST', url: '/me/drive/root/children', body: { name: "O'Brien" } });
		expect(response.body).toEqual({ id: 'new' });
		expect(authenticated[0].headers).toMatchObject({ 'Content-Type': 'application/json' });
		expect(Buffer.isBuffer(authenticated[0].body)).toBe(true);
		expect(JSON.parse(String(authenticated[0].body))).toEqual({ name: "O'Brien" });
	});

	it('does not retry a streamed body, but does retry a body factory', async () => {
		const throttledOnce = () => fakeContext((_o, call) => (call === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200, body: {} }));
		const streamed = throttledOnce();
		const response = await sendAuthenticated(streamed.ctx, conn, { method: 'PUT', url: '/me/drive/root:/a.txt:/content', body: Readable.from(['x']) }, noSleep);
		expect(response.status).toBe(429);
		expect(streamed.authenticated).toHaveLength(1);

		const factory = throttledOnce();
		const again = await sendAuthenticated(
			factory.ctx,
			conn,
			{ method: 'PUT', url: '/me/drive/root:/a.txt:/content', body: () => Readable.from(['x']) },
			noSleep,
		);
		expect(again.status).toBe(200);
		expect(factory.authenticated).toHaveLength(2);
		expect(factory.authenticated[0].body).not.toBe(factory.authenticated[1].body);
	});

	it('turns a final 429 into a throttling error with the Retry-After', async () => {
		const { ctx } = fakeContext(() => ({ status: 429, headers: { 'retry-after': '600' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests' } } }));
		await expect(graphRequest(ctx, conn, { url: '/me' }, noSleep)).rejects.toMatchObject({
			message: 'Too many requests',
			description: expect.stringContaining('retry after 600 seconds'),
		});
	});
});

describe('403 fixes follow the API that answered', () => {
	const dynamics = testConnection({
		credentialType: 'microsoft365ClientCredentialsApi',
		resource: 'dataverse',
		resourceUrl: 'https://org.crm.dynamics.com',
		allowedHosts: new Set(['graph.example.test', 'login.example.test', 'org.crm.dynamics.com']),
		appOnly: true,
	});
	const forbidden = () => ({ status: 403, body: { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } } });

	it('a request to the resource URL gets the application-user fix', async () => {
		const { ctx, authenticated } = fakeContext(forbidden);
		const error = await graphRequest(ctx, dynamics, { url: '/api/data/v9.2/WhoAmI', baseUrl: dynamics.resourceUrl }).catch((e: Error) => e);
		expect(authenticated[0].url).toBe('https://org.crm.dynamics.com/api/data/v9.2/WhoAmI');
		expect((error as NodeApiError).httpCode).toBe('403');
		expect((error as NodeApiError).description).toContain('as an application user in this environment');
		expect((error as NodeApiError).description).not.toContain('API permissions');
	});

	it('a request to Graph on the same connection keeps Graph\'s consent fix', async () => {
		const { ctx } = fakeContext(forbidden);
		const error = (await graphRequest(ctx, dynamics, { url: '/organization' }).catch((e: Error) => e)) as NodeApiError;
		expect(error.httpCode).toBe('403');
		expect(error.description).toContain('grant admin consent');
		expect(error.description).not.toContain('security role');
	});
});

describe('fetchPreAuthenticated', () => {
	it('uses the plain helper, never the authenticated one', async () => {
		const { ctx, authenticated, plain } = fakeContext(() => ({ status: 200, body: 'file bytes' }));
		const response = await fetchPreAuthenticated(ctx, 'https://files.example.test/d/1', { encoding: 'arraybuffer' });
		expect(String(response.body)).toBe('file bytes');
		expect(authenticated).toHaveLength(0);
		expect(plain).toHaveLength(1);
		expect(Object.keys(plain[0].headers ?? {}).map((h) => h.toLowerCase())).not.toContain('authorization');
	});
	it('reads a JSON answer (copy monitor) by default', async () => {
		const { ctx, plain } = fakeContext(() => ({ status: 200, body: { status: 'completed' } }));
		const response = await fetchPreAuthenticated(ctx, 'https://files.example.test/monitor/1');
		expect(response.body).toEqual({ status: 'completed' });
		expect(plain).toHaveLength(1);
	});
	it('refuses an Authorization header and non-https URLs before sending', async () => {
		const { ctx, plain } = fakeContext(() => ({ status: 200 }));
		await expect(fetchPreAuthenticated(ctx, 'https://files.example.test/u', { headers: { authorization: 'Bearer x' } })).rejects.toThrow(
			/must not get an Authorization header/,
		);
		await expect(fetchPreAuthenticated(ctx, 'http://files.example.test/u')).rejects.toThrow(/not https/);
		expect(plain).toHaveLength(0);
	});
});

describe('$batch', () => {
	const get = (id: string, extra: Partial<BatchRequest> = {}): BatchRequest => ({ id, method: 'GET', url: `/users/${id}`, ...extra });

	it('splits into chunks of 20 and refuses dependsOn across chunks', () => {
		const requests = Array.from({ length: 45 }, (_, i) => get(String(i)));
		expect(chunkBatch(requests).map((c) => c.length)).toEqual([20, 20, 5]);
		requests[20] = get('20', { dependsOn: ['19'] });
		expect(() => chunkBatch(requests)).toThrow(/depends on "19"/);
		expect(() => chunkBatch([get('a'), get('a')])).toThrow(/Duplicate/);
	});

	it('retries only throttled/transient sub-requests that are safe, plus their failed dependents', () => {
		const requests = [
			get('1'),
			{ id: '2', method: 'POST', url: '/me/sendMail', body: {} } as BatchRequest,
			{ id: '3', method: 'POST', url: '/me/events', body: {} } as BatchRequest,
			get('4'),
			get('5', { dependsOn: ['1'] }),
			get('6'),
		];
		const result = (id: string, status: number, headers: Record<string, string> = {}): [string, BatchResult] => [id, { id, status, headers, body: {} }];
		const results = new Map([
			result('1', 429, { 'retry-after': '1' }),
			result('2', 429),
			result('3', 504),
			result('4', 504),
			result('5', 424),
			result('6', 404),
		]);
		expect(subRequestsToRetry(requests, results).map((r) => r.id)).toEqual(['1', '2', '4', '5']);
	});

	it('maps answers back in order and re-sends only the throttled one after its Retry-After', async () => {
		const sleeps: number[] = [];
		const { ctx, authenticated } = fakeContext((options, call) => {
			const sent = JSON.parse(String(options.body)).requests as Array<{ id: string; url: string }>;
			return {
				status: 200,
				body: {
					// Graph may answer in any order.
					responses: sent
						.map((r) =>
							call === 1 && r.id === 'b'
								? { id: r.id, status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }
								: { id: r.id, status: 200, headers: {}, body: { url: r.url, call } },
						)
						.reverse(),
				},
			};
		});
		const results = await graphBatch(ctx, conn, [get('a'), get('b'), get('c')], { sleep: async (ms) => void sleeps.push(ms) });
		expect(results.map((r) => [r.id, r.status, (r.body as { call: number }).call])).toEqual([
			['a', 200, 1],
			['b', 200, 2],
			['c', 200, 1],
		]);
		expect(sleeps).toEqual([3000]);
		expect(authenticated.map((o) => o.url)).toEqual(['https://graph.example.test/v1.0/$batch', 'https://graph.example.test/v1.0/$batch']);
		expect(JSON.parse(String(authenticated[1].body)).requests.map((r: { id: string }) => r.id)).toEqual(['b']);
	});

	it('refuses sub-request URLs outside Graph', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: { responses: [] } }));
		await expect(graphBatch(ctx, conn, [{ id: '1', method: 'GET', url: 'https://evil.example.com/x' }])).rejects.toThrow(/only address Microsoft Graph/);
		expect(authenticated).toHaveLength(0);
	});
});
