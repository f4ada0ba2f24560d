// @ts-check
'use strict';

/**
 * Members (aadUserConversationMember; roles ['owner'], [] for a member, ['guest']):
 *   GET|POST /teams/{id}/members                     $filter (microsoft.graph.aadUserConversationMember/userId|email|displayName eq '…'),
 *                                                    roles/any(r:r eq 'owner'); POST → 201 (adding an existing member sets its roles)
 *   GET|PATCH|DELETE /teams/{id}/members/{membershipId}      PATCH { roles } → 200; DELETE → 204 (the last owner stays: 400)
 *   the same under /teams/{id}/channels/{id}/members for private and shared channels (the user must be a team member);
 *   a standard channel lists the team's members and refuses changes (400).
 *   GET /chats/{id}/members, GET /chats/{id}/members/{membershipId}
 * Delegated changes need an owner of the team (or channel).
 */

const { httpError } = require('../router');
const { PERMISSIONS, authorize, isTeamOwner, readObject, userFromBind, memberRoles, FORBIDDEN } = require('./teams-access');
const { memberJson } = require('./teams-json');
const { membershipId } = require('./teams-store');
const { collection } = require('./teams-paging');

/**
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('./teams-store').Membership} Membership
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 */

/** `$filter` on members. @param {string | undefined} filter @param {{ findUser: (id: string) => any }} directory */
function memberFilter(filter, directory) {
	if (!filter) return () => true;
	const text = filter.trim().replace(/^\((.*)\)$/s, '$1').trim();
	let m;
	if ((m = /^(?:microsoft\.graph\.aadUserConversationMember\/)?(userId|email|displayName)\s+eq\s+'((?:[^']|'')*)'$/i.exec(text))) {
		const [key, value] = [m[1].toLowerCase(), m[2].replace(/''/g, "'").toLowerCase()];
		return (/** @type {Membership} */ member) => {
			const user = directory.findUser(member.userId);
			const actual = key === 'userid' ? member.userId : key === 'email' ? user?.mail ?? user?.userPrincipalName : user?.displayName;
			return String(actual ?? '').toLowerCase() === value;
		};
	}
	if ((m = /^roles\/any\(\s*(\w+)\s*:\s*\1\s+eq\s+'(owner|guest)'\s*\)$/i.exec(text))) {
		const role = m[2].toLowerCase();
		return (/** @type {Membership} */ member) => member.roles.includes(role);
	}
	throw httpError(400, 'BadRequest', `Invalid filter clause: '${filter}'.`);
}

/**
 * @param {import('../router').Router} router
 * @param {import('./teams-routes').TeamsEnv} env
 */
