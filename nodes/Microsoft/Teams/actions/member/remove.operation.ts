import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../../shared/input';
import { graphGetAll } from '../../../shared/paging';
import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';
import { memberScopeProperties, membersPath } from './common';

export const option: INodePropertyOptions = { name: 'Remove', value: 'remove', action: 'Remove a member' };

export const description: INodeProperties[] = [
	...memberScopeProperties('remove'),
	{ displayName: 'User', name: 'memberUser', type: 'string', required: true, default: '', placeholder: 'e.g. bob@contoso.com', description: 'The person to remove (UPN, user ID or membership ID)', displayOptions: showFor('member', 'remove') },
];

/** Finds the membership of the user (by user ID, UPN / e-mail or membership ID) and deletes it. */
export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const user = String(this.getNodeParameter('memberUser', itemIndex, '')).trim().toLowerCase();
	if (!user) throw new NodeOperationError(this.getNode(), '"User" is empty', { itemIndex, description: 'Enter the UPN or user ID of the person to remove.' });
	const path = membersPath.call(this, itemIndex);
	const members = await graphGetAll(this, run.conn, path, { itemIndex, operation: 'find the member' });
	const member = members.find((m) => [m.id, m.userId, m.email].some((value) => String(value ?? '').toLowerCase() === user));
	if (!member) throw new NodeOperationError(this.getNode(), `"User": ${user} is not a member here`, { itemIndex, description: 'Check the person and the team or channel.' });
	await graphRequest(this, run.conn, { method: 'DELETE', url: `${path}/${encodePathSegment(String(member.id), 'Membership')}`, itemIndex, operation: 'remove the member' });
	return { removed: true, membershipId: member.id, userId: (member as IDataObject).userId };
};
