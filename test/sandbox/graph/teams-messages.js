// @ts-check
'use strict';

/**
 * Channel messages (chatMessage) under /teams/{id}/channels/{id}:
 *   GET  messages                      top-level messages, newest first; $top 1–50 (default 20), @odata.nextLink; $expand=replies
 *   POST messages                      201 (content rules: teams-content.js; app tokens refused: teams-access.js authorizePost)
 *   GET|PATCH messages/{id}            PATCH (the sender; body, subject, importance, mentions, attachments) → 204
 *   POST messages/{id}/softDelete | undoSoftDelete      → 204 (the sender, or an owner)
 *   GET|POST messages/{id}/replies     replies newest first ($top ≤ 50); POST → 201
 *   GET|PATCH messages/{id}/replies/{id}, POST …/replies/{id}/softDelete | undoSoftDelete
 *   GET  messages/delta                top-level messages whose reply chain changed: $top ≤ 50 (default 50),
 *                                      $filter=lastModifiedDateTime gt {date} and $expand=replies on the first request
 *                                      (kept in the tokens), @odata.nextLink ($skiptoken) … @odata.deltaLink ($deltatoken)
 *   GET  /teams/{id}/channels/getAllMessages   every message and reply of the team's channels (app-only), newest first,
 *                                      $top ≤ 50, $filter=lastModifiedDateTime gt … [and lastModifiedDateTime lt …]
 * A soft-deleted message keeps its place with `deletedDateTime` set and an empty body. Messages of an archived team
 * cannot be posted (403).
 */

const { httpError } = require('../router');
const { PERMISSIONS, authorize, authorizePost, isTeamOwner, readObject, FORBIDDEN } = require('./teams-access');
const { parseNewMessage, parseMessageEdit } = require('./teams-content');
const { messageJson } = require('./teams-json');
const { paginate, collection, dollarKeys } = require('./teams-paging');

/**
 * @typedef {import('./teams-store').Team} Team
 * @typedef {import('./teams-store').Channel} Channel
 * @typedef {import('./teams-store').Message} Message
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 */

const byNewest = (/** @type {Message} */ a, /** @type {Message} */ b) => Number(b.id) - Number(a.id);

/** `$filter` on lastModifiedDateTime: `gt` (and, for getAllMessages, `lt`). @param {string | undefined} filter @param {boolean} allowLt */
function modifiedFilter(filter, allowLt) {
	if (!filter) return { gt: null, lt: null };
	const clause = (/** @type {string} */ text) => /^lastModifiedDateTime\s+(gt|lt)\s+(\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:\d\d))$/i.exec(text.trim());
	const parts = filter.split(/\s+and\s+/i).map(clause);
	/** @type {{ gt: number | null, lt: number | null }} */
	const out = { gt: null, lt: null };
	for (const part of parts) {
		if (!part || (part[1].toLowerCase() === 'lt' && !allowLt) || Number.isNaN(Date.parse(part[2]))) {
			throw httpError(400, 'BadRequest', `Invalid filter clause: only lastModifiedDateTime gt {DateTimeOffset}${allowLt ? ' [and lastModifiedDateTime lt {DateTimeOffset}]' : ''} is supported: '${filter}'.`);
		}
		out[/** @type {'gt' | 'lt'} */ (part[1].toLowerCase())] = Date.parse(part[2]);
	}
	return out;
}

/** @param {string | undefined} expand */
function expandsReplies(expand) {
	if (!expand) return false;
	if (expand.trim().toLowerCase() !== 'replies') throw httpError(400, 'BadRequest', `Only $expand=replies is supported on channel messages: '${expand}'.`);
	return true;
}

/**
 * @param {import('../router').Router} router
 * @param {import('./teams-routes').TeamsEnv} env
 */