function registerMemberRoutes(router, env) {
	const { teams: store, lookups, directory } = env;
	const base = (/** @type {Context} */ ctx) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#`;

	/**
	 * Where the members of a request live: the team, or a channel (private/shared own members; standard ones read the team's).
	 * @param {Context} ctx @param {AuthInfo} auth
	 */
	const placeOf = (ctx, auth) => {
		const team = lookups.team(auth, ctx.params.teamId);
		if (ctx.params.channelId === undefined) return { team, channel: null, members: team.members, containerId: team.id };
		const channel = lookups.channel(auth, team, ctx.params.channelId);
		const own = channel.membershipType !== 'standard';
		return { team, channel, members: own ? channel.members : team.members, containerId: own ? channel.id : team.id };
	};
	/** @param {Map<string, Membership>} members @param {string} containerId @param {string} id */
	const findMember = (members, containerId, id) => {
		for (const member of members.values()) if (membershipId(containerId, member.userId) === id || member.userId === id) return member;
		throw httpError(404, 'NotFound', `Member ${id} was not found.`);
	};
	/** @param {Team} team @param {Channel | null} channel @param {AuthInfo} auth */
	const mayChange = (team, channel, auth) => {
		if (auth.appOnly) return;
		if (channel && channel.membershipType !== 'standard') {
			if (!channel.members.get(/** @type {string} */ (auth.userId))?.roles.includes('owner') && !isTeamOwner(team, auth)) throw FORBIDDEN();
		} else if (!isTeamOwner(team, auth)) throw FORBIDDEN();
	};

	for (const prefix of ['/v1.0/teams/:teamId', '/v1.0/teams/:teamId/channels/:channelId']) {
		const isChannel = prefix.includes('channels');
		const read = isChannel ? PERMISSIONS.channelMemberRead : PERMISSIONS.teamMemberRead;
		const write = isChannel ? PERMISSIONS.channelMemberWrite : PERMISSIONS.teamMemberWrite;
		const where = (/** @type {Team} */ team, /** @type {Channel | null} */ channel) => /** @type {any} */ (channel && channel.membershipType !== 'standard' ? { kind: 'channel', team, channel } : { kind: 'team', team });
		const contextOf = (/** @type {Context} */ ctx, /** @type {Team} */ team, /** @type {Channel | null} */ channel) => `${base(ctx)}teams('${team.id}')${channel ? `/channels('${encodeURIComponent(channel.id)}')` : ''}/members`;

		router.add('GET', `${prefix}/members`, (ctx) => {
			const auth = authorize(ctx, read);
			const { team, channel, members, containerId } = placeOf(ctx, auth);
			const matches = memberFilter(ctx.query.$filter, directory);
			const list = [...members.values()].filter(matches).map((m) => memberJson(directory, m, containerId, team.tenantId));
			return ctx.json(200, collection(contextOf(ctx, team, channel), list, null, list.length));
		});

		router.add('POST', `${prefix}/members`, async (ctx) => {
			const auth = authorize(ctx, write);
			const { team, channel, containerId } = placeOf(ctx, auth);
			if (channel && channel.membershipType === 'standard') throw httpError(400, 'BadRequest', 'Members cannot be added to a standard channel: add them to the team.');
			mayChange(team, channel, auth);
			const input = await readObject(ctx);
			if (String(input['@odata.type'] ?? '').replace(/^#/, '') !== 'microsoft.graph.aadUserConversationMember') {
				throw httpError(400, 'BadRequest', "The member needs \"@odata.type\": \"#microsoft.graph.aadUserConversationMember\".");
			}
			const user = userFromBind(env.state, input['user@odata.bind'], auth.tenantId);
			if (channel && !team.members.has(user.id)) throw httpError(400, 'BadRequest', `User ${user.id} is not a member of the team; add them to the team first.`);
			const { membership } = store.setMember(where(team, channel), user.id, memberRoles(input.roles));
			return ctx.json(201, { '@odata.context': `${contextOf(ctx, team, channel)}/$entity`, ...memberJson(directory, membership, containerId, team.tenantId) });
		});

		router.add('GET', `${prefix}/members/:memberId`, (ctx) => {
			const auth = authorize(ctx, read);
			const { team, channel, members, containerId } = placeOf(ctx, auth);
			const member = findMember(members, containerId, ctx.params.memberId);
			return ctx.json(200, { '@odata.context': `${contextOf(ctx, team, channel)}/$entity`, ...memberJson(directory, member, containerId, team.tenantId) });
		});

		router.add('PATCH', `${prefix}/members/:memberId`, async (ctx) => {
			const auth = authorize(ctx, write);
			const { team, channel, members, containerId } = placeOf(ctx, auth);
			if (channel && channel.membershipType === 'standard') throw httpError(400, 'BadRequest', 'Members of a standard channel are the team\'s members: change them on the team.');
			mayChange(team, channel, auth);
			const member = findMember(members, containerId, ctx.params.memberId);
			const input = await readObject(ctx);
			const roles = memberRoles(input.roles);
			if (member.roles.includes('owner') && !roles.includes('owner') && [...members.values()].filter((m) => m.roles.includes('owner')).length === 1) {
				throw httpError(400, 'BadRequest', 'The last owner cannot be demoted.');
			}
			const { membership } = store.setMember(where(team, channel), member.userId, roles);
			return ctx.json(200, { '@odata.context': `${contextOf(ctx, team, channel)}/$entity`, ...memberJson(directory, membership, containerId, team.tenantId) });
		});

		router.add('DELETE', `${prefix}/members/:memberId`, (ctx) => {
			const auth = authorize(ctx, write);
			const { team, channel, members, containerId } = placeOf(ctx, auth);
			if (channel && channel.membershipType === 'standard') throw httpError(400, 'BadRequest', 'Members cannot be removed from a standard channel: remove them from the team.');
			mayChange(team, channel, auth);
			const member = findMember(members, containerId, ctx.params.memberId);
			if (member.roles.includes('owner') && [...members.values()].filter((m) => m.roles.includes('owner')).length === 1) {
				throw httpError(400, 'BadRequest', 'The last owner cannot be removed.');
			}
			store.removeMember(where(team, channel), member.userId);
			return ctx.send(204, null);
		});
	}

	router.add('GET', '/v1.0/chats/:chatId/members', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatMemberRead);
		const chat = lookups.chat(auth, ctx.params.chatId);
		const list = [...chat.members.values()].map((m) => memberJson(directory, m, chat.id, chat.tenantId, { chat: true }));
		return ctx.json(200, collection(`${base(ctx)}chats('${encodeURIComponent(chat.id)}')/members`, list, null, list.length));
	});
	router.add('GET', '/v1.0/chats/:chatId/members/:memberId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatMemberRead);
		const chat = lookups.chat(auth, ctx.params.chatId);
		const member = findMember(chat.members, chat.id, ctx.params.memberId);
		return ctx.json(200, { '@odata.context': `${base(ctx)}chats('${encodeURIComponent(chat.id)}')/members/$entity`, ...memberJson(directory, member, chat.id, chat.tenantId, { chat: true }) });
	});
}

module.exports = { registerMemberRoutes };
