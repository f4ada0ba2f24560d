// @ts-check
'use strict';

/**
 * The OData query options Finance & Operations and Business Central answer on a collection, over plain rows:
 * `$filter` (comparisons eq/ne/gt/ge/lt/le, and/or/not, parentheses, contains/startswith/endswith, string literals
 * with '' quoting, numbers, true/false/null, GUIDs, dates, and F&O enum literals `Namespace.Enum'Member'`),
 * `$orderby`, `$select`, `$top`, `$skip`. A malformed option throws `OptionError` (the caller answers it in its API's
 * error shape). The multipart helpers of `$batch` live in multipart.js.
 */

class OptionError extends Error {}

/**
 * @typedef {{ kind: 'lit', value: unknown, type: string } | { kind: 'field', name: string }
 *   | { kind: 'cmp', op: string, left: Node, right: Node } | { kind: 'bool', op: 'and' | 'or', left: Node, right: Node }
 *   | { kind: 'not', operand: Node } | { kind: 'call', name: string, args: Node[] }} Node
 */

/** Splits a $filter into tokens. @param {string} text */
function tokenize(text) {
	/** @type {Array<{ t: string, v: string }>} */
	const tokens = [];
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (c === '(' || c === ')' || c === ',') {
			tokens.push({ t: c, v: c });
			i++;
			continue;
		}
		if (c === "'") {
			let value = '';
			i++;
			for (;;) {
				if (i >= text.length) throw new OptionError(`Unterminated string literal in $filter: ${text}`);
				if (text[i] === "'") {
					if (text[i + 1] === "'") {
						value += "'";
						i += 2;
						continue;
					}
					i++;
					break;
				}
				value += text[i++];
			}
			tokens.push({ t: 'str', v: value });
			continue;
		}
		const word = /^[A-Za-z0-9_.:+\-/]+/.exec(text.slice(i));
		if (!word) throw new OptionError(`Syntax error at position ${i} in '${text}'.`);
		i += word[0].length;
		// An enum literal: Microsoft.Dynamics.DataEntities.NoYes'Yes'
		if (text[i] === "'" && /^[A-Za-z_][\w.]*$/.test(word[0]) && word[0].includes('.')) {
			const end = text.indexOf("'", i + 1);
			if (end < 0) throw new OptionError(`Unterminated enum literal in $filter: ${text}`);
			tokens.push({ t: 'enum', v: `${word[0]}|${text.slice(i + 1, end)}` });
			i = end + 1;
			continue;
		}
		tokens.push({ t: 'word', v: word[0] });
	}
	return tokens;
}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['contains', 'startswith', 'endswith', 'tolower', 'toupper']);

