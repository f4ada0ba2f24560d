// @ts-check
'use strict';

/**
 * OData query options of Outlook collections: `$filter` (a real little parser: comparisons eq/ne/gt/ge/lt/le,
 * `and`/`or`/`not`, parentheses, contains/startswith, `any` lambdas on the collections Exchange supports,
 * `''` quoting, typed literals), `$orderby`, `$select`, `$top`/`$skip` paging with `@odata.nextLink`, and
 * Exchange's rule for `$filter` + `$orderby` together (InefficientFilter).
 *
 * Errors as Graph gives them: a syntax error or mismatched literal type → 400 `BadRequest` "Invalid filter
 * clause: …"; an unknown property, function or lambda → 400 `ErrorInvalidUrlQueryFilter`; an unknown
 * `$select`/`$orderby` property → 400 `RequestBroker--ParseUri`.
 */

const { httpError } = require('../router');

/**
 * @typedef {'string' | 'enum' | 'boolean' | 'datetime' | 'number'} ValueType
 * @typedef {{ type: ValueType, get: (json: any) => any }} PropertySpec
 * @typedef {{ serviceType: string, properties: Record<string, PropertySpec>,
 *   lambdas?: Record<string, { items: (json: any) => any[], element: Record<string, PropertySpec> }>,
 *   select: string[] }} EntitySpec  properties: lower-case path → spec; element: '' = the element itself
 * @typedef {{ kind: 'op' | 'str' | 'num' | 'dt' | 'word' | 'path', text: string, value?: any, at: number }} Token
 */

const EDM = { string: 'Edm.String', enum: 'Edm.String', boolean: 'Edm.Boolean', datetime: 'Edm.DateTimeOffset', number: 'Edm.Int32' };
const OPERATORS = { eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' };

/** @param {string} text */
function tokenize(text) {
	/** @type {Token[]} */
	const tokens = [];
	let i = 0;
	const syntax = (/** @type {number} */ at) => httpError(400, 'BadRequest', `Invalid filter clause: Syntax error at position ${at} in '${text}'.`);
	while (i < text.length) {
		const rest = text.slice(i);
		const space = /^\s+/.exec(rest);
		if (space) {
			i += space[0].length;
			continue;
		}
		if ('(),:'.includes(rest[0])) {
			tokens.push({ kind: 'op', text: rest[0], at: i });
			i += 1;
			continue;
		}
		if (rest[0] === "'") {
			let j = 1;
			let value = '';
			for (;;) {
				if (j >= rest.length) throw syntax(i + j);
				if (rest[j] === "'" && rest[j + 1] === "'") {
					value += "'";
					j += 2;
				} else if (rest[j] === "'") {
					j += 1;
					break;
				} else {
					value += rest[j];
					j += 1;
				}
			}
			tokens.push({ kind: 'str', text: rest.slice(0, j), value, at: i });
			i += j;
			continue;
		}
		const dt = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w:.])/.exec(rest);
		if (dt) {
			const ms = Date.parse(dt[0].length === 10 ? `${dt[0]}T00:00:00Z` : dt[0]);
			if (Number.isNaN(ms)) throw syntax(i);
			tokens.push({ kind: 'dt', text: dt[0], value: ms, at: i });
			i += dt[0].length;
			continue;
		}
		const num = /^-?\d+(?:\.\d+)?(?![\w])/.exec(rest);
		if (num) {
			tokens.push({ kind: 'num', text: num[0], value: Number(num[0]), at: i });
			i += num[0].length;
			continue;
		}
		const path = /^[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*/.exec(rest);
		if (path) {
			tokens.push({ kind: path[0].includes('/') ? 'path' : 'word', text: path[0], at: i });
			i += path[0].length;
			continue;
		}
		throw syntax(i);
	}
	return tokens;
}

/**
 * Compiles `$filter` for an entity. `paths` lists the properties in the order they appear (for the
 * `$orderby` rule).
 * @param {string} text @param {EntitySpec} entity
 * @returns {{ test: (json: any) => boolean, paths: string[] }}
 */
