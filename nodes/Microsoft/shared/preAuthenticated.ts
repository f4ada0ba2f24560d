/**
 * Pre-authenticated URLs (`@microsoft.graph.downloadUrl`, download redirects, upload-session `uploadUrl`,
 * copy-monitor `Location`): the URL itself is the authorisation, and Microsoft documents that sending a
 * bearer token there may fail (401) — and it would leak the token to a storage host. So these go through
 * n8n's plain `httpRequest`, never the authenticated helper, and must not carry an Authorization header.
 */
import type { IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MicrosoftContext } from './connection';
import type { ErrorContext } from './errors';
import { toNodeApiError } from './errors';
import type { RequestBody, ResponseEncoding, MicrosoftResponse, TransportOptions } from './transport';
import { exchangeOf, sendWithRetry } from './transport';

export interface PreAuthenticatedRequest extends ErrorContext {
	method?: IHttpRequestMethods;
	headers?: Record<string, string>;
	body?: RequestBody;
	/** Default json. `stream` returns the response body as a Readable without buffering it. */
	encoding?: ResponseEncoding;
	idempotent?: boolean;
	/** Return 4xx/5xx responses instead of throwing a translated NodeApiError (upload sessions read 416 etc.). */
	ignoreHttpErrors?: boolean;
	/** Follow redirects (default true; each hop must be https and gets no token). False returns the 3xx. */
	followRedirects?: boolean;
	timeoutMs?: number;
}

/** Most redirects one pre-authenticated fetch follows. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a pre-authenticated URL without any credential (the URL is the authorisation). Redirects are
 * followed here, not by the HTTP client, so that every hop is checked like the first (https only, no
 * Authorization header) and there is a hop limit.
 */
export async function fetchPreAuthenticated(
	ctx: MicrosoftContext,
	url: string,
	request: PreAuthenticatedRequest = {},
	options: TransportOptions = {},
): Promise<MicrosoftResponse> {
	let current = { url, request };
	for (let hops = 0; ; hops++) {
		const response = await fetchOnce(ctx, current.url, current.request, options);
		const location = response.headers.location;
		if (request.followRedirects === false || !REDIRECT_STATUSES.has(response.status) || !location) return response;
		if (hops >= MAX_REDIRECTS) {
			throw new NodeOperationError(ctx.getNode(), `A Microsoft file URL redirected more than ${MAX_REDIRECTS} times`, {
				description: 'Stopped following it. Try again later; if it persists, the link may be broken.',
				itemIndex: request.itemIndex,
			});
		}
		const next = new URL(location, current.url).toString();
		// 303 (and 301/302 after anything but GET/HEAD) turn into a GET without body, as browsers do.
		const method = current.request.method ?? 'GET';
		const keepMethod = response.status === 307 || response.status === 308 || method === 'GET' || method === 'HEAD';
		current = { url: next, request: keepMethod ? current.request : { ...current.request, method: 'GET', body: undefined } };
	}
}

async function fetchOnce(
	ctx: MicrosoftContext,
	url: string,
	request: PreAuthenticatedRequest,
	options: TransportOptions,
): Promise<MicrosoftResponse> {
	const errorContext: ErrorContext = {
		itemIndex: request.itemIndex,
		operation: request.operation,
		requiredPermission: request.requiredPermission,
	};
	assertPreAuthenticatedUrl(ctx, url, request.headers, errorContext.itemIndex);

	// Redirects are followed by fetchPreAuthenticated (checked per hop); without redirect support the HTTP
	// client also keeps no replay copy of an upload fragment.
	const httpOptions: Partial<IHttpRequestOptions> = { disableFollowRedirect: true };
	if (request.timeoutMs) httpOptions.timeout = request.timeoutMs;
	// n8n adds the execution's cancel signal only on its authenticated path; long downloads need it too.
	const cancel = (ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	if (cancel) httpOptions.abortSignal = cancel;
	const response = await sendWithRetry(
		ctx,
		exchangeOf(request, url, httpOptions),
		async (httpOptions) => await ctx.helpers.httpRequest(httpOptions),
		options,
		errorContext,
	);
	if (response.status >= 400 && !request.ignoreHttpErrors) throw toNodeApiError(ctx.getNode(), response, errorContext);
	return response;
}


function assertPreAuthenticatedUrl(
	ctx: MicrosoftContext,
	url: string,
	headers: Record<string, string> | undefined,
	itemIndex: number | undefined,
): void {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {
		parsed = undefined;
	}
	if (!parsed || parsed.protocol !== 'https:') {
		throw new NodeOperationError(ctx.getNode(), 'Refused to fetch a Microsoft file URL that is not https', {
			description: 'Download, upload-session and copy-monitor URLs from Microsoft are always https; this one was not.',
			itemIndex,
		});
	}
	if (headers && Object.keys(headers).some((key) => key.toLowerCase() === 'authorization')) {
		throw new NodeOperationError(ctx.getNode(), 'A pre-authenticated Microsoft URL must not get an Authorization header', {
			description: 'These URLs carry their own authorisation; sending a token there would leak it.',
			itemIndex,
		});
	}
}