/** Parses a $filter into a tree. @param {string} text @returns {Node} */
function parseFilter(text) {
	const tokens = tokenize(text);
	let pos = 0;
	const peek = () => tokens[pos];
	const next = () => tokens[pos++];
	const expect = (/** @type {string} */ t) => {
		const token = next();
		if (!token || token.t !== t) throw new OptionError(`Syntax error: '${t}' expected in '${text}'.`);
		return token;
	};
	/** @returns {Node} */
	const primary = () => {
		const token = next();
		if (!token) throw new OptionError(`Syntax error: the expression '${text}' ends too early.`);
		if (token.t === '(') {
			const inner = or();
			expect(')');
			return inner;
		}
		if (token.t === 'str') return { kind: 'lit', value: token.v, type: 'string' };
		if (token.t === 'enum') {
			const [enumType, member] = token.v.split('|');
			return { kind: 'lit', value: member, type: `enum:${enumType}` };
		}
		if (token.t !== 'word') throw new OptionError(`Syntax error at '${token.v}' in '${text}'.`);
		const word = token.v;
		if (word === 'not') return { kind: 'not', operand: primary() };
		if (word === 'true' || word === 'false') return { kind: 'lit', value: word === 'true', type: 'boolean' };
		if (word === 'null') return { kind: 'lit', value: null, type: 'null' };
		if (/^-?\d+(\.\d+)?$/.test(word)) return { kind: 'lit', value: Number(word), type: 'number' };
		if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(word)) return { kind: 'lit', value: word.toLowerCase(), type: 'guid' };
		if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(word)) return { kind: 'lit', value: word, type: 'date' };
		if (FUNCTIONS.has(word.toLowerCase()) && peek()?.t === '(') {
			next();
			/** @type {Node[]} */
			const args = [or()];
			while (peek()?.t === ',') {
				next();
				args.push(or());
			}
			expect(')');
			return { kind: 'call', name: word.toLowerCase(), args };
		}
		if (!/^[A-Za-z_][\w]*$/.test(word)) throw new OptionError(`Syntax error at '${word}' in '${text}'.`);
		return { kind: 'field', name: word };
	};
	/** @returns {Node} */
	const comparison = () => {
		const left = primary();
		const op = peek();
		if (op?.t === 'word' && COMPARISONS.has(op.v)) {
			next();
			return { kind: 'cmp', op: op.v, left, right: primary() };
		}
		return left;
	};
	/** @returns {Node} */
	const and = () => {
		let left = comparison();
		while (peek()?.t === 'word' && peek().v === 'and') {
			next();
			left = { kind: 'bool', op: 'and', left, right: comparison() };
		}
		return left;
	};
	/** @returns {Node} */
	function or() {
		let left = and();
		while (peek()?.t === 'word' && peek().v === 'or') {
			next();
			left = { kind: 'bool', op: 'or', left, right: and() };
		}
		return left;
	}
	const tree = or();
	if (pos < tokens.length) throw new OptionError(`Syntax error at '${tokens[pos].v}' in '${text}'.`);
	return tree;
}

/**
 * A schema the evaluator checks names and types against: field → `string | number | boolean | guid | date | enum:<Type>`.
 * @typedef {Record<string, string>} Schema
 */

/**
 * Checks names and types of a parsed filter (unknown fields, an enum compared with a plain string as F&O refuses it).
 * @param {Node} node @param {Schema} schema @param {string} typeName for messages
 */
function checkFilter(node, schema, typeName) {
	if (node.kind === 'field' && !(node.name in schema)) {
		throw new OptionError(`Could not find a property named '${node.name}' on type '${typeName}'.`);
	}
	if (node.kind === 'cmp') {
		checkFilter(node.left, schema, typeName);
		checkFilter(node.right, schema, typeName);
		const sides = [node.left, node.right];
		const field = sides.find((side) => side.kind === 'field');
		const literal = sides.find((side) => side.kind === 'lit');
		if (field?.kind === 'field' && literal?.kind === 'lit' && literal.type !== 'null') {
			const fieldType = schema[field.name];
			if (fieldType.startsWith('enum:') && literal.type !== fieldType) {
				const found = literal.type.startsWith('enum:') ? literal.type.slice(5) : literal.type === 'string' ? 'Edm.String' : `Edm.${literal.type}`;
				throw new OptionError(
					`A binary operator with incompatible types was detected. Found operand types '${fieldType.slice(5)}' and '${found}' for operator kind '${node.op}'.`,
				);
			}
		}
	} else if (node.kind === 'bool') {
		checkFilter(node.left, schema, typeName);
		checkFilter(node.right, schema, typeName);
	} else if (node.kind === 'not') {
		checkFilter(node.operand, schema, typeName);
	} else if (node.kind === 'call') {
		for (const arg of node.args) checkFilter(arg, schema, typeName);
	}
}

/** @param {unknown} value */
const comparable = (value) => (typeof value === 'string' ? value.toLowerCase() : value);

