// @ts-check
'use strict';

/**
 * Change-notification subscriptions and their clock.
 *
 * Lifetimes (Graph v1.0 for Teams resources): at most 4320 minutes (3 days) ahead, else 400 "Subscription expiration
 * can only be 4320 minutes in the future."; more than 1 hour ahead needs a lifecycleNotificationUrl, else 400
 * "lifecycleNotificationUrl is a required property …". A subscription whose expirationDateTime has passed is gone: it
 * delivers nothing more (pending retries are dropped) and `GET /subscriptions/{id}` answers 404. Renewal is a PATCH of
 * expirationDateTime (same rules).
 *
 * The clock (`engine.clock`, `sandbox.teams.subscriptionClock`) shortens lifetimes for tests: with `maxLifetimeMs`
 * set, the sandbox grants at most that much (it answers the shortened expirationDateTime in the 201/200; real Graph
 * refuses longer requests instead of shortening them, so clients must use the expirationDateTime of the answer).
 * `reauthorizeBeforeMs` (default: 10 minutes, or a quarter of the granted lifetime when that is shorter) is when, before
 * expiry, a `reauthorizationRequired` lifecycle notification goes to the lifecycleNotificationUrl (once per lifetime;
 * renewing or POST /subscriptions/{id}/reauthorize re-arms it).
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { notificationResource } = require('./subscriptions-resources');

const MAX_MINUTES = 4320;
const LIFECYCLE_REQUIRED_AFTER_MS = 60 * 60 * 1000;

/**
 * @typedef {import('./teams-store').ChangeEvent} ChangeEvent
 * @typedef {{ id: string, tenantId: string, applicationId: string, creatorId: string, appOnly: boolean, resource: string,
 *   kind: import('./subscriptions-resources').ResourceKind, ids: import('./subscriptions-resources').Ids, search: string | null,
 *   mentionUserId: string | null, changeTypes: string[], notificationUrl: string, lifecycleNotificationUrl: string | null,
 *   clientState: string | null, expiration: number, latestSupportedTlsVersion: string, createdDateTime: string,
 *   expireTimer: NodeJS.Timeout | null, reauthTimer: NodeJS.Timeout | null }} Subscription
 * @typedef {{ maxLifetimeMs: number | null, reauthorizeBeforeMs: number | null }} Clock
 */

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();

class SubscriptionEngine {
	/**
	 * @param {{ delivery: ReturnType<typeof import('./subscriptions-delivery').createDelivery>,
	 *   findMessage: (event: ChangeEvent) => import('./teams-store').Message | undefined }} options
	 */
	constructor(options) {
		this.delivery = options.delivery;
		this.findMessage = options.findMessage;
		/** @type {Map<string, Subscription>} */
		this.subscriptions = new Map();
		/** @type {Array<{ id: string, resource: string, reason: 'expired' | 'deleted' | 'removed', time: string }>} */
		this.ended = [];
		/** @type {Clock} */
		this.clock = { maxLifetimeMs: null, reauthorizeBeforeMs: null };
	}

	/**
	 * The expiration granted for a requested one (ms), after Graph's checks; 400 when refused.
	 * @param {unknown} requested @param {boolean} hasLifecycleUrl
	 */
	grant(requested, hasLifecycleUrl) {
		if (typeof requested !== 'string' || Number.isNaN(Date.parse(requested))) throw httpError(400, 'InvalidRequest', 'expirationDateTime is required (an ISO 8601 date-time).');
		const now = Date.now();
		const at = Date.parse(requested);
		if (at <= now) throw httpError(400, 'InvalidRequest', 'Subscription expiration must be in the future.');
		if (at - now > MAX_MINUTES * 60000) throw httpError(400, 'ExtensionError', `Subscription expiration can only be ${MAX_MINUTES} minutes in the future.`);
		if (at - now > LIFECYCLE_REQUIRED_AFTER_MS && !hasLifecycleUrl) {
			throw httpError(400, 'InvalidRequest', 'lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour.');
		}
		return this.clock.maxLifetimeMs === null ? at : Math.min(at, now + this.clock.maxLifetimeMs);
	}

	/** A live subscription (an expired one is removed on the way). @param {string} id */
	get(id) {
		const sub = this.subscriptions.get(id);
		if (sub && sub.expiration <= Date.now()) {
			this.remove(sub, 'expired');
			return undefined;
		}
		return sub;
	}

	/** Every live subscription. */
	list() {
		return [...this.subscriptions.keys()].map((id) => this.get(id)).filter((s) => s !== undefined);
	}

