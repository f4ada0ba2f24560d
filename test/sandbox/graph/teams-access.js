// @ts-check
'use strict';

/**
 * Tokens, permissions and lookups of the Teams routes (teams, channels, messages, chats, members, Planner, online
 * meetings, subscriptions). A missing permission is answered as Teams does: 403 `Forbidden` "Missing scope
 * permissions on the request. API requires one of '…'. Scopes on the request '…'." (roles for app tokens). Delegated
 * callers reach only teams, channels and chats they are a member of (403 `Forbidden` otherwise); app tokens reach
 * everything of their tenant. Posting a channel or chat message with an app token is refused as Microsoft does (only
 * migration may post app-only): without `Teamwork.Migrate.All` 403 "Missing role permissions … 'Teamwork.Migrate.All'",
 * with it 401 `Unauthorized` "Message POST is allowed in application-only context only for import purposes. …".
 */

const { httpError, SandboxHttpError } = require('../router');

/** @typedef {{ scopes: string[], roles: string[] }} Permission */

const GROUP_READ = ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GROUP_WRITE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
/** @param {string[]} list @returns {Permission} */
const both = (list) => ({ scopes: list, roles: list });

/** Permissions of each operation (any one of the list). */
const PERMISSIONS = {
	teamRead: both(['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', ...GROUP_READ]),
	joinedTeams: both(['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All']),
	teamCreate: { scopes: ['Team.Create', ...GROUP_WRITE], roles: ['Team.Create', 'Teamwork.Migrate.All', ...GROUP_WRITE] },
	teamWrite: both(['TeamSettings.ReadWrite.All', ...GROUP_WRITE]),
	channelRead: both(['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All', ...GROUP_READ]),
	channelCreate: { scopes: ['Channel.Create', ...GROUP_WRITE], roles: ['Channel.Create', 'Teamwork.Migrate.All', ...GROUP_WRITE] },
	channelWrite: both(['ChannelSettings.ReadWrite.All', ...GROUP_WRITE]),
	channelDelete: both(['Channel.Delete.All', ...GROUP_WRITE]),
	channelMessageRead: both(['ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All']),
	channelMessageSend: { scopes: ['ChannelMessage.Send', 'Group.ReadWrite.All'], roles: ['Teamwork.Migrate.All'] },
	channelMessageEdit: { scopes: ['ChannelMessage.ReadWrite', 'Group.ReadWrite.All'], roles: ['ChannelMessage.UpdatePolicyViolation.All'] },
	channelMessageDelete: { scopes: ['ChannelMessage.ReadWrite'], roles: ['ChannelMessage.ReadWrite.All'] },
	teamMemberRead: both(['TeamMember.Read.All', 'TeamMember.ReadWrite.All', ...GROUP_READ]),
	teamMemberWrite: both(['TeamMember.ReadWrite.All', ...GROUP_WRITE]),
	channelMemberRead: both(['ChannelMember.Read.All', 'ChannelMember.ReadWrite.All', ...GROUP_READ]),
	channelMemberWrite: both(['ChannelMember.ReadWrite.All', ...GROUP_WRITE]),
	chatRead: { scopes: ['Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'], roles: ['Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'] },
	chatCreate: { scopes: ['Chat.Create', 'Chat.ReadWrite'], roles: ['Chat.Create', 'Teamwork.Migrate.All'] },
	chatMessageRead: { scopes: ['Chat.Read', 'Chat.ReadWrite'], roles: ['Chat.Read.All', 'Chat.ReadWrite.All'] },
	chatMessageSend: { scopes: ['ChatMessage.Send', 'Chat.ReadWrite'], roles: ['Teamwork.Migrate.All'] },
	chatMessageEdit: { scopes: ['Chat.ReadWrite'], roles: ['Chat.UpdatePolicyViolation.All'] },
	chatMessageDelete: { scopes: ['Chat.ReadWrite', 'ChatMessage.ReadWrite'], roles: ['Chat.ReadWrite.All'] },
	chatMemberRead: {
		scopes: ['ChatMember.Read', 'ChatMember.ReadWrite', 'Chat.ReadBasic', 'Chat.Read', 'Chat.ReadWrite'],
		roles: ['ChatMember.Read.All', 'ChatMember.ReadWrite.All', 'Chat.ReadBasic.All', 'Chat.Read.All', 'Chat.ReadWrite.All'],
	},
	plannerRead: { scopes: ['Tasks.Read', 'Tasks.ReadWrite', 'Group.Read.All', 'Group.ReadWrite.All'], roles: ['Tasks.Read.All', 'Tasks.ReadWrite.All'] },
	plannerWrite: { scopes: ['Tasks.ReadWrite', 'Group.ReadWrite.All'], roles: ['Tasks.ReadWrite.All'] },
	meetingRead: { scopes: ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'], roles: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'] },
	meetingWrite: { scopes: ['OnlineMeetings.ReadWrite'], roles: ['OnlineMeetings.ReadWrite.All'] },
};

