// @ts-check
'use strict';

/**
 * Messages: `GET /messages`, `GET /mailFolders/{id}/messages` (paged: 10 by default, `$top` 1–1000, `$skip`;
 * `$filter`, `$orderby` (default receivedDateTime desc), `$select`, `$search`), `GET|PATCH|DELETE /messages/{id}`
 * (also under a folder), `GET /messages/{id}/$value` (MIME), `POST /messages/{id}/move|copy`, `POST /messages`
 * and `POST /mailFolders/{id}/messages` (drafts).
 *
 * As Exchange: `$search` cannot be combined with `$filter` (SearchWithFilter) or `$orderby` (SearchWithOrderBy);
 * `$filter` + `$orderby` need the ordered properties first in the filter (InefficientFilter); DELETE moves a
 * message to Deleted Items (from there it is gone); move gives the message a new id.
 */

const { httpError } = require('../router');
const { readObject } = require('./outlook-access');
const { compileFilter, compileOrderBy, checkFilterOrder, applySelect, pageBySkip, parsePrefer, wholeNumber } = require('./outlook-odata');
const { MESSAGE_ENTITY, messageJson, attachmentJson, htmlToText, preciseTime } = require('./mail-json');
const { findFolder } = require('./mail-folders');
const { fileAttachmentFrom } = require('./mail-compose');
const { toMime } = require('./mail-mime');
const { isWellFormedId } = require('./outlook-store');

const MESSAGE = '(?:mailFolders/(?<folderId>[^/]+)/)?messages/(?<messageId>[^/]+)';
const SEARCH_LIMIT = 1000;

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('./outlook-store').Message} Message
 * @typedef {{ store: import('./outlook-store').OutlookStore, access: ReturnType<typeof import('./outlook-access').createAccess>,
 *   composer: ReturnType<typeof import('./mail-compose').createComposer>, recurrenceJson: (r: any) => any }} MailEnv
 */

/**
 * A message by id (optionally inside a named folder); 400 ErrorInvalidIdMalformed / 404 ErrorItemNotFound.
 * @param {import('./outlook-store').OutlookStore} store @param {Mailbox} mailbox @param {Record<string, string>} params
 */
