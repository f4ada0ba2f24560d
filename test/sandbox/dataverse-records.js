// @ts-check
'use strict';

/**
 * Rows as Dataverse reads and writes them: request bodies checked against the schema (unknown columns, wrong JSON
 * types, lengths, ranges, choice values, read-only columns, `nav@odata.bind` lookups and deep inserts), rows as JSON
 * (`@odata.etag`, `_x_value` lookups, formatted values and lookup annotations when asked for), keys in URLs
 * (`(guid)` or alternate keys `(accountnumber='A-1')`), and sorted, filtered, paged queries whose paging cookies
 * have Dataverse's shape (`<cookie pagenumber="2" pagingcookie="%253ccookie…" istracking="False" />`).
 */

const crypto = require('node:crypto');
const { httpError } = require('./router');
const { tableByLogicalName, tableBySet, columnOf, edmType, isLookup, navigationOf } = require('./dataverse-schema');
const { parseFilter, parseOrderBy, parseSelect, unknownProperty, GUID } = require('./dataverse-query');

/** @typedef {import('./dataverse-schema').Table} Table */
/** @typedef {import('./dataverse-schema').Column} Column */
/** @typedef {import('./dataverse-store').Row} Row */
/** @typedef {import('./dataverse-store').DataverseStore} DataverseStore */

const MAX_PAGE_SIZE = 5000;
const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const PAYLOAD = '0x80048d19';

/** @param {Table} table */
const typeName = (table) => `Microsoft.Dynamics.CRM.${table.logicalName}`;
/** @param {Table} table @param {string} id */
const notFound = (table, id) => httpError(404, '0x80040217', `Entity '${table.logicalName}' With Id = ${id} Does Not Exist`);
/** @param {Table} table @param {string} detail */
const payloadError = (table, detail) => httpError(400, PAYLOAD, `Error identified in Payload provided by the user for Entity :'${table.entitySetName}', For more information on this error please follow this help link https://go.microsoft.com/fwlink/?linkid=2195293  ----> InnerException : Microsoft.OData.ODataException: ${detail}`);
/** @param {string} message */
const validation = (message) => httpError(400, '0x80044331', `A validation error occurred. ${message}`);

/**
 * Resolves a property name of a table for queries: columns, `_x_value` for lookups.
 * @param {Table} table
 * @returns {(name: string) => { type: string, get: (row: Row) => unknown, column: string }}
 */
function resolverFor(table) {
	return (name) => {
		const lookup = /^_(\w+)_value$/.exec(name)?.[1];
		const column = columnOf(table, lookup ?? name);
		if (!column || (lookup !== undefined) !== isLookup(column)) throw unknownProperty(typeName(table), name);
		return { type: edmType(column), get: (row) => row[column.name], column: column.name };
	};
}

/** `(guid)` or `(key='value',other=1)` → { id } or { key }. @param {Table} table @param {string} raw */
function parseKeySegment(table, raw) {
	if (GUID.test(raw)) return { id: raw.toLowerCase() };
	const plainKey = /^(\w+)=([0-9a-fA-F-]{36})$/.exec(raw);
	if (plainKey && plainKey[1] === table.primaryId && GUID.test(plainKey[2])) return { id: plainKey[2].toLowerCase() };
	/** @type {Record<string, unknown>} */
	const values = {};
	const part = /\s*(\w+)\s*=\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))\s*(?:,|$)/y;
	let at = 0;
	while (at < raw.length) {
		part.lastIndex = at;
		const match = part.exec(raw);
		if (!match) throw httpError(400, '0x80060888', `Bad Request - Error in query syntax: '${raw}' is not a valid key.`);
		values[match[1]] = match[2] !== undefined ? match[2].replace(/''/g, "'") : Number(match[3]);
		at = part.lastIndex;
	}
	const names = Object.keys(values).sort();
	const key = table.keys.find((item) => [...item.columns].sort().join(',') === names.join(','));
	if (!key || names.length === 0) {
		throw httpError(400, '0x80060888', `The key '${raw}' is not a valid key of entity '${table.logicalName}': use its id or an alternate key (${table.keys.map((item) => item.columns.join(', ')).join('; ') || 'none defined'}).`);
	}
	return { key: values };
}

