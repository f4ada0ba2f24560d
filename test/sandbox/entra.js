// @ts-check
'use strict';

/**
 * Entra ID v2 endpoints: discovery (what msal-node asks for), authorize (signs the user in and consents
 * automatically) and token (authorization_code with PKCE, rotating refresh_token, client_credentials
 * with a secret or a certificate-signed client assertion). Token faults (`state.tokenFaults`, faults.js
 * `TokenFaults`; over HTTP `/_sandbox/token-faults`) make the token endpoint answer throttling and outages
 * in Entra's error body.
 */

const crypto = require('node:crypto');
const { EntraError, entraErrors, entraErrorBody, tokenFaultError } = require('./entraErrors');
const { TokenFaults } = require('./faults');
const { httpError } = require('./router');
const { parseDelegatedScopes, parseApplicationScope } = require('./entraScopes');
const { authenticateClient } = require('./entraClientAuth');

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const ENTRA_JSON = 'application/json; charset=utf-8';

/**
 * @typedef {import('./router').Context} Context
 * @typedef {import('./state').App} App
 * @typedef {import('./state').Tenant} Tenant
 * @typedef {import('./state').User} User
 * @typedef {{ kind: 'common' | 'organizations' | 'consumers' } | { kind: 'tenant', tenant: Tenant }} TenantSegment
 * @typedef {{ state: import('./state').SandboxState, tokens: import('./tokens').TokenService,
 *   resources: import('./permissions').Resource[], loginUrl: string, graphUrl: string }} EntraDeps
 */

