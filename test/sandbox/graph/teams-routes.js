// @ts-check
'use strict';

/**
 * Teams and channels:
 *   GET  /me/joinedTeams, /users/{id|upn}/joinedTeams        teams the user is a member of ($select)
 *   GET  /teams                                               every team of the tenant ($top ≤ 999, $filter on displayName, $select)
 *   POST /teams                                               202 + Location /teams('{id}')/operations('{op}'), Content-Location /teams('{id}')
 *   GET  /teams/{id}/operations/{op}                          teamsAsyncOperation (inProgress, then succeeded)
 *   GET|PATCH /teams/{id}                                     PATCH → 204 (owners; displayName, description, visibility, *Settings)
 *   POST /teams/{id}/archive | /unarchive                     202 + Location of the operation
 *   GET|POST /teams/{id}/channels                             $filter=membershipType eq '…'; create standard / private / shared
 *   GET  /teams/{id}/primaryChannel
 *   GET|PATCH|DELETE /teams/{id}/channels/{id}                PATCH/DELETE → 204; General can be neither renamed nor deleted
 * A new team is not there (404) until its creation operation succeeded: after `timing.pollsInProgress` polls of the
 * operation or `timing.readyAfterMs`, whichever comes first (`sandbox.teams.asyncTiming`).
 */

const { httpError } = require('../router');
const { PERMISSIONS, authorize, isTeamOwner, canSeeChannel, readObject, userFromBind, memberRoles, FORBIDDEN } = require('./teams-access');
const { teamJson, teamListJson, channelJson, operationJson, applySelect } = require('./teams-json');
const { paginate, collection } = require('./teams-paging');

