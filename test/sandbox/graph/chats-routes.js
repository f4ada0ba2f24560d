// @ts-check
'use strict';

/**
 * Chats:
 *   GET  /me/chats, /chats (delegated), /users/{id|upn}/chats    chats of the user, last updated first; $top 1–50 (default 50),
 *                                           $filter=chatType eq 'oneOnOne'|'group' or topic eq '…', $expand=members
 *   POST /chats                             { chatType: 'oneOnOne' | 'group', topic? (group), members: [aadUserConversationMember
 *                                           with user@odata.bind and roles] }: a delegated caller must be a member; oneOnOne
 *                                           needs exactly two users and gives back the existing chat of the two (201)
 *   GET|PATCH /chats/{id}                   $expand=members; PATCH { topic } (group chats) → 200
 *   GET|POST /chats/{id}/messages           newest first, $top 1–50 (default 20), $orderby=createdDateTime desc |
 *                                           lastModifiedDateTime desc, $filter=lastModifiedDateTime gt … [and lt …];
 *                                           POST → 201 (content rules as channel messages; app tokens refused)
 *   GET|PATCH /chats/{id}/messages/{id}     PATCH (the sender) → 204
 *   POST /chats/{id}/messages/{id}/softDelete | undoSoftDelete, also under /users/{id}/chats/… → 204 (the sender)
 */

const { httpError } = require('../router');
const { PERMISSIONS, authorize, authorizePost, readObject, userFromBind, memberRoles, FORBIDDEN } = require('./teams-access');
const { parseNewMessage, parseMessageEdit } = require('./teams-content');
const { messageJson, chatJson } = require('./teams-json');
const { paginate, collection } = require('./teams-paging');
const { modifiedFilter } = require('./teams-messages');

/**
 * @typedef {import('./teams-store').Chat} Chat
 * @typedef {import('./teams-store').Message} Message
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 */

/** @param {string | undefined} expand */
function expandMembers(expand) {
	if (!expand) return false;
	const names = expand.split(',').map((s) => s.trim().toLowerCase());
	for (const name of names) if (name !== 'members' && name !== 'lastmessagepreview') throw httpError(400, 'BadRequest', `Unsupported $expand '${expand}' on chats (members).`);
	return names.includes('members');
}

/** @param {string | undefined} filter */
function chatFilter(filter) {
	if (!filter) return () => true;
	let m;
	if ((m = /^chatType\s+eq\s+'(oneOnOne|group|meeting)'$/i.exec(filter.trim()))) {
		const type = m[1].toLowerCase();
		return (/** @type {Chat} */ chat) => chat.chatType.toLowerCase() === type;
	}
	if ((m = /^topic\s+eq\s+'((?:[^']|'')*)'$/i.exec(filter.trim()))) {
		const topic = m[1].replace(/''/g, "'");
		return (/** @type {Chat} */ chat) => chat.topic === topic;
	}
	throw httpError(400, 'BadRequest', `Invalid filter clause: chats can be filtered by chatType eq '…' or topic eq '…': '${filter}'.`);
}

/**
 * @param {import('../router').Router} router
 * @param {import('./teams-routes').TeamsEnv} env
 */
