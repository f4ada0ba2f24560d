/**
 * The sandbox's Business Central (test/sandbox/businessCentral*.js) over raw HTTPS: tokens from the sandbox's Entra for
 * https://api.businesscentral.dynamics.com, the environments lists, companies and the standard entities with ETags
 * (If-Match required, stale → 412), lines with amounts and document totals, bound actions (post, cancel, shipAndInvoice,
 * makeInvoice, …), a custom API page, `$metadata` (companies of type `company`), query
 * options, paging, JSON `$batch` and BC's error body.
 */
import { SEED, startSandbox, type BusinessCentralCompany, type Sandbox } from '../sandbox';
import { form, sandboxRequest } from '../sandbox/httpClient';

const CONTOSO = SEED.tenants.contoso.id;
const APP = SEED.apps.singleTenant;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('sandbox: Business Central', () => {
	let sandbox: Sandbox;
	let token: string;
	let root: string;
	let company: BusinessCentralCompany;
	let companyPath: string;

	const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}, bearer = token) =>
		sandboxRequest(url.startsWith('https://') ? url : `${root}/${url}`, {
			method,
			headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
			ca: sandbox.tls.ca,
		});

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
		// A real client-credentials sign-in for Business Central's scope.
		const response = await sandboxRequest(`${sandbox.loginUrl}/${CONTOSO}/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.secret, scope: 'https://api.businesscentral.dynamics.com/.default' }),
			ca: sandbox.tls.ca,
		});
		expect(response.status).toBe(200);
		token = response.json.access_token;
		root = sandbox.businessCentral.apiUrl('Production');
		company = sandbox.businessCentral.company('Production', 'CRONUS USA, Inc.')!;
		companyPath = `companies(${company.id})`;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	beforeEach(() => {
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
	});

	describe('tokens and environments', () => {
		it('tokens carry the Business Central audience (also when asked by the sandbox URL); a Graph token, another tenant or an unregistered app get 401', async () => {
			expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).aud).toBe('https://api.businesscentral.dynamics.com');
			const bySandboxUrl = await sandboxRequest(`${sandbox.loginUrl}/${CONTOSO}/oauth2/v2.0/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: form({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.secret, scope: `${sandbox.businessCentralUrl}/.default` }),
				ca: sandbox.tls.ca,
			});
			expect(JSON.parse(Buffer.from(bySandboxUrl.json.access_token.split('.')[1], 'base64url').toString('utf8')).aud).toBe('https://api.businesscentral.dynamics.com');
			expect((await call('GET', 'companies')).status).toBe(200);
			const refused = await call('GET', 'companies', undefined, {}, sandbox.issueToken({ appId: APP.clientId }));
			expect(refused.status).toBe(401);
			expect(refused.json.error).toEqual({ code: 'Authentication_InvalidCredentials', message: expect.stringMatching(/^The server has rejected the client credentials\. {2}CorrelationId: {2}[0-9a-f-]{36}\.$/) });
			const unregistered = sandbox.issueToken({ appId: SEED.apps.noConsent.clientId, audience: sandbox.businessCentral.audience });
			expect((await call('GET', 'companies', undefined, {}, unregistered)).status).toBe(401);
			const otherTenant = `${sandbox.businessCentralUrl}/v2.0/${SEED.tenants.fabrikam.id}/Production/api/v2.0/companies`;
			expect((await call('GET', otherTenant)).status).toBe(401);
		});

		it('lists the environments (environments/v1.2 and the admin center API); the tenant may be a domain or left out', async () => {
			const list = await call('GET', `${sandbox.businessCentralUrl}/environments/v1.2`);
			expect(list.json.value.map((environment: { name: string; type: string }) => `${environment.name}:${environment.type}`)).toEqual(['Production:Production', 'Sandbox:Sandbox']);
			expect(list.json.value[0]).toMatchObject({ aadTenantId: CONTOSO, applicationFamily: 'BusinessCentral', webServiceUrl: `${sandbox.businessCentralUrl}/v2.0/${CONTOSO}/Production` });
			const admin = await call('GET', `${sandbox.businessCentralUrl}/admin/v2.24/applications/BusinessCentral/environments`);
			expect(admin.json.value.map((environment: { name: string; status: string }) => `${environment.name}:${environment.status}`)).toEqual(['Production:Active', 'Sandbox:Active']);
			const byDomain = await call('GET', `${sandbox.businessCentralUrl}/v2.0/contoso.onmicrosoft.com/Sandbox/api/v2.0/companies`);
			expect(byDomain.json.value.map((entry: { name: string }) => entry.name)).toEqual(['CRONUS USA, Inc.']);
			const noTenant = await call('GET', `${sandbox.businessCentralUrl}/v2.0/Production/api/v2.0/companies`);
			expect(noTenant.json.value.map((entry: { name: string }) => entry.name)).toEqual(['CRONUS USA, Inc.', 'My Company']);
			const unknown = await call('GET', `${sandbox.businessCentralUrl}/v2.0/${CONTOSO}/Nope/api/v2.0/companies`);
			expect(unknown.status).toBe(404);
		});
	});

	describe('entities', () => {
		it('companies and every standard entity set answer with ids and ETags; $metadata describes them', async () => {
			for (const set of ['customers', 'vendors', 'items', 'contacts', 'salesOrders', 'salesInvoices', 'journals']) {
				const response = await call('GET', `${companyPath}/${set}`);
				expect(response.status).toBe(200);
				expect(response.json.value.length).toBeGreaterThan(0);
				for (const record of response.json.value) {
					expect(record.id).toMatch(GUID);
					expect(record['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
				}
			}
			const metadata = await call('GET', '$metadata');
			expect(metadata.text).toMatch(/<EntityType Name="customer"><Key><PropertyRef Name="id"\/><\/Key>/);
			expect(metadata.text).toMatch(/<NavigationProperty Name="salesInvoiceLines"/);
			expect(metadata.text).toMatch(/<Action Name="post" IsBound="true"><Parameter Name="bindingParameter" Type="Microsoft\.NAV\.salesInvoice"\/>/);
		});

		it('create → get → PATCH with If-Match → DELETE; missing If-Match is refused, a stale ETag is 412', async () => {
			const created = await call('POST', `${companyPath}/customers`, { displayName: 'Sandbox Bikes', email: 'bikes@example.com' });
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), number: expect.stringMatching(/^C\d{5}$/), displayName: 'Sandbox Bikes' });
			const url = `${companyPath}/customers(${created.json.id})`;
			const etag = created.json['@odata.etag'];
			const noIfMatch = await call('PATCH', url, { displayName: 'No header' });
			expect(noIfMatch.status).toBe(400);
			expect(noIfMatch.json.error.message).toMatch(/concurrency token/);
			const updated = await call('PATCH', url, { displayName: 'Sandbox Bikes Ltd' }, { 'if-match': etag });
			expect(updated.status).toBe(200);
			expect(updated.json.displayName).toBe('Sandbox Bikes Ltd');
			expect(updated.json['@odata.etag']).not.toBe(etag);
			const stale = await call('PATCH', url, { displayName: 'Lost update' }, { 'if-match': etag });
			expect(stale.status).toBe(412);
			expect(stale.json.error.code).toBe('Request_EntityChanged');
			sandbox.businessCentral.touch(company, 'customers', created.json.id, { phoneNumber: '555-0100' });
			expect((await call('DELETE', url, undefined, { 'if-match': updated.json['@odata.etag'] })).status).toBe(412);
			const current = await call('GET', url);
			expect((await call('DELETE', url)).status).toBe(400);
			expect((await call('DELETE', url, undefined, { 'if-match': current.json['@odata.etag'] })).status).toBe(204);
			const gone = await call('GET', url);
			expect(gone.status).toBe(404);
			expect(gone.json.error.code).toBe('BadRequest_NotFound');
		});

		it('$metadata: the companies set is of type company (as Microsoft declares it), bound actions per binding type as documented', async () => {
			const metadata = (await call('GET', '$metadata')).text;
			expect(metadata).toMatch(/<EntitySet Name="companies" EntityType="Microsoft\.NAV\.company"\/>/);
			expect(metadata).toMatch(/<EntityType Name="company"><Key>/);
			expect(metadata).not.toMatch(/companie"/);
			const bound = [...metadata.matchAll(/<Action Name="([^"]+)" IsBound="true"><Parameter Name="bindingParameter" Type="Microsoft\.NAV\.([^"]+)"\/>/g)].map((match) => `${match[2]}.${match[1]}`);
			expect(bound).toEqual(expect.arrayContaining(['salesInvoice.post', 'salesInvoice.cancel', 'salesInvoice.makeCorrectiveCreditMemo', 'salesInvoice.postAndSend', 'salesOrder.shipAndInvoice', 'salesQuote.makeInvoice', 'salesQuote.makeOrder', 'purchaseInvoice.post', 'salesCreditMemo.post', 'journal.post']));
			expect(bound.filter((name) => name.startsWith('customer.'))).toEqual([]);
			expect(metadata).toMatch(/<EntityType Name="purchaseInvoice">[\s\S]*?<NavigationProperty Name="purchaseInvoiceLines" Type="Collection\(Microsoft\.NAV\.purchaseInvoiceLine\)" ContainsTarget="true"\/>/);
		});

		it('lines under their documents: amounts, the document\'s totals and ETag follow every line write; If-Match on lines', async () => {
			const invoice = await call('POST', `${companyPath}/salesInvoices`, { customerNumber: '10000', customerName: 'Adatum Corporation', invoiceDate: '2026-12-01', status: 'Draft' });
			const invoicePath = `${companyPath}/salesInvoices(${invoice.json.id})`;
			const desk = sandbox.businessCentral.records(company, 'items').find((item) => item.number === '1896-S')!;
			const line = await call('POST', `${invoicePath}/salesInvoiceLines`, { itemId: desk.id, quantity: 2 });
			expect(line.status).toBe(201);
			expect(line.json).toMatchObject({ documentId: invoice.json.id, sequence: 10000, lineType: 'Item', description: 'ATHENS Desk', unitPrice: 1000.8, amountIncludingTax: 2001.6 });
			const second = await call('POST', `${invoicePath}/salesInvoiceLines`, { lineType: 'Item', description: 'Assembly', quantity: 1, unitPrice: 50 });
			expect(second.json.sequence).toBe(20000);
			const afterTwo = (await call('GET', invoicePath)).json;
			expect(afterTwo.totalAmountIncludingTax).toBe(2051.6);
			expect(afterTwo['@odata.etag']).not.toBe(invoice.json['@odata.etag']);
			const linePath = `${invoicePath}/salesInvoiceLines(${line.json.id})`;
			expect((await call('PATCH', linePath, { quantity: 3 })).status).toBe(400);
			const patched = await call('PATCH', linePath, { quantity: 3 }, { 'if-match': line.json['@odata.etag'] });
			expect(patched.json.amountIncludingTax).toBe(3002.4);
			expect((await call('PATCH', linePath, { quantity: 4 }, { 'if-match': line.json['@odata.etag'] })).status).toBe(412);
			expect((await call('GET', invoicePath)).json.totalAmountIncludingTax).toBe(3052.4);
			expect((await call('DELETE', `${invoicePath}/salesInvoiceLines(${second.json.id})`, undefined, { 'if-match': '*' })).status).toBe(204);
			expect((await call('GET', invoicePath)).json.totalAmountIncludingTax).toBe(3002.4);
			const lines = await call('GET', `${invoicePath}/salesInvoiceLines`);
			expect(lines.json.value.map((entry: { id: string }) => entry.id)).toEqual([line.json.id]);
			const otherInvoice = sandbox.businessCentral.records(company, 'salesInvoices').find((record) => record.id !== invoice.json.id)!;
			expect((await call('GET', `${companyPath}/salesInvoices(${otherInvoice.id})/salesInvoiceLines(${line.json.id})`)).status).toBe(404);
			const purchaseLines = await call('GET', `${companyPath}/purchaseInvoices(${sandbox.businessCentral.records(company, 'purchaseInvoices')[0].id})/purchaseInvoiceLines`);
			expect(purchaseLines.json.value[0]).toMatchObject({ description: 'ATHENS Desk', quantity: 3, amountIncludingTax: 3002.4 });
		});

		it('Microsoft.NAV.post posts a draft invoice once (Draft → Open, a zero total → Paid); its lines are then read-only', async () => {
			const invoice = await call('POST', `${companyPath}/salesInvoices`, { customerNumber: '10000', invoiceDate: '2026-12-01' });
			expect(invoice.json.status).toBe('Draft');
			const invoicePath = `${companyPath}/salesInvoices(${invoice.json.id})`;
			const empty = await call('POST', `${invoicePath}/Microsoft.NAV.post`);
			expect(empty.status).toBe(400);
			expect(empty.json.error).toMatchObject({ code: 'Application_DialogException', message: expect.stringMatching(/^Please add at least one line item to the invoice\./) });
			const line = await call('POST', `${invoicePath}/salesInvoiceLines`, { lineType: 'Item', description: 'ATHENS Desk', quantity: 1, unitPrice: 1000.8 });
			const posted = await call('POST', `${invoicePath}/Microsoft.NAV.post`);
			expect(posted.status).toBe(204);
			expect(posted.text).toBe('');
			expect((await call('GET', invoicePath)).json.status).toBe('Open');
			const again = await call('POST', `${invoicePath}/Microsoft.NAV.post`);
			expect(again.status).toBe(400);
			expect(again.json.error.message).toMatch(/^The action can be applied to a draft invoice only\./);
			const locked = await call('PATCH', `${invoicePath}/salesInvoiceLines(${line.json.id})`, { quantity: 5 }, { 'if-match': '*' });
			expect(locked.status).toBe(400);
			expect((await call('GET', `${invoicePath}/Microsoft.NAV.post`)).status).toBe(405);

			const free = await call('POST', `${companyPath}/salesInvoices`, { customerNumber: '10000', status: 'Draft' });
			await call('POST', `${companyPath}/salesInvoices(${free.json.id})/salesInvoiceLines`, { description: 'Goodwill', quantity: 1, unitPrice: 0 });
			expect((await call('POST', `${companyPath}/salesInvoices(${free.json.id})/Microsoft.NAV.post`)).status).toBe(204);
			expect((await call('GET', `${companyPath}/salesInvoices(${free.json.id})`)).json.status).toBe('Paid');
		});

		it('more bound actions: cancel, shipAndInvoice, makeInvoice, purchase post; an action not bound to the set is refused', async () => {
			const invoice = await call('POST', `${companyPath}/salesInvoices`, { customerNumber: '20000', status: 'Draft' });
			const invoicePath = `${companyPath}/salesInvoices(${invoice.json.id})`;
			await call('POST', `${invoicePath}/salesInvoiceLines`, { description: 'Chair', quantity: 2, unitPrice: 10 });
			const draftCancel = await call('POST', `${invoicePath}/Microsoft.NAV.cancel`);
			expect(draftCancel.json.error.message).toMatch(/^The action can be applied to a posted invoice only\./);
			await call('POST', `${invoicePath}/Microsoft.NAV.post`);
			expect((await call('POST', `${invoicePath}/Microsoft.NAV.cancel`)).status).toBe(204);
			expect((await call('GET', invoicePath)).json.status).toBe('Canceled');
			expect((await call('POST', `${invoicePath}/Microsoft.NAV.cancel`)).json.error.message).toMatch(/already been canceled/);

			const order = sandbox.businessCentral.records(company, 'salesOrders')[0];
			expect((await call('POST', `${companyPath}/salesOrders(${String(order.id)})/Microsoft.NAV.shipAndInvoice`)).status).toBe(204);
			expect((await call('GET', `${companyPath}/salesOrders(${String(order.id)})`)).status).toBe(404);
			const fromOrder = sandbox.businessCentral.records(company, 'salesInvoices').find((record) => record.orderId === order.id)!;
			expect(fromOrder).toMatchObject({ status: 'Open', orderNumber: order.number, totalAmountIncludingTax: order.totalAmountIncludingTax });

			const quote = sandbox.businessCentral.records(company, 'salesQuotes')[0];
			expect((await call('POST', `${companyPath}/salesQuotes(${String(quote.id)})/Microsoft.NAV.makeInvoice`)).status).toBe(204);
			const fromQuote = sandbox.businessCentral.records(company, 'salesInvoices').find((record) => record.status === 'Draft' && record.customerNumber === quote.customerNumber && record.totalAmountIncludingTax === quote.totalAmountIncludingTax);
			expect(fromQuote).toBeDefined();
			expect(sandbox.businessCentral.records(company, 'salesInvoiceLines').filter((line) => line.documentId === fromQuote!.id)).toHaveLength(1);

			const purchase = sandbox.businessCentral.records(company, 'purchaseInvoices')[0];
			expect((await call('POST', `${companyPath}/purchaseInvoices(${String(purchase.id)})/Microsoft.NAV.post`)).status).toBe(204);
			expect(sandbox.businessCentral.records(company, 'purchaseInvoices')[0].status).toBe('Open');

			const customer = sandbox.businessCentral.records(company, 'customers')[0];
			const notBound = await call('POST', `${companyPath}/customers(${String(customer.id)})/Microsoft.NAV.post`);
			expect(notBound.status).toBe(400);
			expect(notBound.json.error.message).toMatch(/not bound to the entity set 'customers'/);
		});

		it('a custom API page: api/contoso/sales/v1.0/companies({id})/deals', async () => {
			const customRoot = sandbox.businessCentral.apiUrl('Production', 'contoso/sales/v1.0');
			const deals = await call('GET', `${customRoot}/${companyPath}/deals`);
			expect(deals.status).toBe(200);
			expect(deals.json.value[0]).toMatchObject({ name: 'Adatum renewal', stage: 'Proposal' });
			const created = await call('POST', `${customRoot}/${companyPath}/deals`, { name: 'Trey expansion', amount: 5000, stage: 'Lead' });
			expect(created.status).toBe(201);
			expect(sandbox.businessCentral.records(company, 'contoso/sales/v1.0/deals').map((deal) => deal.name)).toContain('Trey expansion');
			expect((await call('GET', `${customRoot}/${companyPath}/customers`)).status).toBe(404);
			expect((await call('GET', `${customRoot}/$metadata`)).text).toMatch(/<EntityType Name="deal">/);
		});
	});

	describe('query options and paging', () => {
		it('$filter, $select, $orderby, $top; paging by @odata.nextLink with Prefer: odata.maxpagesize', async () => {
			const filtered = await call('GET', `${companyPath}/customers?$filter=${encodeURIComponent("displayName eq 'Trey Research'")}&$select=number,displayName`);
			expect(filtered.json.value).toEqual([{ '@odata.etag': expect.any(String), number: '20000', displayName: 'Trey Research' }]);
			const ordered = await call('GET', `${companyPath}/items?$orderby=unitPrice desc&$top=1&$select=number`);
			expect(ordered.json.value.map((item: { number: string }) => item.number)).toEqual(['1896-S']);
			const other = sandbox.businessCentral.company('Production', 'My Company')!;
			sandbox.businessCentral.addCustomers(other, 23);
			const names: string[] = [];
			let url: string | undefined = `${root}/companies(${other.id})/customers?$filter=startswith(displayName,'Bulk')&$select=displayName`;
			let pages = 0;
			while (url) {
				const page = await call('GET', url, undefined, { prefer: 'odata.maxpagesize=10' });
				expect(page.status).toBe(200);
				names.push(...page.json.value.map((entry: { displayName: string }) => entry.displayName));
				url = page.json['@odata.nextLink'];
				pages++;
			}
			expect(pages).toBe(3);
			expect(new Set(names).size).toBe(23);
		});
	});

	describe('JSON $batch', () => {
		it('answers each request by id; dependsOn and atomicity groups; faults hit one request', async () => {
			sandbox.faults.add({ host: 'businessCentral', path: '/items$', status: 429, retryAfter: '4', times: 1 });
			const response = await call('POST', '$batch', {
				requests: [
					{ id: 'a', method: 'GET', url: `${companyPath}/items` },
					{ id: 'b', method: 'POST', url: `${companyPath}/vendors`, body: { displayName: 'Batch Vendor' } },
					{ id: 'c', method: 'GET', url: `${companyPath}/vendors?$filter=${encodeURIComponent("displayName eq 'Batch Vendor'")}`, dependsOn: ['b'] },
					{ id: 'd', method: 'POST', url: `${companyPath}/contacts`, body: { displayName: 'Group first' }, atomicityGroup: 'g1' },
					{ id: 'e', method: 'POST', url: `${companyPath}/contacts`, body: { nope: true }, atomicityGroup: 'g1' },
				],
			}, { accept: 'application/json' });
			expect(response.status).toBe(200);
			const byId = Object.fromEntries(response.json.responses.map((answer: { id: string; status: number }) => [answer.id, answer]));
			expect(Object.fromEntries(Object.entries(byId).map(([id, answer]) => [id, (answer as { status: number }).status]))).toEqual({ a: 429, b: 201, c: 200, d: 424, e: 400 });
			expect(byId.a.headers['retry-after']).toBe('4');
			expect(byId.c.body.value).toHaveLength(1);
			expect(sandbox.businessCentral.records(company, 'contacts').map((contact) => contact.displayName)).not.toContain('Group first');
			expect(sandbox.state.requests.filter((entry) => entry.viaBatch && entry.host === 'businessCentral' && entry.hasAuthorization)).toHaveLength(5);
		});

		it('refuses more than 100 requests and a body that is not JSON', async () => {
			const many = Array.from({ length: 101 }, (_, i) => ({ id: String(i), method: 'GET', url: 'companies' }));
			const tooMany = await call('POST', '$batch', { requests: many });
			expect(tooMany.status).toBe(400);
			expect(tooMany.json.error.message).toMatch(/maximum number of operations in a batch request is 100/);
			const multipart = await sandboxRequest(`${root}/$batch`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=x' }, body: '--x--', ca: sandbox.tls.ca });
			expect(multipart.status).toBe(400);
		});
	});

	it('throttling: 429 with Retry-After in BC\'s error body', async () => {
		sandbox.businessCentral.throttle(1, '5');
		const throttled = await call('GET', 'companies');
		expect(throttled.status).toBe(429);
		expect(throttled.headers['retry-after']).toBe('5');
		expect(throttled.json.error.code).toBe('Application_TooManyRequests');
		expect((await call('GET', 'companies')).status).toBe(200);
	});
});
