// @ts-check
'use strict';

/**
 * Graph JSON of calendars and events (series masters, single instances, occurrences and exceptions), with
 * times in the zone of `Prefer: outlook.timezone` (UTC by default), and the OData entity descriptions of
 * events and calendars. Occurrence ids are derived from the series id and the occurrence's date, so they are
 * stable and can be read back (GET/PATCH/DELETE of an occurrence).
 */

const { toDateTimeTimeZone } = require('./calendar-timezones');
const { recurrenceJson } = require('./calendar-recurrence');
const { previewOf, bodyAs, locationJson } = require('./mail-json');

/** event + outlookItem + entity properties (CSDL), what `$select` accepts. */
const EVENT_SELECT = [
	'id', 'categories', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'allowNewTimeProposals', 'attendees', 'body', 'bodyPreview',
	'cancelledOccurrences', 'end', 'hasAttachments', 'hideAttendees', 'iCalUId', 'importance', 'isAllDay', 'isCancelled', 'isDraft',
	'isOnlineMeeting', 'isOrganizer', 'isReminderOn', 'location', 'locations', 'onlineMeeting', 'onlineMeetingProvider', 'onlineMeetingUrl',
	'organizer', 'originalEndTimeZone', 'originalStart', 'originalStartTimeZone', 'recurrence', 'reminderMinutesBeforeStart', 'responseRequested',
	'responseStatus', 'sensitivity', 'seriesMasterId', 'showAs', 'start', 'subject', 'transactionId', 'type', 'webLink',
];
const CALENDAR_SELECT = [
	'id', 'allowedOnlineMeetingProviders', 'canEdit', 'canShare', 'canViewPrivateItems', 'changeKey', 'color', 'defaultOnlineMeetingProvider',
	'hexColor', 'isDefaultCalendar', 'isRemovable', 'isTallyingResponses', 'name', 'owner',
];

/** @param {string} type @param {(json: any) => any} get */
const prop = (type, get) => ({ type: /** @type {import('./outlook-odata').ValueType} */ (type), get });

/** @type {import('./outlook-odata').EntitySpec} */
const EVENT_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.Event',
	select: EVENT_SELECT,
	properties: {
		id: prop('string', (e) => e.id),
		subject: prop('string', (e) => e.subject),
		'start/datetime': prop('string', (e) => e.start.dateTime),
		'end/datetime': prop('string', (e) => e.end.dateTime),
		isallday: prop('boolean', (e) => e.isAllDay),
		iscancelled: prop('boolean', (e) => e.isCancelled),
		isorganizer: prop('boolean', (e) => e.isOrganizer),
		isonlinemeeting: prop('boolean', (e) => e.isOnlineMeeting),
		importance: prop('enum', (e) => e.importance),
		sensitivity: prop('enum', (e) => e.sensitivity),
		showas: prop('enum', (e) => e.showAs),
		type: prop('enum', (e) => e.type),
		icaluid: prop('string', (e) => e.iCalUId),
		seriesmasterid: prop('string', (e) => e.seriesMasterId),
		createddatetime: prop('datetime', (e) => e.createdDateTime),
		lastmodifieddatetime: prop('datetime', (e) => e.lastModifiedDateTime),
		'organizer/emailaddress/address': prop('string', (e) => e.organizer?.emailAddress?.address ?? null),
		'responsestatus/response': prop('enum', (e) => e.responseStatus?.response ?? null),
	},
	lambdas: { categories: { items: (e) => e.categories, element: { '': prop('string', (c) => c) } } },
};

/** @type {import('./outlook-odata').EntitySpec} */
const CALENDAR_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.Calendar',
	select: CALENDAR_SELECT,
	properties: { name: prop('string', (c) => c.name), isdefaultcalendar: prop('boolean', (c) => c.isDefaultCalendar), color: prop('enum', (c) => c.color) },
};

/** @param {string} masterId @param {string} dateKey */
function occurrenceId(masterId, dateKey) {
	return `AAMk${Buffer.from(`occ|${masterId}|${dateKey}`).toString('base64url')}=`;
}

/** @param {string} id @returns {{ masterId: string, dateKey: string } | null} */
function parseOccurrenceId(id) {
	if (!id.startsWith('AAMk')) return null;
	const text = Buffer.from(id.slice(4).replace(/=+$/, ''), 'base64url').toString('utf8');
	const m = /^occ\|([^|]+)\|(\d{4}-\d{2}-\d{2})$/.exec(text);
	return m ? { masterId: m[1], dateKey: m[2] } : null;
}

