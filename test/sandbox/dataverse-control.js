// @ts-check
'use strict';

/**
 * The Dataverse environment's sample data and the helpers tests use: `sandbox.dataverse` (rows of any table, fast
 * seeding of many rows, change-tracking switches, expiring delta tokens, files, request counts) and the same over
 * HTTP on the api host for tests that drive n8n in another process (`/_sandbox/dataverse/*`, no auth).
 */

const { httpError } = require('./router');
const { TABLES, tableByLogicalName, MANY_TO_MANY } = require('./dataverse-schema');
const { prepareBody, rowJson } = require('./dataverse-records');

/** @typedef {import('./dataverse-schema').Table} Table */

/** The sample accounts a new Dataverse environment offers ("(sample)" data). */
const SAMPLE_ACCOUNTS = [
	['Fourth Coffee (sample)', 'Renton'], ['Litware, Inc. (sample)', 'Dallas'], ['Adventure Works (sample)', 'Santa Cruz'],
	['Fabrikam, Inc. (sample)', 'Lynnwood'], ['Blue Yonder Airlines (sample)', 'Los Angeles'], ['City Power & Light (sample)', 'Redmond'],
	['Contoso Pharmaceuticals (sample)', 'Redmond'], ["Alpine Ski House's Lodge (sample)", 'Missoula'], ['A. Datum Corporation (sample)', 'Redmond'],
	['Coho Winery (sample)', 'Phoenix'],
];
const SAMPLE_CONTACTS = [['Yvonne', 'McKay (sample)'], ['Susanna', 'Stubberod (sample)'], ['Nancy', 'Anderson (sample)'], ['Maria', 'Campbell (sample)']];

/**
 * @param {import('./router').Router} router
 * @param {any} sandbox
 * @param {import('./dataverse').DataverseKit} kit
 * @param {{ createPrepared: (table: Table, prepared: any) => Record<string, any> }} rows
 */
