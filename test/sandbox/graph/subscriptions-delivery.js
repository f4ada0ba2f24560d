// @ts-check
'use strict';

/**
 * Outgoing HTTP of change notifications, as Microsoft Graph's notification service does it:
 *   - the validation handshake: `POST <url>?validationToken=<token>` (Content-Type text/plain, empty body); the
 *     endpoint must answer 200 with exactly the token (plain text) within `validationTimeoutMs` (10 s);
 *   - notifications: `POST <url>` with `{ value: [ … ] }` (JSON); a 2xx within `timeoutMs` (3 s) counts as delivered,
 *     anything else (status, timeout, refused connection) is retried after each of `retryDelaysMs` in turn, then given
 *     up. Retries stop when the subscription is gone (expired or deleted).
 * Every delivery is recorded (`log`): payload, each attempt (status or error, duration) and its final state.
 * https URLs are called with the sandbox CA trusted besides the public roots; http is used for loopback receivers.
 */

const http = require('node:http');
const https = require('node:https');
const tls = require('node:tls');
const crypto = require('node:crypto');

/**
 * @typedef {{ time: string, status: number | null, error: string | null, durationMs: number }} Attempt
 * @typedef {{ id: string, kind: 'notification' | 'lifecycle', subscriptionId: string, url: string, changeType: string | null,
 *   lifecycleEvent: string | null, resource: string | null, body: any, attempts: Attempt[],
 *   state: 'pending' | 'delivered' | 'failed' | 'dropped', createdDateTime: string }} Delivery
 * @typedef {{ validationTimeoutMs: number, timeoutMs: number, retryDelaysMs: number[] }} DeliverySettings
 */

/** Graph's defaults: 10 s for the handshake, 3 s per notification, retries with exponential backoff. */
const DEFAULT_SETTINGS = () => ({ validationTimeoutMs: 10000, timeoutMs: 3000, retryDelaysMs: [1000, 2000, 4000, 8000] });

/**
 * One POST; resolves with the status and body, or an error (network, timeout). Never rejects.
 * @param {string} url @param {string | Buffer} body @param {Record<string, string>} headers @param {number} timeoutMs @param {string} ca
 * @param {Set<import('node:http').ClientRequest>} open
 * @returns {Promise<{ status: number | null, text: string, error: string | null, headers: import('node:http').IncomingHttpHeaders }>}
 */
function post(url, body, headers, timeoutMs, ca, open) {
	return new Promise((resolve) => {
		let settled = false;
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		/** @param {{ status: number | null, text: string, error: string | null, headers: import('node:http').IncomingHttpHeaders }} result */
		const done = (result) => {
			if (settled) return;
			settled = true;
			if (timer) clearTimeout(timer);
			open.delete(req);
			resolve(result);
		};
		const target = new URL(url);
		const options = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false };
		const req = target.protocol === 'https:'
			? https.request(target, { ...options, ca: [ca, ...tls.rootCertificates] }, onResponse)
			: http.request(target, options, onResponse);
		open.add(req);
		timer = setTimeout(() => {
			done({ status: null, text: '', error: `timed out after ${timeoutMs} ms`, headers: {} });
			req.destroy();
		}, timeoutMs);
		timer.unref?.();
		/** @param {import('node:http').IncomingMessage} res */
		function onResponse(res) {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), error: null, headers: res.headers }));
			res.on('error', (error) => done({ status: null, text: '', error: error.message, headers: {} }));
		}
		req.on('error', (error) => done({ status: null, text: '', error: error.message, headers: {} }));
		req.end(body);
	});
}

/**
 * @param {{ ca: string }} options
 */
