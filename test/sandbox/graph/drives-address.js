// @ts-check
'use strict';

/**
 * Parses Graph's drive addressing on the raw (percent-encoded) path after `/v1.0`:
 *   /me/drive | /drive | /users/{id|upn}/drive | /groups/{id}/drive | /drives/{id}
 *   /sites/{id|root|hostname} | /sites/{hostname}:/sites/{path}: | ... /drive | /drives | /drives/{id}
 *   /shares/{shareId}/driveItem
 * followed by the item part:
 *   /root | /root:/a/b: | /root:/a/b | /items/{id} | /items/{id}:/rel: | /items/{id}:/rel
 * and an action: /children, /content, /createUploadSession, /copy, /createLink, /versions[/{id}[/content]],
 * /delta, /search(q='...'), /permissions.
 * Colons are split on the raw path, so an encoded colon (%3A) inside a name never ends a path.
 */

const { httpError } = require('../router');

/**
 * @typedef {{ kind: 'me' } | { kind: 'user', id: string } | { kind: 'group', id: string } | { kind: 'drive', id: string }
 *   | { kind: 'siteDrive', site: SiteRef } | { kind: 'siteDriveById', site: SiteRef, id: string }
 *   | { kind: 'share', id: string }} DriveRef
 * @typedef {{ kind: 'id', id: string } | { kind: 'path', hostname: string, path: string }} SiteRef
 * @typedef {{ base: 'drive' | 'root' | 'item', itemId?: string, path?: string, action: string, actionArg?: string }} ItemPart
 * @typedef {{ type: 'item', drive: DriveRef, item: ItemPart }
 *   | { type: 'drives', owner: { kind: 'me' } | { kind: 'user', id: string } | { kind: 'group', id: string } | { kind: 'site', site: SiteRef } }
 *   | { type: 'site', site: SiteRef, action: string }
 *   | { type: 'siteSearch' }
 *   | { type: 'share', id: string }} Address
 */

/** @param {string} raw */
function decode(raw) {
	try {
		return decodeURIComponent(raw);
	} catch {
		throw httpError(400, 'invalidRequest', 'The URL contains an invalid percent-encoding.');
	}
}

/**
 * Splits "<segment>:/path:<rest>" or "<segment>:/path" (terminal) after the first colon.
 * @param {string} afterColon text right after the opening colon
 * @returns {{ path: string, rest: string }}
 */
function splitColonPath(afterColon) {
	const close = afterColon.indexOf(':');
	if (close === -1) return { path: afterColon, rest: '' };
	return { path: afterColon.slice(0, close), rest: afterColon.slice(close + 1) };
}

/** @param {string} rawPath @returns {string} decoded, "/a/b" form, without trailing slash */
function decodePath(rawPath) {
	const segments = rawPath.split('/').filter((s) => s !== '').map(decode);
	return segments.length ? '/' + segments.join('/') : '';
}

/**
 * @param {string} rest raw remainder after the drive, e.g. "/root:/a%20b:/children"
 * @returns {ItemPart}
 */
function parseItemPart(rest) {
	if (rest === '' || rest === '/') return { base: 'drive', action: '' };
	let base = /** @type {'root' | 'item' | 'drive'} */ ('drive');
	let itemId;
	let path;
	let after = rest;
	const rootMatch = /^\/root(?=[/:]|$)/.exec(rest);
	const itemMatch = /^\/items\/([^/:]+)/.exec(rest);
	if (rootMatch) {
		base = 'root';
		after = rest.slice(rootMatch[0].length);
	} else if (itemMatch) {
		base = 'item';
		itemId = decode(itemMatch[1]);
		after = rest.slice(itemMatch[0].length);
	}
	if (base !== 'drive' && after.startsWith(':')) {
		const split = splitColonPath(after.slice(1));
		path = decodePath(split.path);
		after = split.rest;
	}
	const { action, actionArg } = parseAction(after);
	return { base, itemId, path, action, actionArg };
}

/** @param {string} after raw "/children", "/search(q='x')", "/versions/2.0/content", ... */
function parseAction(after) {
	if (after === '' || after === '/') return { action: '', actionArg: undefined };
	const cleaned = after.replace(/^\/microsoft\.graph\./, '/');
	const search = /^\/search\((.*)\)$/.exec(cleaned);
	if (search) return { action: 'search', actionArg: decode(search[1]) };
	const delta = /^\/delta(?:\((.*)\))?$/.exec(cleaned);
	if (delta) return { action: 'delta', actionArg: delta[1] === undefined ? undefined : decode(delta[1]) };
	const version = /^\/versions\/([^/]+)(\/content)?$/.exec(cleaned);
	if (version) return { action: version[2] ? 'versionContent' : 'version', actionArg: decode(version[1]) };
	const simple = /^\/(children|content|createUploadSession|copy|createLink|versions|permissions)$/.exec(cleaned);
	if (simple) return { action: simple[1], actionArg: undefined };
	throw httpError(400, 'BadRequest', `Resource not found for the segment '${decode(cleaned.split('/').filter(Boolean).pop() ?? '')}'.`);
}

