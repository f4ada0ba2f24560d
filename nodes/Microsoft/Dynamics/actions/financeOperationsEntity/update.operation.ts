import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertHeaderValue, InputValueError } from '../../../shared/input';
import type { BulkRequest } from '../../helpers/bulk';
import type { DynamicsOperation, DynamicsRun } from '../common';
import { bulkFields, companyField, entityField, keyFieldsField, readRecord, recordFieldName, recordFields, show } from './fields';
import { foRecordBody } from './fo';
import { foRecordUrl } from './record';
import { FO_BATCH_SIZE, sendFoWrite, withQuery } from './write';

const OPERATION = 'update';

export const option: INodePropertyOptions = { name: 'Update', value: OPERATION, action: 'Update a Finance & Operations record', description: 'Change fields of one record found by its key fields' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) of the record, e.g. usmf'),
	keyFieldsField(OPERATION),
	...recordFields(OPERATION, 'The fields to change and their new values (key fields cannot change)'),
	{ displayName: 'ETag', name: 'foEtag', type: 'string', default: '', description: "The record's @odata.etag from an earlier read: the update is refused if it changed since; empty: overwrite", displayOptions: show(OPERATION) },
	...bulkFields(OPERATION, FO_BATCH_SIZE),
];

/** The item's PATCH: key fields from Key Fields and Company, the fields to change (no key field), optional If-Match. */
async function buildUpdate(this: IExecuteFunctions, index: number, run: DynamicsRun): Promise<BulkRequest> {
	const target = await foRecordUrl(this, run.conn, index);
	const fields = new Set([...target.entity.properties.keys()].filter((name) => !target.entity.keys.includes(name)));
	const field = recordFieldName.call(this, index);
	const body = foRecordBody(target.metadata, target.entity, readRecord.call(this, index, fields), field);
	for (const name of Object.keys(body)) {
		if (target.entity.keys.includes(name)) throw new InputValueError(field, `changes the key field ${name}`, 'Key fields cannot change: remove it from the fields; nothing was sent.');
	}
	const etag = String(this.getNodeParameter('foEtag', index, '') ?? '').trim();
	if (etag) assertHeaderValue('If-Match', etag, 'ETag');
	return { method: 'PATCH', url: withQuery(target.url, target.qs), body, headers: etag ? { 'If-Match': etag } : {}, operation: `update a ${target.entity.set} record` };
}

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	await sendFoWrite.call(this, itemIndex, run, async function (index) {
		return await buildUpdate.call(this, index, run);
	});
	// F&O answers 204: the output is what was written (built again from cached metadata; nothing is sent).
	const written = await buildUpdate.call(this, itemIndex, run);
	return { ...(written.body as IDataObject), updated: true };
};