/** @param {number} ms */
const isoZ = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * @param {import('./outlook-store').CalendarEvent} event
 * @param {{ zone: { name: string, iana: string }, bodyType?: 'html' | 'text',
 *   instance?: { dateKey: string, start: number, end: number, originalStart: number, exception: any } | null }} options
 */
function eventJson(event, options) {
	const instance = options.instance ?? null;
	const subject = instance?.exception?.subject ?? event.subject;
	const type = instance ? (instance.exception ? 'exception' : 'occurrence') : event.recurrence ? 'seriesMaster' : 'singleInstance';
	const body = bodyAs(event.body, options.bodyType ?? 'html');
	/** @type {Record<string, any>} */
	const json = {
		'@odata.etag': `W/"${event.changeKey}"`,
		id: instance ? occurrenceId(event.id, instance.dateKey) : event.id,
		createdDateTime: event.createdDateTime,
		lastModifiedDateTime: event.lastModifiedDateTime,
		changeKey: event.changeKey,
		categories: [...event.categories],
		transactionId: event.transactionId,
		originalStartTimeZone: event.startTimeZone,
		originalEndTimeZone: event.endTimeZone,
		iCalUId: event.iCalUId,
		reminderMinutesBeforeStart: event.reminderMinutesBeforeStart,
		isReminderOn: event.isReminderOn,
		hasAttachments: false,
		subject,
		bodyPreview: previewOf(event.body),
		importance: event.importance,
		sensitivity: event.sensitivity,
		isAllDay: event.isAllDay,
		isCancelled: event.isCancelled,
		isOrganizer: event.isOrganizer,
		responseRequested: true,
		seriesMasterId: instance ? event.id : null,
		showAs: event.showAs,
		type,
		webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(instance ? occurrenceId(event.id, instance.dateKey) : event.id)}&exvsurl=1&path=/calendar/item`,
		onlineMeetingUrl: null,
		isOnlineMeeting: event.isOnlineMeeting,
		onlineMeetingProvider: event.onlineMeetingProvider,
		allowNewTimeProposals: true,
		isDraft: false,
		hideAttendees: false,
		responseStatus: { ...event.responseStatus },
		body,
		start: toDateTimeTimeZone(instance ? instance.start : event.start, options.zone),
		end: toDateTimeTimeZone(instance ? instance.end : event.end, options.zone),
		location: locationJson(event.location),
		locations: event.location ? [{ ...locationJson(event.location), uniqueId: event.location, uniqueIdType: 'private' }] : [],
		recurrence: instance ? null : recurrenceJson(event.recurrence),
		attendees: event.attendees.map((a) => ({ type: a.type, status: { ...a.status }, emailAddress: { ...a.emailAddress } })),
		organizer: event.organizer,
		onlineMeeting: event.joinUrl ? { joinUrl: event.joinUrl } : null,
	};
	if (instance) json.originalStart = isoZ(instance.originalStart);
	if (!instance && event.recurrence) {
		Object.defineProperty(json, 'cancelledOccurrences', { value: [...event.cancelled.keys()].map((key) => `OID.${event.id}.${key}`), enumerable: false });
	}
	return json;
}

/**
 * @param {import('./outlook-store').Calendar} calendar @param {import('./outlook-store').Mailbox} mailbox
 */
function calendarJson(calendar, mailbox) {
	return {
		id: calendar.id,
		name: calendar.name,
		color: calendar.color,
		hexColor: calendar.hexColor,
		isDefaultCalendar: calendar.isDefault,
		changeKey: calendar.changeKey,
		canShare: true,
		canViewPrivateItems: true,
		canEdit: true,
		allowedOnlineMeetingProviders: ['teamsForBusiness'],
		defaultOnlineMeetingProvider: 'teamsForBusiness',
		isTallyingResponses: true,
		isRemovable: !calendar.isDefault,
		owner: { name: mailbox.displayName, address: mailbox.address },
	};
}

module.exports = { EVENT_ENTITY, CALENDAR_ENTITY, EVENT_SELECT, eventJson, calendarJson, occurrenceId, parseOccurrenceId, isoZ };