function compileFilter(text, entity) {
	const tokens = tokenize(text);
	let pos = 0;
	/** @type {string[]} */
	const paths = [];
	const syntax = () => httpError(400, 'BadRequest', `Invalid filter clause: Syntax error at position ${tokens[pos]?.at ?? text.length} in '${text}'.`);
	const invalid = () => httpError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
	const peek = () => tokens[pos];
	const isWord = (/** @type {string} */ word) => peek()?.kind === 'word' && peek().text === word;
	const expectOp = (/** @type {string} */ op) => {
		if (peek()?.kind !== 'op' || peek().text !== op) throw syntax();
		pos += 1;
	};

	/** @typedef {{ type: ValueType | 'null', get: (json: any, scope: any) => any }} Operand */
	/** @param {any} scope @returns {(json: any, scope: any) => boolean} */
	function parseOr(scope) {
		let left = parseAnd(scope);
		while (isWord('or')) {
			pos += 1;
			const a = left;
			const b = parseAnd(scope);
			left = (json, s) => a(json, s) || b(json, s);
		}
		return left;
	}
	/** @param {any} scope @returns {(json: any, scope: any) => boolean} */
	function parseAnd(scope) {
		let left = parseUnary(scope);
		while (isWord('and')) {
			pos += 1;
			const a = left;
			const b = parseUnary(scope);
			left = (json, s) => a(json, s) && b(json, s);
		}
		return left;
	}
	/** @param {any} scope @returns {(json: any, scope: any) => boolean} */
	function parseUnary(scope) {
		if (isWord('not')) {
			pos += 1;
			const inner = parseUnary(scope);
			return (json, s) => !inner(json, s);
		}
		if (peek()?.kind === 'op' && peek().text === '(') {
			pos += 1;
			const inner = parseOr(scope);
			expectOp(')');
			return inner;
		}
		const token = peek();
		if (!token) throw syntax();
		const next = tokens[pos + 1];
		if (token.kind === 'word' && next?.kind === 'op' && next.text === '(') return parseFunction(scope);
		if (token.kind === 'path' && /\/(any|all)$/i.test(token.text) && next?.kind === 'op' && next.text === '(') return parseLambda(scope);
		return parseComparison(scope);
	}
	/** @param {any} scope */
	function parseFunction(scope) {
		const name = tokens[pos].text;
		if (!['contains', 'startswith'].includes(name)) throw invalid();
		pos += 2;
		const target = parseOperand(scope);
		expectOp(',');
		const literal = parseOperand(scope);
		expectOp(')');
		if ((target.type !== 'string' && target.type !== 'enum') || literal.type !== 'string') throw invalid();
		return (/** @type {any} */ json, /** @type {any} */ s) => {
			const value = String(target.get(json, s) ?? '').toLowerCase();
			const wanted = String(literal.get(json, s)).toLowerCase();
			return name === 'contains' ? value.includes(wanted) : value.startsWith(wanted);
		};
	}
	/** @param {any} scope */
	function parseLambda(scope) {
		const token = tokens[pos];
		const collection = token.text.slice(0, token.text.lastIndexOf('/')).toLowerCase();
		const all = /\/all$/i.test(token.text);
		const lambda = entity.lambdas?.[collection];
		if (!lambda || scope) throw invalid();
		paths.push(collection);
		pos += 2;
		const variable = peek();
		if (variable?.kind !== 'word') throw syntax();
		pos += 1;
		expectOp(':');
		const body = parseOr({ variable: variable.text, element: lambda.element });
		expectOp(')');
		return (/** @type {any} */ json) => {
			const items = lambda.items(json) ?? [];
			return all ? items.every((item) => body(json, item)) : items.some((item) => body(json, item));
		};
	}
	/** @param {any} scope */
	function parseComparison(scope) {
		const left = parseOperand(scope);
		const opToken = peek();
		if (opToken?.kind !== 'word' || !(opToken.text in OPERATORS)) throw syntax();
		pos += 1;
		const op = /** @type {keyof typeof OPERATORS} */ (opToken.text);
		const right = parseOperand(scope);
		const types = [left.type, right.type];
		const concrete = types.filter((t) => t !== 'null');
		const compatible = concrete.length < 2 || concrete[0] === concrete[1] || (concrete.includes('enum') && concrete.includes('string'));
		if (!compatible || (types.includes('null') && op !== 'eq' && op !== 'ne')) {
			throw httpError(400, 'BadRequest', `Invalid filter clause: A binary operator with incompatible types was detected. Found operand types '${EDM[/** @type {ValueType} */ (concrete[0])] ?? 'null'}' and '${EDM[/** @type {ValueType} */ (concrete[1])] ?? 'null'}' for operator kind '${OPERATORS[op]}'.`);
		}
		return (/** @type {any} */ json, /** @type {any} */ s) => compare(left.get(json, s), right.get(json, s), concrete[0] ?? 'string', op);
	}
	/** @param {any} scope @returns {Operand} */
	function parseOperand(scope) {
		const token = peek();
		if (!token) throw syntax();
		pos += 1;
		if (token.kind === 'str') return { type: 'string', get: () => token.value };
		if (token.kind === 'dt') return { type: 'datetime', get: () => token.value };
		if (token.kind === 'num') return { type: 'number', get: () => token.value };
		if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) return { type: 'boolean', get: () => token.text === 'true' };
		if (token.kind === 'word' && token.text === 'null') return { type: 'null', get: () => null };
		if (token.kind !== 'word' && token.kind !== 'path') throw syntax();
		const path = token.text;
		if (scope) {
			const [head, ...tail] = path.split('/');
			if (head === scope.variable) {
				const spec = scope.element[tail.join('/').toLowerCase()];
				if (!spec) throw invalid();
				return { type: spec.type, get: (_json, element) => spec.get(element) };
			}
		}
		const spec = entity.properties[path.toLowerCase()];
		if (!spec) throw invalid();
		paths.push(path.toLowerCase());
		return { type: spec.type, get: (json) => spec.get(json) };
	}

	const test = parseOr(null);
	if (pos < tokens.length) throw syntax();
	return { test: (json) => test(json, null), paths };
}

