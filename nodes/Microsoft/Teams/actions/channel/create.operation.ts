import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText, encodePathSegment } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { showFor, teamLocator, teamPath, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a channel', description: 'A standard, private or shared channel' };

export const description: INodeProperties[] = [
	teamLocator(showFor('channel', 'create')),
	{ displayName: 'Name', name: 'displayName', type: 'string', required: true, default: '', description: 'Name of the channel (at most 50 characters)', displayOptions: showFor('channel', 'create') },
	{ displayName: 'Description', name: 'channelDescription', type: 'string', default: '', description: 'What the channel is for', displayOptions: showFor('channel', 'create') },
	{
		displayName: 'Type',
		name: 'membershipType',
		type: 'options',
		options: [
			{ name: 'Standard', value: 'standard', description: 'Everyone in the team' },
			{ name: 'Private', value: 'private', description: 'Only its members' },
			{ name: 'Shared', value: 'shared', description: 'Its members, also people outside the team' },
		],
		default: 'standard',
		description: 'Who can see the channel',
		displayOptions: showFor('channel', 'create'),
	},
	{
		displayName: 'Owner',
		name: 'owner',
		type: 'string',
		default: '',
		placeholder: 'e.g. alice@contoso.com',
		description: 'Owner of a private or shared channel (UPN or ID): required with app-only sign-in; with OAuth2 you are the owner',
		displayOptions: showFor('channel', 'create', { membershipType: ['private', 'shared'] }),
	},
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const displayName = assertWellFormedText(String(this.getNodeParameter('displayName', itemIndex, '')).trim(), 'Name');
	if (!displayName) throw new NodeOperationError(this.getNode(), '"Name" is empty', { itemIndex, description: 'Enter the channel name.' });
	if (displayName.length > 50 || /[~#%&*{}+/\\:<>?|'"]/.test(displayName)) {
		throw new NodeOperationError(this.getNode(), `"Name" "${displayName}" is not a valid channel name`, {
			itemIndex,
			description: 'Channel names have at most 50 characters and none of ~ # % & * { } + / \\ : < > ? | \' ".',
		});
	}
	const membershipType = String(this.getNodeParameter('membershipType', itemIndex, 'standard'));
	const body: IDataObject = { displayName, membershipType };
	const text = assertWellFormedText(String(this.getNodeParameter('channelDescription', itemIndex, '')), 'Description');
	if (text) body.description = text;
	const owner = membershipType === 'standard' ? '' : String(this.getNodeParameter('owner', itemIndex, '')).trim();
	if (membershipType !== 'standard' && run.conn.appOnly && !owner) {
		throw new NodeOperationError(this.getNode(), '"Owner" is empty', { itemIndex, description: 'An app creating a private or shared channel must name its owner.' });
	}
	if (owner) {
		body.members = [
			{ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], 'user@odata.bind': `${run.conn.graphBaseUrl}/users('${encodePathSegment(owner, 'Owner')}')` },
		];
	}
	const response = await graphRequest(this, run.conn, {
		method: 'POST',
		url: `${teamPath.call(this, itemIndex)}/channels`,
		body,
		itemIndex,
		operation: `create channel "${displayName}"`,
		advice: { namealreadyexists: 'A channel with this name exists (or existed and was deleted recently): choose another name.' },
	});
	return response.body as IDataObject;
};
