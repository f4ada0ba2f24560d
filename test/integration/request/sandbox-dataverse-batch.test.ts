/**
 * The sandbox's Dataverse multipart `$batch` (test/sandbox/dataverse-batch.js) over raw HTTPS: parts run in order with
 * the batch's token, answers come back in order as `application/http` parts, the batch stops at the first failure
 * unless `Prefer: odata.continue-on-error`, faults hit single parts, and malformed payloads are refused.
 */
import { SEED, startSandbox, type Sandbox } from '../../sandbox';
import { sandboxRequest } from '../../sandbox/httpClient';

const API = '/api/data/v9.2';
const MISSING = '00000000-0000-4000-8000-00000000f00d';

/** A multipart body from request lines (+ optional body). */
function batch(boundary: string, parts: Array<{ line: string; headers?: string[]; body?: string }>): string {
	const lines: string[] = [];
	for (const part of parts) {
		lines.push(`--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '', part.line, ...(part.headers ?? []), '', part.body ?? '');
	}
	lines.push(`--${boundary}--`, '');
	return lines.join('\r\n');
}

/** Status lines of the answer's parts, in order. */
function statuses(text: string): string[] {
	return [...text.matchAll(/^HTTP\/1\.1 (\d{3}[^\r\n]*)$/gm)].map((match) => match[1]);
}

describe('sandbox: Dataverse multipart $batch', () => {
	let sandbox: Sandbox;
	let token: string;
	let url: string;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
		token = sandbox.issueToken({ appId: SEED.apps.singleTenant.clientId, audience: sandbox.dataverseUrl });
		url = `${sandbox.dataverseUrl}${API}/$batch`;
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	beforeEach(() => {
		sandbox.faults.reset();
		sandbox.state.requests.length = 0;
	});

	const post = async (body: string, headers: Record<string, string> = {}) =>
		await sandboxRequest(url, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/mixed; boundary=b1', ...headers },
			body,
			ca: sandbox.tls.ca,
		});

	const parts = () => [
		{ line: `GET ${sandbox.dataverseUrl}${API}/WhoAmI HTTP/1.1` },
		{ line: `GET ${API}/accounts(${MISSING}) HTTP/1.1` },
		{ line: 'POST accounts HTTP/1.1', headers: ['Content-Type: application/json'], body: '{"name":"Made in a batch"}' },
	];

	it('runs the parts in order and stops after the first failure without continue-on-error', async () => {
		const response = await post(batch('b1', parts()));
		expect(response.status).toBe(200);
		expect(String(response.headers['content-type'])).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
		expect(response.headers['preference-applied']).toBeUndefined();
		expect(statuses(response.text)).toEqual(['200 OK', '404 Not Found']);
		expect(response.text).toMatch(/"UserId"/);
		expect(response.text).toMatch(/0x80040217/);
		expect(sandbox.state.requests.filter((entry) => entry.viaBatch).map((entry) => `${entry.method} ${entry.path} ${entry.status} ${entry.hasAuthorization}`)).toEqual([
			`GET ${API}/WhoAmI 200 true`,
			`GET ${API}/accounts(${MISSING}) 404 true`,
		]);
	});

	it('with Prefer: odata.continue-on-error every part runs; a fault answers one part only', async () => {
		sandbox.faults.add({ host: 'dataverse', path: '/WhoAmI$', status: 429, retryAfter: '7', times: 1 });
		const response = await post(batch('b1', parts()), { prefer: 'odata.continue-on-error' });
		expect(response.headers['preference-applied']).toBe('odata.continue-on-error');
		expect(statuses(response.text)).toEqual(['429 Too Many Requests', '404 Not Found', '204 No Content']);
		expect(response.text).toMatch(/retry-after: 7/);
		expect(response.text).toMatch(/0x80072322/);
		expect(response.text).toMatch(/odata-entityid: https:\/\/127\.0\.0\.3:\d+\/api\/data\/v9\.2\/accounts\(/);
		expect([...(sandbox as unknown as { dataverse: { accounts: Map<string, { name: string }> } }).dataverse.accounts.values()].some((row) => row.name === 'Made in a batch')).toBe(true);
	});

	it('needs a Dataverse token for the batch itself', async () => {
		const response = await sandboxRequest(url, { method: 'POST', headers: { 'content-type': 'multipart/mixed; boundary=b1' }, body: batch('b1', parts()), ca: sandbox.tls.ca });
		expect(response.status).toBe(401);
		expect(sandbox.state.requests.filter((entry) => entry.viaBatch)).toEqual([]);
	});

	it('refuses malformed payloads, other hosts, change sets and a missing boundary with 400 0x80048d19', async () => {
		const refused = [
			await post(batch('b1', parts()), { 'content-type': 'application/json' }),
			await post(batch('b1', [{ line: `GET ${sandbox.graphUrl}/v1.0/me HTTP/1.1` }])),
			await post(batch('b1', [{ line: 'GET accounts' }])),
			await post(batch('b1', parts()).replace('--b1--\r\n', '')),
			await post('--b1\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs--\r\n--b1--\r\n'),
		];
		for (const response of refused) {
			expect(response.status).toBe(400);
			expect(response.json.error.code).toBe('0x80048d19');
		}
		expect(sandbox.state.requests.filter((entry) => entry.viaBatch)).toEqual([]);
	});
});