/**
 * @param {string} rest raw remainder after "/sites"
 * @returns {{ site: SiteRef, rest: string } | null}
 */
function parseSiteRef(rest) {
	const byPath = /^\/([^/:]+):(.*)$/.exec(rest);
	if (byPath) {
		const split = splitColonPath(byPath[2]);
		return { site: { kind: 'path', hostname: decode(byPath[1]).toLowerCase(), path: decodePath(split.path) }, rest: split.rest };
	}
	const byId = /^\/([^/]+)(.*)$/.exec(rest);
	if (!byId) return null;
	return { site: { kind: 'id', id: decode(byId[1]) }, rest: byId[2] };
}

/**
 * @param {string} rawPath pathname as received, e.g. "/v1.0/me/drive/root:/a:/children"
 * @returns {Address | null} null when the path is not a drive/site/share path
 */
function parseAddress(rawPath) {
	const m = /^\/v1\.0(\/.*)$/.exec(rawPath);
	if (!m) return null;
	const p = m[1];
	let found;
	if ((found = /^\/(?:me\/)?drive(?=\/|$)(.*)$/.exec(p))) return { type: 'item', drive: { kind: 'me' }, item: parseItemPart(found[1]) };
	if (/^\/me\/drives\/?$/.test(p)) return { type: 'drives', owner: { kind: 'me' } };
	if ((found = /^\/users\/([^/]+)\/drive(?=\/|$)(.*)$/.exec(p))) {
		return { type: 'item', drive: { kind: 'user', id: decode(found[1]) }, item: parseItemPart(found[2]) };
	}
	if ((found = /^\/users\/([^/]+)\/drives\/?$/.exec(p))) return { type: 'drives', owner: { kind: 'user', id: decode(found[1]) } };
	if ((found = /^\/groups\/([^/]+)\/drive(?=\/|$)(.*)$/.exec(p))) {
		return { type: 'item', drive: { kind: 'group', id: decode(found[1]) }, item: parseItemPart(found[2]) };
	}
	if ((found = /^\/groups\/([^/]+)\/drives\/?$/.exec(p))) return { type: 'drives', owner: { kind: 'group', id: decode(found[1]) } };
	if ((found = /^\/drives\/([^/]+)(.*)$/.exec(p))) {
		return { type: 'item', drive: { kind: 'drive', id: decode(found[1]) }, item: parseItemPart(found[2]) };
	}
	if ((found = /^\/shares\/([^/]+)(.*)$/.exec(p))) {
		const id = decode(found[1]);
		if (found[2] === '' || found[2] === '/') return { type: 'share', id };
		const driveItem = /^\/driveItem(.*)$/.exec(found[2]);
		if (!driveItem) throw httpError(400, 'BadRequest', 'Only /shares/{id} and /shares/{id}/driveItem are modelled.');
		const { action, actionArg } = parseAction(driveItem[1]);
		return { type: 'item', drive: { kind: 'share', id }, item: { base: 'item', action, actionArg } };
	}
	if (p === '/sites' || p === '/sites/') return { type: 'siteSearch' };
	if (p.startsWith('/sites/')) {
		const parsed = parseSiteRef(p.slice('/sites'.length));
		if (!parsed) return null;
		const { site, rest } = parsed;
		if (rest === '' || rest === '/') return { type: 'site', site, action: '' };
		if (/^\/drives\/?$/.test(rest)) return { type: 'drives', owner: { kind: 'site', site } };
		if ((found = /^\/drive(?=\/|$)(.*)$/.exec(rest))) return { type: 'item', drive: { kind: 'siteDrive', site }, item: parseItemPart(found[1]) };
		if ((found = /^\/drives\/([^/]+)(.*)$/.exec(rest))) {
			return { type: 'item', drive: { kind: 'siteDriveById', site, id: decode(found[1]) }, item: parseItemPart(found[2]) };
		}
		return null;
	}
	return null;
}

/**
 * Parses an OData string literal `q='it''s'` → "it's" (the argument of search()).
 * @param {string | undefined} arg
 */
function parseSearchQuery(arg) {
	const m = /^\s*q\s*=\s*'((?:[^']|'')*)'\s*$/.exec(arg ?? '');
	if (!m) throw httpError(400, 'invalidRequest', "search() needs q='text' with single quotes doubled inside the text.");
	return m[1].replace(/''/g, "'");
}

module.exports = { parseAddress, parseItemPart, parseSearchQuery, decodePath };