function createDelivery(options) {
	/** @type {DeliverySettings} */
	const settings = DEFAULT_SETTINGS();
	/** @type {Delivery[]} */
	const log = [];
	/** @type {Array<{ url: string, time: string, ok: boolean, reason: string | null, detail: string | null }>} */
	const validations = [];
	/** @type {Set<import('node:http').ClientRequest>} */
	const open = new Set();
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Set<(delivery: Delivery) => void>} */
	const watchers = new Set();
	let stopped = false;

	const notifyWatchers = (/** @type {Delivery} */ delivery) => {
		for (const watcher of watchers) watcher(delivery);
	};

	/**
	 * The handshake. @param {string} url
	 * @returns {Promise<{ ok: true } | { ok: false, reason: 'timeout' | 'status' | 'mismatch' | 'network', detail: string }>}
	 */
	async function validate(url) {
		const result = await handshake(url);
		validations.push({ url, time: new Date().toISOString(), ok: result.ok, reason: result.ok ? null : result.reason, detail: result.ok ? null : result.detail });
		return result;
	}

	/**
	 * @param {string} url
	 * @returns {Promise<{ ok: true } | { ok: false, reason: 'timeout' | 'status' | 'mismatch' | 'network', detail: string }>}
	 */
	async function handshake(url) {
		const token = `Validation: Testing client application reachability for subscription Request-Id: ${crypto.randomUUID()}`;
		const target = new URL(url);
		target.searchParams.set('validationToken', token);
		const result = await post(target.toString(), '', { 'content-type': 'text/plain; charset=utf-8' }, settings.validationTimeoutMs, options.ca, open);
		if (result.error) return { ok: false, reason: /timed out/.test(result.error) ? 'timeout' : 'network', detail: result.error };
		if (result.status !== 200) return { ok: false, reason: 'status', detail: `answered ${result.status}` };
		if (result.text !== token) return { ok: false, reason: 'mismatch', detail: `answered ${JSON.stringify(result.text.slice(0, 200))}` };
		return { ok: true };
	}

	/**
	 * Sends a notification (or a lifecycle notification) with retries; returns the record at once.
	 * @param {{ kind: 'notification' | 'lifecycle', subscriptionId: string, url: string, body: any, changeType?: string | null,
	 *   lifecycleEvent?: string | null, resource?: string | null, alive: () => boolean }} spec
	 * @returns {Delivery}
	 */
	function send(spec) {
		/** @type {Delivery} */
		const delivery = {
			id: crypto.randomUUID(), kind: spec.kind, subscriptionId: spec.subscriptionId, url: spec.url, changeType: spec.changeType ?? null,
			lifecycleEvent: spec.lifecycleEvent ?? null, resource: spec.resource ?? null, body: spec.body, attempts: [], state: 'pending',
			createdDateTime: new Date().toISOString(),
		};
		log.push(delivery);
		const payload = JSON.stringify(spec.body);
		const attempt = async (/** @type {number} */ index) => {
			if (stopped) return;
			const started = Date.now();
			const result = await post(spec.url, payload, { 'content-type': 'application/json; charset=utf-8' }, settings.timeoutMs, options.ca, open);
			delivery.attempts.push({ time: new Date(started).toISOString(), status: result.status, error: result.error, durationMs: Date.now() - started });
			if (result.status !== null && result.status >= 200 && result.status < 300) {
				delivery.state = 'delivered';
				notifyWatchers(delivery);
				return;
			}
			const delay = settings.retryDelaysMs[index];
			if (delay === undefined || stopped) {
				delivery.state = 'failed';
				notifyWatchers(delivery);
				return;
			}
			const timer = setTimeout(() => {
				timers.delete(timer);
				if (spec.kind === 'notification' && !spec.alive()) {
					delivery.state = 'dropped';
					notifyWatchers(delivery);
					return;
				}
				void attempt(index + 1);
			}, delay);
			timer.unref?.();
			timers.add(timer);
			notifyWatchers(delivery);
		};
		setImmediate(() => void attempt(0));
		return delivery;
	}

	return {
		settings,
		log,
		validations,
		validate,
		send,
		/** Calls `watch` on every state change of a delivery until the returned function is called. @param {(d: Delivery) => void} watch */
		watch(watch) {
			watchers.add(watch);
			return () => watchers.delete(watch);
		},
		/** Restores the default timing. */
		resetSettings() {
			Object.assign(settings, DEFAULT_SETTINGS());
		},
		shutdown() {
			stopped = true;
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const req of open) req.destroy();
			open.clear();
		},
	};
}

module.exports = { createDelivery, DEFAULT_SETTINGS };