function registerChannelMessageRoutes(router, env) {
	const { teams: store, lookups, directory } = env;
	const base = '/v1.0/teams/:teamId/channels/:channelId/messages';
	const contextOf = (/** @type {Context} */ ctx, /** @type {Team} */ team, /** @type {Channel} */ channel) =>
		`${ctx.sandbox.graphUrl}/v1.0/$metadata#teams('${team.id}')/channels('${encodeURIComponent(channel.id)}')/messages`;

	/** @param {Context} ctx @param {import('./teams-access').Permission} permission @param {{ post?: boolean }} [options] */
	const place = (ctx, permission, options = {}) => {
		const auth = options.post ? authorizePost(ctx, permission) : authorize(ctx, permission);
		const team = lookups.team(auth, ctx.params.teamId);
		const channel = lookups.channel(auth, team, ctx.params.channelId);
		return { auth, team, channel };
	};
	/** @param {Channel} channel @param {string} id @returns {Message} */
	const rootOf = (channel, id) => {
		const message = channel.messages.get(id);
		if (!message || message.replyToId !== null) throw httpError(404, 'NotFound', `Message ${id} was not found in the channel.`);
		return message;
	};
	/** @param {Channel} channel @param {Message} root @param {string} id @returns {Message} */
	const replyOf = (channel, root, id) => {
		const reply = channel.messages.get(id);
		if (!reply || reply.replyToId !== root.id) throw httpError(404, 'NotFound', `Reply ${id} was not found under message ${root.id}.`);
		return reply;
	};
	/** @param {Channel} channel @param {Message} root */
	const repliesOf = (channel, root) => root.replyIds.map((id) => /** @type {Message} */ (channel.messages.get(id))).sort(byNewest);
	/** @param {Context} ctx @param {Channel} channel @param {Message} message @param {boolean} expand */
	const json = (ctx, channel, message, expand) => messageJson(directory, message, { expandReplies: expand ? repliesOf(channel, message) : null });

	router.add('GET', '/v1.0/teams/:teamId/channels/getAllMessages', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.channelMessageRead, { appOnly: true });
		const team = lookups.team(auth, ctx.params.teamId);
		const { gt, lt } = modifiedFilter(ctx.query.$filter, true);
		const all = [...team.channels.values()].flatMap((c) => [...c.messages.values()])
			.filter((m) => (gt === null || Date.parse(m.lastModifiedDateTime) > gt) && (lt === null || Date.parse(m.lastModifiedDateTime) < lt))
			.sort(byNewest);
		const { page, nextLink } = paginate(ctx, all, { defaultTop: 20, maxTop: 50, cursorOf: (m) => m.id });
		return ctx.json(200, collection(`${ctx.sandbox.graphUrl}/v1.0/$metadata#Collection(chatMessage)`, page.map((m) => messageJson(directory, m)), nextLink));
	});

	router.add('GET', `${base}/delta`, (ctx) => {
		const { team, channel } = place(ctx, PERMISSIONS.channelMessageRead);
		const key = `${team.id}|${channel.id}`;
		/** @type {{ key: string, since: number, snapshot: number, gt: number | null, top: number, expand: boolean, after: number }} */
		let token;
		const raw = ctx.query.$skiptoken ?? ctx.query.$deltatoken;
		if (raw !== undefined) {
			try {
				token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
			} catch {
				throw httpError(400, 'BadRequest', 'The delta token is invalid.');
			}
			if (!token || token.key !== key) throw httpError(400, 'BadRequest', 'The delta token is invalid or belongs to another channel.');
			if (ctx.query.$deltatoken !== undefined) token = { ...token, since: token.snapshot, snapshot: store.seq, after: 0 };
		} else {
			const top = ctx.query.$top === undefined ? 50 : Number(ctx.query.$top);
			if (!Number.isInteger(top) || top < 1 || top > 50) throw httpError(400, 'BadRequest', `Invalid $top '${ctx.query.$top}': the value must be between 1 and 50.`);
			token = { key, since: 0, snapshot: store.seq, gt: modifiedFilter(ctx.query.$filter, false).gt, top, expand: expandsReplies(ctx.query.$expand), after: 0 };
		}
		const lastActivity = (/** @type {Message} */ root) => Math.max(Date.parse(root.lastModifiedDateTime), ...repliesOf(channel, root).map((r) => Date.parse(r.lastModifiedDateTime)));
		const changed = [...channel.messages.values()]
			.filter((m) => m.replyToId === null && m.changeSeq > token.since && m.changeSeq <= token.snapshot && m.changeSeq > token.after)
			.filter((m) => token.gt === null || lastActivity(m) > token.gt)
			.sort((a, b) => a.changeSeq - b.changeSeq);
		const page = changed.slice(0, token.top);
		const url = new URL(`${ctx.sandbox.graphUrl}${ctx.path}`);
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#Collection(chatMessage)` };
		if (changed.length > page.length) {
			url.searchParams.set('$skiptoken', Buffer.from(JSON.stringify({ ...token, after: page[page.length - 1].changeSeq })).toString('base64url'));
			body['@odata.nextLink'] = dollarKeys(url);
		} else {
			url.searchParams.set('$deltatoken', Buffer.from(JSON.stringify({ ...token, after: 0 })).toString('base64url'));
			body['@odata.deltaLink'] = dollarKeys(url);
		}
		body.value = page.map((m) => messageJson(directory, m, { deltaItem: true, expandReplies: token.expand ? repliesOf(channel, m) : null }));
		return ctx.json(200, body);
	});

	router.add('GET', base, (ctx) => {
		const { team, channel } = place(ctx, PERMISSIONS.channelMessageRead);
		const expand = expandsReplies(ctx.query.$expand);
		const roots = [...channel.messages.values()].filter((m) => m.replyToId === null).sort(byNewest);
		const { page, nextLink } = paginate(ctx, roots, { defaultTop: 20, maxTop: 50, cursorOf: (m) => m.id });
		return ctx.json(200, collection(contextOf(ctx, team, channel), page.map((m) => json(ctx, channel, m, expand)), nextLink));
	});

	/** @param {Context} ctx @param {boolean} isReply */
	const post = async (ctx, isReply) => {
		const { auth, team, channel } = place(ctx, PERMISSIONS.channelMessageSend, { post: true });
		const root = isReply ? rootOf(channel, ctx.params.messageId) : null;
		if (team.isArchived) throw httpError(403, 'Forbidden', 'The team is archived: messages cannot be posted.');
		const input = await readObject(ctx);
		const fields = parseNewMessage(input, directory, team.tenantId);
		const message = store.addMessage({ kind: 'channel', team, channel, replyTo: root ?? undefined }, { fromUserId: /** @type {string} */ (auth.userId), ...fields });
		const context = root ? `${contextOf(ctx, team, channel)}('${root.id}')/replies/$entity` : `${contextOf(ctx, team, channel)}/$entity`;
		return ctx.json(201, { '@odata.context': context, ...messageJson(directory, message) });
	};
	router.add('POST', base, (ctx) => post(ctx, false));
	router.add('POST', `${base}/:messageId/replies`, (ctx) => post(ctx, true));

	router.add('GET', `${base}/:messageId`, (ctx) => {
		const { team, channel } = place(ctx, PERMISSIONS.channelMessageRead);
		const message = rootOf(channel, ctx.params.messageId);
		return ctx.json(200, { '@odata.context': `${contextOf(ctx, team, channel)}/$entity`, ...json(ctx, channel, message, expandsReplies(ctx.query.$expand)) });
	});

	router.add('GET', `${base}/:messageId/replies`, (ctx) => {
		const { team, channel } = place(ctx, PERMISSIONS.channelMessageRead);
		const root = rootOf(channel, ctx.params.messageId);
		const replies = repliesOf(channel, root);
		const { page, nextLink } = paginate(ctx, replies, { defaultTop: 20, maxTop: 50, cursorOf: (m) => m.id });
		return ctx.json(200, collection(`${contextOf(ctx, team, channel)}('${root.id}')/replies`, page.map((m) => messageJson(directory, m)), nextLink, replies.length));
	});

	router.add('GET', `${base}/:messageId/replies/:replyId`, (ctx) => {
		const { team, channel } = place(ctx, PERMISSIONS.channelMessageRead);
		const reply = replyOf(channel, rootOf(channel, ctx.params.messageId), ctx.params.replyId);
		return ctx.json(200, { '@odata.context': `${contextOf(ctx, team, channel)}('${ctx.params.messageId}')/replies/$entity`, ...messageJson(directory, reply) });
	});

	/** @param {Context} ctx @param {boolean} isReply */
	const edit = async (ctx, isReply) => {
		const { auth, team, channel } = place(ctx, PERMISSIONS.channelMessageEdit);
		const root = rootOf(channel, ctx.params.messageId);
		const message = isReply ? replyOf(channel, root, ctx.params.replyId) : root;
		const input = await readObject(ctx);
		if (auth.appOnly) throw httpError(403, 'Forbidden', 'With application permissions only policyViolation can be updated.');
		if (message.fromUserId !== auth.userId) throw httpError(403, 'Forbidden', 'Only the sender can edit a message.');
		if (message.deletedDateTime) throw httpError(400, 'BadRequest', 'A deleted message cannot be edited.');
		const changes = parseMessageEdit(input, message, directory);
		if (isReply && changes.subject) throw httpError(400, 'BadRequest', 'A reply has no subject.');
		if (team.isArchived) throw httpError(403, 'Forbidden', 'The team is archived: messages cannot be edited.');
		Object.assign(message, changes);
		store.messageChanged(message, 'updated');
		message.lastEditedDateTime = message.lastModifiedDateTime;
		return ctx.send(204, null);
	};
	router.add('PATCH', `${base}/:messageId`, (ctx) => edit(ctx, false));
	router.add('PATCH', `${base}/:messageId/replies/:replyId`, (ctx) => edit(ctx, true));

	for (const [suffix, isReply] of /** @type {Array<[string, boolean]>} */ ([[':messageId', false], [':messageId/replies/:replyId', true]])) {
		for (const action of ['softDelete', 'undoSoftDelete']) {
			router.add('POST', `${base}/${suffix}/${action}`, (ctx) => {
				const { auth, team, channel } = place(ctx, PERMISSIONS.channelMessageDelete);
				const root = rootOf(channel, ctx.params.messageId);
				const message = isReply ? replyOf(channel, root, ctx.params.replyId) : root;
				if (!auth.appOnly && message.fromUserId !== auth.userId && !(isTeamOwner(team, auth) && team.settings.messagingSettings.allowOwnerDeleteMessages)) throw FORBIDDEN();
				const deleting = action === 'softDelete';
				if (Boolean(message.deletedDateTime) !== deleting) {
					store.messageChanged(message, deleting ? 'deleted' : 'updated');
					message.deletedDateTime = deleting ? message.lastModifiedDateTime : null;
				}
				return ctx.send(204, null);
			});
		}
	}
}

module.exports = { registerChannelMessageRoutes, modifiedFilter };
