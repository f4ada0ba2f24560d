// @ts-check
'use strict';

/**
 * Change tracking (`GET /{set}?$select=…` with `Prefer: odata.track-changes`): the first request returns the rows
 * (paged by `odata.maxpagesize`) and, on its last page, `@odata.deltaLink` with a `$deltatoken` (`<version>!<time>`);
 * following it returns rows created or updated since (current values) and deleted ones as
 * `{ "@odata.context": "…/$metadata#<set>/$deletedEntity", id, reason: "deleted" }`, in change order, with a new
 * deltaLink. Only `$select` may accompany it. A table without change tracking, an expired token
 * (0x80044352, `sandbox.dataverse.expireDeltaTokens()`) or a malformed token is refused.
 */

const { httpError } = require('./router');
const { MAX_PAGE_SIZE, rowJson, selectOf, lowerEscapes } = require('./dataverse-records');

/** A delta token in a link, encoded as Dataverse does (`!` too, lower-case escapes). @param {string} token */
const encodeToken = (token) => lowerEscapes(encodeURIComponent(token).replace(/!/g, '%21'));

/** @typedef {import('./dataverse-schema').Table} Table */

/** @param {number} version */
function tokenFor(version) {
	const date = new Date();
	const pad = (/** @type {number} */ value) => String(value).padStart(2, '0');
	return `${version}!${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/**
 * @param {import('./dataverse').DataverseKit} kit @param {import('./router').Context} ctx @param {Table} table
 * @param {ReturnType<typeof import('./dataverse-records').preferences>} prefs
 */
function answerChanges(kit, ctx, table, prefs) {
	const { store, base } = kit;
	if (!store.changeTracking(table)) {
		throw httpError(400, '0x80040203', `Change tracking is not enabled for the entity '${table.logicalName}'. Enable 'Track changes' on the table to use odata.track-changes or $deltatoken.`);
	}
	for (const option of Object.keys(ctx.query)) {
		if (!['$select', '$deltatoken', '$skiptoken'].includes(option) && (option.startsWith('$') || option === 'fetchXml')) {
			throw httpError(400, '0x80060888', `The query option '${option}' is not supported with change tracking; only $select is.`);
		}
	}
	const select = ctx.query.$select ? selectOf(table, ctx.query.$select) : null;
	const size = prefs.maxPageSize ?? MAX_PAGE_SIZE;
	const skip = /^<cookie pagenumber="(\d+)" istracking="True" dv="(\d+)" last="([^"]*)" \/>$/.exec(ctx.query.$skiptoken ?? '');
	if (ctx.query.$skiptoken !== undefined && !skip) throw httpError(400, '0x80040203', 'Invalid paging cookie in $skiptoken.');
	const pageNumber = skip ? Number(skip[1]) : 1;
	/** the version the next delta link starts from: fixed when the first page was read */
	const until = skip ? Number(skip[2]) : store.version;
	/** @type {Array<Record<string, unknown>>} */
	let value;
	let last = '';
	let more = false;

	const raw = ctx.query.$deltatoken;
	if (raw === undefined) {
		const after = skip ? skip[3] : '';
		const rows = [...store.rows(table.logicalName).values()]
			.filter((row) => row[table.primaryId] > after)
			.sort((a, b) => (a[table.primaryId] < b[table.primaryId] ? -1 : 1));
		const page = rows.slice(0, size);
		more = rows.length > size;
		last = String(page[page.length - 1]?.[table.primaryId] ?? '');
		value = page.map((row) => rowJson(store, table, row, { select, wants: prefs.wants }));
	} else {
		const token = /^(\d+)!\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/.exec(raw);
		const since = token ? Number(token[1]) : NaN;
		if (!token || since > store.version) throw httpError(400, '0x80040203', `The delta token '${raw}' is not valid.`);
		if (since < (store.trackingExpiredBefore.get(table.logicalName) ?? 0)) {
			throw httpError(400, '0x80044352', 'Version stamp associated with the client has expired. Please perform a full sync.');
		}
		const after = skip ? Number(skip[3]) : since;
		/** @type {Array<{ version: number, json: Record<string, unknown> }>} */
		const changes = [];
		for (const row of store.rows(table.logicalName).values()) {
			if (row.versionnumber > after && row.versionnumber <= until) changes.push({ version: row.versionnumber, json: rowJson(store, table, row, { select, wants: prefs.wants }) });
		}
		for (const deletion of store.deletions) {
			if (deletion.table === table.logicalName && deletion.version > after && deletion.version <= until) {
				changes.push({ version: deletion.version, json: { '@odata.context': `${base}/$metadata#${table.entitySetName}/$deletedEntity`, id: deletion.id, reason: 'deleted' } });
			}
		}
		changes.sort((a, b) => a.version - b.version);
		const page = changes.slice(0, size);
		more = changes.length > size;
		last = String(page[page.length - 1]?.version ?? after);
		value = page.map((change) => change.json);
	}

	/** @type {Record<string, unknown>} */
	const body = { '@odata.context': `${base}/$metadata#${table.entitySetName}${ctx.query.$select ? `(${ctx.query.$select})` : ''}/$delta`, value };
	const selectPart = ctx.query.$select ? `$select=${encodeURIComponent(ctx.query.$select)}&` : '';
	if (more) {
		const cookie = `<cookie pagenumber="${pageNumber + 1}" istracking="True" dv="${until}" last="${last}" />`;
		const delta = raw === undefined ? '' : `$deltatoken=${encodeToken(raw)}&`;
		body['@odata.nextLink'] = `${base}/${table.entitySetName}?${selectPart}${delta}$skiptoken=${encodeURIComponent(cookie)}`;
	} else {
		body['@odata.deltaLink'] = `${base}/${table.entitySetName}?${selectPart}$deltatoken=${encodeToken(tokenFor(until))}`;
	}
	const applied = ['odata.track-changes', prefs.maxPageSize ? `odata.maxpagesize=${prefs.maxPageSize}` : ''].filter(Boolean).join(',');
	return kit.reply(ctx, 200, body, { 'preference-applied': applied });
}

module.exports = { answerChanges };
