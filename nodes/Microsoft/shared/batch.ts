/**
 * Graph JSON `$batch`: up to 20 requests per POST, answers mapped back to the callers' order, and only the
 * sub-requests that were throttled (429) or hit a transient 503/504 are sent again — honouring their own
 * Retry-After — under the same policy as single requests.
 *
 * Plain JSON instead of the client's BatchRequestContent: that class needs fetch `Request` objects and
 * reads their bodies back asynchronously, and it has no notion of re-sending a subset; the wire format is
 * small and documented.
 */
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from './connection';
import { normalizeHeaders } from './errors';
import type { RetryOptions } from './retry';
import { DEFAULT_RETRY_POLICY, decideRetry, isIdempotentMethod, isRetryableStatus, isSafeToRepeat, parseRetryAfter, realSleep } from './retry';
import { graphRequest, hasHeader, isAbsoluteUrl } from './transport';

export const MAX_BATCH_SIZE = 20;

export interface BatchRequest {
	/** Unique within the call. */
	id: string;
	method: IHttpRequestMethods;
	/** Relative to the Graph version root (`/me/drive`), or an absolute URL under the connection's graphBaseUrl. */
	url: string;
	headers?: Record<string, string>;
	body?: unknown;
	/** Ids of requests in the same chunk of 20 that must succeed first. */
	dependsOn?: string[];
	/** Caller's guarantee that repeating this request is harmless. */
	idempotent?: boolean;
}

