/**
 * The sandbox's Dataverse file and image columns over raw HTTPS: single-request upload with x-ms-file-name,
 * chunked upload (x-ms-transfer-mode: chunked, Location with sessiontoken, Content-Range chunks → 206 then 204),
 * download of $value (whole and by Range; images as thumbnail or ?size=full), delete, and the limits.
 */
import * as crypto from 'node:crypto';

import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
let projectId: string;
beforeAll(async () => {
	dv = await startDataverse();
	projectId = String(dv.sandbox.dataverse.addRow('cr0a1_project', { cr0a1_name: 'Files', cr0a1_code: 'FILES-1' }).cr0a1_projectid);
});
afterAll(async () => {
	await dv?.stop();
});

const upload = (column: string, bytes: Buffer, headers: Record<string, string> = {}, path = `cr0a1_projects(${projectId})/${column}`) =>
	dv.request('PATCH', path, { raw: bytes, headers: { 'content-type': 'application/octet-stream', ...headers } });

describe('sandbox Dataverse: file and image columns', () => {
	it('uploads in one request, downloads $value (also by Range) and deletes', async () => {
		const bytes = crypto.randomBytes(300_000);
		const put = await upload('cr0a1_document', bytes, { 'x-ms-file-name': 'plan.pdf', 'content-type': 'application/pdf' });
		expect(put.status).toBe(204);
		const row = await dv.get(`cr0a1_projects(${projectId})?$select=cr0a1_document,cr0a1_document_name`);
		expect(row.json.cr0a1_document).toMatch(/^[0-9a-f-]{36}$/);
		expect(row.json.cr0a1_document_name).toBe('plan.pdf');
		const download = await dv.request('GET', `cr0a1_projects(${projectId})/cr0a1_document/$value`);
		expect(download.status).toBe(200);
		expect(download.headers['x-ms-file-name']).toBe('plan.pdf');
		expect(download.headers['x-ms-file-size']).toBe('300000');
		expect(Buffer.from(download.text, 'latin1').length).toBeGreaterThan(0);
		expect(dv.sandbox.dataverse.file('cr0a1_project', projectId, 'cr0a1_document')?.bytes.equals(bytes)).toBe(true);
		const part = await dv.request('GET', `cr0a1_projects(${projectId})/cr0a1_document/$value`, { headers: { range: 'bytes=0-9' } });
		expect(part.status).toBe(206);
		expect(part.headers['content-range']).toBe('bytes 0-9/300000');

		expect((await dv.del(`cr0a1_projects(${projectId})/cr0a1_document`)).status).toBe(204);
		expect(dv.sandbox.dataverse.file('cr0a1_project', projectId, 'cr0a1_document')).toBeNull();
		const gone = await dv.request('GET', `cr0a1_projects(${projectId})/cr0a1_document/$value`);
		expect(gone.status).toBe(404);
		const noName = await upload('cr0a1_document', bytes);
		expect(noName.status).toBe(400);
	});

	it('chunked upload: a session Location, 206 per chunk, 204 after the last', async () => {
		const bytes = crypto.randomBytes(9 * 1024 * 1024 + 123);
		const start = await dv.request('PATCH', `cr0a1_projects(${projectId})/cr0a1_document`, { headers: { 'x-ms-transfer-mode': 'chunked', 'x-ms-file-name': 'big.bin' } });
		expect(start.status).toBe(200);
		const chunkSize = Number(start.headers['x-ms-chunk-size']);
		expect(chunkSize).toBe(4 * 1024 * 1024);
		const location = String(start.headers.location);
		expect(location).toMatch(new RegExp(`^${dv.base.replace(/[.]/g, '\\.')}/cr0a1_projects\\(${projectId}\\)/cr0a1_document\\?sessiontoken=`));
		const statuses: number[] = [];
		for (let offset = 0; offset < bytes.length; offset += chunkSize) {
			const chunk = bytes.subarray(offset, Math.min(offset + chunkSize, bytes.length));
			const response = await dv.request('PATCH', location, { raw: chunk, headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${offset + chunk.length - 1}/${bytes.length}` } });
			statuses.push(response.status);
		}
		expect(statuses).toEqual([206, 206, 204]);
		const stored = dv.sandbox.dataverse.file('cr0a1_project', projectId, 'cr0a1_document');
		expect(stored?.name).toBe('big.bin');
		expect(stored?.bytes.equals(bytes)).toBe(true);
		const reused = await dv.request('PATCH', location, { raw: bytes.subarray(0, 10), headers: { 'content-range': `bytes 0-9/${bytes.length}` } });
		expect(reused.status).toBe(400);
	});

	it('refuses files over the column\'s MaxSizeInKB and chunks without Content-Range', async () => {
		const tooBig = await upload('cr0a1_document', Buffer.alloc(32768 * 1024 + 1), { 'x-ms-file-name': 'huge.bin' });
		expect(tooBig.status).toBe(400);
		expect(tooBig.json.error.message).toContain('MaxSizeInKB');
		const start = await dv.request('PATCH', `cr0a1_projects(${projectId})/cr0a1_document`, { headers: { 'x-ms-transfer-mode': 'chunked', 'x-ms-file-name': 'x.bin' } });
		const noRange = await dv.request('PATCH', String(start.headers.location), { raw: Buffer.alloc(10) });
		expect(noRange.status).toBe(400);
	});

	it('image columns: upload bytes or base64 JSON, thumbnail in the row, full image with ?size=full', async () => {
		const image = crypto.randomBytes(2048);
		expect((await upload('cr0a1_image', image, { 'x-ms-file-name': 'logo.png' })).status).toBe(204);
		const row = await dv.get(`cr0a1_projects(${projectId})?$select=cr0a1_image,cr0a1_imageid,cr0a1_image_url`);
		expect(row.json.cr0a1_image).toBe(image.toString('base64'));
		expect(row.json.cr0a1_imageid).toMatch(/^[0-9a-f-]{36}$/);
		expect(row.json.cr0a1_image_url).toContain(`Id=${row.json.cr0a1_imageid}`);
		const full = await dv.request('GET', `cr0a1_projects(${projectId})/cr0a1_image/$value?size=full`);
		expect(full.status).toBe(200);
		expect(full.headers['x-ms-file-size']).toBe('2048');
		const viaJson = await dv.patch(`cr0a1_projects(${projectId})`, { cr0a1_image: Buffer.from('tiny').toString('base64') }, { prefer: 'return=representation' });
		expect(viaJson.json.cr0a1_image).toBe(Buffer.from('tiny').toString('base64'));
		expect(viaJson.json.cr0a1_imageid).not.toBe(row.json.cr0a1_imageid);
		const notBase64 = await dv.patch(`cr0a1_projects(${projectId})`, { cr0a1_image: '*** not base64 ***' });
		expect(notBase64.status).toBe(400);
	});
});
