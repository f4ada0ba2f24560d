// @ts-check
'use strict';

/**
 * A Finance & Operations environment on the sandbox's fourth host (`financeOperationsUrl`, https://127.0.0.4:<port>),
 * shaped like `https://{env}.operations.dynamics.com/data/`: the service document, `/data/$metadata` (keys with
 * dataAreaId, enums with members, labels), the entity sets of financeOperations-data.js (case-sensitive names), keys in
 * URLs (`CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')`), create / get / update (PATCH) / delete, `$filter`,
 * `$select`, `$orderby`, `$top`, `$skip`, `$count`, `$expand` of sales order lines, companies (only the caller's default
 * company unless `?cross-company=true`), paging by `@odata.nextLink` (`$skip`; 10,000 rows a page, or
 * `Prefer: odata.maxpagesize`), multipart `$batch` with change sets (financeOperations-batch.js), service-protection
 * 429s through the sandbox's faults (`host: 'financeOperations'`) and F&O's error body. Token checks: audience = the
 * environment URL, tenant Contoso, an app registered under "Microsoft Entra ID applications" or a user of the environment.
 * `sandbox.financeOperations` is the helper API tests use.
 */

const crypto = require('node:crypto');
const { httpError } = require('./router');
const { decodeJwt, verifyJwtSignature } = require('./jwt');
const { SEED } = require('./seed');
const { FinanceOperationsStore, ENTITIES, ENUMS, NS, schemaOf, metadataXml } = require('./financeOperations-data');
const { OptionError, applyQuery, project } = require('./financeOperations-odata');
const { registerBatch } = require('./financeOperations-batch');

const HOST = /** @type {import('./router').HostName} */ ('financeOperations');
const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true';
/** F&O's largest page (server-driven paging). */
const MAX_PAGE_SIZE = 10000;

/** The Entra resource (token audience) of the environment, for the sandbox's Entra. @param {string} url */
function resource(url) {
	return {
		key: 'financeOperations',
		// "Microsoft Dynamics ERP", the first-party app behind F&O's permissions.
		appId: '00000015-0000-0000-c000-000000000000',
		audience: url,
		identifiers: [url],
		delegated: { user_impersonation: false, 'CustomService.FullAccess': false, 'Odata.FullAccess': false },
		roles: [],
	};
}

/**
 * Errors in F&O's shape: `{ error: { code: "", message, innererror: { message, type, stacktrace } } }`; faults named by
 * Graph's codes get F&O's words.
 * @param {import('./router').Context} ctx
 */
