// @ts-check
'use strict';

/**
 * The `accounts` table of the sandbox's Dataverse environment: records, their row versions (ETags), and
 * the query options Dataverse supports on a collection ($select, $filter of simple forms, $top, paging by
 * `Prefer: odata.maxpagesize` with a paging-cookie `$skiptoken`). Rows come in primary-key order, as
 * Dataverse returns them without `$orderby`, so a paging cookie is "the last accountid seen".
 */

const crypto = require('node:crypto');
const { httpError } = require('./router');

/** Columns the sandbox knows (real Dataverse has many more; unknown names are refused as Dataverse does). */
const COLUMNS = /** @type {const} */ ({
	accountid: 'Edm.Guid',
	name: 'Edm.String',
	accountnumber: 'Edm.String',
	telephone1: 'Edm.String',
	emailaddress1: 'Edm.String',
	address1_city: 'Edm.String',
	revenue: 'Edm.Decimal',
	numberofemployees: 'Edm.Int32',
	statecode: 'Edm.Int32',
	statuscode: 'Edm.Int32',
	createdon: 'Edm.DateTimeOffset',
	modifiedon: 'Edm.DateTimeOffset',
	versionnumber: 'Edm.Int64',
});
const WRITABLE = new Set(['accountid', 'name', 'accountnumber', 'telephone1', 'emailaddress1', 'address1_city', 'revenue', 'numberofemployees', 'statecode', 'statuscode']);
const MAX_PAGE_SIZE = 5000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sample accounts a new Dataverse environment offers ("(sample)" data). */
const SAMPLE_ACCOUNTS = [
	['Fourth Coffee (sample)', 'Renton'],
	['Litware, Inc. (sample)', 'Dallas'],
	['Adventure Works (sample)', 'Santa Cruz'],
	['Fabrikam, Inc. (sample)', 'Lynnwood'],
	['Blue Yonder Airlines (sample)', 'Los Angeles'],
	['City Power & Light (sample)', 'Redmond'],
	['Contoso Pharmaceuticals (sample)', 'Redmond'],
	["Alpine Ski House's Lodge (sample)", 'Missoula'],
	['A. Datum Corporation (sample)', 'Redmond'],
	['Coho Winery (sample)', 'Phoenix'],
];

/** @typedef {Record<string, string | number | null>} AccountRow */

class AccountTable {
	constructor() {
		/** @type {Map<string, AccountRow>} */
		this.rows = new Map();
		this.nextVersion = 1000;
		SAMPLE_ACCOUNTS.forEach(([name, city], index) =>
			this.create({ name, address1_city: city, accountnumber: `SMP-${String(index + 1).padStart(4, '0')}`, telephone1: `555-01${String(index).padStart(2, '0')}` }),
		);
	}

	/** @param {string} id */
	get(id) {
		return this.rows.get(id.toLowerCase());
	}

	/** Validates a request body's columns (Dataverse names the first unknown one). @param {Record<string, unknown>} body */
	static checkBody(body) {
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw httpError(400, '0x0', 'The request body must be a JSON object.');
		for (const key of Object.keys(body)) {
			if (key.startsWith('@odata.')) continue;
			if (!WRITABLE.has(key)) throw httpError(400, '0x0', `Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.account'.`);
		}
	}

	/** @param {Record<string, unknown>} values @returns {AccountRow} */
	create(values) {
		const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		const id = typeof values.accountid === 'string' ? values.accountid.toLowerCase() : crypto.randomUUID();
		if (this.rows.has(id)) throw httpError(412, '0x80040237', 'A record with matching key values already exists.');
		/** @type {AccountRow} */
		const row = {
			accountid: id, name: null, accountnumber: null, telephone1: null, emailaddress1: null, address1_city: null,
			revenue: null, numberofemployees: null, statecode: 0, statuscode: 1, createdon: now, modifiedon: now, versionnumber: 0,
		};
		this.apply(row, values);
		this.rows.set(id, row);
		return row;
	}

	/** @param {AccountRow} row @param {Record<string, unknown>} values */
	update(row, values) {
		this.apply(row, values);
		row.modifiedon = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		return row;
	}

	/** @param {AccountRow} row @param {Record<string, unknown>} values */
	apply(row, values) {
		for (const [key, value] of Object.entries(values)) {
			if (key === 'accountid' || !WRITABLE.has(key)) continue;
			row[key] = /** @type {string | number | null} */ (value);
		}
		row.versionnumber = ++this.nextVersion;
	}

	/** @param {string} id */
	delete(id) {
		return this.rows.delete(id.toLowerCase());
	}

	/** Adds `count` numbered accounts (paging tests). @param {number} count @param {string} [prefix] */
	addMany(count, prefix = 'Bulk account') {
		const width = Math.max(5, String(count).length);
		for (let n = 1; n <= count; n++) this.create({ name: `${prefix} ${String(n).padStart(width, '0')}` });
	}

