/**
 * Dynamics node, API Finance & Operations, against the sandbox's F&O environment: create (default company and another
 * one), get by the key fields $metadata names, update (with and without an ETag; a stale one refused by F&O), delete,
 * get many (conditions quoted by type incl. an apostrophe and an enum, raw filter, select, order, cross-company, every
 * page or a limit), the entity picker; bad input (unknown or wrongly cased entity, unknown company, missing key field)
 * refused naming the field before any request on the entity.
 */
import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

const customers = locator('CustomersV3');
const key = (account: string) => ({ fields: [{ name: 'CustomerAccount', value: account }] });

describe('Dynamics node: Finance & Operations', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	beforeEach(() => {
		f = fixture();
	});

	it('create in the default company and in another; get by key; update; delete', async () => {
		const [created] = await f.run('foApp', {
			resource: 'financeOperationsEntity',
			operation: 'create',
			foEntity: customers,
			foFields: JSON.stringify({ CustomerAccount: 'NT-001', OrganizationName: 'Node Test Co', CustomerGroupId: '30', OnHoldStatus: 'No' }),
		});
		expect(created.json).toMatchObject({ dataAreaId: 'usmf', CustomerAccount: 'NT-001', '@odata.etag': expect.any(String) });
		const [other] = await f.run('foApp', {
			resource: 'financeOperationsEntity',
			operation: 'create',
			foEntity: customers,
			foCompany: 'DEMF',
			foFields: JSON.stringify({ CustomerAccount: 'NT-002', OrganizationName: 'Node Test GmbH', CustomerGroupId: '30' }),
		});
		expect(other.json).toMatchObject({ dataAreaId: 'demf', CustomerAccount: 'NT-002' });
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'demf', CustomerAccount: 'NT-002' })?.OrganizationName).toBe('Node Test GmbH');

		const [read] = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'get', foEntity: customers, foCompany: 'demf', foKeyFields: key('NT-002'), foSelect: 'CustomerAccount,OrganizationName' });
		expect(read.json).toMatchObject({ CustomerAccount: 'NT-002', OrganizationName: 'Node Test GmbH' });
		expect(read.json.CustomerGroupId).toBeUndefined();
		const getCall = f.requests().find((entry) => entry.method === 'GET' && entry.path.startsWith('/data/CustomersV3('));
		expect(decodeURIComponent(getCall!.path)).toBe("/data/CustomersV3(dataAreaId='demf',CustomerAccount='NT-002')");
		expect(new URLSearchParams(getCall!.query).get('cross-company')).toBe('true');

		const [updated] = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'update', foEntity: customers, foCompany: 'usmf', foKeyFields: key('NT-001'), foFields: '{ "OrganizationName": "Node Test Co (renamed)" }' });
		expect(updated.json).toMatchObject({ updated: true });
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'NT-001' })?.OrganizationName).toBe('Node Test Co (renamed)');

		const [deleted] = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'delete', foEntity: customers, foCompany: 'demf', foKeyFields: key('NT-002') });
		expect(deleted.json).toEqual({ deleted: true });
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'demf', CustomerAccount: 'NT-002' })).toBeNull();
	});

	it('update with an ETag: the current one is accepted, a stale one is F&O\'s 412 with the fix', async () => {
		const [before] = await f.run('foDelegated', { resource: 'financeOperationsEntity', operation: 'get', foEntity: customers, foCompany: 'usmf', foKeyFields: key('US-002') });
		const etag = String(before.json['@odata.etag']);
		const update = { resource: 'financeOperationsEntity', operation: 'update', foEntity: customers, foCompany: 'usmf', foKeyFields: key('US-002'), foEtag: etag };
		await f.run('foDelegated', { ...update, foFields: '{ "OrganizationName": "First change" }' });
		const stale = await f.fail('foDelegated', { ...update, foFields: '{ "OrganizationName": "Lost update" }' });
		expect(stale.httpCode).toBe('412');
		expect(`${stale.message} ${stale.description}`).toMatch(/changed/i);
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-002' })?.OrganizationName).toBe('First change');
	});

	it('get many: conditions typed from $metadata (apostrophe, enum), raw filter, select, order, cross-company, limit and all pages', async () => {
		const byName = await f.run('foApp', {
			resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true,
			foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OrganizationName', operator: 'eq', value: "O'Neil Cycles" }] }, foSelect: 'CustomerAccount',
		});
		expect(byName.map((item) => item.json.CustomerAccount)).toEqual(['US-004']);
		const onHold = await f.run('foApp', {
			resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true,
			foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OnHoldStatus', operator: 'eq', value: 'All' }] }, foSelect: 'CustomerAccount,OnHoldStatus',
		});
		expect(onHold.map((item) => item.json.CustomerAccount)).toEqual(['US-003']);
		const filterSent = f.requests().filter((entry) => entry.path === '/data/CustomersV3').map((entry) => new URLSearchParams(entry.query).get('$filter'));
		expect(filterSent).toEqual(["OrganizationName eq 'O''Neil Cycles'", "OnHoldStatus eq Microsoft.Dynamics.DataEntities.CustVendorBlocked'All'"]);

		const everyCompany = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foCrossCompany: true, foFilterMode: 'raw', foFilter: "dataAreaId eq 'gbsi' or dataAreaId eq 'demf'", foOrderBy: 'CustomerAccount desc', foSelect: 'CustomerAccount,dataAreaId' });
		expect(everyCompany.map((item) => item.json.dataAreaId).sort()).toEqual(['demf', 'demf', 'gbsi']);
		const accounts = everyCompany.map((item) => String(item.json.CustomerAccount));
		expect(accounts).toEqual([...accounts].sort().reverse());
		const ownOnly = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foSelect: 'dataAreaId' });
		expect(new Set(ownOnly.map((item) => item.json.dataAreaId))).toEqual(new Set(['usmf']));
		const oneCompany = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foCompany: 'GBSI', foSelect: 'CustomerAccount' });
		expect(oneCompany.map((item) => item.json.CustomerAccount)).toEqual(['GB-001']);

		f.sandbox.financeOperations.addCustomers(25, 'gbsi', 'PG');
		f.sandbox.financeOperations.environment.pageSize = 10;
		try {
			f.clearRequests();
			const all = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foCompany: 'gbsi', foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'CustomerAccount', operator: 'startswith', value: 'PG-' }] }, foSelect: 'CustomerAccount' });
			expect(all).toHaveLength(25);
			expect(new Set(all.map((item) => item.json.CustomerAccount)).size).toBe(25);
			expect(f.calls('financeOperations').filter((call) => call === 'GET /data/CustomersV3')).toHaveLength(3);
			f.clearRequests();
			const limited = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: false, limit: 12, foCompany: 'gbsi', foFilterMode: 'raw', foFilter: "startswith(CustomerAccount,'PG-')", foSelect: 'CustomerAccount' });
			expect(limited).toHaveLength(12);
			// The limit is asked as the page size (odata.maxpagesize=12): one page, nothing beyond the limit fetched.
			expect(f.calls('financeOperations').filter((call) => call === 'GET /data/CustomersV3')).toHaveLength(1);
		} finally {
			f.sandbox.financeOperations.environment.pageSize = 10_000;
		}
	});

	it('bad input is refused naming the field; nothing is sent to the entity', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ operation: 'get', foEntity: locator('customersV3'), foCompany: 'usmf', foKeyFields: key('US-001') }, /"Entity" "customersV3" is not an entity set/],
			[{ operation: 'getAll', foEntity: locator('NoSuchEntity') }, /"Entity" "NoSuchEntity" is not an entity set/],
			[{ operation: 'get', foEntity: customers, foCompany: 'zzzz', foKeyFields: key('US-001') }, /"Company" "zzzz" is not a legal entity/],
			[{ operation: 'get', foEntity: customers, foCompany: 'usmf' }, /"Key Fields: CustomerAccount" is missing/],
			[{ operation: 'delete', foEntity: customers, foKeyFields: key('US-001') }, /"Company" is missing/],
			[{ operation: 'create', foEntity: customers, foFields: '{ "NoSuchField": 1 }' }, /"Fields \(JSON\)" "NoSuchField" is not a field of CustomersV3/],
			[{ operation: 'getAll', foEntity: customers, foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OnHoldStatus', operator: 'eq', value: 'Maybe' }] } }, /"Conditions: OnHoldStatus" "Maybe" is not a value of CustomVendorBlocked|is not a value of CustVendorBlocked/],
		];
		for (const [parameters, message] of cases) {
			f.clearRequests();
			const error = await f.fail('foApp', { resource: 'financeOperationsEntity', ...parameters });
			expect(error.message).toMatch(message);
			const entityCalls = f.calls('financeOperations').filter((call) => !/\/\$metadata$|\/LegalEntities$/.test(call));
			expect(entityCalls).toEqual([]);
		}
		const rows = f.sandbox.financeOperations.rows('CustomersV3').length;
		const out = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'create', foEntity: customers, foFields: '{ "CustomerAccount": "NT-9" }', foCompany: 'nope' }, { continueOnFail: true });
		expect(out[0].json.error).toMatch(/"Company" "nope" is not a legal entity/);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(f.sandbox.financeOperations.rows('CustomersV3').length).toBe(rows);
	});

	it('the Entity picker lists the entity sets of $metadata with their labels (case-sensitive values)', async () => {
		const node = new Microsoft365Dynamics();
		const context = f.harness.loadOptionsContext(node, { parameters: { authentication: 'clientCredentials', api: 'financeOperations', resource: 'financeOperationsEntity', operation: 'get' }, credentialsFor: { microsoft365ClientCredentialsApi: 'foApp' } });
		const result = await node.methods.listSearch.searchFinanceOperationsEntities.call(context, 'customer');
		expect(result.results.map((entry) => entry.value)).toContain('CustomersV3');
		expect(result.results.every((entry) => /customer/i.test(`${entry.name}`))).toBe(true);
	});
});
