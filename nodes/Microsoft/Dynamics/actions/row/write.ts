/** The writes of the row resource (create, update, upsert, delete): one request per item, or bulk through $batch. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { uploadFileColumn } from '../../helpers/files';
import { cleanRow, idFromEntityId } from '../../helpers/dataverse';
import { isBulk, type WriteAnswer } from '../../helpers/bulk';
import { showFor, type DynamicsRun } from '../common';

export const RESOURCE = 'row';

/** After a single write: the file column the user asked to fill (refused in bulk mode, before anything is sent). */
export async function uploadAfterWrite(this: IExecuteFunctions, itemIndex: number, run: DynamicsRun, rowUrl: string | undefined): Promise<boolean> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const column = String(options.fileColumn ?? '').trim();
	if (!column) return false;
	if (!rowUrl) throw new NodeOperationError(this.getNode(), 'Dataverse did not say which row was written, so the file was not uploaded', { itemIndex });
	await uploadFileColumn.call(this, itemIndex, run, rowUrl, column, String(options.binaryProperty ?? 'data'));
	return true;
}

/** File uploads are per row: refused in bulk mode before anything is sent. */
export function assertNoFileInBulk(this: IExecuteFunctions, itemIndex: number): void {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (isBulk.call(this, itemIndex) && String(options.fileColumn ?? '').trim()) {
		throw new InputValueError('Upload File Into Column', 'cannot be used in bulk mode', 'Turn off Bulk Mode to upload files, or upload them in a second node; nothing was sent.');
	}
}

/** Output of a create / update / upsert: the row Dataverse returned, else its ID from `OData-EntityId`. */
export function writtenRow(answer: WriteAnswer): IDataObject {
	const id = idFromEntityId(answer.headers['odata-entityid']);
	if (answer.body && typeof answer.body === 'object' && !Buffer.isBuffer(answer.body)) {
		return { ...(id ? { id } : {}), ...cleanRow(answer.body) };
	}
	return id ? { id } : {};
}

/** "Return Full Row" and the columns to return, for writes. */
export function writeOptions(operation: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, operation),
		options: [
			{
				displayName: 'Return Full Row',
				name: 'returnRow',
				type: 'boolean',
				default: true,
				description: 'Whether to return the written row (Prefer: return=representation); otherwise only its ID',
			},
			{
				displayName: 'Return Columns',
				name: 'select',
				type: 'string',
				default: '',
				placeholder: 'e.g. name,accountnumber',
				description: 'Comma-separated columns of the returned row (all when empty)',
			},
			{
				displayName: 'Upload File Into Column',
				name: 'fileColumn',
				type: 'string',
				default: '',
				placeholder: 'e.g. cr0a1_document',
				description: "A file or image column to fill with the input item's binary file after the write (not in bulk mode)",
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryProperty',
				type: 'string',
				default: 'data',
				description: 'The binary field holding the file to upload',
			},
			...(operation === 'update'
				? [
						{
							displayName: 'Only If Unchanged (ETag)',
							name: 'etag',
							type: 'string' as const,
							default: '',
							placeholder: 'e.g. W/"123456"',
							description: "The row's @odata.etag from when it was read: the update fails if the row changed since (optimistic concurrency)",
						},
					]
				: []),
		],
	};
}

/** Prefer and $select of a write from its options. */
export function representation(options: IDataObject): { prefer?: string; query: string } {
	if (options.returnRow === false) return { query: '' };
	const select = String(options.select ?? '').trim();
	return { prefer: 'return=representation', query: select ? `?$select=${encodeURIComponent(select.replace(/\s+/g, '')).replace(/%2C/gi, ',')}` : '' };
}