/** @param {import('./router').Router} router @param {EntraDeps} deps */
function register(router, deps) {
	const { state, loginUrl } = deps;

	/** @param {string} segment @returns {TenantSegment} */
	function resolveSegment(segment) {
		const lower = segment.toLowerCase();
		if (lower === 'common' || lower === 'organizations' || lower === 'consumers') return { kind: lower };
		const tenant = state.findTenant(lower);
		if (!tenant) throw entraErrors.tenantNotFound(segment);
		return { kind: 'tenant', tenant };
	}

	/** @param {Context} ctx @param {EntraError} error @param {Record<string, string>} [headers] */
	function entraJsonError(ctx, error, headers = {}) {
		return ctx.json(error.status, entraErrorBody(error, loginUrl, ctx.clientRequestId), { 'content-type': ENTRA_JSON, 'cache-control': 'no-store, no-cache', ...headers });
	}

	const tokenFaults = new TokenFaults();
	/** @type {any} */ (state).tokenFaults = tokenFaults;
	const plain = { 'content-type': 'application/json; charset=utf-8' };
	router.add('POST', '/_sandbox/token-faults', async (ctx) => {
		try {
			return ctx.json(201, { id: tokenFaults.add(await ctx.readJson()).id }, plain);
		} catch (error) {
			throw httpError(400, 'BadRequest', error instanceof Error ? error.message : String(error));
		}
	});
	router.add('GET', '/_sandbox/token-faults', (ctx) => ctx.json(200, tokenFaults.toJSON(), plain));
	router.add('DELETE', '/_sandbox/token-faults', (ctx) => {
		tokenFaults.reset();
		return ctx.send(204, null);
	});

	/**
	 * An injected token fault's answer: Entra's error body (or the fault's raw `body`, like a gateway's HTML page).
	 * @param {Context} ctx @param {import('./faults').Fault & import('./faults').TokenFaultSpec} fault
	 */
	async function tokenFaultAnswer(ctx, fault) {
		if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
		/** @type {Record<string, string>} */
		const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
		if (fault.body !== undefined) {
			return ctx.send(fault.status ?? 500, fault.body, { 'content-type': 'text/html; charset=utf-8', ...headers });
		}
		return entraJsonError(ctx, tokenFaultError(fault), headers);
	}

	router.add('GET', '/common/discovery/instance', (ctx) => {
		const host = new URL(loginUrl).host;
		return ctx.json(200, {
			tenant_discovery_endpoint: `${loginUrl}/{tenant}/v2.0/.well-known/openid-configuration`,
			'api-version': '1.1',
			metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
		}, { 'content-type': ENTRA_JSON });
	});

	router.add('GET', '/:tenant/v2.0/.well-known/openid-configuration', (ctx) => {
		try {
			const segment = resolveSegment(ctx.params.tenant);
			const path = segment.kind === 'tenant' ? segment.tenant.id : ctx.params.tenant.toLowerCase();
			const issuerTenant = segment.kind === 'tenant' ? segment.tenant.id : '{tenantid}';
			return ctx.json(200, {
				token_endpoint: `${loginUrl}/${path}/oauth2/v2.0/token`,
				token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
				jwks_uri: `${loginUrl}/${path}/discovery/v2.0/keys`,
				response_modes_supported: ['query', 'fragment', 'form_post'],
				subject_types_supported: ['pairwise'],
				id_token_signing_alg_values_supported: ['RS256'],
				response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
				scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
				issuer: `${loginUrl}/${issuerTenant}/v2.0`,
				request_uri_parameter_supported: false,
				userinfo_endpoint: `${deps.graphUrl}/oidc/userinfo`,
				authorization_endpoint: `${loginUrl}/${path}/oauth2/v2.0/authorize`,
				device_authorization_endpoint: `${loginUrl}/${path}/oauth2/v2.0/devicecode`,
				http_logout_supported: true,
				frontchannel_logout_supported: true,
				end_session_endpoint: `${loginUrl}/${path}/oauth2/v2.0/logout`,
				claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'oid'],
				tenant_region_scope: 'EU',
				cloud_instance_name: new URL(loginUrl).host,
				cloud_graph_host_name: new URL(loginUrl).host,
				msgraph_host: new URL(deps.graphUrl).host,
			}, { 'content-type': ENTRA_JSON });
		} catch (error) {
			// Entra's discovery document names this error invalid_tenant (the token endpoint: invalid_request).
			if (error instanceof EntraError) return entraJsonError(ctx, new EntraError(error.aadsts, 'invalid_tenant', error.status, error.description));
			throw error;
		}
	});

	router.add('GET', '/:tenant/discovery/v2.0/keys', (ctx) => ctx.json(200, deps.tokens.jwks(), { 'content-type': ENTRA_JSON }));

	router.add('GET', '/:tenant/oauth2/v2.0/authorize', (ctx) => authorize(ctx, deps, resolveSegment));

	router.add('POST', '/:tenant/oauth2/v2.0/token', async (ctx) => {
		// Throttling happens before Entra looks at the request.
		const fault = tokenFaults.takeFor(ctx.path);
		if (fault) return tokenFaultAnswer(ctx, fault);
		try {
			const form = new URLSearchParams((await ctx.readBody(1024 * 1024)).toString('utf8'));
			const body = await token(ctx, form, deps, resolveSegment);
			return ctx.json(200, body, { 'content-type': ENTRA_JSON, 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
		} catch (error) {
			if (error instanceof EntraError) return entraJsonError(ctx, error);
			throw error;
		}
	});
}

/**
 * Entra shows errors it cannot send back to a verified redirect URI as a page (HTTP 400); after the
 * redirect URI is verified, errors go back to it as `error` / `error_description` query parameters.
 * @param {Context} ctx @param {EntraDeps} deps @param {(segment: string) => TenantSegment} resolveSegment
 */
function authorize(ctx, deps, resolveSegment) {
	const { state } = deps;
	const q = ctx.query;
	/** @param {EntraError} error */
	const page = (error) => ctx.send(400, `<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><h1>Sorry, but we're having trouble signing you in.</h1><p id="error">${escapeHtml(error.message)}</p></body></html>`, { 'content-type': 'text/html; charset=utf-8' });

	/** @type {TenantSegment} */
	let segment;
	try {
		segment = resolveSegment(ctx.params.tenant);
	} catch (error) {
		if (error instanceof EntraError) return page(error);
		throw error;
	}
	if (!q.client_id) return page(entraErrors.missingParameter('client_id'));
	const app = state.apps.get(q.client_id.toLowerCase());
	const segmentLabel = segment.kind === 'tenant' ? segment.tenant.displayName : ctx.params.tenant;
	if (!app) return page(entraErrors.appNotFound(q.client_id, segmentLabel));
	if (!q.redirect_uri) return page(entraErrors.missingParameter('redirect_uri'));
	if (!redirectUriRegistered(app, q.redirect_uri)) return page(entraErrors.redirectMismatch(q.redirect_uri, app.clientId));

	/** @param {EntraError} error */
	const back = (error, oauthError = error.error) => {
		const target = new URL(q.redirect_uri);
		target.searchParams.set('error', oauthError);
		target.searchParams.set('error_description', entraErrorBody(error, deps.loginUrl, ctx.clientRequestId).error_description);
		if (q.state !== undefined) target.searchParams.set('state', q.state);
		return ctx.redirect(302, target.toString());
	};

	try {
		if (q.response_type !== 'code') throw entraErrors.unsupportedResponseType(String(q.response_type ?? ''));
		if (segment.kind === 'consumers') throw entraErrors.consumersNotAllowed(app.clientId);
		if (segment.kind !== 'tenant' && !app.multiTenant) throw entraErrors.singleTenantOnCommon(app.clientId, app.displayName);

		const user = pickUser(state, segment, q.login_hint);
		if (!user) throw entraErrors.userNotFound(segmentLabel);
		const tenantId = segment.kind === 'tenant' ? segment.tenant.id : user.tenant;
		const tenant = /** @type {Tenant} */ (state.tenants.get(tenantId));
		if (user.tenant !== tenantId) {
			throw entraErrors.userNotInTenant(user.userPrincipalName, user.tenant, tenant.displayName, app.clientId, app.displayName);
		}
		if (!app.multiTenant && tenantId !== app.homeTenant) throw entraErrors.appNotFound(app.clientId, tenant.displayName);

		const requested = parseDelegatedScopes(q.scope, deps.resources, tenant.displayName);
		const consentKey = `${tenantId}|${app.clientId}|${user.id}`;
		const consented = state.consents.get(consentKey) ?? new Set();
		const names = requested.isDefault ? consentedNames(consented, requested.resource.key, requested.resource.defaultDelegated ?? ['User.Read']) : requested.names;
		const adminConsent = app.adminConsentTenants.includes(tenantId);
		const needsAdmin = names.filter((name) => requested.resource.delegated[name] === true && !adminConsent);
		if (needsAdmin.length > 0) throw entraErrors.consentRequired(app.clientId, app.displayName);
		const missing = names.filter((/** @type {string} */ name) => !consented.has(`${requested.resource.key}/${name}`));
		if (q.prompt === 'none' && missing.length > 0) throw entraErrors.consentRequired(app.clientId, app.displayName);
		// The user consents (automatically) to what was asked.
		for (const name of names) consented.add(`${requested.resource.key}/${name}`);
		state.consents.set(consentKey, consented);

		const code = `sbx.code.${crypto.randomBytes(32).toString('base64url')}`;
		state.codes.set(code, {
			clientId: app.clientId,
			redirectUri: q.redirect_uri,
			userId: user.id,
			tenantId,
			resourceKey: requested.resource.key,
			names,
			oidc: requested.oidc,
			codeChallenge: q.code_challenge ?? null,
			codeChallengeMethod: q.code_challenge_method ?? 'plain',
			nonce: q.nonce ?? null,
			expires: Date.now() + CODE_LIFETIME_MS,
			used: false,
		});
		const target = new URL(q.redirect_uri);
		target.searchParams.set('code', code);
		if (q.state !== undefined) target.searchParams.set('state', q.state);
		target.searchParams.set('session_state', crypto.randomUUID());
		return ctx.redirect(302, target.toString());
	} catch (error) {
		if (error instanceof EntraError) return back(error, error.aadsts === 65001 ? 'consent_required' : error.error);
		throw error;
	}
}

/**
 * @param {Context} ctx @param {URLSearchParams} form @param {EntraDeps} deps
 * @param {(segment: string) => TenantSegment} resolveSegment
 */
async function token(ctx, form, deps, resolveSegment) {
	const { state } = deps;
	const segment = resolveSegment(ctx.params.tenant);
	const grantType = form.get('grant_type');
	if (!grantType) throw entraErrors.missingParameter('grant_type');
	const basic = parseBasicAuth(ctx.headers.authorization);
	const clientId = (form.get('client_id') ?? basic?.user ?? '').toLowerCase();
	if (!clientId) throw entraErrors.missingParameter('client_id');
	const segmentLabel = segment.kind === 'tenant' ? segment.tenant.displayName : ctx.params.tenant;
	const app = state.apps.get(clientId);
	if (!app) throw entraErrors.appNotFound(clientId, segmentLabel);
	if (segment.kind === 'consumers') throw entraErrors.consumersNotAllowed(app.clientId);
	if (segment.kind !== 'tenant' && !app.multiTenant) throw entraErrors.singleTenantOnCommon(app.clientId, app.displayName);
	if (segment.kind === 'tenant' && !app.multiTenant && segment.tenant.id !== app.homeTenant) {
		throw entraErrors.appNotFound(app.clientId, segment.tenant.displayName);
	}

	authenticateClient(form, basic, app, {
		loginUrl: deps.loginUrl,
		tenantMatches: (/** @type {string} */ value) => {
			try {
				const other = resolveSegment(value);
				return other.kind === 'tenant' && segment.kind === 'tenant' ? other.tenant.id === segment.tenant.id : other.kind === segment.kind;
			} catch {
				return false;
			}
		},
	});

	if (grantType === 'client_credentials') return clientCredentials(form, deps, app, segment);
	if (grantType === 'authorization_code') return authorizationCode(form, deps, app);
	if (grantType === 'refresh_token') return refreshToken(form, deps, app);
	throw entraErrors.unsupportedGrant(grantType);
}

/** @param {URLSearchParams} form @param {EntraDeps} deps @param {App} app @param {TenantSegment} segment */
function clientCredentials(form, deps, app, segment) {
	if (segment.kind !== 'tenant') throw entraErrors.noTenantForClientCredentials();
	const tenant = segment.tenant;
	const resource = parseApplicationScope(form.get('scope') ?? '', deps.resources, tenant.displayName);
	const consented = app.adminConsentTenants.includes(tenant.id);
	// A multi-tenant app has no service principal in a tenant that never consented to it.
	if (!consented && tenant.id !== app.homeTenant) throw entraErrors.appNotFound(app.clientId, tenant.displayName);
	const roles = consented ? (app.applicationPermissions[resource.key] ?? []) : [];
	const { token: accessToken, expiresIn } = deps.tokens.issueAccessToken({ tenantId: tenant.id, appId: app.clientId, audience: resource.audience, roles });
	return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken };
}

