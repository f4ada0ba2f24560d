// @ts-check
'use strict';

/**
 * `sandbox.teams`: helpers for tests (typed as SandboxTeams in index.d.ts; over HTTP as `/_sandbox/teams/*`,
 * teams-control.js). A team is named by id or display name, a channel by id or display name, a user by id or UPN,
 * a chat by id or topic. Changes made here behave like a user's in Teams: they raise change notifications (except
 * `seedMessages`, which puts old messages in place quietly). Helpers throw plain Errors for unknown names.
 */

const { parseNewMessage, parseBody } = require('./teams-content');
const { messageJson, chatJson } = require('./teams-json');
const { taskJson } = require('./planner-routes');
const { meetingJson } = require('./meetings-routes');

/**
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('./teams-store').Chat} Chat
 * @typedef {import('./teams-store').Message} Message
 * @typedef {import('./subscriptions-delivery').Delivery} Delivery
 * @typedef {{ from: string, content: string, contentType?: 'text' | 'html', subject?: string | null, importance?: string,
 *   mentions?: any[], attachments?: any[] }} MessageSpec
 * @typedef {{ subscriptionId?: string, kind?: 'notification' | 'lifecycle', state?: Delivery['state'], changeType?: string,
 *   lifecycleEvent?: string }} DeliveryFilter
 */

/**
 * @param {{ state: any, teams: import('./teams-store').TeamsStore, planner: import('./planner-store').PlannerStore,
 *   meetings: import('./meetings-routes').MeetingStore, engine: import('./subscriptions-store').SubscriptionEngine,
 *   delivery: ReturnType<typeof import('./subscriptions-delivery').createDelivery>, timing: { pollsInProgress: number, readyAfterMs: number } }} parts
 */
