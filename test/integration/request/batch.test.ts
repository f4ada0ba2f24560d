/**
 * Request node, Batch: input items become Graph JSON `$batch` requests of 20 (45 user look-ups in 3 batches, a 429
 * storm retried per sub-request) or one Dataverse multipart `$batch`; every answer maps back to its item (pairedItem),
 * a failed sub-request is that item's error (continue on fail) or fails the node; bad input is refused before the
 * batch is sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { API, EXTRA_USERS, items, useRequestFixture, type RequestFixture } from './fixture';

const MISSING_ACCOUNT = '00000000-0000-4000-8000-00000000beef';

describe('Request node: Batch', () => {
	const fixture = useRequestFixture();
	let f: RequestFixture;
	beforeEach(() => {
		f = fixture();
	});

	const lookUp = { operation: 'batch', url: '=/users/{{ $json.upn }}', queryParameters: { parameters: [{ name: '$select', value: 'id,userPrincipalName' }] } };
	const batchPosts = () => f.requests().filter((entry) => entry.path === '/v1.0/$batch');
	const subRequests = () => f.requests().filter((entry) => entry.viaBatch);

	it('45 user look-ups: 3 Graph $batch requests, a 429 storm retried per sub-request, each answer on its own item', async () => {
		// Users 01-09 are throttled 12 times in all: in reverse order the second batch (items 20-39) holds users 09-06.
		f.sandbox.faults.add({ path: '^/v1\\.0/users/user0', status: 429, retryAfter: '0', times: 12 });
		const upns = EXTRA_USERS.map((user) => user.userPrincipalName).reverse();
		const out = await f.run('graphApp', lookUp, { input: items(...upns.map((upn) => ({ upn }))) });

		expect(out).toHaveLength(45);
		expect(out.map((item) => item.json.userPrincipalName)).toEqual(upns);
		expect(out.map((item) => item.pairedItem)).toEqual(upns.map((_, i) => ({ item: i })));
		// Batches of 20 + 20 + 5; users 09-06 answered 429 in three rounds (4 × 3 = 12) and were sent again alone each time.
		expect(batchPosts()).toHaveLength(6);
		const throttled = subRequests().filter((entry) => entry.status === 429).map((entry) => entry.path.replace('/v1.0/users/', '').slice(0, 6));
		expect(throttled).toEqual(Array(3).fill(['user09', 'user08', 'user07', 'user06']).flat());
		expect(subRequests().filter((entry) => entry.status === 200)).toHaveLength(45);
		// No user was read twice successfully; every sub-request carried the query.
		const ok = subRequests().filter((entry) => entry.status === 200).map((entry) => entry.path);
		expect(new Set(ok).size).toBe(45);
		expect(subRequests().every((entry) => new URLSearchParams(entry.query).get('$select') === 'id,userPrincipalName')).toBe(true);
	});

	it('a sub-request that fails is that item\'s error with continue on fail; the others are answered', async () => {
		const input = items({ upn: 'user01@contoso.onmicrosoft.com' }, { upn: 'nobody@contoso.onmicrosoft.com' }, { upn: 'user03@contoso.onmicrosoft.com' });
		const out = await f.run('graphApp', lookUp, { input, continueOnFail: true });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.userPrincipalName).toBe('user01@contoso.onmicrosoft.com');
		expect(out[1].json.error).toMatch(/does not exist/);
		expect(out[1].json.description).toMatch(/While trying to GET \/v1\.0\/users\/nobody@contoso\.onmicrosoft\.com in a \$batch\. Error code: Request_ResourceNotFound \(HTTP 404\)/);
		expect(out[2].json.userPrincipalName).toBe('user03@contoso.onmicrosoft.com');
		expect(batchPosts()).toHaveLength(1);
	});

	it('without continue on fail a failed sub-request fails the node with that item\'s error', async () => {
		const input = items({ upn: 'user01@contoso.onmicrosoft.com' }, { upn: 'nobody@contoso.onmicrosoft.com' });
		const error = await f.fail('graphApp', lookUp, { input });
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/nobody@contoso/);
	});

	it('bad input in one item: without continue on fail nothing is sent; with it, the other items are', async () => {
		const input = items({ upn: 'user01@contoso.onmicrosoft.com' }, { upn: '../../me' }, { upn: 'user02@contoso.onmicrosoft.com' });
		const error = await f.fail('graphApp', lookUp, { input });
		expect(error.message).toMatch(/"URL" path segment/);
		expect(f.requests()).toEqual([]);

		const out = await f.run('graphApp', lookUp, { input, continueOnFail: true });
		expect(out.map((item) => item.json.userPrincipalName ?? item.json.error)).toEqual([
			'user01@contoso.onmicrosoft.com',
			expect.stringMatching(/"URL" path segment/),
			'user02@contoso.onmicrosoft.com',
		]);
		expect(subRequests().map((entry) => entry.path)).toEqual(['/v1.0/users/user01@contoso.onmicrosoft.com', '/v1.0/users/user02@contoso.onmicrosoft.com']);
	});

	it('writes in a Graph batch: JSON bodies, headers, and Include Response Headers and Status', async () => {
		const input = items({ subject: 'one' }, { subject: 'two' });
		const out = await f.run(
			'graphDelegated',
			{
				operation: 'batch',
				method: 'POST',
				url: '/test_echo',
				bodyType: 'json',
				jsonBody: '={{ JSON.stringify({ subject: $json.subject }) }}',
				headerParameters: { parameters: [{ name: 'X-Item', value: '={{ $json.subject }}' }] },
				options: { includeResponseMetadata: true },
			},
			{ input },
		);
		expect(out.map((item) => [item.json.statusCode, ((item.json.body as IDataObject).headers as IDataObject)['x-item'], (item.json.body as IDataObject).bodyText])).toEqual([
			[200, 'one', '{"subject":"one"}'],
			[200, 'two', '{"subject":"two"}'],
		]);
		expect(batchPosts()).toHaveLength(1);
	});

	describe('Dataverse multipart $batch', () => {
		it('app-only: WhoAmI, reads, a create and a missing record in one batch; a throttled part is sent again alone', async () => {
			const existing = f.sandbox.dataverse.addAccount({ name: 'Batch existing' }) as IDataObject;
			f.sandbox.faults.add({ host: 'dataverse', method: 'GET', path: `^${API.replace(/\./g, '\\.')}/accounts\\(`, status: 429, retryAfter: '0', times: 1 });
			const input = items(
				{ method: 'GET', url: 'WhoAmI' },
				{ method: 'GET', url: `accounts(${String(existing.accountid)})?$select=name` },
				{ method: 'POST', url: 'accounts', body: '{ "name": "Batch created" }' },
				{ method: 'GET', url: `accounts(${MISSING_ACCOUNT})` },
			);
			const out = await f.run(
				'dataverseApp',
				{
					operation: 'batch',
					method: '={{ $json.method }}',
					url: '={{ $json.url }}',
					bodyType: 'json',
					jsonBody: '={{ $json.body }}',
				},
				{ input, continueOnFail: true },
			);
			expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(out[0].json.OrganizationId).toBe(f.sandbox.dataverse.environment.organizationId);
			expect(out[1].json).toMatchObject({ name: 'Batch existing' });
			expect(out[2].json).toEqual({ statusCode: 204 });
			expect([...f.sandbox.dataverse.accounts.values()].some((row: IDataObject) => row.name === 'Batch created')).toBe(true);
			expect(out[3].json.error).toMatch(/Does Not Exist/);
			expect(out[3].json.description).toMatch(/0x80040217/);
			const batches = f.requests().filter((entry) => entry.path === `${API}/$batch`);
			// The first batch answered everything but the throttled read; the second carried that read alone.
			expect(batches).toHaveLength(2);
			expect(f.requests().filter((entry) => entry.viaBatch).map((entry) => `${entry.method} ${entry.status}`)).toEqual([
				'GET 200', 'GET 429', 'POST 204', 'GET 404', 'GET 200',
			]);
		});

		it('tenant OAuth2: the batch runs as the signed-in user', async () => {
			const out = await f.run('dataverseDelegated', { operation: 'batch', url: 'WhoAmI' }, { input: items({}, {}) });
			const [app] = await f.run('dataverseApp', { url: 'WhoAmI' });
			expect(out.map((item) => item.json.UserId)).toEqual([expect.any(String), out[0].json.UserId]);
			expect(out[0].json.UserId).not.toBe(app.json.UserId);
		});

		it('a URL outside the Web API is refused for a batch, naming "URL"', async () => {
			const error = await f.fail('dataverseApp', { operation: 'batch', url: `${f.sandbox.graphUrl}/v1.0/me` });
			expect(error.message).toMatch(/"URL" must be below https:\/\/127\.0\.0\.3:\d+\/api\/data\/v9\.2 for a \$batch/);
			expect(f.requests()).toEqual([]);
		});
	});
});
