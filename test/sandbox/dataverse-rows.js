// @ts-check
'use strict';

/**
 * Row routes for every table of the schema: `GET|POST /{set}` (queries with $select, $filter, $orderby, $top,
 * $expand, $count, paging by `Prefer: odata.maxpagesize` and `$skiptoken`; FetchXML and change tracking are handed
 * to their modules), `GET /{set}/$count`, `GET|PATCH|DELETE /{set}({id or alternate key})` with Prefer,
 * If-Match / If-None-Match and ETags, `GET /{set}({key})/{navigation}` and associate / disassociate through
 * `/{set}({key})/{navigation}/$ref`.
 */

const { httpError } = require('./router');
const { TABLES, tableByLogicalName, tableBySet, navigationOf, columnOf } = require('./dataverse-schema');
const { parseExpand, unknownProperty } = require('./dataverse-query');
const {
	MAX_PAGE_SIZE, parseKeySegment, findRow, missing, resolveReference, prepareBody, preferences, rowJson, outerCookie, innerCookie,
	readInnerCookie, innerOf, pageOf, selectOf, filterOf, orderOf, typeName,
} = require('./dataverse-records');

/** @typedef {import('./dataverse-schema').Table} Table */
/** @typedef {import('./dataverse-store').Row} Row */

const SETS = TABLES.map((table) => table.entitySetName).join('|');
const QUERY_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$expand', '$count', '$skiptoken', '$deltatoken', 'fetchXml']);

/**
 * @param {import('./router').Router} router
 * @param {import('./dataverse').DataverseKit} kit
 */
