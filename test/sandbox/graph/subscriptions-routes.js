// @ts-check
'use strict';

/**
 * `/subscriptions` (change notifications for Teams resources; see subscriptions-resources.js for the resources):
 *   POST   /subscriptions            { changeType, notificationUrl, resource, expirationDateTime, clientState?,
 *                                    lifecycleNotificationUrl?, includeResourceData? } → validation handshake with the
 *                                    notificationUrl (and the lifecycleNotificationUrl), then 201 with the subscription
 *   GET    /subscriptions            the calling app's live subscriptions (a user's, for a delegated token)
 *   GET|PATCH|DELETE /subscriptions/{id}    PATCH { expirationDateTime?, notificationUrl? } renews / moves (→ 200); DELETE → 204
 *   POST   /subscriptions/{id}/reauthorize  → 204 (re-arms the reauthorizationRequired notification)
 * Notification URLs must be https; the sandbox also accepts http on loopback (127.0.0.0/8, localhost, ::1), where
 * n8n listens in tests. Rich notifications (includeResourceData: true) need encryptionCertificate and
 * encryptionCertificateId (400 without); with them they are not modelled (400): notifications carry ids only.
 * Handshake failures are 400 `InvalidRequest`: "Subscription validation request failed. Response must exactly match
 * validationToken query parameter." (wrong answer), "… must respond with 200 OK to validation request." (other status,
 * no connection), "Subscription validation request timed out." (no answer within 10 s).
 */

const { httpError } = require('../router');
const { readObject, createLookups, FORBIDDEN } = require('./teams-access');
const { parseResource } = require('./subscriptions-resources');
const { servicePrincipalIdFor } = require('../tokens');

/**
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 * @typedef {import('./subscriptions-store').Subscription} Subscription
 */

const CHANGE_TYPES = ['created', 'updated', 'deleted'];

