// @ts-check
'use strict';

/**
 * A minimal Dataverse environment on the sandbox's third host (`dataverseUrl`, https://127.0.0.3:<port>):
 * `GET /api/data/v9.2/WhoAmI`, the `accounts` entity set (query with paging, create, update, upsert,
 * delete) and multipart `$batch` (dataverse-batch.js), with Dataverse's headers, error body
 * `{ error: { code: "0x…", message } }`, token checks (dataverse-auth.js) and service-protection 429s through the
 * sandbox's faults (`host: 'dataverse'`).
 * `sandbox.dataverse` is the helper API tests use. What is not modelled is listed in README.md.
 */

const { httpError } = require('./router');
const { createDataverseAuth, stableGuid } = require('./dataverse-auth');
const { AccountTable, parseKey, rowJson, etagOf } = require('./dataverse-accounts');
const { SEED } = require('./seed');
const { registerBatch } = require('./dataverse-batch');

const API = '/api/data/v9.2';
const ODATA_JSON = 'application/json; odata.metadata=minimal';
/** The router's host name for this module's routes (router.js types list only 'api' | 'files'). */
const HOST = /** @type {import('./router').HostName} */ (/** @type {unknown} */ ('dataverse'));

/** Dataverse's codes for what the sandbox's generic faults call by Graph's names. */
const FAULT_CODES = /** @type {Record<string, [string, string]>} */ ({
	TooManyRequests: ['0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'],
	serviceNotAvailable: ['0x80040216', 'The service is temporarily unavailable. Please retry later.'],
});

/**
 * Makes a request context on the Dataverse host answer errors in Dataverse's shape (also errors thrown by
 * shared code and injected faults). Called by index.js for every request to that host.
 * @param {import('./router').Context} ctx
 */
function useDataverseErrors(ctx) {
	ctx.error = (status, code, message, headers = {}) => {
		// A Graph-named code only comes from a fault without its own code: use Dataverse's code and text.
		const [dataverseCode, dataverseMessage] = FAULT_CODES[code] ?? [code, message];
		const body = { error: { code: dataverseCode, message: dataverseMessage } };
		return ctx.json(status, body, { 'content-type': ODATA_JSON, 'odata-version': '4.0', ...headers });
	};
	return ctx;
}

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox the object startSandbox returns (dataverseUrl, loginUrl, state, tokens)
 */
