// @ts-check
'use strict';

/**
 * The Microsoft Teams model of the sandbox: teams (each one a Microsoft 365 group: the team id is the group id)
 * with members and channels (standard, private, shared; private and shared ones have their own members), channel
 * messages with replies, chats (oneOnOne, group) with members and messages, and the teamsAsyncOperations of team
 * creation, archiving and unarchiving.
 *
 * Every change takes the next number of one sequence (`store.seq`, compared by channel-message delta) and is
 * announced as a `change` event ({@link ChangeEvent}) that the subscriptions engine (subscriptions-*.js) turns
 * into change notifications.
 */

const crypto = require('node:crypto');
const { EventEmitter } = require('node:events');

/**
 * @typedef {{ userId: string, roles: string[], visibleHistoryStartDateTime: string }} Membership
 * @typedef {{ contentType: 'text' | 'html', content: string }} ItemBody
 * @typedef {{ id: number, mentionText: string, mentioned: Record<string, any> }} Mention
 * @typedef {{ id: string, contentType: string, content: string | null, contentUrl: string | null, name: string | null,
 *   thumbnailUrl: string | null, teamsAppId: string | null }} Attachment
 * @typedef {{ id: string, tenantId: string, teamId: string | null, channelId: string | null, chatId: string | null,
 *   replyToId: string | null, fromUserId: string, body: ItemBody, subject: string | null, importance: string,
 *   mentions: Mention[], attachments: Attachment[], createdDateTime: string, lastModifiedDateTime: string,
 *   lastEditedDateTime: string | null, deletedDateTime: string | null, changeSeq: number, replyIds: string[] }} Message
 * @typedef {{ id: string, teamId: string, tenantId: string, displayName: string, description: string | null,
 *   membershipType: 'standard' | 'private' | 'shared', createdDateTime: string, isFavoriteByDefault: boolean | null,
 *   members: Map<string, Membership>, messages: Map<string, Message>, changeSeq: number }} Channel
 * @typedef {{ id: string, tenantId: string, displayName: string, description: string | null, visibility: 'private' | 'public',
 *   classification: string | null, createdDateTime: string, isArchived: boolean, settings: Record<string, Record<string, any>>,
 *   members: Map<string, Membership>, channels: Map<string, Channel>, primaryChannelId: string, ready: boolean }} Team
 * @typedef {{ id: string, tenantId: string, chatType: 'oneOnOne' | 'group', topic: string | null, createdDateTime: string,
 *   lastUpdatedDateTime: string, members: Map<string, Membership>, messages: Map<string, Message> }} Chat
 * @typedef {{ id: string, teamId: string, operationType: string, status: string, createdDateTime: string,
 *   lastActionDateTime: string, attemptsCount: number, pollsLeft: number, readyAt: number, onDone: (() => void) | null }} Operation
 * @typedef {{ kind: 'channelMessage' | 'chatMessage' | 'teamMember' | 'channelMember' | 'chatMember' | 'channel' | 'team' | 'chat',
 *   changeType: 'created' | 'updated' | 'deleted', tenantId: string, teamId?: string, channelId?: string, chatId?: string,
 *   messageId?: string, replyToId?: string | null, membershipId?: string, userId?: string, members?: string[] }} ChangeEvent
 */

/** Default team settings (Graph's defaults for a new team). */
const DEFAULT_SETTINGS = () => ({
	memberSettings: {
		allowCreateUpdateChannels: true, allowCreatePrivateChannels: true, allowDeleteChannels: true, allowAddRemoveApps: true,
		allowCreateUpdateRemoveTabs: true, allowCreateUpdateRemoveConnectors: true,
	},
	guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
	messagingSettings: {
		allowUserEditMessages: true, allowUserDeleteMessages: true, allowOwnerDeleteMessages: true, allowTeamMentions: true, allowChannelMentions: true,
	},
	funSettings: { allowGiphy: true, giphyContentRating: 'moderate', allowStickersAndMemes: true, allowCustomMemes: true },
});

/** Graph's date-time with milliseconds (Teams writes them). @param {number} [ms] */
function isoMs(ms = Date.now()) {
	return new Date(ms).toISOString();
}

/** A new GUID. */
function guid() {
	return crypto.randomUUID();
}

/** 32 hex characters (thread ids), random or derived from a seed. @param {string} [seed] */
function hex32(seed) {
	return seed ? crypto.createHash('sha256').update(seed).digest('hex').slice(0, 32) : crypto.randomBytes(16).toString('hex');
}

/** The id of a membership: opaque base64 of container and user, as Graph's are. @param {string} containerId @param {string} userId */
function membershipId(containerId, userId) {
	return Buffer.from(`1##${containerId}##${userId}`).toString('base64');
}

