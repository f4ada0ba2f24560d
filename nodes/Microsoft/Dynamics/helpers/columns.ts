/**
 * The column values of a write, from the resource mapper (converted with the table's metadata: numbers, yes/no, choice
 * labels → values, lookups → `nav@odata.bind`) or from raw JSON. Problems are refused naming the column and the item
 * before anything is sent.
 */
import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { InputValueError } from '../../shared/input';
import { GUID } from './dataverse';
import type { ColumnInfo, TableDetails } from './metadata';
import { tableDetails } from './metadata';

export type ColumnsMode = 'mapper' | 'json';
export type WriteKind = 'create' | 'update';

const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]*(?:@odata\.bind)?$|^@odata\.type$/;

/** Columns a write never sends from the mapper: computed, file and image columns (uploaded on their own), party lists. */
export function isMappable(column: ColumnInfo, kind: WriteKind): boolean {
	if (column.attributeOf) return false;
	if (column.typeName === 'FileType' || column.typeName === 'ImageType') return false;
	if (column.type === 'Virtual' && column.typeName !== 'MultiSelectPicklistType') return false;
	if (['EntityName', 'PartyList', 'CalendarRules', 'ManagedProperty'].includes(column.type)) return false;
	return kind === 'create' ? column.validForCreate : column.validForUpdate;
}

/** Raw JSON columns: an object whose keys are column names or `nav@odata.bind`. */
export function parseColumnsJson(raw: unknown, field = 'Columns (JSON)'): IDataObject {
	let value = raw;
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return {};
		try {
			value = JSON.parse(text);
		} catch (error) {
			throw new InputValueError(field, `is not valid JSON: ${(error as Error).message}`, 'Enter an object such as {"name": "Contoso", "parentaccountid@odata.bind": "/accounts(<id>)"}; nothing was sent.');
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new InputValueError(field, 'must be a JSON object of column names and values', 'Enter an object such as {"name": "Contoso"}; nothing was sent.');
	}
	for (const key of Object.keys(value)) {
		if (!JSON_KEY.test(key)) throw new InputValueError(field, `has "${key}", which is not a column name (letters, digits, underscores; lookups as name@odata.bind)`, 'Use the columns\' logical names; nothing was sent.');
	}
	return value as IDataObject;
}

function numberOf(value: unknown, column: ColumnInfo, integer: boolean): number {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) {
		throw new InputValueError(`Column ${column.logicalName}`, `expects ${integer ? 'a whole number' : 'a number'}, got ${JSON.stringify(value)}`, 'Map a number to this column; nothing was sent.');
	}
	return number;
}

function choiceOf(value: unknown, column: ColumnInfo): number {
	const options = column.options ?? [];
	if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value.trim()))) {
		const number = Number(value);
		if (!options.length || options.some((option) => option.value === number)) return number;
	} else if (typeof value === 'string') {
		const wanted = value.trim().toLowerCase();
		const found = options.find((option) => option.label.toLowerCase() === wanted);
		if (found) return Number(found.value);
	}
	const known = options.map((option) => `${option.label} (${String(option.value)})`).join(', ');
	throw new InputValueError(`Column ${column.logicalName}`, `has no choice ${JSON.stringify(value)}`, `Use one of: ${known || 'the choice values of this column'}; nothing was sent.`);
}

function booleanOf(value: unknown, column: ColumnInfo): boolean {
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (['true', '1', 'yes'].includes(text)) return true;
	if (['false', '0', 'no'].includes(text)) return false;
	const found = column.options?.find((option) => option.label.toLowerCase() === text);
	if (found && typeof found.value === 'boolean') return found.value;
	throw new InputValueError(`Column ${column.logicalName}`, `expects yes / no (true / false), got ${JSON.stringify(value)}`, 'Map a boolean to this column; nothing was sent.');
}

