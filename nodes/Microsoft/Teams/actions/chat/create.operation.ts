import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText, encodePathSegment } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a chat', description: 'A one-on-one or group chat (a one-on-one chat that exists is returned)' };

export const description: INodeProperties[] = [
	{
		displayName: 'Chat Type',
		name: 'chatType',
		type: 'options',
		options: [
			{ name: 'One-on-One', value: 'oneOnOne' },
			{ name: 'Group', value: 'group' },
		],
		default: 'oneOnOne',
		description: 'Two people, or a group',
		displayOptions: showFor('chat', 'create'),
	},
	{
		displayName: 'Members',
		name: 'members',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. alice@contoso.com, bob@contoso.com',
		description: 'Everyone in the chat (UPNs or user IDs), separated by commas; with OAuth2 include yourself',
		displayOptions: showFor('chat', 'create'),
	},
	{ displayName: 'Topic', name: 'topic', type: 'string', default: '', description: 'Name of a group chat', displayOptions: showFor('chat', 'create', { chatType: ['group'] }) },
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const chatType = String(this.getNodeParameter('chatType', itemIndex, 'oneOnOne'));
	const members = String(this.getNodeParameter('members', itemIndex, '')).split(',').map((m) => m.trim()).filter(Boolean);
	if (chatType === 'oneOnOne' && members.length !== 2) {
		throw new NodeOperationError(this.getNode(), `"Members" has ${members.length} people; a one-on-one chat has exactly 2`, { itemIndex, description: 'Enter both people, or choose a group chat.' });
	}
	if (chatType === 'group' && members.length < 3) {
		throw new NodeOperationError(this.getNode(), `"Members" has ${members.length} people; a group chat has at least 3`, { itemIndex, description: 'Add more people, or choose a one-on-one chat.' });
	}
	const body: IDataObject = {
		chatType,
		members: members.map((member) => ({
			'@odata.type': '#microsoft.graph.aadUserConversationMember',
			roles: ['owner'],
			'user@odata.bind': `${run.conn.graphBaseUrl}/users('${encodePathSegment(member, 'Members')}')`,
		})),
	};
	const topic = assertWellFormedText(String(this.getNodeParameter('topic', itemIndex, '')).trim(), 'Topic');
	if (chatType === 'group' && topic) body.topic = topic;
	// Creating a one-on-one chat twice returns the same chat, so a repeat after a lost answer is harmless.
	const response = await graphRequest(this, run.conn, { method: 'POST', url: '/chats', body, itemIndex, operation: 'create the chat', idempotent: chatType === 'oneOnOne' });
	return response.body as IDataObject;
};
