// @ts-check
'use strict';

/**
 * `GET .../root/delta`: every item changed since a token (parents before children, deleted items with a
 * `deleted` facet), paged with `@odata.nextLink` and ending with `@odata.deltaLink`. `token=latest` starts
 * from now. A drive flagged with `resyncOnce` answers the next tokened request with 410 `resyncRequired`
 * and a Location to start over. Folder delta on OneDrive for Business / SharePoint → 501 notSupported.
 *
 * Tokens are opaque base64url JSON: a delta token names the drive's change sequence; a page token names a
 * server-side snapshot of the ids to return, so changes while paging never shift the pages.
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { parseTop } = require('./drives-paging');

const MAX_SNAPSHOTS = 200;

/** @param {object} data */
function encodeToken(data) {
	return Buffer.from(JSON.stringify(data)).toString('base64url');
}

/** @param {string} token */
function decodeToken(token) {
	try {
		const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
		if (data && typeof data === 'object') return data;
	} catch {
		// fall through
	}
	throw httpError(400, 'invalidRequest', 'The delta token is not valid; use the @odata.deltaLink or @odata.nextLink exactly as returned.');
}

/** @param {{ store: import('./drives-state').DriveStore, json: import('./drives-json').DriveJson }} env */
function createDeltaHandler(env) {
	const { store } = env;
	/** @type {Map<string, { ids: string[], to: number, driveId: string, scopeId: string }>} */
	const snapshots = new Map();

	/**
	 * @param {import('../router').Context} ctx @param {import('./drives-state').Drive} drive
	 * @param {import('./drives-state').Item} scope @param {string | undefined} actionArg "token='...'" from delta(token='...')
	 */
	function delta(ctx, drive, scope, actionArg) {
		if (!scope.isFolder) throw httpError(400, 'invalidRequest', 'Delta works on folders (the drive root).');
		if (scope.parentId && drive.driveType !== 'personal') {
			throw httpError(501, 'notSupported', 'Delta is only supported on the root of OneDrive for Business and SharePoint drives.');
		}
		const fromArg = actionArg ? /^token\s*=\s*'?([^']*)'?$/.exec(actionArg)?.[1] : undefined;
		const token = ctx.query.token ?? fromArg;
		const top = parseTop(ctx.query.$top);
		const link = (/** @type {object} */ data) => `${ctx.sandbox.graphUrl}/v1.0/drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(scope.id)}/delta?token=${encodeToken(data)}`;

		if (token === 'latest') return ctx.json(200, { value: [], '@odata.deltaLink': link({ d: drive.id, f: scope.id, s: drive.seq }) });

		/** @type {{ ids: string[], to: number, driveId: string, scopeId: string }} */
		let snapshot;
		let offset = 0;
		let key;
		const data = token ? decodeToken(token) : null;
		if (data && typeof data.k === 'string') {
			const found = snapshots.get(data.k);
			if (!found || found.driveId !== drive.id) throw httpError(410, 'resyncRequired', 'The paging state expired; start over from the Location.', { location: restartUrl(ctx, drive, scope) });
			snapshot = found;
			key = data.k;
			offset = Number(data.o) || 0;
		} else {
			if (data && (data.d !== drive.id || data.f !== scope.id || typeof data.s !== 'number')) {
				throw httpError(400, 'invalidRequest', 'The delta token belongs to another drive or folder.');
			}
			if (data && drive.resyncOnce) {
				drive.resyncOnce = false;
				throw httpError(410, 'resyncRequired', 'Resync required. Replace any local items with the server version and start over from the Location.', { location: restartUrl(ctx, drive, scope) });
			}
			snapshot = { ids: changedIds(drive, scope, data ? data.s : null), to: drive.seq, driveId: drive.id, scopeId: scope.id };
			key = crypto.randomBytes(12).toString('base64url');
			snapshots.set(key, snapshot);
			while (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(/** @type {string} */ (snapshots.keys().next().value));
		}

		const slice = snapshot.ids.slice(offset, offset + top);
		const value = slice.map((id) => {
			const item = /** @type {import('./drives-state').Item} */ (store.items.get(id));
			return item.deleted ? env.json.deletedItem(item) : env.json.item(item);
		});
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#Collection(driveItem)`, value };
		if (offset + top < snapshot.ids.length) {
			body['@odata.nextLink'] = link({ k: key, o: offset + top });
		} else {
			snapshots.delete(key);
			body['@odata.deltaLink'] = link({ d: drive.id, f: scope.id, s: snapshot.to });
		}
		return ctx.json(200, body);
	}

	/** @param {import('../router').Context} ctx @param {import('./drives-state').Drive} drive @param {import('./drives-state').Item} scope */
	function restartUrl(ctx, drive, scope) {
		return `${ctx.sandbox.graphUrl}/v1.0/drives/${encodeURIComponent(drive.id)}/items/${encodeURIComponent(scope.id)}/delta`;
	}

	/**
	 * Live items under scope changed after `since` (all when null), in tree order, then deleted ones.
	 * @param {import('./drives-state').Drive} drive @param {import('./drives-state').Item} scope @param {number | null} since
	 */
	function changedIds(drive, scope, since) {
		const ids = [];
		for (const node of store.walk(scope)) if (since === null || node.changeSeq > since) ids.push(node.id);
		if (since === null) return ids;
		const deleted = [];
		for (const item of store.items.values()) {
			if (item.driveId === drive.id && item.deleted && item.changeSeq > since && isBelow(item, scope)) deleted.push(item);
		}
		deleted.sort((a, b) => a.changeSeq - b.changeSeq);
		return ids.concat(deleted.map((item) => item.id));
	}

	/** @param {import('./drives-state').Item} item @param {import('./drives-state').Item} scope */
	function isBelow(item, scope) {
		for (let p = item.parentId; p; p = store.items.get(p)?.parentId ?? null) if (p === scope.id) return true;
		return false;
	}

	return delta;
}

module.exports = { createDeltaHandler };
