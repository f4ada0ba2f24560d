// @ts-check
'use strict';

/**
 * Collection responses for drive lists: `$top` (1..1000, default 200 like OneDrive), an opaque `$skiptoken`
 * in `@odata.nextLink`, `$select`, and the cheap `$filter`s OneDrive accepts on children.
 */

const { httpError } = require('../router');
const { applySelect } = require('./drives-json');

const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

/** @param {string | undefined} raw @param {number} [defaultTop] */
function parseTop(raw, defaultTop = DEFAULT_PAGE) {
	if (raw === undefined) return defaultTop;
	if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE) {
		throw httpError(400, 'invalidRequest', `Invalid page size: $top must be a whole number from 1 to ${MAX_PAGE}.`);
	}
	return Number(raw);
}

/** @param {number} offset @param {string} scope */
function encodeSkipToken(offset, scope) {
	return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString('base64url');
}

/** @param {string | undefined} token @param {string} scope */
function decodeSkipToken(token, scope) {
	if (!token) return 0;
	try {
		const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (typeof data.o === 'number' && data.o >= 0 && data.s === scope) return data.o;
	} catch {
		// fall through
	}
	throw httpError(400, 'invalidRequest', 'The $skiptoken is not valid for this request; follow @odata.nextLink exactly as returned.');
}

/**
 * The same URL with a new `$skiptoken`.
 * @param {import('../router').Context} ctx @param {string} token
 */
function nextLinkFor(ctx, token) {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(ctx.query)) if (key !== '$skiptoken') params.set(key, value);
	params.set('$skiptoken', token);
	return `${ctx.sandbox.graphUrl}${ctx.path}?${params.toString().replace(/%24/g, '$')}`;
}

/**
 * `$filter` on driveItem lists: `folder ne null`, `file ne null`, `name eq '...'`, `startswith(name,'...')`.
 * @param {string | undefined} filter
 * @returns {(json: Record<string, any>) => boolean}
 */
function compileFilter(filter) {
	if (!filter) return () => true;
	const text = filter.trim();
	let m;
	if ((m = /^(folder|file)\s+(ne|eq)\s+null$/i.exec(text))) {
		const facet = m[1].toLowerCase();
		const present = m[2].toLowerCase() === 'ne';
		return (json) => (json[facet] !== undefined) === present;
	}
	if ((m = /^name\s+eq\s+'((?:[^']|'')*)'$/i.exec(text))) {
		const name = m[1].replace(/''/g, "'").toLowerCase();
		return (json) => String(json.name).toLowerCase() === name;
	}
	if ((m = /^startswith\(\s*name\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(text))) {
		const prefix = m[1].replace(/''/g, "'").toLowerCase();
		return (json) => String(json.name).toLowerCase().startsWith(prefix);
	}
	throw httpError(400, 'invalidRequest', `Unsupported $filter "${filter}": this drive supports folder/file ne null, name eq '...', startswith(name,'...').`);
}

/**
 * A page of driveItems.
 * @template T
 * @param {import('../router').Context} ctx
 * @param {T[]} all every entry in order
 * @param {(entry: T) => Record<string, any>} toJson
 * @param {{ scope: string, context?: string, select?: boolean }} options scope ties a skip token to this list
 */
function pageOf(ctx, all, toJson, options) {
	const top = parseTop(ctx.query.$top);
	const matches = compileFilter(ctx.query.$filter);
	const list = ctx.query.$filter ? all.filter((entry) => matches(toJson(entry))) : all;
	const offset = decodeSkipToken(ctx.query.$skiptoken, options.scope);
	const slice = list.slice(offset, offset + top);
	/** @type {Record<string, unknown>} */
	const body = {};
	if (options.context) body['@odata.context'] = options.context;
	body.value = slice.map((entry) => {
		const json = toJson(entry);
		return options.select === false ? json : applySelect(json, ctx.query.$select, httpError);
	});
	if (offset + top < list.length) body['@odata.nextLink'] = nextLinkFor(ctx, encodeSkipToken(offset + top, options.scope));
	return body;
}

module.exports = { pageOf, parseTop, nextLinkFor, compileFilter, DEFAULT_PAGE, MAX_PAGE };
