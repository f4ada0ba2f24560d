// @ts-check
'use strict';

/**
 * Graph core routes: /me, /users (paging with $top / opaque $skiptoken, $select, simple $filter),
 * /users/{id|upn}, /organization and /servicePrincipals.
 */

const crypto = require('node:crypto');
const { httpError } = require('../router');
const { servicePrincipalIdFor } = require('../tokens');

const MAX_USERS_PAGE = 999;
const DEFAULT_USERS_PAGE = 100;

/** Properties Graph returns for a user when no $select is given. */
const USER_DEFAULT_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
/** Extra user properties the sandbox can return through $select. */
const USER_SELECTABLE = [...USER_DEFAULT_PROPERTIES, 'accountEnabled', 'userType', 'usageLocation', 'createdDateTime'];

const READ_SELF = ['User.Read', 'User.ReadWrite', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'];
const READ_USERS_DELEGATED = ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'];
const READ_USERS_APP = ['User.Read.All', 'Directory.Read.All'];

/**
 * @typedef {import('../router').Context} Context
 * @typedef {import('../state').User} User
 */

/** @param {import('../router').Router} router @param {{ state: import('../state').SandboxState, graphUrl: string }} sandbox */
function register(router, sandbox) {
	const { state, graphUrl } = sandbox;

	router.add('GET', '/v1.0/me', (ctx) => {
		const auth = ctx.requireAuth({ scopes: READ_SELF, roles: [] });
		const user = auth.userId ? state.users.get(auth.userId) : undefined;
		if (!user) throw httpError(404, 'Request_ResourceNotFound', `Resource '${auth.userId}' does not exist or one of its queried reference-property objects are not present.`);
		return ctx.json(200, { '@odata.context': `${graphUrl}/v1.0/$metadata#users/$entity`, ...userView(user, selectList(ctx)) });
	});

	router.add('GET', '/v1.0/users', (ctx) => {
		const auth = ctx.requireAuth({ scopes: READ_USERS_DELEGATED, roles: READ_USERS_APP });
		const select = selectList(ctx);
		const { top, offset } = pageWindow(ctx, state);
		const matching = state.usersOfTenant(auth.tenantId).filter(userFilter(ctx.query.$filter));
		const page = matching.slice(offset, offset + top);
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': `${graphUrl}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}` };
		if (offset + top < matching.length) {
			const skipToken = `RFNwdAIAAQAAA${crypto.randomBytes(24).toString('base64url')}`;
			state.skipTokens.set(skipToken, { offset: offset + top, tenantId: auth.tenantId });
			const next = new URL(`${graphUrl}/v1.0/users`);
			for (const key of ['$select', '$filter']) if (ctx.query[key]) next.searchParams.set(key, ctx.query[key]);
			next.searchParams.set('$top', String(top));
			next.searchParams.set('$skiptoken', skipToken);
			body['@odata.nextLink'] = next.toString();
		}
		body.value = page.map((user) => userView(user, select));
		return ctx.json(200, body);
	});

	router.add('GET', '/v1.0/users/:idOrUpn', (ctx) => {
		const auth = ctx.requireAuth({ scopes: READ_SELF, roles: READ_USERS_APP });
		const user = state.findUser(ctx.params.idOrUpn);
		const self = user && user.id === auth.userId;
		// Delegated User.Read / User.ReadWrite only reach the signed-in user.
		if (!auth.appOnly && !self && !auth.scopes.some((scope) => READ_USERS_DELEGATED.includes(scope))) {
			throw httpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
		}
		if (!user || user.tenant !== auth.tenantId) {
			throw httpError(404, 'Request_ResourceNotFound', `Resource '${ctx.params.idOrUpn}' does not exist or one of its queried reference-property objects are not present.`);
		}
		return ctx.json(200, { '@odata.context': `${graphUrl}/v1.0/$metadata#users/$entity`, ...userView(user, selectList(ctx)) });
	});

	router.add('GET', '/v1.0/organization', (ctx) => {
		const auth = ctx.requireAuth({ scopes: ['User.Read', 'Organization.Read.All', 'Directory.Read.All'], roles: ['Organization.Read.All', 'Directory.Read.All'] });
		const tenant = state.tenants.get(auth.tenantId);
		return ctx.json(200, { '@odata.context': `${graphUrl}/v1.0/$metadata#organization`, value: tenant ? [organizationView(tenant)] : [] });
	});

	router.add('GET', '/v1.0/servicePrincipals', (ctx) => {
		const auth = ctx.requireAuth({ scopes: ['Application.Read.All', 'Directory.Read.All'], roles: ['Application.Read.All', 'Directory.Read.All'] });
		const filter = ctx.query.$filter;
		let appIdFilter = null;
		if (filter) {
			const match = /^appId eq '((?:[^']|'')*)'$/.exec(filter.trim());
			if (!match) throw httpError(400, 'Request_UnsupportedQuery', 'Unsupported query: the sandbox filters servicePrincipals by appId only.');
			appIdFilter = match[1].replace(/''/g, "'").toLowerCase();
		}
		const value = [...state.apps.values()]
			.filter((app) => app.homeTenant === auth.tenantId || app.adminConsentTenants.includes(auth.tenantId))
			.filter((app) => appIdFilter === null || app.clientId === appIdFilter)
			.map((app) => ({
				id: servicePrincipalIdFor(app.clientId, auth.tenantId),
				accountEnabled: true,
				appDisplayName: app.displayName,
				appId: app.clientId,
				appOwnerOrganizationId: app.homeTenant,
				displayName: app.displayName,
				servicePrincipalType: 'Application',
				signInAudience: app.multiTenant ? 'AzureADMultipleOrgs' : 'AzureADMyOrg',
				tags: [],
			}));
		return ctx.json(200, { '@odata.context': `${graphUrl}/v1.0/$metadata#servicePrincipals`, value });
	});
}