class TeamsStore extends EventEmitter {
	constructor() {
		super();
		/** @type {Map<string, Team>} */
		this.teams = new Map();
		/** @type {Map<string, Chat>} */
		this.chats = new Map();
		/** @type {Map<string, Operation>} */
		this.operations = new Map();
		this.seq = 0;
		this.lastMessageMs = 0;
	}

	/** The next change number. */
	next() {
		this.seq += 1;
		return this.seq;
	}

	/** @param {ChangeEvent} event */
	announce(event) {
		this.emit('change', event);
	}

	/**
	 * A message id: the epoch milliseconds of its creation (as Teams), unique and increasing (seeded messages keep
	 * the time they are given).
	 * @param {number} [atMs] creation time (seeded messages) @returns {{ id: string, ms: number }}
	 */
	newMessageId(atMs) {
		if (atMs !== undefined) return { id: String(atMs), ms: atMs };
		const ms = Math.max(Date.now(), this.lastMessageMs + 1);
		this.lastMessageMs = ms;
		return { id: String(ms), ms };
	}

	/**
	 * @param {{ id?: string, tenantId: string, displayName: string, description?: string | null, visibility?: 'private' | 'public',
	 *   createdDateTime?: string, generalChannelId?: string, members?: Array<{ userId: string, roles?: string[] }>, ready?: boolean }} spec
	 * @returns {Team}
	 */
	addTeam(spec) {
		const id = spec.id ?? guid();
		const created = spec.createdDateTime ?? isoMs();
		/** @type {Team} */
		const team = {
			id, tenantId: spec.tenantId, displayName: spec.displayName, description: spec.description ?? null,
			visibility: spec.visibility ?? 'private', classification: null, createdDateTime: created, isArchived: false,
			settings: DEFAULT_SETTINGS(), members: new Map(), channels: new Map(), primaryChannelId: '', ready: spec.ready ?? true,
		};
		this.teams.set(id, team);
		for (const member of spec.members ?? []) team.members.set(member.userId, { userId: member.userId, roles: member.roles ?? [], visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' });
		const general = this.addChannel(team, { id: spec.generalChannelId, displayName: 'General', description: spec.description ?? null, createdDateTime: created }, { quiet: true });
		team.primaryChannelId = general.id;
		return team;
	}

	/**
	 * @param {Team} team
	 * @param {{ id?: string, displayName: string, description?: string | null, membershipType?: 'standard' | 'private' | 'shared',
	 *   createdDateTime?: string, isFavoriteByDefault?: boolean | null, members?: Array<{ userId: string, roles?: string[] }> }} spec
	 * @param {{ quiet?: boolean }} [options] quiet: no change event (seeding, team creation)
	 * @returns {Channel}
	 */
	addChannel(team, spec, options = {}) {
		/** @type {Channel} */
		const channel = {
			id: spec.id ?? `19:${hex32()}@thread.tacv2`, teamId: team.id, tenantId: team.tenantId, displayName: spec.displayName,
			description: spec.description ?? null, membershipType: spec.membershipType ?? 'standard', createdDateTime: spec.createdDateTime ?? isoMs(),
			isFavoriteByDefault: spec.isFavoriteByDefault ?? null, members: new Map(), messages: new Map(), changeSeq: this.next(),
		};
		for (const member of spec.members ?? []) {
			channel.members.set(member.userId, { userId: member.userId, roles: member.roles ?? [], visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' });
		}
		team.channels.set(channel.id, channel);
		if (!options.quiet) this.announce({ kind: 'channel', changeType: 'created', tenantId: team.tenantId, teamId: team.id, channelId: channel.id });
		return channel;
	}

	/** @param {Team} team @param {Channel} channel */
	removeChannel(team, channel) {
		team.channels.delete(channel.id);
		this.announce({ kind: 'channel', changeType: 'deleted', tenantId: team.tenantId, teamId: team.id, channelId: channel.id });
	}

	/** @param {Team} team @param {Channel} channel */
	channelUpdated(team, channel) {
		channel.changeSeq = this.next();
		this.announce({ kind: 'channel', changeType: 'updated', tenantId: team.tenantId, teamId: team.id, channelId: channel.id });
	}

	/** @param {Team} team @param {'created' | 'updated' | 'deleted'} [changeType] */
	teamChanged(team, changeType = 'updated') {
		this.announce({ kind: 'team', changeType, tenantId: team.tenantId, teamId: team.id });
	}

	/**
	 * Adds (or changes the roles of) a member of a team, a channel or a chat.
	 * @param {{ kind: 'team', team: Team } | { kind: 'channel', team: Team, channel: Channel } | { kind: 'chat', chat: Chat }} where
	 * @param {string} userId @param {string[]} roles
	 * @returns {{ membership: Membership, created: boolean }}
	 */
	setMember(where, userId, roles) {
		const map = where.kind === 'team' ? where.team.members : where.kind === 'channel' ? where.channel.members : where.chat.members;
		const existing = map.get(userId);
		const membership = existing ?? { userId, roles: [], visibleHistoryStartDateTime: where.kind === 'chat' ? isoMs() : '0001-01-01T00:00:00Z' };
		membership.roles = [...roles];
		map.set(userId, membership);
		this.announce(this.memberEvent(where, userId, existing ? 'updated' : 'created'));
		return { membership, created: !existing };
	}

	/**
	 * @param {{ kind: 'team', team: Team } | { kind: 'channel', team: Team, channel: Channel } | { kind: 'chat', chat: Chat }} where
	 * @param {string} userId
	 */
	removeMember(where, userId) {
		const map = where.kind === 'team' ? where.team.members : where.kind === 'channel' ? where.channel.members : where.chat.members;
		if (!map.delete(userId)) return false;
		if (where.kind === 'team') {
			// Leaving a team also leaves its private and shared channels.
			for (const channel of where.team.channels.values()) channel.members.delete(userId);
		}
		this.announce(this.memberEvent(where, userId, 'deleted'));
		return true;
	}

	/**
	 * @param {{ kind: 'team', team: Team } | { kind: 'channel', team: Team, channel: Channel } | { kind: 'chat', chat: Chat }} where
	 * @param {string} userId @param {'created' | 'updated' | 'deleted'} changeType @returns {ChangeEvent}
	 */
	memberEvent(where, userId, changeType) {
		if (where.kind === 'chat') {
			return { kind: 'chatMember', changeType, tenantId: where.chat.tenantId, chatId: where.chat.id, userId, membershipId: membershipId(where.chat.id, userId) };
		}
		if (where.kind === 'channel') {
			return {
				kind: 'channelMember', changeType, tenantId: where.team.tenantId, teamId: where.team.id, channelId: where.channel.id, userId,
				membershipId: membershipId(where.channel.id, userId),
			};
		}
		return { kind: 'teamMember', changeType, tenantId: where.team.tenantId, teamId: where.team.id, userId, membershipId: membershipId(where.team.id, userId) };
	}

	/**
	 * @param {{ id?: string, tenantId: string, chatType: 'oneOnOne' | 'group', topic?: string | null, createdDateTime?: string,
	 *   members: Array<{ userId: string, roles?: string[] }> }} spec
	 * @param {{ quiet?: boolean }} [options]
	 * @returns {Chat}
	 */
	addChat(spec, options = {}) {
		const created = spec.createdDateTime ?? isoMs();
		const ids = spec.members.map((m) => m.userId);
		const id = spec.id ?? (spec.chatType === 'oneOnOne' ? `19:${[...ids].sort().join('_')}@unq.gbl.spaces` : `19:${hex32()}@thread.v2`);
		/** @type {Chat} */
		const chat = {
			id, tenantId: spec.tenantId, chatType: spec.chatType, topic: spec.chatType === 'group' ? spec.topic ?? null : null,
			createdDateTime: created, lastUpdatedDateTime: created, members: new Map(), messages: new Map(),
		};
		for (const member of spec.members) {
			chat.members.set(member.userId, { userId: member.userId, roles: member.roles ?? ['owner'], visibleHistoryStartDateTime: '0001-01-01T00:00:00Z' });
		}
		this.chats.set(id, chat);
		if (!options.quiet) this.announce({ kind: 'chat', changeType: 'created', tenantId: chat.tenantId, chatId: chat.id, members: ids });
		return chat;
	}

	/** The one-on-one chat of two users, if any. @param {string} tenantId @param {string} a @param {string} b */
	findOneOnOne(tenantId, a, b) {
		for (const chat of this.chats.values()) {
			if (chat.tenantId === tenantId && chat.chatType === 'oneOnOne' && chat.members.has(a) && chat.members.has(b) && chat.members.size === 2) return chat;
		}
		return undefined;
	}

	/**
	 * Posts a message (a root message, a reply in a channel, or a chat message).
	 * @param {{ kind: 'channel', team: Team, channel: Channel, replyTo?: Message } | { kind: 'chat', chat: Chat }} where
	 * @param {{ fromUserId: string, body: ItemBody, subject?: string | null, importance?: string, mentions?: Mention[],
	 *   attachments?: Attachment[], createdDateTime?: string }} spec
	 * @param {{ quiet?: boolean }} [options]
	 * @returns {Message}
	 */
	addMessage(where, spec, options = {}) {
		const { id, ms } = this.newMessageId(spec.createdDateTime ? Date.parse(spec.createdDateTime) : undefined);
		const at = isoMs(ms);
		const channel = where.kind === 'channel' ? where.channel : null;
		const replyTo = where.kind === 'channel' ? where.replyTo ?? null : null;
		/** @type {Message} */
		const message = {
			id, tenantId: where.kind === 'channel' ? where.team.tenantId : where.chat.tenantId,
			teamId: where.kind === 'channel' ? where.team.id : null, channelId: channel ? channel.id : null,
			chatId: where.kind === 'chat' ? where.chat.id : null, replyToId: replyTo ? replyTo.id : null, fromUserId: spec.fromUserId,
			body: spec.body, subject: spec.subject ?? null, importance: spec.importance ?? 'normal', mentions: spec.mentions ?? [],
			attachments: spec.attachments ?? [], createdDateTime: at, lastModifiedDateTime: at, lastEditedDateTime: null, deletedDateTime: null,
			changeSeq: this.next(), replyIds: [],
		};
		if (where.kind === 'channel') {
			where.channel.messages.set(id, message);
			if (replyTo) {
				replyTo.replyIds.push(id);
				replyTo.changeSeq = message.changeSeq; // the reply chain changed (channel-message delta)
			}
		} else {
			where.chat.messages.set(id, message);
			where.chat.lastUpdatedDateTime = at;
		}
		if (!options.quiet) this.announce(this.messageEvent(message, 'created'));
		return message;
	}

	/** @param {Message} message @param {'created' | 'updated' | 'deleted'} changeType @returns {ChangeEvent} */
	messageEvent(message, changeType) {
		if (message.chatId) {
			const chat = this.chats.get(message.chatId);
			return { kind: 'chatMessage', changeType, tenantId: message.tenantId, chatId: message.chatId, messageId: message.id, members: chat ? [...chat.members.keys()] : [] };
		}
		return {
			kind: 'channelMessage', changeType, tenantId: message.tenantId, teamId: /** @type {string} */ (message.teamId),
			channelId: /** @type {string} */ (message.channelId), messageId: message.id, replyToId: message.replyToId,
		};
	}

	/**
	 * Records a change to a message (edit, soft delete, undo) and announces it.
	 * @param {Message} message @param {'updated' | 'deleted'} changeType
	 */
	messageChanged(message, changeType) {
		message.lastModifiedDateTime = isoMs(Math.max(Date.now(), Date.parse(message.lastModifiedDateTime) + 1));
		message.changeSeq = this.next();
		if (message.replyToId && message.channelId && message.teamId) {
			const root = this.teams.get(message.teamId)?.channels.get(message.channelId)?.messages.get(message.replyToId);
			if (root) root.changeSeq = message.changeSeq;
		}
		this.announce(this.messageEvent(message, changeType));
	}

	/**
	 * @param {string} teamId @param {string} operationType
	 * @param {{ pollsInProgress: number, readyAfterMs: number }} timing @param {(() => void) | null} onDone
	 * @returns {Operation}
	 */
	addOperation(teamId, operationType, timing, onDone) {
		const now = Date.now();
		/** @type {Operation} */
		const operation = {
			id: guid(), teamId, operationType, status: 'notStarted', createdDateTime: isoMs(now), lastActionDateTime: isoMs(now), attemptsCount: 1,
			pollsLeft: timing.pollsInProgress, readyAt: now + timing.readyAfterMs, onDone,
		};
		this.operations.set(operation.id, operation);
		if (timing.pollsInProgress <= 0 && timing.readyAfterMs <= 0) this.finishOperation(operation);
		return operation;
	}

	/** @param {Operation} operation */
	finishOperation(operation) {
		if (operation.status === 'succeeded') return;
		operation.status = 'succeeded';
		operation.lastActionDateTime = isoMs();
		const done = operation.onDone;
		operation.onDone = null;
		if (done) done();
	}

	/**
	 * Advances an operation when it is read: in progress for `pollsInProgress` reads or until `readyAfterMs` passed,
	 * whichever comes first, then succeeded.
	 * @param {Operation} operation
	 */
	pollOperation(operation) {
		if (operation.status !== 'succeeded') {
			if (operation.pollsLeft <= 0 || Date.now() >= operation.readyAt) this.finishOperation(operation);
			else {
				operation.pollsLeft -= 1;
				operation.status = 'inProgress';
				operation.lastActionDateTime = isoMs();
			}
		}
		return operation;
	}

	/** Finishes operations whose time has come (a team GET before any poll). @param {string} teamId */
	settleOperations(teamId) {
		for (const operation of this.operations.values()) {
			if (operation.teamId === teamId && operation.status !== 'succeeded' && Date.now() >= operation.readyAt) this.finishOperation(operation);
		}
	}
}

module.exports = { TeamsStore, membershipId, isoMs, guid, hex32 };