/** Application permissions the seeded apps are given for Teams (not `Teamwork.Migrate.All`: app-only posting stays refused). */
const TEAMS_APP_ROLES = [
	'Team.ReadBasic.All', 'Team.Create', 'TeamSettings.ReadWrite.All', 'Channel.ReadBasic.All', 'Channel.Create', 'ChannelSettings.ReadWrite.All',
	'Channel.Delete.All', 'ChannelMessage.Read.All', 'TeamMember.ReadWrite.All', 'ChannelMember.ReadWrite.All', 'Chat.ReadBasic.All', 'Chat.Read.All',
	'Chat.Create', 'ChatMember.Read.All', 'Tasks.ReadWrite.All', 'OnlineMeetings.ReadWrite.All',
];

const IMPORT_ONLY = 'Message POST is allowed in application-only context only for import purposes. Refer to https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.';
const BODY_LIMIT = 4 * 1024 * 1024;

/**
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('./teams-store').Chat} Chat
 */

/**
 * Verifies the token and the permission, Teams style.
 * @param {Context} ctx @param {Permission} permission @param {{ delegatedOnly?: boolean, appOnly?: boolean }} [options]
 * @returns {AuthInfo}
 */
function authorize(ctx, permission, options = {}) {
	const auth = ctx.requireAuth();
	if (auth.appOnly && options.delegatedOnly) throw httpError(403, 'Forbidden', 'This operation is not supported with application permissions; use delegated (signed-in user) permissions.');
	if (!auth.appOnly && options.appOnly) throw httpError(403, 'Forbidden', 'This operation is supported only with application permissions.');
	const allowed = auth.appOnly ? permission.roles : permission.scopes;
	const held = auth.appOnly ? auth.roles : auth.scopes;
	if (!allowed.some((p) => held.includes(p))) {
		const kind = auth.appOnly ? 'role' : 'scope';
		const what = auth.appOnly ? 'Roles' : 'Scopes';
		throw httpError(403, 'Forbidden', `Missing ${kind} permissions on the request. API requires one of '${allowed.join(', ')}'. ${what} on the request '${held.join(', ')}'.`);
	}
	return auth;
}

/**
 * Posting a message: delegated needs ChannelMessage.Send / ChatMessage.Send (or the broader scopes); an app token is
 * refused (403 without Teamwork.Migrate.All, else 401: only migration may post app-only).
 * @param {Context} ctx @param {Permission} permission
 */
function authorizePost(ctx, permission) {
	const auth = ctx.requireAuth();
	if (auth.appOnly) {
		if (!auth.roles.includes('Teamwork.Migrate.All')) {
			throw httpError(403, 'Forbidden', `Missing role permissions on the request. API requires one of 'Teamwork.Migrate.All'. Roles on the request '${auth.roles.join(', ')}'.`);
		}
		throw httpError(401, 'Unauthorized', IMPORT_ONLY);
	}
	return authorize(ctx, permission);
}

/** @param {Team} team @param {AuthInfo} auth */
function isTeamMember(team, auth) {
	return auth.appOnly || (auth.userId !== null && team.members.has(auth.userId));
}

/** @param {Team} team @param {AuthInfo} auth */
function isTeamOwner(team, auth) {
	return auth.appOnly || (auth.userId !== null && Boolean(team.members.get(auth.userId)?.roles.includes('owner')));
}

/** Whether the caller sees a channel: app tokens all; users standard channels of their teams, private/shared ones they belong to. @param {Channel} channel @param {AuthInfo} auth */
function canSeeChannel(channel, auth) {
	if (auth.appOnly || channel.membershipType === 'standard') return true;
	return auth.userId !== null && channel.members.has(auth.userId);
}

const FORBIDDEN = () => httpError(403, 'Forbidden', 'Forbidden');

/**
 * @param {{ teams: import('./teams-store').TeamsStore }} env
 */
