// @ts-check
'use strict';

/**
 * Sharing: `POST .../createLink` and `/shares/{shareId}` resolution. A shareId is `u!` + base64url of a URL
 * (no padding) or a link's own `s!...` token. URLs resolve when they are a sharing link we issued or the
 * webUrl of an item in its real form: OneDrive personal (`onedrive.live.com/?cid=..&id=..`, `/redir?resid=`,
 * `1drv.ms` links), OneDrive for Business (`<tenant>-my.sharepoint.com/personal/<user>/Documents/...`) and
 * SharePoint libraries (`<tenant>.sharepoint.com/sites/<site>/Shared Documents/...`).
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const access = require('./drives-access');

const LINK_TYPES = ['view', 'edit', 'embed'];
const LINK_SCOPES = ['anonymous', 'organization', 'users'];

/** Letter SharePoint puts in a link for the kind of item (":w:" Word, ":x:" Excel, ...). @param {import('./drives-state').Item} item */
function linkLetter(item) {
	if (item.isFolder) return 'f';
	const ext = item.name.split('.').pop()?.toLowerCase() ?? '';
	return { docx: 'w', doc: 'w', xlsx: 'x', xls: 'x', pptx: 'p', ppt: 'p', pdf: 'b', txt: 't', csv: 'x' }[ext] ?? 'u';
}

/**
 * Comparable form of a URL: lower-case host, decoded path without trailing slash, no query (except the
 * OneDrive personal `id`/`resid`/`cid` keys, which carry the item).
 * @param {string} raw
 */
function normaliseUrl(raw) {
	let url;
	try {
		url = new URL(raw);
	} catch {
		return null;
	}
	let pathname;
	try {
		pathname = decodeURIComponent(url.pathname).replace(/\/+$/, '');
	} catch {
		pathname = url.pathname;
	}
	return { host: url.hostname.toLowerCase(), path: pathname.toLowerCase(), params: url.searchParams };
}

