import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { showFor, type OutlookOperation } from '../common';
import { EVENT } from '../eventCommon';
import { addRecurrence, EVENT_DETAILS, eventBody, repeatProperties, TIME_ZONE_FIELD } from '../eventFields';
import { itemLocator, itemOutput, updateItem } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update an event', description: 'Change an event; attendees of a meeting you organise get the update' };

const UPDATE_FIELDS = ([
	...EVENT_DETAILS,
	{ displayName: 'End', name: 'end', type: 'dateTime', default: '', description: 'When the event ends (give Start too)' },
	{ displayName: 'Start', name: 'start', type: 'dateTime', default: '', description: 'When the event starts (give End too)' },
	{ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'Title of the event' },
	TIME_ZONE_FIELD,
] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName));

export const description: INodeProperties[] = [
	itemLocator(EVENT, showFor('event', 'update')),
	{ displayName: 'Update Fields', name: 'eventUpdateFields', type: 'collection', placeholder: 'Add field', default: {}, displayOptions: showFor('event', 'update'), options: UPDATE_FIELDS },
	...repeatProperties('update'),
	...itemOutput(EVENT, 'update'),
];

/** PATCH with only the changed fields (idempotent: repeating it sets the same values). */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('eventUpdateFields', itemIndex, {}) as IDataObject;
	return await updateItem.call(this, EVENT, run, itemIndex, addRecurrence.call(this, itemIndex, eventBody.call(this, fields)));
};
