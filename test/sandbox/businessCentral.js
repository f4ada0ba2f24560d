// @ts-check
'use strict';

/**
 * Business Central on the sandbox's fifth host (`businessCentralUrl`, https://127.0.0.5:<port>), shaped like
 * `https://api.businesscentral.dynamics.com`: `/v2.0/{tenant}/{environment}/api/v2.0/` (also without the tenant, as
 * delegated calls may omit it) with `companies`, per company the standard entities of businessCentral-data.js (ETags on
 * every record; PATCH and DELETE need `If-Match`, a stale one → 412), lines under their documents (amounts and the
 * document's totals kept up to date), the bound actions of businessCentral-actions.js (`…/salesInvoices({id})/Microsoft.NAV.post`, …), a custom API page `api/contoso/sales/v1.0/companies({id})/deals`,
 * `$metadata`, `$filter`/`$select`/`$orderby`/`$top`/`$skip`, paging by `@odata.nextLink` (20,000 a page, or
 * `Prefer: odata.maxpagesize`), JSON `$batch` (businessCentral-batch.js) and BC's error body
 * `{ error: { code, message: "…  CorrelationId:  <guid>." } }`. The environments list of the tenant:
 * `GET /environments/v1.1|v1.2` and the admin center's `GET /admin/v2.{n}/applications/{family}/environments`.
 * Tokens: audience `https://api.businesscentral.dynamics.com`, the tenant of the URL, and an app registered in the
 * environment ("Microsoft Entra applications") or a user of it. `sandbox.businessCentral` is the helper API tests use.
 */

const crypto = require('node:crypto');
const { httpError } = require('./router');
const { SEED } = require('./seed');
const { verifyBearer } = require('./financeOperations');
const { OptionError, applyQuery, project } = require('./financeOperations-odata');
const { STANDARD, LINES, COMPANIES, CUSTOM_APIS, seedEnvironments, metadataXml, lineAmounts, documentTotals } = require('./businessCentral-data');
const { runBoundAction } = require('./businessCentral-actions');
const { registerBusinessCentralBatch } = require('./businessCentral-batch');

const HOST = /** @type {import('./router').HostName} */ ('businessCentral');
/** The token audience of Business Central (the same for every environment). */
const AUDIENCE = 'https://api.businesscentral.dynamics.com';
const JSON_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true';
/** Business Central's largest page. */
const MAX_PAGE_SIZE = 20000;
/** `/v2.0/[{tenant}/]{environment}/api/{v2.0 | publisher/group/version}/{rest}` */
const API_PATH = /^\/v2\.0\/(?:(?<tenant>[^/]+)\/)?(?<environment>[^/]+)\/api\/(?:(?<custom>[^/]+\/[^/]+\/(?:v\d+\.\d+|beta))|(?<standard>v2\.0))(?<rest>\/.*)?$/;

/** @param {string} url the sandbox's Business Central URL (another name for the same resource) */
function resource(url) {
	return {
		key: 'businessCentral',
		// "Dynamics 365 Business Central", the first-party app behind its permissions.
		appId: '996def3d-b36c-4153-8607-a6fd5c302e26',
		audience: AUDIENCE,
		identifiers: [AUDIENCE, url, '996def3d-b36c-4153-8607-a6fd5c302e26'],
		delegated: { user_impersonation: false, 'Financials.ReadWrite.All': false },
		roles: ['API.ReadWrite.All', 'Automation.ReadWrite.All'],
	};
}

/** BC's error body: `{ error: { code, message: "<text>  CorrelationId:  <guid>." } }`. @param {import('./router').Context} ctx */
function useErrors(ctx) {
	ctx.error = (status, code, message, headers = {}) => {
		const named = { TooManyRequests: ['Application_TooManyRequests', 'Too many requests reached. Actual (600). Maximum (600).'], serviceNotAvailable: ['ServiceUnavailable', 'The service is temporarily unavailable.'] }[code];
		const [bcCode, text] = named ?? [code, message];
		return ctx.json(status, { error: { code: bcCode, message: `${text}  CorrelationId:  ${ctx.requestId}.` } }, { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers });
	};
	return ctx;
}

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox
 */