function registerChatRoutes(router, env) {
	const { teams: store, lookups, directory } = env;
	const meta = (/** @type {Context} */ ctx) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#`;

	/** @param {Context} ctx @param {AuthInfo} auth @param {string} userId */
	const list = (ctx, auth, userId) => {
		const members = expandMembers(ctx.query.$expand);
		const matches = chatFilter(ctx.query.$filter);
		const chats = [...store.chats.values()].filter((c) => c.tenantId === auth.tenantId && c.members.has(userId) && matches(c))
			.sort((a, b) => Date.parse(b.lastUpdatedDateTime) - Date.parse(a.lastUpdatedDateTime) || a.id.localeCompare(b.id));
		const { page, nextLink } = paginate(ctx, chats, { defaultTop: 50, maxTop: 50 });
		return ctx.json(200, collection(`${meta(ctx)}chats`, page.map((c) => chatJson(directory, c, auth.appOnly ? null : userId, { members })), nextLink));
	};
	for (const path of ['/v1.0/me/chats', '/v1.0/chats']) {
		router.add('GET', path, (ctx) => {
			const auth = authorize(ctx, PERMISSIONS.chatRead, { delegatedOnly: true });
			return list(ctx, auth, /** @type {string} */ (auth.userId));
		});
	}
	router.add('GET', '/v1.0/users/:user/chats', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatRead);
		const user = directory.findUser(ctx.params.user);
		if (!user || user.tenant !== auth.tenantId) throw httpError(404, 'NotFound', `User ${ctx.params.user} was not found.`);
		if (!auth.appOnly && user.id !== auth.userId) throw FORBIDDEN();
		return list(ctx, auth, user.id);
	});

	router.add('POST', '/v1.0/chats', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatCreate);
		const input = await readObject(ctx);
		const chatType = input.chatType;
		if (chatType !== 'oneOnOne' && chatType !== 'group') throw httpError(400, 'BadRequest', "chatType is required: 'oneOnOne' or 'group'.");
		if (!Array.isArray(input.members) || input.members.length === 0) throw httpError(400, 'BadRequest', 'members are required (aadUserConversationMember with user@odata.bind).');
		/** @type {Map<string, string[]>} */
		const members = new Map();
		for (const member of input.members) {
			if (String(member?.['@odata.type'] ?? '').replace(/^#/, '') !== 'microsoft.graph.aadUserConversationMember') throw httpError(400, 'BadRequest', "Each member needs \"@odata.type\": \"#microsoft.graph.aadUserConversationMember\".");
			const user = userFromBind(env.state, member['user@odata.bind'], auth.tenantId);
			if (members.has(user.id)) throw httpError(400, 'BadRequest', `User ${user.id} is listed twice.`);
			members.set(user.id, memberRoles(member.roles ?? ['owner']));
		}
		if (!auth.appOnly && !members.has(/** @type {string} */ (auth.userId))) throw httpError(403, 'Forbidden', 'The signed-in user must be one of the chat members.');
		if (chatType === 'oneOnOne') {
			if (members.size !== 2) throw httpError(400, 'BadRequest', 'A oneOnOne chat has exactly two members.');
			if (input.topic !== undefined && input.topic !== null) throw httpError(400, 'BadRequest', 'A oneOnOne chat cannot have a topic.');
			const [a, b] = [...members.keys()];
			const existing = store.findOneOnOne(auth.tenantId, a, b);
			if (existing) return ctx.json(201, { '@odata.context': `${meta(ctx)}chats/$entity`, ...chatJson(directory, existing, auth.userId) });
		} else if (members.size < 2) {
			throw httpError(400, 'BadRequest', 'A group chat needs at least two members.');
		}
		if (input.topic !== undefined && input.topic !== null && typeof input.topic !== 'string') throw httpError(400, 'BadRequest', 'topic must be a string.');
		const chat = store.addChat({ tenantId: auth.tenantId, chatType, topic: input.topic ?? null, members: [...members].map(([userId, roles]) => ({ userId, roles })) });
		return ctx.json(201, { '@odata.context': `${meta(ctx)}chats/$entity`, ...chatJson(directory, chat, auth.userId) });
	});

	router.add('GET', '/v1.0/chats/:chatId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatRead);
		const chat = lookups.chat(auth, ctx.params.chatId);
		return ctx.json(200, { '@odata.context': `${meta(ctx)}chats/$entity`, ...chatJson(directory, chat, auth.userId, { members: expandMembers(ctx.query.$expand) }) });
	});

	router.add('PATCH', '/v1.0/chats/:chatId', async (ctx) => {
		const auth = authorize(ctx, { scopes: ['Chat.ReadWrite', 'ChatSettings.ReadWrite.Chat'], roles: ['Chat.ReadWrite.All'] });
		const chat = lookups.chat(auth, ctx.params.chatId);
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) if (key !== 'topic') throw httpError(400, 'BadRequest', `Property '${key}' cannot be updated on a chat (topic can).`);
		if (chat.chatType !== 'group') throw httpError(400, 'BadRequest', 'Only a group chat has a topic.');
		chat.topic = input.topic === null ? null : String(input.topic);
		chat.lastUpdatedDateTime = new Date().toISOString();
		store.announce({ kind: 'chat', changeType: 'updated', tenantId: chat.tenantId, chatId: chat.id, members: [...chat.members.keys()] });
		return ctx.json(200, { '@odata.context': `${meta(ctx)}chats/$entity`, ...chatJson(directory, chat, auth.userId) });
	});

	registerChatMessageRoutes(router, env);
}

/**
 * @param {import('../router').Router} router
 * @param {import('./teams-routes').TeamsEnv} env
 */