function register(router, sandbox) {
	const base = `${sandbox.dataverseUrl}${API}`;
	const environment = {
		tenantId: SEED.tenants.contoso.id,
		organizationId: stableGuid(`organization|${sandbox.dataverseUrl}`),
		businessUnitId: stableGuid(`businessunit|${sandbox.dataverseUrl}`),
		/** app ids (lower case) with an application user in the environment; `noConsent` has none */
		applicationUsers: new Set([SEED.apps.multiTenant.clientId, SEED.apps.singleTenant.clientId].map((id) => id.toLowerCase())),
	};
	const accounts = new AccountTable();
	const auth = createDataverseAuth({ tokens: sandbox.tokens, state: sandbox.state, dataverseUrl: sandbox.dataverseUrl, loginUrl: sandbox.loginUrl, environment });

	/** @param {import('./router').Context} ctx @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
	const reply = (ctx, status, body, headers = {}) => ctx.json(status, body, { 'content-type': ODATA_JSON, 'odata-version': '4.0', ...headers });
	/** @param {import('./router').Context} ctx @param {number} status @param {Record<string, string>} [headers] */
	const empty = (ctx, status, headers = {}) => ctx.send(status, null, { 'odata-version': '4.0', ...headers });

	/**
	 * Runs a handler for an authorised caller; otherwise answers like Dataverse (empty 401 with a challenge,
	 * or 403 0x80072560).
	 * @param {(ctx: import('./router').Context, caller: import('./dataverse-auth').DataverseCaller) => any} handler
	 * @returns {import('./router').Handler}
	 */
	const authorised = (handler) => (ctx) => {
		const result = auth.check(ctx.headers);
		if (result.ok) return handler(ctx, result.caller);
		if (result.status === 401) return ctx.send(401, null, { 'www-authenticate': auth.challenge() });
		throw httpError(403, '0x80072560', 'The user is not a member of the organization.');
	};

	/** @param {import('./router').Context} ctx @returns {{ maxPageSize: number | null, representation: boolean }} */
	const preferences = (ctx) => {
		const prefer = ctx.headers.prefer ?? '';
		const size = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer)?.[1];
		return { maxPageSize: size ? Number(size) : null, representation: /return\s*=\s*representation/i.test(prefer) };
	};
	/** @param {string} id */
	const entityId = (id) => `${base}/accounts(${id})`;
	/** @param {string} id */
	const notFound = (id) => httpError(404, '0x80040217', `Entity 'account' With Id = ${id} Does Not Exist`);
	/** @param {import('./router').Context} ctx @param {import('./dataverse-accounts').AccountRow} row */
	const etagMatches = (ctx, row) => {
		const ifMatch = ctx.headers['if-match'];
		return ifMatch === undefined || ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === etagOf(row));
	};
	const versionMismatch = () => httpError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");
	/** @param {import('./router').Context} ctx */
	const readBody = async (ctx) => {
		const body = await ctx.readJson();
		AccountTable.checkBody(body);
		return /** @type {Record<string, unknown>} */ (body);
	};

	router.add('GET', /^\/api\/data\/v9\.2\/WhoAmI(?:\(\))?$/, authorised((ctx, caller) =>
		reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
			BusinessUnitId: environment.businessUnitId,
			UserId: caller.systemUserId,
			OrganizationId: environment.organizationId,
		}),
	), { host: HOST });

	router.add('GET', `${API}/accounts`, authorised((ctx) => {
		const { maxPageSize } = preferences(ctx);
		const page = accounts.query(ctx.query, maxPageSize);
		/** @type {Record<string, unknown>} */
		const body = {
			'@odata.context': `${base}/$metadata#accounts${page.select ? `(${page.select.join(',')})` : ''}`,
			value: page.rows.map((row) => rowJson(row, page.select)),
		};
		if (page.next) {
			// The caller's options as given, then the paging cookie (option names keep their `$`, as Dataverse writes them).
			const options = Object.entries(ctx.query).filter(([key]) => key !== '$skiptoken');
			options.push(['$skiptoken', page.next]);
			body['@odata.nextLink'] = `${base}/accounts?${options.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
		}
		return reply(ctx, 200, body, maxPageSize ? { 'preference-applied': `odata.maxpagesize=${maxPageSize}` } : {});
	}), { host: HOST });

	router.add('POST', `${API}/accounts`, authorised(async (ctx) => {
		const row = accounts.create(await readBody(ctx));
		const id = String(row.accountid);
		if (preferences(ctx).representation) {
			return reply(ctx, 201, { '@odata.context': `${base}/$metadata#accounts/$entity`, ...rowJson(row, null) }, { 'odata-entityid': entityId(id), 'preference-applied': 'return=representation' });
		}
		return empty(ctx, 204, { 'odata-entityid': entityId(id) });
	}), { host: HOST });

	const single = /^\/api\/data\/v9\.2\/accounts\((?<key>[^)]*)\)$/;
	router.add('GET', single, authorised((ctx) => {
		const id = parseKey(ctx.params.key);
		const row = accounts.get(id);
		if (!row) throw notFound(id);
		if (ctx.headers['if-none-match'] === etagOf(row)) return empty(ctx, 304);
		const select = ctx.query.$select ? accounts.query({ $select: ctx.query.$select, $top: '0' }, null).select : null;
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#accounts/$entity`, ...rowJson(row, select) });
	}), { host: HOST });

	// PATCH: update; with `If-Match: *` it never creates (404 when missing); without If-Match it is an upsert;
	// `If-None-Match: *` creates only.
	router.add('PATCH', single, authorised(async (ctx) => {
		const id = parseKey(ctx.params.key);
		const values = await readBody(ctx);
		const existing = accounts.get(id);
		if (existing && ctx.headers['if-none-match']?.trim() === '*') throw httpError(412, '0x80040237', 'A record with matching key values already exists.');
		if (!existing && ctx.headers['if-match'] !== undefined) throw notFound(id);
		if (existing && !etagMatches(ctx, existing)) throw versionMismatch();
		const row = existing ? accounts.update(existing, values) : accounts.create({ ...values, accountid: id });
		if (preferences(ctx).representation) {
			return reply(ctx, existing ? 200 : 201, { '@odata.context': `${base}/$metadata#accounts/$entity`, ...rowJson(row, null) }, { 'odata-entityid': entityId(id), 'preference-applied': 'return=representation' });
		}
		return empty(ctx, 204, { 'odata-entityid': entityId(id) });
	}), { host: HOST });

	router.add('DELETE', single, authorised((ctx) => {
		const id = parseKey(ctx.params.key);
		const row = accounts.get(id);
		if (!row) throw notFound(id);
		if (!etagMatches(ctx, row)) throw versionMismatch();
		accounts.delete(id);
		return empty(ctx, 204);
	}), { host: HOST });

	registerBatch(router, sandbox, { host: HOST, authorised, useDataverseErrors });

	sandbox.dataverse = {
		url: sandbox.dataverseUrl,
		environment,
		/** records of the accounts table (Map id → row) */
		accounts: accounts.rows,
		/** @param {number} count @param {string} [prefix] */
		addAccounts: (count, prefix) => accounts.addMany(count, prefix),
		/** @param {Record<string, unknown>} values */
		addAccount: (values) => rowJson(accounts.create(values), null),
		/** @param {string} id */
		account: (id) => {
			const row = accounts.get(id);
			return row ? rowJson(row, null) : null;
		},
	};
}

/** Unknown resources on the Dataverse host: Dataverse's 404 (registered after every other module). @param {import('./router').Router} router */
function registerFallbacks(router) {
	router.add('*', /^\/.*$/, (ctx) => {
		const segment = ctx.path.replace(/^\/api\/data\/v9\.2\/?/, '').split(/[/(?]/)[0] || ctx.path;
		let name = segment;
		try {
			name = decodeURIComponent(segment);
		} catch {
			// keep the raw segment
		}
		throw httpError(404, '0x8006088a', `Resource not found for the segment '${name}'.`);
	}, { host: HOST });
}

module.exports = { register, registerFallbacks, useDataverseErrors };
