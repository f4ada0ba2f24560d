import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphGetAll, MAX_PAGE_SIZE } from '../../../shared/paging';
import { readLimit, returnAllProperties, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many teams', description: 'Your teams; with app-only sign-in, every team of the organisation' };

export const description: INodeProperties[] = [...returnAllProperties('team', 'getAll')];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	// Delegated: the teams the user belongs to; app-only has no "me" and lists all teams.
	const url = run.conn.appOnly ? '/teams' : '/me/joinedTeams';
	return await graphGetAll(this, run.conn, url, { pageSize: run.conn.appOnly ? MAX_PAGE_SIZE.groups : undefined, limit: readLimit.call(this, itemIndex), itemIndex, operation: 'list teams' });
};
