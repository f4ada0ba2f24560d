/**
 * Request node against the sandbox's Finance & Operations environment: Send (paths join `{environment}/data`, `/data/…`
 * joins the host, companies and cross-company, create / update / delete by key, F&O errors translated, service
 * protection 429 waited out), paging over `@odata.nextLink`, Batch as one multipart `$batch` (45 look-ups by key, a
 * missing key on its own item, a throttled part re-sent alone), and a URL outside the credential refused with nothing
 * sent.
 */
import type { IDataObject } from 'n8n-workflow';

import { items } from './fixture';
import { callsOn, useDynamicsFixture, type DynamicsFixture } from './dynamicsFixture';

const query = (...pairs: Array<[string, string]>) => ({ parameters: pairs.map(([name, value]) => ({ name, value })) });

describe('Request node: Finance & Operations', () => {
	const fixture = useDynamicsFixture();
	let f: DynamicsFixture;
	beforeEach(() => {
		f = fixture();
	});

	describe('Send', () => {
		it('GET an entity set: the caller\'s default company, every company with cross-company=true, one item per row', async () => {
			const own = await f.runAs('financeOperationsApp', { url: 'CustomersV3', queryParameters: query(['$select', 'dataAreaId,CustomerAccount']) });
			expect(new Set(own.map((item) => item.json.dataAreaId))).toEqual(new Set(['usmf']));
			expect(own.map((item) => item.json.CustomerAccount)).toEqual(expect.arrayContaining(['US-001', 'US-005']));
			const all = await f.runAs('financeOperationsApp', {
				url: '/data/CustomersV3',
				queryParameters: query(['cross-company', 'true'], ['$filter', "OrganizationName eq 'O''Neil Cycles' or dataAreaId eq 'gbsi'"], ['$select', 'CustomerAccount']),
			});
			expect(all.map((item) => item.json.CustomerAccount).sort()).toEqual(['GB-001', 'US-004']);
			expect(callsOn(f, 'financeOperations')).toEqual(['GET /data/CustomersV3', 'GET /data/CustomersV3']);
			expect(f.requests().filter((entry) => entry.host === 'financeOperations').every((entry) => entry.hasAuthorization)).toBe(true);
		});

		it('create, read by key, update with the ETag, delete; a stale ETag is F&O\'s error with the fix', async () => {
			const [created] = await f.runAs('financeOperationsApp', {
				url: 'CustomersV3',
				method: 'POST',
				bodyType: 'json',
				jsonBody: JSON.stringify({ CustomerAccount: 'US-700', OrganizationName: 'Request Node Co', CustomerGroupId: '30', OnHoldStatus: 'No' }),
			});
			expect(created.json).toMatchObject({ dataAreaId: 'usmf', CustomerAccount: 'US-700', '@odata.etag': expect.any(String) });
			const key = "CustomersV3(dataAreaId='usmf',CustomerAccount='US-700')";
			const [updated] = await f.runAs('financeOperationsApp', {
				url: key,
				method: 'PATCH',
				headerParameters: query(['If-Match', String(created.json['@odata.etag'])]),
				bodyType: 'json',
				jsonBody: JSON.stringify({ OrganizationName: 'Request Node Co (renamed)' }),
			});
			expect(updated.json).toEqual({ statusCode: 204 });
			expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-700' })?.OrganizationName).toBe('Request Node Co (renamed)');
			const stale = await f.failAs('financeOperationsApp', {
				url: key,
				method: 'PATCH',
				headerParameters: query(['If-Match', String(created.json['@odata.etag'])]),
				bodyType: 'json',
				jsonBody: JSON.stringify({ OrganizationName: 'Lost update' }),
			});
			expect(stale.httpCode).toBe('412');
			expect(`${stale.message} ${stale.description}`).toMatch(/changed by another user/);
			const [deleted] = await f.runAs('financeOperationsApp', { url: `/data/${key}`, method: 'DELETE' });
			expect(deleted.json).toEqual({ statusCode: 204 });
			expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-700' })).toBeNull();
		});

		it('delegated: the signed-in user\'s token and default company; $metadata as text', async () => {
			const [legal] = await f.runAs('financeOperationsDelegated', { url: 'LegalEntities', queryParameters: query(['$filter', "LegalEntityId eq 'USMF'"]) });
			expect(legal.json).toMatchObject({ LegalEntityId: 'USMF', Name: 'Contoso Entertainment System USA' });
			const [metadata] = await f.runAs('financeOperationsDelegated', { url: '$metadata', responseFormat: 'text' });
			expect(String(metadata.json.data)).toMatch(/<EntityType Name="CustomerV3"><Key><PropertyRef Name="dataAreaId"\/>/);
		});

		it('an unknown (wrongly cased) entity set is F&O\'s 404 translated; a 429 is waited out and sent again', async () => {
			const error = await f.failAs('financeOperationsApp', { url: 'customersV3' });
			expect(error.httpCode).toBe('404');
			expect(error.message).toMatch(/No HTTP resource was found/);
			f.clearRequests();
			f.sandbox.financeOperations.throttle(1, '1');
			const out = await f.runAs('financeOperationsApp', { url: 'VendorsV2', queryParameters: query(['$select', 'VendorAccountNumber']) });
			expect(out.map((item) => item.json.VendorAccountNumber)).toEqual(['US-101', 'US-102']);
			expect(f.requests().filter((entry) => entry.host === 'financeOperations').map((entry) => entry.status)).toEqual([429, 200]);
		});
	});

	describe('paging', () => {
		it('follows @odata.nextLink ($skip) to the end or to a limit; cross-company stays in every link', async () => {
			f.sandbox.financeOperations.addCustomers(25, 'gbsi', 'RQ');
			const parameters = {
				url: 'CustomersV3',
				queryParameters: query(['cross-company', 'true'], ['$filter', "startswith(CustomerAccount,'RQ-')"], ['$select', 'CustomerAccount']),
				headerParameters: query(['Prefer', 'odata.maxpagesize=10']),
			};
			const all = await f.runAs('financeOperationsApp', { ...parameters, pagination: 'all' });
			expect(all).toHaveLength(25);
			expect(new Set(all.map((item) => item.json.CustomerAccount)).size).toBe(25);
			const pages = f.requests().filter((entry) => entry.path === '/data/CustomersV3');
			expect(pages).toHaveLength(3);
			expect(pages.every((entry) => new URLSearchParams(entry.query).get('cross-company') === 'true')).toBe(true);
			f.clearRequests();
			const limited = await f.runAs('financeOperationsApp', { ...parameters, pagination: 'limit', limit: 12 });
			expect(limited).toHaveLength(12);
			expect(f.requests().filter((entry) => entry.path === '/data/CustomersV3')).toHaveLength(2);
			const [whole] = await f.runAs('financeOperationsApp', { ...parameters, pagination: 'all', options: { splitIntoItems: false } });
			expect((whole.json.value as IDataObject[]).length).toBe(25);
		});
	});

	describe('Batch', () => {
		it('45 look-ups by key in one multipart $batch; a missing key is its own item\'s error; a throttled part is sent again alone', async () => {
			f.sandbox.financeOperations.addCustomers(44, 'usmf', 'BT');
			const accounts = [...Array.from({ length: 44 }, (_, i) => `BT-${String(i + 1).padStart(5, '0')}`), 'NOPE-1'];
			f.sandbox.faults.add({ host: 'financeOperations', path: "BT-00007'\\)$", status: 429, retryAfter: '0', times: 1 });
			const out = await f.runAs(
				'financeOperationsApp',
				{ operation: 'batch', url: "=CustomersV3(dataAreaId='usmf',CustomerAccount='{{ $json.account }}')", queryParameters: query(['$select', 'CustomerAccount,OrganizationName']) },
				{ input: items(...accounts.map((account) => ({ account }))), continueOnFail: true },
			);
			expect(out).toHaveLength(45);
			expect(out.map((item) => item.pairedItem)).toEqual(accounts.map((_, i) => ({ item: i })));
			expect(out.slice(0, 44).map((item) => item.json.CustomerAccount)).toEqual(accounts.slice(0, 44));
			expect(out[44].json.error).toMatch(/Resource not found/);
			const posts = f.requests().filter((entry) => entry.path === '/data/$batch');
			expect(posts).toHaveLength(2);
			const parts = f.requests().filter((entry) => entry.viaBatch);
			expect(parts).toHaveLength(46);
			expect(parts.filter((entry) => entry.status === 429).map((entry) => entry.path)).toEqual(["/data/CustomersV3(dataAreaId='usmf',CustomerAccount='BT-00007')"]);
			expect(parts[45].path).toBe(parts[6].path);
		});

		it('writes in a batch: each item creates its customer; a failure is that item\'s error only', async () => {
			const input = items({ account: 'US-801' }, { account: 'US-001' }, { account: 'US-803' });
			const out = await f.runAs(
				'financeOperationsApp',
				{ operation: 'batch', method: 'POST', url: 'CustomersV3', bodyType: 'json', jsonBody: '={{ JSON.stringify({ CustomerAccount: $json.account, OrganizationName: "Batch " + $json.account }) }}' },
				{ input, continueOnFail: true },
			);
			expect(out[0].json).toMatchObject({ CustomerAccount: 'US-801', OrganizationName: 'Batch US-801' });
			expect(String(out[1].json.error)).toMatch(/The record already exists/);
			expect(out[2].json).toMatchObject({ CustomerAccount: 'US-803' });
			expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-803' })).not.toBeNull();
		});
	});

	describe('URLs outside the credential', () => {
		it('are refused naming "URL" before anything is sent (no sign-in either): another host, the Dataverse host, http', async () => {
			for (const url of ['https://evil.example.com/data/CustomersV3', `${f.sandbox.dataverseUrl}/api/data/v9.2/WhoAmI`, `${f.sandbox.financeOperationsUrl.replace('https:', 'http:')}/data/CustomersV3`]) {
				const error = await f.failAs('financeOperationsApp', { url });
				expect(error.message).toMatch(/URL/);
				expect(error.description).toMatch(/nothing was sent/);
			}
			const batch = await f.failAs('financeOperationsApp', { operation: 'batch', url: 'https://evil.example.com/data/CustomersV3' }, { input: items({}) });
			expect(batch.message).toMatch(/URL/);
			expect(f.requests()).toEqual([]);
		});
	});
});
