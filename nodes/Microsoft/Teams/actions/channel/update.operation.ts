import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { channelLocator, channelPath, showFor, teamLocator, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a channel' };

export const description: INodeProperties[] = [
	teamLocator(showFor('channel', 'update')),
	channelLocator(showFor('channel', 'update')),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('channel', 'update'),
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the channel is for' },
			{ displayName: 'Name', name: 'displayName', type: 'string', default: '', description: 'Name of the channel' },
		],
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (!Object.keys(fields).length) throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	const path = channelPath.call(this, itemIndex);
	await graphRequest(this, run.conn, { method: 'PATCH', url: path, body: fields, itemIndex, operation: 'update the channel', idempotent: true });
	return (await graphRequest(this, run.conn, { url: path, itemIndex, operation: 'read the channel' })).body as IDataObject;
};
