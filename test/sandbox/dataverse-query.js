// @ts-check
'use strict';

/**
 * OData query options as Dataverse reads them: `$filter` (eq ne gt ge lt le, and / or / not, parentheses,
 * contains / startswith / endswith, `Microsoft.Dynamics.CRM.In` / `NotIn`, null, true / false, numbers, GUIDs,
 * dates, quoted strings with `''`, enum literals such as `Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'`), `$orderby`, `$select` and `$expand` with nested options. Properties are resolved
 * by the caller (a table's columns or metadata objects), so the same parser serves rows and `EntityDefinitions`.
 * Errors carry Dataverse's codes: syntax 0x80060888, unknown property / incompatible types 0x0.
 */

const { httpError } = require('./router');

/** @typedef {{ type: string, get: (row: any) => unknown }} Resolved */
/** @typedef {(name: string) => Resolved} Resolver */
/** @typedef {{ kind: 'string' | 'number' | 'guid' | 'date' | 'null' | 'boolean', value: unknown, type: string }} Literal */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = new RegExp([
	String.raw`(?<space>\s+)`,
	String.raw`(?<string>'(?:[^']|'')*')`,
	String.raw`(?<enum>[A-Za-z_][\w.]*'(?:[^']|'')*')`,
	String.raw`(?<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-]))`,
	String.raw`(?<date>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w:-]))`,
	String.raw`(?<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![\w-]))`,
	String.raw`(?<name>[A-Za-z_][\w.]*(?:\/[A-Za-z_][\w.]*)*)`,
	String.raw`(?<punct>[(),\[\]=])`,
].join('|'), 'y');

/** @param {string} text */
function tokenize(text) {
	/** @type {Array<{ kind: string, text: string, at: number }>} */
	const tokens = [];
	TOKEN.lastIndex = 0;
	while (TOKEN.lastIndex < text.length) {
		const at = TOKEN.lastIndex;
		const match = TOKEN.exec(text);
		if (!match?.groups) throw syntaxError(text, at);
		const kind = Object.keys(match.groups).find((key) => match.groups?.[key] !== undefined) ?? 'space';
		if (kind !== 'space') tokens.push({ kind, text: match[0], at });
	}
	return tokens;
}

/** @param {string} text @param {number} at */
const syntaxError = (text, at) => httpError(400, '0x80060888', `Syntax error at position ${at} in '${text}'.`);
/** @param {string} typeName @param {string} property */
const unknownProperty = (typeName, property) => httpError(400, '0x0', `Could not find a property named '${property}' on type '${typeName}'.`);

const OPERATORS = /** @type {Record<string, string>} */ ({ eq: 'Equal', ne: 'NotEqual', gt: 'GreaterThan', ge: 'GreaterThanOrEqual', lt: 'LessThan', le: 'LessThanOrEqual' });
const NUMERIC = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double']);
const DATES = new Set(['Edm.Date', 'Edm.DateTimeOffset']);

/** @param {{ kind: string, text: string }} token @returns {Literal | null} */
function literalOf(token) {
	if (token.kind === 'string') return { kind: 'string', value: token.text.slice(1, -1).replace(/''/g, "'"), type: 'Edm.String' };
	// An enum literal such as Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist' compares as its member name.
	if (token.kind === 'enum') return { kind: 'string', value: token.text.slice(token.text.indexOf("'") + 1, -1).replace(/''/g, "'"), type: 'Edm.String' };
	if (token.kind === 'guid') return { kind: 'guid', value: token.text.toLowerCase(), type: 'Edm.Guid' };
	if (token.kind === 'date') return { kind: 'date', value: token.text, type: token.text.includes('T') ? 'Edm.DateTimeOffset' : 'Edm.Date' };
	if (token.kind === 'number') return { kind: 'number', value: Number(token.text.replace(/[mMdDfFlL]$/, '')), type: /[.eE]/.test(token.text) ? 'Edm.Decimal' : 'Edm.Int32' };
	if (token.kind === 'name' && token.text === 'null') return { kind: 'null', value: null, type: 'null' };
	if (token.kind === 'name' && (token.text === 'true' || token.text === 'false')) return { kind: 'boolean', value: token.text === 'true', type: 'Edm.Boolean' };
	return null;
}

/** Can a property of `type` be compared with this literal? @param {string} type @param {Literal} literal */
function compatible(type, literal) {
	if (type === 'any' || literal.kind === 'null') return true;
	if (NUMERIC.has(type)) return literal.kind === 'number';
	if (DATES.has(type)) return literal.kind === 'date';
	if (type === 'Edm.Guid') return literal.kind === 'guid';
	if (type === 'Edm.Boolean') return literal.kind === 'boolean';
	if (type === 'Edm.String') return literal.kind === 'string';
	return true;
}

