// @ts-check
'use strict';

/**
 * The sandbox's in-memory directory (tenants, apps, users) and its runtime records (codes, refresh
 * tokens, consents, request log, violations). Route modules add their own keys (e.g. `state.drives`).
 */

const { SEED, DEFAULT_REDIRECT_URIS, seedSecretsFor } = require('./seed');
const { certificateThumbprints } = require('./jwt');

/** @typedef {{ id: string, displayName: string, domains: string[] }} Tenant */
/** @typedef {{ id: string, value: string, expires: Date }} AppSecret */
/** @typedef {{ pem: string, x5t: string, x5tS256: string }} AppCertificate */
/**
 * @typedef {{ clientId: string, displayName: string, homeTenant: string, multiTenant: boolean,
 *   secrets: AppSecret[], certificates: AppCertificate[], redirectUris: string[],
 *   adminConsentTenants: string[], applicationPermissions: Record<string, string[]> }} App
 */
/**
 * @typedef {{ id: string, tenant: string, userPrincipalName: string, displayName: string, givenName?: string | null,
 *   surname?: string | null, jobTitle?: string | null, mail?: string | null, officeLocation?: string | null,
 *   mobilePhone?: string | null, businessPhones?: string[], preferredLanguage?: string | null }} User
 */
/**
 * @typedef {{ method: string, host: string, path: string, query: string, hasAuthorization: boolean,
 *   status: number | null, time: string, requestId: string, viaBatch: boolean }} RequestLogEntry
 */

/**
 * @typedef {{ clientId: string, userId: string, tenantId: string, resourceKey: string, names: string[], oidc: string[],
 *   used: boolean }} RefreshGrant
 * @typedef {RefreshGrant & { redirectUri: string, codeChallenge: string | null, codeChallengeMethod: string,
 *   nonce: string | null, expires: number }} CodeGrant
 */

/** App-only permissions the seeded apps have been configured with (granted where admin consent exists). */
const SEEDED_APP_ROLES = {
	graph: [
		'User.Read.All',
		'Organization.Read.All',
		'Application.Read.All',
		'Files.ReadWrite.All',
		'Sites.ReadWrite.All',
		'Mail.ReadWrite',
		'Mail.Send',
		'Calendars.ReadWrite',
		'Contacts.ReadWrite',
		'Group.Read.All',
	],
};

/**
 * @param {{ tenants?: Tenant[], apps?: Array<Partial<App> & { clientId: string }>, users?: User[],
 *   appCertificatePem?: string }} options
 */
function createState(options = {}) {
	/** @type {Map<string, Tenant>} */
	const tenants = new Map();
	for (const tenant of options.tenants ?? Object.values(SEED.tenants)) tenants.set(tenant.id, { ...tenant });

	/** @type {Map<string, App>} */
	const apps = new Map();
	const appList = options.apps ?? seededApps(options.appCertificatePem);
	for (const app of appList) apps.set(app.clientId, normaliseApp(app));

	/** @type {Map<string, User>} */
	const users = new Map();
	for (const user of options.users ?? Object.values(SEED.users)) users.set(user.id, { ...user });

	const state = {
		tenants,
		apps,
		users,
		/** @type {Map<string, CodeGrant>} authorization codes (one use) */
		codes: new Map(),
		/** @type {Map<string, RefreshGrant>} refresh tokens (marked used when redeemed: rotation) */
		refreshTokens: new Map(),
		/** @type {Map<string, Set<string>>} delegated consent: `${tenantId}|${appId}|${userId}` → `${resourceKey}/${scope}` */
		consents: new Map(),
		/** @type {Set<string>} access token ids (`uti`) that were revoked */
		revokedTokenIds: new Set(),
		/** @type {Set<string>} ids of all access tokens issued so far */
		issuedTokenIds: new Set(),
		/** @type {Map<string, { offset: number, tenantId: string }>} opaque `$skiptoken` values → paging position */
		skipTokens: new Map(),
		/** @type {RequestLogEntry[]} */
		requests: [],
		/** @type {Array<{ time: string, method: string, path: string, reason: string }>} */
		violations: [],

		/** Tenant by GUID or verified domain (case-insensitive); undefined when unknown. */
		findTenant(/** @type {string} */ idOrDomain) {
			const key = String(idOrDomain).toLowerCase();
			for (const tenant of tenants.values()) {
				if (tenant.id === key || tenant.domains.some((domain) => domain.toLowerCase() === key)) return tenant;
			}
			return undefined;
		},
		/** User by object id or UPN (case-insensitive). */
		findUser(/** @type {string} */ idOrUpn) {
			const key = String(idOrUpn).toLowerCase();
			for (const user of users.values()) {
				if (user.id === key || user.userPrincipalName.toLowerCase() === key) return user;
			}
			return undefined;
		},
		usersOfTenant(/** @type {string} */ tenantId) {
			return [...users.values()].filter((user) => user.tenant === tenantId);
		},
		/** Marks every access token issued so far as revoked (Graph answers 401 to them). */
		revokeAllTokens() {
			for (const id of state.issuedTokenIds) state.revokedTokenIds.add(id);
		},
	};
	return state;
}

/** @typedef {ReturnType<typeof createState>} SandboxState */

/** @param {string | undefined} appCertificatePem */
function seededApps(appCertificatePem) {
	return Object.entries(SEED.apps).map(([name, app]) => ({
		clientId: app.clientId,
		displayName: app.displayName,
		homeTenant: app.homeTenant,
		multiTenant: app.multiTenant,
		secrets: seedSecretsFor(/** @type {keyof typeof SEED.apps} */ (name)),
		certificates: name === 'singleTenant' && appCertificatePem ? [certificateEntry(appCertificatePem)] : [],
		redirectUris: [...DEFAULT_REDIRECT_URIS],
		adminConsentTenants: [...app.adminConsentTenants],
		applicationPermissions: SEEDED_APP_ROLES,
	}));
}

/** @param {string} pem */
function certificateEntry(pem) {
	const { x5t, x5tS256 } = certificateThumbprints(pem);
	return { pem, x5t, x5tS256 };
}

/** @param {Partial<App> & { clientId: string }} app @returns {App} */
function normaliseApp(app) {
	return {
		clientId: app.clientId.toLowerCase(),
		displayName: app.displayName ?? app.clientId,
		homeTenant: app.homeTenant ?? SEED.tenants.contoso.id,
		multiTenant: app.multiTenant ?? false,
		secrets: app.secrets ?? [],
		certificates: (app.certificates ?? []).map((cert) => (cert.x5t ? cert : certificateEntry(cert.pem))),
		redirectUris: app.redirectUris ?? [...DEFAULT_REDIRECT_URIS],
		adminConsentTenants: app.adminConsentTenants ?? [],
		applicationPermissions: app.applicationPermissions ?? SEEDED_APP_ROLES,
	};
}

module.exports = { createState, certificateEntry };