/** The row a key names, or undefined. @param {DataverseStore} store @param {Table} table @param {{ id?: string, key?: Record<string, unknown> }} key */
function findRow(store, table, key) {
	return key.id ? store.get(table, key.id) : store.findByKey(table, /** @type {Record<string, unknown>} */ (key.key));
}

/** @param {Table} table @param {{ id?: string, key?: Record<string, unknown> }} key */
function missing(table, key) {
	return key.id ? notFound(table, key.id) : httpError(404, '0x80040217', `A record with the specified key values does not exist in ${table.logicalName} entity`);
}

/**
 * A reference such as `/accounts(<id>)`, `accounts(accountnumber='A-1')` or an absolute URL on this environment.
 * @param {DataverseStore} store @param {string} reference @param {string} [base]
 * @returns {{ table: Table, row: Row }}
 */
function resolveReference(store, reference, base = '') {
	const path = reference.startsWith(base) && base ? reference.slice(base.length) : reference.replace(/^https?:\/\/[^/]+\/api\/data\/v9\.\d/, '');
	const match = /^\/?([\w]+)\((.*)\)$/.exec(path);
	const table = match ? tableBySet(match[1]) : undefined;
	if (!match || !table) throw httpError(400, PAYLOAD, `The reference '${reference}' is not a valid entity reference; use /<entity set>(<id>).`);
	let decoded = match[2];
	try {
		decoded = decodeURIComponent(match[2]);
	} catch {
		// keep as given
	}
	const key = parseKeySegment(table, decoded);
	const row = findRow(store, table, key);
	if (!row) throw missing(table, key);
	return { table, row };
}

/**
 * Checks one column value and converts it to how the row stores it.
 * @param {Table} table @param {Column} column @param {unknown} value
 */
function convert(table, column, value) {
	if (value === null) return null;
	const literal = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
	const wrongType = () => payloadError(table, `Cannot convert the literal ${literal.startsWith("'") ? literal : `'${literal}'`} to the expected type '${edmType(column)}' of property '${column.name}'.`);
	switch (column.type) {
		case 'String': case 'Memo': {
			if (typeof value !== 'string') throw wrongType();
			if (column.maxLength !== undefined && value.length > column.maxLength) {
				throw validation(`The length of the '${column.name}' attribute of the '${table.logicalName}' entity exceeded the maximum allowed length of '${column.maxLength}'.`);
			}
			return value;
		}
		case 'Integer': case 'BigInt': case 'Decimal': case 'Money': case 'Double': {
			if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType();
			if ((column.type === 'Integer' || column.type === 'BigInt') && !Number.isInteger(value)) throw wrongType();
			if ((column.min !== undefined && value < column.min) || (column.max !== undefined && value > column.max)) {
				throw validation(`The value ${value} of '${column.name}' on record of type '${table.logicalName}' is outside the valid range. Accepted range: ${column.min} to ${column.max}.`);
			}
			return value;
		}
		case 'Boolean':
			if (typeof value !== 'boolean') throw wrongType();
			return value;
		case 'DateTime': {
			const pattern = column.dateOnly ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
			if (typeof value !== 'string' || !pattern.test(value) || Number.isNaN(Date.parse(column.dateOnly ? `${value}T00:00:00Z` : value))) throw wrongType();
			return column.dateOnly ? value : new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
		}
		case 'Picklist': case 'State': case 'Status': {
			if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType();
			if (!column.options?.some(([option]) => option === value)) {
				throw validation(`The value ${value} of '${column.name}' on record of type '${table.logicalName}' is outside the valid range. Accepted Values: ${column.options?.map(([option]) => option).join(',')}`);
			}
			return value;
		}
		case 'Uniqueidentifier':
			if (typeof value !== 'string' || !GUID.test(value)) throw wrongType();
			return value.toLowerCase();
		case 'Image':
			if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw wrongType();
			return value;
		default:
			throw wrongType();
	}
}

/**
 * Checks a create or update body against the table and splits it into column values, lookups to set and
 * related rows to create or link (deep insert, collection binds). Nothing is written here.
 * @param {DataverseStore} store @param {Table} table @param {unknown} body @param {'create' | 'update'} mode @param {string} base
 */
