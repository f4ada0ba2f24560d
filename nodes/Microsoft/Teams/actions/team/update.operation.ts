import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, teamLocator, teamPath, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a team' };

export const description: INodeProperties[] = [
	teamLocator(showFor('team', 'update')),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('team', 'update'),
		options: [
			{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'What the team is for' },
			{ displayName: 'Name', name: 'displayName', type: 'string', default: '', description: 'Name of the team' },
			{
				displayName: 'Visibility',
				name: 'visibility',
				type: 'options',
				options: [
					{ name: 'Private', value: 'private' },
					{ name: 'Public', value: 'public' },
				],
				default: 'private',
				description: 'Who can find and join the team',
			},
		],
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (!Object.keys(fields).length) throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	const path = teamPath.call(this, itemIndex);
	await graphRequest(this, run.conn, { method: 'PATCH', url: path, body: fields, itemIndex, operation: 'update the team', idempotent: true });
	return (await graphRequest(this, run.conn, { url: path, itemIndex, operation: 'read the team' })).body as IDataObject;
};
