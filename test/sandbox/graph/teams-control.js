// @ts-check
'use strict';

/**
 * `/_sandbox/teams/*` (api host, no auth, local only): the `sandbox.teams` helpers over HTTP for tests that run n8n in
 * another process. JSON in, JSON out; `{team}` is a team id or display name, `{channel}` a channel id or name, `{chat}`
 * a chat id or topic, users ids or UPNs. Helper errors (unknown names) are 400.
 *
 *   GET    /_sandbox/teams                                   every team (ids, channels, members)
 *   POST   /_sandbox/teams                                   { displayName, owner, members?, description?, visibility? } → the team
 *   GET|POST /_sandbox/teams/chats                           chats (?user=) / { chatType?, members: [users], topic? }
 *   GET|POST /_sandbox/teams/chats/{chat}/messages           messages / post { from, content, contentType? } (notifies)
 *   GET|DELETE /_sandbox/teams/subscriptions                 { live, ended } / delete all, clear logs, reset clock and timing
 *   GET|DELETE /_sandbox/teams/subscriptions/{id}            one / remove it (subscriptionRemoved lifecycle notification)
 *   POST   /_sandbox/teams/subscriptions/{id}/lifecycle      { event: reauthorizationRequired | subscriptionRemoved | missed }
 *   POST   /_sandbox/teams/subscriptions/{id}/expire         ends it now
 *   GET|DELETE /_sandbox/teams/deliveries                    ?subscriptionId=&kind=&state=&changeType= / clear
 *   GET    /_sandbox/teams/validations                       validation handshakes made
 *   GET|PUT /_sandbox/teams/subscription-clock               { maxLifetimeMs, reauthorizeBeforeMs } (PUT merges; null = Graph's)
 *   GET|PUT /_sandbox/teams/delivery-settings                { validationTimeoutMs, timeoutMs, retryDelaysMs }
 *   GET|PUT /_sandbox/teams/async-timing                     { pollsInProgress, readyAfterMs }
 *   POST   /_sandbox/teams/meeting-policies                  { appId, user? } (no user: every user); DELETE …/{appId}
 *   GET    /_sandbox/teams/planner/tasks                     ?plan=   PATCH …/planner/tasks/{id} { title?, percentComplete?, priority? }
 *   GET    /_sandbox/teams/{team}                            the team
 *   POST   /_sandbox/teams/{team}/archive                    { archived = true }
 *   POST   /_sandbox/teams/{team}/channels                   { displayName, membershipType?, members? }
 *   POST   /_sandbox/teams/{team}/members                    { user, roles?, channel? };  DELETE …/members/{user}[?channel=]
 *   GET|POST /_sandbox/teams/{team}/channels/{channel}/messages     messages / post { from, content, contentType?, subject?,
 *                                                             importance?, mentions?, attachments?, replyTo? } (notifies),
 *                                                             or { count, from, content? } old messages, quietly → { ids }
 *   PATCH|DELETE /_sandbox/teams/{team}/channels/{channel}/messages/{id}   edit { content } / soft delete (notify)
 */

const { httpError } = require('../router');

const PLAIN = { 'content-type': 'application/json; charset=utf-8' };

