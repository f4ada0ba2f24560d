/** Row operations on the sandbox's Dataverse: create, get, update, upsert, delete and get many (OData), as Alice and as the app. */
import { API, items, queryOf, table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();
const ACCOUNTS = table('accounts');

describe('Dynamics row: create, get, update, delete', () => {
	it('creates a row and returns it (Prefer: return=representation), then gets it by ID', async () => {
		const [created] = await fixture().run({ resource: 'row', operation: 'create', table: ACCOUNTS, columnsMode: 'json', columnsJson: '{"name":"Tailspin Toys","accountnumber":"TT-1"}' });
		expect(created.json.name).toBe('Tailspin Toys');
		expect(created.json.id).toMatch(/^[0-9a-f-]{36}$/);
		expect(created.json.accountid).toBe(created.json.id);
		expect(created.json['@odata.context']).toBeUndefined();
		expect(fixture().apiCalls().filter((entry) => entry.method === 'POST').map((entry) => `${entry.path}${entry.query}`)).toEqual([`${API}/accounts`]);
		const [read] = await fixture().run({ resource: 'row', operation: 'get', table: ACCOUNTS, rowId: String(created.json.id), options: { select: 'name,accountnumber' } });
		expect(read.json).toMatchObject({ name: 'Tailspin Toys', accountnumber: 'TT-1', accountid: created.json.id });
		expect(read.json.telephone1).toBeUndefined();
	});

	it('without "Return Full Row" returns the ID from OData-EntityId (204)', async () => {
		const [created] = await fixture().run({ resource: 'row', operation: 'create', table: ACCOUNTS, columnsMode: 'json', columnsJson: { name: 'No Body Ltd' }, options: { returnRow: false } });
		expect(Object.keys(created.json)).toEqual(['id']);
		expect(fixture().sandbox.dataverse.account(created.json.id).name).toBe('No Body Ltd');
	});

	it('updates with If-Match: * (never creates: a missing row is a clear 404) and honours an ETag', async () => {
		const row = fixture().sandbox.dataverse.addAccount({ name: 'Before' });
		const [updated] = await fixture().run({ resource: 'row', operation: 'update', table: ACCOUNTS, rowId: row.accountid, columnsMode: 'json', columnsJson: { name: 'After' } });
		expect(updated.json.name).toBe('After');
		const missing = '00000000-0000-4000-8000-00000000abcd';
		const error = await fixture().fail({ resource: 'row', operation: 'update', table: ACCOUNTS, rowId: missing, columnsMode: 'json', columnsJson: { name: 'x' } });
		expect(error.message).toMatch(/Does Not Exist/);
		expect(error.description).toMatch(/0x80040217/);
		expect(error.description).toMatch(/check the Row ID/);
		expect(fixture().sandbox.dataverse.account(missing)).toBeNull();
		const stale = await fixture().fail({ resource: 'row', operation: 'update', table: ACCOUNTS, rowId: row.accountid, columnsMode: 'json', columnsJson: { name: 'Stale' }, options: { etag: row['@odata.etag'] } });
		expect(stale.description).toMatch(/0x80060882/);
		expect(fixture().sandbox.dataverse.account(row.accountid).name).toBe('After');
	});

	it('upserts by ID: creates, then updates; "create only" and "update only" refuse as Dataverse does', async () => {
		const id = '11111111-2222-4333-8444-555555555555';
		const upsert = (mode: string, name: string) => ({ resource: 'row', operation: 'upsert', table: ACCOUNTS, rowId: id, upsertMode: mode, columnsMode: 'json', columnsJson: { name } });
		await fixture().run(upsert('either', 'First'));
		expect(fixture().sandbox.dataverse.account(id).name).toBe('First');
		await fixture().run(upsert('either', 'Second'));
		expect(fixture().sandbox.dataverse.account(id).name).toBe('Second');
		const exists = await fixture().fail(upsert('createOnly', 'Third'));
		expect(exists.description).toMatch(/0x80040237/);
		await fixture().run(upsert('updateOnly', 'Fourth'));
		expect(fixture().sandbox.dataverse.account(id).name).toBe('Fourth');
		const other = '11111111-2222-4333-8444-000000000000';
		await fixture().fail({ ...upsert('updateOnly', 'Never'), rowId: other });
		expect(fixture().sandbox.dataverse.account(other)).toBeNull();
	});

	it('deletes a row and returns { deleted: true }', async () => {
		const row = fixture().sandbox.dataverse.addAccount({ name: 'Doomed' });
		const [out] = await fixture().run({ resource: 'row', operation: 'delete', table: ACCOUNTS, rowId: row.accountid });
		expect(out.json).toEqual({ deleted: true, id: row.accountid });
		expect(fixture().sandbox.dataverse.account(row.accountid)).toBeNull();
	});

	it('works the same with the app-only credential', async () => {
		const [created] = await fixture().run({ resource: 'row', operation: 'create', table: ACCOUNTS, columnsMode: 'json', columnsJson: { name: 'By the app' } }, { signIn: 'app' });
		expect(fixture().sandbox.dataverse.account(created.json.id).name).toBe('By the app');
	});

	it('one item per input item, each paired with its input; continue on fail keeps the good ones', async () => {
		const out = await fixture().run(
			{ resource: 'row', operation: 'create', table: ACCOUNTS, columnsMode: 'json', columnsJson: '={{ JSON.stringify($json) }}' },
			{ input: items({ name: 'One' }, { nope: 'bad column' }, { name: 'Three' }), continueOnFail: true },
		);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.name).toBe('One');
		expect(String(out[1].json.error)).toMatch(/nope/);
		expect(out[2].json.name).toBe('Three');
	});
});

