import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { taskFields, taskIdProperty, taskPath, writeWithEtag } from './common';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a Planner task', description: 'Change a task; its ETag is handled for you' };

export const description: INodeProperties[] = [
	taskIdProperty('update'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('task', 'update'),
		options: [
			{ displayName: 'Assigned To', name: 'assignees', type: 'string', default: '', description: 'User IDs to assign, separated by commas (added to who is assigned)' },
			{ displayName: 'Bucket ID', name: 'bucketId', type: 'string', default: '', description: 'Move the task to this bucket' },
			{ displayName: 'Due', name: 'dueDateTime', type: 'dateTime', default: '', description: 'When the task is due' },
			{ displayName: 'Percent Complete', name: 'percentComplete', type: 'number', default: 100, description: '0 = not started, 50 = in progress, 100 = done' },
			{ displayName: 'Priority', name: 'priority', type: 'number', typeOptions: { minValue: 0, maxValue: 10 }, default: 5, description: '0–10: 1 urgent, 3 important, 5 medium, 9 low' },
			{ displayName: 'Start', name: 'startDateTime', type: 'dateTime', default: '', description: 'When work starts' },
			{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'Title of the task' },
		],
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body = taskFields.call(this, fields, itemIndex);
	if (fields.bucketId) body.bucketId = String(fields.bucketId);
	if (!Object.keys(body).length) throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	const path = taskPath.call(this, itemIndex);
	await writeWithEtag.call(this, run, path, { method: 'PATCH', body }, itemIndex, 'update the task');
	return (await graphRequest(this, run.conn, { url: path, itemIndex, operation: 'read the task' })).body as IDataObject;
};
