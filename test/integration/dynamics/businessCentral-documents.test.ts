/**
 * Dynamics node, API Business Central: document lines and bound actions against the sandbox's Business Central.
 * Lines: a line entity set (salesInvoiceLines, purchaseInvoiceLines, …) with the Parent Document ID → create, get many,
 * update (ETag read and sent), delete under `{documents}({id})/{lines}`, the document's totals following. Run Action:
 * the actions `$metadata` binds to the entity set (picker and check), post a sales invoice (Draft → Open, posting again
 * is Business Central's error), ship and invoice an order, post a purchase invoice; an action is sent once (a 504 or a
 * dropped connection is reported, not repeated; a 429 proves nothing was done and is repeated). Bad input refused
 * naming the field with nothing sent to the entity; continueOnFail and pairedItem per item.
 */
import type { INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import type { BusinessCentralCompany } from '../../sandbox';
import { CONTOSO, locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

describe('Dynamics node: Business Central documents (lines and bound actions)', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	let company: BusinessCentralCompany;
	let base: INodeParameters;
	const at = (set: string, extra: INodeParameters = {}): INodeParameters => ({ ...base, bcEntitySet: locator(set), ...extra });
	const record = (set: string, id: unknown) => f.sandbox.businessCentral.records(company, set).find((entry) => entry.id === id);
	const actionPosts = () => f.requests().filter((entry) => entry.host === 'businessCentral' && entry.method === 'POST' && /\/Microsoft\.NAV\./.test(entry.path));

	beforeEach(() => {
		f = fixture();
		f.sandbox.faults.reset();
		company = f.sandbox.businessCentral.company('Production', 'CRONUS USA, Inc.')!;
		base = { resource: 'businessCentralEntity', bcEnvironment: locator('Production'), bcCompany: locator(company.id) };
	});

	/** A draft sales invoice created through the node. */
	async function draftInvoice(customerNumber = '10000'): Promise<string> {
		const [invoice] = await f.run('bcApp', at('salesInvoices', { operation: 'create', bcFields: JSON.stringify({ customerNumber, status: 'Draft' }) }));
		return String(invoice.json.id);
	}

	it('lines: create, get many, update (ETag read for the user), get, delete under the Parent Document; the totals follow', async () => {
		const invoiceId = await draftInvoice();
		const desk = f.sandbox.businessCentral.records(company, 'items').find((item) => item.number === '1896-S')!;
		f.clearRequests();
		const [line] = await f.run('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId, bcFields: JSON.stringify({ itemId: desk.id, quantity: 2 }) }));
		expect(line.json).toMatchObject({ documentId: invoiceId, description: 'ATHENS Desk', quantity: 2, amountIncludingTax: 2001.6 });
		expect(f.calls('businessCentral')).toContain(`POST /v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/salesInvoices(${invoiceId})/salesInvoiceLines`);
		await f.run('bcDelegated', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId.toUpperCase(), bcFields: '{ "description": "Assembly", "quantity": 1, "unitPrice": 50 }' }));
		expect(record('salesInvoices', invoiceId)?.totalAmountIncludingTax).toBe(2051.6);

		const lines = await f.run('bcApp', at('salesInvoiceLines', { operation: 'getAll', returnAll: true, bcParentId: invoiceId, bcOrderBy: 'sequence', bcSelect: 'id,sequence,description' }));
		expect(lines.map((item) => item.json.description)).toEqual(['ATHENS Desk', 'Assembly']);

		const lineId = String(line.json.id);
		f.clearRequests();
		const [updated] = await f.run('bcApp', at('salesInvoiceLines', { operation: 'update', bcParentId: invoiceId, bcRecordId: lineId, bcFields: '{ "quantity": 3 }' }));
		expect(updated.json).toMatchObject({ id: lineId, quantity: 3, amountIncludingTax: 3002.4 });
		const linePath = `/v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/salesInvoices(${invoiceId})/salesInvoiceLines(${lineId})`;
		expect(f.calls('businessCentral').filter((call) => call.includes('/salesInvoiceLines('))).toEqual([`GET ${linePath}`, `PATCH ${linePath}`]);
		expect(record('salesInvoices', invoiceId)?.totalAmountIncludingTax).toBe(3052.4);

		const [read] = await f.run('bcApp', at('salesInvoiceLines', { operation: 'get', bcParentId: invoiceId, bcRecordId: lineId }));
		expect(read.json).toMatchObject({ id: lineId, quantity: 3 });
		const [deleted] = await f.run('bcApp', at('salesInvoiceLines', { operation: 'delete', bcParentId: invoiceId, bcRecordId: String(lines[1].json.id) }));
		expect(deleted.json).toEqual({ deleted: true });
		expect(record('salesInvoices', invoiceId)?.totalAmountIncludingTax).toBe(3002.4);

		const purchase = f.sandbox.businessCentral.records(company, 'purchaseInvoices')[0];
		const purchaseLines = await f.run('bcApp', at('purchaseInvoiceLines', { operation: 'getAll', returnAll: true, bcParentId: String(purchase.id) }));
		expect(purchaseLines.map((item) => item.json.documentId)).toEqual([purchase.id]);
	});

	it('run action: post a sales invoice once (Draft → Open); posting it again is Business Central\'s error with the fix', async () => {
		const invoiceId = await draftInvoice();
		await f.run('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId, bcFields: '{ "description": "Chair", "quantity": 2, "unitPrice": 192.8 }' }));
		f.clearRequests();
		const [posted] = await f.run('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: invoiceId, bcAction: locator('post') }));
		expect(posted.json).toEqual({ action: 'post', entitySet: 'salesInvoices', id: invoiceId, done: true });
		expect(actionPosts().map((entry) => entry.path)).toEqual([`/v2.0/${CONTOSO}/Production/api/v2.0/companies(${company.id})/salesInvoices(${invoiceId})/Microsoft.NAV.post`]);
		expect(record('salesInvoices', invoiceId)?.status).toBe('Open');

		const again = await f.fail('bcDelegated', at('salesInvoices', { operation: 'runAction', bcRecordId: invoiceId, bcAction: locator('Microsoft.NAV.post') }));
		expect(again.httpCode).toBe('400');
		expect(`${again.message} ${again.description}`).toMatch(/The action can be applied to a draft invoice only/);
		expect(again.description).toMatch(/business logic/);

		const lineError = await f.fail('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId, bcFields: '{ "description": "Late", "quantity": 1 }' }));
		expect(lineError.httpCode).toBe('400');
	});

	it('run action: shipAndInvoice a sales order, post a purchase invoice, cancel a posted invoice', async () => {
		const order = f.sandbox.businessCentral.records(company, 'salesOrders')[0];
		await f.run('bcApp', at('salesOrders', { operation: 'runAction', bcRecordId: String(order.id), bcAction: locator('shipAndInvoice', 'list') }));
		expect(record('salesOrders', order.id)).toBeUndefined();
		expect(f.sandbox.businessCentral.records(company, 'salesInvoices').find((invoice) => invoice.orderId === order.id)).toMatchObject({ status: 'Open', totalAmountIncludingTax: order.totalAmountIncludingTax });

		const purchase = f.sandbox.businessCentral.records(company, 'purchaseInvoices').find((entry) => entry.status === 'Draft')!;
		await f.run('bcApp', at('purchaseInvoices', { operation: 'runAction', bcRecordId: String(purchase.id), bcAction: locator('post') }));
		expect(record('purchaseInvoices', purchase.id)?.status).toBe('Open');

		const invoiceId = await draftInvoice('20000');
		await f.run('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId, bcFields: '{ "description": "Desk", "quantity": 1, "unitPrice": 10 }' }));
		await f.run('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: invoiceId, bcAction: locator('post') }));
		await f.run('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: invoiceId, bcAction: locator('cancel') }));
		expect(record('salesInvoices', invoiceId)?.status).toBe('Canceled');
	});

	it('an action is never sent twice when its outcome is unknown (504, dropped connection); a 429 is repeated', async () => {
		const invoiceId = await draftInvoice();
		await f.run('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: invoiceId, bcFields: '{ "description": "Desk", "quantity": 1, "unitPrice": 10 }' }));
		const post = at('salesInvoices', { operation: 'runAction', bcRecordId: invoiceId, bcAction: locator('post') });

		f.sandbox.faults.add({ host: 'businessCentral', method: 'POST', path: '/Microsoft\\.NAV\\.post$', status: 504, times: 1 });
		f.clearRequests();
		const gateway = await f.fail('bcApp', post);
		expect(gateway.httpCode).toBe('504');
		expect(actionPosts()).toHaveLength(1);

		f.sandbox.faults.add({ host: 'businessCentral', method: 'POST', path: '/Microsoft\\.NAV\\.post$', reset: true, times: 1 });
		f.clearRequests();
		await f.fail('bcApp', post);
		expect(actionPosts()).toHaveLength(1);
		expect(record('salesInvoices', invoiceId)?.status).toBe('Draft');

		f.sandbox.faults.add({ host: 'businessCentral', method: 'POST', path: '/Microsoft\\.NAV\\.post$', status: 429, retryAfter: '1', times: 1 });
		f.clearRequests();
		const [posted] = await f.run('bcApp', post);
		expect(posted.json.done).toBe(true);
		expect(actionPosts().map((entry) => entry.status)).toEqual([429, 204]);
		expect(record('salesInvoices', invoiceId)?.status).toBe('Open');
	});

	it('bad input is refused naming the field; nothing is sent to the entity', async () => {
		const invoice = f.sandbox.businessCentral.records(company, 'salesInvoices')[0];
		const customer = f.sandbox.businessCentral.records(company, 'customers')[0];
		const cases: Array<[INodeParameters, RegExp]> = [
			[at('salesInvoiceLines', { operation: 'getAll', returnAll: true }), /"Parent Document ID" is empty: salesInvoiceLines are lines of salesInvoices/],
			[at('salesInvoiceLines', { operation: 'create', bcParentId: '102001', bcFields: '{}' }), /"Parent Document ID" "102001" is not a document ID/],
			// The field shows for an entity set given by an expression: then a set that has no lines is refused.
			[{ ...base, bcEntitySet: locator('={{ "customers" }}'), operation: 'getAll', returnAll: true, bcParentId: String(invoice.id) }, /"Parent Document ID" is set, but customers are not lines of a document/],
			[at('salesInvoices', { operation: 'runAction', bcRecordId: String(invoice.id), bcAction: locator('ship') }), /"Action" "ship" is not an action of salesInvoices[\s\S]*/],
			[at('customers', { operation: 'runAction', bcRecordId: String(customer.id), bcAction: locator('post') }), /"Action" "post" is not an action of customers/],
			[at('salesInvoices', { operation: 'runAction', bcRecordId: String(invoice.id), bcAction: locator('') }), /Parameter "Action" is required/], // n8n's own check of a required locator
			[at('salesInvoices', { operation: 'runAction', bcRecordId: 'nope', bcAction: locator('post') }), /"Record ID" "nope" is not a record ID/],
		];
		for (const [parameters, message] of cases) {
			f.clearRequests();
			const error = await f.fail('bcApp', parameters);
			expect(error.message).toMatch(message);
			expect(f.calls('businessCentral').filter((call) => !/\/companies$|\/\$metadata$/.test(call))).toEqual([]);
		}
		const ship = await f.fail('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: String(invoice.id), bcAction: locator('ship') }));
		expect(ship.description).toMatch(/Use one of: cancel, cancelAndSend, makeCorrectiveCreditMemo, post, postAndSend, send/);
		const noActions = await f.fail('bcApp', at('customers', { operation: 'runAction', bcRecordId: String(customer.id), bcAction: locator('post') }));
		expect(noActions.description).toMatch(/customers has no bound actions/);
	});

	it('Record ID, Parent Document ID and Action: empty, dot segments, broken text, non-GUIDs refused before any request', async () => {
		const invoice = String(f.sandbox.businessCentral.records(company, 'salesInvoices')[0].id);
		const checks = (field: string, values: ReadonlyArray<{ label: string; value: string }>, parameters: INodeParameters) => ({
			field,
			values,
			run: (value: string) => f.run('bcApp', parameters, { input: [{ json: { v: value } }] }),
			requests: () => f.requests(),
			clear: () => f.clearRequests(),
		});
		const notGuid = [...BAD_PATH_SEGMENTS, { label: 'not a GUID', value: '102001' }, { label: 'key injection', value: `${invoice})/salesInvoiceLines(x` }];
		// An empty one is refused too, once $metadata shows the set has no company-level path (a read only: see the test above).
		await expectEveryBadInputRefused(checks('Parent Document ID', notGuid.filter((entry) => entry.value.trim()), at('salesInvoiceLines', { operation: 'getAll', returnAll: true, bcParentId: '={{ $json.v }}' })));
		await expectEveryBadInputRefused(checks('Record ID', notGuid, at('salesInvoices', { operation: 'runAction', bcRecordId: '={{ $json.v }}', bcAction: locator('post') })));
		const notName = [...BAD_PATH_SEGMENTS, { label: 'path', value: 'post/../delete' }, { label: 'other namespace', value: 'Other.NS.post' }];
		await expectEveryBadInputRefused(checks('Action', notName, at('salesInvoices', { operation: 'runAction', bcRecordId: invoice, bcAction: locator('={{ $json.v }}') })));
	});

	it('item by item: each item posts its own invoice; a failed item with continueOnFail keeps its pairing', async () => {
		const first = await draftInvoice();
		const second = await draftInvoice();
		for (const id of [first, second]) await f.run('bcApp', at('salesInvoiceLines', { operation: 'create', bcParentId: id, bcFields: '{ "description": "Desk", "quantity": 1, "unitPrice": 5 }' }));
		await f.run('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: second, bcAction: locator('post') }));
		const out = await f.run('bcApp', at('salesInvoices', { operation: 'runAction', bcRecordId: '={{ $json.id }}', bcAction: locator('post') }), { input: [{ json: { id: first } }, { json: { id: second } }], continueOnFail: true });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json).toMatchObject({ id: first, done: true });
		expect(String(out[1].json.error)).toMatch(/draft invoice only/);
		expect(record('salesInvoices', first)?.status).toBe('Open');
	});

	it('pickers: line sets with their documents; the actions $metadata binds to the chosen entity set', async () => {
		const node = new Microsoft365Dynamics();
		const context = (parameters: Record<string, unknown>) =>
			f.harness.loadOptionsContext(node, { parameters: { authentication: 'clientCredentials', api: 'businessCentral', resource: 'businessCentralEntity', operation: 'runAction', bcEnvironment: locator('Production'), ...parameters } as never, credentialsFor: { microsoft365ClientCredentialsApi: 'bcApp' } });
		const sets = await node.methods.listSearch.searchBusinessCentralEntitySets.call(context({}), 'lines');
		expect(sets.results).toEqual(expect.arrayContaining([{ name: 'salesInvoiceLines (lines of salesInvoices)', value: 'salesInvoiceLines' }, { name: 'purchaseInvoiceLines (lines of purchaseInvoices)', value: 'purchaseInvoiceLines' }]));
		const search = node.methods.listSearch.searchBusinessCentralActions;
		expect((await search.call(context({ bcEntitySet: locator('salesInvoices') }), '')).results.map((entry) => entry.value)).toEqual(['cancel', 'cancelAndSend', 'makeCorrectiveCreditMemo', 'post', 'postAndSend', 'send']);
		expect((await search.call(context({ bcEntitySet: locator('salesOrders') }), '')).results.map((entry) => entry.value)).toEqual(['shipAndInvoice']);
		expect((await search.call(context({ bcEntitySet: locator('salesQuotes') }), 'make')).results.map((entry) => entry.value)).toEqual(['makeInvoice', 'makeOrder']);
		expect((await search.call(context({ bcEntitySet: locator('customers') }), '')).results).toEqual([]);
	});
});
