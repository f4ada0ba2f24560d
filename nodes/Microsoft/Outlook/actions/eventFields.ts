/**
 * What an event is created or changed with: subject, body, times in a time zone, attendees, location, Teams,
 * reminder, show as, categories, and repeating (friendly fields → Graph's patternedRecurrence). Every value is
 * checked before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertWellFormedText, InputValueError } from '../../shared/input';
import { eventTimes, readTimeZone, type ZonedTime } from '../helpers/dateTime';
import { parseRecipients } from '../helpers/recipients';
import { patternedRecurrence, WEEKDAYS, type Frequency } from '../helpers/recurrence';
import { IMPORTANCE_OPTIONS, showFor } from './common';

const option = (name: string, value: string) => ({ name, value });

export const TIME_ZONE_FIELD: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: '',
	placeholder: 'e.g. Europe/Berlin or W. Europe Standard Time',
	description: "Time zone of Start and End (a time with an offset or Z is converted into it); empty = the workflow's time zone",
};

/** The optional details of an event (create: Additional Fields; update: Update Fields). */
export const EVENT_DETAILS: INodeProperties[] = [
	{ displayName: 'Body', name: 'body', type: 'string', typeOptions: { rows: 5 }, default: '', description: 'The event\'s description' },
	{ displayName: 'Body Format', name: 'bodyContentType', type: 'options', options: [option('Text', 'Text'), option('HTML', 'HTML')], default: 'Text', description: 'Whether the body is plain text or HTML' },
	{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Outlook categories, separated by commas (replaces the current ones)' },
	{ displayName: 'Importance', name: 'importance', type: 'options', options: IMPORTANCE_OPTIONS, default: 'normal', description: 'How important the event is' },
	{ displayName: 'Location', name: 'location', type: 'string', default: '', description: 'Where the event takes place' },
	{ displayName: 'Optional Attendees', name: 'optionalAttendees', type: 'string', default: '', placeholder: 'e.g. bob@contoso.com', description: 'Optional attendees, separated by commas (with Required Attendees: replaces all attendees)' },
	{ displayName: 'Reminder (Minutes Before)', name: 'reminderMinutes', type: 'number', typeOptions: { minValue: 0 }, default: 15, description: 'Minutes before the start the reminder goes off (turns the reminder on)' },
	{ displayName: 'Reminder On', name: 'isReminderOn', type: 'boolean', default: true, description: 'Whether a reminder goes off' },
	{ displayName: 'Required Attendees', name: 'requiredAttendees', type: 'string', default: '', placeholder: 'e.g. alice@contoso.com, Bob <bob@contoso.com>', description: 'Required attendees, separated by commas; each gets an invitation (with Optional Attendees: replaces all attendees)' },
	{
		displayName: 'Sensitivity',
		name: 'sensitivity',
		type: 'options',
		options: [option('Normal', 'normal'), option('Personal', 'personal'), option('Private', 'private'), option('Confidential', 'confidential')],
		default: 'normal',
		description: 'Who may see the details',
	},
	{
		displayName: 'Show As',
		name: 'showAs',
		type: 'options',
		options: [option('Free', 'free'), option('Tentative', 'tentative'), option('Busy', 'busy'), option('Away', 'oof'), option('Working Elsewhere', 'workingElsewhere')],
		default: 'busy',
		description: 'How the time shows in the calendar',
	},
	{ displayName: 'Teams Meeting', name: 'teamsMeeting', type: 'boolean', default: true, description: 'Whether the event is a Teams meeting (its join URL is in the output)' },
];

/** Repeat fields, top level (they depend on each other). Update adds "Keep" (the default) and "Does Not Repeat" removes it. */
export function repeatProperties(operation: string): INodeProperties[] {
	const update = operation === 'update';
	const show = (extra: Record<string, unknown[]>) => showFor('event', operation, extra);
	const repeating = { repeat: ['daily', 'weekly', 'monthly'] };
	return [
		{
			displayName: 'Repeat',
			name: 'repeat',
			type: 'options',
			options: [
				...(update ? [option('Keep as It Is', 'keep')] : []),
				option('Does Not Repeat', 'none'),
				option('Daily', 'daily'),
				option('Weekly', 'weekly'),
				option('Monthly (Same Day of Month as the Start)', 'monthly'),
			],
			default: update ? 'keep' : 'none',
			description: update ? 'Change how the event repeats (needs Start and End in Update Fields)' : 'Whether and how the event repeats',
			displayOptions: showFor('event', operation),
		},
		{ displayName: 'Repeat Every', name: 'repeatInterval', type: 'number', typeOptions: { minValue: 1, maxValue: 99 }, default: 1, description: 'Every how many days, weeks or months', displayOptions: show(repeating) },
		{
			displayName: 'Days of Week',
			name: 'repeatDays',
			type: 'multiOptions',
			options: WEEKDAYS.map((day) => option(day[0].toUpperCase() + day.slice(1), day)),
			default: [],
			description: 'The days it repeats on; none = the weekday of the start',
			displayOptions: show({ repeat: ['weekly'] }),
		},
		{
			displayName: 'Ends',
			name: 'repeatEnd',
			type: 'options',
			options: [option('Never', 'never'), option('On a Date', 'date'), option('After a Number of Occurrences', 'count')],
			default: 'never',
			description: 'When the series ends',
			displayOptions: show(repeating),
		},
		{ displayName: 'Repeat Until', name: 'repeatUntil', type: 'dateTime', default: '', description: 'Last day of the series', displayOptions: show({ ...repeating, repeatEnd: ['date'] }) },
		{ displayName: 'Occurrences', name: 'repeatCount', type: 'number', typeOptions: { minValue: 1 }, default: 10, description: 'How many times the event takes place', displayOptions: show({ ...repeating, repeatEnd: ['count'] }) },
	];
}

function attendees(fields: IDataObject): IDataObject[] {
	const list = (name: string, field: string, type: string) => parseRecipients(fields[name] ?? '', field).map((recipient) => ({ ...recipient, type }));
	return [...list('requiredAttendees', 'Required Attendees', 'required'), ...list('optionalAttendees', 'Optional Attendees', 'optional')];
}

function times(this: IExecuteFunctions, fields: IDataObject): { start: ZonedTime; end: ZonedTime } | undefined {
	const given = (name: string) => fields[name] !== undefined && fields[name] !== '';
	if (!given('start') && !given('end')) {
		if (given('timeZone')) throw new InputValueError('Time Zone', 'is set without "Start" and "End"', 'Add Start and End (in that time zone), or remove Time Zone.');
		return undefined;
	}
	const zone = readTimeZone(fields.timeZone, 'Time Zone', this.getTimezone());
	return eventTimes(fields.start, fields.end, zone);
}

/** The Graph event body for the fields given (create: all of them; update: only the changed ones). */
export function eventBody(this: IExecuteFunctions, fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	const text = (name: string, field: string) => assertWellFormedText(String(fields[name] ?? '').trim(), field);
	if (fields.subject !== undefined) body.subject = text('subject', 'Subject');
	if (fields.body !== undefined) body.body = { contentType: fields.bodyContentType === 'HTML' ? 'html' : 'text', content: assertWellFormedText(String(fields.body), 'Body') };
	Object.assign(body, times.call(this, fields));
	if (fields.requiredAttendees !== undefined || fields.optionalAttendees !== undefined) body.attendees = attendees(fields);
	if (fields.location !== undefined) body.location = { displayName: text('location', 'Location') };
	if (fields.teamsMeeting !== undefined) {
		body.isOnlineMeeting = fields.teamsMeeting === true;
		if (fields.teamsMeeting === true) body.onlineMeetingProvider = 'teamsForBusiness';
	}
	if (fields.reminderMinutes !== undefined) {
		const minutes = Number(fields.reminderMinutes);
		if (!Number.isInteger(minutes) || minutes < 0) throw new InputValueError('Reminder (Minutes Before)', `must be a whole number of minutes (got "${String(fields.reminderMinutes)}")`, 'Enter e.g. 15.');
		Object.assign(body, { reminderMinutesBeforeStart: minutes, isReminderOn: true });
	}
	if (fields.isReminderOn !== undefined) body.isReminderOn = fields.isReminderOn === true;
	for (const name of ['showAs', 'importance', 'sensitivity']) if (fields[name] !== undefined) body[name] = fields[name];
	if (fields.categories !== undefined) body.categories = text('categories', 'Categories').split(',').map((c) => c.trim()).filter(Boolean);
	return body;
}

/** Adds the repeat settings to the body (create and update): a series starts on the start's date, in its time zone. */
export function addRecurrence(this: IExecuteFunctions, itemIndex: number, body: IDataObject): IDataObject {
	const repeat = this.getNodeParameter('repeat', itemIndex, 'none') as 'keep' | 'none' | Frequency;
	if (repeat === 'keep') return body;
	if (repeat === 'none') return this.getNodeParameter('operation', itemIndex) === 'update' ? { ...body, recurrence: null } : body;
	const start = body.start as ZonedTime | undefined;
	if (!start) throw new InputValueError('Repeat', 'needs "Start" and "End" in Update Fields', 'A series starts on the date of its start: add Start and End.');
	const get = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback);
	const recurrence = patternedRecurrence({
		frequency: repeat,
		interval: get('repeatInterval', 1),
		daysOfWeek: get('repeatDays', []) as string[],
		end: get('repeatEnd', 'never') as 'date' | 'count' | 'never',
		until: get('repeatUntil', ''),
		count: get('repeatCount', 10),
		startDate: start.dateTime.slice(0, 10),
		timeZone: start.timeZone,
	});
	return { ...body, recurrence };
}
