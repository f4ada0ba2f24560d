/** Query options of row reads (get, get many): columns, expand, order, formatted values; friendly conditions → $filter. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { assertWellFormedText, InputValueError } from '../../../shared/input';
import { odataString } from '../../../shared/odata';
import { GUID, schemaName } from '../../helpers/dataverse';
import { showFor } from '../common';
import { RESOURCE } from './write';

export interface QueryOptions {
	select?: string;
	expand?: string;
	orderBy?: string;
	formattedValues: boolean;
}

export function queryOptionsProperty(operation: string, forList: boolean): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, operation, forList ? { queryMode: ['odata'] } : {}),
		options: [
			{ displayName: 'Columns', name: 'select', type: 'string', default: '', placeholder: 'e.g. name,accountnumber', description: 'Comma-separated columns to return (all when empty; fewer columns are faster)' },
			{ displayName: 'Expand', name: 'expand', type: 'string', default: '', placeholder: 'e.g. primarycontactid($select=fullname)', description: 'Related rows to include ($expand)' },
			{ displayName: 'Include Formatted Values', name: 'formattedValues', type: 'boolean', default: false, description: 'Whether to add choice labels, lookup names and formatted numbers next to the raw values' },
			...(forList
				? []
				: [
						{ displayName: 'Download File Column', name: 'downloadFile', type: 'string' as const, default: '', placeholder: 'e.g. cr0a1_document', description: 'A file or image column whose file becomes the output binary' },
						{ displayName: 'Put Output File in Field', name: 'binaryProperty', type: 'string' as const, default: 'data', description: 'The binary field for the downloaded file' },
					]),
			...(forList
				? [{ displayName: 'Order By', name: 'orderBy', type: 'string' as const, default: '', placeholder: 'e.g. name asc,createdon desc', description: 'Columns to sort by, each optionally followed by asc or desc' }]
				: []),
		],
	};
}

function columnList(value: unknown, field: string): string | undefined {
	const text = String(value ?? '').trim();
	if (!text) return undefined;
	return text.split(',').map((name) => schemaName(name, field)).join(',');
}

export function readQueryOptions(this: IExecuteFunctions, itemIndex: number): QueryOptions {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const orderText = String(options.orderBy ?? '').trim();
	let orderBy: string | undefined;
	if (orderText) {
		orderBy = orderText
			.split(',')
			.map((part) => {
				const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
				if (!match) throw new InputValueError('Order By', `"${part.trim()}" is not a column followed by asc or desc`, 'Write e.g. name asc,createdon desc; nothing was sent.');
				return match[2] ? `${match[1]} ${match[2].toLowerCase()}` : match[1];
			})
			.join(',');
	}
	const expand = String(options.expand ?? '').trim();
	return {
		select: columnList(options.select, 'Columns'),
		expand: expand ? assertWellFormedText(expand, 'Expand') : undefined,
		orderBy,
		formattedValues: options.formattedValues === true,
	};
}

const OPERATORS: Record<string, (column: string, literal: string) => string> = {
	eq: (c, v) => `${c} eq ${v}`,
	ne: (c, v) => `${c} ne ${v}`,
	gt: (c, v) => `${c} gt ${v}`,
	ge: (c, v) => `${c} ge ${v}`,
	lt: (c, v) => `${c} lt ${v}`,
	le: (c, v) => `${c} le ${v}`,
	contains: (c, v) => `contains(${c},${v})`,
	startswith: (c, v) => `startswith(${c},${v})`,
	endswith: (c, v) => `endswith(${c},${v})`,
	null: (c) => `${c} eq null`,
	notnull: (c) => `${c} ne null`,
};

/** One condition's value as an OData literal of its type: text is quoted and escaped, the rest checked. */
export function literalOf(value: unknown, type: string, column: string): string {
	const text = String(value ?? '').trim();
	const field = `Condition on ${column}`;
	switch (type) {
		case 'number':
			if (!/^-?\d+(\.\d+)?$/.test(text)) throw new InputValueError(field, `expects a number, got ${JSON.stringify(value)}`, 'Enter a number or change the value type; nothing was sent.');
			return text;
		case 'boolean':
			if (!/^(true|false)$/i.test(text)) throw new InputValueError(field, `expects true or false, got ${JSON.stringify(value)}`, 'Enter true or false; nothing was sent.');
			return text.toLowerCase();
		case 'guid':
			if (!GUID.test(text)) throw new InputValueError(field, `expects an ID (GUID), got ${JSON.stringify(value)}`, 'Enter a row ID; nothing was sent.');
			return text.toLowerCase();
		case 'date':
			if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text) || Number.isNaN(Date.parse(text))) {
				throw new InputValueError(field, `expects a date such as 2026-01-31 or 2026-01-31T09:00:00Z, got ${JSON.stringify(value)}`, 'Enter an ISO 8601 date; nothing was sent.');
			}
			return text;
		default:
			return odataString(assertWellFormedText(String(value ?? ''), field));
	}
}

