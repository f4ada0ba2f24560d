/**
 * Resumable upload sessions (OneDrive / SharePoint `createUploadSession`, Outlook attachment upload sessions):
 * given a session's pre-authenticated `uploadUrl`, a source (stream or buffer) and its size, sends the bytes
 * in fragments and returns what the last fragment answered (the created driveItem / attachment).
 *
 * Microsoft's rules: fragments are multiples of 320 KiB except the last,
 * each below 60 MiB; `Content-Range: bytes a-b/total`; 202 + `nextExpectedRanges` until the last one, which
 * answers 200/201; `GET uploadUrl` reports what arrived; `DELETE uploadUrl` cancels. The uploadUrl is
 * pre-authenticated: no Authorization header ever goes there.
 *
 * Memory: the fragment being sent and the one read ahead (two buffers used in turn when the source delivers
 * smaller chunks); a caller's hash (OneDrive's QuickXorHash) sees bytes as they pass.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import type { MicrosoftContext } from './connection';
import { parseBody, redactSecrets, toNodeApiError } from './errors';
import { fetchPreAuthenticated } from './preAuthenticated';
import type { RetryOptions, RetryReport } from './retry';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, realSleep } from './retry';
import type { MicrosoftResponse } from './transport';

export const FRAGMENT_UNIT = 327_680; // 320 KiB
export const MAX_FRAGMENT_SIZE = 60 * 1024 * 1024; // exclusive
export const DEFAULT_FRAGMENT_SIZE = 32 * FRAGMENT_UNIT; // 10 MiB

export interface UploadSessionOptions {
	/** The session's pre-authenticated URL. */
	uploadUrl: string;
	source: Readable | Buffer;
	/** Total bytes the source will deliver; sent in every Content-Range. */
	size: number;
	/** Bytes per fragment: a multiple of 320 KiB, below 60 MiB. */
	fragmentSize?: number;
	itemIndex?: number;
	/** For error texts: "upload report.pdf". */
	operation?: string;
	/**
	 * The transport's retry policy: attempts per fragment (`maxAttempts`) and one wait budget for the whole
	 * upload (`maxTotalWaitMs`); a Retry-After beyond what is left of the budget ends the upload at once.
	 */
	retry?: RetryOptions;
	/** Fed every byte in order as it is sent, for a checksum only the caller knows (OneDrive's QuickXorHash). */
	hash?: { update(bytes: Buffer): unknown };
	/**
	 * How a failed fragment is resumed. `ask` (default; OneDrive, SharePoint): `GET uploadUrl` reports what
	 * arrived. `resend` (Outlook attachment sessions, which take PUT and DELETE only): the fragment is sent again
	 * from the byte the failure answer expects (`nextExpectedRanges`), else from its start.
	 */
	resume?: 'ask' | 'resend';
}

export interface UploadSessionResult {
	/** Body of the final 200/201 response (driveItem, attachment, ...). */
	item: IDataObject;
	/** Headers of that response (an attachment's Location, for example). */
	headers: Record<string, string>;
	bytesSent: number;
	/** Failed fragment attempts that were resumed. */
	resumes: number;
}

/** Why `bytes` cannot be a fragment size, or undefined when it can. */
export function fragmentSizeProblem(bytes: number): string | undefined {
	if (!Number.isFinite(bytes) || bytes <= 0) return 'must be a positive number';
	if (bytes % FRAGMENT_UNIT !== 0) return 'must be a multiple of 320 KiB (0.3125 MiB), e.g. 5, 10 or 20 MiB';
	if (bytes >= MAX_FRAGMENT_SIZE) return 'must be below 60 MiB';
	return undefined;
}

/**
 * Cuts a source into fragments of exactly `fragmentSize` bytes (the last may be shorter), one at a time.
 *
 * `buffers`: fragments assembled from smaller chunks are copied into that many buffers, used in turn, so a caller
 * may hold at most `buffers` fragments at once (uploadToSession holds two: the one being sent and the one read
 * ahead). Without it every such fragment gets a fresh buffer. Measured in real n8n: a fresh 10 MiB buffer per
 * fragment (page faults, and V8 collecting the n8n heap for the external memory) cost more CPU than the upload's
 * TLS and hashing together.
 */
