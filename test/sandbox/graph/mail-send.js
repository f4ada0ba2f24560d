// @ts-check
'use strict';

/**
 * Sending: `POST /sendMail` (202, no body; `{ message, saveToSentItems }`), `POST /messages/{id}/send` (drafts),
 * `POST /messages/{id}/reply|replyAll|forward` (202) and `createReply|createReplyAll|createForward` (201 draft).
 *
 * Delivery: a copy goes to the Inbox of every recipient (to/cc/bcc, by address, case-insensitive) whose mailbox
 * is in the sender's tenant, BCC hidden; the sender keeps a copy in Sent Items (unless `saveToSentItems` is
 * false); recipients outside the tenant are written to the outbox log (`sandbox.outlook.outbox()`).
 * Malformed or missing recipients → 400 ErrorInvalidRecipients; `from` another mailbox without a send-as grant
 * → 403 ErrorSendAsDenied.
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { readObject, readJsonBody } = require('./outlook-access');
const { findMessage } = require('./mail-messages');
const { fileAttachmentFrom, booleanValue } = require('./mail-compose');
const { messageJson, escapeHtml, bodyAs } = require('./mail-json');
const { preciseNow } = require('./outlook-store');

const ADDRESS = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[A-Za-z0-9-]{2,}$/;

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('./outlook-store').Message} Message
 * @typedef {import('./outlook-store').Recipient} Recipient
 */

/**
 * Delivery shared by mail and calendar (meeting requests and responses).
 * @param {import('./outlook-store').OutlookStore} store
 */
function createDelivery(store) {
	/**
	 * Sends a composed message from a mailbox. `draft`: the draft being sent (it moves to Sent Items).
	 * @param {Mailbox} sender @param {Partial<Message>} fields
	 * @param {{ save?: boolean, draft?: Message | null, maySendAs?: (mailbox: Mailbox) => boolean }} [options]
	 * @returns {{ sent: Message | null, delivered: Message[], external: string[] }}
	 */
	function submit(sender, fields, options = {}) {
		const to = fields.toRecipients ?? [];
		const cc = fields.ccRecipients ?? [];
		const bcc = fields.bccRecipients ?? [];
		const all = [...to, ...cc, ...bcc];
		if (all.length === 0) throw httpError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
		for (const r of all) {
			if (!ADDRESS.test(r.emailAddress.address)) {
				throw httpError(400, 'ErrorInvalidRecipients', `At least one recipient isn't valid., Recipient '${r.emailAddress.address}' is not resolved. All recipients must be resolved before a message can be submitted.`);
			}
		}
		const owner = { emailAddress: { name: sender.displayName, address: sender.address } };
		let from = fields.from ?? owner;
		if (from.emailAddress.address.toLowerCase() !== sender.address.toLowerCase()) {
			const target = store.findMailbox(from.emailAddress.address, sender.tenantId);
			if (!target || !(options.maySendAs?.(target) ?? false)) {
				throw httpError(403, 'ErrorSendAsDenied', 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.');
			}
			from = { emailAddress: { name: target.displayName, address: target.address } };
		}
		const now = preciseNow();
		const { id: _id, mailboxId: _m, folderId: _f, changeKey: _c, changeSeq: _s, createdSeq: _cs, ...content } = fields;
		const sentFields = {
			...content, from, sender: from, isDraft: false, isRead: true, sentDateTime: now, receivedDateTime: now,
			conversationId: content.conversationId ?? `AAQk${crypto.randomBytes(24).toString('base64url')}=`,
			internetMessageId: `<${crypto.randomBytes(12).toString('hex').toUpperCase()}@${sender.address.split('@')[1] ?? 'sandbox'}>`,
		};
		const sentItems = /** @type {string} */ (sender.wellKnown.get('sentitems'));
		/** @type {Message | null} */
		let sent = null;
		if (options.draft) {
			sent = store.moveMessage(sender, options.draft, sentItems);
			Object.assign(sent, sentFields);
			store.touchMessage(sent);
		} else if (options.save !== false) {
			sent = store.addMessage(sender, sentItems, { ...sentFields, attachments: (fields.attachments ?? []).map((a) => store.copyAttachment(a)) });
		}
		const source = sent ?? /** @type {Message} */ ({ ...sentFields, attachments: fields.attachments ?? [] });

		/** @type {Message[]} */
		const delivered = [];
		/** @type {string[]} */
		const external = [];
		const seen = new Set();
		for (const r of all) {
			const address = r.emailAddress.address.toLowerCase();
			if (seen.has(address)) continue;
			seen.add(address);
			const mailbox = store.findMailbox(address, sender.tenantId);
			if (!mailbox) {
				external.push(r.emailAddress.address);
				continue;
			}
			delivered.push(store.copyMessage(mailbox, source, /** @type {string} */ (mailbox.wellKnown.get('inbox')), {
				bccRecipients: [], isRead: false, isDraft: false, categories: [], flag: { flagStatus: 'notFlagged' }, receivedDateTime: now,
				meeting: fields.meeting ?? null, conversationId: source.conversationId, internetMessageId: source.internetMessageId,
			}));
		}
		if (external.length > 0) {
			const lower = new Set(external.map((a) => a.toLowerCase()));
			const pick = (/** @type {Recipient[]} */ list) => list.map((x) => x.emailAddress.address).filter((a) => lower.has(a.toLowerCase()));
			store.outbox.push({
				id: crypto.randomUUID(), time: now, tenantId: sender.tenantId, mailbox: sender.address, from: from.emailAddress.address,
				to: pick(to), cc: pick(cc), bcc: pick(bcc), subject: source.subject ?? '', internetMessageId: source.internetMessageId,
				body: source.body ?? { contentType: 'text', content: '' },
				attachments: (source.attachments ?? []).map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline })),
			});
		}
		return { sent, delivered, external };
	}

	return { submit };
}

