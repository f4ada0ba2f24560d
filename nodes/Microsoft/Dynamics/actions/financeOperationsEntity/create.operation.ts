import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { BulkRequest } from '../../helpers/bulk';
import type { DynamicsOperation } from '../common';
import { bulkFields, companyField, entityField, readRecord, recordFieldName, recordFields } from './fields';
import { foRecordBody } from './fo';
import { foTarget } from './record';
import { FO_BATCH_SIZE, sendFoWrite } from './write';

const OPERATION = 'create';

export const option: INodePropertyOptions = { name: 'Create', value: OPERATION, action: 'Create a Finance & Operations record', description: 'Create a record of a data entity' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) to create the record in; empty: your default company'),
	...recordFields(OPERATION, 'Field names (case-sensitive) and values, enum values by name, e.g. { "CustomerAccount": "US-100", "OrganizationName": "Fabrikam", "OnHoldStatus": "No" }'),
	...bulkFields(OPERATION, FO_BATCH_SIZE),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const answer = await sendFoWrite.call(this, itemIndex, run, async function (index): Promise<BulkRequest> {
		const target = await foTarget(this, run.conn, index);
		const record = foRecordBody(target.metadata, target.entity, readRecord.call(this, index, new Set(target.entity.properties.keys())), recordFieldName.call(this, index));
		const body: IDataObject = target.company ? { ...record, dataAreaId: target.company } : record;
		return { method: 'POST', url: target.setUrl, body, headers: { Prefer: 'return=representation' }, operation: `create a ${target.entity.set} record` };
	});
	return answer.body && typeof answer.body === 'object' && !Buffer.isBuffer(answer.body) ? (answer.body as IDataObject) : {};
};