function register(router, sandbox) {
	const tenant = SEED.tenants.contoso;
	const environments = seedEnvironments(tenant.id);
	const access = {
		/** "Microsoft Entra applications" of the environments: app ids (lower case) that may call app-only */
		applications: new Set([SEED.apps.multiTenant.clientId, SEED.apps.singleTenant.clientId].map((id) => id.toLowerCase())),
		/** users (Entra object ids) of the environments */
		users: new Set([SEED.users.alice.id, SEED.users.bob.id]),
		/** rows per page when the caller sends no `Prefer: odata.maxpagesize` */
		pageSize: MAX_PAGE_SIZE,
		/** tests: the origin `@odata.nextLink` points at (default the request's own), e.g. a foreign host a client must not follow with its token */
		nextLinkOrigin: /** @type {string | undefined} */ (undefined),
	};

	const correlation = () => crypto.randomUUID();
	/** @param {import('./router').Context} ctx @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
	const reply = (ctx, status, body, headers = {}) => ctx.json(status, body, { 'content-type': JSON_TYPE, 'odata-version': '4.0', ...headers });
	const notFound = () => httpError(404, 'BadRequest_NotFound', 'The specified resource was not found.');

	/** The token's check (401 in BC's shape when it fails). @param {import('./router').Context} ctx @param {string | undefined} tenantSegment */
	const authenticate = (ctx, tenantSegment) => {
		const verified = verifyBearer(sandbox, ctx.headers, { audiences: [AUDIENCE], tenantId: tenant.id });
		const segmentOk = tenantSegment === undefined || sandbox.state.findTenant(tenantSegment)?.id === tenant.id;
		const allowed = verified.ok && segmentOk && (verified.appOnly ? access.applications.has(verified.appId) : access.users.has(verified.claims.oid));
		if (!allowed) throw httpError(401, 'Authentication_InvalidCredentials', 'The server has rejected the client credentials.', { 'www-authenticate': `Bearer authorization_uri="${sandbox.loginUrl}/${tenant.id}/oauth2/authorize"` });
		return verified;
	};

	/** The environments list (`/environments/v1.x`) and the admin center's list. */
	const environmentsJson = () => [...environments.values()].map((environment) => ({
		aadTenantId: tenant.id,
		applicationFamily: 'BusinessCentral',
		type: environment.type,
		name: environment.name,
		countryCode: environment.countryCode,
		webServiceUrl: `${sandbox.businessCentralUrl}/v2.0/${tenant.id}/${environment.name}`,
		webClientLoginUrl: `https://businesscentral.dynamics.com/${tenant.id}/${environment.name}`,
		ringName: 'PROD',
	}));
	router.add('GET', /^\/environments\/v1\.[12]$/, (ctx) => {
		authenticate(ctx, undefined);
		return reply(ctx, 200, { value: environmentsJson() });
	}, { host: HOST });
	router.add('GET', /^\/admin\/v2\.\d+\/applications\/(?<family>[^/]+)\/environments$/, (ctx) => {
		authenticate(ctx, undefined);
		if (ctx.params.family.toLowerCase() !== 'businesscentral') return reply(ctx, 200, { value: [] });
		return reply(ctx, 200, {
			value: environmentsJson().map((environment) => ({
				friendlyName: environment.name, type: environment.type, name: environment.name, countryCode: environment.countryCode,
				applicationFamily: 'BusinessCentral', aadTenantId: tenant.id, applicationVersion: '24.0.16410.18056', status: 'Active',
				webClientLoginUrl: environment.webClientLoginUrl, locationName: 'United States', geoName: 'United States', ringName: 'PROD',
			})),
		});
	}, { host: HOST });

	/** What a path under an API root addresses. @param {string} rest */
	const parseRest = (rest) => {
		const segments = rest.split('/').filter(Boolean).map((segment) => {
			const decoded = decodeURIComponent(segment);
			const match = /^([A-Za-z.]+)(?:\((.*)\))?$/.exec(decoded);
			if (!match) throw httpError(400, 'BadRequest', `Bad Request - Error in query syntax: '${decoded}'.`);
			let key = match[2];
			if (key !== undefined) {
				key = key.replace(/^id=/, '').replace(/^'(.*)'$/, '$1').toLowerCase();
				if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)) throw httpError(400, 'BadRequest', `Bad Request - Error in query syntax: the key '${match[2]}' is not a GUID.`);
			}
			return { name: match[1], key };
		});
		return segments;
	};

	/** Sets of an API: standard (plus line sets through documents) or a custom page's. @param {string | undefined} custom */
	const setsOf = (custom) => (custom ? /** @type {Record<string, any>} */ (CUSTOM_APIS)[custom] : STANDARD);

	/** @param {import('./router').Context} ctx @param {Array<Record<string, unknown>>} rows @param {string} context @param {Record<string, string>} fields */
	const collection = (ctx, rows, context, fields) => {
		const requested = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(ctx.headers.prefer ?? '')?.[1];
		const pageSize = Math.min(requested ? Number(requested) : access.pageSize, MAX_PAGE_SIZE);
		const offset = ctx.query.$skiptoken ? Number(Buffer.from(ctx.query.$skiptoken, 'base64url').toString('utf8')) : 0;
		let result;
		try {
			const { $skiptoken, ...query } = ctx.query;
			result = applyQuery(rows, query, { schema: fields, typeName: context });
		} catch (error) {
			if (error instanceof OptionError) throw httpError(400, 'BadRequest', error.message);
			throw error;
		}
		const page = result.rows.slice(offset, offset + pageSize);
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': context, value: page.map((row) => project(row, result.select)) };
		if (offset + pageSize < result.rows.length) {
			const query = new URLSearchParams(ctx.url.search);
			query.set('$skiptoken', Buffer.from(String(offset + pageSize)).toString('base64url'));
			body['@odata.nextLink'] = `${access.nextLinkOrigin ?? ctx.url.origin}${ctx.url.pathname}?${query.toString().replace(/%24/g, '$')}`;
		}
		return reply(ctx, 200, body, requested ? { 'preference-applied': `odata.maxpagesize=${pageSize}` } : {});
	};

	/** If-Match is required on PATCH and DELETE: missing → 400, not the record's current ETag → 412. @param {import('./router').Context} ctx @param {Record<string, unknown>} record */
	const checkIfMatch = (ctx, record) => {
		const ifMatch = ctx.headers['if-match'];
		if (ifMatch === undefined || !ifMatch.trim()) throw httpError(400, 'BadRequest', 'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.');
		if (ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === record['@odata.etag'])) return;
		throw httpError(412, 'Request_EntityChanged', 'Could not save a record because another user has changed it.');
	};

	/** Checks a body: an object of known, writable fields. @param {unknown} body @param {Record<string, string>} fields */
	const checkBody = (body, fields) => {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, 'BadRequest', 'The request body must be a JSON object.');
		for (const name of Object.keys(body)) {
			if (name.startsWith('@odata.')) continue;
			if (!(name in fields)) throw httpError(400, 'BadRequest', `The property '${name}' does not exist on type 'Microsoft.NAV'. Make sure to only use property names that are defined by the type.`);
			if (name === 'id' || name === 'lastModifiedDateTime') throw httpError(400, 'BadRequest_InvalidToken', `The property '${name}' is read-only.`);
		}
		return /** @type {Record<string, unknown>} */ (body);
	};

	/**
	 * A new line's values as Business Central fills them: the document's id, the next sequence, an item's description and
	 * unit price when only `itemId` is given, the amounts from quantity and unit price.
	 * @param {any} company @param {Map<string, Record<string, unknown>>} lineTable @param {unknown} documentId @param {Record<string, unknown>} values
	 * @param {Record<string, string>} fields the line type's fields (journal lines have no item or amounts)
	 */
	const lineValues = (company, lineTable, documentId, values, fields) => {
		if (!('amountIncludingTax' in fields)) return { ...values, documentId };
		const item = values.itemId ? company.table('items').get(String(values.itemId).toLowerCase()) : undefined;
		if (values.itemId && !item) throw httpError(400, 'Application_DialogException', `The item with id ${String(values.itemId)} does not exist.`);
		const siblings = [...lineTable.values()].filter((line) => line.documentId === documentId);
		const filled = {
			lineType: 'Item',
			sequence: (Math.max(0, ...siblings.map((line) => Number(line.sequence) || 0)) + 10000),
			description: item?.displayName ?? null,
			unitPrice: item?.unitPrice ?? 0,
			quantity: 0,
			...values,
			documentId,
		};
		return { ...filled, ...lineAmounts(Number(filled.quantity), Number(filled.unitPrice)) };
	};

	/** The one handler of `/v2.0/…/api/…`. @param {import('./router').Context} ctx */
	const handleApi = async (ctx) => {
		const { tenant: tenantSegment, environment: environmentName, custom, rest = '' } = ctx.params;
		authenticate(ctx, tenantSegment);
		const environment = environments.get(String(environmentName).toLowerCase());
		if (!environment) throw httpError(404, 'NoEnvironment', `The environment '${environmentName}' does not exist.`);
		const apiRoot = `${ctx.url.origin}${ctx.url.pathname.slice(0, ctx.url.pathname.length - rest.length)}`;
		const sets = setsOf(custom);
		if (rest === '' || rest === '/') return reply(ctx, 200, { '@odata.context': `${apiRoot}/$metadata`, value: [{ name: 'companies', kind: 'EntitySet', url: 'companies' }] });
		if (rest === '/$metadata') return ctx.send(200, metadataXml(sets, !custom), { 'content-type': 'application/xml', 'odata-version': '4.0' });
		if (rest === '/$batch') {
			if (ctx.method !== 'POST') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for '$batch' are not allowed.`);
			return batch.handle(ctx, apiRoot);
		}
		const segments = parseRest(rest);
		const [companySegment, setSegment, lineSegment] = segments;
		if (companySegment.name !== 'companies' || segments.length > 3) throw notFound();
		if (!companySegment.key) {
			if (segments.length > 1) throw notFound();
			if (ctx.method !== 'GET') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for 'companies' are not allowed.`);
			return collection(ctx, [...environment.companies.values()].map((company) => company.json()), `${apiRoot}/$metadata#companies`, COMPANIES.fields);
		}
		const company = environment.companies.get(companySegment.key);
		if (!company) throw notFound();
		if (!setSegment) {
			if (ctx.method !== 'GET') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for 'companies' are not allowed.`);
			return reply(ctx, 200, { '@odata.context': `${apiRoot}/$metadata#companies/$entity`, ...company.json() });
		}
		const definition = sets[setSegment.name];
		if (!definition) throw httpError(404, 'BadRequest_NotFound', `The request URI is not valid. Since the segment '${setSegment.name}' refers to a collection, this must be the last segment in the request URI or it must be followed by an function or action that can be bound to it otherwise all intermediate segments must refer to a single resource.`);
		const tableName = custom ? `${custom}/${setSegment.name}` : setSegment.name;
		const table = company.table(tableName);
		const context = `${apiRoot}/$metadata#companies(${company.id})/${setSegment.name}`;

		if (!setSegment.key) {
			if (lineSegment) throw notFound();
			if (ctx.method === 'GET') return collection(ctx, [...table.values()], context, definition.fields);
			if (ctx.method !== 'POST') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for '${setSegment.name}' are not allowed.`);
			const values = checkBody(await ctx.readJson(), definition.fields);
			// A new sales or purchase document is a draft until it is posted.
			const record = company.insert(tableName, { ...(definition.lines && 'status' in definition.fields ? { status: 'Draft' } : {}), ...values }, definition);
			return reply(ctx, 201, { '@odata.context': `${context}/$entity`, ...record }, { location: `${ctx.url.origin}${ctx.url.pathname}(${record.id})` });
		}
		const record = table.get(setSegment.key);
		if (!record) throw notFound();

		if (lineSegment) {
			if (lineSegment.name.startsWith('Microsoft.NAV.') && !lineSegment.key && !custom) {
				if (ctx.method !== 'POST') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for '${lineSegment.name}' are not allowed.`);
				runBoundAction(company, setSegment.name, record, lineSegment.name.slice('Microsoft.NAV.'.length));
				return ctx.send(204, null, { 'odata-version': '4.0' });
			}
			const lines = definition.lines;
			if (!lines || lines.name !== lineSegment.name) throw notFound();
			const lineDefinition = /** @type {any} */ (LINES)[lines.set];
			const lineTable = company.table(lines.set);
			const lineContext = `${context}(${record.id})/${lines.name}`;
			// A posted document's lines are read-only; every line write changes the document's totals (and its ETag).
			const writable = () => {
				if ('status' in record && record.status !== 'Draft') throw httpError(400, 'Application_DialogException', `The lines of ${record.number} cannot be changed because the document is ${String(record.status).toLowerCase()}.`);
			};
			const retotal = () => Object.assign(record, documentTotals(company, setSegment.name, record.id), { '@odata.etag': company.etag() }, 'lastModifiedDateTime' in definition.fields ? { lastModifiedDateTime: new Date().toISOString() } : {});
			if (!lineSegment.key) {
				if (ctx.method === 'GET') return collection(ctx, [...lineTable.values()].filter((line) => line.documentId === record.id), lineContext, lineDefinition.fields);
				if (ctx.method !== 'POST') throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests for '${lines.name}' are not allowed.`);
				const values = checkBody(await ctx.readJson(), lineDefinition.fields);
				writable();
				const line = company.insert(lines.set, lineValues(company, lineTable, record.id, values, lineDefinition.fields), lineDefinition);
				retotal();
				return reply(ctx, 201, { '@odata.context': `${lineContext}/$entity`, ...line });
			}
			const line = lineTable.get(lineSegment.key);
			if (!line || line.documentId !== record.id) throw notFound();
			if (ctx.method !== 'GET') writable();
			return single(ctx, company, lines.set, line, lineDefinition.fields, `${lineContext}/$entity`, (changed) => {
				if (changed && 'amountIncludingTax' in lineDefinition.fields) Object.assign(changed, lineAmounts(Number(changed.quantity), Number(changed.unitPrice)));
				retotal();
			});
		}
		return single(ctx, company, tableName, record, definition.fields, `${context}/$entity`);
	};

	/**
	 * GET / PATCH / DELETE of one record; `afterWrite` (lines) recomputes amounts and the document's totals.
	 * @param {import('./router').Context} ctx @param {any} company @param {string} tableName @param {Record<string, unknown>} record
	 * @param {Record<string, string>} fields @param {string} context @param {(changed: Record<string, unknown> | null) => void} [afterWrite]
	 */
	const single = async (ctx, company, tableName, record, fields, context, afterWrite) => {
		if (ctx.method === 'GET') {
			if (ctx.headers['if-none-match'] === record['@odata.etag']) return ctx.send(304, null);
			const select = ctx.query.$select ? ctx.query.$select.split(',').map((name) => name.trim()) : null;
			for (const name of select ?? []) if (!(name in fields)) throw httpError(400, 'BadRequest', `Could not find a property named '${name}' on type 'Microsoft.NAV'.`);
			return reply(ctx, 200, { '@odata.context': context, ...project(record, select) });
		}
		if (ctx.method === 'PATCH') {
			const values = checkBody(await ctx.readJson(), fields);
			checkIfMatch(ctx, record);
			Object.assign(record, values, { '@odata.etag': company.etag() });
			if ('lastModifiedDateTime' in fields) record.lastModifiedDateTime = new Date().toISOString();
			afterWrite?.(record);
			return reply(ctx, 200, { '@odata.context': context, ...record });
		}
		if (ctx.method === 'DELETE') {
			checkIfMatch(ctx, record);
			company.table(tableName).delete(String(record.id));
			afterWrite?.(null);
			return ctx.send(204, null, { 'odata-version': '4.0' });
		}
		throw httpError(405, 'BadRequest_MethodNotAllowed', `'${ctx.method}' requests are not allowed on this resource.`);
	};

	const batch = registerBusinessCentralBatch(router, sandbox, { host: HOST, useErrors, environments });
	router.add('*', API_PATH, handleApi, { host: HOST });

	sandbox.businessCentral = {
		url: sandbox.businessCentralUrl,
		audience: AUDIENCE,
		tenantId: tenant.id,
		access,
		environments,
		/** an environment by name (case-insensitive) */
		environment: (/** @type {string} */ name) => environments.get(name.toLowerCase()) ?? null,
		/** a company of an environment by name or id */
		company(/** @type {string} */ environmentName, /** @type {string} */ nameOrId) {
			const environment = environments.get(environmentName.toLowerCase());
			return [...(environment?.companies.values() ?? [])].find((company) => company.id === nameOrId.toLowerCase() || company.name === nameOrId) ?? null;
		},
		/** the API root of an environment: `${url}/v2.0/${tenant}/${environment}/api/v2.0` (or a custom page's) */
		apiUrl: (/** @type {string} */ environmentName = 'Production', /** @type {string} */ api = 'v2.0') => `${sandbox.businessCentralUrl}/v2.0/${tenant.id}/${environmentName}/api/${api}`,
		/** records of an entity set of a company (standard, line set, or `contoso/sales/v1.0/deals`) */
		records: (/** @type {any} */ company, /** @type {string} */ set) => [...company.table(set).values()],
		/** adds `count` customers "Bulk customer 00001" … (paging tests) */
		addCustomers(/** @type {any} */ company, /** @type {number} */ count) {
			for (let i = 1; i <= count; i++) company.insert('customers', { displayName: `Bulk customer ${String(i).padStart(5, '0')}`, type: 'Company', currencyCode: 'USD', blocked: ' ', balance: 0 }, STANDARD.customers);
		},
		/** changes a record behind the caller's back: its ETag changes (a held ETag becomes stale → 412) */
		touch(/** @type {any} */ company, /** @type {string} */ set, /** @type {string} */ id, /** @type {Record<string, unknown>} */ changes = {}) {
			const record = company.table(set).get(id.toLowerCase());
			if (!record) throw new Error(`no ${set} record ${id}`);
			Object.assign(record, changes, { '@odata.etag': company.etag() });
			return record;
		},
		/** the next `times` API requests answer 429 with Retry-After */
		throttle: (/** @type {number} */ times = 1, /** @type {string} */ retryAfter = '1') => sandbox.faults.add({ host: HOST, path: '^/v2\\.0/', status: 429, retryAfter, times }),
		correlation,
	};
}

/** Unknown paths on the Business Central host: BC's 404 (registered after every other module). @param {import('./router').Router} router */
function registerFallbacks(router) {
	router.add('*', /^\/.*$/, () => {
		throw httpError(404, 'BadRequest_NotFound', 'The specified resource was not found.');
	}, { host: HOST });
}

module.exports = { register, registerFallbacks, useErrors, resource, AUDIENCE, API_PATH };