/** The friendly conditions as one $filter (values quoted, never injected), joined with the raw filter by `and`. */
export function readFilter(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const conditions = (this.getNodeParameter('conditions.condition', itemIndex, []) as IDataObject[]) ?? [];
	const combine = this.getNodeParameter('combineConditions', itemIndex, 'and') === 'or' ? ' or ' : ' and ';
	const parts = conditions.map((condition) => {
		const column = schemaName(String(condition.column ?? ''), 'Condition Column');
		const operator = String(condition.operator ?? 'eq');
		const build = OPERATORS[operator];
		if (!build) throw new InputValueError('Condition Operator', `"${operator}" is not an operator`, 'Pick one from the list.');
		return build(column, operator === 'null' || operator === 'notnull' ? '' : literalOf(condition.value, String(condition.valueType ?? 'text'), column));
	});
	const friendly = parts.length > 1 ? `(${parts.join(combine)})` : parts[0];
	const raw = String(this.getNodeParameter('filter', itemIndex, '') ?? '').trim();
	const filters = [friendly, raw ? `(${assertWellFormedText(raw, 'Filter (OData)')})` : undefined].filter(Boolean);
	return filters.length ? filters.join(' and ') : undefined;
}

export function conditionFields(operation: string): INodeProperties[] {
	const show = showFor(RESOURCE, operation, { queryMode: ['odata'] });
	return [
		{
			displayName: 'Conditions',
			name: 'conditions',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Condition',
			default: {},
			description: 'Rows must match these (values are quoted for you)',
			displayOptions: show,
			options: [
				{
					name: 'condition',
					displayName: 'Condition',
					values: [
						{ displayName: 'Column', name: 'column', type: 'string', default: '', placeholder: 'e.g. name' },
						{
							displayName: 'Operator',
							name: 'operator',
							type: 'options',
							default: 'eq',
							options: [
								{ name: 'Contains', value: 'contains' },
								{ name: 'Ends With', value: 'endswith' },
								{ name: 'Equals', value: 'eq' },
								{ name: 'Greater Than', value: 'gt' },
								{ name: 'Greater Than or Equal', value: 'ge' },
								{ name: 'Is Empty', value: 'null' },
								{ name: 'Is Not Empty', value: 'notnull' },
								{ name: 'Less Than', value: 'lt' },
								{ name: 'Less Than or Equal', value: 'le' },
								{ name: 'Not Equals', value: 'ne' },
								{ name: 'Starts With', value: 'startswith' },
							],
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						{
							displayName: 'Value Type',
							name: 'valueType',
							type: 'options',
							default: 'text',
							options: [
								{ name: 'Date', value: 'date' },
								{ name: 'ID (GUID, Also Lookups)', value: 'guid' },
								{ name: 'Number (Also Choices)', value: 'number' },
								{ name: 'Text', value: 'text' },
								{ name: 'Yes/No', value: 'boolean' },
							],
						},
					],
				},
			],
		},
		{
			displayName: 'Combine Conditions',
			name: 'combineConditions',
			type: 'options',
			options: [
				{ name: 'All Must Match (AND)', value: 'and' },
				{ name: 'Any Must Match (OR)', value: 'or' },
			],
			default: 'and',
			displayOptions: show,
		},
		{
			displayName: 'Filter (OData)',
			name: 'filter',
			type: 'string',
			default: '',
			placeholder: "e.g. revenue gt 100000 and statecode eq 0",
			description: 'A raw OData $filter, joined to the conditions with AND',
			displayOptions: show,
		},
	];
}
