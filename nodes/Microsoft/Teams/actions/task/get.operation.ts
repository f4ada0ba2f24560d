import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import type { TeamsOperation } from '../common';
import { taskIdProperty, taskPath } from './common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a Planner task' };

export const description: INodeProperties[] = [taskIdProperty('get')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return (await graphRequest(this, run.conn, { url: taskPath.call(this, itemIndex), itemIndex, operation: 'read the task' })).body as IDataObject;
};
