import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { meetingFields, meetingIdProperty, meetingPath, organizerProperty } from './common';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update an online meeting' };

export const description: INodeProperties[] = [
	organizerProperty('update'),
	meetingIdProperty('update'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('meeting', 'update'),
		options: [
			{ displayName: 'End', name: 'endDateTime', type: 'dateTime', default: '', description: 'When the meeting ends' },
			{ displayName: 'Start', name: 'startDateTime', type: 'dateTime', default: '', description: 'When the meeting starts' },
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'Subject of the meeting' },
		],
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const body = meetingFields.call(this, this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject, itemIndex);
	if (!Object.keys(body).length) throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	return (await graphRequest(this, run.conn, { method: 'PATCH', url: meetingPath.call(this, run, itemIndex), body, itemIndex, operation: 'update the meeting', idempotent: true })).body as IDataObject;
};
