import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import type { TeamsOperation } from '../common';
import { meetingIdProperty, meetingPath, organizerProperty } from './common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get an online meeting' };

export const description: INodeProperties[] = [organizerProperty('get'), meetingIdProperty('get')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return (await graphRequest(this, run.conn, { url: meetingPath.call(this, run, itemIndex), itemIndex, operation: 'read the meeting' })).body as IDataObject;
};
