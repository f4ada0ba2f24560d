/**
 * What the Teams triggers watch: each event names the Graph resource a subscription (or a poll) reads, and which
 * changes of it count. Shared by the webhook trigger and the polling trigger, so both offer the same events.
 */
import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { locatorMode, locatorValue, readParameter, type NodeContext } from '../../shared/node/parameters';
import { channelLocator, chatLocator, teamLocator } from '../actions/common';
import { parseTeamsLink, TeamsLinkError } from '../helpers/teamsUrl';

export type TeamsEvent = 'channelMessage' | 'channelReply' | 'chatMessage' | 'chat' | 'teamMember' | 'channel';

/** The kind of item a change is about: decides how it is fetched and what counts. */
export type ItemKind = 'message' | 'reply' | 'chat' | 'member' | 'channel';

export const EVENT_KINDS: Record<TeamsEvent, ItemKind> = {
	channelMessage: 'message',
	channelReply: 'reply',
	chatMessage: 'message',
	chat: 'chat',
	teamMember: 'member',
	channel: 'channel',
};

const show = (event: TeamsEvent[], extra: Record<string, string[]> = {}) => ({ show: { event, ...extra } });

export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'New Channel', value: 'channel', description: 'A channel is created in a team' },
			{ name: 'New Channel Message', value: 'channelMessage', description: 'A new message (not a reply) is posted in a channel or in any channel of a team' },
			{ name: 'New Chat', value: 'chat', description: 'A chat starts that you (or, app-only, anyone in the organisation) are in' },
			{ name: 'New Chat Message', value: 'chatMessage', description: 'A message is posted in a chat or in any of your chats' },
			{ name: 'New Reply', value: 'channelReply', description: 'A reply is posted to a message in a channel or in any channel of a team' },
			{ name: 'New Team Member', value: 'teamMember', description: 'Someone is added to a team' },
		],
		default: 'channelMessage',
		description: 'What starts the workflow',
	},
	{
		displayName: 'Watch',
		name: 'channelScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Channel', value: 'channel' },
			{ name: 'All Channels of the Team', value: 'team', description: 'Needs ChannelMessage.Read.All (admin consent)' },
		],
		default: 'channel',
		displayOptions: show(['channelMessage', 'channelReply']),
	},
	teamLocator(show(['channelMessage', 'channelReply', 'teamMember', 'channel'])),
	channelLocator(show(['channelMessage', 'channelReply'], { channelScope: ['channel'] })),
	{
		displayName: 'Watch',
		name: 'chatScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Chat', value: 'chat' },
			{ name: 'All My Chats', value: 'allChats', description: "Every chat of the signed-in user (app-only: every chat of the organisation)" },
		],
		default: 'chat',
		displayOptions: show(['chatMessage']),
	},
	chatLocator(show(['chatMessage'], { chatScope: ['chat'] })),
];

/** What one trigger node watches, read once from its parameters. */
export interface WatchedScope {
	event: TeamsEvent;
	kind: ItemKind;
	teamId?: string;
	channelId?: string;
	chatId?: string;
	/** The Graph resource a subscription names, e.g. `/teams/{t}/channels/{c}/messages`. */
	resource: string;
	/** Identifies the scope in stored state: another value starts watching anew. */
	key: string;
}

function linkPart(ctx: NodeContext, name: string, field: string, part: 'teamId' | 'channelId'): string {
	const value = locatorValue(ctx, name);
	if (locatorMode(ctx, name) !== 'url') return value;
	try {
		const found = parseTeamsLink(value)[part];
		if (found) return found;
	} catch (error) {
		if (error instanceof TeamsLinkError) throw new NodeOperationError(ctx.getNode(), `"${field}" link ${error.message}`);
		throw error;
	}
	throw new NodeOperationError(ctx.getNode(), `"${field}" link does not name a ${field.toLowerCase()}`, {
		description: `Copy the link of the ${field.toLowerCase()} in Teams (… > Get link to ${field.toLowerCase()}).`,
	});
}

function required(ctx: NodeContext, value: string, field: string): string {
	if (!value) throw new NodeOperationError(ctx.getNode(), `"${field}" is empty`, { description: `Choose the ${field.toLowerCase()} to watch.` });
	return value;
}

