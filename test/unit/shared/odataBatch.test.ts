/**
 * The OData multipart `$batch` module (shared/odataBatch.ts): the multipart body it builds, the parser for the
 * service's multipart answer (Dataverse's documented shape, change sets, LF-only line ends), the mapping of answers to
 * requests (Content-ID or order), and the round trip with per-sub-request retry through a scripted context.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { BatchRequest } from '../../../nodes/Microsoft/shared/batch';
import {
	boundaryOf,
	buildMultipartBatch,
	mapBatchAnswers,
	odataBatch,
	parseMultipartBatch,
} from '../../../nodes/Microsoft/shared/odataBatch';
import { fakeContext, testConnection } from '../shared-fakeContext';

const ENV = 'https://org.crm.dynamics.test';
const API = `${ENV}/api/data/v9.2`;

/** A multipart answer in Dataverse's documented form (no Content-ID outside change sets). */
function answer(boundary: string, parts: Array<{ status: string; headers?: string[]; body?: string; contentId?: string }>, eol = '\r\n'): string {
	const lines: string[] = [];
	for (const part of parts) {
		lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary');
		if (part.contentId) lines.push(`Content-ID: ${part.contentId}`);
		lines.push('', `HTTP/1.1 ${part.status}`, ...(part.headers ?? []), '', part.body ?? '');
	}
	lines.push(`--${boundary}--`, '');
	return lines.join(eol);
}

describe('buildMultipartBatch', () => {
	it('writes one application/http part per request with its Content-ID, headers and body', () => {
		const { body, contentType } = buildMultipartBatch(
			[
				{ id: '0', method: 'GET', url: `${API}/WhoAmI` },
				{ id: '1', method: 'POST', url: `${API}/accounts`, headers: { Prefer: 'return=representation' }, body: { name: 'Fourth Coffee' } },
				{ id: '2', method: 'PATCH', url: `${API}/notes(1)`, body: 'plain text' },
			],
			'batch_test',
		);
		expect(contentType).toBe('multipart/mixed; boundary=batch_test');
		expect(body).toBe(
			[
				'--batch_test',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'Content-ID: 0',
				'',
				`GET ${API}/WhoAmI HTTP/1.1`,
				'',
				'',
				'--batch_test',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'Content-ID: 1',
				'',
				`POST ${API}/accounts HTTP/1.1`,
				'Prefer: return=representation',
				'Content-Type: application/json',
				'',
				'{"name":"Fourth Coffee"}',
				'--batch_test',
				'Content-Type: application/http',
				'Content-Transfer-Encoding: binary',
				'Content-ID: 2',
				'',
				`PATCH ${API}/notes(1) HTTP/1.1`,
				'Content-Type: text/plain; charset=utf-8',
				'',
				'plain text',
				'--batch_test--',
				'',
			].join('\r\n'),
		);
	});

	it('refuses what could smuggle a request into the batch: line breaks in headers or URLs, spaces, the boundary in a body', () => {
		const build = (request: Partial<BatchRequest>) => () => buildMultipartBatch([{ id: '0', method: 'GET', url: `${API}/accounts`, ...request }], 'batch_x');
		expect(build({ headers: { 'X-Test': 'a\r\nGET /evil HTTP/1.1' } })).toThrow(/"Header X-Test" contains a line break/);
		expect(build({ url: `${API}/accounts HTTP/1.1\r\n\r\nDELETE ${API}/accounts(1)` })).toThrow(/"URL" contains spaces or control characters/);
		expect(build({ url: `${API}/my accounts` })).toThrow(/"URL"/);
		expect(build({ method: 'GET /x' as never })).toThrow(/"Method"/);
		expect(build({ method: 'POST', body: 'text\r\n--batch_x\r\nContent-Type: application/http' })).toThrow(/boundary/);
	});

	it('uses a fresh random boundary by default', () => {
		const one = buildMultipartBatch([{ id: '0', method: 'GET', url: `${API}/WhoAmI` }]).contentType;
		const two = buildMultipartBatch([{ id: '0', method: 'GET', url: `${API}/WhoAmI` }]).contentType;
		expect(one).toMatch(/^multipart\/mixed; boundary=batch_[0-9a-f-]{36}$/);
		expect(one).not.toBe(two);
	});
});

