import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { assertWellFormedText, encodePathSegment } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { showFor, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a team', description: 'Create a team and wait until Teams has set it up' };

export const description: INodeProperties[] = [
	{ displayName: 'Name', name: 'displayName', type: 'string', required: true, default: '', description: 'Name of the team', displayOptions: showFor('team', 'create') },
	{ displayName: 'Description', name: 'teamDescription', type: 'string', default: '', description: 'What the team is for', displayOptions: showFor('team', 'create') },
	{
		displayName: 'Visibility',
		name: 'visibility',
		type: 'options',
		options: [
			{ name: 'Private', value: 'private', description: 'Only members can find and join it' },
			{ name: 'Public', value: 'public', description: 'Anyone in the organisation can join' },
		],
		default: 'private',
		description: 'Who can find and join the team',
		displayOptions: showFor('team', 'create'),
	},
	{
		displayName: 'Owner',
		name: 'owner',
		type: 'string',
		default: '',
		placeholder: 'e.g. alice@contoso.com',
		description: 'The first owner (UPN or ID): required with app-only sign-in; with OAuth2 you are the owner',
		displayOptions: showFor('team', 'create'),
	},
];

/** How long Teams may take to set up a team before we stop waiting (it keeps going on its own). */
const SETUP_DEADLINE_MS = 3 * 60 * 1000;

/** `/teams('id')` or `/teams('id')/operations('op')` → the team ID. */
function teamIdIn(location: string | undefined): string | undefined {
	return location ? /teams\('([^']+)'\)/i.exec(location)?.[1] : undefined;
}

/**
 * `POST /teams` answers 202 and sets the team up in the background: the operation is polled (bounded) and the
 * finished team returned. The create is one POST, never repeated after it may have been applied.
 */
export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	const displayName = assertWellFormedText(String(this.getNodeParameter('displayName', itemIndex, '')).trim(), 'Name');
	if (!displayName) throw new NodeOperationError(this.getNode(), '"Name" is empty', { itemIndex, description: 'Enter the team name.' });
	const owner = String(this.getNodeParameter('owner', itemIndex, '')).trim();
	if (run.conn.appOnly && !owner) {
		throw new NodeOperationError(this.getNode(), '"Owner" is empty', { itemIndex, description: 'An app creating a team must name its first owner (UPN or user ID).' });
	}
	const body: IDataObject = {
		'template@odata.bind': `${run.conn.graphBaseUrl}/teamsTemplates('standard')`,
		displayName,
		description: assertWellFormedText(String(this.getNodeParameter('teamDescription', itemIndex, '')), 'Description') || displayName,
		visibility: this.getNodeParameter('visibility', itemIndex, 'private'),
	};
	if (owner) {
		body.members = [
			{
				'@odata.type': '#microsoft.graph.aadUserConversationMember',
				roles: ['owner'],
				'user@odata.bind': `${run.conn.graphBaseUrl}/users('${encodePathSegment(owner, 'Owner')}')`,
			},
		];
	}
	const started = await graphRequest(this, run.conn, { method: 'POST', url: '/teams', body, itemIndex, operation: 'create the team' });
	const id = teamIdIn(started.headers['content-location']) ?? teamIdIn(started.headers.location);
	if (!id) throw new NodeOperationError(this.getNode(), 'Teams accepted the team but did not say its ID', { itemIndex, description: 'Check Teams for the new team before trying again.' });
	// Location: /teams('{id}')/operations('{op}'): polled as /teams/{id}/operations/{op} (each part encoded).
	const operationId = /operations\('([^']+)'\)/i.exec(started.headers.location ?? '')?.[1];
	const operation = operationId ? `/teams/${encodePathSegment(id, 'Team')}/operations/${encodePathSegment(operationId, 'Operation')}` : undefined;
	if (operation) {
		const deadline = Date.now() + SETUP_DEADLINE_MS;
		for (let delay = 500; Date.now() < deadline; delay = Math.min(delay * 2, 10_000)) {
			const status = (await graphRequest(this, run.conn, { url: operation, itemIndex, operation: 'wait for the team' })).body as IDataObject;
			if (status.status === 'succeeded') break;
			if (status.status === 'failed') {
				throw new NodeOperationError(this.getNode(), 'Teams could not set up the team', { itemIndex, description: JSON.stringify(status.error ?? status).slice(0, 500) });
			}
			await sleep(delay);
		}
	}
	const team = await graphRequest(this, run.conn, { url: `/teams/${encodePathSegment(id, 'Team')}`, itemIndex, operation: 'read the new team' });
	return team.body as IDataObject;
};
