// @ts-check
'use strict';

/**
 * The content rules of a chatMessage (POST a channel message, a reply or a chat message; PATCH an edit):
 *   - `body` `{ contentType: 'text' | 'html', content }` (text by default); content above 28 KB → 413.
 *   - `mentions` need an HTML body whose `<at id="N">…</at>` tags name exactly the mentions' ids (each once);
 *     a mention names a user of the tenant (`mentioned.user.id`) or a conversation (`mentioned.conversation`: channel/team).
 *   - `attachments`: Adaptive Cards (`contentType: 'application/vnd.microsoft.card.adaptive'`, `content` a JSON string
 *     of an object with `type: 'AdaptiveCard'`; hero/thumbnail cards likewise), and file references
 *     (`contentType: 'reference'`, an https `contentUrl`). Each needs an id, and the HTML body an
 *     `<attachment id="…"></attachment>` tag for it — tags and attachments must match one to one.
 *   - `importance`: normal, high, urgent.
 * Violations are 400 `BadRequest` with a message saying what is wrong (Graph's own wording is not documented).
 */

const { httpError } = require('../router');

const MAX_CONTENT_BYTES = 28 * 1024;
const CARD_TYPES = new Set([
	'application/vnd.microsoft.card.adaptive', 'application/vnd.microsoft.card.hero', 'application/vnd.microsoft.card.thumbnail',
	'application/vnd.microsoft.card.o365connector',
]);

/**
 * @typedef {import('./teams-store').Mention} Mention
 * @typedef {import('./teams-store').Attachment} Attachment
 * @typedef {import('./teams-store').ItemBody} ItemBody
 */

/** @param {string} message */
const bad = (message) => httpError(400, 'BadRequest', message);

/** @param {unknown} value @returns {ItemBody} */
function parseBody(value) {
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad('The message body is required: { "body": { "contentType": "text" | "html", "content": "…" } }.');
	const raw = /** @type {Record<string, unknown>} */ (value);
	const type = raw.contentType === undefined || raw.contentType === null ? 'text' : String(raw.contentType).toLowerCase();
	if (type !== 'text' && type !== 'html') throw bad(`Invalid body contentType '${String(raw.contentType)}': use 'text' or 'html'.`);
	if (typeof raw.content !== 'string') throw bad('The message body content must be a string.');
	if (Buffer.byteLength(raw.content, 'utf8') > MAX_CONTENT_BYTES) throw httpError(413, 'RequestEntityTooLarge', 'Request Entity too large: a message may hold about 28 KB.');
	return { contentType: /** @type {'text' | 'html'} */ (type), content: raw.content };
}

/** Ids of `<at id="N">` tags in HTML content. @param {string} content */
function atTagIds(content) {
	return [...content.matchAll(/<at\b[^>]*\bid\s*=\s*["']?([^"'\s>]+)["']?[^>]*>/gi)].map((m) => m[1]);
}

/** Ids of `<attachment id="…">` tags in HTML content. @param {string} content */
function attachmentTagIds(content) {
	return [...content.matchAll(/<attachment\b[^>]*\bid\s*=\s*["']?([^"'\s>]+)["']?[^>]*>/gi)].map((m) => m[1]);
}

/**
 * @param {unknown} value @param {ItemBody} body @param {{ findUser: (id: string) => any }} directory @param {string} tenantId
 * @returns {Mention[]}
 */
function parseMentions(value, body, directory, tenantId) {
	const list = value === undefined || value === null ? [] : value;
	if (!Array.isArray(list)) throw bad('mentions must be an array.');
	const tags = atTagIds(body.content);
	if (list.length > 0 && body.contentType !== 'html') throw bad('Mentions need an HTML body (body.contentType "html") with <at id="N"> tags.');
	/** @type {Mention[]} */
	const mentions = [];
	const seen = new Set();
	for (const item of list) {
		if (!item || typeof item !== 'object') throw bad('Each mention must be an object { id, mentionText, mentioned }.');
		const id = Number(item.id);
		if (!Number.isInteger(id) || id < 0) throw bad(`Mention id '${String(item.id)}' must be a whole number.`);
		if (seen.has(id)) throw bad(`Mention id ${id} is used twice.`);
		seen.add(id);
		if (typeof item.mentionText !== 'string' || item.mentionText === '') throw bad(`Mention ${id} needs a mentionText.`);
		const mentioned = item.mentioned;
		if (!mentioned || typeof mentioned !== 'object') throw bad(`Mention ${id} needs 'mentioned' (a user or a conversation).`);
		if (mentioned.user) {
			const user = typeof mentioned.user.id === 'string' ? directory.findUser(mentioned.user.id) : null;
			if (!user || user.tenant !== tenantId) throw bad(`Mention ${id}: user '${String(mentioned.user.id)}' was not found in the tenant.`);
			mentions.push({ id, mentionText: item.mentionText, mentioned: { user: { id: user.id, displayName: mentioned.user.displayName ?? user.displayName, userIdentityType: 'aadUser' } } });
		} else if (mentioned.conversation && typeof mentioned.conversation.id === 'string') {
			mentions.push({ id, mentionText: item.mentionText, mentioned: { conversation: { ...mentioned.conversation } } });
		} else {
			throw bad(`Mention ${id}: 'mentioned' must name a user ({ user: { id } }) or a conversation ({ conversation: { id, conversationIdentityType } }).`);
		}
	}
	if (body.contentType === 'html') {
		const tagSet = new Set(tags);
		for (const tag of tagSet) if (!seen.has(Number(tag)) || !/^\d+$/.test(tag)) throw bad(`The body has <at id="${tag}"> but no mention with id ${tag} is in mentions.`);
		for (const id of seen) if (!tagSet.has(String(id))) throw bad(`Mention ${id} has no <at id="${id}"> tag in the body.`);
	}
	return mentions;
}