describe('Dynamics row: get many', () => {
	it('reads every page at the largest page size (Prefer: odata.maxpagesize=5000) and stops at a limit', async () => {
		fixture().sandbox.dataverse.addAccounts(6000, 'Paging');
		fixture().clearRequests();
		const all = await fixture().run({ resource: 'row', operation: 'getAll', table: ACCOUNTS, returnAll: true, options: { select: 'name' } });
		expect(all.length).toBe(fixture().sandbox.dataverse.accounts.size);
		const gets = fixture().apiCalls().filter((entry) => entry.path === `${API}/accounts`);
		expect(gets.length).toBe(2);
		// Two pages for 6,000+ rows: the largest page size (5,000) was asked for.
		expect(queryOf(gets[1]).$skiptoken).toBeDefined();
		fixture().clearRequests();
		const some = await fixture().run({ resource: 'row', operation: 'getAll', table: ACCOUNTS, returnAll: false, limit: 7 });
		expect(some.length).toBe(7);
		expect(fixture().apiCalls().length).toBe(1);
	});

	it('friendly conditions are quoted (an apostrophe or an injection attempt stays a value)', async () => {
		fixture().sandbox.dataverse.addAccount({ name: "O'Brien & Sons" });
		const out = await fixture().run({
			resource: 'row',
			operation: 'getAll',
			table: ACCOUNTS,
			returnAll: true,
			conditions: { condition: [{ column: 'name', operator: 'eq', value: "O'Brien & Sons", valueType: 'text' }] },
		});
		expect(out.map((item) => item.json.name)).toEqual(["O'Brien & Sons"]);
		const sneaky = await fixture().run({
			resource: 'row',
			operation: 'getAll',
			table: ACCOUNTS,
			returnAll: true,
			conditions: { condition: [{ column: 'name', operator: 'eq', value: "x' or name eq 'Fourth Coffee (sample)", valueType: 'text' }] },
		});
		expect(sneaky).toEqual([]);
		const sent = fixture().apiCalls().filter((entry) => entry.path === `${API}/accounts`).pop();
		expect(queryOf(sent!).$filter).toBe("name eq 'x'' or name eq ''Fourth Coffee (sample)'");
	});
});
