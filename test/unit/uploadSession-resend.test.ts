/**
 * Upload sessions that cannot be asked what arrived (Outlook attachment sessions take PUT and DELETE only):
 * `resume: 'resend'` sends a failed fragment again from where the failure answer says, else from its start,
 * and never sends GET to the upload URL.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { uploadToSession } from '../../nodes/Microsoft/shared/uploadSession';
import { fakeContext, type ScriptedResponse } from './shared-fakeContext';

const UNIT = 327_680;

function rangeOf(options: IHttpRequestOptions): string {
	return String((options.headers as Record<string, string>)['Content-Range']);
}

async function upload(answer: (options: IHttpRequestOptions, put: number) => ScriptedResponse) {
	let puts = 0;
	const { ctx, plain } = fakeContext((options) => (options.method === 'PUT' ? answer(options, ++puts) : { status: 405 }));
	const executeCtx = Object.assign(ctx, { getExecutionCancelSignal: () => undefined }) as never;
	const result = await uploadToSession(executeCtx, {
		uploadUrl: 'https://files.example.test/api/v2.0/AttachmentSessions(1)',
		source: Buffer.alloc(UNIT * 3, 7),
		size: UNIT * 3,
		fragmentSize: UNIT,
		resume: 'resend',
		retry: { sleep: async () => undefined },
	});
	return { result, requests: plain.map((o) => `${String(o.method)} ${o.method === 'PUT' ? rangeOf(o) : ''}`.trim()) };
}

describe("uploadToSession with resume: 'resend'", () => {
	it('sends a failed fragment again from its start, without asking the session', async () => {
		const { result, requests } = await upload((_options, put) => {
			if (put === 2) return { status: 503 };
			return put === 4 ? { status: 201, headers: { location: "https://x/Attachments('A1')" } } : { status: 200, body: { nextExpectedRanges: [String(put * UNIT)] } };
		});
		expect(requests).toEqual([
			`PUT bytes 0-${UNIT - 1}/${UNIT * 3}`,
			`PUT bytes ${UNIT}-${2 * UNIT - 1}/${UNIT * 3}`,
			`PUT bytes ${UNIT}-${2 * UNIT - 1}/${UNIT * 3}`,
			`PUT bytes ${2 * UNIT}-${3 * UNIT - 1}/${UNIT * 3}`,
		]);
		expect(result).toMatchObject({ resumes: 1, bytesSent: UNIT * 3, headers: { location: "https://x/Attachments('A1')" } });
	});

	it('continues from the byte the failure answer expects when it names one', async () => {
		const half = UNIT / 2;
		const { requests } = await upload((_options, put) => {
			if (put === 1) return { status: 500, body: { nextExpectedRanges: [String(half)] } };
			return put === 4 ? { status: 201 } : { status: 200 };
		});
		expect(requests.slice(0, 2)).toEqual([`PUT bytes 0-${UNIT - 1}/${UNIT * 3}`, `PUT bytes ${half}-${UNIT - 1}/${UNIT * 3}`]);
		expect(requests).toHaveLength(4);
	});

	it('gives up after the attempts and cancels the session (DELETE), still without GET', async () => {
		let puts = 0;
		const { ctx, plain } = fakeContext((options) => (options.method === 'PUT' ? (puts++, { status: 503 }) : { status: 204 }));
		const executeCtx = Object.assign(ctx, { getExecutionCancelSignal: () => undefined }) as never;
		await expect(
			uploadToSession(executeCtx, { uploadUrl: 'https://files.example.test/s', source: Buffer.alloc(UNIT), size: UNIT, fragmentSize: UNIT, resume: 'resend', retry: { sleep: async () => undefined } }),
		).rejects.toThrow();
		expect(plain.map((o) => o.method)).not.toContain('GET');
		expect(plain.at(-1)?.method).toBe('DELETE');
		expect(puts).toBeGreaterThan(1);
	});
});
