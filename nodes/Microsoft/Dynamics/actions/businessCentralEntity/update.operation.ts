import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { BC_ADVICE, bcRecordUrl, bcTarget, readRecordId } from './bc';
import { ifMatchFor } from './etag';
import { etagField, parentIdField, readRecord, recordIdField, recordJsonField, targetFields } from './fields';

const OPERATION = 'update';

export const option: INodePropertyOptions = { name: 'Update', value: OPERATION, action: 'Update a Business Central record', description: 'Change fields of one record (If-Match handled for you)' };

export const description: INodeProperties[] = [...targetFields(OPERATION), parentIdField(OPERATION), recordIdField(OPERATION), recordJsonField(OPERATION, 'The fields to change and their new values'), etagField(OPERATION)];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const id = readRecordId(this, itemIndex);
	const target = await bcTarget(this, run.conn, itemIndex);
	const url = bcRecordUrl(target, id);
	const body = readRecord.call(this, itemIndex);
	const ifMatch = await ifMatchFor(this, run.conn, url, itemIndex);
	const response = await odataRequest<IDataObject>(this, run.conn, { method: 'PATCH', url, body, headers: { 'If-Match': ifMatch }, operation: `update a record of ${target.entitySet}`, advice: BC_ADVICE, itemIndex });
	return response.body ?? {};
};
