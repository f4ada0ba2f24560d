// @ts-check
'use strict';

/**
 * Event logic shared by the calendar routes: reading event JSON from clients (start/end with Windows or IANA
 * zones, attendees, recurrence, Teams online meetings), meetings across mailboxes (an attendee in the tenant
 * gets a copy of the event in their default calendar and a meeting request — an eventMessageRequest — in their
 * Inbox; updates follow the copies; deleting the organizer's event cancels them), and responses
 * (accept / tentativelyAccept / decline update the organizer's attendee list and, unless sendResponse is
 * false, send an eventMessageResponse to the organizer; decline removes the attendee's copy).
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { parseDateTimeTimeZone } = require('./calendar-timezones');
const { parseRecurrence } = require('./calendar-recurrence');
const { EVENT_SELECT } = require('./calendar-json');
const { enumValue, booleanValue } = require('./mail-compose');
const { ADDRESS } = require('./mail-send');

const READ_ONLY = ['id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'bodyPreview', 'cancelledOccurrences', 'hasAttachments', 'iCalUId',
	'isCancelled', 'isOrganizer', 'onlineMeeting', 'onlineMeetingUrl', 'organizer', 'originalEndTimeZone', 'originalStart', 'originalStartTimeZone',
	'responseStatus', 'seriesMasterId', 'type', 'webLink', 'isDraft'];

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('./outlook-store').CalendarEvent} CalendarEvent
 */

/**
 * @param {import('./outlook-store').OutlookStore} store @param {ReturnType<typeof import('./mail-send').createDelivery>} delivery
 */
