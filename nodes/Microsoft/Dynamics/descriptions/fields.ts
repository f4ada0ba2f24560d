/** Fields several Dynamics operations share: the API choice, the table picker, row addressing, columns and bulk mode. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputValueError } from '../../shared/input';
import { locatorValue } from '../../shared/node/parameters';
import { resourceLocator } from '../../shared/node/rlc';
import { schemaName, type RowKeyInput } from '../helpers/dataverse';

/** The API the node talks to. Finance & Operations and Business Central join as their resources are built. */
export const apiProperty: INodeProperties = {
	displayName: 'API',
	name: 'api',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Dataverse (Sales, Customer Service, Power Apps)', value: 'dataverse', description: 'Tables of a Dataverse environment through its Web API' },
		{ name: 'Finance & Operations', value: 'financeOperations', description: 'Data entities of a Finance & Operations environment through its OData endpoint (/data)' },
		{ name: 'Business Central', value: 'businessCentral', description: 'Entities of a Business Central environment through its API v2.0 or custom API pages' },
	],
	default: 'dataverse',
	description: 'Which Dynamics 365 API to use; the credential names the environment',
};

export function tableLocator(displayOptions: IDisplayOptions, name = 'table'): INodeProperties {
	return resourceLocator({
		name,
		displayName: 'Table',
		description: 'The Dataverse table: pick it (search by display or logical name) or enter its entity set name (the plural Web API name, e.g. accounts)',
		displayOptions,
		list: { searchListMethod: 'searchTables', placeholder: 'Select a table...' },
		id: { displayName: 'By Name', placeholder: 'e.g. accounts', regex: '^[A-Za-z_][A-Za-z0-9_]*$', errorMessage: '"Table" must be an entity set name: letters, digits and underscores only' },
	});
}

/** The entity set name of the Table field. */
export function readTable(this: IExecuteFunctions, itemIndex: number, name = 'table'): string {
	return schemaName(locatorValue(this, name, itemIndex), 'Table');
}

/** How a row is addressed: by its ID, or (where the operation allows) by an alternate key. */
export function rowAddressFields(displayOptions: IDisplayOptions, withKey: boolean): INodeProperties[] {
	const show = displayOptions.show ?? {};
	const fields: INodeProperties[] = [];
	if (withKey) {
		fields.push({
			displayName: 'Find Row By',
			name: 'addressBy',
			type: 'options',
			options: [
				{ name: 'Row ID', value: 'id' },
				{ name: 'Alternate Key', value: 'key', description: "Columns of one of the table's alternate keys, e.g. accountnumber" },
			],
			default: 'id',
			displayOptions,
		});
	}
	fields.push({
		displayName: 'Row ID',
		name: 'rowId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
		description: 'The ID (GUID) of the row',
		displayOptions: withKey ? { show: { ...show, addressBy: ['id'] } } : displayOptions,
	});
	if (withKey) {
		fields.push({
			displayName: 'Alternate Key',
			name: 'alternateKey',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Key Column',
			default: {},
			description: "The columns of one of the table's alternate keys and their values",
			displayOptions: { show: { ...show, addressBy: ['key'] } },
			options: [
				{
					name: 'columns',
					displayName: 'Key Column',
					values: [
						{ displayName: 'Column', name: 'column', type: 'string', default: '', placeholder: 'e.g. accountnumber' },
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		});
	}
	return fields;
}

/** The row's key: its ID, or the alternate key's columns and values. */
export function readRowKey(this: IExecuteFunctions, itemIndex: number): RowKeyInput {
	const by = this.getNodeParameter('addressBy', itemIndex, 'id') as string;
	if (by !== 'key') return String(this.getNodeParameter('rowId', itemIndex, '') ?? '');
	const entries = ((this.getNodeParameter('alternateKey.columns', itemIndex, []) as Array<{ column?: string; value?: unknown }>) ?? []).map(
		({ column, value }) => [schemaName(String(column ?? ''), 'Alternate Key Column'), value] as const,
	);
	if (!entries.length) throw new InputValueError('Alternate Key', 'has no columns', "Add the key's columns and values; nothing was sent.");
	return Object.fromEntries(entries);
}

/** Columns of a write: the resource mapper (from the table's metadata) or raw JSON. */
export function columnsFields(displayOptions: IDisplayOptions): INodeProperties[] {
	const show = displayOptions.show ?? {};
	return [
		{
			displayName: 'Columns From',
			name: 'columnsMode',
			type: 'options',
			options: [
				{ name: 'Column Mapping', value: 'mapper', description: "Map values to the table's columns (types, choices and lookups from its metadata)" },
				{ name: 'JSON', value: 'json', description: 'The row as Dataverse JSON, lookups as "nav@odata.bind"' },
			],
			default: 'mapper',
			displayOptions,
		},
		{
			displayName: 'Columns',
			name: 'columns',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			required: true,
			typeOptions: {
				loadOptionsDependsOn: ['table.value', 'operation'],
				resourceMapper: {
					resourceMapperMethod: 'getColumns',
					mode: 'add',
					fieldWords: { singular: 'column', plural: 'columns' },
					addAllFields: false,
					multiKeyMatch: false,
					supportAutoMap: true,
				},
			},
			displayOptions: { show: { ...show, columnsMode: ['mapper'] } },
		},
		{
			displayName: 'Columns (JSON)',
			name: 'columnsJson',
			type: 'json',
			default: '{\n  "name": ""\n}',
			description: 'Column logical names and values; lookups as "parentcustomerid_account@odata.bind": "/accounts(&lt;ID&gt;)"',
			displayOptions: { show: { ...show, columnsMode: ['json'] } },
		},
	];
}

/** How the bulk fields speak of one API's writes: what a written thing is called and how many go in one request. */
export interface BulkWording {
	/** "row" (Dataverse) or "record" (Finance & Operations). */
	noun: string;
	defaultBatchSize: number;
	/** Appended to the Bulk Mode description, e.g. " (up to 1,000 rows a request)". */
	modeNote: string;
	batchSizeNote: string;
}

const DATAVERSE_BULK: BulkWording = {
	noun: 'row',
	defaultBatchSize: 1000,
	modeNote: ' (up to 1,000 rows a request)',
	batchSizeNote: 'Dataverse allows up to 1,000',
};

/** Bulk mode: every input item in multipart $batch requests (Dataverse by default). */
export function bulkFields(displayOptions: IDisplayOptions, wording: BulkWording = DATAVERSE_BULK): INodeProperties[] {
	const show = displayOptions.show ?? {};
	const { noun } = wording;
	const Noun = noun[0].toUpperCase() + noun.slice(1);
	const errorOptions = [
		{ name: `Continue With the Other ${Noun}s`, value: 'continue', description: `Every ${noun} is written on its own; a failed ${noun} gets its error, the others are written` },
		{ name: 'Atomic Batches', value: 'atomic', description: 'Each batch is one change set: it is written whole or not at all; no batch is sent after a failed one' },
	];
	return [
		{
			displayName: 'Bulk Mode',
			name: 'bulk',
			type: 'boolean',
			default: false,
			description: `Whether to send all input items together in $batch requests${wording.modeNote} instead of one request per item`,
			displayOptions,
		},
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: wording.defaultBatchSize,
			description: `${Noun}s per $batch request (${wording.batchSizeNote})`,
			displayOptions: { show: { ...show, bulk: [true] } },
		},
		{
			displayName: 'On Error',
			name: 'bulkErrors',
			type: 'options',
			options: errorOptions,
			default: 'continue',
			displayOptions: { show: { ...show, bulk: [true] } },
		},
	];
}
