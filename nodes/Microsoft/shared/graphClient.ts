/**
 * A `@microsoft/microsoft-graph-client` Client whose last (and only) middleware is our transport, so the
 * client builds requests (`.api().select().top()`), pages (`PageIterator`) and raises `GraphError`s, while
 * every byte still goes through `sendAuthenticated`: allow-list, n8n's token handling, our retry policy.
 * (No RetryHandler / AuthenticationHandler from the client: see retry.ts for why.)
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { Client } from '@microsoft/microsoft-graph-client';
import type { IHttpRequestMethods } from 'n8n-workflow';
import { Readable } from 'node:stream';

import type { MicrosoftConnection, MicrosoftContext } from './connection';
import type { RequestBody, TransportOptions } from './transport';
import { sendAuthenticated } from './transport';
import { normalizeHeaders } from './errors';

/** Fetch-style body → what the transport sends. Strings (the client's JSON) are sent as-is. */
async function toRequestBody(body: unknown): Promise<RequestBody | undefined> {
	if (body === undefined || body === null) return undefined;
	if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Readable) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	if (typeof Blob !== 'undefined' && body instanceof Blob) return Buffer.from(await body.arrayBuffer());
	if (body instanceof URLSearchParams) return body.toString();
	return JSON.stringify(body);
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** The client's final middleware: fetch semantics on top of `sendAuthenticated`. */
export class TransportMiddleware implements Middleware {
	constructor(
		private readonly ctx: MicrosoftContext,
		private readonly conn: MicrosoftConnection,
		private readonly options: TransportOptions = {},
	) {}

	async execute(context: Context): Promise<void> {
		const request = context.request;
		let url: string;
		let method: string | undefined = context.options?.method;
		let headers = normalizeHeaders(context.options?.headers);
		let body: unknown = context.options?.body;
		if (typeof request === 'string') url = request;
		else {
			url = request.url;
			method ??= request.method;
			headers = { ...normalizeHeaders(request.headers), ...headers };
			if (body === undefined && request.body) body = Buffer.from(await request.arrayBuffer());
		}
		const response = await sendAuthenticated(
			this.ctx,
			this.conn,
			{
				method: (method ?? 'GET').toUpperCase() as IHttpRequestMethods,
				url,
				headers,
				body: await toRequestBody(body),
				encoding: 'arraybuffer',
			},
			this.options,
		);
		const responseHeaders = new Headers();
		for (const [key, value] of Object.entries(response.headers)) responseHeaders.set(key, value);
		const raw = response.body as Buffer | undefined;
		const payload = NULL_BODY_STATUSES.has(response.status) || !raw || raw.length === 0 ? null : new Uint8Array(raw);
		context.response = new Response(payload, { status: response.status, headers: responseHeaders });
	}
}

/** A Graph SDK client for this connection (base URL = the cloud's Graph host, version v1.0). */
export function graphClient(ctx: MicrosoftContext, conn: MicrosoftConnection, options: TransportOptions = {}): Client {
	return Client.initWithMiddleware({
		middleware: new TransportMiddleware(ctx, conn, options),
		baseUrl: conn.graphUrl + '/',
		defaultVersion: 'v1.0',
		customHosts: new Set([...conn.allowedHosts].map((host) => host.replace(/:\d+$/, ''))),
	});
}
