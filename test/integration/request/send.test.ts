/**
 * Request node, Send: each API (delegated and app-only Graph, app-only and delegated Dataverse), how paths join the
 * credential's base, query / headers / JSON / text / binary bodies as they arrive, response formats, paging over all
 * pages and to a limit, and a download through the `/content` redirect without the token on the files host.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { ALICE, API, apiCalls, CONTOSO_USER_COUNT, items, useRequestFixture, type Echo, type RequestFixture } from './fixture';

const ECHO_TEXT = 'Zeile 1 — ü\nline 2';

describe('Request node: Send', () => {
	const fixture = useRequestFixture();
	let f: RequestFixture;
	beforeEach(() => {
		f = fixture();
	});

	describe('Microsoft Graph', () => {
		it('delegated: relative paths with or without a slash, with the version, and the full URL reach /v1.0 as Alice', async () => {
			for (const url of ['/me', 'me', '/v1.0/me', `${f.sandbox.graphUrl}/v1.0/me`]) {
				const [me] = await f.run('graphDelegated', { url });
				expect([url, me.json.userPrincipalName]).toEqual([url, ALICE.userPrincipalName]);
				expect(me.pairedItem).toEqual({ item: 0 });
			}
			expect(apiCalls(f.requests())).toEqual(Array(4).fill('GET api /v1.0/me'));
			expect(f.requests().every((entry) => entry.hasAuthorization)).toBe(true);
		});

		it('app-only: a user by UPN, with $select from the query parameters', async () => {
			const [user] = await f.run('graphApp', {
				url: '/users/user07@contoso.onmicrosoft.com',
				queryParameters: { parameters: [{ name: '$select', value: 'id,displayName' }] },
			});
			expect(user.json).toEqual({ '@odata.context': expect.any(String), id: expect.any(String), displayName: 'User 07' });
			const call = f.requests().find((entry) => entry.path.startsWith('/v1.0/users/'))!;
			expect(new URLSearchParams(call.query).get('$select')).toBe('id,displayName');
		});

		it('Graph API Version beta joins relative paths to /beta', async () => {
			const [echo] = await f.run('graphDelegated', { url: '/test_echo', apiVersion: 'beta' });
			expect((echo.json as unknown as Echo).version).toBe('beta');
		});

		it('query values are encoded (a filter with & and #), headers such as ConsistencyLevel and Prefer pass through', async () => {
			const filter = "displayName eq 'Tom & Jerry#1'";
			const [echo] = await f.run('graphDelegated', {
				url: '/test_echo?fixed=1',
				queryParameters: { parameters: [{ name: '$filter', value: filter }, { name: '$count', value: 'true' }] },
				headerParameters: { parameters: [{ name: 'ConsistencyLevel', value: 'eventual' }, { name: 'prefer', value: 'outlook.body-content-type="text"' }] },
			});
			const seen = echo.json as unknown as Echo;
			expect(seen.query).toEqual({ fixed: '1', $filter: filter, $count: 'true' });
			expect(seen.headers.consistencylevel).toBe('eventual');
			expect(seen.headers.prefer).toBe('outlook.body-content-type="text"');
			expect(seen.hadBearer).toBe(true);
		});

		it('JSON, text and binary bodies arrive as sent, with their content types', async () => {
			const [json] = await f.run('graphDelegated', { url: '/test_echo', method: 'POST', bodyType: 'json', jsonBody: '{ "subject": "Hi", "n": [1, 2] }' });
			expect(JSON.parse((json.json as unknown as Echo).bodyText)).toEqual({ subject: 'Hi', n: [1, 2] });
			expect((json.json as unknown as Echo).headers['content-type']).toBe('application/json');

			const [text] = await f.run('graphDelegated', { url: '/test_echo', method: 'PUT', bodyType: 'text', textBody: ECHO_TEXT, textContentType: 'text/csv' });
			expect((text.json as unknown as Echo).bodyText).toBe(ECHO_TEXT);
			expect((text.json as unknown as Echo).headers['content-type']).toBe('text/csv');

			const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
			const binary = await f.harness.prepareBinary(bytes, 'photo.png', 'image/png');
			const [uploaded] = await f.run(
				'graphDelegated',
				{ url: '/test_echo', method: 'PUT', bodyType: 'binary', binaryPropertyName: 'photo' },
				{ input: [{ json: {}, binary: { photo: binary } }] },
			);
			const seen = uploaded.json as unknown as Echo;
			expect([seen.bodyLength, seen.bodySha256]).toEqual([bytes.length, createHash('sha256').update(bytes).digest('hex')]);
			expect(seen.headers['content-type']).toBe('image/png');
		});

		it('a binary body uploads a file (PUT …/content), and the JSON answer is the new driveItem', async () => {
			const content = Buffer.from('uploaded through the request node\n');
			const binary = await f.harness.prepareBinary(content, 'req.txt', 'text/plain');
			const [item] = await f.run(
				'graphDelegated',
				{ url: '/me/drive/root:/req.txt:/content', method: 'PUT', bodyType: 'binary' },
				{ input: [{ json: {}, binary: { data: binary } }] },
			);
			expect(item.json).toMatchObject({ name: 'req.txt', size: content.length });
			expect((item.json as IDataObject)['@microsoft.graph.downloadUrl']).toBeUndefined();
		});

		it('Response Format binary on /content: the redirect is followed without the token, the file lands in a binary field', async () => {
			const [file] = await f.run('graphDelegated', { url: '/me/drive/root:/hello.txt:/content', responseFormat: 'binary', outputBinaryPropertyName: 'file' });
			expect(await f.harness.binaryToBuffer(file.binary!.file)).toEqual(Buffer.from('hello world'));
			expect(file.binary!.file.fileName).toBe('hello.txt');
			expect(file.json).toMatchObject({ fileName: 'hello.txt' });
			const calls = f.requests().filter((entry) => !entry.path.endsWith('/token'));
			expect(calls.map((entry) => [entry.host, entry.hasAuthorization, entry.status])).toEqual([
				['api', true, 302],
				['files', false, 200],
			]);
			expect(f.sandbox.state.violations).toEqual([]);
		});

		it('Response Format text and JSON of a non-JSON answer give the text in "data"', async () => {
			const [text] = await f.run('graphDelegated', { url: '/me/drive/root:/Documents/notes.txt:/content', responseFormat: 'text' });
			expect(text.json).toEqual({ data: 'Meeting notes\nItem 1\nItem 2\n' });
			const [json] = await f.run('graphDelegated', { url: '/me/drive/root:/Documents/notes.txt:/content' });
			expect(json.json).toEqual({ data: 'Meeting notes\nItem 1\nItem 2\n' });
			expect(f.sandbox.state.violations).toEqual([]);
		});

		it('Include Response Headers and Status: { statusCode, headers, body }; an empty answer is { statusCode }', async () => {
			const [full] = await f.run('graphDelegated', { url: '/me', options: { includeResponseMetadata: true } });
			expect(full.json).toMatchObject({ statusCode: 200, headers: { 'request-id': expect.any(String) }, body: { userPrincipalName: ALICE.userPrincipalName } });
			const [sent] = await f.run('graphDelegated', {
				url: '/me/sendMail',
				method: 'POST',
				bodyType: 'json',
				jsonBody: JSON.stringify({ message: { subject: 'From the request node', toRecipients: [{ emailAddress: { address: ALICE.userPrincipalName } }] } }),
			});
			expect(sent.json).toEqual({ statusCode: 202 });
		});
	});

	describe('paging', () => {
		it('Return All Pages follows @odata.nextLink to the end: one item per user', async () => {
			const out = await f.run('graphApp', {
				url: '/users',
				pagination: 'all',
				queryParameters: { parameters: [{ name: '$top', value: '10' }, { name: '$select', value: 'id,userPrincipalName' }] },
			});
			expect(out).toHaveLength(CONTOSO_USER_COUNT);
			expect(new Set(out.map((item) => item.json.userPrincipalName)).size).toBe(CONTOSO_USER_COUNT);
			expect(out.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(true);
			const pages = f.requests().filter((entry) => entry.path === '/v1.0/users');
			expect(pages).toHaveLength(Math.ceil(CONTOSO_USER_COUNT / 10));
			expect(new URLSearchParams(pages[1].query).get('$skiptoken')).toBeTruthy();
		});

		it('Up to a Limit stops at the limit (counted in elements) without fetching further pages', async () => {
			const out = await f.run('graphApp', { url: '/users', pagination: 'limit', limit: 15, queryParameters: { parameters: [{ name: '$top', value: '10' }] } });
			expect(out).toHaveLength(15);
			expect(f.requests().filter((entry) => entry.path === '/v1.0/users')).toHaveLength(2);
		});

		it('without splitting: one item with every element under "value"', async () => {
			const [all] = await f.run('graphApp', { url: '/users', pagination: 'all', options: { splitIntoItems: false }, queryParameters: { parameters: [{ name: '$top', value: '20' }] } });
			expect((all.json.value as IDataObject[]).length).toBe(CONTOSO_USER_COUNT);
		});

		it('one item per input item, each paged on its own', async () => {
			const out = await f.run('graphApp', { url: '=/users', pagination: 'limit', limit: 3 }, { input: items({ a: 1 }, { a: 2 }) });
			expect(out.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 0, 0, 1, 1, 1]);
		});

		it('a response that is not a collection is output as it is', async () => {
			const [me] = await f.run('graphDelegated', { url: '/me', pagination: 'all' });
			expect(me.json.userPrincipalName).toBe(ALICE.userPrincipalName);
		});

		it('Dataverse: the largest page size (odata.maxpagesize=5000) unless the user asks for another one', async () => {
			f.sandbox.dataverse.addAccounts(12, 'Request paging');
			const [whole] = await f.run('dataverseApp', { url: 'accounts', pagination: 'all', options: { includeResponseMetadata: true } });
			const body = (whole.json as IDataObject).body as IDataObject;
			expect((body.value as IDataObject[]).length).toBe(f.sandbox.dataverse.accounts.size);
			expect(((whole.json as IDataObject).headers as IDataObject)['preference-applied']).toBe('odata.maxpagesize=5000');
			f.clearRequests();
			const out = await f.run('dataverseApp', {
				url: 'accounts',
				pagination: 'all',
				headerParameters: { parameters: [{ name: 'Prefer', value: 'odata.maxpagesize=5' }] },
				queryParameters: { parameters: [{ name: '$select', value: 'name' }] },
			});
			expect(out).toHaveLength(f.sandbox.dataverse.accounts.size);
			expect(f.requests().filter((entry) => entry.path === `${API}/accounts`)).toHaveLength(Math.ceil(f.sandbox.dataverse.accounts.size / 5));
		});
	});

	describe('Dataverse', () => {
		it('app-only: WhoAmI joins the Web API base; create, read and delete an account', async () => {
			const [me] = await f.run('dataverseApp', { url: 'WhoAmI' });
			expect(me.json).toMatchObject({ UserId: expect.any(String), OrganizationId: f.sandbox.dataverse.environment.organizationId });
			const [created] = await f.run('dataverseApp', {
				url: '/accounts',
				method: 'POST',
				bodyType: 'json',
				jsonBody: '{ "name": "Request node account" }',
				headerParameters: { parameters: [{ name: 'Prefer', value: 'return=representation' }] },
			});
			expect(created.json).toMatchObject({ name: 'Request node account', accountid: expect.any(String) });
			const id = String(created.json.accountid);
			const [read] = await f.run('dataverseApp', { url: `accounts(${id})`, queryParameters: { parameters: [{ name: '$select', value: 'name' }] } });
			expect(read.json).toMatchObject({ name: 'Request node account' });
			const [deleted] = await f.run('dataverseApp', { url: `${API}/accounts(${id})`, method: 'DELETE' });
			expect(deleted.json).toEqual({ statusCode: 204 });
			expect(f.sandbox.dataverse.account(id)).toBeNull();
			expect(f.requests().filter((entry) => entry.host === 'dataverse').every((entry) => entry.hasAuthorization)).toBe(true);
		});

		it('tenant OAuth2: WhoAmI as the signed-in user (another UserId than the app)', async () => {
			const [user] = await f.run('dataverseDelegated', { url: 'WhoAmI' });
			const [app] = await f.run('dataverseApp', { url: 'WhoAmI' });
			expect(user.json.UserId).toEqual(expect.any(String));
			expect(user.json.UserId).not.toBe(app.json.UserId);
		});

		it('a Dataverse error is translated with its code and the Dataverse fix', async () => {
			const error = await f.fail('dataverseApp', { url: 'accounts(00000000-0000-4000-8000-00000000dead)' });
			expect(error.httpCode).toBe('404');
			expect(error.message).toMatch(/Does Not Exist/);
			expect(error.description).toMatch(/0x80040217/);
			expect(error.description).toMatch(/While trying to GET \/api\/data\/v9\.2\/accounts\(/);
		});
	});
});