/** @param {URLSearchParams} form @param {EntraDeps} deps @param {App} app */
function authorizationCode(form, deps, app) {
	const { state } = deps;
	const code = form.get('code');
	if (!code) throw entraErrors.missingParameter('code');
	const grant = state.codes.get(code);
	if (!grant) throw entraErrors.invalidGrant();
	if (grant.used) throw entraErrors.codeRedeemed();
	if (grant.expires < Date.now()) throw entraErrors.codeExpired();
	if (grant.clientId !== app.clientId) throw entraErrors.clientMismatch();
	const redirectUri = form.get('redirect_uri');
	if (!redirectUri) throw entraErrors.missingParameter('redirect_uri');
	if (redirectUri !== grant.redirectUri) throw entraErrors.redirectMismatch(redirectUri, app.clientId);
	if (grant.codeChallenge) {
		const verifier = form.get('code_verifier');
		if (!verifier) throw entraErrors.pkceMissing();
		const computed = grant.codeChallengeMethod === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier;
		if (computed !== grant.codeChallenge) throw entraErrors.pkceMismatch();
	}
	grant.used = true;
	return delegatedTokenResponse(form, deps, app, grant);
}

/** @param {URLSearchParams} form @param {EntraDeps} deps @param {App} app */
function refreshToken(form, deps, app) {
	const { state } = deps;
	const presented = form.get('refresh_token');
	if (!presented) throw entraErrors.missingParameter('refresh_token');
	const grant = state.refreshTokens.get(presented);
	if (!grant) throw entraErrors.invalidGrant();
	if (grant.used) throw entraErrors.refreshTokenUsed();
	if (grant.clientId !== app.clientId) throw entraErrors.clientMismatch();
	const tenant = /** @type {Tenant} */ (state.tenants.get(grant.tenantId));
	let resourceKey = grant.resourceKey;
	let names = grant.names;
	let oidc = grant.oidc;
	const scope = form.get('scope');
	if (scope) {
		// A refresh token works for any resource the user consented to (Entra's multi-resource refresh token).
		const requested = parseDelegatedScopes(scope, deps.resources, tenant.displayName);
		const consented = state.consents.get(`${grant.tenantId}|${app.clientId}|${grant.userId}`) ?? new Set();
		resourceKey = requested.resource.key;
		names = requested.isDefault ? consentedNames(consented, resourceKey, []) : requested.names;
		oidc = requested.oidc;
		if (names.some((name) => !consented.has(`${resourceKey}/${name}`))) throw entraErrors.consentRequired(app.clientId, app.displayName);
	}
	// Rotation: the presented refresh token is spent; the response carries a new one.
	grant.used = true;
	return delegatedTokenResponse(form, deps, app, { ...grant, resourceKey, names, oidc, nonce: null });
}