function createCalendarLogic(store, delivery) {
	/**
	 * Event fields from client JSON. `current`: the event being changed (PATCH), for defaults.
	 * @param {Record<string, any>} body @param {Mailbox} mailbox @param {CalendarEvent | null} current
	 */
	function eventFields(body, mailbox, current) {
		/** @type {Record<string, any>} */
		const out = {};
		for (const [key, value] of Object.entries(body)) {
			if (key.startsWith('@')) continue;
			if (!EVENT_SELECT.includes(key)) {
				throw httpError(400, 'BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
			}
			if (READ_ONLY.includes(key)) continue;
			switch (key) {
				case 'subject': out.subject = value === null ? '' : String(value); break;
				case 'body':
					if (!value || typeof value !== 'object') throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'microsoft.graph.itemBody'.");
					out.body = { contentType: value.contentType === undefined ? 'text' : enumValue(value.contentType, 'body.contentType', ['text', 'html'], 'bodyType'), content: String(value.content ?? '') };
					break;
				case 'start': case 'end':
					out[key] = parseDateTimeTimeZone(value, key);
					out[`${key}TimeZone`] = value.timeZone ?? 'UTC';
					break;
				case 'location': out.location = value && typeof value === 'object' ? String(value.displayName ?? '') : ''; break;
				case 'locations':
					if (Array.isArray(value) && value.length > 0 && out.location === undefined) out.location = String(value[0]?.displayName ?? '');
					break;
				case 'attendees': out.attendees = attendees(value); break;
				case 'isOnlineMeeting': case 'isAllDay': case 'isReminderOn': case 'responseRequested': case 'allowNewTimeProposals': case 'hideAttendees':
					out[key] = booleanValue(value, key); break;
				case 'onlineMeetingProvider':
					out.onlineMeetingProvider = enumValue(value, key, ['unknown', 'skypeForBusiness', 'skypeForConsumer', 'teamsForBusiness'], 'onlineMeetingProviderType'); break;
				case 'importance': out.importance = enumValue(value, key, ['low', 'normal', 'high'], 'importance'); break;
				case 'sensitivity': out.sensitivity = enumValue(value, key, ['normal', 'personal', 'private', 'confidential'], 'sensitivity'); break;
				case 'showAs': out.showAs = enumValue(value, key, ['unknown', 'free', 'tentative', 'busy', 'oof', 'workingElsewhere'], 'freeBusyStatus'); break;
				case 'reminderMinutesBeforeStart':
					if (!Number.isInteger(value)) throw httpError(400, 'BadRequest', `Cannot convert the literal '${value}' to the expected type 'Edm.Int32'.`);
					out.reminderMinutesBeforeStart = value; break;
				case 'categories':
					if (!Array.isArray(value) || value.some((c) => typeof c !== 'string')) throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Collection(Edm.String)'.");
					out.categories = [...value]; break;
				case 'transactionId': out.transactionId = value === null ? null : String(value); break;
				case 'recurrence': out.recurrence = value; break;
				default: break;
			}
		}
		const start = out.start ?? current?.start;
		const end = out.end ?? current?.end;
		if (start === undefined || end === undefined) throw httpError(400, 'ErrorInvalidRequest', 'An event needs start and end ({ dateTime, timeZone }).');
		if (end < start) throw httpError(400, 'ErrorCalendarEndDateIsEarlierThanStartDate', 'The end date you entered occurs before the start date.');
		if ('recurrence' in out) out.recurrence = parseRecurrence(out.recurrence, out.startTimeZone ?? current?.startTimeZone ?? 'UTC');
		if (out.isOnlineMeeting === true || (out.isOnlineMeeting === undefined && current?.isOnlineMeeting)) {
			const provider = out.onlineMeetingProvider ?? (current?.onlineMeetingProvider !== 'unknown' ? current?.onlineMeetingProvider : undefined) ?? 'teamsForBusiness';
			out.onlineMeetingProvider = provider;
			if (!current?.joinUrl || out.isOnlineMeeting === true) out.joinUrl = current?.joinUrl ?? (provider === 'teamsForBusiness' ? teamsJoinUrl(mailbox) : null);
		} else if (out.isOnlineMeeting === false) {
			out.joinUrl = null;
			out.onlineMeetingProvider = 'unknown';
		}
		return out;
	}

	/** @param {any} list */
	function attendees(list) {
		if (!Array.isArray(list)) throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Collection(microsoft.graph.attendee)'.");
		return list.map((a) => {
			const address = a?.emailAddress?.address;
			if (typeof address !== 'string' || !ADDRESS.test(address)) {
				throw httpError(400, 'ErrorInvalidRecipients', `At least one recipient isn't valid., Attendee '${address ?? ''}' is not a valid email address.`);
			}
			const known = store.findMailbox(address);
			return {
				type: a.type === undefined ? 'required' : enumValue(a.type, 'attendees.type', ['required', 'optional', 'resource'], 'attendeeType'),
				status: { response: 'none', time: '0001-01-01T00:00:00Z' },
				emailAddress: { name: typeof a.emailAddress.name === 'string' && a.emailAddress.name ? a.emailAddress.name : known?.displayName ?? address, address },
			};
		});
	}

	/** A Teams join URL of Graph's shape. @param {Mailbox} mailbox */
	function teamsJoinUrl(mailbox) {
		const thread = crypto.randomBytes(24).toString('base64url');
		const context = encodeURIComponent(JSON.stringify({ Tid: mailbox.tenantId, Oid: mailbox.id }));
		return `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0?context=${context}`;
	}

	/** The in-tenant mailboxes of an event's attendees (not the organizer's). @param {Mailbox} organizer @param {CalendarEvent} event */
	function attendeeMailboxes(organizer, event) {
		/** @type {Mailbox[]} */
		const found = [];
		for (const a of event.attendees) {
			const mailbox = store.findMailbox(a.emailAddress.address, organizer.tenantId);
			if (mailbox && mailbox.id !== organizer.id && !found.includes(mailbox)) found.push(mailbox);
		}
		return found;
	}

	/** @param {Mailbox} mailbox @param {string} iCalUId @param {boolean} organizer */
	function copyOf(mailbox, iCalUId, organizer) {
		return [...mailbox.events.values()].find((e) => e.iCalUId === iCalUId && e.isOrganizer === organizer);
	}

	/** @param {CalendarEvent} event @param {'request' | 'cancelled'} kind @param {string | null} eventId */
	const meetingInfo = (event, kind, eventId) => ({ kind, eventId, start: event.start, end: event.end, isAllDay: event.isAllDay, location: event.location, recurrence: event.recurrence });

	/**
	 * Invitations for the attendees of an organizer's event that do not have it yet.
	 * @param {Mailbox} organizer @param {CalendarEvent} event
	 */
	function invite(organizer, event) {
		const invited = attendeeMailboxes(organizer, event).filter((m) => !copyOf(m, event.iCalUId, false));
		const externals = event.attendees.filter((a) => !store.findMailbox(a.emailAddress.address, organizer.tenantId));
		if (invited.length === 0 && externals.length === 0) return;
		const copies = new Map(invited.map((mailbox) => [mailbox.id, attendeeCopy(organizer, event, mailbox)]));
		const toRecipients = [...invited.map((m) => ({ emailAddress: { name: m.displayName, address: m.address } })), ...externals.map((a) => ({ emailAddress: a.emailAddress }))];
		const { delivered } = delivery.submit(organizer, {
			subject: event.subject, body: event.body, toRecipients, importance: event.importance, meeting: meetingInfo(event, 'request', null),
		}, { save: false });
		for (const message of delivered) {
			const copy = copies.get(message.mailboxId);
			if (message.meeting && copy) message.meeting.eventId = copy.id;
		}
	}

	/** @param {Mailbox} organizer @param {CalendarEvent} event @param {Mailbox} mailbox */
	function attendeeCopy(organizer, event, mailbox) {
		return store.addEvent(mailbox, mailbox.defaultCalendarId, {
			...sharedFields(event), iCalUId: event.iCalUId, isOrganizer: false, organizer: { emailAddress: { name: organizer.displayName, address: organizer.address } },
			responseStatus: { response: 'notResponded', time: '0001-01-01T00:00:00Z' }, showAs: 'tentative', categories: [],
		});
	}

	/** What an attendee's copy mirrors. @param {CalendarEvent} event */
	const sharedFields = (event) => ({
		subject: event.subject, body: structuredClone(event.body), start: event.start, end: event.end, startTimeZone: event.startTimeZone,
		endTimeZone: event.endTimeZone, isAllDay: event.isAllDay, location: event.location, attendees: structuredClone(event.attendees),
		isOnlineMeeting: event.isOnlineMeeting, onlineMeetingProvider: event.onlineMeetingProvider, joinUrl: event.joinUrl,
		recurrence: structuredClone(event.recurrence), importance: event.importance, sensitivity: event.sensitivity, isCancelled: event.isCancelled,
	});

	/** After the organizer changed an event: copies follow, new attendees are invited, removed ones cancelled. @param {Mailbox} organizer @param {CalendarEvent} event */
	function propagate(organizer, event) {
		if (!event.isOrganizer) return;
		const current = attendeeMailboxes(organizer, event);
		for (const mailbox of store.mailboxes.values()) {
			if (mailbox.id === organizer.id || mailbox.tenantId !== organizer.tenantId) continue;
			const copy = copyOf(mailbox, event.iCalUId, false);
			if (!copy) continue;
			const keep = { responseStatus: copy.responseStatus, showAs: copy.showAs, categories: copy.categories };
			Object.assign(copy, sharedFields(event), keep, current.includes(mailbox) ? {} : { isCancelled: true });
			store.touchEvent(copy);
		}
		invite(organizer, event);
	}

	/** The organizer deleted the event: copies are cancelled and attendees told. @param {Mailbox} organizer @param {CalendarEvent} event */
	function cancel(organizer, event) {
		if (!event.isOrganizer) return;
		const mailboxes = attendeeMailboxes(organizer, event);
		for (const mailbox of mailboxes) {
			const copy = copyOf(mailbox, event.iCalUId, false);
			if (!copy) continue;
			copy.isCancelled = true;
			store.touchEvent(copy);
		}
		if (mailboxes.length === 0) return;
		delivery.submit(organizer, {
			subject: `Canceled: ${event.subject}`, body: { contentType: 'text', content: '' },
			toRecipients: mailboxes.map((m) => ({ emailAddress: { name: m.displayName, address: m.address } })), meeting: meetingInfo(event, 'cancelled', null),
		}, { save: false });
	}

	/**
	 * An attendee's answer. @param {Mailbox} mailbox @param {CalendarEvent} event
	 * @param {'accepted' | 'tentativelyAccepted' | 'declined'} response @param {any} body
	 */
	function respond(mailbox, event, response, body) {
		if (event.isOrganizer) throw httpError(400, 'ErrorInvalidRequest', "Your request can't be completed. You can't respond to a meeting you organized.");
		const sendResponse = body.sendResponse === undefined ? true : booleanValue(body.sendResponse, 'sendResponse');
		if (body.comment !== undefined && typeof body.comment !== 'string') throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Edm.String' (parameter 'Comment').");
		const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		event.responseStatus = { response, time: now };
		event.showAs = response === 'accepted' ? 'busy' : 'tentative';
		store.touchEvent(event);
		const organizer = store.findMailbox(event.organizer.emailAddress.address, mailbox.tenantId);
		const original = organizer ? copyOf(organizer, event.iCalUId, true) : undefined;
		if (organizer && original) {
			for (const a of original.attendees) {
				if (a.emailAddress.address.toLowerCase() === mailbox.address.toLowerCase()) a.status = { response, time: now };
			}
			store.touchEvent(original);
		}
		if (response === 'declined') store.removeEvent(mailbox, event);
		if (!sendResponse) return;
		const prefix = { accepted: 'Accepted', tentativelyAccepted: 'Tentative', declined: 'Declined' }[response];
		delivery.submit(mailbox, {
			subject: `${prefix}: ${event.subject}`, body: { contentType: 'text', content: body.comment ?? '' }, toRecipients: [event.organizer],
			meeting: { ...meetingInfo(event, 'request', original?.id ?? null), kind: 'response', responseType: response },
		}, { save: false });
	}

	return { eventFields, invite, propagate, cancel, respond };
}

module.exports = { createCalendarLogic };