function findMessage(store, mailbox, params) {
	const id = params.messageId;
	const message = mailbox.messages.get(id);
	if (params.folderId !== undefined) {
		const folder = findFolder(store, mailbox, params.folderId);
		if (message && message.folderId !== folder.id) throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
	}
	if (message) return message;
	if (!isWellFormedId(id)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
	throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** The body format asked for, and the header saying it was applied. @param {import('../router').Context} ctx */
function bodyPreference(ctx) {
	const asked = parsePrefer(ctx.headers.prefer).get('outlook.body-content-type')?.toLowerCase();
	const bodyType = /** @type {'html' | 'text'} */ (asked === 'text' ? 'text' : 'html');
	/** @type {Record<string, string>} */
	const headers = asked === 'text' || asked === 'html' ? { 'preference-applied': `outlook.body-content-type="${asked}"` } : {};
	return { bodyType, headers };
}

/**
 * `$search` for messages: words (all must occur in subject, body or sender) and `subject:`, `from:`, `to:`,
 * `body:` terms; the value may be in double quotes.
 * @param {string} raw
 */
function searchPredicate(raw) {
	const text = raw.trim().replace(/^"(.*)"$/s, '$1');
	const terms = [...text.matchAll(/(?:(\w+):)?(?:"([^"]*)"|(\S+))/g)].map((m) => ({ field: m[1]?.toLowerCase(), value: (m[2] ?? m[3] ?? '').toLowerCase() }))
		.filter((t) => t.value !== '' && !['and', 'or'].includes(t.value));
	/** @param {Record<string, any>} json */
	return (json) => {
		const from = `${json.from?.emailAddress?.name ?? ''} ${json.from?.emailAddress?.address ?? ''}`.toLowerCase();
		const to = json.toRecipients.map((/** @type {any} */ r) => `${r.emailAddress.name} ${r.emailAddress.address}`).join(' ').toLowerCase();
		const subject = String(json.subject).toLowerCase();
		const body = htmlToText(json.body.content).toLowerCase();
		return terms.every((t) => {
			if (t.field === 'subject') return subject.includes(t.value);
			if (t.field === 'from') return from.includes(t.value);
			if (t.field === 'to') return to.includes(t.value);
			if (t.field === 'body') return body.includes(t.value);
			return subject.includes(t.value) || body.includes(t.value) || from.includes(t.value);
		});
	};
}

/** @param {import('../router').Router} router @param {MailEnv} env */
function registerMessageRoutes(router, env) {
	const { store, access, composer } = env;
	const json = (/** @type {Message} */ m, /** @type {'html' | 'text'} */ bodyType = 'html') => messageJson(m, { bodyType, recurrenceJson: env.recurrenceJson });

	/** @param {import('./outlook-access').Call} call @param {string | null} folderId */
	function list(call, folderId) {
		const { ctx, mailbox } = call;
		const { bodyType, headers } = bodyPreference(ctx);
		const query = ctx.query;
		const source = folderId ? store.messagesIn(mailbox, folderId) : [...mailbox.messages.values()];
		/** @type {Record<string, any>} */
		const body = { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/messages` };
		// `receivedDateTime desc` is the default order, asked for or not.
		const newestFirst = query.$orderby === undefined || /^\s*receivedDateTime\s+desc\s*$/i.test(query.$orderby);
		if (query.$search === undefined && query.$filter === undefined && newestFirst) {
			// Newest first, as Exchange answers from its index: only the page's messages are rendered, so a page costs
			// the same whatever the folder's size and the page size (every client pays alike per page).
			const newest = source.map((m) => ({ m, at: Date.parse(preciseTime(m, 'receivedDateTime')) }));
			newest.sort((a, b) => b.at - a.at || a.m.id.localeCompare(b.m.id));
			const { slice, nextLink } = pageBySkip(ctx, newest, { defaultTop: 10, maxTop: 1000 });
			body.value = slice.map(({ m }) => applySelect(json(m, bodyType), query.$select, MESSAGE_ENTITY));
			if (nextLink) body['@odata.nextLink'] = nextLink;
			return ctx.json(200, body, headers);
		}
		let items = source.map((m) => json(m, bodyType));
		if (query.$search !== undefined) {
			if (query.$filter !== undefined) throw httpError(400, 'SearchWithFilter', "The query parameter '$filter' is not supported with '$search'.");
			if (query.$orderby !== undefined) throw httpError(400, 'SearchWithOrderBy', "The query parameter '$orderBy' is not supported with '$search'.");
			const matches = searchPredicate(query.$search);
			const sent = (/** @type {any} */ m) => Date.parse(preciseTime(m, 'sentDateTime') ?? preciseTime(m, 'createdDateTime'));
			items = items.filter(matches).sort((a, b) => sent(b) - sent(a) || a.id.localeCompare(b.id)).slice(0, SEARCH_LIMIT);
			const top = wholeNumber(query.$top, '$top', 1000) ?? 10;
			const offset = query.$skiptoken ? decodeSearchToken(query.$skiptoken) : 0;
			body.value = items.slice(offset, offset + top).map((m) => applySelect(m, query.$select, MESSAGE_ENTITY));
			if (offset + top < items.length) {
				const params = new URLSearchParams({ $search: query.$search, $top: String(top), $skiptoken: Buffer.from(`search:${offset + top}`).toString('base64url') });
				if (query.$select) params.set('$select', query.$select);
				body['@odata.nextLink'] = `${ctx.sandbox.graphUrl}${ctx.path}?${params.toString().replace(/%24/g, '$')}`;
			}
			return ctx.json(200, body, headers);
		}
		/** @type {string[]} */
		let filterPaths = [];
		if (query.$filter !== undefined) {
			const filter = compileFilter(query.$filter, MESSAGE_ENTITY);
			filterPaths = filter.paths;
			items = items.filter((m) => filter.test(m));
		}
		if (query.$orderby !== undefined) {
			const order = compileOrderBy(query.$orderby, MESSAGE_ENTITY);
			if (query.$filter !== undefined) checkFilterOrder(filterPaths, order.paths);
			items.sort((a, b) => order.comparator(a, b) || a.id.localeCompare(b.id));
		} else {
			const received = (/** @type {any} */ m) => Date.parse(preciseTime(m, 'receivedDateTime'));
			items.sort((a, b) => received(b) - received(a) || a.id.localeCompare(b.id));
		}
		const { slice, nextLink } = pageBySkip(ctx, items, { defaultTop: 10, maxTop: 1000 });
		body.value = slice.map((m) => applySelect(m, query.$select, MESSAGE_ENTITY));
		if (nextLink) body['@odata.nextLink'] = nextLink;
		return ctx.json(200, body, headers);
	}

	/** @param {string} token */
	function decodeSearchToken(token) {
		const m = /^search:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
		if (!m) throw httpError(400, 'BadRequest', 'The $skiptoken is not valid; follow @odata.nextLink as returned.');
		return Number(m[1]);
	}

	/** @param {import('./outlook-access').Call} call @param {Message} message @param {number} status */
	function single(call, message, status = 200) {
		const { ctx, mailbox } = call;
		const { bodyType, headers } = bodyPreference(ctx);
		/** @type {Record<string, any>} */
		let out = applySelect(json(message, bodyType), ctx.query.$select, MESSAGE_ENTITY);
		const expand = ctx.query.$expand;
		if (expand !== undefined) {
			if (expand.trim().toLowerCase() !== 'attachments') {
				throw httpError(400, 'BadRequest', `The sandbox supports $expand=attachments on messages only (got '${expand}').`);
			}
			out = { ...out, attachments: message.attachments.map(attachmentJson) };
		}
		return ctx.json(status, { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/messages/$entity`, ...out }, headers);
	}

	/** @param {import('./outlook-access').Call} call @param {string} folderId */
	async function createDraft(call, folderId) {
		const { ctx, mailbox } = call;
		const body = (await readObject(ctx));
		const fields = composer.messageFields(body, { draft: true });
		const attachments = Array.isArray(body.attachments) ? body.attachments.map((/** @type {unknown} */ a) => store.newAttachment(fileAttachmentFrom(a))) : [];
		const owner = { emailAddress: { name: mailbox.displayName, address: mailbox.address } };
		const message = store.addMessage(mailbox, folderId, {
			from: owner, sender: owner, ...fields, attachments, isDraft: true, isRead: true,
		});
		return single(call, message, 201);
	}

	access.route(router, 'GET', 'messages', 'mail.read', (call) => list(call, null));
	access.route(router, 'GET', 'mailFolders/(?<folderId>[^/]+)/messages', 'mail.read', (call) => list(call, findFolder(store, call.mailbox, call.params.folderId).id));
	access.route(router, 'POST', 'messages', 'mail.write', (call) => createDraft(call, /** @type {string} */ (call.mailbox.wellKnown.get('drafts'))));
	access.route(router, 'POST', 'mailFolders/(?<folderId>[^/]+)/messages', 'mail.write', (call) => createDraft(call, findFolder(store, call.mailbox, call.params.folderId).id));

	access.route(router, 'GET', `${MESSAGE}/(?:\\$|%24)value`, 'mail.read', (call) => {
		const message = findMessage(store, call.mailbox, call.params);
		return call.ctx.send(200, toMime(message), { 'content-type': 'message/rfc822' });
	});

	access.route(router, 'GET', MESSAGE, 'mail.read', (call) => single(call, findMessage(store, call.mailbox, call.params)));

	access.route(router, 'PATCH', MESSAGE, 'mail.write', async (call) => {
		const message = findMessage(store, call.mailbox, call.params);
		const body = await readObject(call.ctx);
		if (body.attachments !== undefined) throw httpError(400, 'ErrorInvalidRequest', 'Attachments cannot be changed with PATCH; use the attachments collection.');
		Object.assign(message, composer.messageFields(body, { draft: message.isDraft }));
		store.touchMessage(message);
		return single(call, message);
	});

	access.route(router, 'DELETE', MESSAGE, 'mail.write', (call) => {
		const { mailbox } = call;
		const message = findMessage(store, mailbox, call.params);
		const deleted = /** @type {string} */ (mailbox.wellKnown.get('deleteditems'));
		if (message.folderId === deleted) store.removeMessage(mailbox, message);
		else store.moveMessage(mailbox, message, deleted);
		return call.ctx.send(204, null);
	});

	for (const action of ['move', 'copy']) {
		access.route(router, 'POST', `${MESSAGE}/${action}`, 'mail.write', async (call) => {
			const { mailbox } = call;
			const message = findMessage(store, mailbox, call.params);
			const body = await readObject(call.ctx);
			if (typeof body.destinationId !== 'string' || body.destinationId === '') {
				throw httpError(400, 'ErrorInvalidParameter', "The value of the parameter 'DestinationId' is empty.");
			}
			const destination = findFolder(store, mailbox, body.destinationId);
			const result = action === 'move' ? store.moveMessage(mailbox, message, destination.id) : store.copyMessage(mailbox, message, destination.id);
			return single(call, result, 201);
		});
	}
}

module.exports = { registerMessageRoutes, findMessage, bodyPreference, searchPredicate };