/** Orders two column values as Dataverse (SQL) does: nulls first, text without case. @param {unknown} a @param {unknown} b */
function compareValues(a, b) {
	if (a === b) return 0;
	if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
	if (b === null || b === undefined) return 1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
	const x = String(a).toLowerCase();
	const y = String(b).toLowerCase();
	return x < y ? -1 : x > y ? 1 : 0;
}

/** A value as compared in filters (dates as instants, text without case). @param {unknown} value @param {string} type */
function comparable(value, type) {
	if (value === null || value === undefined) return null;
	if (DATES.has(type) || (type === 'any' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value))) {
		const time = Date.parse(String(value).length === 10 ? `${value}T00:00:00Z` : String(value));
		return Number.isNaN(time) ? String(value) : time;
	}
	if (typeof value === 'string') return value.toLowerCase();
	return value;
}

/**
 * Parses `$filter` into a predicate over rows.
 * @param {string} text @param {Resolver} resolve
 * @returns {(row: any) => boolean}
 */
function parseFilter(text, resolve) {
	const tokens = tokenize(text);
	let index = 0;
	const peek = () => tokens[index];
	const word = () => (peek()?.kind === 'name' ? peek().text.toLowerCase() : '');
	const fail = () => syntaxError(text, peek()?.at ?? text.length);
	/** @param {string} punct */
	const expect = (punct) => {
		if (peek()?.text !== punct) throw fail();
		index += 1;
	};

	/** @returns {(row: any) => boolean} */
	const parseOr = () => {
		let left = parseAnd();
		while (word() === 'or') {
			index += 1;
			const a = left;
			const b = parseAnd();
			left = (row) => a(row) || b(row);
		}
		return left;
	};
	/** @returns {(row: any) => boolean} */
	const parseAnd = () => {
		let left = parseNot();
		while (word() === 'and') {
			index += 1;
			const a = left;
			const b = parseNot();
			left = (row) => a(row) && b(row);
		}
		return left;
	};
	/** @returns {(row: any) => boolean} */
	const parseNot = () => {
		if (word() === 'not') {
			index += 1;
			const inner = parseNot();
			return (row) => !inner(row);
		}
		return parsePrimary();
	};
	/** @returns {(row: any) => boolean} */
	const parsePrimary = () => {
		const token = peek();
		if (!token) throw fail();
		if (token.text === '(') {
			index += 1;
			const inner = parseOr();
			expect(')');
			return inner;
		}
		const name = word();
		if (['contains', 'startswith', 'endswith'].includes(name) && tokens[index + 1]?.text === '(') {
			index += 2;
			const property = propertyToken();
			expect(',');
			const literal = peek() && literalOf(peek());
			if (!literal || literal.kind !== 'string') throw fail();
			index += 1;
			expect(')');
			if (!compatible(property.type, literal)) throw httpError(400, '0x0', `No function signature for the function with name '${name}' matches the specified arguments.`);
			const needle = String(literal.value).toLowerCase();
			return (row) => {
				const value = property.get(row);
				if (typeof value !== 'string') return false;
				const hay = value.toLowerCase();
				return name === 'contains' ? hay.includes(needle) : name === 'startswith' ? hay.startsWith(needle) : hay.endsWith(needle);
			};
		}
		if (/^microsoft\.dynamics\.crm\.(in|notin)$/.test(name)) {
			const negate = name.endsWith('notin');
			index += 1;
			expect('(');
			/** @type {Record<string, unknown>} */
			const args = {};
			while (peek() && peek().text !== ')') {
				const key = peek().text;
				index += 1;
				expect('=');
				if (peek()?.text === '[') {
					index += 1;
					const values = [];
					while (peek() && peek().text !== ']') {
						const literal = literalOf(peek());
						if (!literal) throw fail();
						values.push(literal.kind === 'string' ? literal.value : literal.value);
						index += 1;
						if (peek()?.text === ',') index += 1;
					}
					expect(']');
					args[key] = values;
				} else {
					const literal = peek() && literalOf(peek());
					if (!literal) throw fail();
					args[key] = literal.value;
					index += 1;
				}
				if (peek()?.text === ',') index += 1;
			}
			expect(')');
			if (typeof args.PropertyName !== 'string' || !Array.isArray(args.PropertyValues)) throw fail();
			const property = resolve(args.PropertyName);
			const wanted = new Set(args.PropertyValues.map((value) => comparable(coerce(value, property.type), property.type)));
			return (row) => wanted.has(comparable(property.get(row), property.type)) !== negate;
		}
		// operand op operand (a property on one side, a literal on the other)
		const leftLiteral = literalOf(token);
		/** @type {Resolved | null} */
		let property = null;
		/** @type {Literal | null} */
		let literal = leftLiteral;
		if (!leftLiteral) property = propertyToken();
		else index += 1;
		const op = word();
		if (!OPERATORS[op]) throw fail();
		index += 1;
		const rightToken = peek();
		if (!rightToken) throw fail();
		const rightLiteral = literalOf(rightToken);
		let flipped = false;
		if (property) {
			if (!rightLiteral) throw httpError(400, '0x0', 'The sandbox compares a property with a literal only (not two properties).');
			literal = rightLiteral;
			index += 1;
		} else {
			if (rightLiteral) throw fail();
			property = propertyToken();
			flipped = true;
		}
		const target = /** @type {Literal} */ (literal);
		const resolved = /** @type {Resolved} */ (property);
		if (!compatible(resolved.type, target)) {
			throw httpError(400, '0x0', `A binary operator with incompatible types was detected. Found operand types '${resolved.type}' and '${target.type}' for operator kind '${OPERATORS[op]}'.`);
		}
		const expected = comparable(target.value, resolved.type);
		const actualOp = flipped ? ({ gt: 'lt', lt: 'gt', ge: 'le', le: 'ge' })[op] ?? op : op;
		return (row) => {
			const value = comparable(resolved.get(row), resolved.type);
			if (actualOp === 'eq') return value === expected;
			if (actualOp === 'ne') return value !== expected;
			if (value === null || expected === null) return false;
			const order = compareValues(value, expected);
			return actualOp === 'gt' ? order > 0 : actualOp === 'ge' ? order >= 0 : actualOp === 'lt' ? order < 0 : order <= 0;
		};
	};
	const propertyToken = () => {
		const token = peek();
		if (!token || token.kind !== 'name') throw fail();
		index += 1;
		return resolve(token.text);
	};

	if (!text.trim()) throw syntaxError(text, 0);
	const predicate = parseOr();
	if (index < tokens.length) throw fail();
	return predicate;
}

