/**
 * Dynamics node, API Finance & Operations, bulk mode against the sandbox's F&O `$batch`: creates, updates and deletes
 * of many items in multipart POSTs of Batch Size records; every output paired with its input and carrying its own
 * answer; a failed record alone (continue) or its whole change set rolled back and nothing sent after it (atomic);
 * bad input refused per item before anything is sent; throttling of the batch POST and of one part inside it retried
 * without writing any record twice.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

const customers = locator('CustomersV3');

function bulkCreate(extra: INodeParameters = {}): INodeParameters {
	return { resource: 'financeOperationsEntity', operation: 'create', foEntity: customers, foFields: '={{ JSON.stringify($json) }}', bulk: true, ...extra };
}

function accounts(count: number, prefix: string, extra: (n: number) => IDataObject = () => ({})): INodeExecutionData[] {
	return Array.from({ length: count }, (_, n) => ({ json: { CustomerAccount: `${prefix}-${String(n).padStart(4, '0')}`, OrganizationName: `${prefix} customer ${n}`, CustomerGroupId: '30', ...extra(n) } }));
}

describe('Dynamics node: Finance & Operations bulk mode', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	beforeEach(() => {
		f = fixture();
		f.sandbox.faults.reset();
	});
	const stored = (prefix: string, company = 'usmf') => f.sandbox.financeOperations.rows('CustomersV3').filter((row) => row.dataAreaId === company && String(row.CustomerAccount).startsWith(`${prefix}-`));
	const batchPosts = () => f.requests().filter((entry) => entry.host === 'financeOperations' && !entry.viaBatch && entry.path === '/data/$batch');
	const partWrites = (method: string) => f.requests().filter((entry) => entry.host === 'financeOperations' && entry.viaBatch && entry.method === method);

	it('creates 250 records in three $batch POSTs of 100 (the default), each output paired with its input and carrying its own record', async () => {
		const out = await f.run('foApp', bulkCreate(), { input: accounts(250, 'BK') });
		expect(out.length).toBe(250);
		expect(out.every((item, n) => (item.pairedItem as { item: number }).item === n && item.json.CustomerAccount === `BK-${String(n).padStart(4, '0')}` && item.json.dataAreaId === 'usmf')).toBe(true);
		expect(out[123].json['@odata.etag']).toEqual(expect.any(String));
		expect(batchPosts().length).toBe(3);
		expect(partWrites('POST').length).toBe(250);
		// Nothing went to the entity outside the batches (only $metadata was read).
		expect(f.requests().filter((entry) => entry.host === 'financeOperations' && !entry.viaBatch && entry.path !== '/data/$batch').map((entry) => entry.path)).toEqual(['/data/$metadata']);
		expect(stored('BK').length).toBe(250);
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'BK-0199' })?.OrganizationName).toBe('BK customer 199');
	});

	it('continue: a record F&O refuses (duplicate key) and one refused before sending (not an enum value) fail alone with continue on fail; the others are written once', async () => {
		const input = accounts(30, 'BC', (n) => (n === 7 ? { OnHoldStatus: 'Sometimes' } : n === 20 ? { CustomerAccount: 'US-001' } : { OnHoldStatus: n % 2 ? '2' : 'no' }));
		const out = await f.run('foApp', bulkCreate({ batchSize: 10, foCompany: 'usmf' }), { input, continueOnFail: true });
		expect(out.length).toBe(30);
		expect(out.map((item) => (item.pairedItem as { item: number }).item)).toEqual(Array.from({ length: 30 }, (_, n) => n));
		expect(String(out[7].json.error)).toMatch(/"Fields \(JSON\): OnHoldStatus" "Sometimes" is not a value of CustVendorBlocked/);
		expect(`${out[20].json.error} ${out[20].json.description}`).toMatch(/400|already exists|duplicate/i);
		expect(`${out[20].json.error} ${out[20].json.description}`).toMatch(/item 20/);
		expect(out.filter((item) => item.json.error).length).toBe(2);
		expect(stored('BC').length).toBe(28);
		// Enum values are written as F&O's member names, whatever case (or member number) the input had.
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'BC-0002' })?.OnHoldStatus).toBe('No');
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'BC-0003' })?.OnHoldStatus).toBe('All');
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-001' })?.OrganizationName).not.toBe('BC customer 20');
		expect(partWrites('POST').length).toBe(29);
	});

	it('atomic: the change set with the failed record writes none of its records, no later batch is sent; earlier batches stay written', async () => {
		const input = accounts(25, 'BA', (n) => (n === 15 ? { CustomerAccount: 'US-002' } : {}));
		const out = await f.run('foApp', bulkCreate({ batchSize: 10, bulkErrors: 'atomic' }), { input, continueOnFail: true });
		expect(out.length).toBe(25);
		expect(out.slice(0, 10).every((item) => !item.json.error && String(item.json.CustomerAccount).startsWith('BA-'))).toBe(true);
		expect(`${out[15].json.error} ${out[15].json.description}`).toMatch(/item 15/);
		expect(String(out[11].json.error)).toMatch(/rolled back/);
		expect(String(out[22].json.error)).toMatch(/Not sent/);
		expect(out.map((item, n) => (item.pairedItem as { item: number }).item === n).every(Boolean)).toBe(true);
		// Items 10–14 were applied inside the change set before item 15 failed: rolled back, never half-written.
		expect(stored('BA').map((row) => row.CustomerAccount)).toEqual(Array.from({ length: 10 }, (_, n) => `BA-${String(n).padStart(4, '0')}`));
		expect(batchPosts().length).toBe(2);
	});

	it('without continue on fail, bad input in any item stops the node before anything is written', async () => {
		const input = accounts(5, 'BN', (n) => (n === 3 ? { NoSuchField: 1 } : {}));
		const error = await f.fail('foApp', bulkCreate(), { input });
		expect(error.message).toMatch(/"Fields \(JSON\)" "NoSuchField" is not a field of CustomersV3/);
		expect(batchPosts().length).toBe(0);
		expect(stored('BN').length).toBe(0);
	});

	it('update and delete in bulk, in another company (cross-company), a stale ETag failing only its own record', async () => {
		await f.run('foApp', bulkCreate({ foCompany: 'demf' }), { input: accounts(4, 'BU') });
		const stale = String(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'demf', CustomerAccount: 'BU-0002' })?.['@odata.etag'] ?? 'W/"stale"');
		await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'update', foEntity: customers, foCompany: 'demf', foKeyFields: { fields: [{ name: 'CustomerAccount', value: 'BU-0002' }] }, foFields: '{ "CreditLimit": 5 }' });
		f.clearRequests();
		const update = {
			resource: 'financeOperationsEntity', operation: 'update', foEntity: customers, foCompany: 'demf', bulk: true,
			foKeyFields: { fields: [{ name: 'CustomerAccount', value: '={{ $json.account }}' }] },
			foFields: '={{ JSON.stringify({ OrganizationName: $json.name, OnHoldStatus: $json.hold }) }}',
			foEtag: '={{ $json.etag }}',
		};
		const input = [0, 1, 2, 3].map((n) => ({ json: { account: `BU-000${n}`, name: `Renamed ${n}`, hold: n === 1 ? 'Microsoft.Dynamics.DataEntities.CustVendorBlocked\'All\'' : 'No', etag: n === 2 ? stale : '' } }));
		const out = await f.run('foApp', update, { input, continueOnFail: true });
		expect(out.map((item) => item.json.updated ?? item.json.error)).toEqual([true, true, expect.stringMatching(/./), true]);
		expect(`${out[2].json.error} ${out[2].json.description}`).toMatch(/changed/i);
		expect(out[1].json).toMatchObject({ OrganizationName: 'Renamed 1', OnHoldStatus: 'All', updated: true });
		const row = (n: number) => f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'demf', CustomerAccount: `BU-000${n}` });
		expect([0, 1, 2, 3].map((n) => row(n)?.OrganizationName)).toEqual(['Renamed 0', 'Renamed 1', 'BU customer 2', 'Renamed 3']);
		expect(row(1)?.OnHoldStatus).toBe('All');
		const patches = partWrites('PATCH');
		expect(patches.length).toBe(4);
		expect(patches.every((entry) => new URLSearchParams(entry.query).get('cross-company') === 'true')).toBe(true);

		f.clearRequests();
		const deleted = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'delete', foEntity: customers, foCompany: 'demf', bulk: true, bulkErrors: 'atomic', foKeyFields: { fields: [{ name: 'CustomerAccount', value: '={{ $json.account }}' }] } }, { input });
		expect(deleted.map((item) => item.json)).toEqual(Array(4).fill({ deleted: true }));
		expect(stored('BU', 'demf').length).toBe(0);
		expect(batchPosts().length).toBe(1);
	});

	it('throttling: a 429 on the $batch POST and a 429 on one part inside it are waited out; every record is written exactly once', async () => {
		f.sandbox.faults.add({ host: 'financeOperations', method: 'POST', path: '^/data/\\$batch$', status: 429, retryAfter: '1', times: 1 });
		f.sandbox.faults.add({ host: 'financeOperations', method: 'POST', path: '^/data/CustomersV3$', status: 429, retryAfter: '1', times: 1 });
		const out = await f.run('foApp', bulkCreate(), { input: accounts(20, 'BT') });
		expect(out.every((item, n) => item.json.CustomerAccount === `BT-${String(n).padStart(4, '0')}`)).toBe(true);
		expect(batchPosts().map((entry) => entry.status)).toEqual([429, 200, 200]);
		const parts = partWrites('POST');
		expect(parts.filter((entry) => entry.status === 429).length).toBe(1);
		expect(parts.filter((entry) => entry.status === 201).length).toBe(20);
		expect(stored('BT').length).toBe(20);

		// Atomic: a throttled change set is sent again whole; F&O rolled it back, so nothing is written twice.
		f.clearRequests();
		f.sandbox.faults.add({ host: 'financeOperations', method: 'POST', path: '^/data/CustomersV3$', status: 429, retryAfter: '1', times: 1 });
		const atomic = await f.run('foApp', bulkCreate({ bulkErrors: 'atomic' }), { input: accounts(5, 'BW') });
		expect(atomic.every((item) => !item.json.error)).toBe(true);
		expect(batchPosts().length).toBe(2);
		expect(stored('BW').length).toBe(5);
		expect(partWrites('POST').filter((entry) => entry.status === 201).length).toBe(5);
	});
});
