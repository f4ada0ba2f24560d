import { convertColumn, parseColumnsJson } from '../../../nodes/Microsoft/Dynamics/helpers/columns';
import { idFromEntityId, rowKey } from '../../../nodes/Microsoft/Dynamics/helpers/dataverse';
import { checkFetchXml, pagingCookieOf, withPage } from '../../../nodes/Microsoft/Dynamics/helpers/fetchXml';
import type { ColumnInfo } from '../../../nodes/Microsoft/Dynamics/helpers/metadata';
import { operationsOf } from '../../../nodes/Microsoft/Dynamics/methods/listSearch';
import { decideRows } from '../../../nodes/Microsoft/Dynamics/trigger/rowChanges';

const column = (over: Partial<ColumnInfo>): ColumnInfo => ({
	logicalName: 'c',
	displayName: 'C',
	type: 'String',
	required: false,
	validForCreate: true,
	validForUpdate: true,
	validForRead: true,
	...over,
});

describe('row keys', () => {
	it('a GUID (braces and case tolerated) or an alternate key with quoted text', () => {
		expect(rowKey('{ABCDEF00-0000-4000-8000-000000000001}')).toBe('(abcdef00-0000-4000-8000-000000000001)');
		expect(rowKey({ accountnumber: "A'1 &/?", year: 2026 })).toBe("(accountnumber=%27A%27%271%20%26%2F%3F%27,year=2026)");
		expect(() => rowKey('abc')).toThrow(/"Row ID"/);
		expect(() => rowKey({ 'a)b': 'x' })).toThrow(/"Alternate Key Column"/);
	});
	it('reads the ID of OData-EntityId', () => {
		expect(idFromEntityId('https://org.crm.dynamics.com/api/data/v9.2/accounts(00000000-0000-4000-8000-00000000000A)')).toBe('00000000-0000-4000-8000-00000000000a');
		expect(idFromEntityId(undefined)).toBeUndefined();
	});
});

describe('column values', () => {
	it('converts numbers, yes/no, choices by label or value, multi-select, dates and lookups', () => {
		expect(convertColumn(column({ type: 'Integer' }), '42')).toEqual([['c', 42]]);
		expect(() => convertColumn(column({ type: 'Integer' }), '4.2')).toThrow(/"Column c" expects a whole number/);
		expect(convertColumn(column({ type: 'Money' }), 12.5)).toEqual([['c', 12.5]]);
		expect(convertColumn(column({ type: 'Boolean', options: [{ value: true, label: 'Allow' }, { value: false, label: 'Do Not Allow' }] }), 'Do Not Allow')).toEqual([['c', false]]);
		const picklist = column({ type: 'Picklist', options: [{ value: 1, label: 'Preferred Customer' }, { value: 2, label: 'Standard' }] });
		expect(convertColumn(picklist, 'standard')).toEqual([['c', 2]]);
		expect(convertColumn(picklist, 1)).toEqual([['c', 1]]);
		expect(() => convertColumn(picklist, 'Gold')).toThrow(/"Column c" has no choice "Gold"/);
		let refused: unknown;
		try {
			convertColumn(picklist, 7);
		} catch (error) {
			refused = error;
		}
		expect((refused as { hint?: string }).hint).toMatch(/Preferred Customer \(1\), Standard \(2\)/);
		expect(convertColumn(column({ type: 'Virtual', typeName: 'MultiSelectPicklistType', options: [{ value: 1, label: 'A' }, { value: 2, label: 'B' }] }), 'A, B')).toEqual([['c', '1,2']]);
		expect(() => convertColumn(column({ type: 'DateTime' }), 'tomorrow')).toThrow(/expects a date/);
		const lookup = column({ logicalName: 'parentcustomerid', type: 'Customer', targets: [{ table: 'account', entitySet: 'accounts', navigationProperty: 'parentcustomerid_account' }, { table: 'contact', entitySet: 'contacts', navigationProperty: 'parentcustomerid_contact' }] });
		const id = '00000000-0000-4000-8000-000000000001';
		expect(convertColumn(lookup, `contacts(${id})`)).toEqual([['parentcustomerid_contact@odata.bind', `/contacts(${id})`]]);
		expect(convertColumn(lookup, `account:${id}`)).toEqual([['parentcustomerid_account@odata.bind', `/accounts(${id})`]]);
		expect(() => convertColumn(lookup, id)).toThrow(/can point to several tables/);
		expect(() => convertColumn(lookup, 'not-an-id')).toThrow(/needs a row ID/);
	});
	it('raw JSON must be an object of column names', () => {
		expect(parseColumnsJson('{"name":"x","parentcustomerid_account@odata.bind":"/accounts(1)"}')).toEqual({ name: 'x', 'parentcustomerid_account@odata.bind': '/accounts(1)' });
		expect(() => parseColumnsJson('[1]')).toThrow(/"Columns \(JSON\)" must be a JSON object/);
		expect(() => parseColumnsJson('{"a b":1}')).toThrow(/not a column name/);
	});
});

