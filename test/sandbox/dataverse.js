// @ts-check
'use strict';

/**
 * The sandbox's Dataverse environment on its own host (`dataverseUrl`, https://127.0.0.3:<port>), Web API v9.2:
 * metadata (`$metadata`, `EntityDefinitions`: dataverse-metadata.js) and rows (dataverse-rows.js) of the tables in
 * dataverse-schema.js, FetchXML (dataverse-fetchxml.js), change tracking (dataverse-changes.js), actions and
 * functions (dataverse-actions.js), file and image columns (dataverse-files.js), multipart `$batch` with change sets
 * (dataverse-batch.js), token checks (dataverse-auth.js), Dataverse's error body `{ error: { code: "0x…", message } }`
 * and service-protection 429s through the sandbox's faults (`host: 'dataverse'`).
 * `sandbox.dataverse` is the helper API tests use; `/_sandbox/dataverse/*` the same over HTTP (dataverse-control.js).
 * What is not modelled is listed in README.md.
 */

const { httpError } = require('./router');
const { createDataverseAuth, stableGuid } = require('./dataverse-auth');
const { SEED } = require('./seed');
const { registerBatch } = require('./dataverse-batch');
const { DataverseStore } = require('./dataverse-store');
const { registerMetadata } = require('./dataverse-metadata');
const { registerRows } = require('./dataverse-rows');
const { registerActions } = require('./dataverse-actions');
const { registerFiles } = require('./dataverse-files');
const { answerFetchXml } = require('./dataverse-fetchxml');
const { answerChanges } = require('./dataverse-changes');
const { createHelpers } = require('./dataverse-control');

const ODATA_JSON = 'application/json; odata.metadata=minimal';
/** The router's host name for this module's routes (router.js types list only 'api' | 'files'). */
const HOST = /** @type {import('./router').HostName} */ (/** @type {unknown} */ ('dataverse'));

/** Dataverse's codes for what the sandbox's generic faults call by Graph's names. */
const FAULT_CODES = /** @type {Record<string, [string, string]>} */ ({
	TooManyRequests: ['0x80072322', 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.'],
	serviceNotAvailable: ['0x80040216', 'The service is temporarily unavailable. Please retry later.'],
	BadRequest: ['0x80048d19', 'Error identified in Payload provided by the user. Unable to read JSON request payload.'],
});

/**
 * Makes a request context on the Dataverse host answer errors in Dataverse's shape (also errors thrown by
 * shared code and injected faults). Called by index.js for every request to that host.
 * @param {import('./router').Context} ctx
 */
function useDataverseErrors(ctx) {
	ctx.error = (status, code, message, headers = {}) => {
		// A Graph-named code only comes from a fault (or shared code) without its own code: use Dataverse's code and text.
		const [dataverseCode, dataverseMessage] = FAULT_CODES[code] ? [FAULT_CODES[code][0], code === 'BadRequest' ? message : FAULT_CODES[code][1]] : [code, message];
		const body = { error: { code: dataverseCode, message: dataverseMessage } };
		return ctx.json(status, body, { 'content-type': ODATA_JSON, 'odata-version': '4.0', ...headers });
	};
	return ctx;
}

/**
 * What the route modules share.
 * @typedef {{ host: import('./router').HostName, url: string, base: string, store: DataverseStore,
 *   environment: { tenantId: string, organizationId: string, businessUnitId: string, environmentId: string, applicationUsers: Set<string> },
 *   authorised: (handler: (ctx: import('./router').Context, caller: import('./dataverse-auth').DataverseCaller) => any) => import('./router').Handler,
 *   reply: (ctx: import('./router').Context, status: number, body: unknown, headers?: Record<string, string>) => import('./router').SandboxResponse,
 *   empty: (ctx: import('./router').Context, status: number, headers?: Record<string, string>) => import('./router').SandboxResponse,
 *   fetchXml: (ctx: import('./router').Context, table: import('./dataverse-schema').Table, prefs: any) => import('./router').SandboxResponse,
 *   changes: (ctx: import('./router').Context, table: import('./dataverse-schema').Table, prefs: any) => import('./router').SandboxResponse }} DataverseKit
 */

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox the object startSandbox returns (dataverseUrl, loginUrl, state, tokens)
 */
function register(router, sandbox) {
	const environment = {
		tenantId: SEED.tenants.contoso.id,
		organizationId: stableGuid(`organization|${sandbox.dataverseUrl}`),
		businessUnitId: stableGuid(`businessunit|${sandbox.dataverseUrl}`),
		environmentId: stableGuid(`environment|${sandbox.dataverseUrl}`),
		/** app ids (lower case) with an application user in the environment; `noConsent` has none */
		applicationUsers: new Set([SEED.apps.multiTenant.clientId, SEED.apps.singleTenant.clientId].map((id) => id.toLowerCase())),
	};
	const store = new DataverseStore();
	const auth = createDataverseAuth({ tokens: sandbox.tokens, state: sandbox.state, dataverseUrl: sandbox.dataverseUrl, loginUrl: sandbox.loginUrl, environment });

	/** @type {DataverseKit} */
	const kit = {
		host: HOST,
		url: sandbox.dataverseUrl,
		base: `${sandbox.dataverseUrl}/api/data/v9.2`,
		store,
		environment,
		authorised: (handler) => (ctx) => {
			const result = auth.check(ctx.headers);
			if (result.ok) return handler(ctx, result.caller);
			if (result.status === 401) return ctx.send(401, null, { 'www-authenticate': auth.challenge() });
			throw httpError(403, '0x80072560', 'The user is not a member of the organization.');
		},
		reply: (ctx, status, body, headers = {}) => ctx.json(status, body, { 'content-type': ODATA_JSON, 'odata-version': '4.0', ...headers }),
		empty: (ctx, status, headers = {}) => ctx.send(status, null, { 'odata-version': '4.0', ...headers }),
		fetchXml: (ctx, table, prefs) => answerFetchXml(kit, ctx, table, prefs),
		changes: (ctx, table, prefs) => answerChanges(kit, ctx, table, prefs),
	};

	registerMetadata(router, kit);
	registerFiles(router, kit);
	const rows = registerRows(router, kit);
	registerActions(router, kit, rows);
	registerBatch(router, sandbox, { host: HOST, authorised: kit.authorised, useDataverseErrors, store });

	sandbox.dataverse = createHelpers(router, sandbox, kit, rows);
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
