/** Events: the kind (picker, paths, output) and the calendar an event operation acts in. */
import type { INodeProperties } from 'n8n-workflow';

import { EVENT_SIMPLIFIED_SELECT, simplifyEvent } from '../helpers/simplifyEvent';
import { CALENDAR } from './calendarCommon';
import { showFor } from './common';
import { itemLocator, type MailboxItemKind } from './mailboxItem';

export const EVENT: MailboxItemKind = {
	resource: 'event',
	noun: 'event',
	field: 'Event',
	locatorName: 'eventId',
	collection: 'events',
	searchListMethod: 'searchEvents',
	locatorDescription: 'The event: pick an upcoming one (type to search by subject), or enter its ID',
	idPlaceholder: 'e.g. AAMkADg3...',
	fields: [
		'id', 'subject', 'body', 'bodyPreview', 'start', 'end', 'originalStartTimeZone', 'originalEndTimeZone', 'isAllDay', 'location', 'locations',
		'organizer', 'attendees', 'isOrganizer', 'responseStatus', 'responseRequested', 'isOnlineMeeting', 'onlineMeeting', 'onlineMeetingProvider',
		'showAs', 'categories', 'importance', 'sensitivity', 'isReminderOn', 'reminderMinutesBeforeStart', 'recurrence', 'type', 'seriesMasterId',
		'isCancelled', 'iCalUId', 'webLink', 'createdDateTime', 'lastModifiedDateTime', 'changeKey',
	],
	simplifiedSelect: EVENT_SIMPLIFIED_SELECT,
	simplify: simplifyEvent,
};

/** The optional calendar of create and Get Many: empty = the mailbox's default calendar. */
export function eventCalendarLocator(operation: string, description: string): INodeProperties {
	return itemLocator(CALENDAR, showFor('event', operation), { required: false, description });
}
