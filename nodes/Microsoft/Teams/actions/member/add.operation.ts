import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { memberScopeProperties, membersPath } from './common';

export const option: INodePropertyOptions = { name: 'Add', value: 'add', action: 'Add a member', description: 'Add a person to a team or channel, as member or owner' };

export const description: INodeProperties[] = [
	...memberScopeProperties('add'),
	{ displayName: 'User', name: 'memberUser', type: 'string', required: true, default: '', placeholder: 'e.g. bob@contoso.com', description: 'The person (UPN or user ID)', displayOptions: showFor('member', 'add') },
	{ displayName: 'Owner', name: 'isOwner', type: 'boolean', default: false, description: 'Whether the person becomes an owner', displayOptions: showFor('member', 'add') },
];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const user = String(this.getNodeParameter('memberUser', itemIndex, '')).trim();
	if (!user) throw new NodeOperationError(this.getNode(), '"User" is empty', { itemIndex, description: 'Enter the UPN or user ID of the person to add.' });
	const body = {
		'@odata.type': '#microsoft.graph.aadUserConversationMember',
		roles: this.getNodeParameter('isOwner', itemIndex, false) ? ['owner'] : [],
		'user@odata.bind': `${run.conn.graphBaseUrl}/users('${encodePathSegment(user, 'User')}')`,
	};
	// Adding the same person again changes nothing, so a repeat after a lost answer is harmless.
	const response = await graphRequest(this, run.conn, { method: 'POST', url: membersPath.call(this, itemIndex), body, itemIndex, operation: 'add the member', idempotent: true });
	return response.body as IDataObject;
};
