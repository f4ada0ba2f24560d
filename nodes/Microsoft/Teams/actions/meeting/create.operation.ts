import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { meetingFields, meetingsPath, organizerProperty } from './common';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create an online meeting', description: 'A Teams meeting with a join link (no calendar event)' };

export const description: INodeProperties[] = [
	organizerProperty('create'),
	{ displayName: 'Subject', name: 'subject', type: 'string', required: true, default: '', description: 'Subject of the meeting', displayOptions: showFor('meeting', 'create') },
	{ displayName: 'Start', name: 'startDateTime', type: 'dateTime', required: true, default: '', description: 'When the meeting starts', displayOptions: showFor('meeting', 'create') },
	{ displayName: 'End', name: 'endDateTime', type: 'dateTime', required: true, default: '', description: 'When the meeting ends', displayOptions: showFor('meeting', 'create') },
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const body = meetingFields.call(this, {
		subject: this.getNodeParameter('subject', itemIndex, ''),
		startDateTime: this.getNodeParameter('startDateTime', itemIndex, ''),
		endDateTime: this.getNodeParameter('endDateTime', itemIndex, ''),
	}, itemIndex);
	if (!body.startDateTime || !body.endDateTime) throw new NodeOperationError(this.getNode(), '"Start" and "End" are required', { itemIndex });
	return (await graphRequest(this, run.conn, { method: 'POST', url: meetingsPath.call(this, run, itemIndex), body, itemIndex, operation: 'create the meeting' })).body as IDataObject;
};
