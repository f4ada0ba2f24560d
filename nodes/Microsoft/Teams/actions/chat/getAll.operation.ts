import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../../shared/input';
import { graphGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, showFor, type TeamsOperation } from '../common';

/** Largest page Graph accepts when listing chats (`$top` ≤ 50). */
const CHATS_PAGE_SIZE = 50;

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many chats', description: 'Your chats (app-only: a user\'s chats)' };

export const description: INodeProperties[] = [
	{
		displayName: 'User',
		name: 'chatUser',
		type: 'string',
		default: '',
		placeholder: 'e.g. alice@contoso.com',
		description: "Whose chats (UPN or ID): required with app-only sign-in; with OAuth2 empty means your own",
		displayOptions: showFor('chat', 'getAll'),
	},
	...returnAllProperties('chat', 'getAll'),
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const user = String(this.getNodeParameter('chatUser', itemIndex, '')).trim();
	if (run.conn.appOnly && !user) throw new NodeOperationError(this.getNode(), '"User" is empty', { itemIndex, description: 'An app has no chats of its own: enter whose chats to list.' });
	const base = user ? `/users/${encodePathSegment(user, 'User')}` : '/me';
	return await graphGetAll(this, run.conn, `${base}/chats`, { qs: { $expand: 'members' }, pageSize: CHATS_PAGE_SIZE, limit: readLimit.call(this, itemIndex), itemIndex, operation: 'list chats' });
};
