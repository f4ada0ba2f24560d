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
import { sendWithRetry } from './transport';

export interface PreAuthenticatedRequest extends ErrorContext {
	method?: IHttpRequestMethods;
	headers?: Record<string, string>;
	body?: RequestBody;
	/** Default json. `stream` returns the response body as a Readable without buffering it. */
	encoding?: ResponseEncoding;
	idempotent?: boolean;
	/** Return 4xx/5xx responses instead of throwing a translated NodeApiError (upload sessions read 416 etc.). */
	ignoreHttpErrors?: boolean;
	followRedirects?: boolean;
	timeoutMs?: number;
}

/** Fetches a pre-authenticated URL without any credential (the URL is the authorisation). */
export async function fetchPreAuthenticated(
	ctx: MicrosoftContext,
	url: string,
	request: PreAuthenticatedRequest = {},
	options: TransportOptions = {},
): Promise<MicrosoftResponse> {
	const errorContext: ErrorContext = {
		itemIndex: request.itemIndex,
		operation: request.operation,
		requiredPermission: request.requiredPermission,
	};
	assertPreAuthenticatedUrl(ctx, url, request.headers, errorContext.itemIndex);

	const httpOptions: Partial<IHttpRequestOptions> = { disableFollowRedirect: request.followRedirects === false };
	if (request.timeoutMs) httpOptions.timeout = request.timeoutMs;
	// n8n adds the execution's cancel signal only on its authenticated path; long downloads need it too.
	const cancel = (ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	if (cancel) httpOptions.abortSignal = cancel;
	const response = await sendWithRetry(
		ctx,
		{
			method: request.method ?? 'GET',
			url,
			headers: request.headers,
			body: request.body,
			encoding: request.encoding ?? 'json',
			idempotent: request.idempotent,
			options: httpOptions,
		},
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
