// @ts-check
'use strict';

/**
 * Graph JSON of the Teams model (property names and shapes of Microsoft Graph v1.0, checked against the CSDL by
 * test/unit/sandbox-shapes.test.ts): team, channel, conversationMember (aadUserConversationMember), chatMessage,
 * chat and teamsAsyncOperation; `$select` for lists and single entities.
 */

const { httpError } = require('../router');
const { membershipId } = require('./teams-store');

/**
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('./teams-store').Chat} Chat
 * @typedef {import('./teams-store').Message} Message
 * @typedef {import('./teams-store').Membership} Membership
 * @typedef {import('./teams-store').Operation} Operation
 * @typedef {{ findUser: (id: string) => any }} Directory
 */

/** A conversation id as Teams writes it in links (`19%3a…%40thread.tacv2`). @param {string} id */
function linkId(id) {
	return encodeURIComponent(id).replace(/%3A/g, '%3a').replace(/%40/g, '%40');
}

/** @param {Team} team */
function teamJson(team) {
	const members = [...team.members.values()];
	const owners = members.filter((m) => m.roles.includes('owner')).length;
	const guests = members.filter((m) => m.roles.includes('guest')).length;
	return {
		id: team.id,
		createdDateTime: team.createdDateTime,
		displayName: team.displayName,
		description: team.description,
		internalId: team.primaryChannelId,
		classification: team.classification,
		specialization: 'none',
		visibility: team.visibility,
		webUrl: `https://teams.microsoft.com/l/team/${linkId(team.primaryChannelId)}/conversations?groupId=${team.id}&tenantId=${team.tenantId}`,
		isArchived: team.isArchived,
		tenantId: team.tenantId,
		memberSettings: { ...team.settings.memberSettings },
		guestSettings: { ...team.settings.guestSettings },
		messagingSettings: { ...team.settings.messagingSettings },
		funSettings: { ...team.settings.funSettings },
		summary: { ownersCount: owners, membersCount: members.length - owners - guests, guestsCount: guests },
	};
}

/** The short form lists use (`/me/joinedTeams`, `/teams`). @param {Team} team */
function teamListJson(team) {
	return { id: team.id, displayName: team.displayName, description: team.description, isArchived: team.isArchived, tenantId: team.tenantId };
}

/** @param {Channel} channel @param {Team} team @param {string} domain */
function channelJson(channel, team, domain) {
	const name = encodeURIComponent(channel.displayName);
	return {
		id: channel.id,
		createdDateTime: channel.createdDateTime,
		displayName: channel.displayName,
		description: channel.description,
		isFavoriteByDefault: channel.isFavoriteByDefault,
		email: channel.membershipType === 'standard' ? `${channel.id.slice(3, 11)}.${domain}@emea.teams.ms` : '',
		webUrl: `https://teams.microsoft.com/l/channel/${linkId(channel.id)}/${name}?groupId=${team.id}&tenantId=${team.tenantId}`,
		membershipType: channel.membershipType,
		isArchived: false,
		tenantId: channel.tenantId,
	};
}

/**
 * @param {Directory} directory @param {Membership} membership @param {string} containerId @param {string} tenantId
 * @param {{ chat?: boolean }} [options] chat members carry visibleHistoryStartDateTime
 */
function memberJson(directory, membership, containerId, tenantId, options = {}) {
	const user = directory.findUser(membership.userId);
	/** @type {Record<string, unknown>} */
	const json = {
		'@odata.type': '#microsoft.graph.aadUserConversationMember',
		id: membershipId(containerId, membership.userId),
		roles: [...membership.roles],
		displayName: user?.displayName ?? null,
	};
	if (options.chat) json.visibleHistoryStartDateTime = membership.visibleHistoryStartDateTime;
	json.userId = membership.userId;
	json.email = user?.mail ?? user?.userPrincipalName ?? null;
	json.tenantId = tenantId;
	return json;
}

/** @param {Directory} directory @param {string} userId */
function userIdentity(directory, userId) {
	const user = directory.findUser(userId);
	return { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: userId, displayName: user?.displayName ?? null, userIdentityType: 'aadUser' };
}

/**
 * @param {Directory} directory @param {Message} message
 * @param {{ expandReplies?: Message[] | null, deltaItem?: boolean }} [options]
 */
