/** FetchXML over every page (the paging cookie), metadata-backed columns, tables, actions. */
import type { IDataObject } from 'n8n-workflow';

import { table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();

describe('Dynamics FetchXML', () => {
	it('follows the paging cookie over all pages (6,000+ rows), and stops at a limit', async () => {
		fixture().sandbox.dataverse.seed('account', 6200, { prefix: 'Fetch' });
		fixture().clearRequests();
		const fetchXml = '<fetch><entity name="account"><attribute name="name" /><filter><condition attribute="name" operator="like" value="Fetch %" /></filter></entity></fetch>';
		const all = await fixture().run({ resource: 'row', operation: 'getAll', table: table('accounts'), queryMode: 'fetchXml', fetchXml, returnAll: true });
		expect(all.length).toBe(6200);
		expect(new Set(all.map((item) => item.json.accountid)).size).toBe(6200);
		expect(fixture().apiCalls().length).toBe(2);
		fixture().clearRequests();
		const some = await fixture().run({ resource: 'row', operation: 'getAll', table: table('accounts'), queryMode: 'fetchXml', fetchXml, returnAll: false, limit: 12 });
		expect(some.length).toBe(12);
		expect(fixture().apiCalls().length).toBe(1);
	});

	it('refuses FetchXML that is not well-formed before sending', async () => {
		const error = await fixture().fail({ resource: 'row', operation: 'getAll', table: table('accounts'), queryMode: 'fetchXml', fetchXml: '<fetch><entity name="account"><attribute name="name"></entity></fetch>', returnAll: true });
		expect(error.message).toMatch(/"FetchXML" is not well-formed/);
		expect(fixture().apiCalls().length).toBe(0);
	});
});

describe('Dynamics tables, column mapping and actions', () => {
	it('lists tables and reads one table\'s columns, keys and relationships', async () => {
		const tables = await fixture().run({ resource: 'table', operation: 'getAll', returnAll: true });
		expect(tables.map((item) => item.json.entitySetName)).toEqual(expect.arrayContaining(['accounts', 'contacts', 'leads', 'opportunities']));
		const [account] = await fixture().run({ resource: 'table', operation: 'get', table: table('accounts') });
		const columns = account.json.columns as IDataObject[];
		expect(columns.find((column) => column.logicalName === 'name')).toMatchObject({ type: 'String' });
		expect((account.json.relationships as IDataObject[]).length).toBeGreaterThan(0);
	});

	it('the table picker searches display and logical names', async () => {
		const context = fixture().harness.loadOptionsContext(fixture().node, { parameters: { authentication: 'tenantOAuth2', api: 'dataverse' } });
		const { results } = await fixture().node.methods.listSearch.searchTables.call(context, 'contact');
		expect(results.map((entry) => entry.value)).toContain('contacts');
	});

	it('the resource mapper offers writable columns with choices; mapped values are converted (choice label, lookup)', async () => {
		const context = fixture().harness.loadOptionsContext(fixture().node, { parameters: { authentication: 'tenantOAuth2', api: 'dataverse', resource: 'row', operation: 'create', table: table('contacts') } });
		const { fields } = await fixture().node.methods.resourceMapping.getColumns.call(context);
		const ids = fields.map((field) => field.id);
		expect(ids).toContain('lastname');
		expect(ids).not.toContain('createdon');
		const account = [...fixture().sandbox.dataverse.accounts.values()][0] as IDataObject;
		const [created] = await fixture().run({
			resource: 'row',
			operation: 'create',
			table: table('contacts'),
			columnsMode: 'mapper',
			columns: { mappingMode: 'defineBelow', value: { lastname: 'Mapped', parentcustomerid: `accounts(${String(account.accountid)})` }, matchingColumns: [], schema: [] },
		});
		expect(created.json.lastname).toBe('Mapped');
		expect(created.json._parentcustomerid_value).toBe(account.accountid);
	});

	it('executes WhoAmI (function) and refuses an unknown choice label naming the column', async () => {
		const [who] = await fixture().run({ resource: 'action', operation: 'execute', actionName: { __rl: true, mode: 'id', value: 'WhoAmI' }, actionKind: 'function' });
		expect(who.json.UserId).toMatch(/^[0-9a-f-]{36}$/);
		const context = fixture().harness.loadOptionsContext(fixture().node, { parameters: { authentication: 'tenantOAuth2', api: 'dataverse', resource: 'row', operation: 'create', table: table('accounts') } });
		const { fields } = await fixture().node.methods.resourceMapping.getColumns.call(context);
		const choice = fields.find((field) => field.type === 'options');
		expect(choice).toBeDefined();
		fixture().clearRequests();
		const error = await fixture().fail({ resource: 'row', operation: 'create', table: table('accounts'), columnsMode: 'mapper', columns: { mappingMode: 'defineBelow', value: { name: 'x', [choice!.id]: 'No Such Choice' }, matchingColumns: [], schema: [] } });
		expect(error.message).toMatch(new RegExp(`"Column ${choice!.id}" has no choice`));
		expect(fixture().apiCalls().filter((entry) => entry.method !== 'GET').length).toBe(0);
	});
});