export async function* fragmentsOf(
	source: Readable | Buffer,
	fragmentSize: number,
	{ buffers = 0 }: { buffers?: number } = {},
): AsyncGenerator<Buffer> {
	if (Buffer.isBuffer(source)) {
		for (let start = 0; start < source.length; start += fragmentSize) yield source.subarray(start, start + fragmentSize);
		return;
	}
	const pool: Buffer[] = [];
	let turn = 0;
	const nextBuffer = (): Buffer => {
		if (buffers <= 0) return Buffer.allocUnsafe(fragmentSize);
		const index = turn++ % buffers;
		pool[index] ??= Buffer.allocUnsafe(fragmentSize);
		return pool[index];
	};
	let fragment: Buffer | undefined;
	let filled = 0;
	for await (const raw of source) {
		const chunk: Buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
		let used = 0;
		// Whole fragments straight from the chunk, no copy, when the reader hands over chunks of at least a fragment.
		while (filled === 0 && chunk.length - used >= fragmentSize) {
			yield chunk.subarray(used, used + fragmentSize);
			used += fragmentSize;
		}
		while (used < chunk.length) {
			fragment ??= nextBuffer();
			const copied = chunk.copy(fragment, filled, used, Math.min(chunk.length, used + fragmentSize - filled));
			filled += copied;
			used += copied;
			if (filled === fragmentSize) {
				yield fragment;
				fragment = undefined;
				filled = 0;
			}
		}
	}
	if (filled > 0 && fragment) yield fragment.subarray(0, filled);
}

/** First byte the session still expects (`nextExpectedRanges: ["26-"]` → 26), undefined when none. */
export function firstExpectedByte(body: unknown): number | undefined {
	const ranges = (parseBody(body) as IDataObject | undefined)?.nextExpectedRanges;
	if (!Array.isArray(ranges) || ranges.length === 0) return undefined;
	const starts = ranges
		.map((range) => Number.parseInt(String(range).split('-')[0], 10))
		.filter((start) => Number.isFinite(start));
	return starts.length ? Math.min(...starts) : undefined;
}

/** Cancels a session; failures are ignored (the session expires on its own). */
export async function cancelUploadSession(ctx: MicrosoftContext, uploadUrl: string): Promise<void> {
	try {
		await fetchPreAuthenticated(ctx, uploadUrl, { method: 'DELETE', ignoreHttpErrors: true }, { policy: { maxAttempts: 2 } });
	} catch {
		// Best effort: an unreachable session expires by itself.
	}
}

function retryAfterOf(response: MicrosoftResponse | undefined): number | undefined {
	return parseRetryAfter(response?.headers['retry-after']);
}

/** Failures worth resuming from `nextExpectedRanges`; anything else (404 session gone, 413, 507 quota) is final. */
function isResumable(response: MicrosoftResponse | undefined): boolean {
	if (!response) return true; // network error / reset
	return response.status >= 500 || response.status === 416 || response.status === 429 || response.status === 408;
}

/**
 * Streams `source` into the session. On any failure the session is cancelled (DELETE uploadUrl) before the
 * error is thrown, so nothing half-written stays behind.
 */
