import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { BC_ADVICE, bcTarget } from './bc';
import { parentIdField, readRecord, recordJsonField, targetFields } from './fields';

const OPERATION = 'create';

export const option: INodePropertyOptions = { name: 'Create', value: OPERATION, action: 'Create a Business Central record', description: 'Create a record in an entity set of a company' };

export const description: INodeProperties[] = [...targetFields(OPERATION), parentIdField(OPERATION), recordJsonField(OPERATION, 'Field names and values, e.g. { "displayName": "Adatum Corporation", "email": "info@adatum.com" }')];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await bcTarget(this, run.conn, itemIndex);
	const body = readRecord.call(this, itemIndex);
	const response = await odataRequest<IDataObject>(this, run.conn, { method: 'POST', url: target.setUrl, body, operation: `create a record in ${target.entitySet}`, advice: BC_ADVICE, itemIndex });
	return response.body ?? {};
};