	/**
	 * One page of a collection query. `maxPageSize` comes from the Prefer header; `$top` turns paging off.
	 * @param {Record<string, string>} query decoded query options
	 * @param {number | null} maxPageSize
	 * @returns {{ rows: AccountRow[], next: string | null, select: string[] | null }}
	 */
	query(query, maxPageSize) {
		for (const option of Object.keys(query)) {
			if (option === '$skip') throw httpError(400, '0x0', 'The query parameter $skip is not supported');
			if (option.startsWith('$') && !['$select', '$filter', '$top', '$skiptoken', '$count'].includes(option)) {
				throw httpError(400, '0x0', `The query parameter ${option} is not supported by the sandbox`);
			}
		}
		const select = parseSelect(query.$select);
		const filter = parseFilter(query.$filter);
		let rows = [...this.rows.values()].filter(filter).sort((a, b) => String(a.accountid).localeCompare(String(b.accountid)));
		if (query.$top !== undefined) {
			const top = Number(query.$top);
			if (!Number.isInteger(top) || top < 0) throw httpError(400, '0x0', `Invalid value '${query.$top}' for $top query option found.`);
			return { rows: rows.slice(0, top), next: null, select };
		}
		if (query.$skiptoken !== undefined) {
			const last = /pagingcookie="[^"]*?last%3d%22%7b([0-9a-f-]{36})%7d/i.exec(query.$skiptoken)?.[1];
			if (!last) throw httpError(400, '0x80040203', 'Invalid paging cookie in $skiptoken.');
			rows = rows.filter((row) => String(row.accountid) > last.toLowerCase());
		}
		const pageSize = Math.min(maxPageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
		if (rows.length <= pageSize) return { rows, next: null, select };
		const page = rows.slice(0, pageSize);
		return { rows: page, next: pagingCookie(page, query.$skiptoken), select };
	}
}

/** Dataverse's `$skiptoken`: a `<cookie>` element whose `pagingcookie` names the first and last keys of the page. @param {AccountRow[]} page @param {string | undefined} previous */
function pagingCookie(page, previous) {
	const number = Number(/pagenumber="(\d+)"/.exec(previous ?? '')?.[1] ?? '1') + 1;
	const inner = `<cookie page="${number - 1}"><accountid last="{${page[page.length - 1].accountid}}" first="{${page[0].accountid}}" /></cookie>`;
	return `<cookie pagenumber="${number}" pagingcookie="${encodeURIComponent(inner).toLowerCase()}" istracking="False" />`;
}

/** @param {string | undefined} raw @returns {string[] | null} */
function parseSelect(raw) {
	if (raw === undefined) return null;
	const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
	for (const name of names) {
		if (!Object.prototype.hasOwnProperty.call(COLUMNS, name)) {
			throw httpError(400, '0x0', `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.account'.`);
		}
	}
	return names;
}

/**
 * `$filter` of the forms `col eq 'text'`, `col eq 42`, `startswith(col,'text')`, joined by `and`;
 * `''` inside quotes is one apostrophe (OData quoting).
 * @param {string | undefined} raw @returns {(row: AccountRow) => boolean}
 */
function parseFilter(raw) {
	if (!raw) return () => true;
	const literal = String.raw`'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|(null)`;
	const clause = new RegExp(String.raw`^\s*(?:(\w+)\s+eq\s+(?:${literal})|startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\))\s*`, 'i');
	/** @type {Array<(row: AccountRow) => boolean>} */
	const tests = [];
	let rest = raw;
	for (;;) {
		const found = clause.exec(rest);
		if (!found) throw httpError(400, '0x0', `The sandbox does not support this $filter: ${raw}`);
		const column = found[1] ?? found[6];
		if (!Object.prototype.hasOwnProperty.call(COLUMNS, column)) {
			throw httpError(400, '0x0', `Could not find a property named '${column}' on type 'Microsoft.Dynamics.CRM.account'.`);
		}
		if (found[6] !== undefined) {
			const prefix = found[7].replace(/''/g, "'").toLowerCase();
			tests.push((row) => String(row[column] ?? '').toLowerCase().startsWith(prefix));
		} else if (found[2] !== undefined) {
			const text = found[2].replace(/''/g, "'").toLowerCase();
			tests.push((row) => typeof row[column] === 'string' && String(row[column]).toLowerCase() === text);
		} else if (found[3] !== undefined) {
			const number = Number(found[3]);
			tests.push((row) => row[column] === number);
		} else {
			tests.push((row) => row[column] === null);
		}
		rest = rest.slice(found[0].length);
		if (!rest) break;
		const and = /^and\s+/i.exec(rest);
		if (!and) throw httpError(400, '0x0', `The sandbox does not support this $filter: ${raw}`);
		rest = rest.slice(and[0].length);
	}
	return (row) => tests.every((test) => test(row));
}

/** Parses `accounts(<guid>)` keys (braces not allowed, as in Dataverse). @param {string} raw */
function parseKey(raw) {
	if (!GUID.test(raw)) throw httpError(400, '0x80060888', `Bad Request - Error in query syntax: '${raw}' is not a valid key.`);
	return raw.toLowerCase();
}

/** The row as JSON: `@odata.etag` and the key always, the other columns as selected. @param {AccountRow} row @param {string[] | null} select */
function rowJson(row, select) {
	/** @type {Record<string, unknown>} */
	const json = { '@odata.etag': etagOf(row) };
	for (const column of Object.keys(COLUMNS)) {
		if (!select || select.includes(column) || column === 'accountid') json[column] = row[column];
	}
	return json;
}

/** @param {AccountRow} row */
function etagOf(row) {
	return `W/"${row.versionnumber}"`;
}

module.exports = { AccountTable, parseKey, rowJson, etagOf, MAX_PAGE_SIZE, COLUMNS };
