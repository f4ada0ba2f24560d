// @ts-check
'use strict';

/**
 * The Outlook model of the sandbox: one mailbox per seeded user (plus shared mailboxes) holding mail folders,
 * messages with attachments, calendars with events, and contacts. Every change takes the next number of one
 * sandbox-wide sequence (`store.seq`), which delta queries compare with; removed items leave tombstones.
 * Ids look like Exchange's (opaque, `AAMk…` for items, `AQMk…` for folders); seeded objects get ids derived
 * from the mailbox and a key, so they are the same on every start.
 */

const crypto = require('node:crypto');

/** Well-known mail folders: [well-known name, display name, hidden]. */
const WELL_KNOWN_FOLDERS = /** @type {Array<[string, string, boolean]>} */ ([
	['inbox', 'Inbox', false],
	['drafts', 'Drafts', false],
	['sentitems', 'Sent Items', false],
	['deleteditems', 'Deleted Items', false],
	['junkemail', 'Junk Email', false],
	['outbox', 'Outbox', false],
	['archive', 'Archive', false],
	['conversationhistory', 'Conversation History', false],
	['syncissues', 'Sync Issues', true],
]);

/**
 * @typedef {{ name: string, address: string }} EmailAddress
 * @typedef {{ emailAddress: EmailAddress }} Recipient
 * @typedef {{ id: string, name: string, contentType: string, size: number, isInline: boolean, contentId: string | null,
 *   lastModifiedDateTime: string, bytes: Buffer }} Attachment
 * @typedef {{ kind: 'request' | 'response' | 'cancelled', eventId: string | null, responseType?: string,
 *   start: number, end: number, isAllDay: boolean, location: string, recurrence: any }} MeetingInfo
 * @typedef {{ id: string, mailboxId: string, folderId: string, subject: string, body: { contentType: string, content: string },
 *   from: Recipient | null, sender: Recipient | null, toRecipients: Recipient[], ccRecipients: Recipient[], bccRecipients: Recipient[],
 *   replyTo: Recipient[], isRead: boolean, isDraft: boolean, importance: string, categories: string[], flag: any,
 *   inferenceClassification: string, receivedDateTime: string, sentDateTime: string | null, createdDateTime: string,
 *   lastModifiedDateTime: string, changeKey: string, conversationId: string, conversationIndex: string, internetMessageId: string,
 *   isReadReceiptRequested: boolean, isDeliveryReceiptRequested: boolean | null, attachments: Attachment[],
 *   internetMessageHeaders: Array<{ name: string, value: string }>, meeting: MeetingInfo | null, changeSeq: number, createdSeq: number }} Message
 * @typedef {{ id: string, mailboxId: string, parentFolderId: string, displayName: string, wellKnownName: string | null,
 *   isHidden: boolean }} Folder
 * @typedef {{ id: string, mailboxId: string, name: string, color: string, hexColor: string, isDefault: boolean, changeKey: string }} Calendar
 * @typedef {{ id: string, mailboxId: string, calendarId: string, subject: string, body: { contentType: string, content: string },
 *   start: number, end: number, startTimeZone: string, endTimeZone: string, isAllDay: boolean, location: string,
 *   attendees: Array<{ type: string, emailAddress: EmailAddress, status: { response: string, time: string } }>,
 *   organizer: Recipient, isOrganizer: boolean, responseStatus: { response: string, time: string }, isOnlineMeeting: boolean,
 *   onlineMeetingProvider: string, joinUrl: string | null, recurrence: any, iCalUId: string, categories: string[], importance: string,
 *   sensitivity: string, showAs: string, reminderMinutesBeforeStart: number, isReminderOn: boolean, isCancelled: boolean,
 *   createdDateTime: string, lastModifiedDateTime: string, changeKey: string, transactionId: string | null,
 *   exceptions: Map<string, { subject?: string, start?: number, end?: number, seq: number }>, cancelled: Map<string, number>,
 *   changeSeq: number, createdSeq: number }} CalendarEvent
 * @typedef {{ id: string, mailboxId: string, parentFolderId: string, fields: Record<string, any>, createdDateTime: string,
 *   lastModifiedDateTime: string, changeKey: string, changeSeq: number }} Contact
 * @typedef {{ id: string, tenantId: string, address: string, displayName: string, kind: 'user' | 'shared',
 *   folders: Map<string, Folder>, wellKnown: Map<string, string>, rootId: string, messages: Map<string, Message>,
 *   tombstones: Array<{ id: string, folderId: string, seq: number }>, calendars: Map<string, Calendar>, defaultCalendarId: string,
 *   events: Map<string, CalendarEvent>, eventTombstones: Array<{ event: CalendarEvent, seq: number }>,
 *   contacts: Map<string, Contact>, contactsFolderId: string, fullAccess: Set<string>, sendAs: Set<string>,
 *   throttle: { remaining: number, retryAfter: string } | null, syncGeneration: number }} Mailbox
 */

