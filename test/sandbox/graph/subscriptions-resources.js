// @ts-check
'use strict';

/**
 * The Teams resources a change-notification subscription may watch (Graph v1.0, "Change notifications for Microsoft
 * Teams resources"), their permissions, the change types each allows, and how a change of the model (a
 * teams-store `change` event) matches one and is named in a notification (`resource`, `resourceData`).
 * `{id}` segments may be written `teams/{id}` or `teams('{id}')`; a leading `/` is optional.
 *
 * | resource                                            | notifies about            | delegated                  | application |
 * | teams/{id}/channels/{id}/messages[?$search=…|$filter=mentions/any(u: u/mentioned/user/id eq '…')] | messages and replies of a channel | ChannelMessage.Read.All | ChannelMessage.Read.All |
 * | teams/{id}/channels/{id}/messages/{id}/replies      | replies to one message    | ChannelMessage.Read.All    | ChannelMessage.Read.All |
 * | teams/{id}/channels/getAllMessages                  | every channel of a team   | ChannelMessage.Read.All    | ChannelMessage.Read.All |
 * | teams/getAllMessages                                | every channel (tenant)    | —                          | ChannelMessage.Read.All |
 * | chats/{id}/messages[?$search=…|$filter=mentions…]   | messages of a chat        | Chat.Read, Chat.ReadWrite  | Chat.Read.All, Chat.ReadWrite.All |
 * | chats/getAllMessages                                | every chat (tenant)       | —                          | Chat.Read.All, Chat.ReadWrite.All |
 * | me/chats/getAllMessages, users/{id}/chats/getAllMessages | chats of a user      | Chat.Read, Chat.ReadWrite  | Chat.Read.All, Chat.ReadWrite.All |
 * | teams/{id}/members                                  | team membership           | TeamMember.Read.All …      | TeamMember.Read.All … |
 * | chats/{id}/members                                  | chat membership           | ChatMember.Read …          | ChatMember.Read.All … |
 * | teams/{id}/channels                                 | channels of a team        | Channel.ReadBasic.All …    | Channel.ReadBasic.All … |
 * | teams/getAllChannels                                | channels (tenant)         | —                          | Channel.ReadBasic.All … |
 * | teams/{id}, teams                                   | a team / every team       | Team.ReadBasic.All … / —   | Team.ReadBasic.All … |
 * | chats/{id}, chats, me/chats, users/{id}/chats       | chats                     | Chat.ReadBasic …  (chats: —) | Chat.ReadBasic.All … |
 */

const { httpError } = require('../router');

/**
 * @typedef {import('./teams-store').ChangeEvent} ChangeEvent
 * @typedef {{ team?: string, channel?: string, message?: string, chat?: string, user?: string }} Ids
 * @typedef {{ name: string, pattern: RegExp, type: 'chatMessage' | 'conversationMember' | 'channel' | 'team' | 'chat',
 *   scopes: string[], roles: string[], changeTypes: string[], query?: boolean,
 *   matches: (event: ChangeEvent, ids: Ids) => boolean }} ResourceKind
 */

const CHANNEL_MESSAGES = ['ChannelMessage.Read.All'];
const CHAT_MESSAGES_D = ['Chat.Read', 'Chat.ReadWrite'];
const CHAT_MESSAGES_A = ['Chat.Read.All', 'Chat.ReadWrite.All'];
const TEAM_MEMBERS = ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'];
const CHANNELS = ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'];
const TEAMS = ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All'];
const CHATS_D = ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'];
const CHATS_A = ['Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'];
const ALL = ['created', 'updated', 'deleted'];

