// @ts-check
'use strict';

const { tokenFaultError } = require('./entraErrors');

/**
 * Fault injection per route: throttling (429 + Retry-After), 503, 504, connection resets and slow
 * responses. Faults are checked before routing, for direct requests and for `$batch` sub-requests.
 */

/**
 * @typedef {{ method?: string, path: string | RegExp, host?: 'api' | 'files' | 'any', status?: number,
 *   retryAfter?: string | number, code?: string, message?: string, times?: number, reset?: boolean,
 *   delayMs?: number, skip?: number }} FaultSpec
 * @typedef {FaultSpec & { id: number, regex: RegExp, remaining: number, hits: number }} Fault
 */

const DEFAULT_CODES = /** @type {Record<number, [string, string]>} */ ({
	429: ['TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.'],
	503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
	504: ['UnknownError', 'The gateway timed out.'],
	500: ['generalException', 'An internal server error occurred.'],
});

class Faults {
	constructor() {
		/** @type {Fault[]} */
		this.list = [];
		this.nextId = 1;
	}

	/** @param {FaultSpec} spec @returns {Fault} */
	add(spec) {
		if (!spec || (typeof spec.path !== 'string' && !(spec.path instanceof RegExp))) {
			throw new Error('fault needs a `path` (RegExp or regex string)');
		}
		if (spec.status === undefined && !spec.reset && spec.delayMs === undefined) {
			throw new Error('fault needs `status`, `reset` or `delayMs`');
		}
		const regex = spec.path instanceof RegExp ? spec.path : new RegExp(spec.path);
		/** @type {Fault} */
		const fault = { ...spec, id: this.nextId++, regex, remaining: spec.times ?? Infinity, hits: 0 };
		this.list.push(fault);
		return fault;
	}

	/** Removes all faults (or one by id). @param {number} [id] */
	reset(id) {
		this.list = id === undefined ? [] : this.list.filter((fault) => fault.id !== id);
	}

	/**
	 * Takes the first matching fault (consuming one of its `times`).
	 * @param {string} method @param {string} path raw pathname @param {import('./router').HostName} host
	 * @returns {Fault | null}
	 */
	take(method, path, host) {
		for (const fault of this.list) {
			if (fault.remaining <= 0) continue;
			if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) continue;
			const faultHost = fault.host ?? 'api';
			if (faultHost !== 'any' && faultHost !== host) continue;
			fault.regex.lastIndex = 0;
			if (!fault.regex.test(path)) continue;
			// `skip`: let the first N matching requests through (fail the 2nd folder of a path, not the 1st).
			if (fault.skip && fault.skip > 0) {
				fault.skip -= 1;
				continue;
			}
			fault.remaining -= 1;
			fault.hits += 1;
			return fault;
		}
		return null;
	}

	/** JSON-friendly view (for GET /_sandbox/faults). */
	toJSON() {
		return this.list.map(({ regex, remaining, ...rest }) => ({
			...rest,
			path: regex.source,
			remaining: remaining === Infinity ? null : remaining,
		}));
	}
}

/**
 * The response a status fault produces, or null for reset/delay-only faults.
 * @param {Fault} fault
 * @returns {{ status: number, code: string, message: string, headers: Record<string, string> } | null}
 */
function faultResponse(fault) {
	if (fault.status === undefined) return null;
	const [code, message] = DEFAULT_CODES[fault.status] ?? ['UnknownError', `Injected fault ${fault.status}.`];
	/** @type {Record<string, string>} */
	const headers = {};
	if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
	return { status: fault.status, code: fault.code ?? code, message: fault.message ?? message, headers };
}

/**
 * Faults of the Entra token endpoint (`POST /{tenant}/oauth2/v2.0/token`), answered by entra.js with Entra's error
 * body (entraErrors.js `tokenFaultError`) instead of Graph's: throttling (429 AADSTS90055 + Retry-After), loop
 * detection (AADSTS50196), outages (500/503/504) and gateway pages that are not JSON (`body`). entra.js keeps the
 * sandbox's instance as `state.tokenFaults` and serves it over HTTP as `/_sandbox/token-faults`.
 * Connection resets and slow answers on the token endpoint are ordinary faults (`sandbox.faults`, `path: '/oauth2/v2\\.0/token$'`).
 * @typedef {{ status?: number, aadsts?: number | null, error?: string, description?: string, retryAfter?: string | number,
 *   body?: string, tenant?: string, times?: number, delayMs?: number }} TokenFaultSpec
 */
class TokenFaults extends Faults {
	/** @param {TokenFaultSpec} spec @returns {Fault} */
	add(spec) {
		if (!spec || (spec.status === undefined && typeof spec.aadsts !== 'number')) throw new Error('token fault needs `status` or `aadsts`');
		const tenant = spec.tenant ? spec.tenant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '[^/]+';
		// The status is fixed now (by the AADSTS code when not given), so the fault list shows what will be answered.
		const status = tokenFaultError(spec).status;
		return super.add({ ...spec, status, method: 'POST', host: 'api', path: new RegExp(`^/${tenant}/oauth2/v2\\.0/token$`, 'i') });
	}

	/** The next fault for a token request to this raw pathname. @param {string} path */
	takeFor(path) {
		return this.take('POST', path, 'api');
	}
}

module.exports = { Faults, faultResponse, TokenFaults };