function registerChatMessageRoutes(router, env) {
	const { teams: store, lookups, directory } = env;
	const contextOf = (/** @type {Context} */ ctx, /** @type {Chat} */ chat) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#chats('${encodeURIComponent(chat.id)}')/messages`;
	/** @param {Chat} chat @param {string} id @returns {Message} */
	const messageOf = (chat, id) => {
		const message = chat.messages.get(id);
		if (!message) throw httpError(404, 'NotFound', `Message ${id} was not found in the chat.`);
		return message;
	};

	router.add('GET', '/v1.0/chats/:chatId/messages', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatMessageRead);
		const chat = lookups.chat(auth, ctx.params.chatId);
		const orderBy = (ctx.query.$orderby ?? 'createdDateTime desc').trim();
		if (!/^(createdDateTime|lastModifiedDateTime)\s+desc$/i.test(orderBy)) throw httpError(400, 'BadRequest', `Invalid $orderby '${orderBy}': use createdDateTime desc or lastModifiedDateTime desc.`);
		const byModified = /^lastModified/i.test(orderBy);
		const { gt, lt } = modifiedFilter(ctx.query.$filter, true);
		if ((gt !== null || lt !== null) && !byModified) throw httpError(400, 'BadRequest', '$filter on lastModifiedDateTime needs $orderby=lastModifiedDateTime desc.');
		const messages = [...chat.messages.values()]
			.filter((m) => (gt === null || Date.parse(m.lastModifiedDateTime) > gt) && (lt === null || Date.parse(m.lastModifiedDateTime) < lt))
			.sort((a, b) => (byModified ? Date.parse(b.lastModifiedDateTime) - Date.parse(a.lastModifiedDateTime) : 0) || Number(b.id) - Number(a.id));
		const { page, nextLink } = paginate(ctx, messages, { defaultTop: 20, maxTop: 50, cursorOf: (m) => m.id });
		return ctx.json(200, collection(contextOf(ctx, chat), page.map((m) => messageJson(directory, m)), nextLink));
	});

	router.add('POST', '/v1.0/chats/:chatId/messages', async (ctx) => {
		const auth = authorizePost(ctx, PERMISSIONS.chatMessageSend);
		const chat = lookups.chat(auth, ctx.params.chatId);
		const input = await readObject(ctx);
		const fields = parseNewMessage(input, directory, chat.tenantId);
		const message = store.addMessage({ kind: 'chat', chat }, { fromUserId: /** @type {string} */ (auth.userId), ...fields, subject: null });
		return ctx.json(201, { '@odata.context': `${contextOf(ctx, chat)}/$entity`, ...messageJson(directory, message) });
	});

	router.add('GET', '/v1.0/chats/:chatId/messages/:messageId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatMessageRead);
		const chat = lookups.chat(auth, ctx.params.chatId);
		return ctx.json(200, { '@odata.context': `${contextOf(ctx, chat)}/$entity`, ...messageJson(directory, messageOf(chat, ctx.params.messageId)) });
	});

	router.add('PATCH', '/v1.0/chats/:chatId/messages/:messageId', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.chatMessageEdit);
		const chat = lookups.chat(auth, ctx.params.chatId);
		const message = messageOf(chat, ctx.params.messageId);
		const input = await readObject(ctx);
		if (auth.appOnly) throw httpError(403, 'Forbidden', 'With application permissions only policyViolation can be updated.');
		if (message.fromUserId !== auth.userId) throw httpError(403, 'Forbidden', 'Only the sender can edit a message.');
		if (message.deletedDateTime) throw httpError(400, 'BadRequest', 'A deleted message cannot be edited.');
		const changes = parseMessageEdit(input, message, directory);
		if (changes.subject) throw httpError(400, 'BadRequest', 'A chat message has no subject.');
		Object.assign(message, changes);
		store.messageChanged(message, 'updated');
		message.lastEditedDateTime = message.lastModifiedDateTime;
		return ctx.send(204, null);
	});

	for (const prefix of ['/v1.0/chats/:chatId', '/v1.0/users/:user/chats/:chatId']) {
		for (const action of ['softDelete', 'undoSoftDelete']) {
			router.add('POST', `${prefix}/messages/:messageId/${action}`, (ctx) => {
				const auth = authorize(ctx, PERMISSIONS.chatMessageDelete);
				if (ctx.params.user !== undefined) {
					const user = directory.findUser(ctx.params.user);
					if (!user || user.tenant !== auth.tenantId) throw httpError(404, 'NotFound', `User ${ctx.params.user} was not found.`);
					if (!auth.appOnly && user.id !== auth.userId) throw FORBIDDEN();
				}
				const chat = lookups.chat(auth, ctx.params.chatId);
				const message = messageOf(chat, ctx.params.messageId);
				if (!auth.appOnly && message.fromUserId !== auth.userId) throw httpError(403, 'Forbidden', 'Only the sender can delete a chat message.');
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

module.exports = { registerChatRoutes };