function createTeamsApi(parts) {
	const { state, teams: store, planner, meetings, engine, delivery, timing } = parts;
	const directory = { findUser: (/** @type {string} */ id) => state.findUser(id) };

	/** @param {string} name @returns {Team} */
	const teamOf = (name) => {
		const key = String(name).toLowerCase();
		const team = store.teams.get(key) ?? [...store.teams.values()].find((t) => t.displayName.toLowerCase() === key);
		if (!team) throw new Error(`sandbox.teams: no team "${name}"`);
		return team;
	};
	/** @param {Team} team @param {string} name @returns {Channel} */
	const channelOf = (team, name) => {
		const key = String(name).toLowerCase();
		const channel = [...team.channels.values()].find((c) => c.id.toLowerCase() === key || c.displayName.toLowerCase() === key);
		if (!channel) throw new Error(`sandbox.teams: no channel "${name}" in ${team.displayName}`);
		return channel;
	};
	/** @param {string} name */
	const userOf = (name) => {
		const user = state.findUser(name);
		if (!user) throw new Error(`sandbox.teams: no user "${name}"`);
		return user;
	};
	/** @param {string} name @returns {Chat} */
	const chatOf = (name) => {
		const chat = store.chats.get(name) ?? [...store.chats.values()].find((c) => c.topic === name || c.id.toLowerCase() === String(name).toLowerCase());
		if (!chat) throw new Error(`sandbox.teams: no chat "${name}"`);
		return chat;
	};
	/** @param {Team} team */
	const teamSummary = (team) => ({
		id: team.id, displayName: team.displayName, tenantId: team.tenantId, isArchived: team.isArchived, ready: team.ready,
		generalChannelId: team.primaryChannelId, members: [...team.members.values()].map((m) => ({ userId: m.userId, roles: [...m.roles] })),
		channels: [...team.channels.values()].map(channelSummary),
	});
	/** @param {Channel} channel */
	const channelSummary = (channel) => ({
		id: channel.id, teamId: channel.teamId, displayName: channel.displayName, membershipType: channel.membershipType,
		members: [...channel.members.values()].map((m) => ({ userId: m.userId, roles: [...m.roles] })),
	});
	/** @param {Message} message */
	const json = (message) => messageJson(directory, message);
	/** A message spec → store fields (through the same content rules as Graph). @param {MessageSpec} spec @param {string} tenantId */
	const fieldsOf = (spec, tenantId) => {
		const user = userOf(spec.from);
		const fields = parseNewMessage({ ...spec, body: { contentType: spec.contentType ?? 'html', content: spec.content } }, directory, tenantId);
		return { fromUserId: user.id, ...fields };
	};
	/** @param {DeliveryFilter} [filter] */
	const matching = (filter = {}) => (/** @type {Delivery} */ d) => (!filter.subscriptionId || d.subscriptionId === filter.subscriptionId) && (!filter.kind || d.kind === filter.kind)
		&& (!filter.state || d.state === filter.state) && (!filter.changeType || d.changeType === filter.changeType) && (!filter.lifecycleEvent || d.lifecycleEvent === filter.lifecycleEvent);
	/** @param {string} id */
	const subOf = (id) => {
		const sub = engine.get(id);
		if (!sub) throw new Error(`sandbox.teams: no live subscription "${id}"`);
		return sub;
	};

	const api = {
		store,
		planner,
		engine,
		/** Team creation and archiving: operations stay inProgress for `pollsInProgress` polls or `readyAfterMs`, whichever ends first. */
		asyncTiming: timing,
		listTeams() {
			return [...store.teams.values()].map(teamSummary);
		},
		/** @param {string} team */
		team(team) {
			return teamSummary(teamOf(team));
		},
		/** @param {string} team @param {string} channel */
		channel(team, channel) {
			return channelSummary(channelOf(teamOf(team), channel));
		},
		/**
		 * A team made at once (no async operation), as if created in Teams: General channel, members.
		 * @param {{ displayName: string, owner: string, members?: string[], description?: string, visibility?: 'private' | 'public' }} spec
		 */
		createTeam(spec) {
			const owner = userOf(spec.owner);
			const team = store.addTeam({
				tenantId: owner.tenant, displayName: spec.displayName, description: spec.description ?? null, visibility: spec.visibility ?? 'public',
				members: [{ userId: owner.id, roles: ['owner'] }, ...(spec.members ?? []).map((m) => ({ userId: userOf(m).id, roles: [] }))],
			});
			store.teamChanged(team, 'created');
			return teamSummary(team);
		},
		/** @param {string} team @param {boolean} [archived] */
		archiveTeam(team, archived = true) {
			const t = teamOf(team);
			t.isArchived = archived;
			store.teamChanged(t);
			return teamSummary(t);
		},
		/** @param {string} team @param {{ displayName: string, description?: string, membershipType?: 'standard' | 'private' | 'shared', members?: Array<string | { user: string, roles?: string[] }> }} spec */
		addChannel(team, spec) {
			const t = teamOf(team);
			const members = (spec.members ?? []).map((m) => (typeof m === 'string' ? { userId: userOf(m).id, roles: ['owner'] } : { userId: userOf(m.user).id, roles: m.roles ?? [] }));
			return channelSummary(store.addChannel(t, { displayName: spec.displayName, description: spec.description ?? null, membershipType: spec.membershipType ?? 'standard', members }));
		},
		/** Adds a member to a team (or a private/shared channel) or changes their roles. @param {string} team @param {string} user @param {string[]} [roles] @param {string} [channel] */
		addMember(team, user, roles = [], channel) {
			const t = teamOf(team);
			const u = userOf(user);
			const where = channel ? { kind: /** @type {const} */ ('channel'), team: t, channel: channelOf(t, channel) } : { kind: /** @type {const} */ ('team'), team: t };
			store.setMember(where, u.id, roles);
			return teamSummary(t);
		},
		/** @param {string} team @param {string} user @param {string} [channel] */
		removeMember(team, user, channel) {
			const t = teamOf(team);
			const where = channel ? { kind: /** @type {const} */ ('channel'), team: t, channel: channelOf(t, channel) } : { kind: /** @type {const} */ ('team'), team: t };
			if (!store.removeMember(where, userOf(user).id)) throw new Error(`sandbox.teams: ${user} is not a member`);
			return teamSummary(t);
		},
		/** Every message and reply of a channel (Graph JSON), newest first. @param {string} team @param {string} channel */
		messages(team, channel) {
			return [...channelOf(teamOf(team), channel).messages.values()].sort((a, b) => Number(b.id) - Number(a.id)).map(json);
		},
		/** @param {string} team @param {string} channel @param {string} id */
		message(team, channel, id) {
			const found = channelOf(teamOf(team), channel).messages.get(id);
			return found ? json(found) : null;
		},
		/**
		 * Posts as a user, behind the node's back (notifications follow). `contentType` defaults to html.
		 * @param {string} team @param {string} channel @param {MessageSpec & { replyTo?: string }} spec
		 */
		postMessage(team, channel, spec) {
			const t = teamOf(team);
			const c = channelOf(t, channel);
			const replyTo = spec.replyTo ? c.messages.get(spec.replyTo) : undefined;
			if (spec.replyTo && (!replyTo || replyTo.replyToId !== null)) throw new Error(`sandbox.teams: no top-level message ${spec.replyTo}`);
			return json(store.addMessage({ kind: 'channel', team: t, channel: c, replyTo }, fieldsOf(spec, t.tenantId)));
		},
		/**
		 * `count` old messages "{content} 00001"… one minute apart up to now, without notifications → ids, oldest first.
		 * @param {string} team @param {string} channel @param {number} count @param {{ from: string, content?: string }} spec
		 */
		seedMessages(team, channel, count, spec) {
			const t = teamOf(team);
			const c = channelOf(t, channel);
			const user = userOf(spec.from);
			const newest = Date.now() - 1000;
			const width = Math.max(5, String(count).length);
			const ids = [];
			for (let n = 1; n <= count; n += 1) {
				const at = new Date(newest - (count - n) * 60000).toISOString();
				const body = { contentType: /** @type {const} */ ('text'), content: `${spec.content ?? 'Message'} ${String(n).padStart(width, '0')}` };
				ids.push(store.addMessage({ kind: 'channel', team: t, channel: c }, { fromUserId: user.id, body, createdDateTime: at }, { quiet: true }).id);
			}
			return ids;
		},
		/** Edits as its sender would. @param {string} team @param {string} channel @param {string} id @param {{ content: string, contentType?: 'text' | 'html' }} change */
		editMessage(team, channel, id, change) {
			const message = channelOf(teamOf(team), channel).messages.get(id);
			if (!message) throw new Error(`sandbox.teams: no message ${id}`);
			message.body = parseBody({ contentType: change.contentType ?? message.body.contentType, content: change.content });
			store.messageChanged(message, 'updated');
			message.lastEditedDateTime = message.lastModifiedDateTime;
			return json(message);
		},
		/** Soft-deletes as its sender would. @param {string} team @param {string} channel @param {string} id */
		deleteMessage(team, channel, id) {
			const message = channelOf(teamOf(team), channel).messages.get(id);
			if (!message) throw new Error(`sandbox.teams: no message ${id}`);
			store.messageChanged(message, 'deleted');
			message.deletedDateTime = message.lastModifiedDateTime;
			return json(message);
		},
		/** Chats (of a user, or all), Graph JSON with members. @param {string} [user] */
		chats(user) {
			const id = user ? userOf(user).id : null;
			return [...store.chats.values()].filter((c) => !id || c.members.has(id)).map((c) => chatJson(directory, c, null, { members: true }));
		},
		/** @param {string} chat */
		chat(chat) {
			return chatJson(directory, chatOf(chat), null, { members: true });
		},
		/** @param {{ chatType?: 'oneOnOne' | 'group', members: string[], topic?: string }} spec */
		createChat(spec) {
			const users = spec.members.map(userOf);
			const chatType = spec.chatType ?? (users.length === 2 && !spec.topic ? 'oneOnOne' : 'group');
			const existing = chatType === 'oneOnOne' ? store.findOneOnOne(users[0].tenant, users[0].id, users[1]?.id) : undefined;
			const chat = existing ?? store.addChat({ tenantId: users[0].tenant, chatType, topic: spec.topic ?? null, members: users.map((u) => ({ userId: u.id, roles: ['owner'] })) });
			return chatJson(directory, chat, null, { members: true });
		},
		/** @param {string} chat */
		chatMessages(chat) {
			return [...chatOf(chat).messages.values()].sort((a, b) => Number(b.id) - Number(a.id)).map(json);
		},
		/** Posts in a chat as a member, behind the node's back. @param {string} chat @param {MessageSpec} spec */
		postChatMessage(chat, spec) {
			const c = chatOf(chat);
			return json(store.addMessage({ kind: 'chat', chat: c }, { ...fieldsOf(spec, c.tenantId), subject: null }));
		},
		/** Plans (Graph JSON without context). */
		plans() {
			return [...planner.plans.values()].map((p) => ({ id: p.id, title: p.title, groupId: p.groupId, etag: planner.etag(p) }));
		},
		/** Tasks of a plan (or all), Graph JSON with @odata.etag. @param {string} [planId] */
		tasks(planId) {
			return [...planner.tasks.values()].filter((t) => !planId || t.planId === planId).map((t) => taskJson(planner, t));
		},
		/** @param {string} idOrTitle */
		task(idOrTitle) {
			const task = planner.tasks.get(idOrTitle) ?? [...planner.tasks.values()].find((t) => t.title === idOrTitle);
			return task ? taskJson(planner, task) : null;
		},
		/** Changes a task behind the node's back (its etag changes). @param {string} id @param {{ title?: string, percentComplete?: number, priority?: number }} changes */
		updateTask(id, changes) {
			const task = planner.tasks.get(id);
			if (!task) throw new Error(`sandbox.teams: no task ${id}`);
			Object.assign(task, changes);
			planner.touch(task, Object.keys(changes));
			return taskJson(planner, task);
		},
		/** Online meetings organised by a user (Graph JSON). @param {string} user */
		meetings(user) {
			const id = userOf(user).id;
			return [...meetings.meetings.values()].filter((m) => m.organizerId === id).map((m) => meetingJson(m, directory.findUser));
		},
		/** An application access policy: lets `appId` use app-only online-meeting APIs for a user (or every user). @param {string} appId @param {string} [user] */
		grantMeetingPolicy(appId, user) {
			const key = appId.toLowerCase();
			if (!user) meetings.policies.set(key, 'global');
			else {
				const current = meetings.policies.get(key);
				const set = current instanceof Set ? current : new Set();
				set.add(userOf(user).id);
				if (current !== 'global') meetings.policies.set(key, set);
			}
		},
		/** @param {string} appId */
		revokeMeetingPolicy(appId) {
			meetings.policies.delete(appId.toLowerCase());
		},
		/** Live subscriptions (Graph JSON). */
		subscriptions() {
			return engine.list().map((s) => engine.json(s));
		},
		/** @param {string} id */
		subscription(id) {
			const sub = engine.get(id);
			return sub ? engine.json(sub) : null;
		},
		/** Subscriptions that ended: expired, deleted (DELETE) or removed (subscriptionRemoved). */
		endedSubscriptions() {
			return engine.ended.map((e) => ({ ...e }));
		},
		/** Deliveries (notifications and lifecycle notifications) with their attempts, oldest first. @param {DeliveryFilter} [filter] */
		deliveries(filter) {
			return delivery.log.filter(matching(filter)).map((d) => structuredClone(d));
		},
		clearDeliveries() {
			delivery.log.length = 0;
		},
		/**
		 * Resolves once `count` deliveries match the filter and have finished (delivered, failed or dropped); rejects after `timeoutMs`.
		 * @param {DeliveryFilter} [filter] @param {{ count?: number, timeoutMs?: number }} [options]
		 */
		waitForDeliveries(filter = {}, options = {}) {
			const count = options.count ?? 1;
			const finished = () => delivery.log.filter(matching(filter)).filter((d) => d.state !== 'pending');
			return new Promise((resolve, reject) => {
				const check = () => {
					const done = finished();
					if (done.length < count) return false;
					stop();
					clearTimeout(timer);
					resolve(done.map((d) => structuredClone(d)));
					return true;
				};
				const stop = delivery.watch(() => void check());
				const timer = setTimeout(() => {
					stop();
					reject(new Error(`sandbox.teams: ${finished().length} of ${count} deliveries matching ${JSON.stringify(filter)} finished within ${options.timeoutMs ?? 5000} ms`));
				}, options.timeoutMs ?? 5000);
				check();
			});
		},
		/** Sends a lifecycle notification now. @param {string} id @param {'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'} event */
		sendLifecycle(id, event) {
			return structuredClone(engine.lifecycle(subOf(id), event));
		},
		/** Graph drops the subscription: a subscriptionRemoved lifecycle notification (when it has a lifecycle URL), then it is gone. @param {string} id */
		removeSubscription(id) {
			const sub = subOf(id);
			const sent = sub.lifecycleNotificationUrl ? structuredClone(engine.lifecycle(sub, 'subscriptionRemoved')) : null;
			engine.remove(sub, 'removed');
			return sent;
		},
		/** Ends a subscription now, as if its expirationDateTime had passed. @param {string} id */
		expireSubscription(id) {
			const sub = subOf(id);
			sub.expiration = Date.now();
			engine.remove(sub, 'expired');
		},
		/** Deletes every subscription and the delivery log; restores the clock and the delivery timing. */
		resetSubscriptions() {
			for (const sub of [...engine.subscriptions.values()]) engine.remove(sub, 'deleted');
			engine.ended.length = 0;
			delivery.log.length = 0;
			delivery.validations.length = 0;
			Object.assign(engine.clock, { maxLifetimeMs: null, reauthorizeBeforeMs: null });
			delivery.resetSettings();
		},
		/** Validation handshakes made (url, ok, reason). */
		validations() {
			return delivery.validations.map((v) => ({ ...v }));
		},
		/** `{ maxLifetimeMs, reauthorizeBeforeMs }` (null = Graph's); assigning merges. */
		get subscriptionClock() {
			return engine.clock;
		},
		set subscriptionClock(value) {
			Object.assign(engine.clock, value);
		},
		/** `{ validationTimeoutMs, timeoutMs, retryDelaysMs }`; assigning merges. */
		get deliverySettings() {
			return delivery.settings;
		},
		set deliverySettings(value) {
			Object.assign(delivery.settings, value);
		},
	};
	return api;
}

module.exports = { createTeamsApi };