/** @param {import('./drives-access').Env} env */
function createSharing(env) {
	const { store } = env;

	/**
	 * @param {import('../router').Context} ctx @param {import('./drives-state').Item} item @param {import('../router').AuthInfo} auth
	 */
	async function createLink(ctx, item, auth) {
		const body = (await ctx.readJson()) ?? {};
		const drive = store.getDrive(item.driveId);
		const personal = drive.driveType === 'personal';
		const type = body.type;
		if (!LINK_TYPES.includes(type)) throw httpError(400, 'invalidRequest', `Invalid link type "${type}": use view, edit or embed.`);
		const scope = body.scope ?? (personal ? 'anonymous' : 'organization');
		if (!LINK_SCOPES.includes(scope)) throw httpError(400, 'invalidRequest', `Invalid link scope "${scope}": use anonymous, organization or users.`);
		if (type === 'embed' && !personal) throw httpError(400, 'invalidRequest', 'Embed links are only supported on OneDrive personal.');
		if (scope === 'organization' && personal) throw httpError(400, 'invalidRequest', 'OneDrive personal has no organization; use anonymous or users.');
		if (body.password !== undefined && !personal) {
			throw httpError(400, 'invalidRequest', 'A link password is only supported on OneDrive personal.');
		}
		let expirationDateTime = null;
		if (body.expirationDateTime !== undefined) {
			const time = Date.parse(body.expirationDateTime);
			if (Number.isNaN(time)) throw httpError(400, 'invalidRequest', 'expirationDateTime must be an ISO 8601 date and time.');
			if (time <= Date.now()) throw httpError(400, 'invalidRequest', 'expirationDateTime must be in the future.');
			expirationDateTime = new Date(time).toISOString();
		}
		const hasPassword = typeof body.password === 'string' && body.password.length > 0;
		// Graph returns an existing plain link of the same type and scope with 200 instead of creating another.
		if (!hasPassword && !expirationDateTime) {
			for (const link of store.links.values()) {
				if (link.itemId === item.id && link.type === type && link.scope === scope && !link.hasPassword && !link.expirationDateTime) {
					return ctx.json(200, env.json.permission(link));
				}
			}
		}
		const secret = crypto.randomBytes(16).toString('base64url');
		const token = `s!${secret}`;
		const webUrl = personal
			? `https://1drv.ms/${linkLetter(item)}/s!${secret}`
			: `${drive.linkBase.replace('{t}', linkLetter(item))}/${secret.slice(0, 22)}?e=${secret.slice(-6)}`;
		const link = {
			id: crypto.randomBytes(9).toString('base64url'), token, itemId: item.id, type, scope, webUrl, expirationDateTime,
			hasPassword, createdBy: auth.appOnly ? null : auth.userId,
		};
		store.links.set(token, link);
		return ctx.json(201, env.json.permission(link));
	}

	/** @param {string} raw @returns {import('./drives-state').Item | null} */
	function itemForUrl(raw) {
		const target = normaliseUrl(raw);
		if (!target) return null;
		for (const link of store.links.values()) {
			const candidate = normaliseUrl(link.webUrl);
			if (candidate && candidate.host === target.host && candidate.path === target.path) return store.items.get(link.itemId) ?? null;
		}
		if (target.host === 'onedrive.live.com' || target.host === 'www.onedrive.live.com') {
			const id = target.params.get('id') ?? target.params.get('resid');
			if (id) return store.items.get(id) ?? null;
			const cid = target.params.get('cid');
			const drive = cid ? [...store.drives.values()].find((d) => d.id.toLowerCase() === cid.toLowerCase()) : undefined;
			return drive ? store.items.get(drive.rootId) ?? null : null;
		}
		// A library view URL (".../Forms/AllItems.aspx?id=/sites/x/Shared Documents/folder") names the folder in `id`.
		const viewId = target.params.get('id');
		if (/\/forms\/[^/]+\.aspx$/.test(target.path) && viewId && viewId.startsWith('/')) {
			target.path = viewId.replace(/\/+$/, '').toLowerCase();
		}
		for (const drive of store.drives.values()) {
			const base = normaliseUrl(drive.webUrl);
			if (!base || base.host !== target.host) continue;
			if (target.path !== base.path && !target.path.startsWith(base.path + '/')) continue;
			const relative = target.path.slice(base.path.length);
			let node = store.items.get(drive.rootId);
			for (const segment of relative.split('/').filter(Boolean)) {
				const childId = node?.children?.get(segment);
				node = childId ? store.items.get(childId) : undefined;
				if (!node) break;
			}
			if (node) return node;
		}
		return null;
	}

	/**
	 * @param {string} shareId @param {import('../router').AuthInfo} auth
	 * @returns {import('./drives-state').Item}
	 */
	function resolveShare(shareId, auth) {
		let item = null;
		let link = null;
		if (shareId.startsWith('u!')) {
			let url;
			try {
				url = Buffer.from(shareId.slice(2), 'base64url').toString('utf8');
			} catch {
				url = '';
			}
			if (!/^https?:\/\//i.test(url)) throw httpError(400, 'invalidRequest', 'The share id is not "u!" + the base64url-encoded sharing URL.');
			item = itemForUrl(url);
			const normal = normaliseUrl(url);
			link = [...store.links.values()].find((l) => {
				const n = normaliseUrl(l.webUrl);
				return n && normal && n.host === normal.host && n.path === normal.path;
			}) ?? null;
		} else if (shareId.startsWith('s!')) {
			link = store.links.get(shareId) ?? null;
			item = link ? store.items.get(link.itemId) ?? null : null;
		} else {
			throw httpError(400, 'invalidRequest', 'A share id starts with "u!" (encoded URL) or "s!" (sharing token).');
		}
		if (!item || item.deleted) throw httpError(404, 'itemNotFound', 'The sharing link or URL does not resolve to an item.');
		if (link && link.expirationDateTime && Date.parse(link.expirationDateTime) < Date.now()) {
			throw httpError(404, 'itemNotFound', 'The sharing link has expired.');
		}
		const drive = store.getDrive(item.driveId);
		const openLink = link && (link.scope === 'anonymous' || (link.scope === 'organization' && drive.tenantId === auth.tenantId));
		if (!openLink) access.assertDriveAccess(env, auth, drive);
		return item;
	}

	/** `/shares/{id}` → sharedDriveItem. @param {import('../router').Context} _ctx @param {string} shareId @param {import('../router').AuthInfo} auth */
	function shareInfo(_ctx, shareId, auth) {
		const item = resolveShare(shareId, auth);
		const drive = store.getDrive(item.driveId);
		return {
			id: shareId, name: item.name,
			owner: drive.ownerKind === 'user' ? { user: { id: drive.ownerId, displayName: drive.ownerName } } : { group: { id: drive.ownerId, displayName: drive.ownerName } },
		};
	}

	return { createLink, resolveShare, shareInfo, itemForUrl };
}

/** `u!` + base64url without padding, as Graph documents for /shares. @param {string} url */
function encodeShareUrl(url) {
	return 'u!' + Buffer.from(url, 'utf8').toString('base64url');
}

module.exports = { createSharing, encodeShareUrl, normaliseUrl };
