/**
 * The sandbox's Finance & Operations environment (test/sandbox/financeOperations*.js) over raw HTTPS: tokens from the
 * sandbox's Entra for the environment URL, `$metadata`, companies and cross-company, keys in URLs, CRUD, query options,
 * paging, multipart `$batch` with change sets, throttling and F&O's error body.
 */
import { SEED, startSandbox, type Sandbox } from '../sandbox';
import { form, sandboxRequest } from '../sandbox/httpClient';

const CONTOSO = SEED.tenants.contoso.id;
const APP = SEED.apps.singleTenant;

describe('sandbox: Finance & Operations environment', () => {
	let sandbox: Sandbox;
	let token: string;
	let data: string;

	const get = (path: string, headers: Record<string, string> = {}, bearer = token) =>
		sandboxRequest(`${data}/${path}`, { headers: { authorization: `Bearer ${bearer}`, ...headers }, ca: sandbox.tls.ca });
	const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
		sandboxRequest(`${data}/${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
			ca: sandbox.tls.ca,
		});

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
		data = `${sandbox.financeOperationsUrl}/data`;
		// A real client-credentials sign-in for the environment's scope.
		const response = await sandboxRequest(`${sandbox.loginUrl}/${CONTOSO}/oauth2/v2.0/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.secret, scope: `${sandbox.financeOperationsUrl}/.default` }),
			ca: sandbox.tls.ca,
		});
		expect(response.status).toBe(200);
		token = response.json.access_token;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	beforeEach(() => {
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
	});

	describe('tokens', () => {
		it('Entra issues tokens whose audience is the environment URL; a Graph token and an unregistered app get 401', async () => {
			const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
			expect(claims.aud).toBe(sandbox.financeOperationsUrl);
			expect((await get('LegalEntities')).status).toBe(200);
			const graphToken = sandbox.issueToken({ appId: APP.clientId });
			const refused = await get('LegalEntities', {}, graphToken);
			expect(refused.status).toBe(401);
			expect(refused.headers['www-authenticate']).toMatch(/^Bearer authorization_uri=/);
			const unregistered = sandbox.issueToken({ appId: SEED.apps.noConsent.clientId, audience: sandbox.financeOperationsUrl });
			expect((await get('LegalEntities', {}, unregistered)).status).toBe(401);
			expect((await sandboxRequest(`${data}/LegalEntities`, { ca: sandbox.tls.ca })).status).toBe(401);
		});

		it('a delegated token works for a user of the environment, with the user\'s default company', async () => {
			const bob = sandbox.issueToken({ userId: SEED.users.bob.id, scopes: ['user_impersonation'], audience: sandbox.financeOperationsUrl });
			const response = await get('CustomersV3?$select=CustomerAccount', {}, bob);
			expect(response.status).toBe(200);
			expect(response.json.value.map((row: { CustomerAccount: string }) => row.CustomerAccount)).toEqual(['DE-001', 'DE-002']);
			const carol = sandbox.issueToken({ tenant: SEED.tenants.fabrikam.id, userId: SEED.users.carol.id, scopes: ['user_impersonation'], audience: sandbox.financeOperationsUrl });
			expect((await get('CustomersV3', {}, carol)).status).toBe(401);
		});
	});

	describe('metadata and entity sets', () => {
		it('$metadata has keys with dataAreaId, enums with members and labels; the service document lists the sets', async () => {
			const metadata = await get('$metadata');
			expect(metadata.status).toBe(200);
			expect(metadata.headers['content-type']).toMatch(/^application\/xml/);
			expect(metadata.text).toMatch(/<EntityType Name="CustomerV3"><Key><PropertyRef Name="dataAreaId"\/><PropertyRef Name="CustomerAccount"\/><\/Key>/);
			expect(metadata.text).toMatch(/<EnumType Name="NoYes"><Member Name="No" Value="0"\/><Member Name="Yes" Value="1"\/><\/EnumType>/);
			expect(metadata.text).toMatch(/<Property Name="OnHoldStatus" Type="Microsoft\.Dynamics\.DataEntities\.CustVendorBlocked"><Annotation Term="Org\.OData\.Core\.V1\.Description" String="Customer on hold"\/>/);
			expect(metadata.text).toMatch(/<EntitySet Name="SalesOrderHeadersV2" EntityType="Microsoft\.Dynamics\.DataEntities\.SalesOrderHeaderV2"><NavigationPropertyBinding Path="SalesOrderLines"/);
			const service = await get('');
			expect(service.json.value.map((set: { name: string }) => set.name)).toEqual(expect.arrayContaining(['CustomersV3', 'VendorsV2', 'ReleasedProductsV2', 'SalesOrderHeadersV2', 'SalesOrderLines', 'LegalEntities']));
		});

		it('entity set names are case-sensitive: another spelling is a 404 in F&O\'s error body', async () => {
			const response = await get('customersv3');
			expect(response.status).toBe(404);
			expect(response.json).toEqual({ error: { code: '', message: `No HTTP resource was found that matches the request URI '${data}/customersv3'.` } });
		});
	});

	describe('companies', () => {
		it('without cross-company only the default company (usmf); with it every company', async () => {
			const own = await get('CustomersV3?$select=dataAreaId,CustomerAccount');
			expect(new Set(own.json.value.map((row: { dataAreaId: string }) => row.dataAreaId))).toEqual(new Set(['usmf']));
			const all = await get('CustomersV3?cross-company=true&$select=dataAreaId');
			expect(new Set(all.json.value.map((row: { dataAreaId: string }) => row.dataAreaId))).toEqual(new Set(['usmf', 'demf', 'gbsi']));
			const filtered = await get(`CustomersV3?cross-company=true&$filter=dataAreaId eq 'demf'&$select=CustomerAccount`);
			expect(filtered.json.value).toHaveLength(2);
		});

		it('a key of another company is found only with cross-company', async () => {
			const key = "CustomersV3(dataAreaId='demf',CustomerAccount='DE-001')";
			expect((await get(key)).status).toBe(404);
			const found = await get(`${key}?cross-company=true`);
			expect(found.status).toBe(200);
			expect(found.json).toMatchObject({ dataAreaId: 'demf', CustomerAccount: 'DE-001', OrganizationName: 'Contoso Europe' });
		});
	});

	describe('entities by key', () => {
		it('create → get → update (PATCH) → delete; the ETag changes on update and a stale one is refused', async () => {
			const created = await send('POST', 'CustomersV3', { CustomerAccount: 'US-900', OrganizationName: 'Sandbox Test Co', CustomerGroupId: '30', OnHoldStatus: 'No' });
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ dataAreaId: 'usmf', CustomerAccount: 'US-900', '@odata.etag': expect.stringMatching(/^W\/"/) });
			expect(created.headers.location).toBe(`${data}/CustomersV3(dataAreaId='usmf',CustomerAccount='US-900')`);
			const key = "CustomersV3(dataAreaId='usmf',CustomerAccount='US-900')";
			const etag = created.json['@odata.etag'];
			expect((await send('PATCH', key, { OrganizationName: 'Renamed Co' }, { 'if-match': etag })).status).toBe(204);
			const read = await get(`${key}?$select=OrganizationName`);
			expect(read.json).toMatchObject({ OrganizationName: 'Renamed Co' });
			expect(read.json['@odata.etag']).not.toBe(etag);
			const stale = await send('PATCH', key, { OrganizationName: 'Lost update' }, { 'if-match': etag });
			expect(stale.status).toBe(412);
			expect(stale.json.error.message).toBe('An error has occurred.');
			expect(stale.json.error.innererror.message).toMatch(/changed by another user/);
			expect((await send('DELETE', key)).status).toBe(204);
			expect((await get(key)).status).toBe(404);
		});

		it('keys: a missing key field is a 400, a quote in a value is doubled, a duplicate create is refused', async () => {
			const missing = await get("CustomersV3(CustomerAccount='US-001')");
			expect(missing.status).toBe(400);
			expect(missing.json.error.innererror.message).toMatch(/number of keys specified in the URI does not match/);
			sandbox.financeOperations.add('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: "US-'Q'", OrganizationName: 'Quote Co', OnHoldStatus: 'No', CreditLimitIsMandatory: 'No' });
			const quoted = await get(`CustomersV3(dataAreaId='usmf',CustomerAccount='${encodeURIComponent("US-''Q''")}')`);
			expect(quoted.status).toBe(200);
			expect(quoted.json.OrganizationName).toBe('Quote Co');
			const duplicate = await send('POST', 'CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: 'Again' });
			expect(duplicate.status).toBe(400);
			expect(duplicate.json.error.innererror.message).toMatch(/The record already exists/);
			const unknown = await send('POST', 'CustomersV3', { CustomerAccount: 'US-901', Nope: 1 });
			expect(unknown.status).toBe(400);
			const badEnum = await send('POST', 'CustomersV3', { CustomerAccount: 'US-902', OnHoldStatus: 'Maybe' });
			expect(badEnum.json.error.innererror.message).toMatch(/not a member of enum 'Microsoft\.Dynamics\.DataEntities\.CustVendorBlocked'/);
		});

		it('sales orders with their lines: $expand and the navigation path', async () => {
			const expanded = await get("SalesOrderHeadersV2(dataAreaId='usmf',SalesOrderNumber='000001')?$expand=SalesOrderLines");
			expect(expanded.json.SalesOrderLines.map((line: { ItemNumber: string }) => line.ItemNumber)).toEqual(['D0001', 'D0002']);
			const lines = await get("SalesOrderHeadersV2(dataAreaId='usmf',SalesOrderNumber='000001')/SalesOrderLines");
			expect(lines.json.value).toHaveLength(2);
		});
	});

	describe('query options and paging', () => {
		it('$filter (with enum literals), $select, $orderby, $top, $count', async () => {
			const held = await get("CustomersV3?$filter=OnHoldStatus eq Microsoft.Dynamics.DataEntities.CustVendorBlocked'All'&$select=CustomerAccount");
			expect(held.json.value.map((row: { CustomerAccount: string }) => row.CustomerAccount)).toEqual(['US-003']);
			const plain = await get("CustomersV3?$filter=OnHoldStatus eq 'All'");
			expect(plain.status).toBe(400);
			expect(plain.json.error.innererror.message).toMatch(/incompatible types/);
			const ordered = await get('CustomersV3?$orderby=CreditLimit desc&$top=2&$select=CustomerAccount,CreditLimit&$count=true');
			expect(ordered.json.value).toEqual([
				expect.objectContaining({ CustomerAccount: 'US-005', CreditLimit: 75000 }),
				expect.objectContaining({ CustomerAccount: 'US-001', CreditLimit: 50000 }),
			]);
			expect(Object.keys(ordered.json.value[0]).sort()).toEqual(['@odata.etag', 'CreditLimit', 'CustomerAccount']);
			expect(ordered.json['@odata.count']).toBeGreaterThanOrEqual(5);
			const escaped = await get(`CustomersV3?$filter=${encodeURIComponent("OrganizationName eq 'O''Neil Cycles'")}`);
			expect(escaped.json.value.map((row: { CustomerAccount: string }) => row.CustomerAccount)).toEqual(['US-004']);
			expect((await get('CustomersV3?$select=Nope')).status).toBe(400);
			const count = await get('CustomersV3/$count');
			expect(Number(count.text)).toBeGreaterThanOrEqual(5);
		});

		it('pages by @odata.nextLink ($skip), 10,000 a page or Prefer: odata.maxpagesize; cross-company stays in the link', async () => {
			sandbox.financeOperations.addCustomers(25, 'demf', 'PG');
			const seen: string[] = [];
			let url: string | undefined = `${data}/CustomersV3?cross-company=true&$filter=startswith(CustomerAccount,'PG-')&$select=CustomerAccount`;
			let pages = 0;
			while (url) {
				const response = await sandboxRequest(url, { headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=10' }, ca: sandbox.tls.ca });
				expect(response.status).toBe(200);
				expect(response.headers['preference-applied']).toBe('odata.maxpagesize=10');
				seen.push(...response.json.value.map((row: { CustomerAccount: string }) => row.CustomerAccount));
				url = response.json['@odata.nextLink'];
				if (url) expect(url).toMatch(/cross-company=true.*\$skip=\d+/);
				pages++;
			}
			expect(pages).toBe(3);
			expect(seen).toHaveLength(25);
			expect(new Set(seen).size).toBe(25);
			const whole = await get("CustomersV3?cross-company=true&$filter=startswith(CustomerAccount,'PG-')");
			expect(whole.json.value).toHaveLength(25);
			expect(whole.json['@odata.nextLink']).toBeUndefined();
		});
	});

	describe('$batch', () => {
		const multipart = (boundary: string, body: string) =>
			sandboxRequest(`${data}/$batch`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/mixed; boundary=${boundary}`, prefer: 'odata.continue-on-error' },
				body,
				ca: sandbox.tls.ca,
			});
		const part = (line: string, body?: unknown, contentId?: string) =>
			['Content-Type: application/http', 'Content-Transfer-Encoding: binary', ...(contentId ? [`Content-ID: ${contentId}`] : []), '', line, ...(body ? ['Content-Type: application/json'] : []), '', body ? JSON.stringify(body) : ''].join('\r\n');

		it('runs single parts and change sets; a failed change set is rolled back and answered once', async () => {
			const good = ['--cs1', part('POST CustomersV3 HTTP/1.1', { CustomerAccount: 'US-B01', OrganizationName: 'Batch One' }, '1'), '--cs1', part('POST VendorsV2 HTTP/1.1', { VendorAccountNumber: 'US-B02', VendorOrganizationName: 'Batch Vendor' }, '2'), '--cs1--'].join('\r\n');
			const bad = ['--cs2', part('POST CustomersV3 HTTP/1.1', { CustomerAccount: 'US-B03', OrganizationName: 'Rolled back' }, '3'), '--cs2', part('POST CustomersV3 HTTP/1.1', { CustomerAccount: 'US-001', OrganizationName: 'Duplicate' }, '4'), '--cs2--'].join('\r\n');
			const body = [
				'--b1', part("GET LegalEntities?$select=LegalEntityId HTTP/1.1"),
				'--b1', 'Content-Type: multipart/mixed; boundary=cs1', '', good,
				'--b1', 'Content-Type: multipart/mixed; boundary=cs2', '', bad,
				'--b1--', '',
			].join('\r\n');
			const response = await multipart('b1', body);
			expect(response.status).toBe(200);
			expect(response.headers['preference-applied']).toBe('odata.continue-on-error');
			expect([...response.text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1])).toEqual(['200', '201', '201', '400']);
			expect(response.text).toMatch(/Content-ID: 4\r\n\r\nHTTP\/1\.1 400/);
			expect(sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-B01' })).not.toBeNull();
			expect(sandbox.financeOperations.row('VendorsV2', { dataAreaId: 'usmf', VendorAccountNumber: 'US-B02' })).not.toBeNull();
			expect(sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'US-B03' })).toBeNull();
			expect(sandbox.state.requests.filter((entry) => entry.viaBatch && entry.host === 'financeOperations')).toHaveLength(5);
		});

		it('a throttled part answers 429 with Retry-After inside the batch; the others run', async () => {
			// A fault on the part's path only (the batch POST itself goes through).
			sandbox.faults.add({ host: 'financeOperations', path: '/data/VendorsV2$', status: 429, retryAfter: '3', times: 1 });
			const body = ['--b2', part('GET VendorsV2 HTTP/1.1'), '--b2', part('GET LegalEntities HTTP/1.1'), '--b2--', ''].join('\r\n');
			const response = await multipart('b2', body);
			expect([...response.text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1])).toEqual(['429', '200']);
			expect(response.text).toMatch(/retry-after: 3/);
			expect(response.text).toMatch(/throttled by service protection/);
		});
	});

	it('service protection: a direct request answers 429 with Retry-After in F&O\'s body', async () => {
		sandbox.financeOperations.throttle(1, '2');
		const throttled = await get('CustomersV3');
		expect(throttled.status).toBe(429);
		expect(throttled.headers['retry-after']).toBe('2');
		expect(throttled.json.error).toEqual({ code: '', message: expect.stringMatching(/throttled/) });
		expect((await get('CustomersV3')).status).toBe(200);
	});
});
