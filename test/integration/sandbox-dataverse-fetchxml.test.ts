/**
 * The sandbox's Dataverse FetchXML over raw HTTPS: attributes, filters and orders, the paging cookie followed over
 * more than 5,000 rows (`@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`, `morerecords`), page numbers without a
 * cookie, formatted values, and Dataverse's errors for invalid FetchXML.
 */
import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
	dv.sandbox.dataverse.seed('opportunity', 5200, { prefix: 'Fetch deal', values: (n) => ({ estimatedvalue: n, closeprobability: n % 101 }) });
});
afterAll(async () => {
	await dv?.stop();
});

const fetchXml = (xml: string, headers: Record<string, string> = {}) => dv.get(`opportunities?fetchXml=${encodeURIComponent(xml)}`, headers);

/** The inner paging cookie, as a client puts it back into paging-cookie (decoded twice, XML-escaped). */
function nextCookie(annotation: string): string {
	const encoded = /pagingcookie="([^"]*)"/.exec(annotation)?.[1] ?? '';
	return decodeURIComponent(decodeURIComponent(encoded)).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

describe('sandbox Dataverse: FetchXML', () => {
	it('attributes, filter conditions and order', async () => {
		const response = await fetchXml(`<fetch top="3"><entity name="opportunity"><attribute name="name"/><attribute name="estimatedvalue"/><attribute name="parentaccountid"/>
			<filter type="and"><condition attribute="name" operator="like" value="Fetch deal%"/><filter type="or"><condition attribute="estimatedvalue" operator="lt" value="4"/><condition attribute="estimatedvalue" operator="in"><value>100</value><value>200</value></condition></filter></filter>
			<order attribute="estimatedvalue" descending="true"/></entity></fetch>`);
		expect(response.status).toBe(200);
		expect(response.json.value.map((row: any) => row.estimatedvalue)).toEqual([200, 100, 3]);
		expect(Object.keys(response.json.value[0]).sort()).toEqual(['@odata.etag', '_parentaccountid_value', 'estimatedvalue', 'name', 'opportunityid']);
		expect(response.json['@Microsoft.Dynamics.CRM.morerecords']).toBe(false);
		expect(response.json['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie']).toBeUndefined();
	});

	it('follows the paging cookie over more than 5,000 rows (default page 5,000)', async () => {
		const total = [...dv.sandbox.dataverse.rows('opportunity').values()].filter((row) => String(row.name).startsWith('Fetch deal')).length;
		const filter = '<filter><condition attribute="name" operator="begins-with" value="Fetch deal"/></filter>';
		let page = 1;
		let cookie = '';
		const seen: number[] = [];
		for (;;) {
			const xml = `<fetch page="${page}"${cookie ? ` paging-cookie="${cookie}"` : ''}><entity name="opportunity"><attribute name="estimatedvalue"/>${filter}<order attribute="estimatedvalue"/></entity></fetch>`;
			const response = await fetchXml(xml);
			expect(response.status).toBe(200);
			seen.push(...response.json.value.map((row: any) => row.estimatedvalue));
			if (!response.json['@Microsoft.Dynamics.CRM.morerecords']) break;
			const annotation = response.json['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'];
			expect(annotation).toMatch(new RegExp(`^<cookie pagenumber="${page + 1}" pagingcookie="%253ccookie%2520page%253d%2522${page}%2522%253e%253cestimatedvalue%2520last%253d%25225000%2522`));
			cookie = nextCookie(annotation);
			page += 1;
		}
		expect(page).toBe(2);
		expect(seen).toHaveLength(total);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(new Set(seen).size).toBe(total);
	});

	it('count and page without a cookie, and a cookie surviving a deleted row', async () => {
		const base = '<entity name="opportunity"><attribute name="estimatedvalue"/><filter><condition attribute="estimatedvalue" operator="le" value="10"/><condition attribute="name" operator="like" value="Fetch%"/></filter><order attribute="estimatedvalue"/></entity>';
		const second = await fetchXml(`<fetch count="4" page="2">${base}</fetch>`);
		expect(second.json.value.map((row: any) => row.estimatedvalue)).toEqual([5, 6, 7, 8]);
		expect(second.json['@Microsoft.Dynamics.CRM.morerecords']).toBe(true);
		const first = await fetchXml(`<fetch count="4" page="1" returntotalrecordcount="true">${base}</fetch>`);
		expect(first.json['@Microsoft.Dynamics.CRM.totalrecordcount']).toBe(10);
		const last = first.json.value[3];
		dv.sandbox.dataverse.deleteRow('opportunity', last.opportunityid);
		const after = await fetchXml(`<fetch count="4" page="2" paging-cookie="${nextCookie(first.json['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'])}">${base}</fetch>`);
		expect(after.json.value.map((row: any) => row.estimatedvalue)).toEqual([5, 6, 7, 8]);
	});

	it('formatted values with odata.include-annotations', async () => {
		const response = await fetchXml('<fetch top="1"><entity name="opportunity"><attribute name="estimatedvalue"/><attribute name="statecode"/><filter><condition attribute="estimatedvalue" operator="eq" value="1500"/></filter></entity></fetch>', { prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' });
		expect(response.json.value[0]).toMatchObject({ 'estimatedvalue@OData.Community.Display.V1.FormattedValue': '$1,500.00', 'statecode@OData.Community.Display.V1.FormattedValue': 'Open' });
	});

	it('invalid FetchXML gets Dataverse\'s errors', async () => {
		const malformed = await fetchXml('<fetch><entity name="opportunity"><attribute name="name"></entity></fetch>');
		expect(malformed.status).toBe(400);
		expect(malformed.json.error.code).toBe('0x80040203');
		const unknownAttribute = await fetchXml('<fetch><entity name="opportunity"><attribute name="nosuch"/></entity></fetch>');
		expect(unknownAttribute.json.error).toEqual({ code: '0x80041103', message: "'opportunity' entity doesn't contain attribute with Name = 'nosuch' and NameMapping = 'Logical'." });
		const otherEntity = await fetchXml('<fetch><entity name="account"><attribute name="name"/></entity></fetch>');
		expect(otherEntity.status).toBe(400);
		const badOperator = await fetchXml('<fetch><entity name="opportunity"><filter><condition attribute="name" operator="sounds-like" value="x"/></filter></entity></fetch>');
		expect(badOperator.json.error.code).toBe('0x80040203');
		const tooLarge = await fetchXml('<fetch count="5001"><entity name="opportunity"/></fetch>');
		expect(tooLarge.json.error.code).toBe('0x80040203');
		const badNumber = await fetchXml('<fetch><entity name="opportunity"><filter><condition attribute="estimatedvalue" operator="gt" value="lots"/></filter></entity></fetch>');
		expect(badNumber.status).toBe(400);
	});
});
