import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { rowUrl } from '../../helpers/dataverse';
import { bulkFields, readRowKey, readTable, rowAddressFields, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsOperation } from '../common';
import { sendWrite } from '../../helpers/bulk';
import { RESOURCE } from './write';

const OPERATION = 'delete';

export const option: INodePropertyOptions = { name: 'Delete', value: OPERATION, action: 'Delete a row', description: 'Delete a row' };

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	...rowAddressFields(showFor(RESOURCE, OPERATION), true),
	...bulkFields(showFor(RESOURCE, OPERATION)),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	await sendWrite.call(this, itemIndex, run, async function (index) {
		const table = readTable.call(this, index);
		return { method: 'DELETE', url: rowUrl(run.base, table, readRowKey.call(this, index)), operation: `delete a row of ${table}` };
	});
	const key = readRowKey.call(this, itemIndex);
	return { deleted: true, ...(typeof key === 'string' ? { id: key.trim() } : { key }) };
};