function createLookups(env) {
	const { teams: store } = env;
	return {
		/**
		 * A team of the caller's tenant (ready: its creation finished), the caller a member unless `requireMember` is false.
		 * @param {AuthInfo} auth @param {string} id @param {{ requireMember?: boolean }} [options] @returns {Team}
		 */
		team(auth, id, options = {}) {
			store.settleOperations(id);
			const team = store.teams.get(String(id).toLowerCase());
			if (!team || team.tenantId !== auth.tenantId || !team.ready) throw httpError(404, 'NotFound', `No team found with Group Id ${id}`);
			if ((options.requireMember ?? true) && !isTeamMember(team, auth)) throw FORBIDDEN();
			return team;
		},
		/** @param {AuthInfo} auth @param {Team} team @param {string} id @returns {Channel} */
		channel(auth, team, id) {
			const channel = team.channels.get(id) ?? [...team.channels.values()].find((c) => c.id.toLowerCase() === String(id).toLowerCase());
			if (!channel) {
				if (!/^19:[^@\s]+@thread\.(tacv2|skype)$/i.test(id)) throw httpError(400, 'BadRequest', `Invalid channel id '${id}'.`);
				throw httpError(404, 'NotFound', `Channel ${id} was not found in team ${team.id}.`);
			}
			if (!canSeeChannel(channel, auth)) throw FORBIDDEN();
			return channel;
		},
		/** @param {AuthInfo} auth @param {string} id @returns {Chat} */
		chat(auth, id) {
			const chat = store.chats.get(id) ?? [...store.chats.values()].find((c) => c.id.toLowerCase() === String(id).toLowerCase());
			if (!chat || chat.tenantId !== auth.tenantId) {
				if (!/^19:[^\s]+@(thread\.v2|unq\.gbl\.spaces|thread\.skype)$/i.test(id)) throw httpError(400, 'BadRequest', `Invalid chat id '${id}'.`);
				throw httpError(404, 'NotFound', `Chat ${id} was not found.`);
			}
			if (!auth.appOnly && !(auth.userId && chat.members.has(auth.userId))) throw FORBIDDEN();
			return chat;
		},
	};
}

/**
 * A JSON object body (≤ 4 MB), else 400 as Graph.
 * @param {Context} ctx @returns {Promise<Record<string, any>>}
 */
async function readObject(ctx) {
	let raw;
	try {
		raw = await ctx.readBody(BODY_LIMIT);
	} catch (error) {
		if (error instanceof SandboxHttpError && error.status === 413) throw httpError(413, 'RequestEntityTooLarge', 'Request Entity too large.');
		throw error;
	}
	if (raw.length === 0) throw httpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
	let body;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		throw httpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
	return body;
}

/**
 * The user a `user@odata.bind` names (`https://graph.microsoft.com/v1.0/users('{id|upn}')`, `…/users/{id}`, any host),
 * in the caller's tenant; 400 when malformed, 404 when unknown.
 * @param {any} state @param {unknown} bind @param {string} tenantId
 * @returns {{ id: string, displayName: string, userPrincipalName: string, mail?: string | null, tenant: string }}
 */
function userFromBind(state, bind, tenantId) {
	if (typeof bind !== 'string') throw httpError(400, 'BadRequest', "Bind requests are expected to provide 'user@odata.bind' with a users('{id}') URL.");
	const match = /users(?:\('([^']+)'\)|\/([^/?'()]+))\/?$/i.exec(bind.trim());
	const key = match ? decodeURIComponent(match[1] ?? match[2]) : null;
	if (!key) throw httpError(400, 'BadRequest', `Invalid bind property value '${bind}'.`);
	const user = state.findUser(key);
	if (!user || user.tenant !== tenantId) throw httpError(404, 'NotFound', `User ${key} was not found in the tenant.`);
	return user;
}

/** A roles array of a membership request: [] (member), ['owner'] or ['guest']. @param {unknown} roles */
function memberRoles(roles) {
	if (roles === undefined || roles === null) return [];
	if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || !['owner', 'guest'].includes(r.toLowerCase()))) {
		throw httpError(400, 'BadRequest', "Roles must be an array containing 'owner' (or empty for a member).");
	}
	return roles.map((r) => r.toLowerCase());
}

module.exports = {
	PERMISSIONS, TEAMS_APP_ROLES, authorize, authorizePost, isTeamMember, isTeamOwner, canSeeChannel, createLookups, readObject, userFromBind, memberRoles,
	FORBIDDEN,
};
