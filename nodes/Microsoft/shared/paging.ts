/**
 * Paging over `@odata.nextLink` for Graph and the OData resource APIs. Links are followed exactly as
 * Microsoft returns them (never rebuilt), only while they stay on the credential's hosts, and never past
 * the caller's limit (no page is fetched once the limit is reached). Every loop ends: a link that comes
 * back a second time, a run of empty pages or more pages than the ceiling stop it with an error.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from './connection';
import type { ErrorContext } from './errors';
import type { MicrosoftResponse, TransportOptions } from './transport';
import { graphRequest, isAllowedUrl, odataDefaults, resolveRequestUrl } from './transport';

/**
 * Largest page size each API accepts (`$top`, or `Prefer: odata.maxpagesize` for Dataverse).
 * Sources: OneDrive team (children ≤ 1000), Graph docs for users/groups ($top 1–999), Outlook messages
 * (≤ 1000; Outlook's limit for events, calendars and contacts alike), Teams channel/chat messages ($top ≤ 50),
 * Dataverse (maxpagesize ≤ 5000).
 */
export const MAX_PAGE_SIZE = {
	driveChildren: 1000,
	driveDelta: 1000,
	users: 999,
	groups: 999,
	messages: 1000,
	events: 1000,
	calendars: 1000,
	contacts: 1000,
	channelMessages: 50,
	chatMessages: 50,
	dataverse: 5000,
} as const;

/** Most pages one listing may take (at 1,000 items a page: ten million items). */
export const MAX_PAGES = 10_000;
/** Empty pages in a row (no items, yet another link) after which the feed is taken to be stuck. */
export const MAX_EMPTY_PAGES_IN_A_ROW = 50;

const RESUMED_LINK = /[?&](?:\$|%24)(?:top|skiptoken|skip|deltatoken)=|[?&]token=/i;

export interface PagingOptions extends ErrorContext {
	qs?: IDataObject;
	/** Sent as `$top` on the first request (Graph) or as `odata.maxpagesize` (OData variant). */
	pageSize?: number;
	/** Stop after this many (kept) items in total; undefined or 0 = all. */
	limit?: number;
	/** Only items this accepts are handed out and counted against the limit (e.g. files only). */
	keep?: (item: IDataObject) => boolean;
	/** Ceiling on pages (default MAX_PAGES). */
	maxPages?: number;
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
	keep?: (item: IDataObject) => boolean,
): { items: IDataObject[]; next?: string } {
	const all = Array.isArray(body.value) ? (body.value as IDataObject[]) : [];
	const value = keep ? all.filter(keep) : all;
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
	let pageCount = 0;
	let emptyInARow = 0;
	const maxPages = options.maxPages ?? MAX_PAGES;
	const followed = new Set<string>();
	const stop = (message: string, why: string) =>
		new NodeApiError(ctx.getNode(), { message }, { message, description: `${why} Paging stopped after ${pageCount} page(s) and ${taken} item(s); nothing further was requested. Set a Limit or narrow the query; if it persists, Microsoft's service is returning inconsistent pages.`, itemIndex: options.itemIndex });
	while (next) {
		if (!first) {
			if (followed.has(next)) throw stop('Microsoft returned the same next-page link twice', 'Following it again would loop forever.');
			if (pageCount >= maxPages) throw stop(`The listing has more than ${maxPages} pages`, 'That is the most one operation reads.');
		}
		followed.add(next);
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
				advice: options.advice,
			},
			options.transport,
		);
		first = false;
		qs = undefined;
		const body = (response.body ?? {}) as IDataObject;
		options.onPage?.(body, response);
		pageCount++;
		const raw = Array.isArray(body.value) ? body.value.length : 0;
		emptyInARow = raw === 0 ? emptyInARow + 1 : 0;
		const page = planPage(body, taken, limit, options.keep);
		taken += page.items.length;
		yield page.items;
		next = page.next;
		if (next && emptyInARow >= MAX_EMPTY_PAGES_IN_A_ROW) {
			throw stop(`Microsoft returned ${emptyInARow} empty pages in a row`, 'Each one still pointed to another page.');
		}
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

/** One page of a picker listing (n8n's list search): its items and the token for the next page. */
export interface ListPage {
	items: IDataObject[];
	paginationToken?: string;
}

function decodedPath(url: URL): string {
	try {
		return decodeURIComponent(url.pathname).toLowerCase();
	} catch {
		return url.pathname.toLowerCase();
	}
}

/**
 * A picker's page: the first request, or exactly the nextLink Microsoft gave, which n8n hands back from the
 * browser as `paginationToken`. The token is only followed when it continues this listing — an absolute
 * URL on the credential's hosts with the listing's own path — so a token edited in the browser cannot make
 * the credential fetch any other path.
 */
export async function listPage(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	url: string,
	qs: IDataObject,
	paginationToken?: string,
): Promise<ListPage> {
	if (paginationToken) {
		const listing = new URL(resolveRequestUrl(conn, url));
		let token: URL | undefined;
		try {
			token = new URL(paginationToken);
		} catch {
			token = undefined;
		}
		if (!token || !isAllowedUrl(conn, token.href) || token.host !== listing.host || decodedPath(token) !== decodedPath(listing)) {
			throw new NodeOperationError(ctx.getNode(), 'The list\'s page token does not belong to this list', {
				description: 'Close and reopen the list (or clear its search) to start from the first page.',
			});
		}
	}
	const response = paginationToken
		? await graphRequest<IDataObject>(ctx, conn, { method: 'GET', url: paginationToken })
		: await graphRequest<IDataObject>(ctx, conn, { method: 'GET', url, qs });
	const body = (response.body ?? {}) as IDataObject;
	const next = body['@odata.nextLink'];
	return { items: Array.isArray(body.value) ? (body.value as IDataObject[]) : [], paginationToken: typeof next === 'string' ? next : undefined };
}
