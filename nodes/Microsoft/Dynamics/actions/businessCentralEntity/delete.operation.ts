import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { BC_ADVICE, bcRecordUrl, bcTarget, readRecordId } from './bc';
import { ifMatchFor } from './etag';
import { etagField, parentIdField, recordIdField, targetFields } from './fields';

const OPERATION = 'delete';

export const option: INodePropertyOptions = { name: 'Delete', value: OPERATION, action: 'Delete a Business Central record', description: 'Delete one record (If-Match handled for you)' };

export const description: INodeProperties[] = [...targetFields(OPERATION), parentIdField(OPERATION), recordIdField(OPERATION), etagField(OPERATION)];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const id = readRecordId(this, itemIndex);
	const target = await bcTarget(this, run.conn, itemIndex);
	const url = bcRecordUrl(target, id);
	const ifMatch = await ifMatchFor(this, run.conn, url, itemIndex);
	await odataRequest(this, run.conn, { method: 'DELETE', url, headers: { 'If-Match': ifMatch }, operation: `delete a record of ${target.entitySet}`, advice: BC_ADVICE, itemIndex });
	return { deleted: true };
};
