/**
 * The ONE authenticated HTTP hop of the package. Every Graph / OData request with a token goes through
 * `sendAuthenticated`: host allow-list, n8n's authenticated helper (so n8n refreshes and stores tokens; later
 * requests of the same connection reuse the token n8n holds, see credentialToken.ts), retry policy, and
 * conversion of n8n's thrown errors back into plain responses.
 */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { isUnderPathPrefix } from './clouds';
import type { MicrosoftConnection, MicrosoftContext } from './connection';
import { sendWithCredential } from './credentialToken';
import type { ErrorContext } from './errors';
import { networkCodeOf, normalizeHeaders, parseBody, responseFromError, toNodeApiError } from './errors';
import { assertHeaderValue, assertWellFormedText } from './input';
import type { RetryOptions, RetryReport } from './retry';
import { runWithRetry } from './retry';

export type ResponseEncoding = 'json' | 'arraybuffer' | 'stream';

/** A body object is sent as JSON; a function is a body factory, called once per attempt (makes streams retryable). */
export type RequestBody = IDataObject | IDataObject[] | Buffer | Readable | string | (() => Buffer | Readable);

export interface MicrosoftRequest {
	method?: IHttpRequestMethods;
	/** Absolute https URL, or a path relative to `baseUrl` (default: the connection's Graph `/v1.0`). */
	url: string;
	qs?: IDataObject;
	headers?: Record<string, string>;
	body?: RequestBody;
	/** json (default): parsed body; arraybuffer: Buffer; stream: a Readable that is never buffered. */
	encoding?: ResponseEncoding;
	/** Caller's guarantee that repeating this request is harmless (e.g. a POST with an idempotency key). */
	idempotent?: boolean;
	baseUrl?: string;
	timeoutMs?: number;
}

export interface MicrosoftResponse<T = any> {
	status: number;
	headers: Record<string, string>;
	body: T;
	retry: RetryReport;
}

export type TransportOptions = RetryOptions;

const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/** Does the URL carry its own scheme (and so ignores any base URL)? */
export function isAbsoluteUrl(url: string): boolean {
	return ABSOLUTE_URL.test(url);
}

/** Absolute URL for a request: absolute URLs as given, relative ones appended to the base (which keeps its path). */
export function resolveRequestUrl(conn: MicrosoftConnection, url: string, baseUrl?: string): string {
	if (isAbsoluteUrl(url)) return url;
	const base = (baseUrl ?? conn.graphBaseUrl).replace(/\/+$/, '');
	return `${base}${url.startsWith('/') ? '' : '/'}${url}`;
}

/** Is this URL https on a host that may receive the connection's token? */
export function isAllowedUrl(conn: MicrosoftConnection, url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	const host = parsed.host.toLowerCase();
	if (parsed.protocol !== 'https:' || parsed.username || parsed.password || !conn.allowedHosts.has(host)) return false;
	const prefixes = conn.allowedPathPrefixes?.get(host);
	return !prefixes || isUnderPathPrefix(parsed.pathname, prefixes);
}

/**
 * The translation context for a request to `url`: which API answers (the credential's resource API when
 * the URL is under its base URL, else Graph) and whether the token is app-only, so a 403 names the fix that
 * API documents.
 */
export function errorContextFor(conn: MicrosoftConnection, url: string, context: ErrorContext = {}): ErrorContext {
	const resourceBase = conn.resourceUrl?.toLowerCase();
	const target = url.toLowerCase();
	const toResource = !!resourceBase && (target === resourceBase || target.startsWith(`${resourceBase}/`));
	return { ...context, api: toResource ? conn.resource : 'graph', appOnly: conn.appOnly };
}

/** Throws (before any request) unless the URL may receive the token. */
export function assertAllowedUrl(ctx: MicrosoftContext, conn: MicrosoftConnection, url: string, itemIndex?: number): void {
	if (isAllowedUrl(conn, url)) return;
	let where = 'an invalid URL';
	try {
		const parsed = new URL(url);
		const prefixes = conn.allowedPathPrefixes?.get(parsed.host.toLowerCase());
		where =
			parsed.protocol !== 'https:'
				? `a non-https URL (${parsed.protocol}//${parsed.host})`
				: prefixes && conn.allowedHosts.has(parsed.host.toLowerCase())
					? `path "${parsed.pathname}" on ${parsed.host}, outside the credential's base path ${prefixes.join(', ')}`
					: `host "${parsed.host}"`;
	} catch {
		// keep "an invalid URL"
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`Refused to send the Microsoft credential's token to ${where}`,
		{
			description:
				`Only these hosts may receive this credential's token: ${[...conn.allowedHosts].join(', ')}. ` +
				'Check the URL, or the cloud / custom URLs and resource set in the credential.',
			itemIndex,
		},
	);
}

