/**
 * FetchXML queries over every page: Dataverse returns at most 5,000 rows a page and, while more exist, a paging cookie
 * (`@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`, its `pagingcookie` attribute URL-encoded twice) that the next page's
 * `<fetch page="n+1" paging-cookie="…">` must carry. Without a cookie the page number alone is used. Every loop ends.
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../shared/connection';
import { InputValueError } from '../../shared/input';
import { MAX_PAGES } from '../../shared/paging';
import { odataRequest } from '../../shared/transport';
import { ALL_ANNOTATIONS } from './dataverse';

export const FETCH_PAGE_SIZE = 5000;
const PAGING_ANNOTATIONS = 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"';

function xmlAttribute(value: string): string {
	return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Checks what can be checked before sending: a `<fetch>` root with an `<entity name>`, balanced elements. Returns the
 * query trimmed.
 */
export function checkFetchXml(raw: string): string {
	const xml = String(raw ?? '').trim();
	const refuse = (problem: string) => new InputValueError('FetchXML', problem, 'Write a query such as <fetch><entity name="account"><attribute name="name" /></entity></fetch>; nothing was sent.');
	if (!xml) throw refuse('is empty');
	if (!/^<fetch[\s>/]/i.test(xml)) throw refuse('must start with a <fetch> element');
	if (!/<entity\s+[^>]*name\s*=\s*["'][A-Za-z_][A-Za-z0-9_]*["']/i.test(xml)) throw refuse('has no <entity name="..."> element');
	const stack: string[] = [];
	const body = xml.replace(/<!--[\s\S]*?-->/g, '');
	for (const match of body.matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g)) {
		const [, closing, name, , selfClosing] = match;
		if (selfClosing) continue;
		if (!closing) stack.push(name);
		else if (stack.pop() !== name) throw refuse(`is not well-formed: </${name}> does not close the element it should`);
	}
	if (stack.length) throw refuse(`is not well-formed: <${stack[stack.length - 1]}> is never closed`);
	if (/<(?![/!]?[A-Za-z_])/.test(body.replace(/<\/?[A-Za-z_][^>]*>/g, ''))) throw refuse('is not well-formed: a "<" that starts no element');
	return xml;
}

/** The query with its root's `page`, `count` and `paging-cookie` set (older values removed). */
export function withPage(xml: string, page: number, count: number | undefined, cookie: string | undefined): string {
	return xml.replace(/^<fetch\b([^>]*?)(\/?)>/i, (_whole, attributes: string, close: string) => {
		const kept = attributes.replace(/\s+(page|count|paging-cookie)\s*=\s*("[^"]*"|'[^']*')/gi, '');
		const added = [` page="${page}"`, count ? ` count="${count}"` : '', cookie ? ` paging-cookie="${xmlAttribute(cookie)}"` : ''].join('');
		return `<fetch${kept}${added}${close}>`;
	});
}

/** The `pagingcookie` of Dataverse's cookie annotation, decoded (it is URL-encoded twice). */
export function pagingCookieOf(annotation: unknown): string | undefined {
	if (typeof annotation !== 'string') return undefined;
	const raw = /pagingcookie="([^"]*)"/i.exec(annotation)?.[1];
	if (!raw) return undefined;
	try {
		return decodeURIComponent(decodeURIComponent(raw));
	} catch {
		return undefined;
	}
}

function rootAttribute(xml: string, name: string): string | undefined {
	const root = /^<fetch\b([^>]*)>/i.exec(xml)?.[1] ?? '';
	return new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(root)?.[1];
}

export interface FetchOptions {
	limit?: number;
	formattedValues?: boolean;
	itemIndex?: number;
}

/** Every page of a FetchXML query on `entitySetUrl` (to `limit` rows), following the paging cookie. */
export async function* fetchXmlPages(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	entitySetUrl: string,
	fetchXml: string,
	options: FetchOptions = {},
): AsyncGenerator<IDataObject[], void, undefined> {
	const xml = checkFetchXml(fetchXml);
	const limit = options.limit && options.limit > 0 ? options.limit : undefined;
	// `top` and paging exclude each other: a query with `top` is one request.
	const top = rootAttribute(xml, 'top');
	const ownCount = Number(rootAttribute(xml, 'count')) || undefined;
	const count = Math.min(ownCount ?? FETCH_PAGE_SIZE, FETCH_PAGE_SIZE, limit ?? FETCH_PAGE_SIZE);
	// All annotations include the paging ones.
	const prefer = options.formattedValues ? ALL_ANNOTATIONS : PAGING_ANNOTATIONS;
	let page = Number(rootAttribute(xml, 'page')) || 1;
	let cookie: string | undefined;
	let taken = 0;
	const seenCookies = new Set<string>();
	for (let pages = 0; ; pages++) {
		if (pages >= MAX_PAGES) {
			throw new NodeApiError(ctx.getNode(), { message: 'FetchXML paging stopped' }, { message: `The FetchXML query has more than ${MAX_PAGES} pages`, description: 'That is the most one operation reads; set a Limit or narrow the query.', itemIndex: options.itemIndex });
		}
		const query = top ? xml : withPage(xml, page, count, cookie);
		const response = await odataRequest<IDataObject>(ctx, conn, {
			url: entitySetUrl,
			qs: { fetchXml: query },
			headers: { Prefer: prefer },
			itemIndex: options.itemIndex,
			operation: 'run the FetchXML query',
		});
		const body = response.body ?? {};
		const rows = Array.isArray(body.value) ? (body.value as IDataObject[]) : [];
		const room = limit ? limit - taken : Infinity;
		const kept = rows.length > room ? rows.slice(0, room) : rows;
		taken += kept.length;
		yield kept;
		const more = body['@Microsoft.Dynamics.CRM.morerecords'] === true;
		if (top || !more || !rows.length || (limit && taken >= limit)) return;
		const next = pagingCookieOf(body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie']);
		if (next) {
			if (seenCookies.has(next)) {
				throw new NodeApiError(ctx.getNode(), { message: 'FetchXML paging stopped' }, { message: 'Dataverse returned the same paging cookie twice', description: `Following it again would loop forever; stopped after ${taken} row(s).`, itemIndex: options.itemIndex });
			}
			seenCookies.add(next);
		}
		cookie = next;
		page++;
	}
}
