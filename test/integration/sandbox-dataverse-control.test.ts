/**
 * The sandbox's Dataverse control routes over HTTP (for tests that drive n8n in another process): seeding many rows,
 * reading, changing and deleting rows, switching change tracking, expiring delta tokens, and request counts.
 */
import { sandboxRequest } from '../sandbox/httpClient';
import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});

const control = async (method: string, path: string, body?: unknown) =>
	await sandboxRequest(`${dv.sandbox.graphUrl}/_sandbox/dataverse${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		ca: dv.sandbox.tls.ca,
	});

describe('sandbox Dataverse: /_sandbox/dataverse control routes', () => {
	it('seeds, reads, changes and deletes rows; unknown tables are refused', async () => {
		const seeded = await control('POST', '/tables/account/seed', { count: 5001, prefix: 'HTTP seeded' });
		expect(seeded.status).toBe(201);
		expect(seeded.json.ids).toHaveLength(5001);
		expect([...dv.sandbox.dataverse.rows('account').values()].filter((row) => String(row.name).startsWith('HTTP seeded'))).toHaveLength(5001);
		const custom = await control('POST', '/tables/cr0a1_projects/seed', { count: 3, values: { cr0a1_stage: 100000001 } });
		expect(custom.json.ids).toHaveLength(3);
		expect(dv.sandbox.dataverse.row('cr0a1_project', custom.json.ids[0])).toMatchObject({ cr0a1_stage: 100000001, cr0a1_code: expect.any(String) });

		const added = await control('POST', '/tables/contact/rows', { firstname: 'Http', lastname: 'Added' });
		expect(added.status).toBe(201);
		expect(added.json.fullname).toBe('Http Added');
		const changed = await control('PATCH', `/tables/contact/rows/${added.json.contactid}`, { jobtitle: 'Buyer' });
		expect(changed.json.jobtitle).toBe('Buyer');
		expect((await control('GET', `/tables/contact/rows/${added.json.contactid}`)).json.jobtitle).toBe('Buyer');
		const refused = await control('PATCH', `/tables/contact/rows/${added.json.contactid}`, { nosuch: 1 });
		expect(refused.status).toBe(400);
		expect((await control('DELETE', `/tables/contact/rows/${added.json.contactid}`)).status).toBe(204);
		expect((await control('GET', `/tables/contact/rows/${added.json.contactid}`)).status).toBe(404);
		const list = await control('GET', '/tables/leads/rows');
		expect(list.json.count).toBe(dv.sandbox.dataverse.rows('lead').size);
		expect((await control('POST', '/tables/nosuch/seed', { count: 1 })).status).toBe(400);
		expect((await control('POST', '/tables/account/seed', { count: -1 })).status).toBe(400);
	});

	it('switches change tracking and expires delta tokens', async () => {
		expect((await control('PUT', '/tables/cr0a1_timeentry/change-tracking', { enabled: true })).status).toBe(204);
		const initial = await dv.get('cr0a1_timeentries?$select=cr0a1_name', { prefer: 'odata.track-changes' });
		expect(initial.status).toBe(200);
		expect((await control('POST', '/expire-delta-tokens', {})).status).toBe(204);
		const expired = await dv.get(initial.json['@odata.deltaLink'], { prefer: 'odata.track-changes' });
		expect(expired.json.error.code).toBe('0x80044352');
		await control('PUT', '/tables/cr0a1_timeentry/change-tracking', { enabled: false });
		expect((await dv.get('cr0a1_timeentries?$select=cr0a1_name', { prefer: 'odata.track-changes' })).status).toBe(400);
	});

	it('counts the requests that reached the Dataverse host, a $batch once', async () => {
		dv.sandbox.state.requests.length = 0;
		await dv.get('WhoAmI');
		await dv.get('accounts?$top=1');
		await dv.request('POST', '$batch', {
			raw: '--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET WhoAmI HTTP/1.1\r\n\r\n\r\n--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET WhoAmI HTTP/1.1\r\n\r\n\r\n--b--\r\n',
			headers: { 'content-type': 'multipart/mixed; boundary=b' },
		});
		const counts = await control('GET', '/requests');
		expect(counts.json).toEqual({
			total: 3, inBatches: 2, byMethod: { GET: 2, POST: 1 },
			byRoute: { 'GET /api/data/v9.2/WhoAmI': 1, 'GET /api/data/v9.2/accounts': 1, 'POST /api/data/v9.2/$batch': 1 },
		});
		expect(dv.sandbox.dataverse.requests({ method: 'get', path: /accounts$/ })).toHaveLength(1);
	});
});
