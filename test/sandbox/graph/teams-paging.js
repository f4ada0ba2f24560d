// @ts-check
'use strict';

/**
 * Paging of the Teams lists: `$top` (1…max, else 400) and an opaque `$skiptoken` in `@odata.nextLink`. Lists whose
 * items come and go at the top (messages, newest first) page by a cursor (the last item returned), so a message
 * posted between two pages neither repeats nor shifts an item; the others page by position.
 */

const { httpError } = require('../router');

/**
 * @template T
 * @param {import('../router').Context} ctx
 * @param {T[]} items sorted as returned
 * @param {{ defaultTop: number, maxTop: number, cursorOf?: (item: T) => string }} options
 * @returns {{ page: T[], nextLink: string | null }}
 */
function paginate(ctx, items, options) {
	let top = options.defaultTop;
	if (ctx.query.$top !== undefined) {
		top = Number(ctx.query.$top);
		if (!Number.isInteger(top) || top < 1 || top > options.maxTop) throw httpError(400, 'BadRequest', `Invalid $top '${ctx.query.$top}': the value must be between 1 and ${options.maxTop}.`);
	}
	let start = 0;
	const token = ctx.query.$skiptoken;
	if (token !== undefined) {
		let decoded;
		try {
			decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		} catch {
			decoded = null;
		}
		if (!decoded || typeof decoded !== 'object') throw httpError(400, 'BadRequest', 'The $skiptoken is invalid.');
		if (options.cursorOf && typeof decoded.after === 'string') {
			const index = items.findIndex((item) => /** @type {(item: T) => string} */ (options.cursorOf)(item) === decoded.after);
			// The cursor item may have gone (deleted): continue after the position it had.
			start = index >= 0 ? index + 1 : Math.min(items.length, Number(decoded.at) || 0);
		} else if (Number.isInteger(decoded.at) && decoded.at >= 0) {
			start = decoded.at;
		} else {
			throw httpError(400, 'BadRequest', 'The $skiptoken is invalid.');
		}
	}
	const page = items.slice(start, start + top);
	if (start + top >= items.length) return { page, nextLink: null };
	const last = page[page.length - 1];
	const cursor = options.cursorOf ? { after: options.cursorOf(last), at: start + top } : { at: start + top };
	const next = new URL(`${ctx.sandbox.graphUrl}${ctx.path}`);
	for (const [key, value] of Object.entries(ctx.query)) if (key !== '$skiptoken') next.searchParams.set(key, value);
	next.searchParams.set('$top', String(top));
	next.searchParams.set('$skiptoken', Buffer.from(JSON.stringify(cursor)).toString('base64url'));
	return { page, nextLink: dollarKeys(next) };
}

/** A URL as Graph writes its links: `$skiptoken=` rather than `%24skiptoken=`. @param {URL} url */
function dollarKeys(url) {
	return url.toString().replace(/([?&])%24/g, '$1$$');
}

/**
 * A collection body: `@odata.context`, `@odata.count` when asked, `@odata.nextLink`, `value`.
 * @param {string} context @param {unknown[]} value @param {string | null} [nextLink] @param {number} [count]
 */
function collection(context, value, nextLink = null, count) {
	/** @type {Record<string, unknown>} */
	const body = { '@odata.context': context };
	if (count !== undefined) body['@odata.count'] = count;
	if (nextLink) body['@odata.nextLink'] = nextLink;
	body.value = value;
	return body;
}

module.exports = { paginate, collection, dollarKeys };