/** @param {string} hostname */
function isLoopback(hostname) {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** @param {unknown} value @param {string} name */
function checkUrl(value, name) {
	if (typeof value !== 'string' || value.trim() === '') throw httpError(400, 'InvalidRequest', `${name} is required.`);
	let url;
	try {
		url = new URL(value);
	} catch {
		throw httpError(400, 'InvalidRequest', `Invalid ${name} '${value}'.`);
	}
	if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url.toString();
	throw httpError(400, 'InvalidRequest', `The ${name} must use https (the sandbox also accepts http on 127.0.0.1 and localhost).`);
}

/**
 * @param {import('../router').Router} router
 * @param {{ engine: import('./subscriptions-store').SubscriptionEngine, delivery: ReturnType<typeof import('./subscriptions-delivery').createDelivery>,
 *   lookups: ReturnType<typeof createLookups>, state: any }} env
 */
function registerSubscriptionRoutes(router, env) {
	const { engine, delivery, lookups, state } = env;
	const meta = (/** @type {Context} */ ctx) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#subscriptions`;

	/** The handshake with a URL; 400 as Graph when it fails. @param {string} url */
	const handshake = async (url) => {
		const result = await delivery.validate(url);
		if (result.ok) return;
		if (result.reason === 'timeout') throw httpError(400, 'InvalidRequest', 'Subscription validation request timed out.');
		if (result.reason === 'mismatch') throw httpError(400, 'InvalidRequest', 'Subscription validation request failed. Response must exactly match validationToken query parameter.');
		throw httpError(400, 'InvalidRequest', 'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.');
	};

	/** Permission, existence and membership of the watched resource. @param {AuthInfo} auth @param {ReturnType<typeof parseResource>} parsed @param {string} resource */
	const checkAccess = (auth, parsed, resource) => {
		const { kind, ids } = parsed;
		const allowed = auth.appOnly ? kind.roles : kind.scopes;
		const held = auth.appOnly ? auth.roles : auth.scopes;
		if (allowed.length === 0) throw httpError(403, 'Forbidden', `Subscriptions to '${resource}' are supported only with application permissions.`);
		if (!allowed.some((p) => held.includes(p))) {
			const [kindWord, what] = auth.appOnly ? ['role', 'Roles'] : ['scope', 'Scopes'];
			throw httpError(403, 'Forbidden', `Missing ${kindWord} permissions on the request. API requires one of '${allowed.join(', ')}'. ${what} on the request '${held.join(', ')}'.`);
		}
		if (/^\/?me\//i.test(resource)) {
			if (auth.appOnly) throw httpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
			ids.user = /** @type {string} */ (auth.userId);
		} else if (ids.user !== undefined) {
			const user = state.findUser(ids.user);
			if (!user || user.tenant !== auth.tenantId) throw httpError(404, 'NotFound', `User ${ids.user} was not found.`);
			if (!auth.appOnly && user.id !== auth.userId) throw FORBIDDEN();
			ids.user = user.id;
		}
		if (ids.team !== undefined) {
			const team = lookups.team(auth, ids.team);
			if (ids.channel !== undefined) {
				const channel = lookups.channel(auth, team, ids.channel);
				ids.channel = channel.id;
				if (ids.message !== undefined && !channel.messages.has(ids.message)) throw httpError(404, 'NotFound', `Message ${ids.message} was not found in the channel.`);
			}
		}
		if (ids.chat !== undefined) ids.chat = lookups.chat(auth, ids.chat).id;
	};

	/** A subscription the caller may manage; 404 otherwise. @param {AuthInfo} auth @param {string} id */
	const own = (auth, id) => {
		const sub = engine.get(id);
		if (!sub || sub.tenantId !== auth.tenantId || sub.applicationId !== auth.appId || (auth.appOnly ? !sub.appOnly : sub.creatorId !== auth.userId)) {
			throw httpError(404, 'ResourceNotFound', `The subscription '${id}' was not found.`);
		}
		return sub;
	};

	router.add('POST', '/v1.0/subscriptions', async (ctx) => {
		const auth = ctx.requireAuth();
		const input = await readObject(ctx);
		const changeTypes = typeof input.changeType === 'string' ? input.changeType.split(',').map((s) => s.trim()).filter(Boolean) : [];
		if (changeTypes.length === 0) throw httpError(400, 'InvalidRequest', "changeType is required: 'created', 'updated', 'deleted' or a comma-separated list.");
		for (const type of changeTypes) if (!CHANGE_TYPES.includes(type)) throw httpError(400, 'InvalidRequest', `Invalid changeType '${type}'.`);
		const notificationUrl = checkUrl(input.notificationUrl, 'notificationUrl');
		if (typeof input.resource !== 'string' || input.resource.trim() === '') throw httpError(400, 'InvalidRequest', 'resource is required.');
		const parsed = parseResource(input.resource);
		for (const type of changeTypes) if (!parsed.kind.changeTypes.includes(type)) throw httpError(400, 'InvalidRequest', `changeType '${type}' is not supported for ${parsed.kind.name} (${parsed.kind.changeTypes.join(', ')}).`);
		checkAccess(auth, parsed, input.resource);
		if (input.includeResourceData === true) {
			if (typeof input.encryptionCertificate !== 'string' || typeof input.encryptionCertificateId !== 'string') {
				throw httpError(400, 'InvalidRequest', 'encryptionCertificate and encryptionCertificateId are required when includeResourceData is true.');
			}
			throw httpError(400, 'InvalidRequest', 'Rich notifications (includeResourceData: true, encrypted resource data) are not modelled by the sandbox; subscribe without resource data.');
		}
		if (input.clientState !== undefined && input.clientState !== null && (typeof input.clientState !== 'string' || input.clientState.length > 128)) {
			throw httpError(400, 'InvalidRequest', 'clientState must be a string of at most 128 characters.');
		}
		const lifecycleNotificationUrl = input.lifecycleNotificationUrl === undefined || input.lifecycleNotificationUrl === null ? null : checkUrl(input.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
		const expiration = engine.grant(input.expirationDateTime, lifecycleNotificationUrl !== null);
		await handshake(notificationUrl);
		if (lifecycleNotificationUrl) await handshake(lifecycleNotificationUrl);
		const sub = engine.add({
			tenantId: auth.tenantId, applicationId: auth.appId, appOnly: auth.appOnly,
			creatorId: auth.appOnly ? servicePrincipalIdFor(auth.appId, auth.tenantId) : /** @type {string} */ (auth.userId),
			resource: input.resource, kind: parsed.kind, ids: parsed.ids, search: parsed.search, mentionUserId: parsed.mentionUserId, changeTypes,
			notificationUrl, lifecycleNotificationUrl, clientState: typeof input.clientState === 'string' ? input.clientState : null, expiration,
			latestSupportedTlsVersion: typeof input.latestSupportedTlsVersion === 'string' ? input.latestSupportedTlsVersion : 'v1_2',
		});
		return ctx.json(201, { '@odata.context': `${meta(ctx)}/$entity`, ...engine.json(sub) });
	});

	router.add('GET', '/v1.0/subscriptions', (ctx) => {
		const auth = ctx.requireAuth();
		const mine = engine.list().filter((s) => s.tenantId === auth.tenantId && s.applicationId === auth.appId && (auth.appOnly ? s.appOnly : s.creatorId === auth.userId));
		return ctx.json(200, { '@odata.context': meta(ctx), value: mine.map((s) => engine.json(s)) });
	});

	router.add('GET', '/v1.0/subscriptions/:id', (ctx) => {
		const auth = ctx.requireAuth();
		return ctx.json(200, { '@odata.context': `${meta(ctx)}/$entity`, ...engine.json(own(auth, ctx.params.id)) });
	});

	router.add('PATCH', '/v1.0/subscriptions/:id', async (ctx) => {
		const auth = ctx.requireAuth();
		const sub = own(auth, ctx.params.id);
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) {
			if (!['expirationDateTime', 'notificationUrl'].includes(key) && !key.startsWith('@odata')) throw httpError(400, 'InvalidRequest', `Property '${key}' cannot be updated; expirationDateTime and notificationUrl can.`);
		}
		const expiration = input.expirationDateTime !== undefined ? engine.grant(input.expirationDateTime, sub.lifecycleNotificationUrl !== null) : sub.expiration;
		let notificationUrl = sub.notificationUrl;
		if (input.notificationUrl !== undefined) {
			notificationUrl = checkUrl(input.notificationUrl, 'notificationUrl');
			if (notificationUrl !== sub.notificationUrl) await handshake(notificationUrl);
		}
		const live = own(auth, ctx.params.id); // it may have expired during the handshake
		live.expiration = expiration;
		live.notificationUrl = notificationUrl;
		engine.schedule(live);
		return ctx.json(200, { '@odata.context': `${meta(ctx)}/$entity`, ...engine.json(live) });
	});

	router.add('DELETE', '/v1.0/subscriptions/:id', (ctx) => {
		const auth = ctx.requireAuth();
		engine.remove(own(auth, ctx.params.id), 'deleted');
		return ctx.send(204, null);
	});

	router.add('POST', '/v1.0/subscriptions/:id/reauthorize', (ctx) => {
		const auth = ctx.requireAuth();
		engine.schedule(own(auth, ctx.params.id));
		return ctx.send(204, null);
	});
}

module.exports = { registerSubscriptionRoutes, isLoopback };