export async function uploadToSession(
	ctx: MicrosoftContext,
	options: UploadSessionOptions,
): Promise<UploadSessionResult> {
	const { uploadUrl, source, size, itemIndex, operation } = options;
	const fragmentSize = options.fragmentSize ?? DEFAULT_FRAGMENT_SIZE;
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry?.policy };
	const wait = options.retry?.sleep ?? realSleep;
	let waitedMs = 0;
	const node = ctx.getNode();
	const problem = fragmentSizeProblem(fragmentSize);
	if (problem) throw new NodeOperationError(node, `Fragment size ${fragmentSize} bytes ${problem}`, { itemIndex });

	const signal = (ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	let offset = 0;
	let resumes = 0;
	let finalBody: IDataObject | undefined;
	let finalHeaders: Record<string, string> = {};
	let lastNetworkError: unknown;

	const put = async (part: Buffer, start: number): Promise<MicrosoftResponse | undefined> => {
		try {
			return await fetchPreAuthenticated(
				ctx,
				uploadUrl,
				{
					method: 'PUT',
					headers: {
						'Content-Range': `bytes ${start}-${start + part.length - 1}/${size}`,
						'Content-Length': String(part.length),
						'Content-Type': 'application/octet-stream',
					},
					body: part,
					ignoreHttpErrors: true,
					// Upload URLs never redirect; without redirect support the HTTP client does not keep a
					// replay copy of the fragment, so only one fragment is held in memory.
					followRedirects: false,
					itemIndex,
					operation,
				},
				// We resume from what the server reports instead of blindly re-sending.
				{ policy: { maxAttempts: 1 } },
			);
		} catch (error) {
			// HTTP errors come back as responses (ignoreHttpErrors); what throws is our own refusal
			// (NodeOperationError, e.g. a non-https URL) or the connection failing mid-fragment.
			if (error instanceof NodeOperationError) throw error;
			lastNetworkError = error;
			return undefined;
		}
	};

	const askSession = async (): Promise<MicrosoftResponse> =>
		await fetchPreAuthenticated(ctx, uploadUrl, { method: 'GET', ignoreHttpErrors: true, itemIndex, operation });

	try {
		// The next fragment is read from the source while this one is sent (two buffers in turn): the source's reads
		// wait on disk or network too, and need not wait for Microsoft's answer.
		const fragments = fragmentsOf(source, fragmentSize, { buffers: 2 });
		let ahead = fragments.next();
		try {
			for (;;) {
				const { value: fragment, done } = await ahead;
				if (done) break;
				ahead = fragments.next();
				ahead.catch(() => undefined); // a source failure surfaces when that fragment is awaited
				if (signal?.aborted) throw new NodeOperationError(node, 'Upload cancelled', { itemIndex });
				const fragmentStart = offset;
				const fragmentEnd = offset + fragment.length;
				if (fragmentEnd > size) {
					throw new NodeOperationError(node, `The file delivered more than the ${size} bytes it declared`, { itemIndex });
				}
				options.hash?.update(fragment);
				let sendFrom = fragmentStart;
				let attempt = 0;
				while (sendFrom < fragmentEnd) {
					const response = await put(fragment.subarray(sendFrom - fragmentStart), sendFrom);
					if (response && (response.status === 200 || response.status === 201)) {
						finalBody = (parseBody(response.body) ?? {}) as IDataObject;
						finalHeaders = response.headers;
						sendFrom = fragmentEnd;
						break;
					}
					if (response && response.status === 202) {
						sendFrom = fragmentEnd;
						break;
					}
					if (!isResumable(response)) throw toNodeApiError(node, response, { itemIndex, operation });
					attempt++;
					// The same rules as every other request: attempts per fragment, one wait budget for the upload.
					const retryAfterMs = retryAfterOf(response);
					const left = policy.maxTotalWaitMs - waitedMs;
					const stoppedBecause: RetryReport['stoppedBecause'] =
						attempt >= policy.maxAttempts ? 'attempts' : (retryAfterMs ?? 0) > left || left <= 0 ? 'budget' : undefined;
					if (stoppedBecause) {
						if (response) {
							const report: RetryReport = { attempts: attempt, waitedMs, stoppedBecause, retryAfterMs };
							throw toNodeApiError(node, { ...response, retry: report }, { itemIndex, operation });
						}
						throw new NodeOperationError(node, `Upload failed: the connection broke ${attempt} times at byte ${sendFrom}`, {
							itemIndex,
							description: `Check the network and try again. Last error: ${redactSecrets(String((lastNetworkError as Error)?.message ?? lastNetworkError))}`,
						});
					}
					resumes++;
					const delay = retryAfterMs ?? Math.min(left, backoffDelay(attempt, policy));
					await wait(delay);
					waitedMs += delay;
					if (signal?.aborted) throw new NodeOperationError(node, 'Upload cancelled', { itemIndex });
					let expected: number | undefined;
					if (options.resume === 'resend') {
						expected = firstExpectedByte(response?.body) ?? fragmentStart;
					} else {
						const status = await askSession();
						if (status.status >= 400) throw toNodeApiError(node, status, { itemIndex, operation: operation ?? 'resume the upload' });
						expected = firstExpectedByte(status.body);
					}
					if (expected === undefined || expected >= fragmentEnd) {
						// The server has the whole fragment already (the failure hit the answer, not the data).
						sendFrom = fragmentEnd;
					} else if (expected < fragmentStart) {
						throw new NodeOperationError(node, `Upload session lost data before byte ${fragmentStart} (it expects byte ${expected} again)`, {
							itemIndex,
							description: 'The file is read as a stream, so earlier fragments cannot be sent again. Run the upload again.',
						});
					} else {
						sendFrom = expected;
					}
				}
				offset = fragmentEnd;
			}
		} finally {
			// Not awaited: a source that never answers must not hold the node; the stream closes when it does.
			void fragments.return(undefined).catch(() => undefined);
		}
		if (offset !== size) {
			throw new NodeOperationError(node, `The file delivered ${offset} bytes but declared ${size}`, {
				itemIndex,
				description: 'The binary data may be truncated; check the node that produced it.',
			});
		}
		if (!finalBody) {
			throw new NodeOperationError(node, 'The upload session never confirmed the finished file', {
				itemIndex,
				description: 'Microsoft accepted every fragment but did not return the created item; check the destination folder.',
			});
		}
	} catch (error) {
		await cancelUploadSession(ctx, uploadUrl);
		throw error;
	}
	return { item: finalBody, headers: finalHeaders, bytesSent: offset, resumes };
}
