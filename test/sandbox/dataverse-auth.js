// @ts-check
'use strict';

/**
 * Token checks of the Dataverse environment, as Dataverse makes them: the token must be signed by the
 * sandbox's Entra, be issued for this environment's URL (a Graph token is refused), be unexpired and come
 * from the environment's tenant. Dataverse answers those failures with an empty 401 and a
 * `WWW-Authenticate` challenge. A valid token of a principal that is not a user of the environment (an app
 * without an application user, a user of another tenant) gets 403 0x80072560.
 */

const crypto = require('node:crypto');
const { decodeJwt, verifyJwtSignature } = require('./jwt');

/** @typedef {{ appOnly: boolean, tenantId: string, appId: string, userId: string | null, systemUserId: string }} DataverseCaller */
/** @typedef {{ ok: true, caller: DataverseCaller } | { ok: false, status: 401 | 403, reason: string }} AuthResult */

/**
 * @param {{ tokens: { jwks(): { keys: Array<Record<string, unknown>> } }, state: any, dataverseUrl: string, loginUrl: string,
 *   environment: { tenantId: string, applicationUsers: Set<string> } }} deps
 */
function createDataverseAuth(deps) {
	const publicKey = crypto.createPublicKey({ key: /** @type {any} */ (deps.tokens.jwks().keys[0]), format: 'jwk' });
	const audience = deps.dataverseUrl.replace(/\/+$/, '').toLowerCase();

	/** @param {Record<string, string>} headers @returns {AuthResult} */
	function check(headers) {
		const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
		if (!match) return { ok: false, status: 401, reason: 'no bearer token' };
		const decoded = decodeJwt(match[1]);
		if (!decoded || decoded.header.alg !== 'RS256' || !verifyJwtSignature(decoded, publicKey)) {
			return { ok: false, status: 401, reason: 'invalid signature' };
		}
		const claims = decoded.payload;
		if (String(claims.aud ?? '').replace(/\/+$/, '').toLowerCase() !== audience) return { ok: false, status: 401, reason: 'wrong audience' };
		if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(Date.now() / 1000)) return { ok: false, status: 401, reason: 'expired' };
		if (deps.state.revokedTokenIds.has(claims.uti)) return { ok: false, status: 401, reason: 'revoked' };
		if (claims.tid !== deps.environment.tenantId) return { ok: false, status: 401, reason: 'token of another tenant' };

		const appOnly = claims.idtyp === 'app';
		const appId = String(claims.appid ?? '').toLowerCase();
		if (appOnly && !deps.environment.applicationUsers.has(appId)) return { ok: false, status: 403, reason: 'no application user' };
		if (!appOnly) {
			const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
			const user = deps.state.users.get(claims.oid);
			if (!scopes.includes('user_impersonation') || !user || user.tenant !== deps.environment.tenantId) {
				return { ok: false, status: 403, reason: 'user not in the environment' };
			}
		}
		const principal = appOnly ? `app|${appId}` : `user|${claims.oid}`;
		return {
			ok: true,
			caller: { appOnly, tenantId: claims.tid, appId, userId: appOnly ? null : claims.oid, systemUserId: stableGuid(`systemuser|${principal}`) },
		};
	}

	/** The challenge Dataverse sends with a 401: where to sign in and for which resource. */
	function challenge() {
		return `Bearer authorization_uri=${deps.loginUrl}/${deps.environment.tenantId}/oauth2/authorize, resource_id=${deps.dataverseUrl}/`;
	}

	return { check, challenge };
}

/** A GUID derived from a text (stable ids for system users, the organization, the business unit). @param {string} text */
function stableGuid(text) {
	const hex = crypto.createHash('sha256').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

module.exports = { createDataverseAuth, stableGuid };