/** Header names are case-insensitive; `name` in lower case. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Body for one attempt plus whether another attempt could send it again. */
export function prepareBody(
	body: RequestBody | undefined,
	headers: Record<string, string>,
): { produce: () => Buffer | Readable | undefined; replayable: boolean } {
	if (body === undefined || body === null) return { produce: () => undefined, replayable: true };
	if (typeof body === 'function') return { produce: body, replayable: true };
	if (body instanceof Readable) return { produce: () => body, replayable: false };
	if (Buffer.isBuffer(body)) return { produce: () => body, replayable: true };
	if (typeof body === 'string') {
		const buffer = Buffer.from(body, 'utf8');
		return { produce: () => buffer, replayable: true };
	}
	if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
	const json = Buffer.from(JSON.stringify(body), 'utf8');
	return { produce: () => json, replayable: true };
}

export async function readStream(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	return Buffer.concat(chunks);
}

function isReadable(value: unknown): value is Readable {
	return !!value && typeof (value as Readable).pipe === 'function' && typeof (value as Readable).on === 'function';
}

/**
 * Shapes a raw body for the caller: json → parsed; arraybuffer → Buffer; stream → the Readable, unbuffered,
 * but only on success (an error body is read into a Buffer so it can be translated).
 */
export async function shapeBody(status: number, raw: unknown, encoding: ResponseEncoding): Promise<unknown> {
	let body = raw;
	if (isReadable(body) && (encoding !== 'stream' || status >= 300)) body = await readStream(body);
	if (encoding === 'json') return parseBody(body);
	if (body === undefined || body === null || Buffer.isBuffer(body) || isReadable(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

interface RawHop {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

/**
 * One HTTP exchange through an n8n helper. n8n throws for status >= 300 (redirects are not followed); the
 * response inside the thrown error is turned back into a plain response, network errors propagate.
 */
export async function hop(send: () => Promise<unknown>, encoding: ResponseEncoding): Promise<RawHop> {
	try {
		const full = (await send()) as { statusCode: number; headers: unknown; body: unknown };
		return {
			status: full.statusCode,
			headers: normalizeHeaders(full.headers),
			body: await shapeBody(full.statusCode, full.body, encoding),
		};
	} catch (error) {
		const response = responseFromError(error);
		if (!response) throw error;
		return { status: response.status, headers: response.headers, body: await shapeBody(response.status, response.body, encoding) };
	}
}

/** One HTTP exchange as either path (authenticated or pre-authenticated) sends it. */
export interface Exchange {
	method: IHttpRequestMethods;
	url: string;
	headers?: Record<string, string>;
	body?: RequestBody;
	encoding: ResponseEncoding;
	idempotent?: boolean;
	/** What differs per path: redirect handling, qs, timeout, abort signal. */
	options?: Partial<IHttpRequestOptions>;
}

/** The exchange for a request on either path; `options` is what differs per path. */
export function exchangeOf(
	request: Pick<MicrosoftRequest, 'method' | 'headers' | 'body' | 'encoding' | 'idempotent'>,
	url: string,
	options: Partial<IHttpRequestOptions>,
): Exchange {
	return {
		method: request.method ?? 'GET',
		url,
		headers: request.headers,
		body: request.body,
		encoding: request.encoding ?? 'json',
		idempotent: request.idempotent,
		options,
	};
}

/**
 * Refuses, before anything is sent, what would corrupt the request: line breaks in header values (a split
 * request) and broken Unicode in the URL or query (which the HTTP client cannot encode).
 */
function assertSendable(exchange: Exchange): void {
	for (const [name, value] of Object.entries(exchange.headers ?? {})) assertHeaderValue(name, String(value));
	assertWellFormedText(exchange.url, 'Request URL');
	for (const [key, value] of Object.entries(exchange.options?.qs ?? {})) {
		if (typeof value === 'string') assertWellFormedText(value, `Query parameter "${key}"`);
	}
}

/**
 * The retry loop both paths share: the body is prepared once (a stream cannot be sent twice), every attempt
 * goes through `send` (an n8n helper), network errors are retried when safe, and what finally fails is
 * translated. Returns the last response whatever its status.
 */
export async function sendWithRetry(
	ctx: MicrosoftContext,
	exchange: Exchange,
	send: (options: IHttpRequestOptions) => Promise<unknown>,
	retryOptions: TransportOptions,
	errorContext: ErrorContext,
): Promise<MicrosoftResponse> {
	try {
		assertSendable(exchange);
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, errorContext);
	}
	const headers: Record<string, string> = { ...exchange.headers };
	const { produce, replayable } = prepareBody(exchange.body, headers);
	const attempt = async () => {
		const httpOptions: IHttpRequestOptions = {
			...exchange.options,
			method: exchange.method,
			url: exchange.url,
			headers: { ...headers },
			returnFullResponse: true,
			encoding: exchange.encoding === 'stream' ? 'stream' : 'arraybuffer',
		};
		const body = produce();
		if (body !== undefined) httpOptions.body = body as IHttpRequestOptions['body'];
		return await hop(async () => await send(httpOptions), exchange.encoding);
	};
	try {
		const { response, report } = await runWithRetry(
			attempt,
			{ method: exchange.method, idempotent: exchange.idempotent, replayable },
			networkCodeOf,
			retryOptions,
		);
		return { ...response, retry: report };
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, errorContext);
	}
}

/**
 * Sends one authenticated request (with retries) and returns the final response whatever its status.
 * Throws only for a refused URL, a credential/sign-in failure or a network error after retries
 * (as NodeOperationError / NodeApiError).
 */
export async function sendAuthenticated(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	request: MicrosoftRequest,
	retryOptions: TransportOptions = {},
	errorContext: ErrorContext = {},
): Promise<MicrosoftResponse> {
	const url = resolveRequestUrl(conn, request.url, request.baseUrl);
	assertAllowedUrl(ctx, conn, url, errorContext.itemIndex);
	const options: Partial<IHttpRequestOptions> = {
		// A redirect (e.g. /content → download URL) must never carry the token: we stop at the 3xx.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
	};
	// Unset options (`$select: undefined` for raw output) are left out rather than sent as "undefined".
	const qs = Object.fromEntries(Object.entries(request.qs ?? {}).filter(([, value]) => value !== undefined));
	if (Object.keys(qs).length) options.qs = qs;
	if (request.timeoutMs) options.timeout = request.timeoutMs;
	return await sendWithRetry(
		ctx,
		exchangeOf(request, url, options),
		async (httpOptions) => await sendWithCredential(ctx, conn, httpOptions),
		retryOptions,
		errorContextFor(conn, url, errorContext),
	);
}

export interface GraphRequest extends MicrosoftRequest, ErrorContext {}

/**
 * `sendAuthenticated` for callers that want success or a translated error: status >= 400 throws NodeApiError
 * with Microsoft's message, code, fix and request ids. 3xx responses are returned (e.g. a download redirect).
 */
export async function graphRequest<T = any>(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	request: GraphRequest,
	options: TransportOptions = {},
): Promise<MicrosoftResponse<T>> {
	const errorContext: ErrorContext = {
		itemIndex: request.itemIndex,
		operation: request.operation,
		requiredPermission: request.requiredPermission,
		advice: request.advice,
	};
	const response = await sendAuthenticated(ctx, conn, request, options, errorContext);
	if (response.status >= 400) {
		const url = resolveRequestUrl(conn, request.url, request.baseUrl);
		throw toNodeApiError(ctx.getNode(), response, errorContextFor(conn, url, errorContext));
	}
	return response as MicrosoftResponse<T>;
}

/** OData resource APIs (Dataverse, F&O, Business Central): Graph's policy with the OData headers. */
export const ODATA_HEADERS: Record<string, string> = {
	Accept: 'application/json',
	'OData-MaxVersion': '4.0',
	'OData-Version': '4.0',
};

/** What makes a request an OData one (single request or paging): the OData headers, the resource URL as base. */
export function odataDefaults(
	conn: MicrosoftConnection,
	request: { baseUrl?: string; headers?: Record<string, string> },
): { baseUrl: string | undefined; headers: Record<string, string> } {
	return { baseUrl: request.baseUrl ?? conn.resourceUrl, headers: { ...ODATA_HEADERS, ...request.headers } };
}

export async function odataRequest<T = any>(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	request: GraphRequest,
	options: TransportOptions = {},
): Promise<MicrosoftResponse<T>> {
	if (!conn.resourceUrl && !isAbsoluteUrl(request.url) && !request.baseUrl) {
		throw new NodeOperationError(ctx.getNode(), 'This credential has no resource URL', {
			description: 'Choose a credential whose Resource is Dataverse, Finance & Operations or Business Central.',
			itemIndex: request.itemIndex,
		});
	}
	return await graphRequest<T>(ctx, conn, { ...request, ...odataDefaults(conn, request) }, options);
}