function createHelpers(router, sandbox, kit, rows) {
	const { store, base } = kit;
	/** @param {string} name */
	const tableNamed = (name) => {
		const table = tableByLogicalName(name) ?? TABLES.find((item) => item.entitySetName === name);
		if (!table) throw new Error(`sandbox.dataverse: no table '${name}' (tables: ${TABLES.map((item) => item.logicalName).join(', ')})`);
		return table;
	};
	/** @param {Table} table @param {Record<string, any>} row */
	const json = (table, row) => rowJson(store, table, row);

	/** Adds one row as a create request would (checked, lookups by @odata.bind). @param {string} name @param {Record<string, unknown>} values */
	const addRow = (name, values) => {
		const table = tableNamed(name);
		const prepared = prepareBody(store, table, values, 'create', base);
		return json(table, rows.createPrepared(table, prepared));
	};

	/**
	 * Adds `count` rows fast (no per-row checks): the primary name is `${prefix} 00001`…, `values` (an object or
	 * `(n) => object`, with stored column names such as `parentcustomerid`) fills the rest.
	 * @param {string} name @param {number} count @param {{ prefix?: string, values?: Record<string, unknown> | ((n: number) => Record<string, unknown>) }} [options]
	 */
	const seed = (name, count, options = {}) => {
		const table = tableNamed(name);
		const width = Math.max(5, String(count).length);
		const prefix = options.prefix ?? `Bulk ${table.logicalName}`;
		const ids = [];
		for (let n = 1; n <= count; n++) {
			const extra = typeof options.values === 'function' ? options.values(n) : options.values ?? {};
			const nameValue = `${prefix} ${String(n).padStart(width, '0')}`;
			const primary = table.primaryName === 'fullname' ? { lastname: nameValue } : { [table.primaryName]: nameValue };
			const keyed = table.logicalName === 'cr0a1_project' ? { cr0a1_code: `${prefix.replace(/\W+/g, '').slice(0, 8)}-${n}` } : {};
			ids.push(store.insert(table, { ...primary, ...keyed, ...extra })[table.primaryId]);
		}
		return ids;
	};

	// Sample data of a new environment.
	const accountIds = SAMPLE_ACCOUNTS.map(([name, city], index) =>
		store.insert(tableNamed('account'), { name, address1_city: city, accountnumber: `SMP-${String(index + 1).padStart(4, '0')}`, telephone1: `555-01${String(index).padStart(2, '0')}` }).accountid,
	);
	SAMPLE_CONTACTS.forEach(([firstname, lastname], index) =>
		store.insert(tableNamed('contact'), { firstname, lastname, emailaddress1: `${firstname.toLowerCase()}@example.com`, parentcustomerid: accountIds[index], 'parentcustomerid@table': 'account' }),
	);

	/** Requests that reached the Dataverse host over HTTP (not the parts inside a `$batch`). @param {{ method?: string, path?: string | RegExp }} [filter] */
	const requests = (filter = {}) => sandbox.state.requests.filter((/** @type {import('./state').RequestLogEntry} */ entry) =>
		entry.host === 'dataverse' && !entry.viaBatch
		&& (!filter.method || entry.method === filter.method.toUpperCase())
		&& (!filter.path || (typeof filter.path === 'string' ? entry.path === filter.path : filter.path.test(entry.path))));
	const requestCounts = () => {
		const list = requests();
		/** @type {Record<string, number>} */
		const byMethod = {};
		/** @type {Record<string, number>} */
		const byRoute = {};
		for (const entry of list) {
			byMethod[entry.method] = (byMethod[entry.method] ?? 0) + 1;
			const route = `${entry.method} ${entry.path}`;
			byRoute[route] = (byRoute[route] ?? 0) + 1;
		}
		const inBatches = sandbox.state.requests.filter((/** @type {import('./state').RequestLogEntry} */ entry) => entry.host === 'dataverse' && entry.viaBatch).length;
		return { total: list.length, byMethod, byRoute, inBatches };
	};

	const helpers = {
		url: sandbox.dataverseUrl,
		environment: kit.environment,
		/** the store (rows per table, versions, deletions, links, files) */
		store,
		/** the schema tables */
		tables: TABLES,
		/** records of the accounts table (Map id → row) */
		accounts: store.rows('account'),
		/** @param {string} name */
		rows: (name) => store.rows(tableNamed(name).logicalName),
		addRow,
		seed,
		/** @param {string} name @param {string} id */
		row: (name, id) => {
			const table = tableNamed(name);
			const row = store.get(table, id);
			return row ? json(table, row) : null;
		},
		/** Changes a row as an update would (checked; versioned and change-tracked). @param {string} name @param {string} id @param {Record<string, unknown>} values */
		updateRow: (name, id, values) => {
			const table = tableNamed(name);
			const row = store.get(table, id);
			if (!row) throw new Error(`sandbox.dataverse: no ${table.logicalName} ${id}`);
			store.change(table, row, prepareBody(store, table, values, 'update', base).values);
			return json(table, row);
		},
		/** @param {string} name @param {string} id */
		deleteRow: (name, id) => {
			const table = tableNamed(name);
			const row = store.get(table, id);
			if (!row) return false;
			store.remove(table, row);
			return true;
		},
		/** @param {string} name @param {boolean} enabled */
		setChangeTracking: (name, enabled) => void store.trackingOverride.set(tableNamed(name).logicalName, enabled),
		/** Makes every delta token issued so far (for one table or all) expired (0x80044352). @param {string} [name] */
		expireDeltaTokens: (name) => {
			// A new version, so tokens issued from now on are valid and every earlier one is expired.
			const version = store.nextVersion();
			for (const table of name ? [tableNamed(name)] : TABLES) store.trackingExpiredBefore.set(table.logicalName, version);
		},
		/** many-to-many links of a relationship as [entity1 id, entity2 id] */
		/** @param {string} schemaName */
		links: (schemaName) => {
			if (!MANY_TO_MANY.some((item) => item.schemaName === schemaName)) throw new Error(`sandbox.dataverse: no many-to-many relationship '${schemaName}'`);
			return [...(store.links.get(schemaName) ?? [])].map((pair) => pair.split('|'));
		},
		/** The content of a file column (or an image column, as bytes), or null. @param {string} name @param {string} id @param {string} column */
		file: (name, id, column) => {
			const table = tableNamed(name);
			const row = store.get(table, id);
			const value = row?.[column];
			if (!value) return null;
			const file = store.files.get(value);
			if (file) return file;
			return { name: row?.[`${column}id`] ?? column, type: 'image/jpeg', bytes: Buffer.from(String(value), 'base64') };
		},
		requests,
		requestCounts,
		/** @param {number} count @param {string} [prefix] */
		addAccounts: (count, prefix = 'Bulk account') => void seed('account', count, { prefix }),
		/** @param {Record<string, unknown>} values */
		addAccount: (values) => addRow('account', values),
		/** @param {string} id */
		account: (id) => helpers.row('account', id),
	};

	registerControlRoutes(router, helpers, tableNamed);
	return helpers;
}

