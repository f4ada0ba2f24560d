// @ts-check
'use strict';

/**
 * `GET /mailFolders/{id}/messages/delta`: the first round returns every message of the folder (there is no
 * "start from now" token for messages), later rounds (the `@odata.deltaLink`) what was created, updated or
 * removed since, as the docs describe: `changeType=created|updated|deleted` and `$select` are given on the first
 * request and kept in the tokens; `$filter` only `receivedDateTime ge|gt {value}`; `$orderby` only
 * `receivedDateTime desc`; no `$search`. Removed entries (deleted, moved out) are
 * `{ "@odata.type": "#microsoft.graph.message", id, "@removed": { "reason": "deleted" } }`.
 */

const { httpError } = require('../router');
const { applySelect, parseSelect, mergeApplied } = require('./outlook-odata');
const { MESSAGE_ENTITY, messageJson } = require('./mail-json');
const { findFolder } = require('./mail-folders');
const { bodyPreference } = require('./mail-messages');

/**
 * @param {import('../router').Router} router
 * @param {import('./mail-messages').MailEnv & { delta: ReturnType<typeof import('./outlook-delta').createDeltaEngine> }} env
 */
function registerMessageDelta(router, env) {
	const { store, access, delta } = env;

	access.route(router, 'GET', 'mailFolders/(?<folderId>[^/]+)/messages/delta', 'mail.read', ({ ctx, mailbox, params }) => {
		const folder = findFolder(store, mailbox, params.folderId);
		const restart = `${ctx.sandbox.graphUrl}${ctx.path}`;
		const link = (/** @type {string} */ query) => `${restart}?${query}`;
		const { size, headers } = delta.pageSize(ctx);
		const { bodyType, headers: bodyHeaders } = bodyPreference(ctx);
		const render = (/** @type {import('./outlook-delta').DeltaEntry} */ entry, /** @type {import('./outlook-delta').Snapshot} */ snapshot) => {
			const message = mailbox.messages.get(entry.id);
			if (entry.removed || !message || message.folderId !== folder.id) {
				return { '@odata.type': '#microsoft.graph.message', id: entry.id, '@removed': { reason: 'deleted' } };
			}
			return applySelect(messageJson(message, { bodyType, recurrenceJson: env.recurrenceJson }), snapshot.state.sel, MESSAGE_ENTITY);
		};
		const how = { link, render, context: `${ctx.sandbox.graphUrl}/v1.0/$metadata#Collection(message)` };
		const allHeaders = mergeApplied(headers, bodyHeaders);

		if (ctx.query.$skiptoken !== undefined) {
			const { key, offset, state } = delta.resume(ctx.query.$skiptoken, mailbox, restart);
			if (state.f !== folder.id) throw delta.gone(restart);
			return ctx.json(200, delta.page(ctx, key, offset, size, how), allHeaders);
		}

		/** @type {Record<string, any>} */
		let state;
		/** @type {import('./outlook-delta').DeltaEntry[]} */
		let entries;
		if (ctx.query.$deltatoken !== undefined) {
			state = delta.deltaState(ctx.query.$deltatoken, mailbox, restart);
			if (state.f !== folder.id) throw delta.gone(restart);
			entries = changesSince(mailbox, folder.id, state);
		} else {
			state = initialState(ctx, folder.id);
			entries = store.messagesIn(mailbox, folder.id)
				.filter((m) => state.from === undefined || (state.op === 'gt' ? Date.parse(m.receivedDateTime) > state.from : Date.parse(m.receivedDateTime) >= state.from))
				.sort((a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime) || a.id.localeCompare(b.id))
				.map((m) => ({ id: m.id, removed: false }));
		}
		const key = delta.store({ entries, mailboxId: mailbox.id, generation: mailbox.syncGeneration, state: { ...state, s: store.seq } });
		return ctx.json(200, delta.page(ctx, key, 0, size, how), allHeaders);
	});

	/** The options of a first delta request, validated as the docs restrict them. @param {import('../router').Context} ctx @param {string} folderId */
	function initialState(ctx, folderId) {
		const q = ctx.query;
		if (q.$search !== undefined) throw httpError(400, 'BadRequest', '$search is not supported on delta queries.');
		/** @type {Record<string, any>} */
		const state = { f: folderId };
		const changeType = Object.entries(q).find(([k]) => k.toLowerCase() === 'changetype')?.[1];
		if (changeType !== undefined) {
			if (!['created', 'updated', 'deleted'].includes(changeType.toLowerCase())) {
				throw httpError(400, 'ErrorInvalidParameter', `The value '${changeType}' of changeType is not valid: use created, updated or deleted.`);
			}
			state.ct = changeType.toLowerCase();
		}
		if (q.$select !== undefined) {
			parseSelect(q.$select, MESSAGE_ENTITY);
			state.sel = q.$select;
		}
		if (q.$filter !== undefined) {
			const m = /^\s*receivedDateTime\s+(ge|gt)\s+(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))\s*$/i.exec(q.$filter);
			if (!m || Number.isNaN(Date.parse(m[2]))) throw httpError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes. Delta supports receivedDateTime ge|gt {DateTimeOffset} only.');
			state.op = m[1].toLowerCase();
			state.from = Date.parse(m[2]);
		}
		if (q.$orderby !== undefined && !/^\s*receivedDateTime\s+desc\s*$/i.test(q.$orderby)) {
			throw httpError(400, 'BadRequest', 'Delta supports $orderby=receivedDateTime desc only.');
		}
		return state;
	}

	/**
	 * Messages of the folder created or changed after `state.s`, and tombstones, in change order.
	 * @param {import('./outlook-store').Mailbox} mailbox @param {string} folderId @param {Record<string, any>} state
	 */
	function changesSince(mailbox, folderId, state) {
		const since = /** @type {number} */ (state.s);
		const wanted = (/** @type {string} */ kind) => state.ct === undefined || state.ct === kind;
		/** @type {Array<{ id: string, removed: boolean, seq: number }>} */
		const changes = [];
		for (const m of store.messagesIn(mailbox, folderId)) {
			if (m.changeSeq <= since) continue;
			if (state.from !== undefined && Date.parse(m.receivedDateTime) < state.from) continue;
			if (wanted(m.createdSeq > since ? 'created' : 'updated')) changes.push({ id: m.id, removed: false, seq: m.changeSeq });
		}
		if (wanted('deleted')) {
			for (const t of mailbox.tombstones) if (t.folderId === folderId && t.seq > since) changes.push({ id: t.id, removed: true, seq: t.seq });
		}
		return changes.sort((a, b) => a.seq - b.seq).map(({ id, removed }) => ({ id, removed }));
	}
}

module.exports = { registerMessageDelta };