describe('parseMultipartBatch', () => {
	it('reads boundary, status, headers and JSON or text bodies of each part, ignoring preamble and epilogue', () => {
		const text =
			'preamble\r\n' +
			answer('batchresponse_1', [
				{ status: '200 OK', headers: ['Content-Type: application/json; odata.metadata=minimal', 'OData-Version: 4.0'], body: '{"UserId":"u1"}' },
				{ status: '204 No Content', headers: ['OData-EntityId: https://x/accounts(1)'] },
				{ status: '404 Not Found', headers: ['Content-Type: application/json'], body: '{"error":{"code":"0x80040217","message":"missing"}}' },
				{ status: '200 OK', headers: ['Content-Type: text/plain'], body: 'line one\r\nline two' },
			]) +
			'epilogue';
		const parts = parseMultipartBatch(Buffer.from(text), 'multipart/mixed; boundary=batchresponse_1');
		expect(parts).toEqual([
			{ status: 200, headers: { 'content-type': 'application/json; odata.metadata=minimal', 'odata-version': '4.0' }, body: { UserId: 'u1' } },
			{ status: 204, headers: { 'odata-entityid': 'https://x/accounts(1)' }, body: undefined },
			{ status: 404, headers: { 'content-type': 'application/json' }, body: { error: { code: '0x80040217', message: 'missing' } } },
			{ status: 200, headers: { 'content-type': 'text/plain' }, body: 'line one\r\nline two' },
		]);
	});

	it('reads quoted boundaries, LF-only line ends, Content-IDs and the parts of a change set', () => {
		const changeSet = answer('changesetresponse_9', [
			{ status: '204 No Content', contentId: '1' },
			{ status: '201 Created', contentId: '2', headers: ['Content-Type: application/json'], body: '{"id":2}' },
		]);
		const text =
			'--outer\r\nContent-Type: multipart/mixed; boundary=changesetresponse_9\r\n\r\n' +
			changeSet +
			answer('outer', [{ status: '200 OK', body: '{"a":1}' }]).replace(/^--outer\r\n/, '--outer\r\n');
		const parts = parseMultipartBatch(text, 'multipart/mixed; boundary="outer"');
		expect(parts.map((part) => [part.contentId, part.status, part.body])).toEqual([
			['1', 204, undefined],
			['2', 201, { id: 2 }],
			[undefined, 200, { a: 1 }],
		]);
		const lf = answer('b', [{ status: '429 Too Many Requests', headers: ['Retry-After: 2'] }], '\n');
		expect(parseMultipartBatch(lf, 'multipart/mixed;boundary=b')).toEqual([{ status: 429, headers: { 'retry-after': '2' }, body: undefined }]);
	});

	it('returns nothing for a body that is not multipart', () => {
		expect(boundaryOf('application/json')).toBeUndefined();
		expect(parseMultipartBatch('{"error":{}}', 'application/json')).toEqual([]);
	});
});

describe('mapBatchAnswers', () => {
	const requests: BatchRequest[] = ['a', 'b', 'c'].map((id) => ({ id, method: 'GET', url: `${API}/${id}` }));

	it('maps by Content-ID where given, the rest in order; unanswered requests get status 0', () => {
		const results = mapBatchAnswers(requests, [
			{ contentId: 'c', status: 201, headers: {}, body: 'C' },
			{ status: 200, headers: {}, body: 'A' },
		]);
		expect(results.map((result) => [result.id, result.status, result.body])).toEqual([
			['a', 200, 'A'],
			['b', 0, { error: { code: 'noResponse', message: expect.stringContaining('no answer') } }],
			['c', 201, 'C'],
		]);
	});
});