/**
 * `/_sandbox/dataverse/*` on the api host (no auth, local only).
 * @param {import('./router').Router} router @param {any} helpers @param {(name: string) => Table} tableNamed
 */
function registerControlRoutes(router, helpers, tableNamed) {
	const plain = { 'content-type': 'application/json; charset=utf-8' };
	/** @param {() => unknown} run */
	const guarded = (run) => {
		try {
			return run();
		} catch (error) {
			if (error instanceof Error && !('status' in error)) throw httpError(400, 'BadRequest', error.message);
			throw error;
		}
	};
	router.add('GET', '/_sandbox/dataverse/requests', (ctx) => ctx.json(200, helpers.requestCounts(), plain));
	router.add('POST', '/_sandbox/dataverse/expire-delta-tokens', async (ctx) => {
		const body = (await ctx.readJson()) ?? {};
		guarded(() => helpers.expireDeltaTokens(body.table));
		return ctx.send(204, null);
	});
	router.add('PUT', '/_sandbox/dataverse/tables/:table/change-tracking', async (ctx) => {
		const body = (await ctx.readJson()) ?? {};
		guarded(() => helpers.setChangeTracking(ctx.params.table, body.enabled === true));
		return ctx.send(204, null);
	});
	router.add('POST', '/_sandbox/dataverse/tables/:table/seed', async (ctx) => {
		const body = (await ctx.readJson()) ?? {};
		if (!Number.isInteger(body.count) || body.count < 0 || body.count > 100000) throw httpError(400, 'BadRequest', 'count must be an integer from 0 to 100000');
		const ids = guarded(() => helpers.seed(ctx.params.table, body.count, { prefix: body.prefix, values: body.values }));
		return ctx.json(201, { ids }, plain);
	});
	router.add('GET', '/_sandbox/dataverse/tables/:table/rows', (ctx) => {
		const table = /** @type {Table} */ (guarded(() => tableNamed(ctx.params.table)));
		const value = [...helpers.rows(table.logicalName).keys()].map((id) => helpers.row(table.logicalName, id));
		return ctx.json(200, { count: value.length, value }, plain);
	});
	router.add('POST', '/_sandbox/dataverse/tables/:table/rows', async (ctx) => {
		const body = await ctx.readJson();
		return ctx.json(201, guarded(() => helpers.addRow(ctx.params.table, body)), plain);
	});
	router.add('GET', '/_sandbox/dataverse/tables/:table/rows/:id', (ctx) => {
		const row = guarded(() => helpers.row(ctx.params.table, ctx.params.id));
		return row ? ctx.json(200, row, plain) : ctx.json(404, { error: 'no such row' }, plain);
	});
	router.add('PATCH', '/_sandbox/dataverse/tables/:table/rows/:id', async (ctx) => {
		const body = await ctx.readJson();
		return ctx.json(200, guarded(() => helpers.updateRow(ctx.params.table, ctx.params.id, body)), plain);
	});
	router.add('DELETE', '/_sandbox/dataverse/tables/:table/rows/:id', (ctx) =>
		(guarded(() => helpers.deleteRow(ctx.params.table, ctx.params.id)) ? ctx.send(204, null) : ctx.json(404, { error: 'no such row' }, plain)));
}

module.exports = { createHelpers };