function messageJson(directory, message, options = {}) {
	const deleted = message.deletedDateTime !== null;
	/** @type {Record<string, unknown>} */
	const json = {};
	if (options.deltaItem) json['@odata.type'] = '#microsoft.graph.chatMessage';
	Object.assign(json, {
		id: message.id,
		replyToId: message.replyToId,
		etag: String(Date.parse(message.lastModifiedDateTime)),
		messageType: 'message',
		createdDateTime: message.createdDateTime,
		lastModifiedDateTime: message.lastModifiedDateTime,
		lastEditedDateTime: message.lastEditedDateTime,
		deletedDateTime: message.deletedDateTime,
		subject: deleted ? null : message.subject,
		summary: null,
		chatId: message.chatId,
		importance: message.importance,
		locale: 'en-us',
		webUrl: message.channelId
			? `https://teams.microsoft.com/l/message/${linkId(message.channelId)}/${message.id}?groupId=${message.teamId}&tenantId=${message.tenantId}&createdTime=${Date.parse(message.createdDateTime)}&parentMessageId=${message.replyToId ?? message.id}`
			: null,
		policyViolation: null,
		eventDetail: null,
		from: { application: null, device: null, user: userIdentity(directory, message.fromUserId) },
		body: deleted ? { contentType: 'html', content: '' } : { ...message.body },
		channelIdentity: message.channelId ? { teamId: message.teamId, channelId: message.channelId } : null,
		attachments: deleted ? [] : message.attachments.map((a) => ({ ...a })),
		mentions: deleted ? [] : message.mentions.map((m) => ({ id: m.id, mentionText: m.mentionText, mentioned: mentionedJson(m.mentioned) })),
		reactions: [],
		messageHistory: [],
	});
	if (options.expandReplies) json.replies = options.expandReplies.map((reply) => messageJson(directory, reply));
	return json;
}

/** The mentioned identity set as Graph writes it back. @param {Record<string, any>} mentioned */
function mentionedJson(mentioned) {
	const user = mentioned.user ? { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: mentioned.user.id, displayName: mentioned.user.displayName ?? null, userIdentityType: mentioned.user.userIdentityType ?? 'aadUser' } : null;
	const conversation = mentioned.conversation
		? { id: mentioned.conversation.id, displayName: mentioned.conversation.displayName ?? null, conversationIdentityType: mentioned.conversation.conversationIdentityType ?? 'channel' }
		: null;
	return { application: null, device: null, conversation, user };
}

/**
 * @param {Directory} directory @param {Chat} chat @param {string | null} viewerId
 * @param {{ members?: boolean }} [options]
 */
function chatJson(directory, chat, viewerId, options = {}) {
	/** @type {Record<string, unknown>} */
	const json = {
		id: chat.id,
		topic: chat.topic,
		createdDateTime: chat.createdDateTime,
		lastUpdatedDateTime: chat.lastUpdatedDateTime,
		chatType: chat.chatType,
		webUrl: `https://teams.microsoft.com/l/chat/${linkId(chat.id)}/0?tenantId=${chat.tenantId}`,
		tenantId: chat.tenantId,
		onlineMeetingInfo: null,
		viewpoint: viewerId ? { isHidden: false, lastMessageReadDateTime: chat.lastUpdatedDateTime } : null,
		isHiddenForAllMembers: false,
	};
	if (options.members) json.members = [...chat.members.values()].map((m) => memberJson(directory, m, chat.id, chat.tenantId, { chat: true }));
	return json;
}

/** @param {Operation} operation */
function operationJson(operation) {
	return {
		id: operation.id,
		operationType: operation.operationType,
		createdDateTime: operation.createdDateTime,
		status: operation.status,
		lastActionDateTime: operation.lastActionDateTime,
		attemptsCount: operation.attemptsCount,
		targetResourceId: operation.teamId,
		targetResourceLocation: `/teams('${operation.teamId}')`,
		error: null,
	};
}

/**
 * `$select`: the named properties (plus `@odata.*` annotations and id); an unknown name → 400 as Graph.
 * @param {Record<string, unknown>} json @param {string | undefined} select @param {string} typeName
 * @param {string[]} [extra] selectable names that are not in the default JSON
 */
function applySelect(json, select, typeName, extra = []) {
	if (!select) return json;
	const names = select.split(',').map((s) => s.trim()).filter(Boolean);
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, value] of Object.entries(json)) if (key.startsWith('@')) out[key] = value;
	for (const name of names) {
		if (!(name in json) && !extra.includes(name)) throw httpError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
		if (name in json) out[name] = json[name];
	}
	return out;
}

module.exports = { teamJson, teamListJson, channelJson, memberJson, messageJson, chatJson, operationJson, applySelect, linkId, userIdentity };
