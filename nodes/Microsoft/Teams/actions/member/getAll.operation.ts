import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, type TeamsOperation } from '../common';
import { memberScopeProperties, membersPath } from './common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many members', description: 'Members of a team or channel, with their roles' };

export const description: INodeProperties[] = [...memberScopeProperties('getAll'), ...returnAllProperties('member', 'getAll')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return await graphGetAll(this, run.conn, membersPath.call(this, itemIndex), { limit: readLimit.call(this, itemIndex), itemIndex, operation: 'list members' });
};