describe('FetchXML', () => {
	it('checks the query before sending', () => {
		expect(checkFetchXml(' <fetch><entity name="account"/></fetch> ')).toBe('<fetch><entity name="account"/></fetch>');
		expect(() => checkFetchXml('<entity name="account" />')).toThrow(/must start with a <fetch>/);
		expect(() => checkFetchXml('<fetch><entity name="account"><filter></entity></fetch>')).toThrow(/not well-formed/);
		expect(() => checkFetchXml('<fetch><all-attributes /></fetch>')).toThrow(/no <entity name/);
	});
	it('sets page, count and the paging cookie (decoded twice, XML-escaped) on the root only', () => {
		const xml = '<fetch page="9" count="3" mapping="logical"><entity name="account" /></fetch>';
		expect(withPage(xml, 2, 5000, '<cookie page="1"><accountid last="{A}" first="{B}" /></cookie>')).toBe(
			'<fetch mapping="logical" page="2" count="5000" paging-cookie="&lt;cookie page=&quot;1&quot;&gt;&lt;accountid last=&quot;{A}&quot; first=&quot;{B}&quot; /&gt;&lt;/cookie&gt;"><entity name="account" /></fetch>',
		);
		const annotation = `<cookie pagenumber="2" pagingcookie="${encodeURIComponent(encodeURIComponent('<cookie page="1"><accountid last="{A}" /></cookie>'))}" istracking="False" />`;
		expect(pagingCookieOf(annotation)).toBe('<cookie page="1"><accountid last="{A}" /></cookie>');
		expect(pagingCookieOf(undefined)).toBeUndefined();
	});
});

describe('actions in $metadata', () => {
	it('lists actions and functions with what they are bound to', () => {
		const csdl = `<Schema><Function Name="WhoAmI"><ReturnType Type="mscrm.WhoAmIResponse" /></Function>
			<Action Name="QualifyLead" IsBound="true"><Parameter Name="entity" Type="mscrm.lead" /><Parameter Name="Status" Type="Edm.Int32" /></Action>
			<Action Name="WinOpportunity"><Parameter Name="Status" Type="Edm.Int32" /></Action></Schema>`;
		expect(operationsOf(csdl)).toEqual([
			{ name: 'WhoAmI', kind: 'function' },
			{ name: 'QualifyLead', kind: 'action', boundTo: 'lead' },
			{ name: 'WinOpportunity', kind: 'action' },
		]);
	});
});

describe('trigger decisions', () => {
	const settings = { entitySet: 'accounts', events: ['created', 'updated', 'deleted'] as Array<'created' | 'updated' | 'deleted'>, mode: 'changeTracking' as const, watchColumns: [], columns: [] };
	it('created, updated and deleted once; a version already reported is skipped', () => {
		const state = { primaryId: 'accountid', seen: { old: '1' } };
		const since = Date.parse('2026-01-01T10:00:00.500Z');
		const entries = [
			{ accountid: 'new', createdon: '2026-01-01T10:00:00Z', modifiedon: '2026-01-01T10:00:05Z', versionnumber: 5 },
			{ accountid: 'old', createdon: '2025-01-01T00:00:00Z', modifiedon: '2026-01-01T10:00:06Z', versionnumber: 6 },
			{ '@odata.context': 'x/$metadata#accounts/$deletedEntity', id: 'gone', reason: 'deleted' },
		];
		expect(decideRows(entries, state, settings, since).map((change) => `${String(change.event)} ${String(change.id)}`)).toEqual(['created new', 'updated old', 'deleted gone']);
		expect(decideRows(entries, state, settings, since)).toEqual([]);
	});
});
