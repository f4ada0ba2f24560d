// @ts-check
'use strict';

/**
 * `sandbox.outlook`: helpers for tests (typed as SandboxOutlook in index.d.ts; also over HTTP as
 * `/_sandbox/outlook/*`, outlook-control.js). A mailbox is named by user id, UPN/SMTP address or shared-mailbox
 * address; a folder by id, well-known name (inbox, sentitems, …) or display name. Helpers throw plain Errors
 * for unknown names; JSON is Graph's (times in UTC).
 */

const { messageJson, folderJson, textToHtml } = require('./mail-json');
const { eventJson } = require('./calendar-json');
const { recurrenceJson } = require('./calendar-recurrence');
const { contactJson, contactFields } = require('./contacts');
const { isoNow } = require('./outlook-store');

const UTC = { name: 'UTC', iana: 'Etc/UTC' };

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {string | { name?: string, address: string }} Address
 * @typedef {{ folder?: string, subject?: string, body?: string, bodyType?: 'html' | 'text', from?: Address, to?: Address[], cc?: Address[],
 *   bcc?: Address[], isRead?: boolean, isDraft?: boolean, importance?: 'low' | 'normal' | 'high', categories?: string[],
 *   flag?: 'notFlagged' | 'flagged' | 'complete', receivedDateTime?: string,
 *   attachments?: Array<{ name: string, contentType?: string, content?: Buffer | string, base64?: string, isInline?: boolean, contentId?: string }>,
 *   internetMessageHeaders?: Array<{ name: string, value: string }> }} MessageSpec
 */

/**
 * @param {{ store: import('./outlook-store').OutlookStore, state: any, delivery: ReturnType<typeof import('./mail-send').createDelivery>,
 *   logic: ReturnType<typeof import('./calendar-events').createCalendarLogic>, sessions: Map<string, any> }} parts
 */
