/**
 * OData multipart `$batch` for the resource APIs (Dataverse, Finance & Operations): requests become
 * `application/http` parts of one `multipart/mixed` POST, each with a `Content-ID`; the multipart answer is parsed
 * back and mapped to the requests (by `Content-ID` where the service echoes it, else by order, as Dataverse
 * answers parts outside change sets). `Prefer: odata.continue-on-error` asks the service to run every request even
 * when one fails; sub-requests answered 429 (or a transient 503 / 504 that may be repeated) are sent again, like
 * Graph's JSON `$batch` (batch.ts). Requests that share a `changeSet` go into one change set (an atomic group: the
 * service applies all of them or none); a failed change set's answer (one error) is mapped to every request in it.
 */
import { randomUUID } from 'node:crypto';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchOptions, BatchRequest, BatchResult } from './batch';
import { allIdempotent, sendSubRequestRounds } from './batch';
import type { MicrosoftConnection, MicrosoftContext } from './connection';
import { parseBody } from './errors';
import { assertHeaderValue, InputValueError } from './input';
import { graphRequest, hasHeader, ODATA_HEADERS } from './transport';

/** Requests per multipart POST (Dataverse accepts up to 1,000; smaller batches finish well within its time limit). */
export const ODATA_BATCH_SIZE = 100;

export interface ODataBatchOptions extends BatchOptions {
	/** Requests per POST (default ODATA_BATCH_SIZE); a change set is never split across POSTs. */
	batchSize?: number;
	/** Ask the service to run every request even when one fails (`Prefer: odata.continue-on-error`; default true). */
	continueOnError?: boolean;
}

/** A request of a multipart batch; consecutive requests with the same `changeSet` form one atomic change set. */
export interface ODataBatchRequest extends BatchRequest {
	changeSet?: string;
}

/** One top-level answer of a multipart batch: a single response, or a change set's responses. */
export interface ODataBatchEntry {
	changeSet: boolean;
	parts: ODataBatchPart[];
}