/**
 * @param {URLSearchParams} form @param {EntraDeps} deps @param {App} app
 * @param {{ userId: string, tenantId: string, resourceKey: string, names: string[], oidc: string[], nonce: string | null }} grant
 */
function delegatedTokenResponse(form, deps, app, grant) {
	const { state, tokens } = deps;
	const resource = /** @type {import('./permissions').Resource} */ (deps.resources.find((r) => r.key === grant.resourceKey));
	const user = /** @type {User} */ (state.users.get(grant.userId));
	const { token: accessToken, expiresIn } = tokens.issueAccessToken({
		tenantId: grant.tenantId,
		appId: app.clientId,
		audience: resource.audience,
		userId: user.id,
		scopes: grant.names,
	});
	const oidc = grant.oidc.map((scope) => scope.toLowerCase());
	const scopeNames = resource.key === 'graph' ? grant.names : grant.names.map((name) => `${resource.audience}/${name}`);
	/** @type {Record<string, unknown>} */
	const body = {
		token_type: 'Bearer',
		scope: [...scopeNames, ...oidc.filter((scope) => scope !== 'offline_access')].join(' '),
		expires_in: expiresIn,
		ext_expires_in: expiresIn,
		access_token: accessToken,
	};
	if (oidc.includes('offline_access')) {
		const refresh = `sbx.rt.${crypto.randomBytes(48).toString('base64url')}`;
		state.refreshTokens.set(refresh, {
			clientId: app.clientId,
			userId: user.id,
			tenantId: grant.tenantId,
			resourceKey: grant.resourceKey,
			names: grant.names,
			oidc: grant.oidc,
			used: false,
		});
		body.refresh_token = refresh;
	}
	if (oidc.includes('openid')) {
		const now = Math.floor(Date.now() / 1000);
		body.id_token = tokens.signClaims({
			aud: app.clientId,
			iss: `${deps.loginUrl}/${grant.tenantId}/v2.0`,
			iat: now,
			nbf: now,
			exp: now + 3600,
			name: user.displayName,
			oid: user.id,
			preferred_username: user.userPrincipalName,
			sub: crypto.createHash('sha256').update(`${user.id}|${app.clientId}`).digest('base64url'),
			tid: grant.tenantId,
			ver: '2.0',
			...(grant.nonce ? { nonce: grant.nonce } : {}),
		});
	}
	if (form.get('client_info') === '1') {
		body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: grant.tenantId })).toString('base64url');
	}
	return body;
}

