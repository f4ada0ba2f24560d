/** Fields of the Finance & Operations entity operations: the entity picker, Company, cross-company, key fields, the record. */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, ResourceMapperValue } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { locatorValue, readText } from '../../../shared/node/parameters';
import { resourceLocator } from '../../../shared/node/rlc';
import { bulkFields as dynamicsBulkFields } from '../../descriptions/fields';

export const RESOURCE = 'financeOperationsEntity';

export function show(operation: string, extra: Record<string, unknown[]> = {}): IDisplayOptions {
	return { show: { api: ['financeOperations'], resource: [RESOURCE], operation: [operation], ...extra } } as IDisplayOptions;
}

export function entityField(operation: string): INodeProperties {
	return resourceLocator({
		name: 'foEntity',
		displayName: 'Entity',
		description: 'The data entity: pick it or enter its public collection name (case-sensitive, e.g. CustomersV3)',
		displayOptions: show(operation),
		list: { searchListMethod: 'searchFinanceOperationsEntities', placeholder: 'Select an entity...' },
		id: { displayName: 'By Name', placeholder: 'e.g. CustomersV3', regex: '^[A-Za-z_][A-Za-z0-9_]*$', errorMessage: '"Entity" must be an entity set name: letters, digits and underscores only' },
	});
}

export function companyField(operation: string, description: string): INodeProperties {
	return { displayName: 'Company', name: 'foCompany', type: 'string', default: '', placeholder: 'e.g. usmf', description, displayOptions: show(operation) };
}

export function crossCompanyField(operation: string): INodeProperties {
	return {
		displayName: 'Cross-Company',
		name: 'foCrossCompany',
		type: 'boolean',
		default: false,
		description: 'Whether to read the rows of every company (cross-company=true) instead of only your default company',
		displayOptions: show(operation),
	};
}

export function keyFieldsField(operation: string): INodeProperties {
	return {
		displayName: 'Key Fields',
		name: 'foKeyFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Key Field',
		default: {},
		description: "The entity's key fields (other than dataAreaId, which is the Company) and their values, e.g. CustomerAccount = US-001; the node reads which fields form the key from $metadata",
		displayOptions: show(operation),
		options: [
			{
				name: 'fields',
				displayName: 'Key Field',
				values: [
					{ displayName: 'Field', name: 'name', type: 'string', default: '', placeholder: 'e.g. CustomerAccount' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

export function recordJsonField(operation: string, description: string): INodeProperties {
	return { displayName: 'Fields (JSON)', name: 'foFields', type: 'json', default: '{\n}', required: true, description, displayOptions: show(operation, { foFieldsMode: ['json'] }) };
}

/** How the record is given: JSON (the default, as before) or mapped field by field (enum fields offer their values). */
export function recordFields(operation: string, jsonDescription: string): INodeProperties[] {
	return [
		{
			displayName: 'Fields From',
			name: 'foFieldsMode',
			type: 'options',
			options: [
				{ name: 'JSON', value: 'json', description: 'The record as JSON, enum values by name' },
				{ name: 'Field Mapping', value: 'mapper', description: "Map values to the entity's fields (types from $metadata; enum fields offer their values)" },
			],
			default: 'json',
			displayOptions: show(operation),
		},
		recordJsonField(operation, jsonDescription),
		{
			displayName: 'Fields',
			name: 'foColumns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['foEntity.value', 'operation'],
				resourceMapper: {
					resourceMapperMethod: 'getFinanceOperationsFields',
					mode: 'add',
					fieldWords: { singular: 'field', plural: 'fields' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: true,
				},
			},
			displayOptions: show(operation, { foFieldsMode: ['mapper'] }),
		},
	];
}

/** Bulk mode, as the Dataverse row writes offer it: every input item in multipart $batch requests. */
export function bulkFields(operation: string, defaultBatchSize: number): INodeProperties[] {
	return dynamicsBulkFields(show(operation), {
		noun: 'record',
		defaultBatchSize,
		modeNote: '',
		batchSizeNote: `Finance & Operations documents no limit; ${defaultBatchSize} keeps each request, and with Atomic Batches each transaction, short`,
	});
}

export function readEntityName(this: IExecuteFunctions, itemIndex: number): string {
	return locatorValue(this, 'foEntity', itemIndex);
}

export function readCompany(this: IExecuteFunctions, itemIndex: number): string {
	return readText(this, 'foCompany', 'Company', itemIndex).trim();
}

/** The Key Fields as name → value (dataAreaId from the Company). */
export function readKeyValues(this: IExecuteFunctions, itemIndex: number, company: string): Record<string, unknown> {
	const rows = (this.getNodeParameter('foKeyFields.fields', itemIndex, []) as Array<{ name?: string; value?: unknown }>) ?? [];
	const values: Record<string, unknown> = {};
	for (const { name, value } of rows) {
		const key = String(name ?? '').trim();
		if (!key) throw new InputValueError('Key Fields', 'has a row without a field name', 'Enter the key field\'s name (e.g. CustomerAccount); nothing was sent.');
		values[key] = value;
	}
	if (company) values.dataAreaId = company;
	return values;
}

/** The field name errors about the record use: "Fields (JSON)" or, mapped, "Fields". */
export function recordFieldName(this: IExecuteFunctions, itemIndex: number): string {
	return this.getNodeParameter('foFieldsMode', itemIndex, 'json') === 'mapper' ? 'Fields' : 'Fields (JSON)';
}

/** The record to write: the mapped fields (or, mapped automatically, the input item's fields the entity has), or JSON. */
export function readRecord(this: IExecuteFunctions, itemIndex: number, fieldNames?: Set<string>): IDataObject {
	if (this.getNodeParameter('foFieldsMode', itemIndex, 'json') === 'mapper') {
		const mapper = this.getNodeParameter('foColumns', itemIndex, {}) as Partial<ResourceMapperValue>;
		if (mapper.mappingMode === 'autoMapInputData') {
			const input = this.getInputData()[itemIndex]?.json ?? {};
			return Object.fromEntries(Object.entries(input).filter(([name]) => !fieldNames || fieldNames.has(name)));
		}
		return Object.fromEntries(Object.entries((mapper.value ?? {}) as IDataObject).filter(([, value]) => value !== undefined && value !== null && value !== ''));
	}
	const raw = this.getNodeParameter('foFields', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw || '{}');
		} catch {
			throw new InputValueError('Fields (JSON)', 'is not valid JSON', 'Enter a JSON object of field names and values; nothing was sent.');
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputValueError('Fields (JSON)', 'is not a JSON object', 'Enter an object such as { "CustomerAccount": "US-100" }; nothing was sent.');
	return value as IDataObject;
}
