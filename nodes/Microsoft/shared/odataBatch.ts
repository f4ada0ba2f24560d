/**
 * OData multipart `$batch` for the resource APIs (Dataverse, Finance & Operations): requests become
 * `application/http` parts of one `multipart/mixed` POST, each with a `Content-ID`; the multipart answer is parsed
 * back and mapped to the requests (by `Content-ID` where the service echoes it, else by order, as Dataverse
 * answers parts outside change sets). `Prefer: odata.continue-on-error` asks the service to run every request even
 * when one fails; sub-requests answered 429 (or a transient 503 / 504 that may be repeated) are sent again, like
 * Graph's JSON `$batch` (batch.ts). Change sets (atomic groups) are not built here.
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
	/** Requests per POST (default ODATA_BATCH_SIZE). */
	batchSize?: number;
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
export function buildMultipartBatch(requests: BatchRequest[], boundary = `batch_${randomUUID()}`): { body: string; contentType: string } {
	const parts: string[] = [];
	for (const request of requests) {
		if (!NO_SPACES.test(request.url)) throw new InputValueError('URL', 'contains spaces or control characters', 'Encode spaces as %20 in the URL.');
		if (!/^[A-Z]+$/.test(request.method)) throw new InputValueError('Method', `"${request.method}" is not an HTTP method`, 'Use GET, POST, PUT, PATCH or DELETE.');
		const headers: Record<string, string> = { ...request.headers };
		const body = bodyText(request, headers);
		const lines = [
			`--${boundary}`,
			'Content-Type: application/http',
			'Content-Transfer-Encoding: binary',
			`Content-ID: ${request.id}`,
			'',
			`${request.method} ${request.url} HTTP/1.1`,
		];
		for (const [name, value] of Object.entries(headers)) {
			assertHeaderValue(name, String(value));
			lines.push(`${name}: ${String(value)}`);
		}
		lines.push('', body ?? '');
		const part = lines.join(CRLF);
		if (part.slice(boundary.length + 2).includes(`--${boundary}`)) {
			throw new InputValueError('Body', 'contains the batch boundary', 'Run the node again (the boundary is random).');
		}
		parts.push(part);
	}
	return { body: `${parts.join(CRLF)}${CRLF}--${boundary}--${CRLF}`, contentType: `multipart/mixed; boundary=${boundary}` };
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
 * The answers of a multipart `$batch` response, in order; a change set's answer (a nested multipart) contributes its
 * parts. A part that is not an HTTP response is skipped.
 */
export function parseMultipartBatch(body: Buffer | string, contentType: string | undefined): ODataBatchPart[] {
	const boundary = boundaryOf(contentType);
	if (!boundary) return [];
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	const answers: ODataBatchPart[] = [];
	for (const raw of mimeParts(text, boundary)) {
		const part = splitHead(raw, false);
		const type = part.headers['content-type'] ?? '';
		if (/^multipart\/mixed/i.test(type)) {
			answers.push(...parseMultipartBatch(part.rest, type));
			continue;
		}
		const http = splitHead(part.rest, true);
		const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/i.exec(http.firstLine.trim())?.[1];
		if (!status) continue;
		const contentId = part.headers['content-id'] ?? http.headers['content-id'];
		answers.push({
			...(contentId !== undefined ? { contentId } : {}),
			status: Number(status),
			headers: http.headers,
			body: parseBody(http.rest),
		});
	}
	return answers;
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

/**
 * Sends `requests` (absolute URLs on the credential's resource API) as multipart `$batch` POSTs to `batchUrl`, in
 * groups of `batchSize`; returns one result per request, in the order given.
 */
export async function odataBatch(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	batchUrl: string,
	requests: BatchRequest[],
	options: ODataBatchOptions = {},
): Promise<BatchResult[]> {
	const size = Math.max(1, Math.min(options.batchSize ?? ODATA_BATCH_SIZE, 1000));
	const ids = new Set(requests.map((request) => request.id));
	if (ids.size !== requests.length || requests.some((request) => !request.id)) {
		throw new NodeOperationError(ctx.getNode(), 'Every $batch request needs its own id', { itemIndex: options.itemIndex });
	}
	const results = new Map<string, BatchResult>();
	for (let start = 0; start < requests.length; start += size) {
		const chunk = requests.slice(start, start + size);
		const answered = await sendSubRequestRounds(
			chunk,
			async (pending) => {
				const { body, contentType } = buildMultipartBatch(pending);
				const response = await graphRequest<Buffer>(
					ctx,
					conn,
					{
						method: 'POST',
						url: batchUrl,
						headers: { ...ODATA_HEADERS, 'Content-Type': contentType, Prefer: 'odata.continue-on-error' },
						body,
						encoding: 'arraybuffer',
						idempotent: allIdempotent(pending),
						itemIndex: options.itemIndex,
						operation: 'send an OData $batch request',
					},
					options,
				);
				return mapBatchAnswers(pending, parseMultipartBatch(response.body, response.headers['content-type']));
			},
			options,
		);
		for (const [id, result] of answered) results.set(id, result);
	}
	return requests.map((request) => results.get(request.id)!);
}