const TEAM_PATCHABLE = ['displayName', 'description', 'visibility', 'classification', 'memberSettings', 'guestSettings', 'messagingSettings', 'funSettings'];
const SETTINGS = ['memberSettings', 'guestSettings', 'messagingSettings', 'funSettings'];
/** Characters Teams does not allow in a channel name. */
const CHANNEL_NAME_FORBIDDEN = /[~#%&*{}+/\\:<>?|'",]/;

/**
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('../router').Context} Context
 * @typedef {{ state: any, teams: import('./teams-store').TeamsStore, lookups: ReturnType<typeof import('./teams-access').createLookups>,
 *   directory: { findUser: (id: string) => any }, timing: { pollsInProgress: number, readyAfterMs: number }, domainOf: (tenantId: string) => string }} TeamsEnv
 */

/** `$filter` on team lists: `displayName eq '…'`, `startswith(displayName,'…')`. @param {string | undefined} filter */
function teamFilter(filter) {
	if (!filter) return () => true;
	const literal = "'((?:[^']|'')*)'";
	let m;
	if ((m = new RegExp(`^startswith\\(\\s*displayName\\s*,\\s*${literal}\\s*\\)$`, 'i').exec(filter.trim()))) {
		const value = m[1].replace(/''/g, "'").toLowerCase();
		return (/** @type {Team} */ team) => team.displayName.toLowerCase().startsWith(value);
	}
	if ((m = new RegExp(`^displayName\\s+eq\\s+${literal}$`, 'i').exec(filter.trim()))) {
		const value = m[1].replace(/''/g, "'").toLowerCase();
		return (/** @type {Team} */ team) => team.displayName.toLowerCase() === value;
	}
	throw httpError(400, 'BadRequest', `Invalid filter clause: the sandbox filters teams by displayName (eq, startswith) only: '${filter}'.`);
}

/** @param {Record<string, any>} input @param {Team} team */
function applySettings(input, team) {
	const present = SETTINGS.filter((key) => input[key] !== undefined);
	for (const key of present) {
		if (!input[key] || typeof input[key] !== 'object') throw httpError(400, 'BadRequest', `${key} must be an object.`);
		for (const name of Object.keys(input[key])) {
			if (!(name in team.settings[key])) throw httpError(400, 'BadRequest', `Property '${name}' does not exist on type 'microsoft.graph.team${key[0].toUpperCase()}${key.slice(1, -1)}'.`);
		}
	}
	for (const key of present) Object.assign(team.settings[key], input[key]);
}

/** @param {unknown} value @param {string} fallback */
function visibilityOf(value, fallback) {
	if (value === undefined || value === null) return /** @type {'private' | 'public'} */ (fallback);
	const visibility = String(value).toLowerCase();
	if (visibility !== 'private' && visibility !== 'public') throw httpError(400, 'BadRequest', `Invalid visibility '${String(value)}': use 'private' or 'public'.`);
	return visibility;
}

/** @param {unknown} name */
function checkChannelName(name) {
	if (typeof name !== 'string' || name.trim() === '') throw httpError(400, 'BadRequest', 'displayName is required.');
	if (name.length > 50) throw httpError(400, 'BadRequest', 'Channel displayName can be at most 50 characters long.');
	if (CHANNEL_NAME_FORBIDDEN.test(name) || /^[_.]/.test(name) || name.endsWith('.')) {
		throw httpError(400, 'BadRequest', `Channel name '${name}' contains characters Teams does not allow (~ # % & * { } + / \\ : < > ? | ' " ,) or starts with _ or a period.`);
	}
	return name.trim();
}

/** @param {import('../router').Router} router @param {TeamsEnv} env */
function registerTeamRoutes(router, env) {
	const { teams: store, lookups, directory } = env;
	const context = (/** @type {Context} */ ctx, /** @type {string} */ tail) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#${tail}`;

	/** @param {Context} ctx @param {import('../router').AuthInfo} auth @param {string} userId */
	const joined = (ctx, auth, userId) => {
		const list = [...store.teams.values()].filter((t) => t.tenantId === auth.tenantId && t.ready && t.members.has(userId));
		return ctx.json(200, collection(context(ctx, 'teams'), list.map((t) => applySelect(teamListJson(t), ctx.query.$select, 'team', Object.keys(teamJson(t))))));
	};
	router.add('GET', '/v1.0/me/joinedTeams', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.joinedTeams);
		return joined(ctx, auth, /** @type {string} */ (auth.userId));
	});
	router.add('GET', '/v1.0/users/:user/joinedTeams', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.joinedTeams);
		const user = directory.findUser(ctx.params.user);
		if (!user || user.tenant !== auth.tenantId) throw httpError(404, 'NotFound', `User ${ctx.params.user} was not found.`);
		if (!auth.appOnly && user.id !== auth.userId) throw FORBIDDEN();
		return joined(ctx, auth, user.id);
	});

	router.add('GET', '/v1.0/teams', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.teamRead);
		const matches = teamFilter(ctx.query.$filter);
		const list = [...store.teams.values()].filter((t) => t.tenantId === auth.tenantId && t.ready && matches(t))
			.sort((a, b) => a.displayName.localeCompare(b.displayName));
		const { page, nextLink } = paginate(ctx, list, { defaultTop: 100, maxTop: 999 });
		return ctx.json(200, collection(context(ctx, 'teams'), page.map((t) => applySelect(teamListJson(t), ctx.query.$select, 'team', Object.keys(teamJson(t)))), nextLink));
	});

	router.add('POST', '/v1.0/teams', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.teamCreate);
		const input = await readObject(ctx);
		const template = input['template@odata.bind'];
		if (typeof template !== 'string') throw httpError(400, 'BadRequest', "The 'template@odata.bind' property is required, e.g. \"https://graph.microsoft.com/v1.0/teamsTemplates('standard')\".");
		if (!/teamsTemplates\('standard'\)$/i.test(template.trim())) throw httpError(400, 'BadRequest', `Template '${template}' is not supported by the sandbox (only 'standard').`);
		if (input['group@odata.bind'] !== undefined) throw httpError(400, 'BadRequest', 'Creating a team from an existing group (group@odata.bind) is not modelled by the sandbox.');
		if (typeof input.displayName !== 'string' || input.displayName.trim() === '') throw httpError(400, 'BadRequest', 'displayName is required.');
		const members = (Array.isArray(input.members) ? input.members : input.members === undefined ? [] : null);
		if (!members) throw httpError(400, 'BadRequest', 'members must be an array of aadUserConversationMember.');
		/** @type {Map<string, string[]>} */
		const roster = new Map();
		for (const member of members) {
			if (String(member?.['@odata.type'] ?? '').replace(/^#/, '') !== 'microsoft.graph.aadUserConversationMember') throw httpError(400, 'BadRequest', "Each member needs \"@odata.type\": \"#microsoft.graph.aadUserConversationMember\".");
			roster.set(userFromBind(env.state, member['user@odata.bind'], auth.tenantId).id, memberRoles(member.roles));
		}
		if (!auth.appOnly) roster.set(/** @type {string} */ (auth.userId), ['owner']);
		if (![...roster.values()].some((roles) => roles.includes('owner'))) {
			throw httpError(400, 'BadRequest', 'A team created with application permissions needs an owner: add a member with roles ["owner"] (user@odata.bind).');
		}
		const channels = Array.isArray(input.channels) ? input.channels : [];
		for (const channel of channels) checkChannelName(channel?.displayName);
		const team = store.addTeam({
			tenantId: auth.tenantId, displayName: input.displayName.trim(), description: typeof input.description === 'string' ? input.description : null,
			visibility: visibilityOf(input.visibility, 'public'), members: [...roster].map(([userId, roles]) => ({ userId, roles })), ready: false,
		});
		applySettings(input, team);
		for (const channel of channels) {
			store.addChannel(team, { displayName: channel.displayName.trim(), description: channel.description ?? null, isFavoriteByDefault: channel.isFavoriteByDefault ?? null }, { quiet: true });
		}
		const operation = store.addOperation(team.id, 'createTeam', env.timing, () => {
			team.ready = true;
			store.teamChanged(team, 'created');
		});
		return ctx.send(202, null, {
			'content-type': 'application/json',
			location: `/teams('${team.id}')/operations('${operation.id}')`,
			'content-location': `/teams('${team.id}')`,
		});
	});

	router.add('GET', '/v1.0/teams/:teamId/operations/:operationId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.teamRead);
		const operation = store.operations.get(ctx.params.operationId);
		const team = store.teams.get(ctx.params.teamId.toLowerCase());
		if (!operation || !team || operation.teamId !== team.id || team.tenantId !== auth.tenantId) throw httpError(404, 'NotFound', `Operation ${ctx.params.operationId} was not found.`);
		if (!auth.appOnly && !team.members.has(/** @type {string} */ (auth.userId))) throw FORBIDDEN();
		store.pollOperation(operation);
		return ctx.json(200, { '@odata.context': context(ctx, `teams('${team.id}')/operations/$entity`), ...operationJson(operation) });
	});

	router.add('GET', '/v1.0/teams/:teamId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.teamRead);
		const team = lookups.team(auth, ctx.params.teamId);
		return ctx.json(200, { '@odata.context': context(ctx, 'teams/$entity'), ...applySelect(teamJson(team), ctx.query.$select, 'team') });
	});

	router.add('PATCH', '/v1.0/teams/:teamId', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.teamWrite);
		const team = lookups.team(auth, ctx.params.teamId);
		if (!isTeamOwner(team, auth)) throw FORBIDDEN();
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) {
			if (!TEAM_PATCHABLE.includes(key) && !key.startsWith('@odata')) throw httpError(400, 'BadRequest', `Property '${key}' cannot be updated on a team.`);
		}
		if (input.displayName !== undefined && (typeof input.displayName !== 'string' || input.displayName.trim() === '')) throw httpError(400, 'BadRequest', 'displayName cannot be empty.');
		const visibility = visibilityOf(input.visibility, team.visibility);
		applySettings(input, team);
		if (input.displayName !== undefined) team.displayName = input.displayName.trim();
		if (input.description !== undefined) team.description = input.description;
		team.visibility = visibility;
		if (input.classification !== undefined) team.classification = input.classification;
		store.teamChanged(team);
		return ctx.send(204, null);
	});

	for (const action of ['archive', 'unarchive']) {
		router.add('POST', `/v1.0/teams/:teamId/${action}`, async (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.teamWrite);
			const team = lookups.team(auth, ctx.params.teamId);
			if (!isTeamOwner(team, auth)) throw FORBIDDEN();
			const raw = await ctx.readBody(64 * 1024);
			if (raw.length > 0) {
				let input;
				try {
					input = JSON.parse(raw.toString('utf8'));
				} catch {
					throw httpError(400, 'BadRequest', 'Unable to read JSON request payload.');
				}
				if (input?.shouldSetSpoSiteReadOnlyForMembers !== undefined && typeof input.shouldSetSpoSiteReadOnlyForMembers !== 'boolean') {
					throw httpError(400, 'BadRequest', 'shouldSetSpoSiteReadOnlyForMembers must be a boolean.');
				}
			}
			const operation = store.addOperation(team.id, `${action}Team`, env.timing, () => {
				team.isArchived = action === 'archive';
				store.teamChanged(team);
			});
			return ctx.send(202, null, { 'content-type': 'application/json', location: `/teams('${team.id}')/operations('${operation.id}')` });
		});
	}

	registerChannelRoutes(router, env, context);
}

