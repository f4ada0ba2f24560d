import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import type { TeamsOperation } from '../common';
import { meetingIdProperty, meetingPath, organizerProperty } from './common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete an online meeting' };

export const description: INodeProperties[] = [organizerProperty('delete'), meetingIdProperty('delete')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	await graphRequest(this, run.conn, { method: 'DELETE', url: meetingPath.call(this, run, itemIndex), itemIndex, operation: 'delete the meeting' });
	return { deleted: true, id: String(this.getNodeParameter('meetingId', itemIndex, '')).trim() };
};
