/** Calendars: the kind (picker, paths, output) and the fields a calendar is created or changed with. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertWellFormedText, encodePathSegment, InputValueError } from '../../shared/input';
import { locatorValue } from '../../shared/node/parameters';
import { CALENDAR_SIMPLIFIED_SELECT, simplifyCalendar } from '../helpers/simplifyEvent';
import type { OutlookRun } from './common';
import type { MailboxItemKind } from './mailboxItem';

export const CALENDAR: MailboxItemKind = {
	resource: 'calendar',
	noun: 'calendar',
	field: 'Calendar',
	locatorName: 'calendarId',
	collection: 'calendars',
	searchListMethod: 'searchCalendars',
	locatorDescription: 'The calendar: pick it, or enter its ID',
	idPlaceholder: 'e.g. AAMkADg3...',
	fields: ['id', 'name', 'color', 'hexColor', 'isDefaultCalendar', 'canEdit', 'canShare', 'canViewPrivateItems', 'changeKey', 'owner', 'allowedOnlineMeetingProviders', 'defaultOnlineMeetingProvider'],
	simplifiedSelect: CALENDAR_SIMPLIFIED_SELECT,
	simplify: simplifyCalendar,
};

/** The events of the calendar in locator `name`: `{mailbox}/calendars/{id}`, or `{mailbox}/calendar` (the default) when empty. */
export function calendarBase(this: IExecuteFunctions, run: OutlookRun, itemIndex: number, name = 'calendarId'): string {
	const id = locatorValue(this, name, itemIndex);
	return id ? `${run.mailbox.path}/calendars/${encodePathSegment(id, CALENDAR.field)}` : `${run.mailbox.path}/calendar`;
}

const COLORS = ['auto', 'lightBlue', 'lightGreen', 'lightOrange', 'lightGray', 'lightYellow', 'lightTeal', 'lightPink', 'lightBrown', 'lightRed'];

export const CALENDAR_COLOR: INodeProperties = {
	displayName: 'Color',
	name: 'color',
	type: 'options',
	options: COLORS.map((value) => ({ name: value === 'auto' ? 'Automatic' : value.replace(/^light/, 'Light '), value })),
	default: 'auto',
	description: 'The colour Outlook shows the calendar in',
};

/** Name (trimmed, well-formed, not empty) and colour → the calendar body. */
export function calendarBody(fields: IDataObject, nameField: string): IDataObject {
	const body: IDataObject = {};
	if (fields.name !== undefined) {
		body.name = assertWellFormedText(String(fields.name).trim(), nameField);
		if (!body.name) throw new InputValueError(nameField, 'is empty', 'Enter a name for the calendar.');
	}
	if (fields.color !== undefined) body.color = fields.color;
	return body;
}
