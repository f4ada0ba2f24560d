import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { entitySetUrl, rowUrl } from '../../helpers/dataverse';
import { readColumns } from '../../helpers/columns';
import { bulkFields, columnsFields, readTable, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsOperation } from '../common';
import type { BulkRequest } from '../../helpers/bulk';
import { sendWrite } from '../../helpers/bulk';
import { assertNoFileInBulk, representation, RESOURCE, uploadAfterWrite, writeOptions, writtenRow } from './write';

const OPERATION = 'create';

export const option: INodePropertyOptions = { name: 'Create', value: OPERATION, action: 'Create a row', description: 'Create a row in a table' };

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	...columnsFields(showFor(RESOURCE, OPERATION)),
	...bulkFields(showFor(RESOURCE, OPERATION)),
	writeOptions(OPERATION),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	assertNoFileInBulk.call(this, itemIndex);
	const answer = await sendWrite.call(this, itemIndex, run, async function (index): Promise<BulkRequest> {
		const table = readTable.call(this, index);
		const body = await readColumns.call(this, index, run.conn, table, 'create');
		const returned = representation(this.getNodeParameter('options', index, {}) as IDataObject);
		return {
			method: 'POST',
			url: `${entitySetUrl(run.base, table)}${returned.query}`,
			headers: returned.prefer ? { Prefer: returned.prefer } : undefined,
			body,
			operation: `create a row in ${table}`,
		};
	});
	const row = writtenRow(answer);
	const written = row.id ? rowUrl(run.base, readTable.call(this, itemIndex), String(row.id)) : undefined;
	if (await uploadAfterWrite.call(this, itemIndex, run, written)) row.fileUploaded = true;
	return row;
};
