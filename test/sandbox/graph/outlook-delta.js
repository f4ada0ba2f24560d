// @ts-check
'use strict';

/**
 * What message delta and calendarView delta share: opaque state tokens (`$deltatoken` names where a round
 * ended; `$skiptoken` names a server-side snapshot of the entries of the round being paged, so changes while
 * paging never shift pages), the page size (`Prefer: odata.maxpagesize`, answered with `Preference-Applied`),
 * and 410 `SyncStateNotFound` for a token the sandbox does not know (garbled, expired by
 * `sandbox.outlook.expireDeltaTokens`, or from before a restart).
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { parsePrefer, wholeNumber } = require('./outlook-odata');

const MAX_SNAPSHOTS = 500;
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;

/**
 * @typedef {{ id: string, removed: boolean, payload?: any }} DeltaEntry
 * @typedef {{ entries: DeltaEntry[], mailboxId: string, generation: number, state: Record<string, any> }} Snapshot
 *   state: what the deltaLink of the round carries (seq, window, select, …)
 */

function createDeltaEngine() {
	/** @type {Map<string, Snapshot>} */
	const snapshots = new Map();

	/** @param {object} data */
	const encode = (data) => Buffer.from(JSON.stringify(data)).toString('base64url');

	/**
	 * @param {string} token @param {string | undefined} location where to start over (Location header)
	 * @returns {Record<string, any>}
	 */
	function decode(token, location) {
		try {
			const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
			if (data && typeof data === 'object') return data;
		} catch {
			// fall through
		}
		throw gone(location);
	}

	/** @param {string | undefined} location */
	function gone(location) {
		return httpError(410, 'SyncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
			location ? { location } : {});
	}

	/** @param {Snapshot} snapshot */
	function store(snapshot) {
		const key = crypto.randomBytes(12).toString('base64url');
		snapshots.set(key, snapshot);
		while (snapshots.size > MAX_SNAPSHOTS) snapshots.delete(/** @type {string} */ (snapshots.keys().next().value));
		return key;
	}

	/**
	 * Page size: Prefer odata.maxpagesize, else $top, else 10 (at most 1000).
	 * @param {import('../router').Context} ctx @returns {{ size: number, headers: Record<string, string> }}
	 */
	function pageSize(ctx) {
		const preferred = parsePrefer(ctx.headers.prefer).get('odata.maxpagesize');
		if (preferred !== undefined && /^\d+$/.test(preferred) && Number(preferred) > 0) {
			const size = Math.min(Number(preferred), MAX_PAGE);
			return { size, headers: { 'preference-applied': `odata.maxpagesize=${size}` } };
		}
		return { size: wholeNumber(ctx.query.$top, '$top', MAX_PAGE) ?? DEFAULT_PAGE, headers: {} };
	}

	/**
	 * One page of a snapshot: `render` turns entries into JSON; ends with the deltaLink of the round.
	 * @param {import('../router').Context} ctx @param {string} key @param {number} offset @param {number} size
	 * @param {{ link: (query: string) => string, render: (entry: DeltaEntry, snapshot: Snapshot) => any, context: string }} how
	 */
	function page(ctx, key, offset, size, how) {
		const snapshot = /** @type {Snapshot} */ (snapshots.get(key));
		/** @type {Record<string, any>} */
		const body = { '@odata.context': how.context };
		if (offset + size < snapshot.entries.length) {
			body['@odata.nextLink'] = how.link(`$skiptoken=${encode({ k: key, o: offset + size, g: snapshot.generation, m: snapshot.mailboxId })}`);
		} else {
			snapshots.delete(key);
			body['@odata.deltaLink'] = how.link(`$deltatoken=${encode({ ...snapshot.state, m: snapshot.mailboxId, g: snapshot.generation })}`);
		}
		body.value = snapshot.entries.slice(offset, offset + size).map((entry) => how.render(entry, snapshot));
		return body;
	}

	/**
	 * The snapshot a `$skiptoken` names (410 when unknown or when the mailbox's tokens were expired).
	 * @param {string} token @param {import('./outlook-store').Mailbox} mailbox @param {string | undefined} location
	 */
	function resume(token, mailbox, location) {
		const data = decode(token, location);
		const snapshot = typeof data.k === 'string' ? snapshots.get(data.k) : undefined;
		if (!snapshot || snapshot.mailboxId !== mailbox.id || snapshot.generation !== mailbox.syncGeneration || data.g !== mailbox.syncGeneration) {
			throw gone(location);
		}
		return { key: /** @type {string} */ (data.k), offset: Number(data.o) || 0, state: snapshot.state };
	}

	/**
	 * The state a `$deltatoken` carries, checked against the mailbox.
	 * @param {string} token @param {import('./outlook-store').Mailbox} mailbox @param {string | undefined} location
	 */
	function deltaState(token, mailbox, location) {
		const data = decode(token, location);
		if (data.m !== mailbox.id || data.g !== mailbox.syncGeneration || typeof data.s !== 'number') throw gone(location);
		return data;
	}

	return { store, page, resume, deltaState, pageSize, decode, gone };
}

module.exports = { createDeltaEngine };
