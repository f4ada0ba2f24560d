import {
	backoffDelay,
	decideRetry,
	DEFAULT_RETRY_POLICY,
	isIdempotentMethod,
	isSafeToRepeat,
	parseRetryAfter,
	runWithRetry,
	type AttemptOutcome,
	type RetryContext,
} from '../../nodes/Microsoft/shared/retry';

const policy = DEFAULT_RETRY_POLICY;
const response = (status: number, headers: Record<string, string> = {}): AttemptOutcome => ({ kind: 'response', status, headers });
const ctx = (overrides: Partial<RetryContext> = {}): RetryContext => ({
	method: 'GET',
	replayable: true,
	attempt: 1,
	waitedMs: 0,
	policy,
	random: () => 0.5,
	...overrides,
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-22T10:00:00Z');
	it('reads delta-seconds', () => {
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter(' 0 ', now)).toBe(0);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
	});
	it('reads an HTTP date relative to now, never negative', () => {
		expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
	});
	it('ignores absent or unreadable values', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('-5', now)).toBeUndefined();
	});
});

describe('backoffDelay (full jitter)', () => {
	it('stays within [0, min(cap, base * 2^(n-1))]', () => {
		const p = { ...policy, baseDelayMs: 1000, maxDelayMs: 5000 };
		expect(backoffDelay(1, p, () => 0)).toBe(0);
		expect(backoffDelay(1, p, () => 0.999999)).toBe(999);
		expect(backoffDelay(3, p, () => 0.999999)).toBe(3999);
		expect(backoffDelay(10, p, () => 0.999999)).toBe(4999);
		for (let attempt = 1; attempt <= 8; attempt++) {
			for (let i = 0; i < 50; i++) {
				const delay = backoffDelay(attempt, p);
				expect(delay).toBeGreaterThanOrEqual(0);
				expect(delay).toBeLessThan(Math.min(5000, 1000 * 2 ** (attempt - 1)));
			}
		}
	});
});

describe('idempotency table', () => {
	it.each([
		['GET', true],
		['HEAD', true],
		['PUT', true],
		['DELETE', true],
		['post', false],
		['PATCH', false],
	])('%s idempotent = %s', (method, expected) => {
		expect(isIdempotentMethod(method)).toBe(expected);
	});

	const cases: Array<[string, AttemptOutcome, boolean, boolean]> = [
		['429 POST', response(429), false, true],
		['503 with Retry-After POST', response(503, { 'retry-after': '2' }), false, true],
		['503 without Retry-After POST', response(503), false, false],
		['504 POST', response(504), false, false],
		['504 GET', response(504), true, true],
		['ECONNREFUSED POST (never sent)', { kind: 'networkError', code: 'ECONNREFUSED' }, false, true],
		['ECONNRESET POST (maybe sent)', { kind: 'networkError', code: 'ECONNRESET' }, false, false],
		['ETIMEDOUT POST', { kind: 'networkError', code: 'ETIMEDOUT' }, false, false],
		['ECONNRESET GET', { kind: 'networkError', code: 'ECONNRESET' }, true, true],
	];
	it.each(cases)('%s safe = %s', (_name, outcome, idempotent, expected) => {
		expect(isSafeToRepeat(outcome, idempotent)).toBe(expected);
	});
});

