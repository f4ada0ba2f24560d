import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { IMPORTANCE_OPTIONS, messageLocator, messageOutput, messagePath, readMessageOutput, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a message', description: 'Mark read or unread, set categories, flag or importance' };

export const description: INodeProperties[] = [
	messageLocator(showFor('message', 'update')),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('message', 'update'),
		options: [
			{ displayName: 'Is Read', name: 'isRead', type: 'boolean', default: true, description: 'Whether the message is marked as read' },
			{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Outlook categories, separated by commas (replaces the current ones; empty clears them)' },
			{
				displayName: 'Flag',
				name: 'flag',
				type: 'options',
				options: [
					{ name: 'Not Flagged', value: 'notFlagged' },
					{ name: 'Flagged', value: 'flagged' },
					{ name: 'Complete', value: 'complete' },
				],
				default: 'flagged',
				description: 'Follow-up flag',
			},
			{
				displayName: 'Importance',
				name: 'importance',
				type: 'options',
				options: IMPORTANCE_OPTIONS,
				default: 'normal',
				description: 'How important the message is',
			},
		],
	},
	...messageOutput('message', 'update'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	if (fields.isRead !== undefined) body.isRead = fields.isRead;
	if (fields.categories !== undefined) body.categories = String(fields.categories).split(',').map((c) => c.trim()).filter(Boolean);
	if (fields.flag !== undefined) body.flag = { flagStatus: fields.flag };
	if (fields.importance !== undefined) body.importance = fields.importance;
	if (!Object.keys(body).length) {
		throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	}
	const output = readMessageOutput.call(this, itemIndex);
	// PATCH is idempotent: repeating it after a timeout sets the same values again.
	const response = await graphRequest(this, run.conn, { method: 'PATCH', url: messagePath.call(this, run, itemIndex), body, itemIndex, operation: 'update the message', idempotent: true });
	return output.shape(response.body as IDataObject);
};