/** Graph's date-time form (seconds, no fraction). @param {number} [ms] */
function isoNow(ms = Date.now()) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Now with milliseconds: message times are kept this precisely (filters and delta compare them) and written in seconds. */
function preciseNow() {
	return new Date().toISOString();
}

class OutlookStore {
	constructor() {
		/** @type {Map<string, Mailbox>} */
		this.mailboxes = new Map();
		this.seq = 0;
		/** External deliveries: what left the tenant. @type {any[]} */
		this.outbox = [];
	}

	/** The next change number. */
	next() {
		this.seq += 1;
		return this.seq;
	}

	/**
	 * An opaque Exchange-like id; deterministic when a seed is given (seeded objects).
	 * @param {'item' | 'folder'} kind @param {string} [seed]
	 */
	newId(kind, seed) {
		const bytes = seed ? crypto.createHash('sha256').update(seed).digest().subarray(0, 30) : crypto.randomBytes(30);
		return `${kind === 'folder' ? 'AQMk' : 'AAMk'}${bytes.toString('base64url')}=`;
	}

	/** A new change key (also the weak ETag). */
	changeKey() {
		return `CQAAABYAAA${crypto.randomBytes(15).toString('base64')}`;
	}

	/**
	 * @param {{ id: string, tenantId: string, address: string, displayName: string, kind: 'user' | 'shared' }} spec
	 * @returns {Mailbox}
	 */
	addMailbox(spec) {
		const key = (/** @type {string} */ name) => `${spec.id}|${name}`;
		const rootId = this.newId('folder', key('msgfolderroot'));
		/** @type {Mailbox} */
		const mailbox = {
			...spec, folders: new Map(), wellKnown: new Map(), rootId, messages: new Map(), tombstones: [],
			calendars: new Map(), defaultCalendarId: '', events: new Map(), eventTombstones: [], contacts: new Map(),
			contactsFolderId: this.newId('folder', key('contacts')), fullAccess: new Set(), sendAs: new Set(), throttle: null, syncGeneration: 1,
		};
		mailbox.folders.set(rootId, {
			id: rootId, mailboxId: spec.id, parentFolderId: this.newId('folder', key('root')), displayName: 'Top of Information Store',
			wellKnownName: 'msgfolderroot', isHidden: false,
		});
		mailbox.wellKnown.set('msgfolderroot', rootId);
		for (const [name, displayName, hidden] of WELL_KNOWN_FOLDERS) {
			const folder = this.addFolder(mailbox, rootId, displayName, { seed: key(name), hidden });
			folder.wellKnownName = name;
			mailbox.wellKnown.set(name, folder.id);
		}
		mailbox.defaultCalendarId = this.addCalendar(mailbox, 'Calendar', { isDefault: true, seed: key('calendar') }).id;
		this.mailboxes.set(spec.id, mailbox);
		return mailbox;
	}

	/** Mailbox by id or SMTP address (case-insensitive), within a tenant when given. @param {string} idOrAddress @param {string} [tenantId] */
	findMailbox(idOrAddress, tenantId) {
		const key = String(idOrAddress).toLowerCase();
		for (const mailbox of this.mailboxes.values()) {
			if (tenantId && mailbox.tenantId !== tenantId) continue;
			if (mailbox.id === key || mailbox.address.toLowerCase() === key) return mailbox;
		}
		return undefined;
	}

	// ---- folders ----

	/**
	 * @param {Mailbox} mailbox @param {string} parentId @param {string} displayName
	 * @param {{ seed?: string, hidden?: boolean }} [options]
	 */
	addFolder(mailbox, parentId, displayName, options = {}) {
		/** @type {Folder} */
		const folder = {
			id: this.newId('folder', options.seed), mailboxId: mailbox.id, parentFolderId: parentId, displayName,
			wellKnownName: null, isHidden: Boolean(options.hidden),
		};
		mailbox.folders.set(folder.id, folder);
		return folder;
	}

