import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { BC_ADVICE, bcRecordUrl, bcTarget, readRecordId } from './bc';
import { parentIdField, recordIdField, targetFields } from './fields';

const OPERATION = 'get';

export const option: INodePropertyOptions = { name: 'Get', value: OPERATION, action: 'Get a Business Central record', description: 'Read one record by its ID' };

export const description: INodeProperties[] = [...targetFields(OPERATION), parentIdField(OPERATION), recordIdField(OPERATION)];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const id = readRecordId(this, itemIndex);
	const target = await bcTarget(this, run.conn, itemIndex);
	const response = await odataRequest<IDataObject>(this, run.conn, { url: bcRecordUrl(target, id), operation: `read a record of ${target.entitySet}`, advice: BC_ADVICE, itemIndex });
	return response.body ?? {};
};