function createOutlookApi({ store, state, logic, sessions }) {
	/** @param {string} idOrAddress @returns {Mailbox} */
	const mailboxOf = (idOrAddress) => {
		const user = state.findUser(idOrAddress);
		const mailbox = store.findMailbox(user ? user.id : idOrAddress);
		if (!mailbox) throw new Error(`sandbox.outlook: no mailbox "${idOrAddress}"`);
		return mailbox;
	};
	/** @param {Mailbox} mailbox @param {string} name */
	const folderOf = (mailbox, name) => store.folder(mailbox, name)
		?? [...mailbox.folders.values()].find((f) => f.displayName.toLowerCase() === String(name).toLowerCase());
	/** @param {Mailbox} mailbox @param {string} name */
	const requireFolder = (mailbox, name) => {
		const folder = folderOf(mailbox, name);
		if (!folder) throw new Error(`sandbox.outlook: no folder "${name}" in ${mailbox.address}`);
		return folder;
	};
	/** @param {Address} value */
	const recipient = (value) => {
		const address = typeof value === 'string' ? value : value.address;
		const name = typeof value === 'string' ? undefined : value.name;
		return { emailAddress: { name: name ?? store.findMailbox(address)?.displayName ?? address, address } };
	};
	/** @param {import('./outlook-store').Message} message @returns {Record<string, any>} */
	const withAttachments = (message) => ({
		...messageJson(message, { recurrenceJson }),
		attachments: message.attachments.map((a) => ({ id: a.id, name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline })),
	});
	/** @param {Mailbox} mailbox @param {string} idOrSubject @param {string} [folder] */
	const findMessage = (mailbox, idOrSubject, folder) => {
		const byId = mailbox.messages.get(idOrSubject);
		if (byId) return byId;
		const folderId = folder ? requireFolder(mailbox, folder).id : null;
		return [...mailbox.messages.values()]
			.filter((m) => m.subject === idOrSubject && (!folderId || m.folderId === folderId))
			.sort((a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime))[0];
	};

	/** @param {Mailbox} mailbox @param {MessageSpec} spec @param {string} [at] */
	function addMessage(mailbox, spec, at) {
		const received = at ?? spec.receivedDateTime ?? isoNow();
		const from = recipient(spec.from ?? { name: 'Sandbox sender', address: 'sender@external.example' });
		const content = spec.body ?? '';
		return store.addMessage(mailbox, requireFolder(mailbox, spec.folder ?? 'inbox').id, {
			subject: spec.subject ?? '',
			body: spec.bodyType === 'text' ? { contentType: 'text', content } : { contentType: 'html', content: /<html/i.test(content) ? content : textToHtml(content) },
			from, sender: from,
			toRecipients: (spec.to ?? [{ name: mailbox.displayName, address: mailbox.address }]).map(recipient),
			ccRecipients: (spec.cc ?? []).map(recipient), bccRecipients: (spec.bcc ?? []).map(recipient),
			isRead: spec.isRead ?? false, isDraft: spec.isDraft ?? false, importance: spec.importance ?? 'normal', categories: spec.categories ?? [],
			flag: { flagStatus: spec.flag ?? 'notFlagged' }, receivedDateTime: received, sentDateTime: received,
			createdDateTime: received, lastModifiedDateTime: received, internetMessageHeaders: spec.internetMessageHeaders ?? [],
			attachments: (spec.attachments ?? []).map((a) => store.newAttachment({
				name: a.name, contentType: a.contentType, isInline: a.isInline, contentId: a.contentId,
				bytes: a.base64 !== undefined ? Buffer.from(a.base64, 'base64') : Buffer.isBuffer(a.content) ? a.content : Buffer.from(String(a.content ?? ''), 'utf8'),
			})),
		});
	}

	const api = {
		store,
		/** Every mailbox: `{ id, address, displayName, kind, tenantId, folders: { inbox: id, … } }`. */
		listMailboxes() {
			return [...store.mailboxes.values()].map((m) => api.mailbox(m.id));
		},
		/** @param {string} idOrAddress */
		mailbox(idOrAddress) {
			const m = mailboxOf(idOrAddress);
			return {
				id: m.id, address: m.address, displayName: m.displayName, kind: m.kind, tenantId: m.tenantId,
				folders: Object.fromEntries(m.wellKnown), defaultCalendarId: m.defaultCalendarId,
				fullAccess: [...m.fullAccess], sendAs: [...m.sendAs],
			};
		},
		/** mailFolder JSON by id, well-known name or display name; null when absent. @param {string} mailbox @param {string} folder */
		folder(mailbox, folder) {
			const m = mailboxOf(mailbox);
			const found = folderOf(m, folder);
			return found ? folderJson(found, store, m) : null;
		},
		/** Messages (newest first) of a mailbox, or of one folder; message JSON plus an attachments summary. @param {string} mailbox @param {string} [folder] */
		messages(mailbox, folder) {
			const m = mailboxOf(mailbox);
			const folderId = folder ? requireFolder(m, folder).id : null;
			return [...m.messages.values()].filter((x) => !folderId || x.folderId === folderId)
				.sort((a, b) => Date.parse(b.receivedDateTime) - Date.parse(a.receivedDateTime)).map(withAttachments);
		},
		/** A message by id or exact subject (the newest with it; optionally in one folder), or null. @param {string} mailbox @param {string} idOrSubject @param {string} [folder] */
		message(mailbox, idOrSubject, folder) {
			const found = findMessage(mailboxOf(mailbox), idOrSubject, folder);
			return found ? withAttachments(found) : null;
		},
		/** Puts one message into a folder (Inbox by default) → its JSON. @param {string} mailbox @param {MessageSpec} spec */
		seedMessage(mailbox, spec = {}) {
			return withAttachments(addMessage(mailboxOf(mailbox), spec));
		},
		/**
		 * A burst of `count` messages "{subject} 00001"… received one minute apart (the last one newest, at
		 * receivedDateTime or now) → their ids, oldest first. @param {string} mailbox @param {number} count @param {MessageSpec} [spec]
		 */
		seedMessages(mailbox, count, spec = {}) {
			const m = mailboxOf(mailbox);
			const newest = Date.parse(spec.receivedDateTime ?? isoNow());
			const width = Math.max(5, String(count).length);
			const ids = [];
			for (let n = 1; n <= count; n += 1) {
				const at = isoNow(newest - (count - n) * 60000);
				ids.push(addMessage(m, { ...spec, subject: `${spec.subject ?? 'Bulk message'} ${String(n).padStart(width, '0')}` }, at).id);
			}
			return ids;
		},
		/** Changes a message as the user would (marks it changed for delta). @param {string} mailbox @param {string} id @param {Partial<{ isRead: boolean, subject: string, categories: string[], importance: string }>} changes */
		updateMessage(mailbox, id, changes) {
			const m = mailboxOf(mailbox);
			const message = m.messages.get(id);
			if (!message) throw new Error(`sandbox.outlook: no message ${id}`);
			Object.assign(message, changes);
			store.touchMessage(message);
			return withAttachments(message);
		},
		/** Removes a message for good (delta reports it removed). @param {string} mailbox @param {string} id */
		deleteMessage(mailbox, id) {
			const m = mailboxOf(mailbox);
			const message = m.messages.get(id);
			if (!message) throw new Error(`sandbox.outlook: no message ${id}`);
			store.removeMessage(m, message);
		},
		/** Bytes of an attachment, by attachment id or name. @param {string} mailbox @param {string} messageId @param {string} attachment */
		attachmentBytes(mailbox, messageId, attachment) {
			const message = mailboxOf(mailbox).messages.get(messageId);
			const found = message?.attachments.find((a) => a.id === attachment || a.name === attachment);
			if (!found) throw new Error(`sandbox.outlook: no attachment "${attachment}" on ${messageId}`);
			return Buffer.from(found.bytes);
		},
		/** Mail that left the tenant (recipients outside it), oldest first. */
		outbox() {
			return store.outbox.map((entry) => structuredClone(entry));
		},
		clearOutbox() {
			store.outbox.length = 0;
		},
		/** The next `times` requests to this mailbox answer 429 ApplicationThrottled with Retry-After. @param {string} mailbox @param {{ times?: number, retryAfter?: string | number }} [options] */
		throttle(mailbox, options = {}) {
			mailboxOf(mailbox).throttle = { remaining: options.times ?? 1, retryAfter: String(options.retryAfter ?? '1') };
		},
		/** Every delta token and page token of this mailbox answers 410 SyncStateNotFound from now on. @param {string} mailbox */
		expireDeltaTokens(mailbox) {
			mailboxOf(mailbox).syncGeneration += 1;
		},
		/** Grants (or with false, removes) full access / send-as on a mailbox to a user. @param {string} mailbox @param {string} user @param {{ fullAccess?: boolean, sendAs?: boolean }} rights */
		setMailboxPermission(mailbox, user, rights) {
			const m = mailboxOf(mailbox);
			const u = state.findUser(user);
			if (!u) throw new Error(`sandbox.outlook: no user "${user}"`);
			if (rights.fullAccess !== undefined) rights.fullAccess ? m.fullAccess.add(u.id) : m.fullAccess.delete(u.id);
			if (rights.sendAs !== undefined) rights.sendAs ? m.sendAs.add(u.id) : m.sendAs.delete(u.id);
		},
		/** Events (series masters and single events) of all calendars, times in UTC. @param {string} mailbox */
		events(mailbox) {
			return [...mailboxOf(mailbox).events.values()].map((e) => eventJson(e, { zone: UTC }));
		},
		/** An event by id or subject (first found), or null. @param {string} mailbox @param {string} idOrSubject */
		event(mailbox, idOrSubject) {
			const m = mailboxOf(mailbox);
			const found = m.events.get(idOrSubject) ?? [...m.events.values()].find((e) => e.subject === idOrSubject);
			return found ? eventJson(found, { zone: UTC }) : null;
		},
		/** Creates an event as its organizer would (Graph event JSON: subject, start, end, attendees, recurrence…; invitations go out). @param {string} mailbox @param {Record<string, any>} spec */
		seedEvent(mailbox, spec) {
			const m = mailboxOf(mailbox);
			const event = store.addEvent(m, m.defaultCalendarId, /** @type {any} */ (logic.eventFields(spec, m, null)));
			logic.invite(m, event);
			return eventJson(event, { zone: UTC });
		},
		/** @param {string} mailbox */
		contacts(mailbox) {
			return [...mailboxOf(mailbox).contacts.values()].map(contactJson);
		},
		/** A contact by id or displayName, or null. @param {string} mailbox @param {string} idOrName */
		contact(mailbox, idOrName) {
			const m = mailboxOf(mailbox);
			const found = m.contacts.get(idOrName) ?? [...m.contacts.values()].find((c) => contactJson(c).displayName === idOrName);
			return found ? contactJson(found) : null;
		},
		/** Adds a contact (Graph contact JSON). @param {string} mailbox @param {Record<string, any>} fields */
		seedContact(mailbox, fields) {
			return contactJson(store.addContact(mailboxOf(mailbox), contactFields(fields)));
		},
		/** Number of attachment upload sessions not finished or cancelled. */
		openUploadSessions() {
			return sessions.size;
		},
	};
	return api;
}

module.exports = { createOutlookApi };