	/** Folder by id or well-known name (case-insensitive). @param {Mailbox} mailbox @param {string} idOrName */
	folder(mailbox, idOrName) {
		const byName = mailbox.wellKnown.get(String(idOrName).toLowerCase());
		return mailbox.folders.get(byName ?? idOrName);
	}

	/** @param {Mailbox} mailbox @param {string} parentId */
	childFolders(mailbox, parentId) {
		return [...mailbox.folders.values()].filter((f) => f.parentFolderId === parentId).sort((a, b) => a.displayName.localeCompare(b.displayName));
	}

	/** @param {Mailbox} mailbox @param {string} folderId */
	messagesIn(mailbox, folderId) {
		return [...mailbox.messages.values()].filter((m) => m.folderId === folderId);
	}

	/** Removes a folder, its subfolders and their messages (tombstones for delta). @param {Mailbox} mailbox @param {Folder} folder */
	deleteFolder(mailbox, folder) {
		for (const child of this.childFolders(mailbox, folder.id)) this.deleteFolder(mailbox, child);
		for (const message of this.messagesIn(mailbox, folder.id)) this.removeMessage(mailbox, message);
		mailbox.folders.delete(folder.id);
	}

	// ---- messages ----

	/**
	 * A message in a folder; missing fields get Exchange's defaults.
	 * @param {Mailbox} mailbox @param {string} folderId @param {Partial<Message>} fields @param {string} [seed]
	 * @returns {Message}
	 */
	addMessage(mailbox, folderId, fields, seed) {
		const now = preciseNow();
		const seq = this.next();
		/** @type {Message} */
		const message = {
			subject: '', body: { contentType: 'html', content: '' }, from: null, sender: null, toRecipients: [], ccRecipients: [],
			bccRecipients: [], replyTo: [], isRead: false, isDraft: false, importance: 'normal', categories: [], flag: { flagStatus: 'notFlagged' },
			inferenceClassification: 'focused', receivedDateTime: now, sentDateTime: now, createdDateTime: now, lastModifiedDateTime: now,
			conversationId: `AAQk${crypto.randomBytes(24).toString('base64url')}=`, conversationIndex: crypto.randomBytes(22).toString('base64'),
			internetMessageId: `<${crypto.randomBytes(12).toString('hex').toUpperCase()}@sandbox.prod.outlook.com>`,
			isReadReceiptRequested: false, isDeliveryReceiptRequested: null, attachments: [], internetMessageHeaders: [], meeting: null,
			...fields,
			id: this.newId('item', seed), mailboxId: mailbox.id, folderId, changeKey: this.changeKey(), changeSeq: seq, createdSeq: seq,
		};
		mailbox.messages.set(message.id, message);
		return message;
	}

	/** Marks a message changed (delta "updated"). @param {Message} message */
	touchMessage(message) {
		message.changeSeq = this.next();
		message.changeKey = this.changeKey();
		message.lastModifiedDateTime = preciseNow();
	}

	/** @param {Mailbox} mailbox @param {Message} message */
	removeMessage(mailbox, message) {
		mailbox.messages.delete(message.id);
		mailbox.tombstones.push({ id: message.id, folderId: message.folderId, seq: this.next() });
	}

	/**
	 * Move: Exchange gives the moved item a new id (the old one is gone).
	 * @param {Mailbox} mailbox @param {Message} message @param {string} folderId
	 */
	moveMessage(mailbox, message, folderId) {
		const { id: _id, mailboxId: _m, folderId: _f, changeKey: _c, changeSeq: _s, createdSeq: _cs, ...fields } = message;
		this.removeMessage(mailbox, message);
		return this.addMessage(mailbox, folderId, { ...fields, attachments: message.attachments, lastModifiedDateTime: preciseNow() });
	}

	/** @param {Mailbox} target @param {Message} message @param {string} folderId @param {Partial<Message>} [overrides] */
	copyMessage(target, message, folderId, overrides = {}) {
		const { id: _id, mailboxId: _m, folderId: _f, changeKey: _c, changeSeq: _s, createdSeq: _cs, ...fields } = message;
		const now = preciseNow();
		return this.addMessage(target, folderId, {
			...structuredClone({ ...fields, attachments: [] }),
			attachments: message.attachments.map((a) => this.copyAttachment(a)),
			createdDateTime: now, lastModifiedDateTime: now, ...overrides,
		});
	}