export interface BatchResult {
	id: string;
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

export interface BatchOptions extends RetryOptions {
	itemIndex?: number;
}

function relativeUrl(ctx: MicrosoftContext, conn: MicrosoftConnection, url: string, itemIndex?: number): string {
	if (!isAbsoluteUrl(url)) return url.startsWith('/') ? url : `/${url}`;
	if (url.toLowerCase().startsWith(conn.graphBaseUrl.toLowerCase() + '/')) return url.slice(conn.graphBaseUrl.length);
	throw new NodeOperationError(ctx.getNode(), `A $batch request can only address Microsoft Graph: "${url}" is outside ${conn.graphBaseUrl}`, {
		itemIndex,
	});
}

/** Splits into chunks of 20, refusing `dependsOn` across chunks (Graph resolves dependencies within one batch). */
export function chunkBatch(requests: BatchRequest[], size = MAX_BATCH_SIZE): BatchRequest[][] {
	const seen = new Set<string>();
	for (const request of requests) {
		if (!request.id) throw new Error('Every $batch request needs an id');
		if (seen.has(request.id)) throw new Error(`Duplicate $batch request id "${request.id}"`);
		seen.add(request.id);
	}
	const chunks: BatchRequest[][] = [];
	for (let i = 0; i < requests.length; i += size) chunks.push(requests.slice(i, i + size));
	for (const chunk of chunks) {
		const ids = new Set(chunk.map((request) => request.id));
		for (const request of chunk) {
			for (const dependency of request.dependsOn ?? []) {
				if (!ids.has(dependency)) {
					throw new Error(`$batch request "${request.id}" depends on "${dependency}", which is not in the same group of ${size}`);
				}
			}
		}
	}
	return chunks;
}

/**
 * Which answered sub-requests to send again: retryable and safe by the single-request policy, plus requests
 * that failed only because one of those did (424 Failed Dependency).
 */
export function subRequestsToRetry(requests: BatchRequest[], results: Map<string, BatchResult>): BatchRequest[] {
	const retry = new Set<string>();
	for (const request of requests) {
		const result = results.get(request.id);
		if (!result || !isRetryableStatus(result.status)) continue;
		const idempotent = request.idempotent ?? isIdempotentMethod(request.method);
		if (isSafeToRepeat({ kind: 'response', status: result.status, headers: result.headers }, idempotent)) retry.add(request.id);
	}
	let grew = true;
	while (grew) {
		grew = false;
		for (const request of requests) {
			if (retry.has(request.id) || results.get(request.id)?.status !== 424) continue;
			if ((request.dependsOn ?? []).some((dependency) => retry.has(dependency))) {
				retry.add(request.id);
				grew = true;
			}
		}
	}
	return requests.filter((request) => retry.has(request.id));
}

function toWire(request: BatchRequest, url: string): IDataObject {
	const headers: Record<string, string> = { ...request.headers };
	const wire: IDataObject = { id: request.id, method: request.method, url };
	if (request.body !== undefined) {
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
		wire.body = request.body as IDataObject;
	}
	if (Object.keys(headers).length) wire.headers = headers;
	if (request.dependsOn?.length) wire.dependsOn = request.dependsOn;
	return wire;
}

/**
 * Sends `chunk` with `send` (one batch request; it returns the answers it got), then sends again only the
 * sub-requests `subRequestsToRetry` picks, waiting as long as the most demanding sub-response asks, until none
 * is left or the policy (attempts, wait budget) stops. Graph's JSON `$batch` and the OData multipart `$batch`
 * share it. Returns the last answer of every sub-request that was answered.
 */
export async function sendSubRequestRounds(
	chunk: BatchRequest[],
	send: (pending: BatchRequest[]) => Promise<BatchResult[]>,
	options: RetryOptions = {},
): Promise<Map<string, BatchResult>> {
	const results = new Map<string, BatchResult>();
	const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
	const sleep = options.sleep ?? realSleep;
	let pending = chunk;
	let waitedMs = 0;
	for (let attempt = 1; pending.length; attempt++) {
		for (const result of await send(pending)) results.set(result.id, result);
		const retry = subRequestsToRetry(pending, results);
		if (!retry.length) break;
		// Wait as long as the most demanding sub-response asks (or back off when none says).
		const slowest = retry
			.map((request) => results.get(request.id)!)
			.filter((result) => isRetryableStatus(result.status))
			.sort((a, b) => (parseRetryAfter(b.headers['retry-after']) ?? -1) - (parseRetryAfter(a.headers['retry-after']) ?? -1))[0];
		const decision = decideRetry(
			{ kind: 'response', status: slowest.status, headers: slowest.headers },
			// Safety per sub-request was checked above; here only timing and caps are decided.
			{ method: 'GET', idempotent: true, replayable: true, attempt, waitedMs, policy, random: options.random },
		);
		if (!decision.retry) break;
		await sleep(decision.delayMs);
		waitedMs += decision.delayMs;
		pending = retry;
	}
	return results;
}

/** Does every request in the batch allow repeating it? Then the transport may repeat the outer POST. */
export function allIdempotent(requests: BatchRequest[]): boolean {
	return requests.every((request) => request.idempotent ?? isIdempotentMethod(request.method));
}

async function sendChunk(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	chunk: BatchRequest[],
	options: BatchOptions,
): Promise<Map<string, BatchResult>> {
	return await sendSubRequestRounds(
		chunk,
		async (pending) => {
			const response = await graphRequest<{ responses?: IDataObject[] }>(
				ctx,
				conn,
				{
					method: 'POST',
					url: '/$batch',
					body: { requests: pending.map((request) => toWire(request, relativeUrl(ctx, conn, request.url, options.itemIndex))) },
					// The outer POST may be repeated by the transport only if every request inside may.
					idempotent: allIdempotent(pending),
					itemIndex: options.itemIndex,
					operation: 'send a Microsoft Graph $batch request',
				},
				options,
			);
			return (response.body?.responses ?? []).map((answer) => ({
				id: String(answer.id),
				status: Number(answer.status),
				headers: normalizeHeaders(answer.headers),
				body: answer.body,
			}));
		},
		options,
	);
}

/** Sends the requests in `$batch` chunks of 20; returns one result per request, in the order given. */
export async function graphBatch(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	requests: BatchRequest[],
	options: BatchOptions = {},
): Promise<BatchResult[]> {
	let chunks: BatchRequest[][];
	try {
		chunks = chunkBatch(requests);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { itemIndex: options.itemIndex });
	}
	const results = new Map<string, BatchResult>();
	for (const chunk of chunks) {
		for (const [id, result] of await sendChunk(ctx, conn, chunk, options)) results.set(id, result);
	}
	return requests.map(
		(request) =>
			results.get(request.id) ?? {
				id: request.id,
				status: 0,
				headers: {},
				body: { error: { code: 'noResponse', message: 'Microsoft Graph returned no answer for this request in the batch' } },
			},
	);
}