describe('decideRetry', () => {
	it('retries 429 after exactly Retry-After', () => {
		expect(decideRetry(response(429, { 'retry-after': '4' }), ctx())).toEqual({ retry: true, delayMs: 4000 });
	});
	it('backs off with jitter when there is no Retry-After', () => {
		expect(decideRetry(response(503), ctx({ attempt: 2, random: () => 0.5 }))).toEqual({ retry: true, delayMs: 1000 });
	});
	it('does not retry other statuses', () => {
		for (const status of [200, 400, 401, 403, 404, 409, 500, 502]) {
			expect(decideRetry(response(status), ctx())).toEqual({ retry: false, reason: 'notRetryable' });
		}
	});
	it('does not repeat a POST on 504 or a bare 503, but does on 429', () => {
		expect(decideRetry(response(504), ctx({ method: 'POST' }))).toMatchObject({ retry: false, reason: 'notSafe' });
		expect(decideRetry(response(503), ctx({ method: 'POST' }))).toMatchObject({ retry: false, reason: 'notSafe' });
		expect(decideRetry(response(429), ctx({ method: 'POST' }))).toMatchObject({ retry: true });
		expect(decideRetry(response(504), ctx({ method: 'POST', idempotent: true }))).toMatchObject({ retry: true });
	});
	it('never repeats a consumed stream', () => {
		expect(decideRetry(response(429, { 'retry-after': '1' }), ctx({ method: 'PUT', replayable: false }))).toMatchObject({
			retry: false,
			reason: 'notSafe',
		});
	});
	it('stops at the attempt cap and reports Retry-After', () => {
		expect(decideRetry(response(429, { 'retry-after': '2' }), ctx({ attempt: policy.maxAttempts }))).toEqual({
			retry: false,
			reason: 'attempts',
			retryAfterMs: 2000,
		});
	});
	it('fails at once when Retry-After exceeds the wait budget left', () => {
		expect(
			decideRetry(response(429, { 'retry-after': '30' }), ctx({ waitedMs: policy.maxTotalWaitMs - 10_000 })),
		).toEqual({ retry: false, reason: 'budget', retryAfterMs: 30_000 });
	});
	it('clamps a backoff to the budget left', () => {
		const decision = decideRetry(response(503), ctx({ attempt: 4, waitedMs: policy.maxTotalWaitMs - 100, random: () => 0.99 }));
		expect(decision).toEqual({ retry: true, delayMs: 100 });
	});
});

describe('runWithRetry', () => {
	const net = (error: unknown) => (error as { code?: string }).code;
	it('retries throttled attempts, sleeping what the server asked, then returns the success', async () => {
		const sleeps: number[] = [];
		const statuses = [429, 429, 200];
		const result = await runWithRetry(
			async () => ({ status: statuses.shift()!, headers: { 'retry-after': '2' } }),
			{ method: 'GET', replayable: true },
			net,
			{ sleep: async (ms) => void sleeps.push(ms) },
		);
		expect(result.response.status).toBe(200);
		expect(sleeps).toEqual([2000, 2000]);
		expect(result.report).toEqual({ attempts: 3, waitedMs: 4000 });
	});
	it('returns the last throttled response with a report when attempts run out', async () => {
		let calls = 0;
		const result = await runWithRetry(
			async () => {
				calls++;
				return { status: 429, headers: { 'retry-after': '1' } };
			},
			{ method: 'GET', replayable: true },
			net,
			{ sleep: async () => undefined, policy: { maxAttempts: 3 } },
		);
		expect(calls).toBe(3);
		expect(result.report).toEqual({ attempts: 3, waitedMs: 2000, stoppedBecause: 'attempts', retryAfterMs: 1000 });
	});
	it('retries a connection reset on GET but rethrows it on POST', async () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		let getCalls = 0;
		const ok = await runWithRetry(
			async () => {
				if (++getCalls === 1) throw reset;
				return { status: 200, headers: {} };
			},
			{ method: 'GET', replayable: true },
			net,
			{ sleep: async () => undefined },
		);
		expect(ok.response.status).toBe(200);
		expect(getCalls).toBe(2);

		let postCalls = 0;
		await expect(
			runWithRetry(
				async () => {
					postCalls++;
					throw reset;
				},
				{ method: 'POST', replayable: true },
				net,
				{ sleep: async () => undefined },
			),
		).rejects.toBe(reset);
		expect(postCalls).toBe(1);
	});
	it('rethrows errors without a network code at once', async () => {
		const boom = new Error('credential broken');
		let calls = 0;
		await expect(
			runWithRetry(
				async () => {
					calls++;
					throw boom;
				},
				{ method: 'GET', replayable: true },
				net,
				{ sleep: async () => undefined },
			),
		).rejects.toBe(boom);
		expect(calls).toBe(1);
	});
});