/**
 * @param {import('../router').Router} router @param {TeamsEnv} env
 * @param {(ctx: Context, tail: string) => string} context
 */
function registerChannelRoutes(router, env, context) {
	const { teams: store, lookups } = env;
	/** @param {Channel} channel @param {Team} team */
	const json = (channel, team) => channelJson(channel, team, env.domainOf(team.tenantId));

	router.add('GET', '/v1.0/teams/:teamId/channels', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelRead);
		const team = lookups.team(auth, ctx.params.teamId);
		/** @type {(channel: Channel) => boolean} */
		let filter = () => true;
		if (ctx.query.$filter) {
			const m = /^membershipType\s+eq\s+'(standard|private|shared)'$/i.exec(ctx.query.$filter.trim());
			if (!m) throw httpError(400, 'BadRequest', `Invalid filter clause: channels can be filtered by membershipType eq 'standard' | 'private' | 'shared' only: '${ctx.query.$filter}'.`);
			const type = m[1].toLowerCase();
			filter = (c) => c.membershipType === type;
		}
		const list = [...team.channels.values()].filter((c) => canSeeChannel(c, auth) && filter(c));
		return ctx.json(200, collection(context(ctx, `teams('${team.id}')/channels`), list.map((c) => applySelect(json(c, team), ctx.query.$select, 'channel')), null, list.length));
	});

	router.add('POST', '/v1.0/teams/:teamId/channels', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelCreate);
		const team = lookups.team(auth, ctx.params.teamId);
		if (team.isArchived) throw httpError(403, 'Forbidden', 'The team is archived: channels cannot be created.');
		if (!auth.appOnly && !isTeamOwner(team, auth) && !team.settings.memberSettings.allowCreateUpdateChannels) throw FORBIDDEN();
		const input = await readObject(ctx);
		const displayName = checkChannelName(input.displayName);
		if ([...team.channels.values()].some((c) => c.displayName.toLowerCase() === displayName.toLowerCase())) {
			throw httpError(400, 'BadRequest', 'Channel name already existed, please use other name.');
		}
		const type = String(input.membershipType ?? 'standard');
		if (!['standard', 'private', 'shared'].includes(type)) throw httpError(400, 'BadRequest', `Invalid membershipType '${type}': use standard, private or shared.`);
		/** @type {Array<{ userId: string, roles: string[] }>} */
		const members = [];
		if (type === 'standard') {
			if (input.members !== undefined) throw httpError(400, 'BadRequest', 'Members can be given only for private and shared channels (a standard channel has the team\'s members).');
		} else {
			const list = Array.isArray(input.members) ? input.members : input.members === undefined ? [] : null;
			if (!list) throw httpError(400, 'BadRequest', 'members must be an array of aadUserConversationMember.');
			for (const member of list) {
				if (String(member?.['@odata.type'] ?? '').replace(/^#/, '') !== 'microsoft.graph.aadUserConversationMember') throw httpError(400, 'BadRequest', "Each member needs \"@odata.type\": \"#microsoft.graph.aadUserConversationMember\".");
				const user = userFromBind(env.state, member['user@odata.bind'], auth.tenantId);
				if (!team.members.has(user.id)) throw httpError(400, 'BadRequest', `User ${user.id} is not a member of the team; add them to the team first.`);
				members.push({ userId: user.id, roles: memberRoles(member.roles) });
			}
			if (!auth.appOnly && !members.some((m) => m.userId === auth.userId)) members.push({ userId: /** @type {string} */ (auth.userId), roles: ['owner'] });
			if (!auth.appOnly) for (const m of members) if (m.userId === auth.userId && !m.roles.includes('owner')) m.roles = ['owner'];
			if (!members.some((m) => m.roles.includes('owner'))) {
				throw httpError(400, 'BadRequest', `A ${type} channel created with application permissions needs an owner in members (roles ["owner"]).`);
			}
		}
		const channel = store.addChannel(team, {
			displayName, description: typeof input.description === 'string' ? input.description : null, membershipType: /** @type {'standard' | 'private' | 'shared'} */ (type),
			isFavoriteByDefault: typeof input.isFavoriteByDefault === 'boolean' ? input.isFavoriteByDefault : null, members,
		});
		return ctx.json(201, { '@odata.context': context(ctx, `teams('${team.id}')/channels/$entity`), ...json(channel, team) });
	});

	router.add('GET', '/v1.0/teams/:teamId/primaryChannel', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelRead);
		const team = lookups.team(auth, ctx.params.teamId);
		const channel = /** @type {Channel} */ (team.channels.get(team.primaryChannelId));
		return ctx.json(200, { '@odata.context': context(ctx, `teams('${team.id}')/primaryChannel/$entity`), ...applySelect(json(channel, team), ctx.query.$select, 'channel') });
	});

	router.add('GET', '/v1.0/teams/:teamId/channels/:channelId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelRead);
		const team = lookups.team(auth, ctx.params.teamId);
		const channel = lookups.channel(auth, team, ctx.params.channelId);
		return ctx.json(200, { '@odata.context': context(ctx, `teams('${team.id}')/channels/$entity`), ...applySelect(json(channel, team), ctx.query.$select, 'channel') });
	});

	router.add('PATCH', '/v1.0/teams/:teamId/channels/:channelId', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelWrite);
		const team = lookups.team(auth, ctx.params.teamId);
		const channel = lookups.channel(auth, team, ctx.params.channelId);
		if (!auth.appOnly && !isTeamOwner(team, auth) && !team.settings.memberSettings.allowCreateUpdateChannels) throw FORBIDDEN();
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) {
			if (!['displayName', 'description', 'isFavoriteByDefault'].includes(key) && !key.startsWith('@odata')) throw httpError(400, 'BadRequest', `Property '${key}' cannot be updated on a channel.`);
		}
		if (input.displayName !== undefined) {
			const name = checkChannelName(input.displayName);
			if (channel.id === team.primaryChannelId && name !== channel.displayName) throw httpError(400, 'BadRequest', 'The General channel cannot be renamed.');
			if ([...team.channels.values()].some((c) => c !== channel && c.displayName.toLowerCase() === name.toLowerCase())) throw httpError(400, 'BadRequest', 'Channel name already existed, please use other name.');
			channel.displayName = name;
		}
		if (input.description !== undefined) channel.description = input.description;
		if (input.isFavoriteByDefault !== undefined) channel.isFavoriteByDefault = Boolean(input.isFavoriteByDefault);
		store.channelUpdated(team, channel);
		return ctx.send(204, null);
	});

	router.add('DELETE', '/v1.0/teams/:teamId/channels/:channelId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelDelete);
		const team = lookups.team(auth, ctx.params.teamId);
		const channel = lookups.channel(auth, team, ctx.params.channelId);
		if (channel.id === team.primaryChannelId) throw httpError(400, 'BadRequest', 'The General channel cannot be deleted.');
		if (!auth.appOnly && !isTeamOwner(team, auth) && !team.settings.memberSettings.allowDeleteChannels) throw FORBIDDEN();
		store.removeChannel(team, channel);
		return ctx.send(204, null);
	});
}

module.exports = { registerTeamRoutes, checkChannelName };