/** @type {ResourceKind[]} */
const KINDS = [
	{
		name: 'channel messages', pattern: /^teams\/(?<team>[^/]+)\/channels\/(?<channel>[^/]+)\/messages$/i, type: 'chatMessage', query: true,
		scopes: CHANNEL_MESSAGES, roles: CHANNEL_MESSAGES, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'channelMessage' && e.teamId === ids.team && e.channelId === ids.channel,
	},
	{
		name: 'replies of a message', pattern: /^teams\/(?<team>[^/]+)\/channels\/(?<channel>[^/]+)\/messages\/(?<message>[^/]+)\/replies$/i, type: 'chatMessage',
		scopes: CHANNEL_MESSAGES, roles: CHANNEL_MESSAGES, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'channelMessage' && e.teamId === ids.team && e.channelId === ids.channel && e.replyToId === ids.message,
	},
	{
		name: 'messages of all channels of a team', pattern: /^teams\/(?<team>[^/]+)\/channels\/getAllMessages$/i, type: 'chatMessage',
		scopes: CHANNEL_MESSAGES, roles: CHANNEL_MESSAGES, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'channelMessage' && e.teamId === ids.team,
	},
	{
		name: 'channel messages of the tenant', pattern: /^teams\/getAllMessages$/i, type: 'chatMessage', scopes: [], roles: CHANNEL_MESSAGES, changeTypes: ALL,
		matches: (e) => e.kind === 'channelMessage',
	},
	{
		name: 'chat messages', pattern: /^chats\/(?<chat>[^/]+)\/messages$/i, type: 'chatMessage', query: true, scopes: CHAT_MESSAGES_D, roles: CHAT_MESSAGES_A, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'chatMessage' && e.chatId === ids.chat,
	},
	{
		name: 'chat messages of the tenant', pattern: /^chats\/getAllMessages$/i, type: 'chatMessage', scopes: [], roles: CHAT_MESSAGES_A, changeTypes: ALL,
		matches: (e) => e.kind === 'chatMessage',
	},
	{
		name: 'chat messages of a user', pattern: /^(?:me|users\/(?<user>[^/]+))\/chats\/getAllMessages$/i, type: 'chatMessage', scopes: CHAT_MESSAGES_D, roles: CHAT_MESSAGES_A, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'chatMessage' && Boolean(ids.user && e.members?.includes(ids.user)),
	},
	{
		name: 'team members', pattern: /^teams\/(?<team>[^/]+)\/members$/i, type: 'conversationMember', scopes: TEAM_MEMBERS, roles: TEAM_MEMBERS, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'teamMember' && e.teamId === ids.team,
	},
	{
		name: 'chat members', pattern: /^chats\/(?<chat>[^/]+)\/members$/i, type: 'conversationMember',
		scopes: ['ChatMember.Read', 'ChatMember.ReadWrite', ...CHATS_D], roles: ['ChatMember.Read.All', 'ChatMember.ReadWrite.All', ...CHATS_A], changeTypes: ALL,
		matches: (e, ids) => e.kind === 'chatMember' && e.chatId === ids.chat,
	},
	{
		name: 'channels of a team', pattern: /^teams\/(?<team>[^/]+)\/channels$/i, type: 'channel', scopes: CHANNELS, roles: CHANNELS, changeTypes: ALL,
		matches: (e, ids) => e.kind === 'channel' && e.teamId === ids.team,
	},
	{
		name: 'channels of the tenant', pattern: /^teams\/getAllChannels$/i, type: 'channel', scopes: [], roles: CHANNELS, changeTypes: ALL,
		matches: (e) => e.kind === 'channel',
	},
	{ name: 'every team', pattern: /^teams$/i, type: 'team', scopes: [], roles: TEAMS, changeTypes: ALL, matches: (e) => e.kind === 'team' },
	{
		name: 'a team', pattern: /^teams\/(?<team>[^/]+)$/i, type: 'team', scopes: TEAMS, roles: TEAMS, changeTypes: ['updated', 'deleted'],
		matches: (e, ids) => e.kind === 'team' && e.teamId === ids.team,
	},
	{ name: 'every chat', pattern: /^chats$/i, type: 'chat', scopes: [], roles: CHATS_A, changeTypes: ['created', 'updated'], matches: (e) => e.kind === 'chat' },
	{
		name: 'chats of a user', pattern: /^(?:me|users\/(?<user>[^/]+))\/chats$/i, type: 'chat', scopes: CHATS_D, roles: CHATS_A, changeTypes: ['created', 'updated'],
		matches: (e, ids) => e.kind === 'chat' && Boolean(ids.user && e.members?.includes(ids.user)),
	},
	{
		name: 'a chat', pattern: /^chats\/(?<chat>[^/]+)$/i, type: 'chat', scopes: CHATS_D, roles: CHATS_A, changeTypes: ['updated', 'deleted'],
		matches: (e, ids) => e.kind === 'chat' && e.chatId === ids.chat,
	},
];

