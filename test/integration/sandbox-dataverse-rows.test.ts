/**
 * The sandbox's Dataverse rows over raw HTTPS: create (204 + OData-EntityId / 201 with return=representation),
 * read with $select / $expand, update that never creates (If-Match: *), ETag concurrency, upsert and create-only,
 * alternate keys, delete, Dataverse's errors for unknown columns, wrong types, choices, read-only columns and
 * lookups to missing rows, formatted values, associate / disassociate through $ref, and lists ($filter, $orderby,
 * $top, $count, paging by odata.maxpagesize over more than 5,000 rows), request counts and 429s.
 */
import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});
afterEach(() => dv.sandbox.faults.reset());

const idFrom = (entityId: unknown) => /\(([0-9a-f-]{36})\)$/.exec(String(entityId))?.[1] ?? '';
const MISSING = '00000000-0000-4000-8000-00000000beef';

describe('sandbox Dataverse: create, read, update, upsert, delete', () => {
	it('create answers 204 with OData-EntityId, or 201 with the row when return=representation', async () => {
		const plain = await dv.post('accounts', { name: 'Northwind Traders', numberofemployees: 120, industrycode: 7, creditonhold: false, revenue: 1500000.5 });
		expect(plain.status).toBe(204);
		expect(plain.text).toBe('');
		const id = idFrom(plain.headers['odata-entityid']);
		expect(plain.headers['odata-entityid']).toBe(`${dv.base}/accounts(${id})`);
		expect(dv.sandbox.dataverse.row('account', id)).toMatchObject({ name: 'Northwind Traders', numberofemployees: 120, industrycode: 7, statecode: 0, statuscode: 1 });

		const represented = await dv.post('accounts?$select=name,accountnumber', { name: 'Represented', accountnumber: 'R-1' }, { prefer: 'return=representation' });
		expect(represented.status).toBe(201);
		expect(represented.headers['preference-applied']).toBe('return=representation');
		expect(represented.json).toEqual({
			'@odata.context': `${dv.base}/$metadata#accounts/$entity`, '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
			accountid: idFrom(represented.headers['odata-entityid']), name: 'Represented', accountnumber: 'R-1',
		});
	});

	it('get with $select and $expand of single- and collection-valued navigation properties', async () => {
		const contact = dv.sandbox.dataverse.addRow('contact', { firstname: 'Ana', lastname: "O'Brien" });
		const account = dv.sandbox.dataverse.addRow('account', { name: 'Expand Co', 'primarycontactid@odata.bind': `/contacts(${contact.contactid})` });
		dv.sandbox.dataverse.addRow('contact', { firstname: 'Ben', lastname: 'Child', 'parentcustomerid_account@odata.bind': `/accounts(${account.accountid})` });
		const response = await dv.get(`accounts(${account.accountid})?$select=name,_primarycontactid_value&$expand=primarycontactid($select=fullname),contact_customer_accounts($select=fullname)`);
		expect(response.status).toBe(200);
		expect(response.json).toMatchObject({
			name: 'Expand Co', _primarycontactid_value: contact.contactid,
			primarycontactid: { contactid: contact.contactid, fullname: "Ana O'Brien" },
			contact_customer_accounts: [{ fullname: 'Ben Child' }],
		});
		expect(response.json.telephone1).toBeUndefined();
		const etag = response.json['@odata.etag'];
		expect((await dv.get(`accounts(${account.accountid})`, { 'if-none-match': etag })).status).toBe(304);
		const missing = await dv.get(`accounts(${MISSING})`);
		expect(missing.status).toBe(404);
		expect(missing.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${MISSING} Does Not Exist` });
	});

	it('update with If-Match: * never creates; a stale ETag is 412; without If-Match it upserts; If-None-Match: * creates only', async () => {
		const notCreated = await dv.patch(`accounts(${MISSING})`, { name: 'Should not exist' }, { 'if-match': '*' });
		expect(notCreated.status).toBe(404);
		expect(notCreated.json.error.code).toBe('0x80040217');
		expect(dv.sandbox.dataverse.row('account', MISSING)).toBeNull();

		const row = dv.sandbox.dataverse.addRow('account', { name: 'Versioned' });
		const stale = String(row['@odata.etag']);
		const updated = await dv.patch(`accounts(${row.accountid})`, { telephone1: '555-0100' }, { 'if-match': stale, prefer: 'return=representation' });
		expect(updated.status).toBe(200);
		expect(updated.json.telephone1).toBe('555-0100');
		expect(updated.json['@odata.etag']).not.toBe(stale);
		const conflict = await dv.patch(`accounts(${row.accountid})`, { telephone1: '555-0199' }, { 'if-match': stale });
		expect(conflict.status).toBe(412);
		expect(conflict.json.error.code).toBe('0x80060882');
		expect(dv.sandbox.dataverse.row('account', String(row.accountid))?.telephone1).toBe('555-0100');
		const staleDelete = await dv.del(`accounts(${row.accountid})`, { 'if-match': stale });
		expect(staleDelete.status).toBe(412);

		const upsertId = '11111111-2222-4333-8444-555555555555';
		const upserted = await dv.patch(`accounts(${upsertId})`, { name: 'Upserted' });
		expect(upserted.status).toBe(204);
		expect(upserted.headers['odata-entityid']).toBe(`${dv.base}/accounts(${upsertId})`);
		expect(dv.sandbox.dataverse.row('account', upsertId)?.name).toBe('Upserted');
		const createOnly = await dv.patch(`accounts(${upsertId})`, { name: 'Again' }, { 'if-none-match': '*' });
		expect(createOnly.status).toBe(412);
		expect(createOnly.json.error.code).toBe('0x80040237');
		expect(dv.sandbox.dataverse.row('account', upsertId)?.name).toBe('Upserted');

		expect((await dv.del(`accounts(${upsertId})`)).status).toBe(204);
		expect(dv.sandbox.dataverse.row('account', upsertId)).toBeNull();
		expect((await dv.del(`accounts(${upsertId})`)).json.error.code).toBe('0x80040217');
	});

	it('alternate keys: read, update and upsert by accounts(accountnumber=\'…\'), duplicates refused', async () => {
		const created = await dv.patch("accounts(accountnumber='A-1')", { name: 'Keyed' });
		expect(created.status).toBe(204);
		const id = idFrom(created.headers['odata-entityid']);
		expect(dv.sandbox.dataverse.row('account', id)).toMatchObject({ name: 'Keyed', accountnumber: 'A-1' });
		const read = await dv.get("accounts(accountnumber='A-1')?$select=name");
		expect(read.json).toMatchObject({ accountid: id, name: 'Keyed' });
		const updated = await dv.patch("accounts(accountnumber='A-1')", { name: 'Keyed again' }, { 'if-match': '*' });
		expect(updated.status).toBe(204);
		expect(dv.sandbox.dataverse.row('account', id)?.name).toBe('Keyed again');
		const missing = await dv.patch("accounts(accountnumber='NOPE')", { name: 'x' }, { 'if-match': '*' });
		expect(missing.status).toBe(404);
		expect(missing.json.error.code).toBe('0x80040217');
		const duplicate = await dv.post('accounts', { name: 'Duplicate', accountnumber: 'a-1' });
		expect(duplicate.status).toBe(412);
		expect(duplicate.json.error.code).toBe('0x80040237');
		const quoted = await dv.patch(`accounts(accountnumber='${encodeURIComponent("O''Hare")}')`, { name: 'Quoted key' });
		expect(dv.sandbox.dataverse.row('account', idFrom(quoted.headers['odata-entityid']))?.accountnumber).toBe("O'Hare");
		const notAKey = await dv.get("accounts(name='Keyed')");
		expect(notAKey.status).toBe(400);
		const project = await dv.patch("cr0a1_projects(cr0a1_code='P-100')", { cr0a1_name: 'Custom keyed' });
		expect(project.status).toBe(204);
		expect((await dv.get("cr0a1_projects(cr0a1_code='P-100')?$select=cr0a1_name")).json.cr0a1_name).toBe('Custom keyed');
	});
});

describe('sandbox Dataverse: column checks', () => {
	it('unknown columns, wrong JSON types, lengths, ranges, choices, read-only columns and lookup values are refused', async () => {
		const before = dv.sandbox.dataverse.rows('account').size;
		const unknown = await dv.post('accounts', { name: 'X', nosuchcolumn: 1 });
		expect(unknown.status).toBe(400);
		expect(unknown.json.error).toEqual({ code: '0x80060888', message: "The property 'nosuchcolumn' does not exist on type 'Microsoft.Dynamics.CRM.account'. Make sure to only use property names that are defined by the type or mark the type as open type." });
		const wrongType = await dv.post('accounts', { name: 'X', numberofemployees: 'many' });
		expect(wrongType.status).toBe(400);
		expect(wrongType.json.error.code).toBe('0x80048d19');
		expect(wrongType.json.error.message).toContain("Cannot convert the literal 'many' to the expected type 'Edm.Int32'");
		expect(wrongType.json.error.message).toContain("'numberofemployees'");
		const decimal = await dv.post('accounts', { name: 'X', numberofemployees: 1.5 });
		expect(decimal.json.error.message).toContain("'numberofemployees'");
		const date = await dv.post('contacts', { lastname: 'X', birthdate: '2026-13-45' });
		expect(date.json.error.message).toContain("'birthdate'");
		const long = await dv.post('accounts', { name: 'x'.repeat(161) });
		expect(long.json.error).toEqual({ code: '0x80044331', message: "A validation error occurred. The length of the 'name' attribute of the 'account' entity exceeded the maximum allowed length of '160'." });
		const range = await dv.post('opportunities', { name: 'X', closeprobability: 101 });
		expect(range.json.error.code).toBe('0x80044331');
		expect(range.json.error.message).toContain("'closeprobability'");
		const choice = await dv.post('accounts', { name: 'X', industrycode: 999 });
		expect(choice.status).toBe(400);
		expect(choice.json.error.code).toBe('0x80044331');
		expect(choice.json.error.message).toContain("The value 999 of 'industrycode' on record of type 'account' is outside the valid range.");
		const readOnly = await dv.post('accounts', { name: 'X', createdon: '2020-01-01T00:00:00Z' });
		expect(readOnly.status).toBe(400);
		expect(readOnly.json.error.message).toContain("'createdon'");
		const direct = await dv.post('accounts', { name: 'X', _primarycontactid_value: MISSING });
		expect(direct.json.error.message).toBe('CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.');
		const file = await dv.post('cr0a1_projects', { cr0a1_name: 'X', cr0a1_code: 'F-1', cr0a1_document: 'abc' });
		expect(file.status).toBe(400);
		expect(dv.sandbox.dataverse.rows('account').size).toBe(before);
	});

	it('lookups through @odata.bind: the target must exist and be of the right table', async () => {
		const missing = await dv.post('contacts', { lastname: 'Orphan', 'parentcustomerid_account@odata.bind': `/accounts(${MISSING})` });
		expect(missing.status).toBe(404);
		expect(missing.json.error).toEqual({ code: '0x80040217', message: `Entity 'account' With Id = ${MISSING} Does Not Exist` });
		const account = dv.sandbox.dataverse.addRow('account', { name: 'Bind target', accountnumber: 'BIND-1' });
		const wrongTable = await dv.post('contacts', { lastname: 'X', 'parentcustomerid_account@odata.bind': `/contacts(${account.accountid})` });
		expect(wrongTable.status).toBe(404);
		const unknownNav = await dv.post('contacts', { lastname: 'X', 'nosuchnav@odata.bind': `/accounts(${account.accountid})` });
		expect(unknownNav.json.error.code).toBe('0x80048d19');
		const byKey = await dv.post('contacts', { lastname: 'By key', 'parentcustomerid_account@odata.bind': "/accounts(accountnumber='BIND-1')" }, { prefer: 'return=representation,odata.include-annotations="*"' });
		expect(byKey.status).toBe(201);
		expect(byKey.json).toMatchObject({
			_parentcustomerid_value: account.accountid,
			'_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': 'Bind target',
			'_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
			'_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'parentcustomerid_account',
		});
		const cleared = await dv.patch(`contacts(${byKey.json.contactid})`, { 'parentcustomerid_account@odata.bind': null }, { prefer: 'return=representation' });
		expect(cleared.json._parentcustomerid_value).toBeNull();
	});

	it('formatted values only when asked for with odata.include-annotations', async () => {
		const row = dv.sandbox.dataverse.addRow('account', { name: 'Formatted', industrycode: 1, revenue: 1234.5, creditonhold: true, numberofemployees: 2500 });
		const plain = await dv.get(`accounts(${row.accountid})?$select=industrycode`);
		expect(Object.keys(plain.json).some((key) => key.includes('FormattedValue'))).toBe(false);
		const annotated = await dv.get(`accounts(${row.accountid})?$select=industrycode,revenue,creditonhold,numberofemployees,statecode`, { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' });
		expect(annotated.json).toMatchObject({
			'industrycode@OData.Community.Display.V1.FormattedValue': 'Accounting',
			'revenue@OData.Community.Display.V1.FormattedValue': '$1,234.50',
			'creditonhold@OData.Community.Display.V1.FormattedValue': 'Yes',
			'numberofemployees@OData.Community.Display.V1.FormattedValue': '2,500',
			'statecode@OData.Community.Display.V1.FormattedValue': 'Active',
		});
	});
});

describe('sandbox Dataverse: associate and disassociate', () => {
	it('one-to-many through POST …/$ref and DELETE …/$ref?$id= or …(id)/$ref', async () => {
		const account = dv.sandbox.dataverse.addRow('account', { name: 'Parent' });
		const first = dv.sandbox.dataverse.addRow('contact', { lastname: 'First' });
		const second = dv.sandbox.dataverse.addRow('contact', { lastname: 'Second' });
		for (const contact of [first, second]) {
			const response = await dv.post(`accounts(${account.accountid})/contact_customer_accounts/$ref`, { '@odata.id': `${dv.base}/contacts(${contact.contactid})` });
			expect(response.status).toBe(204);
		}
		const listed = await dv.get(`accounts(${account.accountid})/contact_customer_accounts?$select=lastname`);
		expect(listed.json.value.map((item: any) => item.lastname).sort()).toEqual(['First', 'Second']);
		expect((await dv.del(`accounts(${account.accountid})/contact_customer_accounts/$ref?$id=${dv.base}/contacts(${first.contactid})`)).status).toBe(204);
		expect((await dv.del(`accounts(${account.accountid})/contact_customer_accounts(${second.contactid})/$ref`)).status).toBe(204);
		expect(dv.sandbox.dataverse.row('contact', String(first.contactid))?._parentcustomerid_value).toBeNull();
		expect(dv.sandbox.dataverse.row('contact', String(second.contactid))?._parentcustomerid_value).toBeNull();
		const missing = await dv.post(`accounts(${account.accountid})/contact_customer_accounts/$ref`, { '@odata.id': `contacts(${MISSING})` });
		expect(missing.status).toBe(404);
		const unknown = await dv.post(`accounts(${account.accountid})/nosuchnav/$ref`, { '@odata.id': `contacts(${first.contactid})` });
		expect(unknown.status).toBe(400);
	});

	it('single-valued through PUT …/$ref and DELETE …/$ref; many-to-many links', async () => {
		const account = dv.sandbox.dataverse.addRow('account', { name: 'Single' });
		const contact = dv.sandbox.dataverse.addRow('contact', { lastname: 'Primary' });
		const put = await dv.request('PUT', `accounts(${account.accountid})/primarycontactid/$ref`, { body: { '@odata.id': `contacts(${contact.contactid})` } });
		expect(put.status).toBe(204);
		expect(dv.sandbox.dataverse.row('account', String(account.accountid))?._primarycontactid_value).toBe(contact.contactid);
		expect((await dv.del(`accounts(${account.accountid})/primarycontactid/$ref`)).status).toBe(204);
		expect(dv.sandbox.dataverse.row('account', String(account.accountid))?._primarycontactid_value).toBeNull();

		const lead = dv.sandbox.dataverse.addRow('lead', { subject: 'Interested', lastname: 'Lead' });
		expect((await dv.post(`accounts(${account.accountid})/accountleads_association/$ref`, { '@odata.id': `leads(${lead.leadid})` })).status).toBe(204);
		expect(dv.sandbox.dataverse.links('accountleads_association')).toContainEqual([account.accountid, lead.leadid]);
		const fromLead = await dv.get(`leads(${lead.leadid})?$expand=accountleads_association($select=name)`);
		expect(fromLead.json.accountleads_association.map((item: any) => item.name)).toEqual(['Single']);
		expect((await dv.del(`leads(${lead.leadid})/accountleads_association(${account.accountid})/$ref`)).status).toBe(204);
		expect(dv.sandbox.dataverse.links('accountleads_association')).not.toContainEqual([account.accountid, lead.leadid]);
	});

	it('deleting a row clears lookups to it', async () => {
		const account = dv.sandbox.dataverse.addRow('account', { name: 'Going away' });
		const contact = dv.sandbox.dataverse.addRow('contact', { lastname: 'Stays', 'parentcustomerid_account@odata.bind': `/accounts(${account.accountid})` });
		await dv.del(`accounts(${account.accountid})`);
		expect(dv.sandbox.dataverse.row('contact', String(contact.contactid))?._parentcustomerid_value).toBeNull();
	});

	it('deep insert creates related rows in one request', async () => {
		const response = await dv.post('accounts', { name: 'Deep', primarycontactid: { firstname: 'Deep', lastname: 'Primary' }, opportunity_parent_account: [{ name: 'Deep deal' }] }, { prefer: 'return=representation' });
		expect(response.status).toBe(201);
		const contact = dv.sandbox.dataverse.row('contact', response.json._primarycontactid_value);
		expect(contact?.fullname).toBe('Deep Primary');
		const deals = [...dv.sandbox.dataverse.rows('opportunity').values()].filter((row) => row.parentaccountid === response.json.accountid);
		expect(deals.map((row) => row.name)).toEqual(['Deep deal']);
	});
});

describe('sandbox Dataverse: lists', () => {
	beforeAll(() => {
		dv.sandbox.dataverse.seed('lead', 12, { prefix: 'Filter lead', values: (n) => ({ subject: n % 2 ? "Bob's deal" : 'Plain deal', estimatedvalue: n * 1000, leadqualitycode: (n % 3) + 1, companyname: n === 5 ? null : `Company ${n}` }) });
	});

	const subjects = async (query: string) => (await dv.get(`leads?$select=subject,estimatedvalue,lastname&${query}`)).json.value as any[];

	it('$filter with comparisons, and/or/not, functions, null and quoted strings', async () => {
		expect((await subjects("$filter=estimatedvalue gt 10000 and startswith(lastname,'Filter lead')")).map((row) => row.estimatedvalue).sort((a, b) => a - b)).toEqual([11000, 12000]);
		expect(await subjects("$filter=subject eq 'Bob''s deal' and estimatedvalue le 3000")).toHaveLength(2);
		expect(await subjects("$filter=(estimatedvalue eq 1000 or estimatedvalue eq 2000) and contains(lastname,'lead 0000')")).toHaveLength(2);
		expect(await subjects("$filter=startswith(lastname,'Filter') and companyname eq null")).toHaveLength(1);
		expect(await subjects("$filter=startswith(lastname,'Filter') and not (estimatedvalue ge 2000)")).toHaveLength(1);
		expect(await subjects("$filter=endswith(lastname,'00012') and estimatedvalue ne 1")).toHaveLength(1);
		expect(await subjects("$filter=Microsoft.Dynamics.CRM.In(PropertyName='estimatedvalue',PropertyValues=['1000','4000'])")).toHaveLength(2);
		const malformed = await dv.get("leads?$filter=subject eq 'open");
		expect(malformed.status).toBe(400);
		expect(malformed.json.error.code).toBe('0x80060888');
		expect(malformed.json.error.message).toMatch(/^Syntax error at position \d+ in 'subject eq 'open'\.$/);
		const unknown = await dv.get('leads?$filter=nosuch eq 1');
		expect(unknown.json.error).toEqual({ code: '0x0', message: "Could not find a property named 'nosuch' on type 'Microsoft.Dynamics.CRM.lead'." });
		const incompatible = await dv.get("leads?$filter=estimatedvalue eq 'a lot'");
		expect(incompatible.json.error.message).toContain("incompatible types was detected. Found operand types 'Edm.Decimal' and 'Edm.String'");
		expect((await dv.get('leads?$skip=2')).json.error.code).toBe('0x0');
	});

	it('$orderby, $top and $count', async () => {
		const ordered = await subjects("$filter=startswith(lastname,'Filter')&$orderby=leadqualitycode desc,estimatedvalue asc&$top=4");
		expect(ordered.map((row) => row.estimatedvalue)).toEqual([2000, 5000, 8000, 11000]);
		const counted = await dv.get("leads?$select=subject&$filter=startswith(lastname,'Filter')&$count=true");
		expect(counted.json['@odata.count']).toBe(12);
		expect((await dv.get('accounts/$count')).text).toBe(String(dv.sandbox.dataverse.rows('account').size));
	});

	it('pages of odata.maxpagesize (at most 5,000) with @odata.nextLink skip tokens, over more than 5,000 rows', async () => {
		dv.sandbox.dataverse.seed('contact', 6000, { prefix: 'Paging contact' });
		const total = dv.sandbox.dataverse.rows('contact').size;
		dv.sandbox.state.requests.length = 0;
		const seen = new Set<string>();
		let url: string | undefined = 'contacts?$select=fullname&$orderby=fullname desc';
		const sizes: number[] = [];
		let previous: string | null = null;
		while (url) {
			const page: any = await dv.get(url, { prefer: 'odata.maxpagesize=10000' });
			expect(page.status).toBe(200);
			expect(page.headers['preference-applied']).toBe('odata.maxpagesize=5000');
			sizes.push(page.json.value.length);
			for (const row of page.json.value) {
				if (previous !== null) expect(row.fullname.toLowerCase() <= previous).toBe(true);
				previous = row.fullname.toLowerCase();
				seen.add(row.contactid);
			}
			url = page.json['@odata.nextLink'];
			if (url) expect(url).toMatch(/\$skiptoken=%3Ccookie%20pagenumber%3D%22\d+%22%20pagingcookie%3D%22/);
		}
		expect(sizes).toEqual([5000, total - 5000]);
		expect(seen.size).toBe(total);
		expect(dv.sandbox.dataverse.requestCounts()).toMatchObject({ total: 2, byMethod: { GET: 2 }, byRoute: { 'GET /api/data/v9.2/contacts': 2 } });
		const small = await dv.get("contacts?$select=fullname&$filter=startswith(fullname,'Yvonne')", { prefer: 'odata.maxpagesize=1' });
		expect(small.json['@odata.nextLink']).toBeUndefined();
	});

	it('service protection: an injected 429 answers with Retry-After and Dataverse\'s code', async () => {
		dv.sandbox.faults.add({ host: 'dataverse', path: '^/api/data/v9\\.2/leads$', status: 429, retryAfter: '12', times: 1 });
		const throttled = await dv.get('leads?$top=1');
		expect(throttled.status).toBe(429);
		expect(throttled.headers['retry-after']).toBe('12');
		expect(throttled.json.error).toEqual({ code: '0x80072322', message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.' });
		expect((await dv.get('leads?$top=1')).status).toBe(200);
	});
});