/** @param {import('../router').Router} router @param {ReturnType<typeof import('./teams-api').createTeamsApi>} api */
function registerTeamsControl(router, api) {
	/** @template T @param {() => T} fn @returns {T} */
	const attempt = (fn) => {
		try {
			return fn();
		} catch (error) {
			if (error && typeof error === 'object' && 'status' in error) throw error;
			throw httpError(400, 'BadRequest', error instanceof Error ? error.message : String(error));
		}
	};
	/** @param {import('../router').Context} ctx */
	const body = async (ctx) => (await ctx.readJson()) ?? {};
	/** @param {import('../router').Context} ctx @param {unknown} value @param {number} [status] */
	const reply = (ctx, value, status = 200) => ctx.json(status, value, PLAIN);
	const base = '/_sandbox/teams';

	router.add('GET', base, (ctx) => reply(ctx, api.listTeams()));
	router.add('POST', base, async (ctx) => {
		const spec = await body(ctx);
		return reply(ctx, attempt(() => api.createTeam(spec)), 201);
	});
	router.add('GET', `${base}/chats`, (ctx) => reply(ctx, attempt(() => api.chats(ctx.query.user))));
	router.add('POST', `${base}/chats`, async (ctx) => {
		const spec = await body(ctx);
		return reply(ctx, attempt(() => api.createChat(spec)), 201);
	});
	router.add('GET', `${base}/chats/:chat/messages`, (ctx) => reply(ctx, attempt(() => api.chatMessages(ctx.params.chat))));
	router.add('POST', `${base}/chats/:chat/messages`, async (ctx) => {
		const spec = await body(ctx);
		return reply(ctx, attempt(() => api.postChatMessage(ctx.params.chat, spec)), 201);
	});

	router.add('GET', `${base}/subscriptions`, (ctx) => reply(ctx, { live: api.subscriptions(), ended: api.endedSubscriptions() }));
	router.add('DELETE', `${base}/subscriptions`, (ctx) => {
		api.resetSubscriptions();
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/subscriptions/:id`, (ctx) => {
		const sub = api.subscription(ctx.params.id);
		return sub ? reply(ctx, sub) : ctx.error(404, 'NotFound', 'No live subscription with that id.');
	});
	router.add('DELETE', `${base}/subscriptions/:id`, (ctx) => reply(ctx, { lifecycleNotification: attempt(() => api.removeSubscription(ctx.params.id)) }));
	router.add('POST', `${base}/subscriptions/:id/lifecycle`, async (ctx) => {
		const { event } = await body(ctx);
		if (!['reauthorizationRequired', 'subscriptionRemoved', 'missed'].includes(event)) throw httpError(400, 'BadRequest', 'event must be reauthorizationRequired, subscriptionRemoved or missed.');
		if (event === 'subscriptionRemoved') return reply(ctx, attempt(() => api.removeSubscription(ctx.params.id)), 201);
		return reply(ctx, attempt(() => api.sendLifecycle(ctx.params.id, event)), 201);
	});
	router.add('POST', `${base}/subscriptions/:id/expire`, (ctx) => {
		attempt(() => api.expireSubscription(ctx.params.id));
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/deliveries`, (ctx) => {
		const { subscriptionId, kind, state, changeType, lifecycleEvent } = ctx.query;
		return reply(ctx, api.deliveries(/** @type {any} */ ({ subscriptionId, kind, state, changeType, lifecycleEvent })));
	});
	router.add('DELETE', `${base}/deliveries`, (ctx) => {
		api.clearDeliveries();
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/validations`, (ctx) => reply(ctx, api.validations()));

	/** @param {string} path @param {() => Record<string, any>} get @param {(value: Record<string, any>) => void} set */
	const settingsRoute = (path, get, set) => {
		router.add('GET', `${base}/${path}`, (ctx) => reply(ctx, get()));
		router.add('PUT', `${base}/${path}`, async (ctx) => {
			const value = await body(ctx);
			for (const key of Object.keys(value)) if (!(key in get())) throw httpError(400, 'BadRequest', `Unknown setting '${key}' (${Object.keys(get()).join(', ')}).`);
			set(value);
			return reply(ctx, get());
		});
	};
	settingsRoute('subscription-clock', () => api.subscriptionClock, (v) => (api.subscriptionClock = /** @type {any} */ (v)));
	settingsRoute('delivery-settings', () => api.deliverySettings, (v) => (api.deliverySettings = /** @type {any} */ (v)));
	settingsRoute('async-timing', () => api.asyncTiming, (v) => Object.assign(api.asyncTiming, v));

	router.add('POST', `${base}/meeting-policies`, async (ctx) => {
		const { appId, user } = await body(ctx);
		if (typeof appId !== 'string') throw httpError(400, 'BadRequest', 'appId is required.');
		attempt(() => api.grantMeetingPolicy(appId, user));
		return ctx.send(204, null);
	});
	router.add('DELETE', `${base}/meeting-policies/:appId`, (ctx) => {
		api.revokeMeetingPolicy(ctx.params.appId);
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/planner/tasks`, (ctx) => reply(ctx, api.tasks(ctx.query.plan)));
	router.add('PATCH', `${base}/planner/tasks/:id`, async (ctx) => {
		const changes = await body(ctx);
		return reply(ctx, attempt(() => api.updateTask(ctx.params.id, changes)));
	});

	router.add('GET', `${base}/:team`, (ctx) => reply(ctx, attempt(() => api.team(ctx.params.team))));
	router.add('POST', `${base}/:team/archive`, async (ctx) => {
		const { archived } = await body(ctx);
		return reply(ctx, attempt(() => api.archiveTeam(ctx.params.team, archived ?? true)));
	});
	router.add('POST', `${base}/:team/channels`, async (ctx) => {
		const spec = await body(ctx);
		return reply(ctx, attempt(() => api.addChannel(ctx.params.team, spec)), 201);
	});
	router.add('POST', `${base}/:team/members`, async (ctx) => {
		const { user, roles, channel } = await body(ctx);
		return reply(ctx, attempt(() => api.addMember(ctx.params.team, String(user), roles ?? [], channel)), 201);
	});
	router.add('DELETE', `${base}/:team/members/:user`, (ctx) => reply(ctx, attempt(() => api.removeMember(ctx.params.team, ctx.params.user, ctx.query.channel))));
	router.add('GET', `${base}/:team/channels/:channel/messages`, (ctx) => reply(ctx, attempt(() => api.messages(ctx.params.team, ctx.params.channel))));
	router.add('POST', `${base}/:team/channels/:channel/messages`, async (ctx) => {
		const { count, ...spec } = await body(ctx);
		if (count !== undefined) return reply(ctx, { ids: attempt(() => api.seedMessages(ctx.params.team, ctx.params.channel, Number(count), spec)) }, 201);
		return reply(ctx, attempt(() => api.postMessage(ctx.params.team, ctx.params.channel, spec)), 201);
	});
	router.add('PATCH', `${base}/:team/channels/:channel/messages/:id`, async (ctx) => {
		const change = await body(ctx);
		return reply(ctx, attempt(() => api.editMessage(ctx.params.team, ctx.params.channel, ctx.params.id, change)));
	});
	router.add('DELETE', `${base}/:team/channels/:channel/messages/:id`, (ctx) => reply(ctx, attempt(() => api.deleteMessage(ctx.params.team, ctx.params.channel, ctx.params.id))));
}

module.exports = { registerTeamsControl };