/** A lookup value (`<guid>`, `accounts(<guid>)`, `account:<guid>`) → its `nav@odata.bind` entry. */
function lookupOf(value: unknown, column: ColumnInfo): [string, string] {
	const text = String(value).trim().replace(/^\//, '');
	const targets = column.targets ?? [];
	const match = /^(?:([A-Za-z_][A-Za-z0-9_]*)(?:\(|:))?\{?([0-9a-f-]{36})\}?\)?$/i.exec(text);
	const id = match?.[2];
	if (!match || !id || !GUID.test(id)) {
		throw new InputValueError(`Column ${column.logicalName}`, `is a lookup and needs a row ID, got ${JSON.stringify(value)}`, `Map the ID of the ${targets.map((target) => target.table).join(' or ') || 'related'} row (a GUID), or "<table>(<id>)" when the lookup can point to several tables; nothing was sent.`);
	}
	const named = match[1]?.toLowerCase();
	const target = named ? targets.find((entry) => entry.table.toLowerCase() === named || entry.entitySet?.toLowerCase() === named) : targets.length === 1 ? targets[0] : undefined;
	if (!target || !target.entitySet) {
		throw new InputValueError(`Column ${column.logicalName}`, named ? `cannot point to "${named}"` : 'can point to several tables', `Write the value as "<table>(<id>)" with one of: ${targets.map((entry) => entry.entitySet ?? entry.table).join(', ')}; nothing was sent.`);
	}
	return [`${target.navigationProperty}@odata.bind`, `/${target.entitySet}(${id.toLowerCase()})`];
}

/** One mapped value → the body entries Dataverse expects for the column. */
export function convertColumn(column: ColumnInfo, value: unknown): Array<[string, unknown]> {
	if (value === null) return [[column.logicalName, null]];
	switch (column.type) {
		case 'Integer':
		case 'BigInt':
			return [[column.logicalName, numberOf(value, column, true)]];
		case 'Decimal':
		case 'Double':
		case 'Money':
			return [[column.logicalName, numberOf(value, column, false)]];
		case 'Boolean':
			return [[column.logicalName, booleanOf(value, column)]];
		case 'Picklist':
		case 'State':
		case 'Status':
			return [[column.logicalName, choiceOf(value, column)]];
		case 'Lookup':
		case 'Customer':
		case 'Owner':
			return [lookupOf(value, column)];
		case 'DateTime': {
			const text = value instanceof Date ? value.toISOString() : String(value).trim();
			if (Number.isNaN(Date.parse(text))) throw new InputValueError(`Column ${column.logicalName}`, `expects a date and time, got ${JSON.stringify(value)}`, 'Map an ISO 8601 date such as 2026-01-31 or 2026-01-31T09:00:00Z; nothing was sent.');
			return [[column.logicalName, text]];
		}
		default:
			if (column.typeName === 'MultiSelectPicklistType') {
				const list = Array.isArray(value) ? value : String(value).split(',').map((part) => part.trim()).filter(Boolean);
				return [[column.logicalName, list.map((entry) => choiceOf(entry, column)).join(',')]];
			}
			return [[column.logicalName, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value)]];
	}
}

/** Mapped values (column → value) → the JSON body of a write, checked against the table's columns. */
export function bodyFromMapped(values: IDataObject, details: TableDetails, kind: WriteKind): IDataObject {
	const body: IDataObject = {};
	const byName = new Map(details.columns.map((column) => [column.logicalName.toLowerCase(), column]));
	for (const [name, value] of Object.entries(values)) {
		if (value === undefined || value === '') continue;
		const column = byName.get(name.toLowerCase());
		if (!column) {
			throw new InputValueError(`Column ${name}`, `is not a column of table ${details.logicalName}`, 'Refresh the column list (the table may have changed) or remove the column; nothing was sent.');
		}
		if (!isMappable(column, kind)) {
			throw new InputValueError(`Column ${name}`, `cannot be set on ${kind === 'create' ? 'create' : 'update'} (it is read-only or computed)`, 'Remove the column from the mapping; nothing was sent.');
		}
		for (const [key, converted] of convertColumn(column, value)) body[key] = converted as IDataObject[string];
	}
	return body;
}

/**
 * The body of one item's write: the resource mapper's values (or, with "map automatically", the input item's fields
 * that are columns) converted with the table's metadata, or the raw JSON.
 */
export async function readColumns(
	this: IExecuteFunctions,
	itemIndex: number,
	conn: MicrosoftConnection,
	entitySet: string,
	kind: WriteKind,
): Promise<IDataObject> {
	const mode = this.getNodeParameter('columnsMode', itemIndex, 'mapper') as ColumnsMode;
	if (mode === 'json') return parseColumnsJson(this.getNodeParameter('columnsJson', itemIndex, '{}'));
	const mapper = this.getNodeParameter('columns', itemIndex, {}) as Partial<ResourceMapperValue>;
	const details = await tableDetails(this, conn, entitySet, itemIndex);
	let values: IDataObject;
	if (mapper.mappingMode === 'autoMapInputData') {
		const input = this.getInputData()[itemIndex]?.json ?? {};
		const names = new Set(details.columns.filter((column) => isMappable(column, kind)).map((column) => column.logicalName));
		values = Object.fromEntries(Object.entries(input).filter(([key]) => names.has(key)));
	} else {
		values = (mapper.value ?? {}) as IDataObject;
	}
	if (kind === 'create') {
		const missing = details.columns.filter((column) => column.required && !column.isPrimaryId && isMappable(column, 'create') && column.type !== 'Owner' && (values[column.logicalName] === undefined || values[column.logicalName] === ''));
		if (missing.length) {
			throw new InputValueError(`Column ${missing[0].logicalName}`, 'is required by the table and has no value', `Map a value to ${missing.map((column) => column.logicalName).join(', ')}; nothing was sent.`);
		}
	}
	return bodyFromMapped(values, details, kind);
}