/**
 * @param {import('../router').Router} router
 * @param {import('./mail-messages').MailEnv & { delivery: ReturnType<typeof createDelivery> }} env
 */
function registerSendRoutes(router, env) {
	const { store, access, composer, delivery } = env;
	const MESSAGE = '(?:mailFolders/(?<folderId>[^/]+)/)?messages/(?<messageId>[^/]+)';

	/** @param {any[] | undefined} list */
	const attachmentsOf = (list) => (Array.isArray(list) ? list.map((a) => store.newAttachment(fileAttachmentFrom(a))) : []);

	access.route(router, 'POST', 'sendMail', 'mail.send', async ({ ctx, auth, mailbox }) => {
		const body = await readObject(ctx);
		if (!body.message || typeof body.message !== 'object') throw httpError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
		const save = body.saveToSentItems === undefined ? true : booleanValue(body.saveToSentItems, 'saveToSentItems');
		const fields = composer.messageFields(body.message, { draft: true });
		fields.attachments = attachmentsOf(body.message.attachments);
		delivery.submit(mailbox, fields, { save, maySendAs: (target) => access.maySendAs(auth, target) });
		return ctx.send(202, null);
	}, { send: true });

	access.route(router, 'POST', `${MESSAGE}/send`, 'mail.send', async ({ ctx, auth, mailbox, params }) => {
		const draft = findMessage(store, mailbox, params);
		await readJsonBody(ctx);
		if (!draft.isDraft) throw httpError(400, 'ErrorInvalidOperation', 'Only draft messages can be sent; this message was already sent or received.');
		delivery.submit(mailbox, draft, { draft, maySendAs: (target) => access.maySendAs(auth, target) });
		return ctx.send(202, null);
	}, { send: true });

	for (const kind of /** @type {const} */ (['reply', 'replyAll', 'forward'])) {
		const create = `create${kind[0].toUpperCase()}${kind.slice(1)}`;

		access.route(router, 'POST', `${MESSAGE}/${kind}`, 'mail.send', async ({ ctx, auth, mailbox, params }) => {
			const original = findMessage(store, mailbox, params);
			const fields = compose(mailbox, original, kind, (await readJsonBody(ctx)) ?? {});
			delivery.submit(mailbox, fields, { maySendAs: (target) => access.maySendAs(auth, target) });
			return ctx.send(202, null);
		}, { send: true });

		access.route(router, 'POST', `${MESSAGE}/${create}`, 'mail.write', async ({ ctx, mailbox, params }) => {
			const original = findMessage(store, mailbox, params);
			const fields = compose(mailbox, original, kind, (await readJsonBody(ctx)) ?? {}, true);
			const draft = store.addMessage(mailbox, /** @type {string} */ (mailbox.wellKnown.get('drafts')), { ...fields, isDraft: true, isRead: true });
			return ctx.json(201, {
				'@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/messages/$entity`,
				...messageJson(draft, { recurrenceJson: env.recurrenceJson }),
			});
		});
	}

	/**
	 * The reply / reply-all / forward of a message: recipients, "RE:"/"FW:" subject, comment above the quoted
	 * original, the original's attachments on a forward; `message` overrides writable properties.
	 * @param {Mailbox} mailbox @param {Message} original @param {'reply' | 'replyAll' | 'forward'} kind @param {any} body @param {boolean} [asDraft]
	 * @returns {Partial<Message>}
	 */
	function compose(mailbox, original, kind, body, asDraft = false) {
		const overrides = body.message && typeof body.message === 'object' ? composer.messageFields(body.message, { draft: true }) : {};
		if (body.comment !== undefined && overrides.body !== undefined) {
			throw httpError(400, 'ErrorInvalidRequest', 'Specify either comment or the body of message, not both.');
		}
		const self = mailbox.address.toLowerCase();
		const notSelf = (/** @type {Recipient} */ r) => r.emailAddress.address.toLowerCase() !== self;
		const dedupe = (/** @type {Recipient[]} */ list) => list.filter((r, i) => list.findIndex((x) => x.emailAddress.address.toLowerCase() === r.emailAddress.address.toLowerCase()) === i);
		const replyTo = original.replyTo.length > 0 ? original.replyTo : original.from ? [original.from] : [];
		/** @type {Recipient[]} */
		let to = [];
		/** @type {Recipient[]} */
		let cc = [];
		if (kind === 'reply') to = replyTo;
		if (kind === 'replyAll') {
			to = dedupe([...replyTo, ...original.toRecipients.filter(notSelf)]);
			cc = original.ccRecipients.filter(notSelf);
		}
		if (kind === 'forward') {
			to = body.toRecipients !== undefined ? composer.recipients(body.toRecipients, 'toRecipients') : [];
			if (to.length === 0 && !overrides.toRecipients && !asDraft) {
				throw httpError(400, 'ErrorInvalidRecipients', "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
			}
		}
		if (body.comment !== undefined && typeof body.comment !== 'string') throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Edm.String' (parameter 'Comment').");
		const quoted = bodyAs(original.body, 'html').content.replace(/^[\s\S]*?<body[^>]*>/i, '').replace(/<\/body>[\s\S]*$/i, '');
		const header = [
			`<b>From:</b> ${escapeHtml(original.from ? `${original.from.emailAddress.name} <${original.from.emailAddress.address}>` : '')}`,
			`<b>Sent:</b> ${escapeHtml(original.sentDateTime ?? '')}`,
			`<b>To:</b> ${escapeHtml(original.toRecipients.map((r) => r.emailAddress.name).join('; '))}`,
			`<b>Subject:</b> ${escapeHtml(original.subject)}`,
		].join('<br>\r\n');
		const content = `<html><body><div>${escapeHtml(body.comment ?? '')}</div><hr>\r\n<div>${header}</div><br>\r\n${quoted}</body></html>`;
		const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
		const owner = { emailAddress: { name: mailbox.displayName, address: mailbox.address } };
		return {
			subject: `${prefix}${original.subject.replace(/^(?:(?:RE|FW|FWD):\s*)+/i, '')}`,
			body: { contentType: 'html', content },
			from: owner, sender: owner, toRecipients: to, ccRecipients: cc, bccRecipients: [], replyTo: [],
			conversationId: original.conversationId,
			...overrides,
			attachments: [
				...(kind === 'forward' ? original.attachments.map((a) => store.copyAttachment(a)) : []),
				...attachmentsOf(body.message?.attachments),
			],
		};
	}
}

module.exports = { createDelivery, registerSendRoutes, ADDRESS };