/** @param {Node} node @param {Record<string, unknown>} row @returns {unknown} */
function evaluate(node, row) {
	switch (node.kind) {
		case 'lit':
			return node.value;
		case 'field':
			return row[node.name] ?? null;
		case 'not':
			return !evaluate(node.operand, row);
		case 'bool':
			return node.op === 'and' ? Boolean(evaluate(node.left, row)) && Boolean(evaluate(node.right, row)) : Boolean(evaluate(node.left, row)) || Boolean(evaluate(node.right, row));
		case 'call': {
			const [a, b] = node.args.map((arg) => evaluate(arg, row));
			const text = String(a ?? '').toLowerCase();
			const part = String(b ?? '').toLowerCase();
			if (node.name === 'contains') return text.includes(part);
			if (node.name === 'startswith') return text.startsWith(part);
			if (node.name === 'endswith') return text.endsWith(part);
			if (node.name === 'tolower') return String(a ?? '').toLowerCase();
			return String(a ?? '').toUpperCase();
		}
		case 'cmp': {
			// Both APIs compare strings without regard to case (SQL collation).
			const left = comparable(evaluate(node.left, row));
			const right = comparable(evaluate(node.right, row));
			if (node.op === 'eq') return left === right;
			if (node.op === 'ne') return left !== right;
			if (left === null || right === null) return false;
			const l = /** @type {any} */ (left);
			const r = /** @type {any} */ (right);
			if (node.op === 'gt') return l > r;
			if (node.op === 'ge') return l >= r;
			if (node.op === 'lt') return l < r;
			return l <= r;
		}
	}
	return false;
}

/**
 * Applies $filter, $orderby, $skip, $top and $select to rows (all optional).
 * @param {Array<Record<string, unknown>>} rows
 * @param {Record<string, string>} query
 * @param {{ schema: Schema, typeName: string, maxTop?: number }} options
 * @returns {{ rows: Array<Record<string, unknown>>, select: string[] | null, total: number }}
 */
function applyQuery(rows, query, options) {
	let result = rows;
	if (query.$filter) {
		const tree = parseFilter(query.$filter);
		checkFilter(tree, options.schema, options.typeName);
		result = result.filter((row) => Boolean(evaluate(tree, row)));
	}
	if (query.$orderby) {
		const keys = query.$orderby.split(',').map((part) => {
			const [name, direction = 'asc'] = part.trim().split(/\s+/);
			if (!(name in options.schema)) throw new OptionError(`Could not find a property named '${name}' on type '${options.typeName}'.`);
			if (!/^(asc|desc)$/i.test(direction)) throw new OptionError(`Syntax error at '${direction}' in $orderby.`);
			return { name, sign: /^desc$/i.test(direction) ? -1 : 1 };
		});
		result = [...result].sort((a, b) => {
			for (const { name, sign } of keys) {
				const x = /** @type {any} */ (comparable(a[name] ?? null));
				const y = /** @type {any} */ (comparable(b[name] ?? null));
				if (x === y) continue;
				if (x === null) return -sign;
				if (y === null) return sign;
				return x < y ? -sign : sign;
			}
			return 0;
		});
	}
	const total = result.length;
	const skip = readCount(query.$skip, '$skip');
	const top = readCount(query.$top, '$top');
	if (skip) result = result.slice(skip);
	if (top !== undefined) result = result.slice(0, top);
	let select = null;
	if (query.$select) {
		select = query.$select.split(',').map((name) => name.trim()).filter(Boolean);
		for (const name of select) if (!(name in options.schema) && name !== '*') throw new OptionError(`Could not find a property named '${name}' on type '${options.typeName}'.`);
		if (select.includes('*')) select = null;
	}
	return { rows: result, select, total };
}

/** @param {string | undefined} value @param {string} name */
function readCount(value, name) {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value)) throw new OptionError(`Invalid value '${value}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`);
	return Number(value);
}

/** A row with only the selected fields (plus the annotations it carries). @param {Record<string, unknown>} row @param {string[] | null} select */
function project(row, select) {
	if (!select) return row;
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, value] of Object.entries(row)) if (key.startsWith('@odata.') || select.includes(key)) out[key] = value;
	return out;
}

module.exports = { OptionError, parseFilter, applyQuery, project };