function registerRows(router, kit) {
	const { host, authorised, reply, empty, base, store } = kit;
	/** @param {Table} table @param {Row} row */
	const entityUrl = (table, row) => `${base}/${table.entitySetName}(${row[table.primaryId]})`;
	/** @param {string} set */
	const tableOf = (set) => /** @type {Table} */ (tableBySet(set));

	/**
	 * Rows of another table related to `row` through a navigation property.
	 * @param {Table} table @param {Row} row @param {NonNullable<ReturnType<typeof navigationOf>>} nav
	 */
	const related = (table, row, nav) => {
		const target = /** @type {Table} */ (tableByLogicalName(nav.target));
		const id = row[table.primaryId];
		if (nav.kind === 'single') {
			const value = row[nav.attribute];
			const typed = row[`${nav.attribute}@table`];
			if (!value || (typed && typed !== nav.target)) return { target, rows: [] };
			const found = store.get(target, value);
			return { target, rows: found ? [found] : [] };
		}
		if (nav.kind === 'collection') {
			const rows = [...store.rows(target.logicalName).values()].filter((other) => other[nav.attribute] === id && (!other[`${nav.attribute}@table`] || other[`${nav.attribute}@table`] === table.logicalName));
			return { target, rows };
		}
		return { target, rows: store.linked(nav.relationship, table, id).map((otherId) => store.get(target, otherId)).filter((item) => item !== undefined) };
	};

	/**
	 * Adds `$expand`ed navigation properties to a row's JSON.
	 * @param {Record<string, unknown>} json @param {Table} table @param {Row} row @param {string | undefined} expand @param {(term: string) => boolean} wants
	 */
	const expandInto = (json, table, row, expand, wants) => {
		if (!expand) return json;
		for (const { name, options } of parseExpand(expand)) {
			const nav = navigationOf(table, name);
			if (!nav) throw unknownProperty(typeName(table), name);
			if (options.$expand) throw httpError(400, '0x80060888', 'Nested $expand is not modelled by the sandbox.');
			const { target, rows } = related(table, row, nav);
			const select = options.$select ? selectOf(target, options.$select) : null;
			if (nav.kind === 'single') {
				json[name] = rows[0] ? rowJson(store, target, rows[0], { select, wants }) : null;
				continue;
			}
			const filter = options.$filter ? filterOf(target, options.$filter) : null;
			const order = orderOf(target, options.$orderby);
			let list = (filter ? rows.filter(filter) : rows).sort(order.compare);
			if (options.$top !== undefined) list = list.slice(0, Number(options.$top));
			json[name] = list.map((item) => rowJson(store, target, item, { select, wants }));
		}
		return json;
	};

	/** @param {string} select @param {string | undefined} expand */
	const contextSuffix = (select, expand) => {
		const parts = [...(select ? select.split(',') : []), ...(expand ? parseExpand(expand).map((item) => `${item.name}()`) : [])];
		return parts.length ? `(${parts.join(',')})` : '';
	};

	// Collections: queries.
	router.add('GET', new RegExp(`^/api/data/v9\\.2/(?<set>${SETS})$`), authorised((ctx) => {
		const table = tableOf(ctx.params.set);
		const prefs = preferences(ctx.headers);
		if ('$skip' in ctx.query) throw httpError(400, '0x0', 'The query parameter $skip is not supported');
		for (const option of Object.keys(ctx.query)) {
			if ((option.startsWith('$') || option === 'fetchXml') && !QUERY_OPTIONS.has(option)) throw httpError(400, '0x0', `The query parameter ${option} is not supported`);
		}
		if (ctx.query.fetchXml !== undefined) return kit.fetchXml(ctx, table, prefs);
		if (prefs.trackChanges || ctx.query.$deltatoken !== undefined) return kit.changes(ctx, table, prefs);

		const select = ctx.query.$select ? selectOf(table, ctx.query.$select) : null;
		const filter = ctx.query.$filter ? filterOf(table, ctx.query.$filter) : undefined;
		const order = orderOf(table, ctx.query.$orderby);
		let size = prefs.maxPageSize ?? MAX_PAGE_SIZE;
		let after = null;
		let pageNumber = 1;
		const top = ctx.query.$top;
		if (top !== undefined) {
			const value = Number(top);
			if (!Number.isInteger(value) || value < 0) throw httpError(400, '0x0', `Invalid value '${top}' for $top query option found.`);
			size = Math.min(value, MAX_PAGE_SIZE);
		}
		if (ctx.query.$skiptoken !== undefined) {
			const inner = innerOf(ctx.query.$skiptoken);
			const cookie = inner ? readInnerCookie(table, inner) : null;
			if (!cookie) throw httpError(400, '0x80040203', 'Invalid paging cookie in $skiptoken.');
			after = cookie.last;
			pageNumber = Number(/pagenumber="(\d+)"/.exec(ctx.query.$skiptoken)?.[1] ?? '2');
		}
		const page = pageOf(store, table, { filter, order, after, size });
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': `${base}/$metadata#${table.entitySetName}${contextSuffix(ctx.query.$select ?? '', ctx.query.$expand)}` };
		if (ctx.query.$count === 'true') {
			body['@odata.count'] = Math.min(page.total, MAX_PAGE_SIZE);
			body['@Microsoft.Dynamics.CRM.totalrecordcount'] = page.total > MAX_PAGE_SIZE ? -1 : page.total;
			body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = page.total > MAX_PAGE_SIZE;
		}
		body.value = page.rows.map((row) => expandInto(rowJson(store, table, row, { select, wants: prefs.wants }), table, row, ctx.query.$expand, prefs.wants));
		if (page.more && top === undefined) {
			const cookie = outerCookie(innerCookie(table, page.orderColumns, page.rows[0], page.rows[page.rows.length - 1], pageNumber), pageNumber + 1);
			const options = Object.entries(ctx.query).filter(([key]) => key !== '$skiptoken');
			options.push(['$skiptoken', cookie]);
			body['@odata.nextLink'] = `${base}/${table.entitySetName}?${options.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
		}
		const applied = [prefs.maxPageSize ? `odata.maxpagesize=${prefs.maxPageSize}` : '', prefs.annotations.length ? `odata.include-annotations="${prefs.annotations.join(',')}"` : ''].filter(Boolean).join(',');
		return reply(ctx, 200, body, applied ? { 'preference-applied': applied } : {});
	}), { host });

	router.add('GET', new RegExp(`^/api/data/v9\\.2/(?<set>${SETS})/\\$count$`), authorised((ctx) => {
		const table = tableOf(ctx.params.set);
		const count = Math.min(store.rows(table.logicalName).size, MAX_PAGE_SIZE);
		return ctx.send(200, String(count), { 'content-type': 'text/plain', 'odata-version': '4.0' });
	}), { host });

	/**
	 * Creates a row with its deep inserts and collection binds (all through the store, so a change set can undo it).
	 * @param {Table} table @param {ReturnType<typeof prepareBody>} prepared
	 * @returns {Row}
	 */
	const createPrepared = (table, prepared) => {
		const values = { ...prepared.values };
		for (const { nav, body } of prepared.deep.filter((item) => item.nav.kind === 'single')) {
			const target = /** @type {Table} */ (tableByLogicalName(nav.target));
			const child = createPrepared(target, prepareBody(store, target, body, 'create', base));
			values[nav.attribute] = child[target.primaryId];
			if (columnOf(table, nav.attribute)?.type === 'Customer') values[`${nav.attribute}@table`] = nav.target;
		}
		const row = store.insert(table, values);
		const id = row[table.primaryId];
		for (const { nav, body } of prepared.deep.filter((item) => item.nav.kind !== 'single')) {
			const target = /** @type {Table} */ (tableByLogicalName(nav.target));
			if (!Array.isArray(body)) throw httpError(400, '0x80048d19', `Deep insert through '${nav.name}' needs an array of rows.`);
			for (const item of body) {
				const child = createPrepared(target, prepareBody(store, target, item, 'create', base));
				linkRows(table, row, nav, target, child);
			}
		}
		for (const { nav, rows } of prepared.links) {
			for (const other of rows) {
				if (other.table.logicalName !== nav.target) throw httpError(400, '0x80048d19', `'${nav.name}' takes ${nav.target} rows, not ${other.table.logicalName}.`);
				linkRows(table, row, nav, other.table, other.row);
			}
		}
		return store.get(table, id) ?? row;
	};

	/**
	 * Associates `child` with `row` through a collection-valued or many-to-many navigation property.
	 * @param {Table} table @param {Row} row @param {any} nav @param {Table} target @param {Row} child
	 */
	const linkRows = (table, row, nav, target, child) => {
		const id = row[table.primaryId];
		if (nav.kind === 'collection') {
			const typed = columnOf(target, nav.attribute)?.type === 'Customer' ? { [`${nav.attribute}@table`]: table.logicalName } : {};
			store.change(target, child, { [nav.attribute]: id, ...typed });
		} else {
			const first = nav.relationship.entity1 === table.logicalName;
			store.link(nav.relationship, first ? id : child[target.primaryId], first ? child[target.primaryId] : id);
		}
	};

	/** @param {import('./router').Context} ctx @param {Table} table @param {Row} row @param {number} status */
	const answerWrite = (ctx, table, row, status) => {
		const prefs = preferences(ctx.headers);
		const headers = { 'odata-entityid': entityUrl(table, row) };
		if (!prefs.representation) return empty(ctx, 204, headers);
		const select = ctx.query.$select ? selectOf(table, ctx.query.$select) : null;
		const json = expandInto(rowJson(store, table, row, { select, wants: prefs.wants }), table, row, ctx.query.$expand, prefs.wants);
		return reply(ctx, status, { '@odata.context': `${base}/$metadata#${table.entitySetName}/$entity`, ...json }, { ...headers, 'preference-applied': 'return=representation' });
	};

	router.add('POST', new RegExp(`^/api/data/v9\\.2/(?<set>${SETS})$`), authorised(async (ctx) => {
		const table = tableOf(ctx.params.set);
		const prepared = prepareBody(store, table, await ctx.readJson(), 'create', base);
		const row = createPrepared(table, prepared);
		return answerWrite(ctx, table, row, 201);
	}), { host });

	const single = new RegExp(`^/api/data/v9\\.2/(?<set>${SETS})\\((?<key>[^/]*)\\)$`);
	/** @param {import('./router').Context} ctx */
	const target = (ctx) => {
		const table = tableOf(ctx.params.set);
		const key = parseKeySegment(table, ctx.params.key);
		return { table, key, row: findRow(store, table, key) };
	};
	/** @param {import('./router').Context} ctx @param {Row} row */
	const etagMatches = (ctx, row) => {
		const ifMatch = ctx.headers['if-match'];
		return ifMatch === undefined || ifMatch.trim() === '*' || ifMatch.split(',').some((tag) => tag.trim() === `W/"${row.versionnumber}"`);
	};
	const versionMismatch = () => httpError(412, '0x80060882', "The version of the existing record doesn't match the RowVersion property provided.");

	router.add('GET', single, authorised((ctx) => {
		const { table, key, row } = target(ctx);
		if (!row) throw missing(table, key);
		if (ctx.headers['if-none-match'] === `W/"${row.versionnumber}"`) return empty(ctx, 304);
		const prefs = preferences(ctx.headers);
		const select = ctx.query.$select ? selectOf(table, ctx.query.$select) : null;
		const json = expandInto(rowJson(store, table, row, { select, wants: prefs.wants }), table, row, ctx.query.$expand, prefs.wants);
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#${table.entitySetName}${contextSuffix(ctx.query.$select ?? '', ctx.query.$expand)}/$entity`, ...json });
	}), { host });

	// PATCH: update; `If-Match: *` never creates (404 when missing); without If-Match it is an upsert; `If-None-Match: *` creates only.
	router.add('PATCH', single, authorised(async (ctx) => {
		const { table, key, row } = target(ctx);
		const body = await ctx.readJson();
		if (row && ctx.headers['if-none-match']?.trim() === '*') throw httpError(412, '0x80040237', 'A record with matching key values already exists.');
		if (!row && ctx.headers['if-match'] !== undefined) throw missing(table, key);
		if (row) {
			if (!etagMatches(ctx, row)) throw versionMismatch();
			const prepared = prepareBody(store, table, body, 'update', base);
			store.change(table, row, prepared.values);
			return answerWrite(ctx, table, row, 200);
		}
		const prepared = prepareBody(store, table, body, 'create', base);
		prepared.values = { ...prepared.values, ...(key.id ? { [table.primaryId]: key.id } : key.key) };
		const created = createPrepared(table, prepared);
		return answerWrite(ctx, table, created, 201);
	}), { host });

	router.add('DELETE', single, authorised((ctx) => {
		const { table, key, row } = target(ctx);
		if (!row) throw missing(table, key);
		if (!etagMatches(ctx, row)) throw versionMismatch();
		store.remove(table, row);
		return empty(ctx, 204);
	}), { host });

	// Navigation properties: read, associate ($ref), disassociate.
	const navigation = new RegExp(`^/api/data/v9\\.2/(?<set>${SETS})\\((?<key>[^/]*)\\)/(?<nav>\\w+)(?:\\((?<child>[^/]*)\\))?(?<ref>/\\$ref)?$`);
	/** @param {import('./router').Context} ctx */
	const navigationTarget = (ctx) => {
		const { table, key, row } = target(ctx);
		const nav = navigationOf(table, ctx.params.nav);
		if (!nav) throw unknownProperty(typeName(table), ctx.params.nav);
		if (!row) throw missing(table, key);
		return { table, row, nav, targetTable: /** @type {Table} */ (tableByLogicalName(nav.target)) };
	};

	router.add('GET', navigation, authorised((ctx) => {
		if (ctx.params.ref || ctx.params.child) throw httpError(400, '0x80060888', 'The sandbox reads navigation properties without $ref or a key.');
		const { table, row, nav } = navigationTarget(ctx);
		const prefs = preferences(ctx.headers);
		const { target: targetTable, rows } = related(table, row, nav);
		const select = ctx.query.$select ? selectOf(targetTable, ctx.query.$select) : null;
		if (nav.kind === 'single') {
			if (!rows[0]) return empty(ctx, 204);
			return reply(ctx, 200, { '@odata.context': `${base}/$metadata#${targetTable.entitySetName}/$entity`, ...rowJson(store, targetTable, rows[0], { select, wants: prefs.wants }) });
		}
		const filter = ctx.query.$filter ? filterOf(targetTable, ctx.query.$filter) : null;
		const list = (filter ? rows.filter(filter) : rows).sort(orderOf(targetTable, ctx.query.$orderby).compare);
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#${targetTable.entitySetName}`, value: list.map((item) => rowJson(store, targetTable, item, { select, wants: prefs.wants })) });
	}), { host });

	/** The row `{"@odata.id": ...}` names. @param {import('./router').Context} ctx @param {Table} expected */
	const referencedRow = async (ctx, expected) => {
		const body = await ctx.readJson();
		const reference = body && typeof body === 'object' ? body['@odata.id'] : undefined;
		if (typeof reference !== 'string') throw httpError(400, '0x80048d19', 'The request body must be {"@odata.id": "<entity set>(<id>)"}.');
		const found = resolveReference(store, reference, base);
		if (found.table.logicalName !== expected.logicalName) throw httpError(400, '0x80048d19', `'${ctx.params.nav}' takes ${expected.logicalName} rows, not ${found.table.logicalName}.`);
		return found.row;
	};

	router.add('POST', navigation, authorised(async (ctx) => {
		if (!ctx.params.ref || ctx.params.child) throw httpError(405, '0x80060888', 'Associate with POST /{set}({id})/{navigation}/$ref.');
		const { table, row, nav, targetTable } = navigationTarget(ctx);
		if (nav.kind === 'single') throw httpError(400, '0x80048d19', `'${nav.name}' is single-valued: associate with PUT .../${nav.name}/$ref.`);
		const child = await referencedRow(ctx, targetTable);
		linkRows(table, row, nav, targetTable, child);
		return empty(ctx, 204);
	}), { host });

	router.add('PUT', navigation, authorised(async (ctx) => {
		if (!ctx.params.ref || ctx.params.child) throw httpError(405, '0x80060888', 'Set a single-valued navigation property with PUT /{set}({id})/{navigation}/$ref.');
		const { table, row, nav, targetTable } = navigationTarget(ctx);
		if (nav.kind !== 'single') throw httpError(400, '0x80048d19', `'${nav.name}' is collection-valued: associate with POST .../${nav.name}/$ref.`);
		const other = await referencedRow(ctx, targetTable);
		const typed = columnOf(table, nav.attribute)?.type === 'Customer' ? { [`${nav.attribute}@table`]: nav.target } : {};
		store.change(table, row, { [nav.attribute]: other[targetTable.primaryId], ...typed });
		return empty(ctx, 204);
	}), { host });

	router.add('DELETE', navigation, authorised((ctx) => {
		if (!ctx.params.ref) throw httpError(405, '0x80060888', 'Disassociate with DELETE /{set}({id})/{navigation}/$ref.');
		const { table, row, nav, targetTable } = navigationTarget(ctx);
		if (nav.kind === 'single') {
			if (ctx.params.child || ctx.query.$id) throw httpError(400, '0x80060888', `'${nav.name}' is single-valued: DELETE .../${nav.name}/$ref without an id.`);
			if (row[nav.attribute] !== null) store.change(table, row, { [nav.attribute]: null, [`${nav.attribute}@table`]: null });
			return empty(ctx, 204);
		}
		let child;
		if (ctx.params.child) {
			const key = parseKeySegment(targetTable, ctx.params.child);
			child = findRow(store, targetTable, key);
			if (!child) throw missing(targetTable, key);
		} else if (ctx.query.$id) {
			child = resolveReference(store, ctx.query.$id, base).row;
		} else {
			throw httpError(400, '0x80060888', `Name the row to disassociate: .../${nav.name}(<id>)/$ref or .../${nav.name}/$ref?$id=<url>.`);
		}
		if (nav.kind === 'collection') {
			if (child[nav.attribute] === row[table.primaryId]) store.change(targetTable, child, { [nav.attribute]: null, [`${nav.attribute}@table`]: null });
		} else {
			const first = nav.relationship.entity1 === table.logicalName;
			const id = row[table.primaryId];
			const childId = child[targetTable.primaryId];
			store.unlink(nav.relationship, first ? id : childId, first ? childId : id);
		}
		return empty(ctx, 204);
	}), { host });

	return { createPrepared, expandInto, entityUrl };
}

module.exports = { registerRows, SETS };
