// @ts-check
'use strict';

/**
 * FetchXML on a collection (`GET /{set}?fetchXml=<url-encoded fetch>`): `<fetch count page paging-cookie top
 * returntotalrecordcount>`, one `<entity>` (the set's table) with `<attribute>` / `<all-attributes>`, `<order>`,
 * nested `<filter type="and|or">` with `<condition>` (eq ne neq gt ge lt le like not-like begins-with
 * not-begin-with ends-with not-end-with null not-null in not-in). The answer carries
 * `@Microsoft.Dynamics.CRM.morerecords` and, when there are more, `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie`
 * (`<cookie pagenumber="2" pagingcookie="%253ccookie…" />`, its inner cookie decoded twice goes back in
 * `paging-cookie`). Malformed XML and unknown attributes get Dataverse's errors; link-entity and aggregates are
 * not modelled (400).
 */

const { httpError } = require('./router');
const { columnOf, isLookup } = require('./dataverse-schema');
const { compareValues } = require('./dataverse-query');
const { MAX_PAGE_SIZE, rowJson, innerCookie, outerCookie, readInnerCookie, pageOf } = require('./dataverse-records');

/** @typedef {{ name: string, attrs: Record<string, string>, children: XmlElement[], text: string }} XmlElement */
/** @typedef {import('./dataverse-schema').Table} Table */

const INVALID = '0x80040203';
/** @param {string} message */
const invalid = (message) => httpError(400, INVALID, message);

