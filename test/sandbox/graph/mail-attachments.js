// @ts-check
'use strict';

/**
 * Message attachments: `GET|POST /messages/{id}/attachments` (file attachments under 3 MB inline with base64
 * `contentBytes`; 3 MB and more → 413), `GET|DELETE .../attachments/{aid}`, `GET .../attachments/{aid}/$value`
 * (raw bytes), and `POST .../attachments/createUploadSession` (`AttachmentItem`, 3–150 MB, 201) whose
 * `uploadUrl` lives on the files host in Outlook's form
 * `/api/v2.0/Users('{user}@{tenant}')/Messages('{id}')/AttachmentSessions('{session}')?authtoken=…`:
 * pre-authenticated (an Authorization header is refused there), `PUT` ranges in order with
 * `Content-Range: bytes a-b/total` (each at most 4 MB; no 320 KiB rule) → 200 with `nextExpectedRanges`,
 * the last → 201 with a `Location` naming the attachment; `DELETE` cancels (204).
 */

const crypto = require('node:crypto');
const { httpError, SandboxHttpError } = require('../router');
const { readObject } = require('./outlook-access');
const { applySelect } = require('./outlook-odata');
const { ATTACHMENT_ENTITY, attachmentJson } = require('./mail-json');
const { findMessage } = require('./mail-messages');
const { fileAttachmentFrom, guessType, INLINE_ATTACHMENT_LIMIT } = require('./mail-compose');
const { isWellFormedId } = require('./outlook-store');

const SESSION_MIN = 3 * 1024 * 1024;
const SESSION_MAX = 150 * 1024 * 1024;
const CHUNK_LIMIT = 4 * 1024 * 1024;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;
const MESSAGE = '(?:mailFolders/(?<folderId>[^/]+)/)?messages/(?<messageId>[^/]+)';

/**
 * @typedef {{ id: string, token: string, mailboxId: string, tenantId: string, messageId: string, name: string, contentType: string,
 *   isInline: boolean, contentId: string | null, size: number, received: number, chunks: Buffer[], expires: number, busy: boolean }} AttachmentSession
 */

/**
 * @param {import('../router').Router} router
 * @param {import('./mail-messages').MailEnv} env
 */
