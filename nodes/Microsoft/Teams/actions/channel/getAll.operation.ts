import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataString } from '../../../shared/odata';
import { graphGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, showFor, teamLocator, teamPath, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many channels', description: "A team's channels" };

export const description: INodeProperties[] = [
	teamLocator(showFor('channel', 'getAll')),
	{
		displayName: 'Type',
		name: 'membershipType',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'Standard', value: 'standard' },
			{ name: 'Private', value: 'private' },
			{ name: 'Shared', value: 'shared' },
		],
		default: '',
		description: 'Only channels of this type',
		displayOptions: showFor('channel', 'getAll'),
	},
	...returnAllProperties('channel', 'getAll'),
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const type = String(this.getNodeParameter('membershipType', itemIndex, ''));
	return await graphGetAll(this, run.conn, `${teamPath.call(this, itemIndex)}/channels`, {
		qs: type ? { $filter: `membershipType eq ${odataString(type)}` } : undefined,
		limit: readLimit.call(this, itemIndex),
		itemIndex,
		operation: 'list channels',
	});
};
