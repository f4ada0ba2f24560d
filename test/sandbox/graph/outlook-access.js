// @ts-check
'use strict';

/**
 * Who may touch which mailbox, and the route wrapper every Outlook route goes through:
 * token (ctx.requireAuth) → mailbox from `/me` or `/users/{id|upn}` → scope/role check → delegated access to
 * another mailbox (a `.Shared` scope AND a mailbox permission) → per-mailbox throttling → the handler.
 * Outlook answers a missing permission with 403 `ErrorAccessDenied` (not the directory's
 * `Authorization_RequestDenied`), an unknown mailbox with 404 `ErrorInvalidUser`.
 */

const { httpError, SandboxHttpError } = require('../router');

/**
 * Delegated scopes for the signed-in user's own mailbox (`own`, plus every `shared` one, which cover the own
 * mailbox too), for other mailboxes (`shared` only), and application roles.
 * @typedef {{ own: string[], shared: string[], roles: string[] }} Permission
 */
const PERMISSIONS = /** @type {Record<string, Permission>} */ ({
	'mail.read': { own: ['Mail.Read', 'Mail.ReadWrite'], shared: ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'], roles: ['Mail.Read', 'Mail.ReadWrite'] },
	'mail.write': { own: ['Mail.ReadWrite'], shared: ['Mail.ReadWrite.Shared'], roles: ['Mail.ReadWrite'] },
	'mail.send': { own: ['Mail.Send'], shared: ['Mail.Send.Shared'], roles: ['Mail.Send'] },
	'calendars.read': { own: ['Calendars.Read', 'Calendars.ReadWrite'], shared: ['Calendars.Read.Shared', 'Calendars.ReadWrite.Shared'], roles: ['Calendars.Read', 'Calendars.ReadWrite'] },
	'calendars.write': { own: ['Calendars.ReadWrite'], shared: ['Calendars.ReadWrite.Shared'], roles: ['Calendars.ReadWrite'] },
	'contacts.read': { own: ['Contacts.Read', 'Contacts.ReadWrite'], shared: ['Contacts.Read.Shared', 'Contacts.ReadWrite.Shared'], roles: ['Contacts.Read', 'Contacts.ReadWrite'] },
	'contacts.write': { own: ['Contacts.ReadWrite'], shared: ['Contacts.ReadWrite.Shared'], roles: ['Contacts.ReadWrite'] },
});

/** Graph's limit on a request body (the reason large attachments need upload sessions). */
const REQUEST_LIMIT = 4 * 1024 * 1024;

const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 * @typedef {{ ctx: Context, auth: AuthInfo, mailbox: Mailbox, params: Record<string, string> }} Call
 * @typedef {(call: Call) => Promise<import('../router').SandboxResponse> | import('../router').SandboxResponse} OutlookHandler
 */

/**
 * @param {import('./outlook-store').OutlookStore} store @param {any} state
 */
function createAccess(store, state) {
	/**
	 * Registers `METHOD /v1.0/{me|users/{id}}/{rest}` (rest: regex source, case-insensitive like Graph's segments).
	 * @param {import('../router').Router} router @param {string} method @param {string} rest
	 * @param {keyof typeof PERMISSIONS} permission @param {OutlookHandler} handler @param {{ send?: boolean }} [options]
	 */
	function route(router, method, rest, permission, handler, options = {}) {
		const pattern = new RegExp(`^/v1\\.0/(?:me|users/(?<mailboxUser>[^/]+))/${rest}/?$`, 'i');
		router.add(method, pattern, async (ctx) => {
			const auth = ctx.requireAuth();
			const mailbox = resolveMailbox(ctx, auth);
			authorize(auth, mailbox, PERMISSIONS[permission], Boolean(options.send));
			takeThrottle(mailbox);
			return handler({ ctx, auth, mailbox, params: ctx.params });
		});
	}

	/** @param {Context} ctx @param {AuthInfo} auth */
	function resolveMailbox(ctx, auth) {
		const requested = ctx.params.mailboxUser;
		if (requested === undefined) {
			const own = auth.userId ? store.mailboxes.get(auth.userId) : undefined;
			if (!own) throw httpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
			return own;
		}
		const user = state.findUser(requested);
		const mailbox = store.findMailbox(user ? user.id : requested, auth.tenantId);
		if (!mailbox) throw httpError(404, 'ErrorInvalidUser', `The requested user '${requested}' is invalid.`);
		return mailbox;
	}

	/**
	 * @param {AuthInfo} auth @param {Mailbox} mailbox @param {Permission} permission @param {boolean} send
	 */
	function authorize(auth, mailbox, permission, send) {
		if (auth.appOnly) {
			if (!permission.roles.some((role) => auth.roles.includes(role))) throw httpError(403, 'ErrorAccessDenied', ACCESS_DENIED);
			return;
		}
		const own = mailbox.id === auth.userId;
		const allowed = own ? [...permission.own, ...permission.shared] : permission.shared;
		if (!allowed.some((scope) => auth.scopes.includes(scope))) throw httpError(403, 'ErrorAccessDenied', ACCESS_DENIED);
		if (own) return;
		const userId = /** @type {string} */ (auth.userId);
		if (send) {
			if (!mailbox.sendAs.has(userId)) {
				throw httpError(403, 'ErrorSendAsDenied', 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.');
			}
			return;
		}
		if (!mailbox.fullAccess.has(userId)) throw httpError(403, 'ErrorAccessDenied', ACCESS_DENIED);
	}

	/** @param {Mailbox} mailbox */
	function takeThrottle(mailbox) {
		const throttle = mailbox.throttle;
		if (!throttle || throttle.remaining <= 0) return;
		throttle.remaining -= 1;
		if (throttle.remaining <= 0) mailbox.throttle = null;
		throw httpError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'retry-after': throttle.retryAfter });
	}

	/** Whether a user (delegated) may send as a mailbox: its owner, or a send-as grant. @param {AuthInfo} auth @param {Mailbox} mailbox */
	function maySendAs(auth, mailbox) {
		return auth.appOnly || mailbox.id === auth.userId || (auth.userId !== null && mailbox.sendAs.has(auth.userId));
	}

	return { route, resolveMailbox, authorize, maySendAs };
}

/**
 * The JSON body of a write, at most 4 MB like Graph (413 before reading when Content-Length says so).
 * @param {Context} ctx @returns {Promise<any>}
 */
async function readJsonBody(ctx) {
	const tooLarge = () => httpError(413, 'RequestEntityTooLarge', `The request body exceeds Graph's ${REQUEST_LIMIT} byte limit; attach files of 3 MB or more with an upload session (attachments/createUploadSession).`);
	if (Number(ctx.headers['content-length'] ?? 0) > REQUEST_LIMIT) throw tooLarge();
	let body;
	try {
		body = await ctx.readBody(REQUEST_LIMIT);
	} catch (error) {
		if (error instanceof SandboxHttpError && error.status === 413) throw tooLarge();
		throw error;
	}
	if (body.length > REQUEST_LIMIT) throw tooLarge();
	if (body.length === 0) return undefined;
	try {
		return JSON.parse(body.toString('utf8'));
	} catch {
		throw httpError(400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
	}
}

/** A JSON object body, else 400 like Graph's empty-payload answer. @param {Context} ctx */
async function readObject(ctx) {
	const body = await readJsonBody(ctx);
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
	return body;
}

module.exports = { createAccess, readJsonBody, readObject, PERMISSIONS, REQUEST_LIMIT, ACCESS_DENIED };