/** @param {unknown} value @param {ItemBody} body @returns {Attachment[]} */
function parseAttachments(value, body) {
	const list = value === undefined || value === null ? [] : value;
	if (!Array.isArray(list)) throw bad('attachments must be an array.');
	if (list.length > 0 && body.contentType !== 'html') throw bad('Attachments need an HTML body (body.contentType "html") with an <attachment id="…"></attachment> tag each.');
	/** @type {Attachment[]} */
	const attachments = [];
	const seen = new Set();
	for (const item of list) {
		if (!item || typeof item !== 'object') throw bad('Each attachment must be an object { id, contentType, … }.');
		if (typeof item.id !== 'string' || item.id === '') throw bad('Each attachment needs an id (referenced by <attachment id="…"> in the body).');
		if (seen.has(item.id)) throw bad(`Attachment id '${item.id}' is used twice.`);
		seen.add(item.id);
		const type = typeof item.contentType === 'string' ? item.contentType : '';
		if (CARD_TYPES.has(type)) {
			if (typeof item.content !== 'string') throw bad(`Attachment ${item.id}: the card content must be a JSON string.`);
			let card;
			try {
				card = JSON.parse(item.content);
			} catch {
				throw bad(`Attachment ${item.id}: the card content is not valid JSON.`);
			}
			if (!card || typeof card !== 'object' || Array.isArray(card)) throw bad(`Attachment ${item.id}: the card content must be a JSON object.`);
			if (type === 'application/vnd.microsoft.card.adaptive' && card.type !== 'AdaptiveCard') throw bad(`Attachment ${item.id}: an Adaptive Card needs "type": "AdaptiveCard".`);
		} else if (type === 'reference') {
			let url;
			try {
				url = new URL(String(item.contentUrl));
			} catch {
				throw bad(`Attachment ${item.id}: a reference attachment needs a contentUrl (the file's URL).`);
			}
			if (url.protocol !== 'https:') throw bad(`Attachment ${item.id}: contentUrl must be an https URL.`);
		} else {
			throw bad(`Attachment ${item.id}: contentType '${type}' is not supported (use an Adaptive Card or 'reference').`);
		}
		attachments.push({
			id: item.id, contentType: type, content: typeof item.content === 'string' ? item.content : null,
			contentUrl: typeof item.contentUrl === 'string' ? item.contentUrl : null, name: typeof item.name === 'string' ? item.name : null,
			thumbnailUrl: typeof item.thumbnailUrl === 'string' ? item.thumbnailUrl : null, teamsAppId: typeof item.teamsAppId === 'string' ? item.teamsAppId : null,
		});
	}
	if (body.contentType === 'html') {
		const tags = new Set(attachmentTagIds(body.content));
		for (const tag of tags) if (!seen.has(tag)) throw bad(`The body has <attachment id="${tag}"> but no attachment with that id.`);
		for (const id of seen) if (!tags.has(id)) throw bad(`Attachment ${id} has no <attachment id="${id}"></attachment> tag in the body.`);
	}
	return attachments;
}

/** @param {unknown} value */
function parseImportance(value) {
	if (value === undefined || value === null) return 'normal';
	const importance = String(value).toLowerCase();
	if (!['normal', 'high', 'urgent'].includes(importance)) throw bad(`Invalid importance '${String(value)}': use normal, high or urgent.`);
	return importance;
}

/**
 * A new message's fields from a request body.
 * @param {Record<string, any>} input @param {{ findUser: (id: string) => any }} directory @param {string} tenantId
 */
function parseNewMessage(input, directory, tenantId) {
	const body = parseBody(input.body);
	const mentions = parseMentions(input.mentions, body, directory, tenantId);
	const attachments = parseAttachments(input.attachments, body);
	if (body.content.trim() === '' && attachments.length === 0) throw bad('The message body content cannot be empty.');
	if (input.subject !== undefined && input.subject !== null && typeof input.subject !== 'string') throw bad('subject must be a string.');
	return { body, mentions, attachments, importance: parseImportance(input.importance), subject: typeof input.subject === 'string' ? input.subject : null };
}

/**
 * The changes of a PATCH: body (with its mentions and attachments checked together), subject, importance.
 * @param {Record<string, any>} input @param {import('./teams-store').Message} message
 * @param {{ findUser: (id: string) => any }} directory
 */
function parseMessageEdit(input, message, directory) {
	const allowed = ['body', 'subject', 'importance', 'mentions', 'attachments'];
	for (const key of Object.keys(input)) {
		if (!allowed.includes(key) && !key.startsWith('@odata')) throw bad(`Property '${key}' cannot be updated; a message's body, subject, importance, mentions and attachments can.`);
	}
	/** @type {Partial<import('./teams-store').Message>} */
	const changes = {};
	const body = input.body !== undefined ? parseBody(input.body) : message.body;
	if (input.body !== undefined || input.mentions !== undefined || input.attachments !== undefined) {
		changes.body = body;
		changes.mentions = parseMentions(input.mentions ?? (input.body === undefined ? message.mentions : []), body, directory, message.tenantId);
		changes.attachments = parseAttachments(input.attachments ?? (input.body === undefined ? message.attachments : []), body);
	}
	if (input.subject !== undefined) changes.subject = input.subject === null ? null : String(input.subject);
	if (input.importance !== undefined) changes.importance = parseImportance(input.importance);
	return changes;
}

module.exports = { parseNewMessage, parseMessageEdit, parseBody, atTagIds, attachmentTagIds, MAX_CONTENT_BYTES };
