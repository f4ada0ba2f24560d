import { randomUUID } from 'node:crypto';
import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { calendarBase } from '../calendarCommon';
import { showFor, type OutlookOperation } from '../common';
import { EVENT, eventCalendarLocator } from '../eventCommon';
import { addRecurrence, EVENT_DETAILS, eventBody, repeatProperties, TIME_ZONE_FIELD } from '../eventFields';
import { itemOutput, readItemOutput } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create an event', description: 'Create an event or a meeting (attendees get an invitation), optionally a Teams meeting or a series' };

const show = showFor('event', 'create');

export const description: INodeProperties[] = [
	eventCalendarLocator('create', 'Calendar to add the event to; empty = the default calendar'),
	{ displayName: 'Subject', name: 'subject', type: 'string', required: true, default: '', description: 'Title of the event', displayOptions: show },
	{ displayName: 'Start', name: 'start', type: 'dateTime', required: true, default: '', description: 'When the event starts', displayOptions: show },
	{ displayName: 'End', name: 'end', type: 'dateTime', required: true, default: '', description: 'When the event ends (not before the start)', displayOptions: show },
	{ ...TIME_ZONE_FIELD, displayOptions: show },
	{ displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add field', default: {}, displayOptions: show, options: EVENT_DETAILS },
	...repeatProperties('create'),
	...itemOutput(EVENT, 'create'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const get = (name: string) => this.getNodeParameter(name, itemIndex, '');
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = addRecurrence.call(this, itemIndex, eventBody.call(this, { ...additional, subject: get('subject'), start: get('start'), end: get('end'), timeZone: get('timeZone') }));
	if (!body.subject) throw new InputValueError('Subject', 'is empty', 'Enter a title for the event.');
	const url = `${calendarBase.call(this, run, itemIndex)}/events`;
	const output = readItemOutput.call(this, EVENT, itemIndex);
	// Outlook keeps one event per transactionId, so repeating the POST after a lost answer creates no second event.
	const response = await graphRequest(this, run.conn, {
		method: 'POST',
		url,
		body: { ...body, transactionId: randomUUID() },
		idempotent: true,
		itemIndex,
		operation: `create event "${String(body.subject)}"`,
	});
	return output.shape(response.body as IDataObject);
};