/** @param {Set<string>} consented @param {string} resourceKey @param {string[]} fallback */
function consentedNames(consented, resourceKey, fallback) {
	const prefix = `${resourceKey}/`;
	const names = [...consented].filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(prefix.length));
	return names.length > 0 ? names : fallback;
}

/** @param {import('./state').SandboxState} state @param {TenantSegment} segment @param {string | undefined} hint */
function pickUser(state, segment, hint) {
	if (hint) return state.findUser(hint);
	if (segment.kind === 'tenant') return state.usersOfTenant(segment.tenant.id)[0];
	return state.users.values().next().value;
}

/**
 * Exact match, except that Entra ignores the port of http://localhost and http://127.0.0.1 redirect URIs.
 * @param {App} app @param {string} uri
 */
function redirectUriRegistered(app, uri) {
	if (app.redirectUris.includes(uri)) return true;
	let given;
	try {
		given = new URL(uri);
	} catch {
		return false;
	}
	if (given.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(given.hostname)) return false;
	return app.redirectUris.some((registered) => {
		const candidate = new URL(registered);
		return candidate.protocol === 'http:' && candidate.hostname === given.hostname && candidate.pathname === given.pathname && candidate.search === given.search;
	});
}

/** @param {string | undefined} header @returns {{ user: string, password: string } | null} */
function parseBasicAuth(header) {
	const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return null;
	// RFC 6749 2.3.1: both parts are form-urlencoded inside Basic.
	return { user: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), password: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
}

/** @param {string} text */
function escapeHtml(text) {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

module.exports = { register };
