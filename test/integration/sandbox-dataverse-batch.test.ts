/**
 * The sandbox's Dataverse `$batch` change sets over raw HTTPS: a change set applies whole (Content-ID echoed, `$1`
 * references in URLs and @odata.bind) or not at all (one error answer, every write undone), continue-on-error
 * outside change sets, 2,500 creates in three batches of at most 1,000 counted as three requests, and the
 * 1,000-request limit.
 */
import { API, batchAnswers, batchBody, startDataverse, type BatchRequest, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});
beforeEach(() => {
	dv.sandbox.faults.reset();
	dv.sandbox.state.requests.length = 0;
});

const send = (items: Array<BatchRequest | BatchRequest[]>, headers: Record<string, string> = {}) =>
	dv.request('POST', '$batch', { raw: batchBody('batch_1', items), headers: { 'content-type': 'multipart/mixed; boundary=batch_1', ...headers } });
const accountsNamed = (prefix: string) => [...dv.sandbox.dataverse.rows('account').values()].filter((row) => String(row.name).startsWith(prefix));

describe('sandbox Dataverse: $batch change sets', () => {
	it('applies a change set whole: Content-ID echoed, $1 in a URL and in @odata.bind', async () => {
		const response = await send([[
			{ method: 'POST', url: `${API}/accounts`, body: { name: 'CS parent' }, contentId: '1' },
			{ method: 'POST', url: `${API}/contacts`, body: { lastname: 'CS child', 'parentcustomerid_account@odata.bind': '$1' }, contentId: '2' },
			{ method: 'PATCH', url: '$1', body: { telephone1: '555-0001' }, contentId: '3' },
		], { method: 'GET', url: 'WhoAmI' }]);
		expect(response.status).toBe(200);
		const answers = batchAnswers(response.text);
		expect(answers.map((answer) => [answer.status, answer.contentId, answer.inChangeSet])).toEqual([[204, '1', true], [204, '2', true], [204, '3', true], [200, null, false]]);
		expect(response.text).toMatch(/Content-Type: multipart\/mixed; boundary=changesetresponse_/);
		const [parent] = accountsNamed('CS parent');
		expect(parent.telephone1).toBe('555-0001');
		const child = [...dv.sandbox.dataverse.rows('contact').values()].find((row) => row.lastname === 'CS child');
		expect(child?.parentcustomerid).toBe(parent.accountid);
		expect(answers[0].headers['odata-entityid']).toBe(`${dv.base}/accounts(${parent.accountid})`);
	});

	it('rolls a change set back when one request fails: one error answer, nothing written', async () => {
		const versionBefore = (dv.sandbox.dataverse.store as { version: number }).version;
		const existing = dv.sandbox.dataverse.addRow('account', { name: 'Atomic existing' });
		const response = await send([[
			{ method: 'POST', url: 'accounts', body: { name: 'Atomic 1' }, contentId: '1' },
			{ method: 'PATCH', url: `accounts(${existing.accountid})`, body: { name: 'Atomic renamed' }, contentId: '2' },
			{ method: 'DELETE', url: `accounts(${existing.accountid})`, contentId: '3' },
			{ method: 'POST', url: 'accounts', body: { name: 'Atomic bad', numberofemployees: 'x' }, contentId: '4' },
			{ method: 'POST', url: 'accounts', body: { name: 'Atomic never' }, contentId: '5' },
		], { method: 'POST', url: 'accounts', body: { name: 'Atomic after' } }]);
		const answers = batchAnswers(response.text);
		expect(answers.map((answer) => [answer.status, answer.contentId, answer.inChangeSet])).toEqual([[400, '4', false]]);
		expect(answers[0].json.error.code).toBe('0x80048d19');
		expect(accountsNamed('Atomic').map((row) => row.name)).toEqual(['Atomic existing']);
		expect(dv.sandbox.dataverse.row('account', String(existing.accountid))?.name).toBe('Atomic existing');
		expect((dv.sandbox.dataverse.store as { version: number }).version).toBeGreaterThan(versionBefore);
		// Only the parts that ran are logged; the failed change set stopped the batch (no continue-on-error).
		expect(dv.sandbox.state.requests.filter((entry) => entry.viaBatch).map((entry) => entry.status)).toEqual([204, 204, 204, 400]);
	});

	it('a rollback undoes only its own change set, not requests running beside it', async () => {
		dv.sandbox.faults.add({ host: 'dataverse', method: 'POST', path: '^/api/data/v9\\.2/contacts$', delayMs: 400, times: 1 });
		const slowSet = send([[
			{ method: 'POST', url: 'accounts', body: { name: 'Concurrent set' }, contentId: '1' },
			{ method: 'POST', url: 'contacts', body: { lastname: 'Concurrent bad', nosuch: 1 }, contentId: '2' },
		]]);
		await new Promise((resolve) => setTimeout(resolve, 150));
		const [direct, otherSet] = await Promise.all([
			dv.post('accounts', { name: 'Concurrent direct' }),
			send([[{ method: 'POST', url: 'accounts', body: { name: 'Concurrent other set' }, contentId: '1' }]]),
		]);
		expect(direct.status).toBe(204);
		expect(batchAnswers(otherSet.text).map((answer) => answer.status)).toEqual([204]);
		expect(batchAnswers((await slowSet).text).map((answer) => answer.status)).toEqual([400]);
		expect(accountsNamed('Concurrent').map((row) => row.name).sort()).toEqual(['Concurrent direct', 'Concurrent other set']);
	});

	it('with odata.continue-on-error the next change sets and requests still run', async () => {
		const response = await send([
			[{ method: 'POST', url: 'accounts', body: { name: 'COE set 1' }, contentId: '1' }, { method: 'POST', url: 'accounts', body: { name: 'COE bad', industrycode: 999 }, contentId: '2' }],
			[{ method: 'POST', url: 'accounts', body: { name: 'COE set 2' }, contentId: '1' }],
			{ method: 'POST', url: 'accounts', body: { name: 'COE single', nosuch: 1 } },
			{ method: 'POST', url: 'accounts', body: { name: 'COE last' } },
		], { prefer: 'odata.continue-on-error' });
		expect(response.headers['preference-applied']).toBe('odata.continue-on-error');
		expect(batchAnswers(response.text).map((answer) => answer.status)).toEqual([400, 204, 400, 204]);
		expect(accountsNamed('COE').map((row) => row.name).sort()).toEqual(['COE last', 'COE set 2']);
	});

	it('a throttled request inside a change set fails the set with its 429 and Retry-After', async () => {
		dv.sandbox.faults.add({ host: 'dataverse', method: 'POST', path: '^/api/data/v9\\.2/contacts$', status: 429, retryAfter: '5', times: 1 });
		const response = await send([[
			{ method: 'POST', url: 'accounts', body: { name: 'Throttled set' }, contentId: '1' },
			{ method: 'POST', url: 'contacts', body: { lastname: 'Throttled' }, contentId: '2' },
		]]);
		const [answer] = batchAnswers(response.text);
		expect(answer).toMatchObject({ status: 429, contentId: '2', headers: { 'retry-after': '5' } });
		expect(answer.json.error.code).toBe('0x80072322');
		expect(accountsNamed('Throttled set')).toEqual([]);
	});

	it('2,500 creates in three batches of change sets are three requests to the host', async () => {
		const items = Array.from({ length: 2500 }, (_, index) => ({ method: 'POST', url: 'accounts', body: { name: `Bulk batch ${index}` }, contentId: String(index + 1) }));
		for (let start = 0; start < items.length; start += 1000) {
			const chunk = items.slice(start, start + 1000);
			const sets: BatchRequest[][] = [];
			for (let index = 0; index < chunk.length; index += 100) sets.push(chunk.slice(index, index + 100));
			const response = await send(sets);
			expect(response.status).toBe(200);
			expect(batchAnswers(response.text).every((answer) => answer.status === 204)).toBe(true);
		}
		expect(accountsNamed('Bulk batch')).toHaveLength(2500);
		expect(dv.sandbox.dataverse.requestCounts()).toMatchObject({ total: 3, byRoute: { 'POST /api/data/v9.2/$batch': 3 }, inBatches: 2500 });
	});

	it('refuses more than 1,000 requests, GET inside a change set and bad $n references before running anything', async () => {
		const tooMany = await send(Array.from({ length: 1001 }, () => ({ method: 'GET', url: 'WhoAmI' })));
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.error.code).toBe('0x80048d19');
		expect(tooMany.json.error.message).toContain('1000');
		const getInSet = await send([[{ method: 'GET', url: 'WhoAmI', contentId: '1' }]]);
		expect(getInSet.status).toBe(400);
		expect(getInSet.json.error.code).toBe('0x80048d19');
		const badReference = await send([[{ method: 'PATCH', url: '$9', body: { name: 'x' }, contentId: '1' }]]);
		expect(batchAnswers(badReference.text).map((answer) => answer.status)).toEqual([400]);
		expect(dv.sandbox.state.requests.filter((entry) => entry.viaBatch)).toEqual([]);
	});
});