/** The node's event and team / channel / chat, checked and turned into the Graph resource to watch. */
export function readScope(ctx: NodeContext, conn: MicrosoftConnection): WatchedScope {
	const event = readParameter(ctx, 'event', 0, 'channelMessage') as TeamsEvent;
	const kind = EVENT_KINDS[event];
	if (!kind) throw new NodeOperationError(ctx.getNode(), `"Trigger On" has an unknown value "${String(event)}"`);
	const team = () => required(ctx, linkPart(ctx, 'teamId', 'Team', 'teamId'), 'Team');
	const teamPath = (id: string) => `/teams/${encodePathSegment(id, 'Team')}`;
	switch (event) {
		case 'channelMessage':
		case 'channelReply': {
			const teamId = team();
			if (readParameter(ctx, 'channelScope', 0, 'channel') === 'team') {
				return { event, kind, teamId, resource: `${teamPath(teamId)}/channels/getAllMessages`, key: `${event}|${teamId}|*` };
			}
			const channelId = required(ctx, linkPart(ctx, 'channelId', 'Channel', 'channelId'), 'Channel');
			return { event, kind, teamId, channelId, resource: `${teamPath(teamId)}/channels/${encodePathSegment(channelId, 'Channel')}/messages`, key: `${event}|${teamId}|${channelId}` };
		}
		case 'chatMessage': {
			if (readParameter(ctx, 'chatScope', 0, 'chat') === 'allChats') {
				return { event, kind, resource: conn.appOnly ? '/chats/getAllMessages' : '/me/chats/getAllMessages', key: `${event}|*` };
			}
			const chatId = required(ctx, locatorValue(ctx, 'chatId'), 'Chat');
			return { event, kind, chatId, resource: `/chats/${encodePathSegment(chatId, 'Chat')}/messages`, key: `${event}|${chatId}` };
		}
		case 'chat':
			return { event, kind, resource: conn.appOnly ? '/chats' : '/me/chats', key: event };
		case 'teamMember': {
			const teamId = team();
			return { event, kind, teamId, resource: `${teamPath(teamId)}/members`, key: `${event}|${teamId}` };
		}
		case 'channel': {
			const teamId = team();
			return { event, kind, teamId, resource: `${teamPath(teamId)}/channels`, key: `${event}|${teamId}` };
		}
	}
}

/** One `name('value')` step of the resource path Graph puts in a notification. */
interface ResourceStep {
	name: string;
	value: string;
}

const STEP = /^([A-Za-z]+)\('((?:[^']|'')*)'\)$/;

/** `teams('a')/channels('b')/messages('c')` → steps; undefined when it has another shape. */
export function parseNotificationResource(resource: string): ResourceStep[] | undefined {
	const text = resource.replace(/^\/+/, '').replace(/^v1\.0\//i, '');
	const steps: ResourceStep[] = [];
	// Values are quoted; split on "/" only between steps.
	for (const part of text.split(/(?<=\))\//)) {
		const match = STEP.exec(part);
		if (!match) return undefined;
		steps.push({ name: match[1].toLowerCase(), value: match[2].replace(/''/g, "'") });
	}
	return steps.length ? steps : undefined;
}

/** The notification resources each event accepts (`name/name/...` of its steps). */
const SHAPES: Record<TeamsEvent, string[]> = {
	channelMessage: ['teams/channels/messages'],
	channelReply: ['teams/channels/messages/replies'],
	chatMessage: ['chats/messages'],
	chat: ['chats'],
	teamMember: ['teams/members'],
	channel: ['teams/channels'],
};

/**
 * The Graph path to fetch the item a notification names, rebuilt from its IDs (each encoded) — only when the item
 * is of the watched kind and inside the watched team / channel / chat; otherwise undefined (the change is ignored).
 */
export function itemPathFor(scope: WatchedScope, resource: string): string | undefined {
	const steps = parseNotificationResource(resource);
	if (!steps) return undefined;
	const shape = steps.map((step) => step.name).join('/');
	if (!SHAPES[scope.event].includes(shape)) return undefined;
	const id = (name: string) => steps.find((step) => step.name === name)?.value;
	// Where the node watches one team / channel / chat, the item must be in it.
	const same = (found: string | undefined, watched: string | undefined) => watched === undefined || found?.toLowerCase() === watched.toLowerCase();
	if (scope.teamId && !same(id('teams'), scope.teamId)) return undefined;
	if (scope.channelId && !same(id('channels'), scope.channelId)) return undefined;
	if (scope.chatId && !same(id('chats'), scope.chatId)) return undefined;
	try {
		return '/' + steps.map((step) => `${step.name}/${encodePathSegment(step.value, step.name)}`).join('/');
	} catch {
		return undefined; // an ID that is no path segment: not a notification Graph sends
	}
}
