// @ts-check
'use strict';

/**
 * Access tokens: issued by the sandbox's Entra (RS256, a key generated per sandbox start) and checked by
 * its Graph routes the way Graph does (401 InvalidAuthenticationToken, 403 Authorization_RequestDenied).
 */

const crypto = require('node:crypto');
const { signJwt, decodeJwt, verifyJwtSignature } = require('./jwt');
const { httpError } = require('./router');
const { GRAPH_AUDIENCE } = require('./permissions');

/**
 * @typedef {{ tenantId: string, appId: string, audience: string, userId?: string | null, scopes?: string[],
 *   roles?: string[], lifetimeSeconds?: number }} TokenRequest
 */

/**
 * @param {{ state: import('./state').SandboxState, loginUrl: string, tokenLifetimeSeconds: number }} options
 */
function createTokenService({ state, loginUrl, tokenLifetimeSeconds }) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const kid = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);

	/** @param {TokenRequest} request */
	function issueAccessToken(request) {
		const now = Math.floor(Date.now() / 1000);
		const lifetime = request.lifetimeSeconds ?? tokenLifetimeSeconds;
		const uti = crypto.randomBytes(16).toString('base64url');
		state.issuedTokenIds.add(uti);
		const user = request.userId ? state.users.get(request.userId) : undefined;
		/** @type {Record<string, unknown>} */
		const claims = {
			aud: request.audience,
			iss: `https://sts.windows.net/${request.tenantId}/`,
			iat: now,
			nbf: now,
			exp: now + lifetime,
			appid: request.appId,
			tid: request.tenantId,
			uti,
			ver: '1.0',
		};
		if (user) {
			Object.assign(claims, {
				idtyp: 'user',
				oid: user.id,
				sub: crypto.createHash('sha256').update(`${user.id}|${request.appId}`).digest('base64url'),
				upn: user.userPrincipalName,
				name: user.displayName,
				scp: (request.scopes ?? []).join(' '),
			});
		} else {
			// App-only: the subject is the app's service principal in that tenant; no `roles` claim when
			// nothing was granted (what Entra does for an app without admin consent).
			const servicePrincipalId = servicePrincipalIdFor(request.appId, request.tenantId);
			Object.assign(claims, { idtyp: 'app', oid: servicePrincipalId, sub: servicePrincipalId });
			if (request.roles && request.roles.length > 0) claims.roles = request.roles;
		}
		const token = signJwt({ typ: 'JWT', alg: 'RS256', kid }, claims, privateKey);
		return { token, expiresIn: lifetime };
	}

	/** Signs any claims with the sandbox key (ID tokens). @param {Record<string, unknown>} claims */
	function signClaims(claims) {
		return signJwt({ typ: 'JWT', alg: 'RS256', kid }, claims, privateKey);
	}

	/**
	 * Verifies the bearer token of a Graph request and checks scopes/roles, like Graph.
	 * @param {import('./router').Context} ctx
	 * @param {{ scopes?: string[], roles?: string[] } | undefined} requirement
	 * @param {boolean} optional when true, a missing token yields null instead of 401
	 */
	function authenticate(ctx, requirement, optional) {
		const header = ctx.headers.authorization ?? '';
		if (!header) {
			if (optional) return null;
			throw httpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
		}
		const match = /^Bearer\s+(\S+)$/i.exec(header);
		const decoded = match ? decodeJwt(match[1]) : null;
		if (!decoded) throw httpError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).');
		if (!verifyJwtSignature(decoded, publicKey) || decoded.header.alg !== 'RS256') {
			throw httpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid signature.');
		}
		const claims = decoded.payload;
		if (claims.aud !== GRAPH_AUDIENCE) {
			throw httpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
		}
		const now = Math.floor(Date.now() / 1000);
		if (typeof claims.exp !== 'number' || claims.exp <= now) {
			throw httpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
		}
		if (state.revokedTokenIds.has(claims.uti)) {
			throw httpError(401, 'InvalidAuthenticationToken', 'Access token has been revoked.');
		}
		if (!state.tenants.has(claims.tid)) {
			throw httpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid tenant.');
		}
		const appOnly = claims.idtyp === 'app';
		const scopes = typeof claims.scp === 'string' && claims.scp ? claims.scp.split(' ') : [];
		const roles = Array.isArray(claims.roles) ? claims.roles : [];
		// Graph answers app-only calls to /me and below with 400, before any permission check.
		if (appOnly && /^\/v1\.0\/me(\/|$)/.test(ctx.path)) {
			throw httpError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
		}
		/** @type {import('./router').AuthInfo} */
		const auth = { claims, tenantId: claims.tid, appId: claims.appid, userId: appOnly ? null : claims.oid, appOnly, scopes, roles };
		if (requirement) {
			const allowed = appOnly ? requirement.roles : requirement.scopes;
			const held = appOnly ? roles : scopes;
			if (allowed && !allowed.some((permission) => held.includes(permission))) {
				throw httpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
			}
		}
		ctx.auth = auth;
		return auth;
	}

	return {
		issueAccessToken,
		signClaims,
		authenticate,
		jwks: () => ({ keys: [{ kty: 'RSA', use: 'sig', kid, ...publicKey.export({ format: 'jwk' }) }] }),
	};
}

/** Deterministic service-principal id of an app in a tenant (stable across sandbox restarts). */
function servicePrincipalIdFor(/** @type {string} */ appId, /** @type {string} */ tenantId) {
	const hex = crypto.createHash('sha256').update(`sp|${appId}|${tenantId}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** @typedef {ReturnType<typeof createTokenService>} TokenService */

module.exports = { createTokenService, servicePrincipalIdFor };