describe('odataBatch', () => {
	const conn = testConnection({
		credentialType: 'microsoft365ClientCredentialsApi',
		resource: 'dataverse',
		resourceUrl: ENV,
		allowedHosts: new Set(['org.crm.dynamics.test', 'login.example.test', 'graph.example.test']),
		appOnly: true,
	});

	/** Answers each POST from the parts it received: request ids in `throttled` answer 429 the first `times` times. */
	function scripted(throttled: Record<string, number>) {
		const bodies: string[] = [];
		const answerFor = (options: IHttpRequestOptions) => {
			const text = Buffer.from(options.body as Buffer).toString('utf8');
			bodies.push(text);
			const ids = [...text.matchAll(/Content-ID: (\S+)/g)].map((match) => match[1]);
			const parts = ids.map((id) => {
				if (throttled[id] > 0) {
					throttled[id] -= 1;
					return { status: '429 Too Many Requests', headers: ['Retry-After: 3'], body: '{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}' };
				}
				return { status: '200 OK', headers: ['Content-Type: application/json'], body: JSON.stringify({ id }) };
			});
			return { status: 200, headers: { 'content-type': 'multipart/mixed; boundary=batchresponse_r' }, body: answer('batchresponse_r', parts) };
		};
		return { bodies, answerFor };
	}

	it('posts multipart groups with continue-on-error, retries only throttled sub-requests after their Retry-After, keeps order', async () => {
		const script = scripted({ '3': 1, '7': 2 });
		const { ctx, authenticated } = fakeContext((options) => script.answerFor(options));
		const sleeps: number[] = [];
		const requests: BatchRequest[] = Array.from({ length: 9 }, (_, i) => ({ id: String(i), method: 'GET', url: `${API}/accounts(${i})` }));
		const results = await odataBatch(ctx, conn, `${API}/$batch`, requests, { batchSize: 5, sleep: async (ms) => void sleeps.push(ms) });
		expect(results.map((result) => [result.id, result.status, result.body])).toEqual(requests.map((request) => [request.id, 200, { id: request.id }]));
		// Group 1 (0-4): 3 throttled once. Group 2 (5-8): 7 throttled twice.
		expect(script.bodies.map((body) => [...body.matchAll(/Content-ID: (\S+)/g)].map((match) => match[1]).join(','))).toEqual(['0,1,2,3,4', '3', '5,6,7,8', '7', '7']);
		expect(sleeps).toEqual([3000, 3000, 3000]);
		expect(authenticated.every((options) => options.url === `${API}/$batch` && options.method === 'POST')).toBe(true);
		const headers = authenticated[0].headers as Record<string, string>;
		expect(headers.Prefer).toBe('odata.continue-on-error');
		expect(headers['Content-Type']).toMatch(/^multipart\/mixed; boundary=batch_/);
		expect(headers['OData-Version']).toBe('4.0');
	});

	it('never repeats a throttled POST whose answer does not prove it was not applied, and stops at the attempt limit', async () => {
		let calls = 0;
		const { ctx } = fakeContext((options) => {
			calls++;
			const text = Buffer.from(options.body as Buffer).toString('utf8');
			const ids = [...text.matchAll(/Content-ID: (\S+)/g)].map((match) => match[1]);
			const parts = ids.map((id) => (id === 'post' ? { status: '504 Gateway Timeout' } : { status: '429 Too Many Requests', headers: ['Retry-After: 0'] }));
			return { status: 200, headers: { 'content-type': 'multipart/mixed; boundary=r' }, body: answer('r', parts) };
		});
		const results = await odataBatch(ctx, conn, `${API}/$batch`, [
			{ id: 'post', method: 'POST', url: `${API}/accounts`, body: { name: 'x' } },
			{ id: 'get', method: 'GET', url: `${API}/accounts` },
		], { sleep: async () => undefined });
		expect(results.map((result) => [result.id, result.status])).toEqual([['post', 504], ['get', 429]]);
		expect(calls).toBe(5);
	});

	it('a refused sub-request header is an error before anything is sent', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200 }));
		await expect(odataBatch(ctx, conn, `${API}/$batch`, [{ id: '0', method: 'GET', url: `${API}/x`, headers: { A: 'b\nc' } }])).rejects.toThrow(/"Header A"/);
		expect(authenticated).toHaveLength(0);
	});
});