function prepareBody(store, table, body, mode, base) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw payloadError(table, 'The request body must be a JSON object.');
	/** @type {Row} */
	const values = {};
	/** @type {Array<{ nav: any, rows: Array<{ table: Table, row: Row }> }>} */
	const links = [];
	/** @type {Array<{ nav: any, body: unknown }>} */
	const deep = [];
	for (const [key, value] of Object.entries(/** @type {Record<string, unknown>} */ (body))) {
		if (key.startsWith('@') || (key.includes('@') && !key.endsWith('@odata.bind'))) continue;
		if (key.endsWith('@odata.bind')) {
			const name = key.slice(0, -'@odata.bind'.length);
			const nav = navigationOf(table, name);
			if (!nav) throw payloadError(table, `An undeclared property '${name}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`);
			if (nav.kind === 'single') {
				if (value === null) {
					values[nav.attribute] = null;
					continue;
				}
				if (typeof value !== 'string') throw payloadError(table, `The value of '${key}' must be a string such as "/${tableByLogicalName(nav.target)?.entitySetName}(<id>)".`);
				const target = resolveReference(store, value, base);
				if (target.table.logicalName !== nav.target) throw payloadError(table, `The reference '${value}' is a ${target.table.logicalName}; '${name}' takes a ${nav.target}.`);
				values[nav.attribute] = target.row[target.table.primaryId];
				if (columnOf(table, nav.attribute)?.type === 'Customer') values[`${nav.attribute}@table`] = nav.target;
			} else {
				if (mode !== 'create' || !Array.isArray(value)) throw payloadError(table, `A collection-valued navigation property '${name}' can be bound only on create, with an array of references.`);
				links.push({ nav, rows: value.map((reference) => resolveReference(store, String(reference), base)) });
			}
			continue;
		}
		const nav = navigationOf(table, key);
		if (nav && value && typeof value === 'object') {
			if (mode !== 'create') throw payloadError(table, `Deep insert through '${key}' is possible on create only.`);
			deep.push({ nav, body: value });
			continue;
		}
		const lookup = /^_(\w+)_value$/.exec(key)?.[1];
		if (lookup && columnOf(table, lookup) && isLookup(/** @type {Column} */ (columnOf(table, lookup)))) {
			throw httpError(400, PAYLOAD, 'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.');
		}
		const column = columnOf(table, key);
		if (!column || isLookup(column)) {
			throw httpError(400, '0x80060888', `The property '${key}' does not exist on type '${typeName(table)}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
		}
		if (column.type === 'File') throw payloadError(table, `The file column '${key}' cannot be set in a create or update; upload with PATCH /${table.entitySetName}(<id>)/${key}.`);
		if (mode === 'create' && column.create === false && !(column.name === table.primaryId)) {
			throw httpError(400, '0x80040203', `Attribute '${key}' of entity '${table.logicalName}' is not valid for create (IsValidForCreate is false).`);
		}
		if (mode === 'update' && column.update === false) {
			throw httpError(400, '0x80040203', `Attribute '${key}' of entity '${table.logicalName}' is not valid for update (IsValidForUpdate is false).`);
		}
		values[key] = convert(table, column, value);
		if (column.type === 'Image') {
			const imageId = values[key] === null ? null : crypto.randomUUID();
			const timestamp = values[key] === null ? null : Date.now();
			values[`${key}id`] = imageId;
			values[`${key}_timestamp`] = timestamp;
			values[`${key}_url`] = imageId ? `/Image/download.aspx?Entity=${table.logicalName}&Attribute=${key}&Id=${imageId}&Timestamp=${timestamp}` : null;
		}
	}
	if ('statecode' in values && !('statuscode' in values)) {
		values.statuscode = columnOf(table, 'statecode')?.options?.find(([value]) => value === values.statecode)?.[2] ?? null;
	}
	return { values, links, deep };
}

/**
 * Preferences of a request (`Prefer` header): page size, representation, annotations, change tracking.
 * @param {Record<string, string>} headers
 */
function preferences(headers) {
	const prefer = headers.prefer ?? '';
	const size = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer)?.[1];
	const annotations = /odata\.include-annotations\s*=\s*"?([^";]*)"?/i.exec(prefer)?.[1];
	const patterns = annotations ? annotations.split(',').map((item) => item.trim()).filter(Boolean) : [];
	return {
		maxPageSize: size ? Math.max(1, Math.min(Number(size), MAX_PAGE_SIZE)) : null,
		representation: /return\s*=\s*representation/i.test(prefer),
		trackChanges: /odata\.track-changes/i.test(prefer),
		continueOnError: /odata\.continue-on-error/i.test(prefer),
		annotations: patterns,
		/** @param {string} term */
		wants: (term) => patterns.some((pattern) => pattern === '*' || pattern === term || (pattern.endsWith('.*') && term.startsWith(pattern.slice(0, -1)))),
	};
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

/** How Dataverse shows a value to a user (en-US, UTC). @param {Column} column @param {unknown} value */
function formatted(column, value) {
	if (value === null || value === undefined) return null;
	switch (column.type) {
		case 'Picklist': case 'State': case 'Status': return column.options?.find(([option]) => option === value)?.[1] ?? String(value);
		case 'Boolean': return column.options?.[value ? 1 : 0]?.[1] ?? String(value);
		case 'Money': return money.format(Number(value));
		case 'Integer': case 'BigInt': case 'Decimal': case 'Double': return number.format(Number(value));
		case 'DateTime': {
			const date = new Date(column.dateOnly ? `${value}T00:00:00Z` : String(value));
			const day = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
			if (column.dateOnly) return day;
			const hours = date.getUTCHours();
			return `${day} ${((hours + 11) % 12) + 1}:${String(date.getUTCMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
		}
		default: return null;
	}
}

/**
 * A row as JSON: `@odata.etag`, the primary id, then the selected (or all) columns; lookups as `_x_value`.
 * @param {DataverseStore} store @param {Table} table @param {Row} row
 * @param {{ select?: string[] | null, wants?: (term: string) => boolean }} [options]
 */
function rowJson(store, table, row, options = {}) {
	const wants = options.wants ?? (() => false);
	/** @type {Record<string, unknown>} */
	const json = { '@odata.etag': `W/"${row.versionnumber}"` };
	for (const column of table.columns) {
		const name = isLookup(column) ? `_${column.name}_value` : column.name;
		if (options.select && !options.select.includes(name) && column.name !== table.primaryId) continue;
		const value = row[column.name] ?? null;
		if (isLookup(column)) {
			if (value !== null) {
				const targetName = row[`${column.name}@table`] ?? column.targets?.[0];
				const target = /** @type {Table} */ (tableByLogicalName(targetName));
				const targetRow = store.get(target, value);
				if (wants(FORMATTED)) json[`${name}@${FORMATTED}`] = targetRow?.[target.primaryName] ?? null;
				if (wants('Microsoft.Dynamics.CRM.associatednavigationproperty')) {
					json[`${name}@Microsoft.Dynamics.CRM.associatednavigationproperty`] = column.type === 'Customer' ? `${column.name}_${targetName}` : column.name;
				}
				if (wants('Microsoft.Dynamics.CRM.lookuplogicalname')) json[`${name}@Microsoft.Dynamics.CRM.lookuplogicalname`] = targetName;
			}
			json[name] = value;
			continue;
		}
		if (wants(FORMATTED)) {
			const text = formatted(column, value);
			if (text !== null) json[`${name}@${FORMATTED}`] = text;
		}
		json[name] = value;
	}
	return json;
}

/** @param {string} text */
const xmlEscape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** @param {string} text */
const xmlUnescape = (text) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * The inner paging cookie after a page: the order values and id of its last (and first) row.
 * @param {Table} table @param {string[]} orderColumns @param {Row} first @param {Row} last @param {number} page @param {Record<string, string>} [extra]
 */
function innerCookie(table, orderColumns, first, last, page, extra = {}) {
	const attributes = Object.entries(extra).map(([key, value]) => ` ${key}="${xmlEscape(value)}"`).join('');
	/** @param {string} name @param {unknown} value */
	const attr = (name, value) => (value === null || value === undefined ? '' : ` ${name}="${xmlEscape(String(value))}"`);
	const parts = orderColumns.filter((name) => name !== table.primaryId).map((name) => `<${name}${attr('last', last[name])}${attr('first', first[name])} />`);
	parts.push(`<${table.primaryId} last="{${String(last[table.primaryId]).toUpperCase()}}" first="{${String(first[table.primaryId]).toUpperCase()}}" />`);
	return `<cookie page="${page}"${attributes}>${parts.join('')}</cookie>`;
}

/** Dataverse's outer cookie (the `$skiptoken` and the FetchXML annotation). @param {string} inner @param {number} nextPage */
const outerCookie = (inner, nextPage) => `<cookie pagenumber="${nextPage}" pagingcookie="${lowerEscapes(encodeURIComponent(encodeURIComponent(inner)))}" istracking="False" />`;
/** Dataverse writes percent escapes in lower case. @param {string} text */
const lowerEscapes = (text) => text.replace(/%(?:25)?[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/**
 * Reads an inner cookie back: the last row's values (typed by the table's columns), its page and extras.
 * @param {Table} table @param {string} inner
 */
function readInnerCookie(table, inner) {
	const head = /^\s*<cookie\b([^>]*)>/.exec(inner);
	if (!head) return null;
	/** @param {string} text */
	const attributes = (text) => Object.fromEntries([...text.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key, xmlUnescape(value)]));
	/** @type {Row} */
	const last = {};
	for (const [, name, attrs] of inner.matchAll(/<(\w+)((?:\s+[\w-]+="[^"]*")*)\s*\/>/g)) {
		const column = columnOf(table, name);
		if (!column) continue;
		const raw = attributes(attrs).last;
		last[name] = raw === undefined ? null : typed(column, raw.replace(/^\{(.*)\}$/, '$1'));
	}
	if (!last[table.primaryId]) return null;
	return { last, head: attributes(head[1]) };
}

/** @param {Column} column @param {string} raw */
function typed(column, raw) {
	if (['Integer', 'BigInt', 'Decimal', 'Money', 'Double', 'Picklist', 'State', 'Status'].includes(column.type)) return Number(raw);
	if (column.type === 'Boolean') return raw === 'true' || raw === '1';
	if (GUID.test(raw)) return raw.toLowerCase();
	return raw;
}

/** The inner cookie inside an outer one (a `$skiptoken`), or null. @param {string} outer */
function innerOf(outer) {
	const encoded = /pagingcookie="([^"]*)"/.exec(outer)?.[1];
	if (!encoded) return null;
	try {
		return decodeURIComponent(decodeURIComponent(encoded));
	} catch {
		return null;
	}
}

/**
 * Filters, orders and pages a table's rows.
 * @param {DataverseStore} store @param {Table} table
 * @param {{ filter?: (row: Row) => boolean, order?: ReturnType<typeof parseOrderBy>, after?: Row | null, skip?: number, size: number }} query
 */
function pageOf(store, table, query) {
	const order = query.order ?? parseOrderBy('', resolverFor(table), (row) => row[table.primaryId]);
	let rows = [...store.rows(table.logicalName).values()];
	if (query.filter) rows = rows.filter(query.filter);
	rows.sort(order.compare);
	const total = rows.length;
	let start = query.skip ?? 0;
	if (query.after) {
		const after = query.after;
		start = rows.findIndex((row) => order.compare(row, after) > 0);
		if (start < 0) start = rows.length;
	}
	const page = rows.slice(start, start + query.size);
	return { rows: page, more: start + query.size < rows.length, total, orderColumns: order.keys.map((key) => /** @type {any} */ (key).column ?? resolverFor(table)(key.name).column) };
}

/** `$select` of a table (lookups as `_x_value`). @param {Table} table @param {string} text */
const selectOf = (table, text) => parseSelect(text, resolverFor(table));
/** `$filter` of a table. @param {Table} table @param {string} text */
const filterOf = (table, text) => parseFilter(text, resolverFor(table));
/** `$orderby` of a table (ties by primary key, as Dataverse pages). @param {Table} table @param {string | undefined} text */
const orderOf = (table, text) => parseOrderBy(text, resolverFor(table), (row) => row[table.primaryId]);

module.exports = {
	MAX_PAGE_SIZE, FORMATTED, resolverFor, parseKeySegment, findRow, missing, notFound, resolveReference, prepareBody, preferences, rowJson,
	formatted, innerCookie, outerCookie, readInnerCookie, innerOf, pageOf, selectOf, filterOf, orderOf, xmlEscape, xmlUnescape, payloadError, typeName, lowerEscapes,
};
