/**
 * Retry policy for Microsoft Graph and the OData resource APIs (Dataverse, F&O, Business Central).
 *
 * Why not the Graph client's RetryHandler: it has no total-wait budget, uses fixed exponential delays without
 * jitter (many n8n executions hitting one tenant retry in lock-step), retries any method on 503/504 (a POST may
 * have been applied), cannot tell a connection error before sending from one after, and only serves Graph
 * client calls — the OData APIs, `$batch` sub-requests and pre-authenticated URLs need the same rules.
 * So the policy is one pure function (`decideRetry`) used by one loop (`runWithRetry`).
 */

export interface RetryPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Total time we may spend waiting between attempts. */
	maxTotalWaitMs: number;
	/** First backoff ceiling when the server gives no Retry-After; doubles per attempt. */
	baseDelayMs: number;
	/** Ceiling of a single backoff delay. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 5,
	maxTotalWaitMs: 120_000,
	baseDelayMs: 1_000,
	maxDelayMs: 30_000,
};

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** HTTP semantics: GET/HEAD/OPTIONS/PUT/DELETE may be repeated; POST and PATCH only when the caller says so. */
export function isIdempotentMethod(method: string): boolean {
	return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Errors that mean the TCP/TLS connection was never made, so the server cannot have seen the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Errors during or after sending: the server may have received (and applied) the request. */
const MAYBE_SENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);

export function isRetryableNetworkCode(code: string | undefined): boolean {
	return !!code && (NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code));
}

/**
 * `Retry-After` as milliseconds from `now`: delta-seconds (`"3"`, also `"1.5"`) or an HTTP date.
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (!text) return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	// An HTTP date always names a weekday/month; this keeps "-5" or "12" junk from parsing as a year.
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
	return Math.floor(random() * ceiling);
}

export type AttemptOutcome =
	| { kind: 'response'; status: number; headers: Record<string, string | undefined> }
	| { kind: 'networkError'; code: string };

export interface RetryContext {
	method: string;
	/** Caller's guarantee that repeating the request is harmless (overrides the method default). */
	idempotent?: boolean;
	/** False when the body is a stream that was consumed and no factory can recreate it. */
	replayable: boolean;
	/** Attempts made so far (1 after the first). */
	attempt: number;
	/** Milliseconds already spent waiting. */
	waitedMs: number;
	policy: RetryPolicy;
	now?: number;
	random?: () => number;
}

export type RetryDecision =
	| { retry: true; delayMs: number }
	| { retry: false; reason: 'notRetryable' | 'notSafe' | 'attempts' | 'budget'; retryAfterMs?: number };

/** Is this status one we retry at all? */
export function isRetryableStatus(status: number): boolean {
	return status === 429 || status === 503 || status === 504;
}

/**
 * Whether repeating the request is safe for this outcome.
 * - 429: Graph and Dataverse reject throttled requests before doing any work (Microsoft's throttling guidance),
 *   so even a POST was not applied.
 * - 503 WITH Retry-After: Microsoft documents this as the throttling / service-protection answer, sent before
 *   the request is processed, so it is as safe as 429.
 * - 503 without Retry-After and 504: the backend may have run the request (a gateway gave up waiting): only
 *   idempotent requests are repeated.
 * - Connection refused / DNS failures: no connection, so nothing was sent — safe for any method.
 * - Connection reset / timeouts: the request may have reached the server — idempotent requests only.
 */
export function isSafeToRepeat(outcome: AttemptOutcome, idempotent: boolean): boolean {
	if (idempotent) return true;
	if (outcome.kind === 'networkError') return NOT_SENT_CODES.has(outcome.code);
	if (outcome.status === 429) return true;
	if (outcome.status === 503) return parseRetryAfter(outcome.headers['retry-after']) !== undefined;
	return false;
}

export function decideRetry(outcome: AttemptOutcome, ctx: RetryContext): RetryDecision {
	const retryable =
		outcome.kind === 'response' ? isRetryableStatus(outcome.status) : isRetryableNetworkCode(outcome.code);
	if (!retryable) return { retry: false, reason: 'notRetryable' };
	// A consumed stream cannot be sent again, whatever the status.
	if (!ctx.replayable) return { retry: false, reason: 'notSafe' };
	const idempotent = ctx.idempotent ?? isIdempotentMethod(ctx.method);
	if (!isSafeToRepeat(outcome, idempotent)) return { retry: false, reason: 'notSafe' };

	const retryAfterMs =
		outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after'], ctx.now) : undefined;
	if (ctx.attempt >= ctx.policy.maxAttempts) return { retry: false, reason: 'attempts', retryAfterMs };

	const left = ctx.policy.maxTotalWaitMs - ctx.waitedMs;
	if (retryAfterMs !== undefined) {
		// The server told us when; waiting less is pointless and waiting past our budget is not allowed.
		if (retryAfterMs > left) return { retry: false, reason: 'budget', retryAfterMs };
		return { retry: true, delayMs: retryAfterMs };
	}
	if (left <= 0) return { retry: false, reason: 'budget' };
	return { retry: true, delayMs: Math.min(left, backoffDelay(ctx.attempt, ctx.policy, ctx.random)) };
}

/** What the loop reports when it stops retrying, so errors can say "retried N times, retry after X". */
export interface RetryReport {
	attempts: number;
	waitedMs: number;
	stoppedBecause?: 'notSafe' | 'attempts' | 'budget';
	retryAfterMs?: number;
}

export interface RetryOptions {
	policy?: Partial<RetryPolicy>;
	/** Injected in tests; defaults to a real timer. */
	sleep?: (ms: number) => Promise<void>;
	random?: () => number;
}

export const realSleep = async (ms: number): Promise<void> =>
	await new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryableRequest {
	method: string;
	idempotent?: boolean;
	/** False when the body cannot be produced again for another attempt. */
	replayable: boolean;
}

/**
 * Runs `attempt` until it returns a non-retryable response or the policy stops. A thrown error with a network
 * `code` (see `networkCodeOf`) is retried when safe; other errors propagate at once.
 * Returns the last response together with what the loop did.
 */
export async function runWithRetry<T extends { status: number; headers: Record<string, string | undefined> }>(
	attempt: (attemptNumber: number) => Promise<T>,
	request: RetryableRequest,
	networkCodeOf: (error: unknown) => string | undefined,
	options: RetryOptions = {},
): Promise<{ response: T; report: RetryReport }> {
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
	const sleep = options.sleep ?? realSleep;
	let waitedMs = 0;
	for (let attemptNumber = 1; ; attemptNumber++) {
		let outcome: AttemptOutcome;
		let response: T | undefined;
		let networkError: unknown;
		try {
			response = await attempt(attemptNumber);
			outcome = { kind: 'response', status: response.status, headers: response.headers };
		} catch (error) {
			const code = networkCodeOf(error);
			if (!code) throw error;
			outcome = { kind: 'networkError', code };
			networkError = error;
		}
		const decision = decideRetry(outcome, {
			...request,
			attempt: attemptNumber,
			waitedMs,
			policy,
			random: options.random,
		});
		if (!decision.retry) {
			// A network error that may not (or no longer) be retried propagates as thrown.
			if (response === undefined) throw networkError;
			const report: RetryReport = { attempts: attemptNumber, waitedMs };
			if (decision.reason !== 'notRetryable') report.stoppedBecause = decision.reason;
			if (decision.retryAfterMs !== undefined) report.retryAfterMs = decision.retryAfterMs;
			return { response, report };
		}
		await sleep(decision.delayMs);
		waitedMs += decision.delayMs;
	}
}
