import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { rowUrl } from '../../helpers/dataverse';
import { readColumns } from '../../helpers/columns';
import { bulkFields, columnsFields, readRowKey, readTable, rowAddressFields, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsOperation } from '../common';
import type { BulkRequest } from '../../helpers/bulk';
import { sendWrite } from '../../helpers/bulk';
import { assertNoFileInBulk, representation, RESOURCE, uploadAfterWrite, writeOptions, writtenRow } from './write';

const OPERATION = 'upsert';

export const option: INodePropertyOptions = {
	name: 'Create or Update (Upsert)',
	value: OPERATION,
	action: 'Create or update a row',
	description: 'Create the row with this ID or alternate key, or update it when it exists',
};

const MODES = { either: {}, createOnly: { 'If-None-Match': '*' }, updateOnly: { 'If-Match': '*' } } as const;

export const description: INodeProperties[] = [
	tableLocator(showFor(RESOURCE, OPERATION)),
	...rowAddressFields(showFor(RESOURCE, OPERATION), true),
	{
		displayName: 'Write',
		name: 'upsertMode',
		type: 'options',
		options: [
			{ name: 'Create or Update', value: 'either', description: 'Update the row when it exists, otherwise create it' },
			{ name: 'Create Only', value: 'createOnly', description: 'Fail when the row exists (If-None-Match: *)' },
			{ name: 'Update Only', value: 'updateOnly', description: 'Fail when the row does not exist (If-Match: *)' },
		],
		default: 'either',
		displayOptions: showFor(RESOURCE, OPERATION),
	},
	...columnsFields(showFor(RESOURCE, OPERATION)),
	...bulkFields(showFor(RESOURCE, OPERATION)),
	writeOptions(OPERATION),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	assertNoFileInBulk.call(this, itemIndex);
	const answer = await sendWrite.call(this, itemIndex, run, async function (index): Promise<BulkRequest> {
		const table = readTable.call(this, index);
		const url = rowUrl(run.base, table, readRowKey.call(this, index));
		const mode = this.getNodeParameter('upsertMode', index, 'either') as keyof typeof MODES;
		const body = await readColumns.call(this, index, run.conn, table, mode === 'updateOnly' ? 'update' : 'create');
		const returned = representation(this.getNodeParameter('options', index, {}) as IDataObject);
		return {
			method: 'PATCH',
			url: `${url}${returned.query}`,
			headers: { ...(MODES[mode] ?? {}), ...(returned.prefer ? { Prefer: returned.prefer } : {}) },
			body,
			operation: `upsert a row of ${table}`,
			// PATCH by key is idempotent: the same values land on the same row whether it is sent once or twice.
			idempotent: true,
		};
	});
	const row = writtenRow(answer);
	const written = row.id ? rowUrl(run.base, readTable.call(this, itemIndex), String(row.id)) : undefined;
	if (await uploadAfterWrite.call(this, itemIndex, run, written)) row.fileUploaded = true;
	return row;
};
