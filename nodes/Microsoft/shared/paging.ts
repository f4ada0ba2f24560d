/**
 * Paging over `@odata.nextLink` for Graph and the OData resource APIs. Links are followed exactly as
 * Microsoft returns them (never rebuilt), only while they stay on the credential's hosts, and never past
 * the caller's limit (no page is fetched once the limit is reached).
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from './connection';
import type { ErrorContext } from './errors';
import type { MicrosoftResponse, TransportOptions } from './transport';
import { graphRequest, isAllowedUrl, odataDefaults } from './transport';

/**
 * Largest page size each API accepts (`$top`, or `Prefer: odata.maxpagesize` for Dataverse).
 * Sources: OneDrive team (children ≤ 1000), Graph docs for users/groups ($top 1–999), Outlook messages
 * (≤ 1000), Teams channel/chat messages ($top ≤ 50), Dataverse (maxpagesize ≤ 5000).
 */
export const MAX_PAGE_SIZE = {
	driveChildren: 1000,
	driveDelta: 1000,
	users: 999,
	groups: 999,
	messages: 1000,
	events: 1000,
	channelMessages: 50,
	chatMessages: 50,
	dataverse: 5000,
} as const;

const RESUMED_LINK = /[?&](?:\$|%24)(?:top|skiptoken|skip|deltatoken)=|[?&]token=/i;

export interface PagingOptions extends ErrorContext {
	qs?: IDataObject;
	/** Sent as `$top` on the first request (Graph) or as `odata.maxpagesize` (OData variant). */
	pageSize?: number;
	/** Stop after this many items in total; undefined or 0 = all. */
	limit?: number;
	headers?: Record<string, string>;
	/** Called with every page body (and its response, e.g. for the Date header), e.g. to keep `@odata.deltaLink`. */
	onPage?: (body: IDataObject, response: MicrosoftResponse) => void;
	transport?: TransportOptions;
	/** Relative URLs resolve against this (Graph: the connection's graphBaseUrl; OData: its resourceUrl). */
	baseUrl?: string;
}

/** How an API is asked for a page size: Graph's `$top`, or OData's `Prefer: odata.maxpagesize` (Dataverse). */
type PageSizeStyle = 'top' | 'maxpagesize';

/** What to do after a page: the items to hand out and the next link to follow (if any). */
export function planPage(
	body: IDataObject,
	taken: number,
	limit: number | undefined,
): { items: IDataObject[]; next?: string } {
	const value = Array.isArray(body.value) ? (body.value as IDataObject[]) : [];
	const room = limit && limit > 0 ? Math.max(0, limit - taken) : Infinity;
	const items = value.length > room ? value.slice(0, room) : value;
	const reachedLimit = !!limit && limit > 0 && taken + items.length >= limit;
	const nextLink = typeof body['@odata.nextLink'] === 'string' ? (body['@odata.nextLink'] as string) : undefined;
	return { items, next: reachedLimit ? undefined : nextLink };
}

/** Graph's pages (arrays of items), page size as `$top`. */
export function graphPages(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	options: PagingOptions = {},
): AsyncGenerator<IDataObject[], void, undefined> {
	return pages(ctx, conn, url, options, 'top');
}

async function* pages(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	options: PagingOptions,
	pageSizeStyle: PageSizeStyle,
): AsyncGenerator<IDataObject[], void, undefined> {
	const limit = options.limit && options.limit > 0 ? options.limit : undefined;
	const headers: Record<string, string> = { ...options.headers };
	let qs: IDataObject | undefined = { ...options.qs };
	let pageSize = options.pageSize;
	// Do not ask for more than the limit needs (still one page).
	if (pageSize && limit && limit < pageSize) pageSize = limit;
	if (pageSize) {
		if (pageSizeStyle === 'maxpagesize') headers.Prefer = appendPrefer(headers.Prefer, `odata.maxpagesize=${pageSize}`);
		// A resumed next/delta link already carries its paging state: it is followed exactly as given.
		else if (qs.$top === undefined && !RESUMED_LINK.test(url)) qs.$top = pageSize;
	}
	let next: string | undefined = url;
	let taken = 0;
	let first = true;
	while (next) {
		// The transport would refuse the link too; checked here so the error says it was paging and how far it got.
		if (!first && !isAllowedUrl(conn, next)) {
			let host = next;
			try {
				host = new URL(next).host;
			} catch {
				// keep the raw text
			}
			throw new NodeApiError(
				ctx.getNode(),
				{ message: 'Next-page link points outside this credential\'s hosts' },
				{
					message: `Microsoft returned a next-page link on "${host}", which is not one of this credential's hosts`,
					description:
						`The token is only sent to ${[...conn.allowedHosts].join(', ')}; paging stopped after ${taken} item(s) ` +
						'without following the link. Check the credential\'s cloud and custom URLs.',
					itemIndex: options.itemIndex,
				},
			);
		}
		const response = await graphRequest<IDataObject>(
			ctx,
			conn,
			{
				method: 'GET',
				url: next,
				qs: first ? qs : undefined,
				headers,
				baseUrl: options.baseUrl,
				itemIndex: options.itemIndex,
				operation: options.operation,
				requiredPermission: options.requiredPermission,
			},
			options.transport,
		);
		first = false;
		qs = undefined;
		const body = (response.body ?? {}) as IDataObject;
		options.onPage?.(body, response);
		const page = planPage(body, taken, limit);
		taken += page.items.length;
		yield page.items;
		next = page.next;
	}
}

function appendPrefer(existing: string | undefined, value: string): string {
	return existing ? `${existing}, ${value}` : value;
}

async function collect(pagesOf: AsyncGenerator<IDataObject[], void, undefined>): Promise<IDataObject[]> {
	const all: IDataObject[] = [];
	for await (const page of pagesOf) all.push(...page);
	return all;
}

/** All items (up to `limit`) as one array. */
export async function graphGetAll(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	options: PagingOptions = {},
): Promise<IDataObject[]> {
	return await collect(graphPages(ctx, conn, url, options));
}

/**
 * OData resource APIs (Dataverse, F&O, Business Central): same loop, page size through
 * `Prefer: odata.maxpagesize` (in Dataverse `$top` turns paging off), OData headers,
 * relative URLs resolved against the credential's resource URL.
 */
export function odataPages(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	options: PagingOptions = {},
): AsyncGenerator<IDataObject[], void, undefined> {
	return pages(ctx, conn, url, { ...options, ...odataDefaults(conn, options) }, 'maxpagesize');
}

export async function odataGetAll(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	options: PagingOptions = {},
): Promise<IDataObject[]> {
	return await collect(odataPages(ctx, conn, url, options));
}
