import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locatorValue } from '../../../shared/node/parameters';
import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { bucketLocator, planLocator, taskFields } from './common';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a Planner task' };

export const description: INodeProperties[] = [
	...planLocator('create'),
	bucketLocator('create', false, "Bucket to put the task in; empty = the plan's first bucket (Planner's default)"),
	{ displayName: 'Title', name: 'title', type: 'string', required: true, default: '', description: 'Title of the task', displayOptions: showFor('task', 'create') },
	{
		displayName: 'Options',
		name: 'taskOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('task', 'create'),
		options: [
			{ displayName: 'Assigned To', name: 'assignees', type: 'string', default: '', description: 'User IDs separated by commas' },
			{ displayName: 'Due', name: 'dueDateTime', type: 'dateTime', default: '', description: 'When the task is due' },
			{ displayName: 'Percent Complete', name: 'percentComplete', type: 'number', default: 0, description: '0 = not started, 50 = in progress, 100 = done' },
			{ displayName: 'Priority', name: 'priority', type: 'number', typeOptions: { minValue: 0, maxValue: 10 }, default: 5, description: '0–10: 1 urgent, 3 important, 5 medium, 9 low' },
			{ displayName: 'Start', name: 'startDateTime', type: 'dateTime', default: '', description: 'When work starts' },
		],
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const planId = locatorValue(this, 'planId', itemIndex);
	if (!planId) throw new NodeOperationError(this.getNode(), '"Plan" is empty', { itemIndex, description: "Pick one of the team's plans." });
	const fields = { ...(this.getNodeParameter('taskOptions', itemIndex, {}) as IDataObject), title: this.getNodeParameter('title', itemIndex, '') };
	const body: IDataObject = { planId, ...taskFields.call(this, fields, itemIndex) };
	if (!String(body.title ?? '').trim()) throw new NodeOperationError(this.getNode(), '"Title" is empty', { itemIndex, description: 'Enter the task title.' });
	const bucketId = locatorValue(this, 'bucketId', itemIndex);
	if (bucketId) body.bucketId = bucketId;
	return (await graphRequest(this, run.conn, { method: 'POST', url: '/planner/tasks', body, itemIndex, operation: 'create the task' })).body as IDataObject;
};
