/**
 * Request node against the sandbox's Business Central (the custom cloud's Business Central API URL): Send (paths join
 * `{BC}/v2.0`, `/v2.0/…` joins the host, the environments list, companies, create / PATCH with If-Match / delete, a
 * stale ETag translated, the bound action Microsoft.NAV.post, a custom API page), paging over `@odata.nextLink`, Batch
 * as Business Central's JSON `$batch` (45 creates in one POST, 105 look-ups in two, a throttled request re-sent alone,
 * standard and custom API roots in separate batches), and URLs outside the credential refused with nothing sent.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BusinessCentralCompany } from '../../sandbox';
import { CONTOSO, items } from './fixture';
import { callsOn, useDynamicsFixture, type DynamicsFixture } from './dynamicsFixture';

const query = (...pairs: Array<[string, string]>) => ({ parameters: pairs.map(([name, value]) => ({ name, value })) });

describe('Request node: Business Central', () => {
	const fixture = useDynamicsFixture();
	let f: DynamicsFixture;
	let company: BusinessCentralCompany;
	/** `{tenant}/Production/api/v2.0/companies({id})`, relative to the credential's base `{BC}/v2.0` */
	let companyPath: string;
	beforeEach(() => {
		f = fixture();
		company = f.sandbox.businessCentral.company('Production', 'CRONUS USA, Inc.')!;
		companyPath = `${CONTOSO}/Production/api/v2.0/companies(${company.id})`;
	});

	describe('Send', () => {
		it('environments (full URL on the credential\'s host), companies (relative path), customers (/v2.0/… path)', async () => {
			const environments = await f.runAs('businessCentralApp', { url: `${f.sandbox.businessCentralUrl}/environments/v1.2` });
			expect(environments.map((item) => item.json.name)).toEqual(['Production', 'Sandbox']);
			const companies = await f.runAs('businessCentralApp', { url: `${CONTOSO}/Production/api/v2.0/companies`, queryParameters: query(['$select', 'id,name']) });
			expect(companies.map((item) => item.json.name)).toEqual(['CRONUS USA, Inc.', 'My Company']);
			const customers = await f.runAs('businessCentralDelegated', { url: `/v2.0/${companyPath}/customers`, queryParameters: query(['$filter', "displayName eq 'Trey Research'"]) });
			expect(customers.map((item) => item.json.number)).toEqual(['20000']);
			expect(callsOn(f, 'businessCentral')).toEqual([
				'GET /environments/v1.2',
				`GET /v2.0/${CONTOSO}/Production/api/v2.0/companies`,
				`GET /v2.0/${companyPath}/customers`,
			]);
		});

		it('create, PATCH with If-Match, a stale ETag translated (412), delete; Microsoft.NAV.post posts an invoice', async () => {
			const [created] = await f.runAs('businessCentralApp', { url: `${companyPath}/customers`, method: 'POST', bodyType: 'json', jsonBody: '{ "displayName": "Request Node Bikes" }' });
			expect(created.json).toMatchObject({ displayName: 'Request Node Bikes', number: expect.stringMatching(/^C\d+$/), '@odata.etag': expect.any(String) });
			const url = `${companyPath}/customers(${String(created.json.id)})`;
			const etag = String(created.json['@odata.etag']);
			const [updated] = await f.runAs('businessCentralApp', { url, method: 'PATCH', headerParameters: query(['If-Match', etag]), bodyType: 'json', jsonBody: '{ "email": "bikes@example.com" }' });
			expect(updated.json).toMatchObject({ email: 'bikes@example.com' });
			const stale = await f.failAs('businessCentralApp', { url, method: 'PATCH', headerParameters: query(['If-Match', etag]), bodyType: 'json', jsonBody: '{ "email": "lost@example.com" }' });
			expect(stale.httpCode).toBe('412');
			expect(`${stale.message} ${stale.description}`).toMatch(/another user has changed it/);
			expect(stale.description).toMatch(/Request_EntityChanged/);
			const [deleted] = await f.runAs('businessCentralApp', { url, method: 'DELETE', headerParameters: query(['If-Match', String(updated.json['@odata.etag'])]) });
			expect(deleted.json).toEqual({ statusCode: 204 });

			const invoice = f.sandbox.businessCentral.records(company, 'salesInvoices').find((record) => record.status === 'Draft')!;
			const [posted] = await f.runAs('businessCentralApp', { url: `${companyPath}/salesInvoices(${String(invoice.id)})/Microsoft.NAV.post`, method: 'POST' });
			expect(posted.json).toEqual({ statusCode: 204 });
			expect(f.sandbox.businessCentral.records(company, 'salesInvoices').find((record) => record.id === invoice.id)?.status).toBe('Open');
		});

		it('a custom API page: api/contoso/sales/v1.0/companies({id})/deals', async () => {
			const deals = await f.runAs('businessCentralApp', { url: `${CONTOSO}/Production/api/contoso/sales/v1.0/companies(${company.id})/deals` });
			expect(deals[0].json).toMatchObject({ name: 'Adatum renewal', stage: 'Proposal' });
		});
	});

	describe('paging', () => {
		it('follows @odata.nextLink to the end or to a limit', async () => {
			const other = f.sandbox.businessCentral.company('Production', 'My Company')!;
			f.sandbox.businessCentral.addCustomers(other, 25);
			const parameters = {
				url: `${CONTOSO}/Production/api/v2.0/companies(${other.id})/customers`,
				queryParameters: query(['$filter', "startswith(displayName,'Bulk')"], ['$select', 'displayName']),
				headerParameters: query(['Prefer', 'odata.maxpagesize=10']),
			};
			const all = await f.runAs('businessCentralApp', { ...parameters, pagination: 'all' });
			expect(all).toHaveLength(25);
			expect(new Set(all.map((item) => item.json.displayName)).size).toBe(25);
			expect(f.requests().filter((entry) => entry.path.endsWith('/customers'))).toHaveLength(3);
			f.clearRequests();
			const limited = await f.runAs('businessCentralApp', { ...parameters, pagination: 'limit', limit: 5 });
			expect(limited).toHaveLength(5);
			expect(f.requests().filter((entry) => entry.path.endsWith('/customers'))).toHaveLength(1);
		});
	});

	describe('Batch (JSON $batch)', () => {
		const batchPosts = () => f.requests().filter((entry) => entry.host === 'businessCentral' && entry.path.endsWith('/$batch'));
		const parts = () => f.requests().filter((entry) => entry.host === 'businessCentral' && entry.viaBatch);

		it('45 creates in one $batch POST; each item gets its record; a throttled request is sent again alone', async () => {
			f.sandbox.faults.add({ host: 'businessCentral', path: '/contacts$', status: 429, retryAfter: '0', times: 1, skip: 10 });
			const names = Array.from({ length: 45 }, (_, i) => `Batch contact ${String(i + 1).padStart(2, '0')}`);
			const out = await f.runAs(
				'businessCentralApp',
				{ operation: 'batch', method: 'POST', url: `${companyPath}/contacts`, bodyType: 'json', jsonBody: '={{ JSON.stringify({ displayName: $json.name, type: "Person" }) }}' },
				{ input: items(...names.map((name) => ({ name }))) },
			);
			expect(out.map((item) => item.json.displayName)).toEqual(names);
			expect(out.map((item) => item.pairedItem)).toEqual(names.map((_, i) => ({ item: i })));
			expect(batchPosts().map((entry) => entry.path)).toEqual(Array(2).fill(`/v2.0/${CONTOSO}/Production/api/v2.0/$batch`));
			expect(parts().map((entry) => entry.status)).toEqual([...Array(10).fill(201), 429, ...Array(34).fill(201), 201]);
			const stored = f.sandbox.businessCentral.records(company, 'contacts').filter((contact) => String(contact.displayName).startsWith('Batch contact'));
			expect(stored).toHaveLength(45);
		});

		it('105 look-ups in two POSTs (100 + 5); a missing record is its own item\'s error; standard and custom roots batch apart', async () => {
			const customers = f.sandbox.businessCentral.records(company, 'customers').slice(0, 5).map((record) => String(record.id));
			const ids = Array.from({ length: 105 }, (_, i) => (i === 50 ? '00000000-0000-4000-8000-00000000dead' : customers[i % 5]));
			const out = await f.runAs(
				'businessCentralApp',
				{ operation: 'batch', url: `=${companyPath}/customers({{ $json.id }})`, queryParameters: query(['$select', 'id,number']) },
				{ input: items(...ids.map((id) => ({ id }))), continueOnFail: true },
			);
			expect(out).toHaveLength(105);
			expect(out.filter((item) => item.json.number).length).toBe(104);
			expect(out[50].json.error).toMatch(/The specified resource was not found/);
			expect(batchPosts()).toHaveLength(2);
			expect(parts().every((entry) => new URLSearchParams(entry.query).get('$select') === 'id,number')).toBe(true);

			f.clearRequests();
			const mixed = await f.runAs('businessCentralApp', { operation: 'batch', url: '={{ $json.url }}' }, {
				input: items({ url: `${companyPath}/items` }, { url: `${CONTOSO}/Production/api/contoso/sales/v1.0/companies(${company.id})/deals` }),
			});
			expect((mixed[0].json.value as IDataObject[]).length).toBeGreaterThan(0);
			expect((mixed[1].json.value as IDataObject[])[0]).toMatchObject({ name: 'Adatum renewal' });
			expect(batchPosts().map((entry) => entry.path)).toEqual([`/v2.0/${CONTOSO}/Production/api/v2.0/$batch`, `/v2.0/${CONTOSO}/Production/api/contoso/sales/v1.0/$batch`]);
		});

		it('a URL that names no API root is refused naming "URL" before anything is sent', async () => {
			const error = await f.failAs('businessCentralApp', { operation: 'batch', url: `${CONTOSO}/Production` }, { input: items({}) });
			expect(error.message).toMatch(/URL/);
			expect(error.description).toMatch(/api\/v2\.0/);
			expect(f.requests()).toEqual([]);
		});
	});

	describe('URLs outside the credential', () => {
		it('Microsoft\'s own Business Central host, another host and http are refused with nothing sent', async () => {
			for (const url of [`https://api.businesscentral.dynamics.com/v2.0/${companyPath}/customers`, 'https://evil.example.com/v2.0/x', `${f.sandbox.businessCentralUrl.replace('https:', 'http:')}/environments/v1.2`]) {
				const error = await f.failAs('businessCentralApp', { url });
				expect(error.message).toMatch(/URL/);
				expect(error.description).toMatch(/nothing was sent/);
			}
			expect(f.requests()).toEqual([]);
		});
	});
});