/** @param {string} text */
const decode = (text) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** A small XML reader (elements, attributes, text; comments and the declaration skipped). @param {string} source */
function parseXml(source) {
	const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/\s*([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
	/** @type {XmlElement[]} */
	const stack = [];
	/** @type {XmlElement | null} */
	let root = null;
	for (const match of source.matchAll(token)) {
		const [, close, open, attrText, selfClose, text, stray] = match;
		if (stray) throw invalid(`Invalid XML: unexpected '<' at position ${match.index}.`);
		if (text !== undefined) {
			if (stack.length) stack[stack.length - 1].text += decode(text);
			else if (text.trim()) throw invalid('Invalid XML: text outside the fetch element.');
			continue;
		}
		if (open) {
			/** @type {Record<string, string>} */
			const attrs = {};
			for (const [, name, double, single] of (attrText ?? '').matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[name] = decode(double ?? single);
			const element = { name: open, attrs, children: [], text: '' };
			if (stack.length) stack[stack.length - 1].children.push(element);
			else if (root) throw invalid('Invalid XML: more than one root element.');
			else root = element;
			if (!selfClose) stack.push(element);
			continue;
		}
		if (close) {
			const top = stack.pop();
			if (!top || top.name !== close) throw invalid(`Invalid XML: the '${top?.name ?? ''}' start tag does not match the end tag of '${close}'.`);
		}
	}
	if (stack.length || !root) throw invalid('Invalid XML: unexpected end of the document.');
	return root;
}

/**
 * Turns a `<filter>` into a predicate.
 * @param {Table} table @param {XmlElement} filter
 * @returns {(row: Record<string, any>) => boolean}
 */
function filterOf(table, filter) {
	const type = (filter.attrs.type ?? 'and').toLowerCase();
	if (type !== 'and' && type !== 'or') throw invalid(`The filter type '${filter.attrs.type}' is not valid; use 'and' or 'or'.`);
	const tests = filter.children.map((child) => {
		if (child.name === 'filter') return filterOf(table, child);
		if (child.name === 'condition') return conditionOf(table, child);
		throw invalid(`The element '${child.name}' is not valid inside a filter.`);
	});
	return type === 'and' ? (row) => tests.every((test) => test(row)) : (row) => tests.some((test) => test(row));
}

/** @param {Table} table @param {XmlElement} condition */
function conditionOf(table, condition) {
	const name = condition.attrs.attribute ?? '';
	const column = attributeColumn(table, name);
	const operator = (condition.attrs.operator ?? '').toLowerCase();
	/** @param {string} raw */
	const value = (raw) => {
		if (['Integer', 'BigInt', 'Decimal', 'Money', 'Double', 'Picklist', 'State', 'Status'].includes(column.type)) {
			const parsed = Number(raw);
			if (raw.trim() === '' || Number.isNaN(parsed)) throw invalid(`Condition for attribute '${table.logicalName}.${name}': expected argument(s) of type '${column.type}' but received '${raw}'.`);
			return parsed;
		}
		if (column.type === 'Boolean') return raw === '1' || raw.toLowerCase() === 'true';
		if (['Uniqueidentifier', 'Lookup', 'Customer'].includes(column.type)) return raw.replace(/[{}]/g, '').toLowerCase();
		return raw;
	};
	/** @param {Record<string, any>} row */
	const get = (row) => row[column.name] ?? null;
	const one = () => {
		if (condition.attrs.value === undefined) throw invalid(`Condition for attribute '${table.logicalName}.${name}': operator '${operator}' needs a value.`);
		return value(condition.attrs.value);
	};
	/** @param {unknown} x */
	const text = (x) => String(x ?? '').toLowerCase();
	/** @param {string} pattern */
	const like = (pattern) => new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'is');
	switch (operator) {
		case 'eq': { const v = one(); return (/** @type {any} */ row) => get(row) !== null && compareValues(get(row), v) === 0; }
		case 'ne': case 'neq': { const v = one(); return (/** @type {any} */ row) => get(row) === null || compareValues(get(row), v) !== 0; }
		case 'gt': { const v = one(); return (/** @type {any} */ row) => get(row) !== null && compareValues(get(row), v) > 0; }
		case 'ge': { const v = one(); return (/** @type {any} */ row) => get(row) !== null && compareValues(get(row), v) >= 0; }
		case 'lt': { const v = one(); return (/** @type {any} */ row) => get(row) !== null && compareValues(get(row), v) < 0; }
		case 'le': { const v = one(); return (/** @type {any} */ row) => get(row) !== null && compareValues(get(row), v) <= 0; }
		case 'like': { const re = like(String(one())); return (/** @type {any} */ row) => get(row) !== null && re.test(String(get(row))); }
		case 'not-like': { const re = like(String(one())); return (/** @type {any} */ row) => get(row) === null || !re.test(String(get(row))); }
		case 'begins-with': { const v = text(one()); return (/** @type {any} */ row) => text(get(row)).startsWith(v) && get(row) !== null; }
		case 'not-begin-with': { const v = text(one()); return (/** @type {any} */ row) => !text(get(row)).startsWith(v); }
		case 'ends-with': { const v = text(one()); return (/** @type {any} */ row) => text(get(row)).endsWith(v) && get(row) !== null; }
		case 'not-end-with': { const v = text(one()); return (/** @type {any} */ row) => !text(get(row)).endsWith(v); }
		case 'null': return (/** @type {any} */ row) => get(row) === null;
		case 'not-null': return (/** @type {any} */ row) => get(row) !== null;
		case 'in': case 'not-in': {
			const values = condition.children.filter((child) => child.name === 'value').map((child) => value(child.text));
			if (values.length === 0) throw invalid(`Condition for attribute '${table.logicalName}.${name}': operator '${operator}' needs <value> elements.`);
			const negate = operator === 'not-in';
			return (/** @type {any} */ row) => values.some((v) => get(row) !== null && compareValues(get(row), v) === 0) !== negate;
		}
		default:
			throw invalid(`Condition for attribute '${table.logicalName}.${name}': '${condition.attrs.operator ?? ''}' is not a valid operator.`);
	}
}

/** @param {Table} table @param {string} name */
function attributeColumn(table, name) {
	const column = columnOf(table, name);
	if (!column) throw httpError(400, '0x80041103', `'${table.logicalName}' entity doesn't contain attribute with Name = '${name}' and NameMapping = 'Logical'.`);
	return column;
}

/**
 * Answers `GET /{set}?fetchXml=…`.
 * @param {import('./dataverse').DataverseKit} kit @param {import('./router').Context} ctx @param {Table} table
 * @param {ReturnType<typeof import('./dataverse-records').preferences>} prefs
 */
function answerFetchXml(kit, ctx, table, prefs) {
	for (const option of Object.keys(ctx.query)) {
		if (option.startsWith('$')) throw httpError(400, '0x80060888', `The query option '${option}' cannot be combined with fetchXml.`);
	}
	const fetch = parseXml(ctx.query.fetchXml);
	if (fetch.name !== 'fetch') throw invalid(`The root element of FetchXML must be 'fetch', not '${fetch.name}'.`);
	const entities = fetch.children.filter((child) => child.name === 'entity');
	if (entities.length !== 1) throw invalid('FetchXML must contain exactly one entity element.');
	const entity = entities[0];
	if (entity.attrs.name !== table.logicalName) {
		throw httpError(400, '0x80060888', `The entity '${entity.attrs.name ?? ''}' in the FetchXML does not match the entity set '${table.entitySetName}' of the request.`);
	}
	if (fetch.attrs.aggregate === 'true') throw invalid('Aggregate FetchXML is not modelled by the sandbox.');

	/** @type {string[] | null} */
	let select = [];
	/** @type {Array<{ column: string, descending: boolean }>} */
	const orders = [];
	/** @type {Array<(row: Record<string, any>) => boolean>} */
	const filters = [];
	for (const child of entity.children) {
		if (child.name === 'attribute') {
			const column = attributeColumn(table, child.attrs.name ?? '');
			select?.push(isLookup(column) ? `_${column.name}_value` : column.name);
		} else if (child.name === 'all-attributes') {
			select = null;
		} else if (child.name === 'order') {
			const column = attributeColumn(table, child.attrs.attribute ?? '');
			orders.push({ column: column.name, descending: child.attrs.descending === 'true' });
		} else if (child.name === 'filter') {
			filters.push(filterOf(table, child));
		} else if (child.name === 'link-entity') {
			throw invalid('link-entity is not modelled by the sandbox.');
		} else {
			throw invalid(`The element '${child.name}' is not valid inside entity.`);
		}
	}
	if (select && select.length === 0) select = null;

	/** @param {string | undefined} raw @param {string} name @param {number} max */
	const integer = (raw, name, max) => {
		if (raw === undefined) return undefined;
		const value = Number(raw);
		if (!Number.isInteger(value) || value < 1 || value > max) throw invalid(`The '${name}' attribute of fetch must be an integer from 1 to ${max}; '${raw}' is not.`);
		return value;
	};
	const top = integer(fetch.attrs.top, 'top', MAX_PAGE_SIZE);
	const count = integer(fetch.attrs.count, 'count', MAX_PAGE_SIZE);
	const page = integer(fetch.attrs.page, 'page', Number.MAX_SAFE_INTEGER) ?? 1;
	if (top !== undefined && (count !== undefined || fetch.attrs.page !== undefined)) throw invalid("The 'top' attribute can't be specified with paging attribute 'page' or 'count'.");
	const size = top ?? count ?? prefs.maxPageSize ?? MAX_PAGE_SIZE;

		const order = {
		keys: orders.map((item) => ({ name: item.column, column: item.column, get: (/** @type {Record<string, any>} */ row) => row[item.column], descending: item.descending })),
		/** @param {Record<string, any>} a @param {Record<string, any>} b */
		compare: (a, b) => {
			for (const item of orders) {
				const result = compareValues(a[item.column], b[item.column]);
				if (result !== 0) return item.descending ? -result : result;
			}
			return compareValues(a[table.primaryId], b[table.primaryId]);
		},
	};
	let after = null;
	const cookieText = fetch.attrs['paging-cookie'];
	if (cookieText && top === undefined) {
		const cookie = readInnerCookie(table, cookieText);
		if (!cookie) throw invalid('The paging-cookie attribute of fetch is not a paging cookie Dataverse returned.');
		after = cookie.last;
	}
	const result = pageOf(kit.store, table, {
		filter: filters.length ? (row) => filters.every((test) => test(row)) : undefined,
		order, after, skip: after ? 0 : (page - 1) * size, size,
	});
	const more = top === undefined && result.more;
	/** @type {Record<string, unknown>} */
	const body = { '@odata.context': `${kit.base}/$metadata#${table.entitySetName}${select ? `(${select.join(',')})` : ''}` };
	if (fetch.attrs.returntotalrecordcount === 'true') {
		body['@Microsoft.Dynamics.CRM.totalrecordcount'] = result.total > MAX_PAGE_SIZE ? -1 : result.total;
		body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = result.total > MAX_PAGE_SIZE;
	}
	if (more) {
		const rows = result.rows;
		body['@Microsoft.Dynamics.CRM.fetchxmlpagingcookie'] = outerCookie(innerCookie(table, orders.map((item) => item.column), rows[0], rows[rows.length - 1], page), page + 1);
	}
	body['@Microsoft.Dynamics.CRM.morerecords'] = more;
	body.value = result.rows.map((row) => rowJson(kit.store, table, row, { select, wants: prefs.wants }));
	return kit.reply(ctx, 200, body, prefs.annotations.length ? { 'preference-applied': `odata.include-annotations="${prefs.annotations.join(',')}"` } : {});
}

module.exports = { answerFetchXml, parseXml };