/**
 * Registered after every other module so their /me/... routes win. (App-only tokens on /me/... get
 * Graph's 400 from requireAuth itself.)
 * @param {import('../router').Router} router
 */
function registerFallbacks(router) {
	router.add('*', /^\/v1\.0\/me(\/|$)/, (ctx) => {
		ctx.requireAuth();
		throw httpError(400, 'BadRequest', `Resource not found for the segment '${ctx.path.split('/')[3] ?? ''}'.`);
	});
}

/** @param {Context} ctx @returns {string[] | null} */
function selectList(ctx) {
	const raw = ctx.query.$select;
	if (!raw) return null;
	const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
	for (const name of names) {
		if (!USER_SELECTABLE.includes(name)) {
			throw httpError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.user'.`);
		}
	}
	return names;
}

/** $top / $skiptoken → page size and start offset. @param {Context} ctx @param {import('../state').SandboxState} state */
function pageWindow(ctx, state) {
	let top = DEFAULT_USERS_PAGE;
	if (ctx.query.$top !== undefined) {
		top = Number(ctx.query.$top);
		if (!Number.isInteger(top) || top < 1 || top > MAX_USERS_PAGE) {
			throw httpError(400, 'Request_BadRequest', `Invalid page size specified: '${ctx.query.$top}'. Must be between 1 and ${MAX_USERS_PAGE} inclusive.`);
		}
	}
	let offset = 0;
	if (ctx.query.$skiptoken !== undefined) {
		const position = state.skipTokens.get(ctx.query.$skiptoken);
		if (!position) throw httpError(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
		offset = position.offset;
	}
	return { top, offset };
}

/**
 * The few `$filter` forms the sandbox understands: `prop eq 'value'` and `startswith(prop,'value')`,
 * with OData's doubled single quotes.
 * @param {string | undefined} filter
 * @returns {(user: User) => boolean}
 */
function userFilter(filter) {
	if (!filter) return () => true;
	const text = filter.trim();
	const eq = /^(\w+) eq '((?:[^']|'')*)'$/.exec(text);
	const startsWith = /^startswith\((\w+),\s*'((?:[^']|'')*)'\)$/i.exec(text);
	const match = eq ?? startsWith;
	const property = match?.[1];
	if (!match || !property || !['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'id', 'jobTitle'].includes(property)) {
		throw httpError(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${property ?? text}' of resource 'User'.`);
	}
	const value = match[2].replace(/''/g, "'").toLowerCase();
	return (user) => {
		const actual = String(/** @type {Record<string, unknown>} */ (user)[property] ?? '').toLowerCase();
		return eq ? actual === value : actual.startsWith(value);
	};
}

/** @param {User} user @param {string[] | null} select */
function userView(user, select) {
	/** @type {Record<string, unknown>} */
	const full = {
		businessPhones: user.businessPhones ?? [],
		displayName: user.displayName,
		givenName: user.givenName ?? null,
		jobTitle: user.jobTitle ?? null,
		mail: user.mail ?? null,
		mobilePhone: user.mobilePhone ?? null,
		officeLocation: user.officeLocation ?? null,
		preferredLanguage: user.preferredLanguage ?? 'en-US',
		surname: user.surname ?? null,
		userPrincipalName: user.userPrincipalName,
		id: user.id,
		accountEnabled: true,
		userType: 'Member',
		usageLocation: 'US',
		createdDateTime: '2024-01-15T09:30:00Z',
	};
	/** @type {Record<string, unknown>} */
	const view = {};
	for (const name of select ?? USER_DEFAULT_PROPERTIES) view[name] = full[name];
	return view;
}

/** @param {import('../state').Tenant} tenant */
function organizationView(tenant) {
	return {
		id: tenant.id,
		deletedDateTime: null,
		businessPhones: ['+1 425 555 0100'],
		city: 'Redmond',
		country: null,
		countryLetterCode: 'US',
		createdDateTime: '2023-05-04T10:00:00Z',
		defaultUsageLocation: null,
		displayName: tenant.displayName,
		marketingNotificationEmails: [],
		onPremisesLastSyncDateTime: null,
		onPremisesSyncEnabled: null,
		postalCode: '98052',
		preferredLanguage: 'en',
		securityComplianceNotificationMails: [],
		securityComplianceNotificationPhones: [],
		state: 'WA',
		street: 'One Microsoft Way',
		technicalNotificationMails: [`admin@${tenant.domains[0]}`],
		tenantType: 'AAD',
		assignedPlans: [],
		privacyProfile: null,
		provisionedPlans: [],
		verifiedDomains: tenant.domains.map((name, index) => ({
			capabilities: index === 0 ? 'Email, OfficeCommunicationsOnline' : 'Email',
			isDefault: index === 0,
			isInitial: name.endsWith('.onmicrosoft.com'),
			name,
			type: 'Managed',
		})),
	};
}

module.exports = { register, registerFallbacks, USER_DEFAULT_PROPERTIES };
