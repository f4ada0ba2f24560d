import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/node/parameters';
import type { TeamsOperation } from '../common';
import { taskIdProperty, taskPath, writeWithEtag } from './common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete a Planner task' };

export const description: INodeProperties[] = [taskIdProperty('delete')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	await writeWithEtag.call(this, run, taskPath.call(this, itemIndex), { method: 'DELETE' }, itemIndex, 'delete the task');
	return { deleted: true, id: locatorValue(this, 'taskId', itemIndex) };
};
