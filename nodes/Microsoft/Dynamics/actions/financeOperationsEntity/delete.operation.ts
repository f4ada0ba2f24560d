import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BulkRequest } from '../../helpers/bulk';
import type { DynamicsOperation } from '../common';
import { bulkFields, companyField, entityField, keyFieldsField } from './fields';
import { foRecordUrl } from './record';
import { FO_BATCH_SIZE, sendFoWrite, withQuery } from './write';

const OPERATION = 'delete';

export const option: INodePropertyOptions = { name: 'Delete', value: OPERATION, action: 'Delete a Finance & Operations record', description: 'Delete one record found by its key fields' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) of the record, e.g. usmf'),
	keyFieldsField(OPERATION),
	...bulkFields(OPERATION, FO_BATCH_SIZE),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	await sendFoWrite.call(this, itemIndex, run, async function (index): Promise<BulkRequest> {
		const target = await foRecordUrl(this, run.conn, index);
		return { method: 'DELETE', url: withQuery(target.url, target.qs), operation: `delete a ${target.entity.set} record` };
	});
	return { deleted: true };
};
