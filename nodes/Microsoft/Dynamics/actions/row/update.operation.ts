import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertHeaderValue } from '../../../shared/input';
import { rowUrl } from '../../helpers/dataverse';
import { readColumns } from '../../helpers/columns';
import { bulkFields, columnsFields, readRowKey, readTable, rowAddressFields, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsOperation } from '../common';
import type { BulkRequest } from '../../helpers/bulk';
import { sendWrite } from '../../helpers/bulk';
import { assertNoFileInBulk, representation, RESOURCE, uploadAfterWrite, writeOptions, writtenRow } from './write';

const OPERATION = 'update';

export const option: INodePropertyOptions = { name: 'Update', value: OPERATION, action: 'Update a row', description: 'Update an existing row (never creates one)' };

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	...rowAddressFields(showFor(RESOURCE, OPERATION), true),
	...columnsFields(showFor(RESOURCE, OPERATION)),
	...bulkFields(showFor(RESOURCE, OPERATION)),
	writeOptions(OPERATION),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	assertNoFileInBulk.call(this, itemIndex);
	const answer = await sendWrite.call(this, itemIndex, run, async function (index): Promise<BulkRequest> {
		const table = readTable.call(this, index);
		const url = rowUrl(run.base, table, readRowKey.call(this, index));
		const options = this.getNodeParameter('options', index, {}) as IDataObject;
		const etag = String(options.etag ?? '').trim();
		if (etag) assertHeaderValue('If-Match', etag, 'Only If Unchanged (ETag)');
		const body = await readColumns.call(this, index, run.conn, table, 'update');
		const returned = representation(options);
		return {
			method: 'PATCH',
			url: `${url}${returned.query}`,
			// If-Match: * makes sure an update never creates a row; an ETag also refuses a row changed since it was read.
			headers: { 'If-Match': etag || '*', ...(returned.prefer ? { Prefer: returned.prefer } : {}) },
			body,
			operation: `update a row of ${table}`,
		};
	});
	const row = writtenRow(answer);
	const written = row.id ? rowUrl(run.base, readTable.call(this, itemIndex), String(row.id)) : undefined;
	if (await uploadAfterWrite.call(this, itemIndex, run, written)) row.fileUploaded = true;
	return row;
};