	/** @param {Omit<Subscription, 'id' | 'expireTimer' | 'reauthTimer' | 'createdDateTime'>} spec */
	add(spec) {
		/** @type {Subscription} */
		const sub = { ...spec, id: crypto.randomUUID(), createdDateTime: iso(Date.now()), expireTimer: null, reauthTimer: null };
		this.subscriptions.set(sub.id, sub);
		this.schedule(sub);
		return sub;
	}

	/** (Re)arms the expiry and the reauthorizationRequired timers. @param {Subscription} sub */
	schedule(sub) {
		this.clearTimers(sub);
		const now = Date.now();
		sub.expireTimer = setTimeout(() => this.get(sub.id), Math.max(0, sub.expiration - now) + 5);
		sub.expireTimer.unref?.();
		if (sub.lifecycleNotificationUrl) {
			const lifetime = sub.expiration - now;
			const before = this.clock.reauthorizeBeforeMs ?? Math.min(10 * 60000, lifetime / 4);
			sub.reauthTimer = setTimeout(() => {
				sub.reauthTimer = null;
				if (this.subscriptions.has(sub.id)) this.lifecycle(sub, 'reauthorizationRequired');
			}, Math.max(0, lifetime - before));
			sub.reauthTimer.unref?.();
		}
	}

	/** @param {Subscription} sub */
	clearTimers(sub) {
		if (sub.expireTimer) clearTimeout(sub.expireTimer);
		if (sub.reauthTimer) clearTimeout(sub.reauthTimer);
		sub.expireTimer = null;
		sub.reauthTimer = null;
	}

	/** @param {Subscription} sub @param {'expired' | 'deleted' | 'removed'} reason */
	remove(sub, reason) {
		if (!this.subscriptions.delete(sub.id)) return;
		this.clearTimers(sub);
		this.ended.push({ id: sub.id, resource: sub.resource, reason, time: iso(Date.now()) });
	}

	/**
	 * Sends a lifecycle notification to the subscription's lifecycleNotificationUrl.
	 * @param {Subscription} sub @param {'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'} event
	 */
	lifecycle(sub, event) {
		if (!sub.lifecycleNotificationUrl) throw new Error(`subscription ${sub.id} has no lifecycleNotificationUrl`);
		return this.delivery.send({
			kind: 'lifecycle', subscriptionId: sub.id, url: sub.lifecycleNotificationUrl, lifecycleEvent: event, alive: () => true,
			body: { value: [{ subscriptionId: sub.id, subscriptionExpirationDateTime: iso(sub.expiration), tenantId: sub.tenantId, clientState: sub.clientState, lifecycleEvent: event }] },
		});
	}

	/** Delivers a change of the model to every live subscription it matches. @param {ChangeEvent} event */
	onChange(event) {
		for (const sub of this.list()) {
			if (sub.tenantId !== event.tenantId || !sub.changeTypes.includes(event.changeType)) continue;
			if (!sub.kind.matches(event, sub.ids)) continue;
			if ((sub.search || sub.mentionUserId) && !this.contentMatches(sub, event)) continue;
			const { resource, resourceData } = notificationResource(event);
			this.delivery.send({
				kind: 'notification', subscriptionId: sub.id, url: sub.notificationUrl, changeType: event.changeType, resource,
				alive: () => this.get(sub.id) !== undefined,
				body: {
					value: [{
						subscriptionId: sub.id, clientState: sub.clientState, changeType: event.changeType, resource,
						subscriptionExpirationDateTime: iso(sub.expiration), resourceData, tenantId: sub.tenantId,
					}],
				},
			});
		}
	}

	/** `$search` / mentions filters of message subscriptions. @param {Subscription} sub @param {ChangeEvent} event */
	contentMatches(sub, event) {
		const message = this.findMessage(event);
		if (!message) return false;
		if (sub.search && !message.body.content.toLowerCase().includes(sub.search.toLowerCase())) return false;
		if (sub.mentionUserId && !message.mentions.some((m) => m.mentioned.user?.id === sub.mentionUserId)) return false;
		return true;
	}

	/** @param {Subscription} sub */
	json(sub) {
		return {
			id: sub.id, resource: sub.resource, applicationId: sub.applicationId, changeType: sub.changeTypes.join(','), clientState: sub.clientState,
			notificationUrl: sub.notificationUrl, notificationQueryOptions: null, lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
			expirationDateTime: iso(sub.expiration), creatorId: sub.creatorId, includeResourceData: false, latestSupportedTlsVersion: sub.latestSupportedTlsVersion,
			encryptionCertificate: null, encryptionCertificateId: null, notificationUrlAppId: null,
		};
	}

	shutdown() {
		for (const sub of this.subscriptions.values()) this.clearTimers(sub);
	}
}

module.exports = { SubscriptionEngine, MAX_MINUTES, LIFECYCLE_REQUIRED_AFTER_MS };
