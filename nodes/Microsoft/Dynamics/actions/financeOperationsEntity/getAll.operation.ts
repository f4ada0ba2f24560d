import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { odataString } from '../../../shared/odata';
import { odataGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, type DynamicsOperation } from '../common';
import { companyField, crossCompanyField, entityField, RESOURCE, show } from './fields';
import { findProperty, foEnumOf, foLiteral, type FoEntity, type FoMetadata } from './fo';
import { selectOf } from './get.operation';
import { FO_ADVICE, foTarget } from './record';

const OPERATION = 'getAll';

export const option: INodePropertyOptions = { name: 'Get Many', value: OPERATION, action: 'Get many Finance & Operations records', description: 'List the records of a data entity, filtered and ordered' };

const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'contains', 'startswith', 'endswith'] as const;

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'Only the records of this legal entity (dataAreaId); empty: your default company, or every company with Cross-Company'),
	crossCompanyField(OPERATION),
	{
		displayName: 'Filter',
		name: 'foFilterMode',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Conditions', value: 'conditions', description: 'Field, operator and value; values quoted by the field\'s type' },
			{ name: 'Raw Filter Expression', value: 'raw', description: 'A $filter expression as typed' },
		],
		default: 'none',
		displayOptions: show(OPERATION),
	},
	{
		displayName: 'Conditions',
		name: 'foConditions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Condition',
		default: {},
		displayOptions: show(OPERATION, { foFilterMode: ['conditions'] }),
		options: [
			{
				name: 'conditions',
				displayName: 'Condition',
				values: [
					{ displayName: 'Field', name: 'field', type: 'string', default: '', placeholder: 'e.g. OrganizationName' },
					{ displayName: 'Operator', name: 'operator', type: 'options', options: OPERATORS.map((value) => ({ name: value, value })), default: 'eq' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Combine Conditions',
		name: 'foCombine',
		type: 'options',
		options: [
			{ name: 'All (And)', value: 'and' },
			{ name: 'Any (Or)', value: 'or' },
		],
		default: 'and',
		displayOptions: show(OPERATION, { foFilterMode: ['conditions'] }),
	},
	{ displayName: 'Filter Expression', name: 'foFilter', type: 'string', default: '', placeholder: "e.g. OrganizationName eq 'Fabrikam'", description: "Enum values as Microsoft.Dynamics.DataEntities.NoYes'Yes'", displayOptions: show(OPERATION, { foFilterMode: ['raw'] }) },
	{ displayName: 'Select', name: 'foSelect', type: 'string', default: '', placeholder: 'e.g. CustomerAccount,OrganizationName', description: 'Fields to return, comma-separated (empty: all)', displayOptions: show(OPERATION) },
	{ displayName: 'Order By', name: 'foOrderBy', type: 'string', default: '', placeholder: 'e.g. CustomerAccount desc', description: 'Fields to sort by, comma-separated, each optionally followed by asc or desc', displayOptions: show(OPERATION) },
	...returnAllProperties(RESOURCE, OPERATION).map((property) => ({ ...property, displayOptions: { show: { ...property.displayOptions?.show, api: ['financeOperations'] } } })),
];

/** The conditions as one $filter: every field checked against the entity, every value typed from the metadata. */
export function conditionsFilter(metadata: FoMetadata, entity: FoEntity, conditions: Array<{ field?: string; operator?: string; value?: unknown }>, combine: string): string | undefined {
	const parts = conditions.map(({ field, operator, value }) => {
		const property = findProperty(entity, String(field ?? ''), 'Conditions');
		const op = String(operator ?? 'eq');
		if (!(OPERATORS as readonly string[]).includes(op)) throw new InputValueError('Conditions', `operator "${op}" is not supported`, `Use one of ${OPERATORS.join(', ')}; nothing was sent.`);
		if (op === 'contains' || op === 'startswith' || op === 'endswith') {
			if (foEnumOf(metadata, property)) throw new InputValueError(`Conditions: ${property.name}`, `is an enum: "${op}" does not apply`, 'Use eq or ne with one of its values; nothing was sent.');
			return `${op}(${property.name},${odataString(String(value ?? ''))})`;
		}
		return `${property.name} ${op} ${foLiteral(metadata, property, value, `Conditions: ${property.name}`)}`;
	});
	return parts.length ? parts.join(combine === 'or' ? ' or ' : ' and ') : undefined;
}

function orderByOf(entity: FoEntity, text: string): string | undefined {
	const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
	if (!parts.length) return undefined;
	return parts
		.map((part) => {
			const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(part);
			if (!match) throw new InputValueError('Order By', `"${part}" is not a field optionally followed by asc or desc`, 'E.g. CustomerAccount desc; nothing was sent.');
			findProperty(entity, match[1], 'Order By');
			return match[2] ? `${match[1]} ${match[2].toLowerCase()}` : match[1];
		})
		.join(',');
}

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await foTarget(this, run.conn, itemIndex);
	const mode = this.getNodeParameter('foFilterMode', itemIndex, 'none') as string;
	const filters: string[] = [];
	if (target.company) filters.push(`dataAreaId eq ${odataString(target.company)}`);
	if (mode === 'raw') {
		const raw = String(this.getNodeParameter('foFilter', itemIndex, '') ?? '').trim();
		if (raw) filters.push(`(${raw})`);
	} else if (mode === 'conditions') {
		const conditions = (this.getNodeParameter('foConditions.conditions', itemIndex, []) as Array<{ field?: string; operator?: string; value?: unknown }>) ?? [];
		const filter = conditionsFilter(target.metadata, target.entity, conditions, this.getNodeParameter('foCombine', itemIndex, 'and') as string);
		if (filter) filters.push(conditions.length > 1 ? `(${filter})` : filter);
	}
	const crossCompany = !!target.company || this.getNodeParameter('foCrossCompany', itemIndex, false) === true;
	const select = selectOf(target.entity, String(this.getNodeParameter('foSelect', itemIndex, '') ?? ''));
	const orderBy = orderByOf(target.entity, String(this.getNodeParameter('foOrderBy', itemIndex, '') ?? ''));
	const qs: IDataObject = {
		...(crossCompany ? { 'cross-company': 'true' } : {}),
		...(filters.length ? { $filter: filters.join(' and ') } : {}),
		...(select ? { $select: select } : {}),
		...(orderBy ? { $orderby: orderBy } : {}),
	};
	const limit = readLimit.call(this, itemIndex);
	return await odataGetAll(this, run.conn, target.setUrl, { qs, limit, pageSize: limit && limit < 1000 ? limit : undefined, operation: `list ${target.entity.set}`, advice: FO_ADVICE, itemIndex });
};