/** @param {unknown} value @param {string} type */
function coerce(value, type) {
	if (type === 'Edm.Guid' && typeof value === 'string') return value.toLowerCase();
	if (NUMERIC.has(type) && typeof value === 'string' && value.trim() !== '') return Number(value);
	return value;
}

/**
 * `$orderby=a desc,b` → a comparator (ties broken by `tieBreak`).
 * @param {string | undefined} text @param {Resolver} resolve @param {(row: any) => unknown} tieBreak
 */
function parseOrderBy(text, resolve, tieBreak) {
	/** @type {Array<{ name: string, get: (row: any) => unknown, descending: boolean }>} */
	const keys = [];
	for (const part of (text ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
		const match = /^([A-Za-z_][\w/.]*)(?:\s+(asc|desc))?$/i.exec(part);
		if (!match) throw syntaxError(text ?? '', (text ?? '').indexOf(part));
		const resolved = resolve(match[1]);
		keys.push({ name: match[1], get: resolved.get, descending: match[2]?.toLowerCase() === 'desc' });
	}
	/** @param {any} a @param {any} b */
	const compare = (a, b) => {
		for (const key of keys) {
			const order = compareValues(key.get(a), key.get(b));
			if (order !== 0) return key.descending ? -order : order;
		}
		return compareValues(tieBreak(a), tieBreak(b));
	};
	return { keys, compare };
}

/**
 * Splits `a,b($select=x;$filter=y eq 'a,b'),c` at top-level commas (quotes and parentheses respected).
 * @param {string} text @param {string} separator
 */
function splitTopLevel(text, separator) {
	/** @type {string[]} */
	const parts = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === "'") quoted = !quoted;
		else if (!quoted && char === '(') depth += 1;
		else if (!quoted && char === ')') depth -= 1;
		else if (!quoted && depth === 0 && char === separator) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	parts.push(text.slice(start));
	return parts.map((part) => part.trim()).filter(Boolean);
}

/**
 * `$expand=nav($select=a,b;$filter=...;$orderby=...;$top=n),other` → [{ name, options }].
 * @param {string} text
 * @returns {Array<{ name: string, options: Record<string, string> }>}
 */
function parseExpand(text) {
	return splitTopLevel(text, ',').map((part) => {
		const match = /^([\w.]+)(?:\((.*)\))?$/s.exec(part);
		if (!match) throw syntaxError(text, text.indexOf(part));
		/** @type {Record<string, string>} */
		const options = {};
		for (const option of splitTopLevel(match[2] ?? '', ';')) {
			const eq = option.indexOf('=');
			if (eq <= 0) throw syntaxError(text, text.indexOf(option));
			options[option.slice(0, eq).trim()] = option.slice(eq + 1).trim();
		}
		return { name: match[1], options };
	});
}

/** `$select=a,b` → names (each resolved, so unknown ones fail). @param {string} text @param {Resolver} resolve */
function parseSelect(text, resolve) {
	const names = text.split(',').map((name) => name.trim()).filter(Boolean);
	for (const name of names) resolve(name);
	return names;
}

module.exports = { parseFilter, parseOrderBy, parseExpand, parseSelect, compareValues, unknownProperty, splitTopLevel, GUID };