function useErrors(ctx) {
	ctx.error = (status, code, message, headers = {}) => {
		const text = code === 'TooManyRequests'
			? 'The request was throttled by service protection. Retry after the number of seconds in the Retry-After header.'
			: code === 'serviceNotAvailable' ? 'The service is temporarily unavailable.' : message;
		const detailed = status === 400 || status === 409 || status === 412 || status >= 500;
		const body = detailed
			? { error: { code: '', message: 'An error has occurred.', innererror: { message: text, type: code || 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException', stacktrace: '' } } }
			: { error: { code: '', message: text } };
		return ctx.json(status, body, { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers });
	};
	return ctx;
}

/**
 * Verifies a bearer token for an API whose audience is one of `audiences` (sandbox-signed RS256, unexpired, not revoked,
 * of `tenantId`). Shared with businessCentral.js.
 * @param {{ tokens: any, state: any }} sandbox @param {Record<string, string>} headers @param {{ audiences: string[], tenantId: string }} expected
 * @returns {{ ok: true, claims: Record<string, any>, appOnly: boolean, appId: string } | { ok: false, reason: string }}
 */
function verifyBearer(sandbox, headers, expected) {
	const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
	if (!match) return { ok: false, reason: 'no bearer token' };
	const decoded = decodeJwt(match[1]);
	const publicKey = crypto.createPublicKey({ key: sandbox.tokens.jwks().keys[0], format: 'jwk' });
	if (!decoded || decoded.header.alg !== 'RS256' || !verifyJwtSignature(decoded, publicKey)) return { ok: false, reason: 'invalid signature' };
	const claims = decoded.payload;
	const normal = (/** @type {unknown} */ value) => String(value ?? '').replace(/\/+$/, '').toLowerCase();
	if (!expected.audiences.map(normal).includes(normal(claims.aud))) return { ok: false, reason: 'wrong audience' };
	if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(Date.now() / 1000)) return { ok: false, reason: 'expired' };
	if (sandbox.state.revokedTokenIds.has(claims.uti)) return { ok: false, reason: 'revoked' };
	if (claims.tid !== expected.tenantId) return { ok: false, reason: 'token of another tenant' };
	return { ok: true, claims, appOnly: claims.idtyp === 'app', appId: String(claims.appid ?? '').toLowerCase() };
}

/** A key predicate `dataAreaId='usmf',CustomerAccount='US-001'` (or one bare value for a one-field key) → values. @param {string} text @param {string[]} keys */
function parseKeyPredicate(text, keys) {
	/** @type {Record<string, string | number>} */
	const values = {};
	const pattern = /\s*(?:([A-Za-z_]\w*)\s*=\s*)?('(?:[^']|'')*'|-?\d+(?:\.\d+)?)\s*(,|$)/y;
	let index = 0;
	while (index < text.length) {
		pattern.lastIndex = index;
		const match = pattern.exec(text);
		if (!match) return null;
		const raw = match[2];
		const value = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : Number(raw);
		const name = match[1] ?? (keys.length === 1 ? keys[0] : undefined);
		if (!name) return null;
		values[name] = value;
		index = pattern.lastIndex;
		if (!match[3]) break;
	}
	return values;
}

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox the object startSandbox returns
 */
function register(router, sandbox) {
	const base = `${sandbox.financeOperationsUrl}/data`;
	const store = new FinanceOperationsStore();
	const environment = {
		tenantId: SEED.tenants.contoso.id,
		/** "Microsoft Entra ID applications": app id (lower case) → the F&O user it runs as and that user's default company */
		applications: new Map([SEED.apps.multiTenant.clientId, SEED.apps.singleTenant.clientId].map((id) => [id.toLowerCase(), { userId: 'Admin', company: 'usmf' }])),
		/** users of the environment: Entra object id → F&O user and default company */
		users: new Map([
			[SEED.users.alice.id, { userId: 'alice', company: 'usmf' }],
			[SEED.users.bob.id, { userId: 'bob', company: 'demf' }],
		]),
		/** rows per page when the caller sends no `Prefer: odata.maxpagesize` (F&O: 10,000) */
		pageSize: MAX_PAGE_SIZE,
	};

	/** @param {import('./router').Context} ctx @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
	const reply = (ctx, status, body, headers = {}) => ctx.json(status, body, { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers });

	/**
	 * @typedef {{ userId: string, company: string, appOnly: boolean }} Caller
	 * @param {(ctx: import('./router').Context, caller: Caller) => any} handler @returns {import('./router').Handler}
	 */
	const authorised = (handler) => (ctx) => {
		const verified = verifyBearer(sandbox, ctx.headers, { audiences: [sandbox.financeOperationsUrl], tenantId: environment.tenantId });
		const unauthorized = () => ctx.send(401, null, { 'www-authenticate': `Bearer authorization_uri="${sandbox.loginUrl}/${environment.tenantId}/oauth2/authorize"` });
		if (!verified.ok) return unauthorized();
		const account = verified.appOnly ? environment.applications.get(verified.appId) : environment.users.get(verified.claims.oid);
		// An app missing from "Microsoft Entra ID applications", or a user without an F&O user: F&O answers 401.
		if (!account) return unauthorized();
		return handler(ctx, { ...account, appOnly: verified.appOnly });
	};

	/** @param {string} set */
	const entityOf = (set) => {
		const entity = store.entity(set);
		if (!entity) throw httpError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${base}/${set}'.`);
		return entity;
	};
	/** @param {import('./router').Context} ctx */
	const crossCompany = (ctx) => String(ctx.query['cross-company'] ?? '').toLowerCase() === 'true';
	/** @param {any} entity @param {Record<string, unknown>} row */
	const editLink = (entity, row) => `${base}/${entity.set}(${entity.keys.map((/** @type {string} */ key) => `${key}='${String(row[key]).replace(/'/g, "''")}'`).join(',')})`;
	/** @param {import('./router').Context} _ctx @param {() => any} run */
	const options = (_ctx, run) => {
		try {
			return run();
		} catch (error) {
			if (error instanceof OptionError) throw httpError(400, 'Microsoft.OData.ODataException', error.message);
			throw error;
		}
	};

	/** Rows of an entity the caller may see: its default company, or every company with cross-company. */
	const visibleRows = (/** @type {any} */ entity, /** @type {Caller} */ caller, /** @type {boolean} */ cross) =>
		[...(store.tables.get(entity.set)?.values() ?? [])].filter((row) => !entity.companyScoped || cross || String(row.dataAreaId).toLowerCase() === caller.company);

	/** @param {any} entity @param {Record<string, unknown>} row */
	const withLines = (entity, row) => {
		const navigation = entity.navigation;
		const lines = [...(store.tables.get(navigation.target)?.values() ?? [])].filter((line) => navigation.on.every((/** @type {string} */ key) => String(line[key]).toLowerCase() === String(row[key]).toLowerCase()));
		return { ...row, [navigation.name]: lines };
	};

	/** The row a key predicate names, visible to the caller; 404 otherwise. */
	const findRow = (/** @type {import('./router').Context} */ ctx, /** @type {any} */ entity, /** @type {Caller} */ caller) => {
		const values = parseKeyPredicate(ctx.params.key, entity.keys);
		if (!values || entity.keys.some((/** @type {string} */ key) => values[key] === undefined) || Object.keys(values).length !== entity.keys.length) {
			throw httpError(400, 'Microsoft.OData.ODataException', `The number of keys specified in the URI does not match number of key properties for the resource '${NS}.${entity.type}'.`);
		}
		const row = store.tables.get(entity.set)?.get(store.keyOf(entity, values));
		if (!row || (entity.companyScoped && !crossCompany(ctx) && String(row.dataAreaId).toLowerCase() !== caller.company)) {
			throw httpError(404, 'NotFound', `Resource not found for the segment '${entity.set}'.`);
		}
		return row;
	};

	/** Checks a body against the entity's fields; values of enums must be members. @param {any} entity @param {unknown} body */
	const checkBody = (entity, body) => {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'Microsoft.OData.ODataException', 'The request body must be a JSON object.');
		for (const [name, value] of Object.entries(body)) {
			if (name.startsWith('@odata.')) continue;
			const field = entity.fields[name];
			if (!field) throw httpError(400, 'Microsoft.OData.ODataException', `The property '${name}' does not exist on type '${NS}.${entity.type}'. Make sure to only use property names that are defined by the type.`);
			if (field.type.startsWith('enum:') && value !== null) {
				const members = /** @type {Record<string, string[]>} */ (ENUMS)[field.type.slice(5)];
				if (!members.includes(value)) throw httpError(400, 'Microsoft.OData.ODataException', `The value '${String(value)}' is not a member of enum '${NS}.${field.type.slice(5)}'.`);
			}
		}
		return /** @type {Record<string, unknown>} */ (body);
	};

	router.add('GET', /^\/data\/?$/, authorised((ctx) =>
		reply(ctx, 200, { '@odata.context': `${base}/$metadata`, value: ENTITIES.map((entity) => ({ name: entity.set, kind: 'EntitySet', url: entity.set })) }),
	), { host: HOST });

	router.add('GET', /^\/data\/\$metadata$/, authorised((ctx) =>
		ctx.send(200, metadataXml(), { 'content-type': 'application/xml', 'odata-version': '4.0' }),
	), { host: HOST });

	router.add('GET', /^\/data\/(?<set>[A-Za-z_]\w*)\/\$count$/, authorised((ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const { total } = options(ctx, () => applyQuery(visibleRows(entity, caller, crossCompany(ctx)), { $filter: ctx.query.$filter }, { schema: schemaOf(entity), typeName: `${NS}.${entity.type}` }));
		return ctx.send(200, String(total), { 'content-type': 'text/plain; charset=utf-8', 'odata-version': '4.0' });
	}), { host: HOST });

	router.add('GET', /^\/data\/(?<set>[A-Za-z_]\w*)$/, authorised((ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const requested = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(ctx.headers.prefer ?? '')?.[1];
		const pageSize = Math.min(requested ? Number(requested) : environment.pageSize, MAX_PAGE_SIZE);
		const { $skip, $top, ...rest } = ctx.query;
		const skip = $skip === undefined ? 0 : Number($skip);
		const result = options(ctx, () => applyQuery(visibleRows(entity, caller, crossCompany(ctx)), { ...rest, ...($skip !== undefined ? { $skip } : {}), ...($top !== undefined ? { $top } : {}) }, { schema: schemaOf(entity), typeName: `${NS}.${entity.type}` }));
		const expand = ctx.query.$expand;
		if (expand && (!entity.navigation || expand !== entity.navigation.name)) {
			throw httpError(400, 'Microsoft.OData.ODataException', `Could not find a property named '${expand}' on type '${NS}.${entity.type}'.`);
		}
		const page = result.rows.slice(0, pageSize);
		/** @type {Record<string, unknown>} */
		const body = {
			'@odata.context': `${base}/$metadata#${entity.set}${result.select ? `(${result.select.join(',')})` : ''}`,
			...(ctx.query.$count === 'true' ? { '@odata.count': result.total } : {}),
			value: page.map((/** @type {Record<string, unknown>} */ row) => project(expand ? withLines(entity, row) : row, result.select ? [...result.select, ...(expand ? [expand] : [])] : null)),
		};
		if (result.rows.length > pageSize) {
			const query = new URLSearchParams(ctx.url.search);
			query.set('$skip', String(skip + pageSize));
			if ($top !== undefined) query.set('$top', String(Number($top) - pageSize));
			body['@odata.nextLink'] = `${base}/${entity.set}?${query.toString().replace(/%24/g, '$')}`;
		}
		return reply(ctx, 200, body, requested ? { 'preference-applied': `odata.maxpagesize=${pageSize}` } : {});
	}), { host: HOST });

	router.add('POST', /^\/data\/(?<set>[A-Za-z_]\w*)$/, authorised(async (ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const values = checkBody(entity, await ctx.readJson());
		if (entity.companyScoped) values.dataAreaId = String(values.dataAreaId ?? caller.company).toLowerCase();
		const missing = entity.keys.find((key) => values[key] === undefined || values[key] === '');
		if (missing) throw httpError(400, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException', `Write failed for table row of type '${entity.type}'. The field '${missing}' must be filled in.`);
		if (entity.companyScoped && !store.tables.get('LegalEntities')?.has(store.keyOf(/** @type {any} */ (store.entity('LegalEntities')), { LegalEntityId: values.dataAreaId }))) {
			throw httpError(400, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException', `Company '${values.dataAreaId}' does not exist.`);
		}
		if (store.tables.get(entity.set)?.has(store.keyOf(entity, values))) {
			throw httpError(400, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException', `Cannot create a record in ${entity.label} (${entity.type}). ${entity.keys.map((key) => `${key}: ${values[key]}`).join(', ')}. The record already exists.`);
		}
		const row = store.insert(entity.set, values);
		const link = editLink(entity, row);
		return reply(ctx, 201, { '@odata.context': `${base}/$metadata#${entity.set}/$entity`, ...row }, { location: link, 'odata-entityid': link });
	}), { host: HOST });

	const single = /^\/data\/(?<set>[A-Za-z_]\w*)\((?<key>[^)]*)\)$/;
	router.add('GET', single, authorised((ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const row = findRow(ctx, entity, caller);
		const select = ctx.query.$select ? options(ctx, () => applyQuery([], { $select: ctx.query.$select }, { schema: schemaOf(entity), typeName: entity.type }).select) : null;
		const expanded = ctx.query.$expand && entity.navigation?.name === ctx.query.$expand ? withLines(entity, row) : row;
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#${entity.set}/$entity`, ...project(expanded, select) });
	}), { host: HOST });

	router.add('GET', /^\/data\/(?<set>[A-Za-z_]\w*)\((?<key>[^)]*)\)\/(?<nav>[A-Za-z_]\w*)$/, authorised((ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const row = findRow(ctx, entity, caller);
		if (entity.navigation?.name !== ctx.params.nav) throw httpError(404, 'NotFound', `Resource not found for the segment '${ctx.params.nav}'.`);
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#${entity.navigation.target}`, value: /** @type {Record<string, unknown>} */ (withLines(entity, row))[entity.navigation.name] });
	}), { host: HOST });

	/** If-Match: absent or `*` passes; otherwise it must be the row's current ETag (412 otherwise). */
	const checkEtag = (/** @type {import('./router').Context} */ ctx, /** @type {Record<string, unknown>} */ row) => {
		const ifMatch = ctx.headers['if-match'];
		if (ifMatch === undefined || ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === row['@odata.etag'])) return;
		throw httpError(412, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataConcurrencyException', 'The record was changed by another user after it was read. Read it again and repeat the update.');
	};

	router.add('PATCH', single, authorised(async (ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const row = findRow(ctx, entity, caller);
		const values = checkBody(entity, await ctx.readJson());
		checkEtag(ctx, row);
		for (const key of entity.keys) {
			if (values[key] !== undefined && String(values[key]).toLowerCase() !== String(row[key]).toLowerCase()) {
				throw httpError(400, 'Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataWriteException', `The key field '${key}' cannot be changed.`);
			}
		}
		Object.assign(row, values, { '@odata.etag': store.nextEtag() });
		if (entity.companyScoped) row.dataAreaId = String(row.dataAreaId).toLowerCase();
		return ctx.send(204, null, { 'odata-version': '4.0' });
	}), { host: HOST });

	router.add('DELETE', single, authorised((ctx, caller) => {
		const entity = entityOf(ctx.params.set);
		const row = findRow(ctx, entity, caller);
		checkEtag(ctx, row);
		store.tables.get(entity.set)?.delete(store.keyOf(entity, row));
		return ctx.send(204, null, { 'odata-version': '4.0' });
	}), { host: HOST });

	registerBatch(router, sandbox, { host: HOST, base, authorised, useErrors, store });

	sandbox.financeOperations = {
		url: sandbox.financeOperationsUrl,
		environment,
		store,
		/** rows of an entity set (every company), as stored */
		rows: (/** @type {string} */ set) => [...(store.tables.get(set)?.values() ?? [])],
		/** one row by its key values, or null */
		row: (/** @type {string} */ set, /** @type {Record<string, unknown>} */ keys) => {
			const entity = store.entity(set);
			return entity ? (store.tables.get(set)?.get(store.keyOf(entity, keys)) ?? null) : null;
		},
		/** adds a row (dataAreaId in lower case) → the stored row with its @odata.etag */
		add: (/** @type {string} */ set, /** @type {Record<string, unknown>} */ values) => store.insert(set, values.dataAreaId ? { ...values, dataAreaId: String(values.dataAreaId).toLowerCase() } : values),
		/** adds `count` customers `${prefix}-00001` … to a company (paging tests) */
		addCustomers(/** @type {number} */ count, /** @type {string} */ company = 'usmf', /** @type {string} */ prefix = 'BULK') {
			for (let i = 1; i <= count; i++) {
				const account = `${prefix}-${String(i).padStart(5, '0')}`;
				store.insert('CustomersV3', { dataAreaId: company, CustomerAccount: account, OrganizationName: `Bulk customer ${String(i).padStart(5, '0')}`, CustomerGroupId: '30', SalesCurrencyCode: 'USD', CreditLimit: 0, CreditLimitIsMandatory: 'No', OnHoldStatus: 'No', PrimaryContactEmail: null });
			}
		},
		/** the next `times` requests to /data answer 429 with Retry-After (service protection) */
		throttle: (/** @type {number} */ times = 1, /** @type {string} */ retryAfter = '1') => sandbox.faults.add({ host: HOST, path: '^/data/', status: 429, retryAfter, times }),
	};
}

/** Unknown paths on the F&O host: F&O's 404 (registered after every other module). @param {import('./router').Router} router */
function registerFallbacks(router) {
	router.add('*', /^\/.*$/, (ctx) => {
		throw httpError(404, 'NotFound', `No HTTP resource was found that matches the request URI '${ctx.url.href}'.`);
	}, { host: HOST });
}

module.exports = { register, registerFallbacks, useErrors, resource, verifyBearer, parseKeyPredicate, MAX_PAGE_SIZE };