/** `teams('x')/channels('y')` → `teams/x/channels/y`; no leading slash; segments decoded. @param {string} path */
function normalisePath(path) {
	return path.trim().replace(/^\/+/, '').replace(/\/+$/, '')
		.replace(/\('([^']*)'\)/g, (_, id) => `/${id.replace(/\//g, '%2F')}`)
		.split('/').map((segment) => {
			try {
				return decodeURIComponent(segment);
			} catch {
				return segment;
			}
		}).join('/');
}

/**
 * The kind of a subscription resource, its ids and query options; 400 when not supported.
 * @param {string} resource
 * @returns {{ kind: ResourceKind, ids: Ids, search: string | null, mentionUserId: string | null }}
 */
function parseResource(resource) {
	const [path, query = ''] = resource.split('?');
	const normal = normalisePath(path);
	for (const kind of KINDS) {
		const m = kind.pattern.exec(normal);
		if (!m) continue;
		/** @type {Ids} */
		const ids = { ...(m.groups ?? {}) };
		if (ids.team) ids.team = ids.team.toLowerCase();
		let search = null;
		let mentionUserId = null;
		if (query) {
			if (!kind.query) throw httpError(400, 'InvalidRequest', `Query options are not supported on resource '${resource}'.`);
			const params = new URLSearchParams(query);
			for (const [key, value] of params) {
				if (key === '$search') search = value.replace(/^"(.*)"$/, '$1');
				else if (key === '$filter') {
					const f = /^mentions\/any\(\s*(\w+)\s*:\s*\1\/mentioned\/user\/id\s+eq\s+'([^']+)'\s*\)$/i.exec(value.trim());
					if (!f) throw httpError(400, 'InvalidRequest', `Unsupported $filter '${value}': use mentions/any(u: u/mentioned/user/id eq '{user id}').`);
					mentionUserId = f[2];
				} else throw httpError(400, 'InvalidRequest', `Unsupported query option '${key}' on resource '${resource}'.`);
			}
		}
		return { kind, ids, search, mentionUserId };
	}
	throw httpError(400, 'InvalidRequest', `Resource '${resource}' is not supported for change notifications by the sandbox (Teams resources only; see test/sandbox/README.md).`);
}

/**
 * How Graph names the changed item in a notification: `resource` and `resourceData` (`id`, `@odata.type`, `@odata.id`).
 * @param {ChangeEvent} event
 * @returns {{ resource: string, resourceData: Record<string, string> }}
 */
function notificationResource(event) {
	let resource;
	let type;
	let id;
	if (event.kind === 'channelMessage') {
		const base = `teams('${event.teamId}')/channels('${event.channelId}')/messages`;
		resource = event.replyToId ? `${base}('${event.replyToId}')/replies('${event.messageId}')` : `${base}('${event.messageId}')`;
		type = '#Microsoft.Graph.chatMessage';
		id = /** @type {string} */ (event.messageId);
	} else if (event.kind === 'chatMessage') {
		resource = `chats('${event.chatId}')/messages('${event.messageId}')`;
		type = '#Microsoft.Graph.chatMessage';
		id = /** @type {string} */ (event.messageId);
	} else if (event.kind === 'teamMember' || event.kind === 'channelMember' || event.kind === 'chatMember') {
		const container = event.kind === 'chatMember' ? `chats('${event.chatId}')` : event.kind === 'channelMember' ? `teams('${event.teamId}')/channels('${event.channelId}')` : `teams('${event.teamId}')`;
		resource = `${container}/members('${event.membershipId}')`;
		type = '#Microsoft.Graph.aadUserConversationMember';
		id = /** @type {string} */ (event.membershipId);
	} else if (event.kind === 'channel') {
		resource = `teams('${event.teamId}')/channels('${event.channelId}')`;
		type = '#Microsoft.Graph.channel';
		id = /** @type {string} */ (event.channelId);
	} else if (event.kind === 'team') {
		resource = `teams('${event.teamId}')`;
		type = '#Microsoft.Graph.team';
		id = /** @type {string} */ (event.teamId);
	} else {
		resource = `chats('${event.chatId}')`;
		type = '#Microsoft.Graph.chat';
		id = /** @type {string} */ (event.chatId);
	}
	return { resource, resourceData: { id, '@odata.type': type, '@odata.id': resource } };
}

module.exports = { KINDS, parseResource, notificationResource, normalisePath };
