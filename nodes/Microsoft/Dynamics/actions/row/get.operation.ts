import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import { cleanRow, FORMATTED_VALUES, rowUrl } from '../../helpers/dataverse';
import { readRowKey, readTable, rowAddressFields, tableLocator } from '../../descriptions/fields';
import { DATAVERSE_ADVICE, showFor, type DynamicsOperation } from '../common';
import { downloadFileColumn } from '../../helpers/files';
import { readQueryOptions, queryOptionsProperty } from './query';
import { RESOURCE } from './write';

const OPERATION = 'get';

export const option: INodePropertyOptions = { name: 'Get', value: OPERATION, action: 'Get a row', description: 'Get a row by its ID or an alternate key' };

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	...rowAddressFields(showFor(RESOURCE, OPERATION), true),
	queryOptionsProperty(OPERATION, false),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const table = readTable.call(this, itemIndex);
	const url = rowUrl(run.base, table, readRowKey.call(this, itemIndex));
	const query = readQueryOptions.call(this, itemIndex);
	const response = await odataRequest<IDataObject>(this, run.conn, {
		url,
		qs: { $select: query.select, $expand: query.expand },
		headers: query.formattedValues ? { Prefer: FORMATTED_VALUES } : {},
		itemIndex,
		operation: `get a row of ${table}`,
		advice: DATAVERSE_ADVICE,
	});
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const column = String(options.downloadFile ?? '').trim();
	if (!column) return cleanRow(response.body);
	const binary = await downloadFileColumn.call(this, itemIndex, run, url, column);
	return { json: cleanRow(response.body), binary: { [String(options.binaryProperty || 'data')]: binary } };
};
