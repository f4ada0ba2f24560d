/** What Teams' operations share: the run context, team / channel / chat pickers and their paths. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { locatorMode, locatorValue } from '../../shared/node/parameters';
import { GUID_REGEX, resourceLocator } from '../../shared/node/rlc';
import type { OperationModule, RunBase } from '../../shared/node/router';
import { parseTeamsLink, TeamsLinkError } from '../helpers/teamsUrl';

export { readLimit, returnAllProperties, showFor } from '../../shared/node/descriptions';

export type TeamsRun = RunBase;
export type TeamsOperation = OperationModule<TeamsRun>;

const TEAMS_LINK = '^https://.+/l/(team|channel|message)/.+';

export function teamLocator(displayOptions: IDisplayOptions, name = 'teamId'): INodeProperties {
	return resourceLocator({
		name,
		displayName: 'Team',
		description: 'The team: pick it (your teams; all teams with app-only sign-in), paste its link from Teams ("Copy link"), or enter its ID',
		displayOptions,
		list: { searchListMethod: 'searchTeams', placeholder: 'Select a team...' },
		url: { placeholder: 'e.g. https://teams.microsoft.com/l/team/19%3a...?groupId=...', regex: TEAMS_LINK, errorMessage: 'Paste a link from Teams ("Copy link")' },
		id: { placeholder: 'e.g. 00000000-0000-0000-0000-000000000000', regex: GUID_REGEX, errorMessage: 'A team ID is a GUID' },
	});
}

export function channelLocator(displayOptions: IDisplayOptions, name = 'channelId'): INodeProperties {
	return resourceLocator({
		name,
		displayName: 'Channel',
		description: "The channel: pick it from the team's channels, paste its link from Teams, or enter its ID",
		displayOptions,
		list: { searchListMethod: 'searchChannels', placeholder: 'Select a channel...' },
		url: { placeholder: 'e.g. https://teams.microsoft.com/l/channel/19%3a...%40thread.tacv2/General?groupId=...', regex: TEAMS_LINK, errorMessage: 'Paste a channel link from Teams ("Copy link")' },
		id: { placeholder: 'e.g. 19:abc...@thread.tacv2' },
		dependsOn: ['teamId.value'],
	});
}

export function chatLocator(displayOptions: IDisplayOptions, name = 'chatId'): INodeProperties {
	return resourceLocator({
		name,
		displayName: 'Chat',
		description: 'The chat: pick one of your chats (type to search by topic or member), or enter its ID',
		displayOptions,
		list: { searchListMethod: 'searchChats', placeholder: 'Select a chat...' },
		id: { placeholder: 'e.g. 19:abc...@thread.v2' },
	});
}

function linkOf(this: IExecuteFunctions, name: string, field: string, itemIndex: number) {
	try {
		return parseTeamsLink(locatorValue(this, name, itemIndex));
	} catch (error) {
		if (error instanceof TeamsLinkError) throw new NodeOperationError(this.getNode(), `"${field}" link ${error.message}`, { itemIndex });
		throw error;
	}
}

/** The team ID of the Team locator (a pasted link gives its `groupId`). */
export function teamId(this: IExecuteFunctions, itemIndex: number, name = 'teamId'): string {
	if (locatorMode(this, name, itemIndex) !== 'url') return locatorValue(this, name, itemIndex);
	const link = linkOf.call(this, name, 'Team', itemIndex);
	if (!link.teamId) throw new NodeOperationError(this.getNode(), '"Team" link has no groupId', { itemIndex, description: 'Copy the link of the team itself in Teams (… > Get link to team).' });
	return link.teamId;
}

/** The channel ID of the Channel locator (a pasted link gives the conversation in its path). */
export function channelId(this: IExecuteFunctions, itemIndex: number, name = 'channelId'): string {
	if (locatorMode(this, name, itemIndex) !== 'url') return locatorValue(this, name, itemIndex);
	const link = linkOf.call(this, name, 'Channel', itemIndex);
	if (!link.channelId) throw new NodeOperationError(this.getNode(), '"Channel" link is not a channel link', { itemIndex, description: 'Copy the link of the channel in Teams (… > Get link to channel).' });
	return link.channelId;
}

export function teamPath(this: IExecuteFunctions, itemIndex: number): string {
	return `/teams/${encodePathSegment(teamId.call(this, itemIndex), 'Team')}`;
}

export function channelPath(this: IExecuteFunctions, itemIndex: number): string {
	return `${teamPath.call(this, itemIndex)}/channels/${encodePathSegment(channelId.call(this, itemIndex), 'Channel')}`;
}

export function chatPath(this: IExecuteFunctions, itemIndex: number): string {
	return `/chats/${encodePathSegment(locatorValue(this, 'chatId', itemIndex), 'Chat')}`;
}

/**
 * Microsoft lets apps post channel and chat messages only while migrating content; everything else must be a
 * signed-in user. Said before anything is sent, instead of Graph's bare 403.
 */
export function requireDelegated(this: IExecuteFunctions, run: TeamsRun, what: string, itemIndex: number): void {
	if (!run.conn.appOnly) return;
	throw new NodeOperationError(this.getNode(), `Microsoft does not let an app ${what} (client credentials)`, {
		itemIndex,
		description:
			'Posting and editing messages as an app is allowed only for migration. Choose the OAuth2 (delegated) credential: the message is then posted as the signed-in user.',
	});
}
