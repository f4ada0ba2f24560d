import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { graphGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, type TeamsOperation } from '../common';
import { bucketLocator, planLocator } from './common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many Planner tasks', description: 'The tasks of a plan, or of one of its buckets' };

export const description: INodeProperties[] = [
	...planLocator('getAll'),
	bucketLocator('getAll', false, 'Only the tasks of this bucket; empty = the whole plan'),
	...returnAllProperties('task', 'getAll'),
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const bucket = locatorValue(this, 'bucketId', itemIndex);
	const plan = locatorValue(this, 'planId', itemIndex);
	if (!bucket && !plan) throw new NodeOperationError(this.getNode(), '"Plan" is empty', { itemIndex, description: 'Pick a plan (and optionally a bucket).' });
	const url = bucket ? `/planner/buckets/${encodePathSegment(bucket, 'Bucket')}/tasks` : `/planner/plans/${encodePathSegment(plan, 'Plan')}/tasks`;
	return await graphGetAll(this, run.conn, url, { limit: readLimit.call(this, itemIndex), itemIndex, operation: 'list tasks' });
};
