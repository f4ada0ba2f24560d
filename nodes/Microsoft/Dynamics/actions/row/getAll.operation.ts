import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MAX_PAGE_SIZE, odataPages } from '../../../shared/paging';
import { cleanRow, entitySetUrl, FORMATTED_VALUES } from '../../helpers/dataverse';
import { fetchXmlPages } from '../../helpers/fetchXml';
import { readTable, tableLocator } from '../../descriptions/fields';
import { DATAVERSE_ADVICE, readLimit, returnAllProperties, showFor, type DynamicsOperation } from '../common';
import { conditionFields, queryOptionsProperty, readFilter, readQueryOptions } from './query';
import { RESOURCE } from './write';

const OPERATION = 'getAll';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: OPERATION,
	action: 'Get many rows',
	description: 'List rows with conditions, an OData filter or a FetchXML query (every page)',
};

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	{
		displayName: 'Query With',
		name: 'queryMode',
		type: 'options',
		options: [
			{ name: 'Conditions / OData', value: 'odata', description: 'Columns, conditions, a raw $filter, order and expand' },
			{ name: 'FetchXML', value: 'fetchXml', description: 'A FetchXML query (joins, aggregates); every page is read through its paging cookie' },
		],
		default: 'odata',
		displayOptions: showFor(RESOURCE, OPERATION),
	},
	...conditionFields(OPERATION),
	{
		displayName: 'FetchXML',
		name: 'fetchXml',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '<fetch>\n  <entity name="account">\n    <attribute name="name" />\n  </entity>\n</fetch>',
		description: 'The query; its entity must be the chosen table. Paging attributes are set by the node.',
		displayOptions: showFor(RESOURCE, OPERATION, { queryMode: ['fetchXml'] }),
	},
	...returnAllProperties(RESOURCE, OPERATION),
	queryOptionsProperty(OPERATION, true),
	{
		displayName: 'Options',
		name: 'fetchOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, OPERATION, { queryMode: ['fetchXml'] }),
		options: [{ displayName: 'Include Formatted Values', name: 'formattedValues', type: 'boolean', default: false, description: 'Whether to add choice labels, lookup names and formatted numbers next to the raw values' }],
	},
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const table = readTable.call(this, itemIndex);
	const url = entitySetUrl(run.base, table);
	const limit = readLimit.call(this, itemIndex);
	const rows: IDataObject[] = [];
	if (this.getNodeParameter('queryMode', itemIndex, 'odata') === 'fetchXml') {
		const fetchOptions = this.getNodeParameter('fetchOptions', itemIndex, {}) as IDataObject;
		const fetchXml = String(this.getNodeParameter('fetchXml', itemIndex, ''));
		for await (const page of fetchXmlPages(this, run.conn, url, fetchXml, { limit, itemIndex, formattedValues: fetchOptions.formattedValues === true })) {
			rows.push(...page.map(cleanRow));
		}
		return rows;
	}
	const query = readQueryOptions.call(this, itemIndex);
	const filter = readFilter.call(this, itemIndex);
	for await (const page of odataPages(this, run.conn, url, {
		qs: { $select: query.select, $filter: filter, $orderby: query.orderBy, $expand: query.expand },
		headers: query.formattedValues ? { Prefer: FORMATTED_VALUES } : undefined,
		pageSize: MAX_PAGE_SIZE.dataverse,
		limit,
		itemIndex,
		operation: `list rows of ${table}`,
		advice: DATAVERSE_ADVICE,
	})) {
		rows.push(...page.map(cleanRow));
	}
	return rows;
};