function registerAttachmentRoutes(router, env) {
	const { store, access } = env;
	/** @type {Map<string, AttachmentSession>} */
	const sessions = new Map();

	/** @param {import('./outlook-store').Message} message @param {string} id */
	const findAttachment = (message, id) => {
		const attachment = message.attachments.find((a) => a.id === id);
		if (attachment) return attachment;
		if (!isWellFormedId(id)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
		throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
	};
	/** @param {import('./outlook-access').Call} call @param {string} suffix */
	const context = (call, suffix) => `${call.ctx.sandbox.graphUrl}/v1.0/$metadata#users('${call.mailbox.id}')/messages('${encodeURIComponent(call.params.messageId)}')/attachments${suffix}`;

	access.route(router, 'GET', `${MESSAGE}/attachments`, 'mail.read', (call) => {
		const message = findMessage(store, call.mailbox, call.params);
		return call.ctx.json(200, {
			'@odata.context': context(call, ''),
			value: message.attachments.map((a) => applySelect(attachmentJson(a), call.ctx.query.$select, ATTACHMENT_ENTITY)),
		});
	});

	access.route(router, 'POST', `${MESSAGE}/attachments`, 'mail.write', async (call) => {
		const message = findMessage(store, call.mailbox, call.params);
		const attachment = store.newAttachment(fileAttachmentFrom(await readObject(call.ctx), { limit: INLINE_ATTACHMENT_LIMIT }));
		message.attachments.push(attachment);
		store.touchMessage(message);
		return call.ctx.json(201, { '@odata.context': context(call, '/$entity'), ...attachmentJson(attachment) });
	});

	access.route(router, 'GET', `${MESSAGE}/attachments/(?<attachmentId>[^/]+)/(?:\\$|%24)value`, 'mail.read', (call) => {
		const attachment = findAttachment(findMessage(store, call.mailbox, call.params), call.params.attachmentId);
		return call.ctx.send(200, attachment.bytes, { 'content-type': attachment.contentType });
	});

	access.route(router, 'GET', `${MESSAGE}/attachments/(?<attachmentId>[^/]+)`, 'mail.read', (call) => {
		const attachment = findAttachment(findMessage(store, call.mailbox, call.params), call.params.attachmentId);
		return call.ctx.json(200, { '@odata.context': context(call, '/$entity'), ...applySelect(attachmentJson(attachment), call.ctx.query.$select, ATTACHMENT_ENTITY) });
	});

	access.route(router, 'DELETE', `${MESSAGE}/attachments/(?<attachmentId>[^/]+)`, 'mail.write', (call) => {
		const message = findMessage(store, call.mailbox, call.params);
		const attachment = findAttachment(message, call.params.attachmentId);
		message.attachments = message.attachments.filter((a) => a !== attachment);
		store.touchMessage(message);
		return call.ctx.send(204, null);
	});

	access.route(router, 'POST', `${MESSAGE}/attachments/createUploadSession`, 'mail.write', async (call) => {
		const { ctx, mailbox } = call;
		const message = findMessage(store, mailbox, call.params);
		const body = await readObject(ctx);
		const item = body.AttachmentItem ?? body.attachmentItem;
		if (!item || typeof item !== 'object') throw httpError(400, 'ErrorInvalidParameter', "The value of the parameter 'AttachmentItem' is empty.");
		if (String(item.attachmentType ?? '').toLowerCase() !== 'file') {
			throw httpError(400, 'ErrorInvalidRequest', `Upload sessions create file attachments: attachmentType must be 'file' (got '${item.attachmentType}').`);
		}
		if (typeof item.name !== 'string' || item.name === '') throw httpError(400, 'ErrorInvalidRequest', 'AttachmentItem.name is required.');
		if (!Number.isInteger(item.size) || item.size < 0) throw httpError(400, 'ErrorInvalidRequest', 'AttachmentItem.size must be the size of the file in bytes.');
		if (item.size < SESSION_MIN) {
			throw httpError(400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size must be greater than the minimum size (3 MB); attach smaller files with POST .../attachments.');
		}
		if (item.size > SESSION_MAX) throw httpError(400, 'ErrorInvalidRequest', `An attachment can be at most ${SESSION_MAX} bytes (150 MB).`);
		const id = crypto.randomBytes(24).toString('base64url');
		/** @type {AttachmentSession} */
		const session = {
			id, token: crypto.randomBytes(32).toString('base64url'), mailboxId: mailbox.id, tenantId: mailbox.tenantId, messageId: message.id,
			name: item.name, contentType: typeof item.contentType === 'string' && item.contentType ? item.contentType : guessType(item.name),
			isInline: item.isInline === true, contentId: typeof item.contentId === 'string' ? item.contentId : null, size: item.size,
			received: 0, chunks: [], expires: Date.now() + SESSION_LIFETIME_MS, busy: false,
		};
		sessions.set(id, session);
		return ctx.json(201, {
			'@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#microsoft.graph.uploadSession`,
			uploadUrl: `${ctx.sandbox.filesUrl}${sessionPath(session)}?authtoken=${session.token}`,
			expirationDateTime: new Date(session.expires).toISOString(),
			nextExpectedRanges: ['0-'],
		});
	});

	/** @param {AttachmentSession} session */
	const sessionPath = (session) => `/api/v2.0/Users('${session.mailboxId}@${session.tenantId}')/Messages('${session.messageId}')/AttachmentSessions('${session.id}')`;
	const FILES_PATH = /^\/api\/v2\.0\/Users\((?:'|%27)[^/]*?(?:'|%27)\)\/Messages\((?:'|%27)[^/]*?(?:'|%27)\)\/AttachmentSessions\((?:'|%27)(?<sessionId>[A-Za-z0-9_-]+)(?:'|%27)\)$/i;

	/** @param {import('../router').Context} ctx */
	const liveSession = (ctx) => {
		const session = sessions.get(ctx.params.sessionId);
		if (!session || Date.now() > session.expires) {
			if (session) sessions.delete(session.id);
			throw httpError(404, 'ErrorItemNotFound', 'The upload session was not found; it expired, completed or was cancelled.');
		}
		if (ctx.query.authtoken !== session.token) throw httpError(401, 'InvalidAuthenticationToken', 'The authtoken of the upload URL is missing or not valid.');
		return session;
	};

	router.add('PUT', FILES_PATH, async (ctx) => {
		const session = liveSession(ctx);
		if (session.busy) throw httpError(409, 'ErrorInvalidRequest', 'Another range of this upload session is still being received.');
		const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(ctx.headers['content-range'] ?? '');
		if (!range) throw httpError(400, 'ErrorInvalidRequest', 'Content-Range must be "bytes {start}-{end}/{total}".');
		const start = Number(range[1]);
		const end = Number(range[2]);
		const total = Number(range[3]);
		const length = end - start + 1;
		if (total !== session.size) throw httpError(400, 'ErrorInvalidRequest', `The total ${total} in Content-Range differs from the AttachmentItem size ${session.size}.`);
		if (end < start || end >= total) throw httpError(400, 'ErrorInvalidRequest', `Content-Range "${range[0]}" is not inside the file.`);
		if (length > CHUNK_LIMIT) throw httpError(413, 'RequestEntityTooLarge', `Each range may be at most ${CHUNK_LIMIT} bytes (4 MB).`);
		if (ctx.headers['content-length'] !== undefined && Number(ctx.headers['content-length']) !== length) {
			throw httpError(400, 'ErrorInvalidRequest', `Content-Length ${ctx.headers['content-length']} does not match Content-Range (${length} bytes).`);
		}
		if (start !== session.received) {
			throw httpError(416, 'InvalidRange', `Ranges must be uploaded in order; the next expected range starts at ${session.received}.`);
		}
		session.busy = true;
		let chunk;
		try {
			chunk = await ctx.readBody(length);
		} catch (error) {
			if (error instanceof SandboxHttpError) throw httpError(400, 'ErrorInvalidRequest', `The body is longer than the ${length} bytes Content-Range announced.`);
			throw httpError(400, 'ErrorInvalidRequest', 'The request body ended early.');
		} finally {
			session.busy = false;
		}
		if (chunk.length !== length) throw httpError(400, 'ErrorInvalidRequest', `The body has ${chunk.length} bytes but Content-Range announced ${length}.`);
		session.chunks.push(chunk);
		session.received += length;
		if (session.received < session.size) {
			return ctx.json(200, {
				'@odata.context': `${ctx.sandbox.filesUrl}/api/v2.0/$metadata#Users('${session.mailboxId}%40${session.tenantId}')/Messages('${encodeURIComponent(session.messageId)}')/AttachmentSessions/$entity`,
				ExpirationDateTime: new Date(session.expires).toISOString(),
				nextExpectedRanges: [String(session.received)],
			});
		}
		sessions.delete(session.id);
		const mailbox = store.mailboxes.get(session.mailboxId);
		const message = mailbox?.messages.get(session.messageId);
		if (!mailbox || !message) throw httpError(404, 'ErrorItemNotFound', 'The message of this upload session no longer exists.');
		const attachment = store.newAttachment({ name: session.name, contentType: session.contentType, bytes: Buffer.concat(session.chunks), isInline: session.isInline, contentId: session.contentId });
		message.attachments.push(attachment);
		store.touchMessage(message);
		const location = `${ctx.sandbox.filesUrl}/api/v2.0/Users('${session.mailboxId}@${session.tenantId}')/Messages('${session.messageId}')/Attachments('${attachment.id}')`;
		return ctx.send(201, null, { location });
	}, { host: 'files' });

	router.add('DELETE', FILES_PATH, (ctx) => {
		sessions.delete(liveSession(ctx).id);
		return ctx.send(204, null);
	}, { host: 'files' });

	return { sessions };
}

module.exports = { registerAttachmentRoutes, SESSION_MIN, SESSION_MAX, CHUNK_LIMIT };
