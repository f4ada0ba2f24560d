/** Bulk mode: all items through multipart $batch (1,000 a request), continue-on-error or atomic change sets. */
import type { IDataObject } from 'n8n-workflow';

import { API, table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();
const ACCOUNTS = table('accounts');

function bulkCreate(mode: 'continue' | 'atomic', extra: IDataObject = {}) {
	return { resource: 'row', operation: 'create', table: ACCOUNTS, columnsMode: 'json', columnsJson: '={{ JSON.stringify($json) }}', bulk: true, batchSize: 1000, bulkErrors: mode, options: { returnRow: false }, ...extra };
}

function names(count: number, prefix: string, bad?: number) {
	return Array.from({ length: count }, (_, n) => ({ json: n === bad ? { name: `${prefix} ${n}`, nope: 'no such column' } : { name: `${prefix} ${n}` } }));
}

function stored(prefix: string): number {
	return [...fixture().sandbox.dataverse.accounts.values()].filter((row: IDataObject) => String(row.name).startsWith(`${prefix} `)).length;
}

describe('Dynamics bulk mode', () => {
	it('creates 2,500 rows in three $batch requests, each output paired with its input and carrying its new ID', async () => {
		const out = await fixture().run(bulkCreate('continue'), { input: names(2500, 'BulkA') });
		expect(out.length).toBe(2500);
		expect(out.every((item, n) => (item.pairedItem as { item: number }).item === n && /^[0-9a-f-]{36}$/.test(String(item.json.id)))).toBe(true);
		const posts = fixture().apiCalls().filter((entry) => !entry.viaBatch);
		expect(posts.map((entry) => `${entry.method} ${entry.path}`)).toEqual(Array(3).fill(`POST ${API}/$batch`));
		expect(stored('BulkA')).toBe(2500);
		// Each answer belongs to its own item: the row behind item 1,234's ID has item 1,234's name.
		expect(fixture().sandbox.dataverse.account(String(out[1234].json.id)).name).toBe('BulkA 1234');
	});

	it('continue-on-error: one bad row fails alone (continue on fail), the other 2,499 are written once', async () => {
		const out = await fixture().run(bulkCreate('continue'), { input: names(2500, 'BulkB', 1500), continueOnFail: true });
		expect(out.length).toBe(2500);
		expect(String(out[1500].json.error)).toMatch(/nope/);
		expect(String(out[1500].json.description)).toMatch(/item 1500/);
		expect(out.filter((item) => item.json.error).length).toBe(1);
		expect(stored('BulkB')).toBe(2499);
	});

	it('atomic: the change set with the bad row writes nothing and no later batch is sent; earlier batches stay written', async () => {
		const out = await fixture().run(bulkCreate('atomic'), { input: names(2500, 'BulkC', 1500), continueOnFail: true });
		expect(out.length).toBe(2500);
		expect(out.slice(0, 1000).every((item) => !item.json.error)).toBe(true);
		expect(String(out[1500].json.error)).toMatch(/nope/);
		expect(String(out[1000].json.error)).toMatch(/rolled back/);
		expect(String(out[2000].json.error)).toMatch(/Not sent/);
		expect(stored('BulkC')).toBe(1000);
		expect(fixture().apiCalls().filter((entry) => !entry.viaBatch).length).toBe(2);
	});

	it('bad input without continue on fail: refused before anything is sent', async () => {
		const input = names(5, 'BulkD');
		input[3] = { json: { name: 'x' } };
		const error = await fixture().fail({ ...bulkCreate('continue'), columnsJson: '={{ $itemIndex === 3 ? "{not json" : JSON.stringify($json) }}' }, { input });
		expect(error.message).toMatch(/"Columns \(JSON\)" is not valid JSON/);
		expect(fixture().apiCalls().length).toBe(0);
		expect(stored('BulkD')).toBe(0);
	});

	it('honours a 429 with Retry-After on the $batch request and sends nothing twice', async () => {
		fixture().sandbox.faults.add({ host: 'dataverse', method: 'POST', path: '^/api/data/v9\\.2/\\$batch$', status: 429, retryAfter: '1', times: 1 });
		const started = Date.now();
		const out = await fixture().run(bulkCreate('continue'), { input: names(10, 'BulkE') });
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(out.length).toBe(10);
		expect(stored('BulkE')).toBe(10);
	});

	it('updates and deletes in bulk', async () => {
		const rows = Array.from({ length: 30 }, (_, n) => fixture().sandbox.dataverse.addAccount({ name: `BulkF ${n}` }));
		const input = rows.map((row: IDataObject) => ({ json: { id: row.accountid, name: `${String(row.name)} updated` } }));
		await fixture().run({ resource: 'row', operation: 'update', table: ACCOUNTS, rowId: '={{ $json.id }}', columnsMode: 'json', columnsJson: '={{ JSON.stringify({ name: $json.name }) }}', bulk: true, bulkErrors: 'atomic', options: { returnRow: false } }, { input });
		expect(rows.every((row: IDataObject) => fixture().sandbox.dataverse.account(row.accountid).name.endsWith('updated'))).toBe(true);
		const deleted = await fixture().run({ resource: 'row', operation: 'delete', table: ACCOUNTS, rowId: '={{ $json.id }}', bulk: true }, { input });
		expect(deleted.every((item) => item.json.deleted === true)).toBe(true);
		expect(rows.every((row: IDataObject) => fixture().sandbox.dataverse.account(row.accountid) === null)).toBe(true);
		expect(fixture().apiCalls().filter((entry) => !entry.viaBatch).length).toBe(2);
	});
});
