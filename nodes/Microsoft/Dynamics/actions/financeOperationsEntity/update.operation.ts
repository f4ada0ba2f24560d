import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertHeaderValue, InputValueError } from '../../../shared/input';
import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { companyField, entityField, keyFieldsField, readRecord, recordJsonField, show } from './fields';
import { findProperty } from './fo';
import { FO_ADVICE, foRecordUrl } from './record';

const OPERATION = 'update';

export const option: INodePropertyOptions = { name: 'Update', value: OPERATION, action: 'Update a Finance & Operations record', description: 'Change fields of one record found by its key fields' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) of the record, e.g. usmf'),
	keyFieldsField(OPERATION),
	recordJsonField(OPERATION, 'The fields to change and their new values (key fields cannot change)'),
	{ displayName: 'ETag', name: 'foEtag', type: 'string', default: '', description: "The record's @odata.etag from an earlier read: the update is refused if it changed since; empty: overwrite", displayOptions: show(OPERATION) },
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await foRecordUrl(this, run.conn, itemIndex);
	const record = readRecord.call(this, itemIndex);
	for (const name of Object.keys(record)) {
		findProperty(target.entity, name, 'Fields (JSON)');
		if (target.entity.keys.includes(name)) throw new InputValueError('Fields (JSON)', `changes the key field ${name}`, 'Key fields cannot change: remove it from the fields; nothing was sent.');
	}
	const etag = String(this.getNodeParameter('foEtag', itemIndex, '') ?? '').trim();
	if (etag) assertHeaderValue('If-Match', etag, 'ETag');
	await odataRequest(this, run.conn, {
		method: 'PATCH',
		url: target.url,
		qs: target.qs,
		body: record,
		headers: etag ? { 'If-Match': etag } : {},
		operation: `update a ${target.entity.set} record`,
		advice: FO_ADVICE,
		itemIndex,
	});
	return { ...record, updated: true } as IDataObject;
};
