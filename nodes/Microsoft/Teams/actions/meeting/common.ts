/** Online meetings live under a user: `/me` (OAuth2) or `/users/{id}` (app-only, with an application access policy). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText, encodePathSegment } from '../../../shared/input';
import { showFor, type TeamsRun } from '../common';

export function organizerProperty(operation: string): INodeProperties {
	return {
		displayName: 'Organizer',
		name: 'organizer',
		type: 'string',
		default: '',
		placeholder: 'e.g. alice@contoso.com',
		description: 'Whose meetings (user ID or UPN): required with app-only sign-in, which also needs an application access policy in Teams; with OAuth2 empty means your own',
		displayOptions: showFor('meeting', operation),
	};
}

export function meetingIdProperty(operation: string): INodeProperties {
	return { displayName: 'Meeting ID', name: 'meetingId', type: 'string', required: true, default: '', description: 'ID of the online meeting', displayOptions: showFor('meeting', operation) };
}

export function meetingsPath(this: IExecuteFunctions, run: TeamsRun, itemIndex: number): string {
	const organizer = String(this.getNodeParameter('organizer', itemIndex, '')).trim();
	if (run.conn.appOnly && !organizer) {
		throw new NodeOperationError(this.getNode(), '"Organizer" is empty', { itemIndex, description: 'An app has no meetings of its own: enter the organizer (user ID or UPN).' });
	}
	return `${organizer ? `/users/${encodePathSegment(organizer, 'Organizer')}` : '/me'}/onlineMeetings`;
}

export function meetingPath(this: IExecuteFunctions, run: TeamsRun, itemIndex: number): string {
	return `${meetingsPath.call(this, run, itemIndex)}/${encodePathSegment(String(this.getNodeParameter('meetingId', itemIndex, '')).trim(), 'Meeting ID')}`;
}

/** Subject and times, checked (a time that is not a date, an end before the start) before anything is sent. */
export function meetingFields(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): IDataObject {
	const body: IDataObject = {};
	if (fields.subject !== undefined) body.subject = assertWellFormedText(String(fields.subject), 'Subject');
	for (const [name, field] of [['startDateTime', 'Start'], ['endDateTime', 'End']] as const) {
		if (!fields[name]) continue;
		const time = Date.parse(String(fields[name]));
		if (!Number.isFinite(time)) throw new NodeOperationError(this.getNode(), `"${field}" is not a date and time`, { itemIndex, description: 'Use a time such as 2026-03-01T15:00:00Z.' });
		body[name] = new Date(time).toISOString();
	}
	if (body.startDateTime && body.endDateTime && String(body.endDateTime) <= String(body.startDateTime)) {
		throw new NodeOperationError(this.getNode(), '"End" is not after "Start"', { itemIndex });
	}
	return body;
}