/** @param {any} a @param {any} b @param {string} type @param {string} op */
function compare(a, b, type, op) {
	if (a === null || a === undefined || b === null || b === undefined) {
		const same = (a ?? null) === (b ?? null);
		return op === 'eq' ? same : op === 'ne' ? !same : false;
	}
	let x = a;
	let y = b;
	if (type === 'datetime') {
		x = typeof a === 'number' ? a : Date.parse(a);
		y = typeof b === 'number' ? b : Date.parse(b);
	} else if (type === 'string' || type === 'enum') {
		x = String(a).toLowerCase();
		y = String(b).toLowerCase();
	}
	switch (op) {
		case 'eq': return x === y;
		case 'ne': return x !== y;
		case 'gt': return x > y;
		case 'ge': return x >= y;
		case 'lt': return x < y;
		default: return x <= y;
	}
}

/**
 * `$orderby=prop [asc|desc], …` → comparator, and the paths (for the $filter rule).
 * @param {string} text @param {EntitySpec} entity
 */
function compileOrderBy(text, entity) {
	const keys = text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
		const m = /^([\w/]+)(?:\s+(asc|desc))?$/i.exec(part);
		const spec = m ? entity.properties[m[1].toLowerCase()] : undefined;
		if (!m || !spec) {
			throw httpError(400, 'RequestBroker--ParseUri', `Could not find a property named '${m ? m[1] : part}' on type '${entity.serviceType}'.`);
		}
		return { path: m[1].toLowerCase(), desc: (m[2] ?? 'asc').toLowerCase() === 'desc', spec };
	});
	/** @param {any} a @param {any} b */
	const comparator = (a, b) => {
		for (const key of keys) {
			const order = sortCompare(key.spec.get(a), key.spec.get(b), key.spec.type);
			if (order !== 0) return key.desc ? -order : order;
		}
		return 0;
	};
	return { comparator, paths: keys.map((k) => k.path) };
}

/** @param {any} a @param {any} b @param {ValueType} type */
function sortCompare(a, b, type) {
	if (a === b) return 0;
	if (a === null || a === undefined) return -1;
	if (b === null || b === undefined) return 1;
	if (type === 'datetime') return (typeof a === 'number' ? a : Date.parse(a)) - (typeof b === 'number' ? b : Date.parse(b));
	if (type === 'boolean' || type === 'number') return Number(a) - Number(b);
	return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
}

/**
 * Exchange: properties in `$orderby` must come first in `$filter`, in the same order.
 * @param {string[]} filterPaths @param {string[]} orderPaths
 */
