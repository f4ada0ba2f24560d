/** Compact calendars, events and contacts for Output → Simplified, and the Graph properties each needs ($select). */
import type { IDataObject } from 'n8n-workflow';

import { recipientsText } from './recipients';

/** The object without its undefined fields. */
export function compact(object: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

export const EVENT_SIMPLIFIED_SELECT = [
	'id', 'subject', 'start', 'end', 'isAllDay', 'location', 'organizer', 'attendees', 'isOnlineMeeting', 'onlineMeeting', 'showAs',
	'categories', 'type', 'seriesMasterId', 'recurrence', 'responseStatus', 'isCancelled', 'bodyPreview', 'webLink',
];

/** `{ dateTime, timeZone }` → "2026-03-02T10:00:00" (the zone is reported once, as timeZone). */
function wallTime(value: unknown): string | undefined {
	const dateTime = (value as IDataObject | undefined)?.dateTime;
	return typeof dateTime === 'string' ? dateTime : undefined;
}

export function simplifyEvent(event: IDataObject): IDataObject {
	const attendees = Array.isArray(event.attendees) ? (event.attendees as IDataObject[]) : undefined;
	const recurrence = event.recurrence as IDataObject | null | undefined;
	return compact({
		id: event.id,
		subject: event.subject,
		start: wallTime(event.start),
		end: wallTime(event.end),
		timeZone: (event.start as IDataObject | undefined)?.timeZone,
		isAllDay: event.isAllDay,
		location: (event.location as IDataObject | undefined)?.displayName,
		organizer: recipientsText(event.organizer ? [event.organizer] : [])[0],
		attendees: attendees?.map((attendee) => ({
			address: (attendee.emailAddress as IDataObject | undefined)?.address,
			type: attendee.type,
			response: (attendee.status as IDataObject | undefined)?.response,
		})),
		isOnlineMeeting: event.isOnlineMeeting,
		joinUrl: (event.onlineMeeting as IDataObject | null | undefined)?.joinUrl,
		showAs: event.showAs,
		categories: event.categories,
		type: event.type,
		seriesMasterId: event.seriesMasterId ?? undefined,
		repeats: recurrence === undefined ? undefined : ((recurrence?.pattern as IDataObject | undefined)?.type ?? null),
		response: (event.responseStatus as IDataObject | undefined)?.response,
		isCancelled: event.isCancelled,
		preview: event.bodyPreview,
		webLink: event.webLink,
	});
}

export const CALENDAR_SIMPLIFIED_SELECT = ['id', 'name', 'color', 'isDefaultCalendar', 'canEdit', 'owner'];

export function simplifyCalendar(calendar: IDataObject): IDataObject {
	return compact({
		id: calendar.id,
		name: calendar.name,
		color: calendar.color,
		isDefaultCalendar: calendar.isDefaultCalendar,
		canEdit: calendar.canEdit,
		owner: recipientsText(calendar.owner ? [{ emailAddress: calendar.owner }] : [])[0],
	});
}

export const CONTACT_SIMPLIFIED_SELECT = [
	'id', 'displayName', 'givenName', 'surname', 'emailAddresses', 'businessPhones', 'mobilePhone', 'companyName', 'jobTitle', 'department', 'categories',
];

export function simplifyContact(contact: IDataObject): IDataObject {
	return compact({
		id: contact.id,
		displayName: contact.displayName,
		givenName: contact.givenName,
		surname: contact.surname,
		emails: recipientsText(Array.isArray(contact.emailAddresses) ? (contact.emailAddresses as IDataObject[]).map((emailAddress) => ({ emailAddress })) : undefined),
		businessPhones: contact.businessPhones,
		mobilePhone: contact.mobilePhone ?? undefined,
		companyName: contact.companyName ?? undefined,
		jobTitle: contact.jobTitle ?? undefined,
		department: contact.department ?? undefined,
		categories: contact.categories,
	});
}
