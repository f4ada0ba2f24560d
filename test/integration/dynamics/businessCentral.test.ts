/**
 * Dynamics node, API Business Central, against the sandbox's Business Central (the custom cloud's Business Central API
 * URL): create, get, update (the current ETag read and sent as If-Match; a stale ETag given by the user is Business
 * Central's 412 with the fix), delete (If-Match too), get many (filter, select, order, every page or a limit), a custom
 * API page, the environment / company / entity-set pickers; bad input (unknown company or entity set, a record ID that
 * is not a GUID) refused naming the field with no request on the entity.
 */
import type { INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import type { BusinessCentralCompany } from '../../sandbox';
import { CONTOSO, locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

describe('Dynamics node: Business Central', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	let company: BusinessCentralCompany;
	let target: INodeParameters;
	beforeEach(() => {
		f = fixture();
		company = f.sandbox.businessCentral.company('Production', 'CRONUS USA, Inc.')!;
		target = { resource: 'businessCentralEntity', bcEnvironment: locator('Production'), bcCompany: locator(company.id), bcEntitySet: locator('customers') };
	});

	it('create, get, update (ETag read and sent for the user), delete', async () => {
		const [created] = await f.run('bcApp', { ...target, operation: 'create', bcFields: '{ "displayName": "Node Test Bikes" }' });
		expect(created.json).toMatchObject({ displayName: 'Node Test Bikes', number: expect.stringMatching(/^C\d+$/), '@odata.etag': expect.any(String) });
		const id = String(created.json.id);
		expect(f.calls('businessCentral')).toContain(`POST /v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/customers`);

		const [read] = await f.run('bcDelegated', { ...target, bcCompany: locator('CRONUS USA, Inc.'), operation: 'get', bcRecordId: id });
		expect(read.json).toMatchObject({ id, displayName: 'Node Test Bikes' });

		f.sandbox.businessCentral.touch(company, 'customers', id, { phoneNumber: '555-0100' });
		f.clearRequests();
		const [updated] = await f.run('bcApp', { ...target, operation: 'update', bcRecordId: id, bcFields: '{ "email": "bikes@example.com" }' });
		expect(updated.json).toMatchObject({ id, email: 'bikes@example.com', phoneNumber: '555-0100' });
		expect(f.calls('businessCentral').filter((call) => call.includes('/customers('))).toEqual([
			`GET /v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/customers(${id})`,
			`PATCH /v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/customers(${id})`,
		]);

		const [deleted] = await f.run('bcApp', { ...target, operation: 'delete', bcRecordId: id });
		expect(deleted.json).toEqual({ deleted: true });
		expect(f.sandbox.businessCentral.records(company, 'customers').find((record) => record.id === id)).toBeUndefined();
	});

	it('a stale ETag given by the user is refused by Business Central (412) with the fix; nothing changes', async () => {
		const [created] = await f.run('bcApp', { ...target, operation: 'create', bcFields: '{ "displayName": "Stale Co" }' });
		const id = String(created.json.id);
		const etag = String(created.json['@odata.etag']);
		f.sandbox.businessCentral.touch(company, 'customers', id);
		const error = await f.fail('bcApp', { ...target, operation: 'update', bcRecordId: id, bcEtag: etag, bcFields: '{ "email": "lost@example.com" }' });
		expect(error.httpCode).toBe('412');
		expect(`${error.message} ${error.description}`).toMatch(/changed since its ETag was read/);
		expect(f.sandbox.businessCentral.records(company, 'customers').find((record) => record.id === id)?.email).not.toBe('lost@example.com');
		const deleteError = await f.fail('bcApp', { ...target, operation: 'delete', bcRecordId: id, bcEtag: etag });
		expect(deleteError.httpCode).toBe('412');
		expect(f.sandbox.businessCentral.records(company, 'customers').some((record) => record.id === id)).toBe(true);
	});

	it('get many: filter, select, order; every page or a limit; a custom API page', async () => {
		const trey = await f.run('bcApp', { ...target, operation: 'getAll', returnAll: true, bcFilter: "displayName eq 'Trey Research'", bcSelect: 'number,displayName' });
		expect(trey.map((item) => item.json.number)).toEqual(['20000']);
		expect(trey[0].json.email).toBeUndefined();
		const ordered = await f.run('bcApp', { ...target, operation: 'getAll', returnAll: true, bcSelect: 'number', bcOrderBy: 'number desc' });
		const numbers = ordered.map((item) => String(item.json.number));
		expect(numbers.length).toBeGreaterThan(2);
		expect(numbers).toEqual([...numbers].sort().reverse());

		f.sandbox.businessCentral.addCustomers(company, 30);
		f.sandbox.businessCentral.access.pageSize = 10;
		try {
			f.clearRequests();
			const total = f.sandbox.businessCentral.records(company, 'customers').length;
			const all = await f.run('bcApp', { ...target, operation: 'getAll', returnAll: true, bcSelect: 'id' });
			expect(all).toHaveLength(total);
			expect(new Set(all.map((item) => item.json.id)).size).toBe(total);
			expect(f.calls('businessCentral').filter((call) => call.endsWith('/customers'))).toHaveLength(Math.ceil(total / 10));
			f.clearRequests();
			const limited = await f.run('bcApp', { ...target, operation: 'getAll', returnAll: false, limit: 7, bcSelect: 'id' });
			expect(limited).toHaveLength(7);
			expect(f.calls('businessCentral').filter((call) => call.endsWith('/customers'))).toHaveLength(1);
		} finally {
			f.sandbox.businessCentral.access.pageSize = 20_000;
		}

		const custom = { ...target, bcApi: 'custom', bcPublisher: 'contoso', bcGroup: 'sales', bcVersion: 'v1.0', bcEntitySet: locator('deals') };
		const deals = await f.run('bcApp', { ...custom, operation: 'getAll', returnAll: true });
		expect(deals.length).toBe(f.sandbox.businessCentral.records(company, 'contoso/sales/v1.0/deals').length);
		expect(f.calls('businessCentral')).toContain(`GET /v2.0/${CONTOSO}/Production/api/contoso/sales/v1.0/companies(${company.id})/deals`);
	});

	it('bad input is refused naming the field; nothing is sent to the entity', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ operation: 'getAll', bcCompany: locator('No Such Company') }, /"Company" "No Such Company" is not a company of this environment/],
			[{ operation: 'create', bcEntitySet: locator('Customers'), bcFields: '{ "displayName": "x" }' }, /"Entity Set" "Customers" is not an entity set[\s\S]*/],
			[{ operation: 'get', bcRecordId: '20000' }, /"Record ID" "20000" is not a record ID/],
			[{ operation: 'update', bcRecordId: '', bcFields: '{}' }, /Parameter "Record ID" is required/], // n8n's own check of a required field
			[{ operation: 'create', bcFields: '[1]' }, /"Fields \(JSON\)" is not a JSON object/],
		];
		const before = f.sandbox.businessCentral.records(company, 'customers').length;
		for (const [parameters, message] of cases) {
			f.clearRequests();
			const error = await f.fail('bcApp', { ...target, ...parameters });
			expect(error.message).toMatch(message);
			expect(f.calls('businessCentral').filter((call) => !/\/companies$|\/\$metadata$/.test(call))).toEqual([]);
		}
		expect(f.sandbox.businessCentral.records(company, 'customers').length).toBe(before);
		const out = await f.run('bcApp', { ...target, operation: 'get', bcRecordId: 'nope' }, { continueOnFail: true });
		expect(out[0].json.error).toMatch(/"Record ID"/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
	});

	it('pickers: environments, companies of the environment, entity sets of the standard API and of a custom API page', async () => {
		const node = new Microsoft365Dynamics();
		const context = (parameters: Record<string, unknown>) =>
			f.harness.loadOptionsContext(node, { parameters: { authentication: 'clientCredentials', api: 'businessCentral', resource: 'businessCentralEntity', operation: 'get', ...parameters } as never, credentialsFor: { microsoft365ClientCredentialsApi: 'bcApp' } });
		const environments = await node.methods.listSearch.searchBusinessCentralEnvironments.call(context({}), '');
		expect(environments.results.map((entry) => entry.value)).toEqual(['Production', 'Sandbox']);
		const companies = await node.methods.listSearch.searchBusinessCentralCompanies.call(context({ bcEnvironment: locator('Production') }), 'cronus');
		expect(companies.results).toEqual([{ name: expect.stringMatching(/CRONUS USA/), value: company.id }]);
		const sets = await node.methods.listSearch.searchBusinessCentralEntitySets.call(context({ bcEnvironment: locator('Production') }), '');
		expect(sets.results.map((entry) => entry.value)).toEqual(expect.arrayContaining(['customers', 'vendors', 'items', 'salesInvoices', 'journals']));
		const custom = await node.methods.listSearch.searchBusinessCentralEntitySets.call(context({ bcEnvironment: locator('Production'), bcApi: 'custom', bcPublisher: 'contoso', bcGroup: 'sales', bcVersion: 'v1.0' }), '');
		expect(custom.results.map((entry) => entry.value)).toEqual(['deals']);
	});
});