	// ---- attachments ----

	/** @param {{ name: string, contentType?: string, bytes: Buffer, isInline?: boolean, contentId?: string | null }} spec @param {string} [seed] */
	newAttachment(spec, seed) {
		/** @type {Attachment} */
		const attachment = {
			id: this.newId('item', seed && `${seed}|attachment`), name: spec.name, contentType: spec.contentType || 'application/octet-stream',
			size: spec.bytes.length, isInline: Boolean(spec.isInline), contentId: spec.contentId ?? null, lastModifiedDateTime: isoNow(), bytes: spec.bytes,
		};
		return attachment;
	}

	/** @param {Attachment} attachment */
	copyAttachment(attachment) {
		return { ...attachment, id: this.newId('item'), lastModifiedDateTime: isoNow() };
	}

	// ---- calendars and events ----

	/** @param {Mailbox} mailbox @param {string} name @param {{ isDefault?: boolean, seed?: string, color?: string }} [options] */
	addCalendar(mailbox, name, options = {}) {
		/** @type {Calendar} */
		const calendar = {
			id: this.newId('item', options.seed), mailboxId: mailbox.id, name, color: options.color ?? 'auto', hexColor: '',
			isDefault: Boolean(options.isDefault), changeKey: this.changeKey(),
		};
		mailbox.calendars.set(calendar.id, calendar);
		return calendar;
	}

	/**
	 * @param {Mailbox} mailbox @param {string} calendarId @param {Partial<CalendarEvent> & { start: number, end: number }} fields
	 * @param {string} [seed]
	 * @returns {CalendarEvent}
	 */
	addEvent(mailbox, calendarId, fields, seed) {
		const now = isoNow();
		const seq = this.next();
		const id = this.newId('item', seed);
		/** @type {CalendarEvent} */
		const event = {
			subject: '', body: { contentType: 'html', content: '' }, startTimeZone: 'UTC', endTimeZone: 'UTC', isAllDay: false, location: '',
			attendees: [], organizer: { emailAddress: { name: mailbox.displayName, address: mailbox.address } }, isOrganizer: true,
			responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' }, isOnlineMeeting: false, onlineMeetingProvider: 'unknown',
			joinUrl: null, recurrence: null, iCalUId: `040000008200E00074C5B7101A82E00800000000${crypto.randomBytes(24).toString('hex').toUpperCase()}`,
			categories: [], importance: 'normal', sensitivity: 'normal', showAs: 'busy', reminderMinutesBeforeStart: 15, isReminderOn: true,
			isCancelled: false, createdDateTime: now, lastModifiedDateTime: now, transactionId: null, exceptions: new Map(), cancelled: new Map(),
			...fields,
			id, mailboxId: mailbox.id, calendarId, changeKey: this.changeKey(), changeSeq: seq, createdSeq: seq,
		};
		mailbox.events.set(id, event);
		return event;
	}

	/** @param {CalendarEvent} event */
	touchEvent(event) {
		event.changeSeq = this.next();
		event.changeKey = this.changeKey();
		event.lastModifiedDateTime = isoNow();
	}

	/** @param {Mailbox} mailbox @param {CalendarEvent} event */
	removeEvent(mailbox, event) {
		mailbox.events.delete(event.id);
		mailbox.eventTombstones.push({ event, seq: this.next() });
	}

	// ---- contacts ----

	/** @param {Mailbox} mailbox @param {Record<string, any>} fields @param {string} [seed] */
	addContact(mailbox, fields, seed) {
		const now = isoNow();
		/** @type {Contact} */
		const contact = {
			id: this.newId('item', seed), mailboxId: mailbox.id, parentFolderId: mailbox.contactsFolderId, fields,
			createdDateTime: now, lastModifiedDateTime: now, changeKey: this.changeKey(), changeSeq: this.next(),
		};
		mailbox.contacts.set(contact.id, contact);
		return contact;
	}
}

/** Exchange ids are base64 text; anything else is "malformed" (400), a well-formed unknown id is "not found" (404). @param {string} id */
function isWellFormedId(id) {
	return /^A[AQ]Mk[A-Za-z0-9_+/-]{8,}=*$/.test(id);
}

module.exports = { OutlookStore, WELL_KNOWN_FOLDERS, isoNow, preciseNow, isWellFormedId };