function checkFilterOrder(filterPaths, orderPaths) {
	const distinct = [...new Set(filterPaths)];
	if (orderPaths.some((path, index) => distinct[index] !== path)) {
		throw httpError(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
	}
}

/**
 * `$select`: id and annotations always, then the named properties (case-insensitive, CSDL names).
 * @param {Record<string, any>} json @param {string | undefined} select @param {EntitySpec} entity
 */
function applySelect(json, select, entity) {
	if (!select) return json;
	const names = parseSelect(select, entity);
	/** @type {Record<string, any>} */
	const out = {};
	for (const [key, value] of Object.entries(json)) if (key.startsWith('@')) out[key] = value;
	out.id = json.id;
	for (const name of names) if (name in json) out[name] = json[name];
	return out;
}

/** Parsed `$select` lists per entity: a page of 1,000 messages parses its `$select` once, not once per message. */
const parsedSelects = new WeakMap();

/** @param {string} select @param {EntitySpec} entity @returns {string[]} canonical names */
function parseSelect(select, entity) {
	let known = parsedSelects.get(entity);
	if (!known) parsedSelects.set(entity, (known = new Map()));
	let names = known.get(select);
	if (!names) {
		names = parseSelectOnce(select, entity);
		if (known.size < 100) known.set(select, names);
	}
	return names;
}

/** @param {string} select @param {EntitySpec} entity @returns {string[]} canonical names */
function parseSelectOnce(select, entity) {
	return select.split(',').map((name) => name.trim()).filter(Boolean).map((name) => {
		const canonical = entity.select.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
		if (!canonical) throw httpError(400, 'RequestBroker--ParseUri', `Could not find a property named '${name}' on type '${entity.serviceType}'.`);
		return canonical;
	});
}

/** @param {string | undefined} raw @param {string} name @param {number} max */
function wholeNumber(raw, name, max) {
	if (raw === undefined) return undefined;
	if (!/^\d+$/.test(raw) || Number(raw) > max || (name === '$top' && Number(raw) < 1)) {
		throw httpError(400, 'BadRequest', `Invalid ${name} value '${raw}': use a whole number${name === '$top' ? ` from 1 to ${max}` : ''}.`);
	}
	return Number(raw);
}

/**
 * A page of a list by `$top` (default and maximum per resource) and `$skip`; `@odata.nextLink` repeats the
 * request with the next `$skip` (Outlook's paging; clients must follow it as given).
 * @template T
 * @param {import('../router').Context} ctx @param {T[]} list @param {{ defaultTop?: number, maxTop?: number }} [options]
 */
function pageBySkip(ctx, list, options = {}) {
	const max = options.maxTop ?? 1000;
	const top = wholeNumber(ctx.query.$top, '$top', max) ?? options.defaultTop ?? 10;
	const skip = wholeNumber(ctx.query.$skip, '$skip', Number.MAX_SAFE_INTEGER) ?? 0;
	const slice = list.slice(skip, skip + top);
	/** @type {string | undefined} */
	let nextLink;
	if (skip + top < list.length) {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(ctx.query)) if (key !== '$skip' && key !== '$top') params.set(key, value);
		params.set('$top', String(top));
		params.set('$skip', String(skip + top));
		nextLink = `${ctx.sandbox.graphUrl}${ctx.path}?${params.toString().replace(/%24/g, '$')}`;
	}
	return { slice, nextLink };
}

/** Preferences of a `Prefer` header: `odata.maxpagesize=5, outlook.timezone="Pacific Standard Time"`. @param {string | undefined} header */
function parsePrefer(header) {
	/** @type {Map<string, string>} */
	const prefs = new Map();
	for (const match of String(header ?? '').matchAll(/([\w.-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,;\s]*))?/g)) {
		const value = match[2] ?? '';
		prefs.set(match[1].toLowerCase(), value.startsWith('"') ? value.slice(1, -1) : value);
	}
	return prefs;
}

/**
 * Response headers of several preferences in one `Preference-Applied`.
 * @param {...Record<string, string>} sets @returns {Record<string, string>}
 */
function mergeApplied(...sets) {
	const applied = sets.map((headers) => headers['preference-applied']).filter(Boolean).join(', ');
	return applied ? { 'preference-applied': applied } : {};
}

module.exports = { compileFilter, compileOrderBy, checkFilterOrder, applySelect, parseSelect, pageBySkip, parsePrefer, wholeNumber, mergeApplied };
