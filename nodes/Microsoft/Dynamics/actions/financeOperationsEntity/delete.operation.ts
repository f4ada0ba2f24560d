import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { companyField, entityField, keyFieldsField } from './fields';
import { FO_ADVICE, foRecordUrl } from './record';

const OPERATION = 'delete';

export const option: INodePropertyOptions = { name: 'Delete', value: OPERATION, action: 'Delete a Finance & Operations record', description: 'Delete one record found by its key fields' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) of the record, e.g. usmf'),
	keyFieldsField(OPERATION),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await foRecordUrl(this, run.conn, itemIndex);
	await odataRequest(this, run.conn, { method: 'DELETE', url: target.url, qs: target.qs, operation: `delete a ${target.entity.set} record`, advice: FO_ADVICE, itemIndex });
	return { deleted: true };
};
