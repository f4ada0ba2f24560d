// @ts-check
'use strict';

/**
 * `/_sandbox/outlook/*` (api host, no auth, local only): the `sandbox.outlook` helpers over HTTP for tests that
 * run n8n in another process. JSON in, JSON out; `{mailbox}` is a user id, UPN or shared-mailbox address.
 *
 *   GET    /_sandbox/outlook/mailboxes                                   every mailbox (ids, well-known folder ids)
 *   GET    /_sandbox/outlook/outbox          DELETE the same             mail that left the tenant
 *   GET    /_sandbox/outlook/upload-sessions                             { open }
 *   GET    /_sandbox/outlook/{mailbox}                                   the mailbox
 *   GET    /_sandbox/outlook/{mailbox}/folders/{folder}                  mailFolder JSON (id, well-known or display name)
 *   GET    /_sandbox/outlook/{mailbox}/messages[?folder=&subject=]       messages, newest first
 *   POST   /_sandbox/outlook/{mailbox}/messages                          seed one (MessageSpec; attachments with text or base64),
 *                                                                        or { count, ...spec } a burst → { ids }
 *   GET    /_sandbox/outlook/{mailbox}/messages/{id}                     one message; PATCH changes it; DELETE removes it
 *   GET    /_sandbox/outlook/{mailbox}/messages/{id}/attachments/{idOrName}/content   raw bytes
 *   POST   /_sandbox/outlook/{mailbox}/throttle                          { times, retryAfter }
 *   POST   /_sandbox/outlook/{mailbox}/expire-delta                      delta tokens → 410
 *   POST   /_sandbox/outlook/{mailbox}/permissions                       { user, fullAccess?, sendAs? }
 *   GET|POST /_sandbox/outlook/{mailbox}/events                          events (?subject=) / seed one (event JSON)
 *   GET|POST /_sandbox/outlook/{mailbox}/contacts                        contacts / seed one (contact JSON)
 */

const { httpError } = require('../router');

const PLAIN = { 'content-type': 'application/json; charset=utf-8' };

/** @param {import('../router').Router} router @param {ReturnType<typeof import('./outlook-api').createOutlookApi>} api */
function registerOutlookControl(router, api) {
	/** Helper errors (plain Error) become 400s with their message. @template T @param {() => T} fn @returns {T} */
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
	const base = '/_sandbox/outlook';

	router.add('GET', `${base}/mailboxes`, (ctx) => ctx.json(200, api.listMailboxes(), PLAIN));
	router.add('GET', `${base}/outbox`, (ctx) => ctx.json(200, api.outbox(), PLAIN));
	router.add('DELETE', `${base}/outbox`, (ctx) => {
		api.clearOutbox();
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/upload-sessions`, (ctx) => ctx.json(200, { open: api.openUploadSessions() }, PLAIN));
	router.add('GET', `${base}/:mailbox`, (ctx) => ctx.json(200, attempt(() => api.mailbox(ctx.params.mailbox)), PLAIN));
	router.add('GET', `${base}/:mailbox/folders/:folder`, (ctx) => {
		const folder = attempt(() => api.folder(ctx.params.mailbox, ctx.params.folder));
		return folder ? ctx.json(200, folder, PLAIN) : ctx.error(404, 'ErrorItemNotFound', 'No such folder.');
	});
	router.add('GET', `${base}/:mailbox/messages`, (ctx) => {
		const list = attempt(() => api.messages(ctx.params.mailbox, ctx.query.folder));
		return ctx.json(200, ctx.query.subject === undefined ? list : list.filter((m) => m.subject === ctx.query.subject), PLAIN);
	});
	router.add('POST', `${base}/:mailbox/messages`, async (ctx) => {
		const { count, ...spec } = await body(ctx);
		if (count !== undefined) return ctx.json(201, { ids: attempt(() => api.seedMessages(ctx.params.mailbox, Number(count), spec)) }, PLAIN);
		return ctx.json(201, attempt(() => api.seedMessage(ctx.params.mailbox, spec)), PLAIN);
	});
	router.add('GET', `${base}/:mailbox/messages/:id`, (ctx) => {
		const message = attempt(() => api.message(ctx.params.mailbox, ctx.params.id));
		return message ? ctx.json(200, message, PLAIN) : ctx.error(404, 'ErrorItemNotFound', 'No such message.');
	});
	router.add('PATCH', `${base}/:mailbox/messages/:id`, async (ctx) => {
		const changes = await body(ctx);
		return ctx.json(200, attempt(() => api.updateMessage(ctx.params.mailbox, ctx.params.id, changes)), PLAIN);
	});
	router.add('DELETE', `${base}/:mailbox/messages/:id`, (ctx) => {
		attempt(() => api.deleteMessage(ctx.params.mailbox, ctx.params.id));
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/:mailbox/messages/:id/attachments/:attachment/content`, (ctx) =>
		ctx.send(200, attempt(() => api.attachmentBytes(ctx.params.mailbox, ctx.params.id, ctx.params.attachment)), { 'content-type': 'application/octet-stream' }));
	router.add('POST', `${base}/:mailbox/throttle`, async (ctx) => {
		const { times, retryAfter } = await body(ctx);
		attempt(() => api.throttle(ctx.params.mailbox, { times: times === undefined ? undefined : Number(times), retryAfter }));
		return ctx.send(204, null);
	});
	router.add('POST', `${base}/:mailbox/expire-delta`, (ctx) => {
		attempt(() => api.expireDeltaTokens(ctx.params.mailbox));
		return ctx.send(204, null);
	});
	router.add('POST', `${base}/:mailbox/permissions`, async (ctx) => {
		const { user, fullAccess, sendAs } = await body(ctx);
		attempt(() => api.setMailboxPermission(ctx.params.mailbox, String(user), { fullAccess, sendAs }));
		return ctx.send(204, null);
	});
	router.add('GET', `${base}/:mailbox/events`, (ctx) => {
		const list = attempt(() => api.events(ctx.params.mailbox));
		return ctx.json(200, ctx.query.subject === undefined ? list : list.filter((e) => e.subject === ctx.query.subject), PLAIN);
	});
	router.add('POST', `${base}/:mailbox/events`, async (ctx) => {
		const spec = await body(ctx);
		return ctx.json(201, attempt(() => api.seedEvent(ctx.params.mailbox, spec)), PLAIN);
	});
	router.add('GET', `${base}/:mailbox/contacts`, (ctx) => ctx.json(200, attempt(() => api.contacts(ctx.params.mailbox)), PLAIN));
	router.add('POST', `${base}/:mailbox/contacts`, async (ctx) => {
		const fields = await body(ctx);
		return ctx.json(201, attempt(() => api.seedContact(ctx.params.mailbox, fields)), PLAIN);
	});
}

module.exports = { registerOutlookControl };