/** One part of a multipart answer: the HTTP response inside it and the `Content-ID` it carried, if any. */
export interface ODataBatchPart {
	contentId?: string;
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

const CRLF = '\r\n';
const NO_SPACES = /^[^\s\u0000-\u001f\u007f]+$/;

function bodyText(request: BatchRequest, headers: Record<string, string>): string | undefined {
	if (request.body === undefined || request.body === null) return undefined;
	if (typeof request.body === 'string') {
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'text/plain; charset=utf-8';
		return request.body;
	}
	if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
	return JSON.stringify(request.body);
}

/**
 * The multipart body of one `$batch` POST. URLs must be absolute or absolute paths without spaces, header values one
 * line each: anything else could end a part early and smuggle a request into the batch, so it is refused.
 */
export function buildMultipartBatch(requests: ODataBatchRequest[], boundary = `batch_${randomUUID()}`): { body: string; contentType: string } {
	const parts: string[] = [];
	const boundaries = [boundary];
	for (let index = 0; index < requests.length; ) {
		const changeSet = requests[index].changeSet;
		if (changeSet === undefined) {
			parts.push(`--${boundary}${CRLF}${httpPart(requests[index])}`);
			index++;
			continue;
		}
		let end = index;
		while (end < requests.length && requests[end].changeSet === changeSet) end++;
		const inner = `changeset_${randomUUID()}`;
		boundaries.push(inner);
		const members = requests.slice(index, end).map((request) => `--${inner}${CRLF}${httpPart(request)}`);
		parts.push(`--${boundary}${CRLF}Content-Type: multipart/mixed; boundary=${inner}${CRLF}${CRLF}${members.join(CRLF)}${CRLF}--${inner}--`);
		index = end;
	}
	const body = `${parts.join(CRLF)}${CRLF}--${boundary}--${CRLF}`;
	return { body, contentType: `multipart/mixed; boundary=${boundary}`, ...checkBoundaries(body, boundaries, parts.length) };
}

/** One `application/http` part (without its delimiter line). */
function httpPart(request: BatchRequest): string {
	if (!NO_SPACES.test(request.url)) throw new InputValueError('URL', 'contains spaces or control characters', 'Encode spaces as %20 in the URL.');
	if (!/^[A-Z]+$/.test(request.method)) throw new InputValueError('Method', `"${request.method}" is not an HTTP method`, 'Use GET, POST, PUT, PATCH or DELETE.');
	if (!/^[A-Za-z0-9._-]+$/.test(request.id)) throw new InputValueError('Content-ID', `"${request.id}" is not a batch request id`, 'Use letters, digits, dots, dashes or underscores.');
	const headers: Record<string, string> = { ...request.headers };
	const body = bodyText(request, headers);
	const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${request.id}`, '', `${request.method} ${request.url} HTTP/1.1`];
	for (const [name, value] of Object.entries(headers)) {
		assertHeaderValue(name, String(value));
		lines.push(`${name}: ${String(value)}`);
	}
	lines.push('', body ?? '');
	return lines.join(CRLF);
}

/** A body or header that contains a boundary could end a part early: refused (boundaries are random, so a retry helps). */
function checkBoundaries(body: string, boundaries: string[], partCount: number): Record<string, never> {
	for (const boundary of boundaries) {
		const count = body.split(`--${boundary}`).length - 1;
		// The outer boundary opens every top-level part and closes the batch; a change set's opens its members and closes it.
		const expected = boundary === boundaries[0] ? partCount + 1 : undefined;
		if ((expected !== undefined && count !== expected) || (expected === undefined && body.split(`--${boundary}--`).length - 1 !== 1)) {
			throw new InputValueError('Body', 'contains the batch boundary', 'Run the node again (the boundary is random).');
		}
	}
	return {};
}

/** `boundary` of a multipart Content-Type (quoted or not). */
export function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Splits `text` at the first blank line into a header block (lower-case names) and the rest; with `startLine` the
 * block begins with a start line (`HTTP/1.1 200 OK`) that is not a header.
 */
function splitHead(text: string, startLine: boolean): { headers: Record<string, string>; rest: string; firstLine: string } {
	const match = /(?:^|\r?\n)\r?\n/.exec(text);
	const head = match ? text.slice(0, match.index) : text;
	const rest = match ? text.slice(match.index + match[0].length) : '';
	const lines = head ? head.split(/\r?\n/) : [];
	const firstLine = startLine ? (lines.shift() ?? '') : '';
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { headers, rest, firstLine };
}

/** The MIME parts between `--boundary` delimiters (preamble and epilogue dropped). */
function mimeParts(text: string, boundary: string): string[] {
	const delimiter = new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
	const parts: string[] = [];
	let start: number | undefined;
	for (let match = delimiter.exec(text); match; match = delimiter.exec(text)) {
		if (start !== undefined) parts.push(text.slice(start, match.index));
		if (match[1]) break;
		start = match.index + match[0].length;
	}
	return parts;
}

/**
 * The top-level answers of a multipart `$batch` response, in order: single responses, and change sets (a nested
 * multipart) with their responses. A part that is not an HTTP response is skipped.
 */
export function parseMultipartBatchEntries(body: Buffer | string, contentType: string | undefined): ODataBatchEntry[] {
	const boundary = boundaryOf(contentType);
	if (!boundary) return [];
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	const entries: ODataBatchEntry[] = [];
	for (const raw of mimeParts(text, boundary)) {
		const part = splitHead(raw, false);
		const type = part.headers['content-type'] ?? '';
		if (/^multipart\/mixed/i.test(type)) {
			entries.push({ changeSet: true, parts: parseMultipartBatchEntries(part.rest, type).flatMap((entry) => entry.parts) });
			continue;
		}
		const http = splitHead(part.rest, true);
		const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/i.exec(http.firstLine.trim())?.[1];
		if (!status) continue;
		const contentId = part.headers['content-id'] ?? http.headers['content-id'];
		entries.push({
			changeSet: false,
			parts: [{ ...(contentId !== undefined ? { contentId } : {}), status: Number(status), headers: http.headers, body: parseBody(http.rest) }],
		});
	}
	return entries;
}

/** The answers of a multipart `$batch` response, in order; a change set's answer contributes its parts. */
export function parseMultipartBatch(body: Buffer | string, contentType: string | undefined): ODataBatchPart[] {
	return parseMultipartBatchEntries(body, contentType).flatMap((entry) => entry.parts);
}

/**
 * One answer per request: by `Content-ID` where the answer carries one, else the next request not yet answered, in
 * order. A request left without an answer (the service stopped at an earlier failure) gets status 0.
 */
export function mapBatchAnswers(requests: BatchRequest[], answers: ODataBatchPart[]): BatchResult[] {
	const byId = new Map<string, BatchResult>();
	const ids = new Set(requests.map((request) => request.id));
	const unnamed: ODataBatchPart[] = [];
	for (const answer of answers) {
		if (answer.contentId !== undefined && ids.has(answer.contentId) && !byId.has(answer.contentId)) {
			byId.set(answer.contentId, { id: answer.contentId, status: answer.status, headers: answer.headers, body: answer.body });
		} else unnamed.push(answer);
	}
	for (const request of requests) {
		if (byId.has(request.id)) continue;
		const answer = unnamed.shift();
		if (answer) byId.set(request.id, { id: request.id, status: answer.status, headers: answer.headers, body: answer.body });
	}
	return requests.map(
		(request) =>
			byId.get(request.id) ?? {
				id: request.id,
				status: 0,
				headers: {},
				body: { error: { code: 'noResponse', message: 'The service returned no answer for this request in the batch (an earlier request may have failed)' } },
			},
	);
}

/** Requests in their top-level groups: a change set's requests together, every other request alone. */
function groupsOf(requests: ODataBatchRequest[]): ODataBatchRequest[][] {
	const groups: ODataBatchRequest[][] = [];
	for (const request of requests) {
		const last = groups[groups.length - 1];
		if (request.changeSet !== undefined && last?.[0].changeSet === request.changeSet) last.push(request);
		else groups.push([request]);
	}
	return groups;
}

function errorMessageOf(body: unknown): string {
	const error = (body as { error?: { message?: unknown } } | undefined)?.error;
	return typeof error?.message === 'string' ? error.message : 'the request failed';
}

/**
 * One answer per request when the batch has change sets: the entries follow the top-level groups in order. A change
 * set answered with its responses maps them (by `Content-ID`, else by order); a change set answered with one error
 * (the service rolled it back) gives that error to the request it names and, to the others, the same status when it
 * may be retried (a throttled change set is re-sent whole), else 424 saying the change set was rolled back.
 */
export function mapBatchEntries(requests: ODataBatchRequest[], entries: ODataBatchEntry[]): BatchResult[] {
	const results: BatchResult[] = [];
	const queue = [...entries];
	for (const group of groupsOf(requests)) {
		const entry = queue.shift();
		if (!entry) {
			results.push(...mapBatchAnswers(group, []));
			continue;
		}
		if (group[0].changeSet === undefined || entry.parts.length >= group.length) {
			results.push(...mapBatchAnswers(group, entry.parts));
			continue;
		}
		const failure = entry.parts.find((part) => part.status >= 400) ?? entry.parts[0];
		const culprit = group.find((request) => request.id === failure?.contentId);
		for (const request of group) {
			if (!failure) results.push(...mapBatchAnswers([request], []));
			else if (request === culprit) results.push({ id: request.id, status: failure.status, headers: failure.headers, body: failure.body });
			else {
				const retryable = failure.status === 429 || failure.status === 503 || failure.status === 504;
				const message = culprit
					? `Not written: the change set was rolled back because request ${culprit.id} of it failed: ${errorMessageOf(failure.body)}`
					: `Not written: the change set was rolled back: ${errorMessageOf(failure.body)}`;
				results.push({
					id: request.id,
					status: retryable ? failure.status : 424,
					headers: retryable ? failure.headers : {},
					body: retryable && !culprit ? failure.body : { error: { code: 'changeSetRolledBack', message } },
				});
			}
		}
	}
	return results;
}

/**
 * Sends `requests` (absolute URLs on the credential's resource API) as multipart `$batch` POSTs to `batchUrl`, in
 * groups of `batchSize`; returns one result per request, in the order given.
 */
export async function odataBatch(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	batchUrl: string,
	requests: ODataBatchRequest[],
	options: ODataBatchOptions = {},
): Promise<BatchResult[]> {
	const size = Math.max(1, Math.min(options.batchSize ?? ODATA_BATCH_SIZE, 1000));
	const ids = new Set(requests.map((request) => request.id));
	if (ids.size !== requests.length || requests.some((request) => !request.id)) {
		throw new NodeOperationError(ctx.getNode(), 'Every $batch request needs its own id', { itemIndex: options.itemIndex });
	}
	const results = new Map<string, BatchResult>();
	for (const chunk of chunksOf(ctx, requests, size, options.itemIndex)) {
		const answered = await sendSubRequestRounds(
			chunk,
			async (pending) => {
				const { body, contentType } = buildMultipartBatch(pending);
				const hasChangeSets = pending.some((request) => (request as ODataBatchRequest).changeSet !== undefined);
				const response = await graphRequest<Buffer>(
					ctx,
					conn,
					{
						method: 'POST',
						url: batchUrl,
						headers: { ...ODATA_HEADERS, 'Content-Type': contentType, ...(options.continueOnError === false ? {} : { Prefer: 'odata.continue-on-error' }) },
						body,
						encoding: 'arraybuffer',
						idempotent: allIdempotent(pending),
						itemIndex: options.itemIndex,
						operation: 'send an OData $batch request',
					},
					options,
				);
				if (hasChangeSets) return mapBatchEntries(pending, parseMultipartBatchEntries(response.body, response.headers['content-type']));
				return mapBatchAnswers(pending, parseMultipartBatch(response.body, response.headers['content-type']));
			},
			options,
		);
		for (const [id, result] of answered) results.set(id, result);
	}
	return requests.map((request) => results.get(request.id)!);
}

/** POST-sized chunks of at most `size` requests; a change set stays whole (one larger than `size` is refused). */
function chunksOf(ctx: MicrosoftContext, requests: ODataBatchRequest[], size: number, itemIndex?: number): ODataBatchRequest[][] {
	const chunks: ODataBatchRequest[][] = [];
	let current: ODataBatchRequest[] = [];
	for (const group of groupsOf(requests)) {
		if (group.length > size) {
			throw new NodeOperationError(ctx.getNode(), `A change set of ${group.length} requests does not fit a $batch of ${size}`, { itemIndex });
		}
		if (current.length + group.length > size) {
			chunks.push(current);
			current = [];
		}
		current.push(...group);
	}
	if (current.length) chunks.push(current);
	return chunks;
}
