/** Fields of the Business Central operations: environment, API (standard v2.0 or a custom API page), company, entity set, record. */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { resourceLocator } from '../../../shared/node/rlc';

export const RESOURCE = 'businessCentralEntity';

export function show(operation: string, extra: Record<string, unknown[]> = {}): IDisplayOptions {
	return { show: { api: ['businessCentral'], resource: [RESOURCE], operation: [operation], ...extra } } as IDisplayOptions;
}

/** Environment, API, Company and Entity Set: what every operation addresses. */
export function targetFields(operation: string): INodeProperties[] {
	return [
		resourceLocator({
			name: 'bcEnvironment',
			displayName: 'Environment',
			description: 'The Business Central environment, e.g. Production',
			displayOptions: show(operation),
			list: { searchListMethod: 'searchBusinessCentralEnvironments', placeholder: 'Select an environment...' },
			id: { displayName: 'By Name', placeholder: 'e.g. Production' },
		}),
		{
			displayName: 'API',
			name: 'bcApi',
			type: 'options',
			options: [
				{ name: 'Standard API v2.0', value: 'standard' },
				{ name: 'Custom API Page', value: 'custom', description: 'An API page of an extension: api/{publisher}/{group}/{version}' },
			],
			default: 'standard',
			displayOptions: show(operation),
		},
		{ displayName: 'API Publisher', name: 'bcPublisher', type: 'string', default: '', placeholder: 'e.g. contoso', displayOptions: show(operation, { bcApi: ['custom'] }) },
		{ displayName: 'API Group', name: 'bcGroup', type: 'string', default: '', placeholder: 'e.g. sales', displayOptions: show(operation, { bcApi: ['custom'] }) },
		{ displayName: 'API Version', name: 'bcVersion', type: 'string', default: 'v1.0', displayOptions: show(operation, { bcApi: ['custom'] }) },
		resourceLocator({
			name: 'bcCompany',
			displayName: 'Company',
			description: 'The company (its ID, or its name)',
			displayOptions: show(operation),
			list: { searchListMethod: 'searchBusinessCentralCompanies', placeholder: 'Select a company...' },
			id: { displayName: 'By ID or Name', placeholder: 'e.g. CRONUS USA, Inc.' },
			dependsOn: ['bcEnvironment.value'],
		}),
		resourceLocator({
			name: 'bcEntitySet',
			displayName: 'Entity Set',
			description: 'The entity set, e.g. customers, salesInvoices (case-sensitive)',
			displayOptions: show(operation),
			list: { searchListMethod: 'searchBusinessCentralEntitySets', placeholder: 'Select an entity set...' },
			id: { displayName: 'By Name', placeholder: 'e.g. customers', regex: '^[A-Za-z_][A-Za-z0-9_]*$', errorMessage: '"Entity Set" must be a name: letters, digits and underscores only' },
			dependsOn: ['bcEnvironment.value', 'bcApi', 'bcPublisher', 'bcGroup', 'bcVersion'],
		}),
	];
}

/** For line sets (salesInvoiceLines, purchaseInvoiceLines, …): the document the lines belong to; shown for a set named …Lines or given by an expression. */
export function parentIdField(operation: string): INodeProperties {
	return {
		displayName: 'Parent Document ID',
		name: 'bcParentId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
		description: 'Lines live under their document: the ID (GUID) of the sales invoice, sales order, purchase invoice, journal, … whose lines these are',
		displayOptions: show(operation, { bcEntitySet: [{ _cnd: { endsWith: 'Lines' } }, { _cnd: { startsWith: '=' } }] }),
	};
}

export function recordIdField(operation: string): INodeProperties {
	return { displayName: 'Record ID', name: 'bcRecordId', type: 'string', default: '', required: true, placeholder: 'e.g. 00000000-0000-0000-0000-000000000000', description: 'The record\'s ID (GUID)', displayOptions: show(operation) };
}

export function etagField(operation: string): INodeProperties {
	return {
		displayName: 'ETag',
		name: 'bcEtag',
		type: 'string',
		default: '',
		description: "The record's @odata.etag from an earlier read: refused if the record changed since. Empty: the node reads the current ETag and sends it as If-Match.",
		displayOptions: show(operation),
	};
}

export function recordJsonField(operation: string, description: string): INodeProperties {
	return { displayName: 'Fields (JSON)', name: 'bcFields', type: 'json', default: '{\n}', required: true, description, displayOptions: show(operation) };
}

export function readRecord(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter('bcFields', itemIndex, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw || '{}');
		} catch {
			throw new InputValueError('Fields (JSON)', 'is not valid JSON', 'Enter a JSON object of field names and values; nothing was sent.');
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) throw new InputValueError('Fields (JSON)', 'is not a JSON object', 'Enter an object such as { "displayName": "Adatum" }; nothing was sent.');
	return value as IDataObject;
}
