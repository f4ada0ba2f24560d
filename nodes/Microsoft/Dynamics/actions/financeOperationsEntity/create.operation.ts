import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { companyField, entityField, readRecord, recordJsonField } from './fields';
import { findProperty } from './fo';
import { FO_ADVICE, foTarget } from './record';

const OPERATION = 'create';

export const option: INodePropertyOptions = { name: 'Create', value: OPERATION, action: 'Create a Finance & Operations record', description: 'Create a record of a data entity' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) to create the record in; empty: your default company'),
	recordJsonField(OPERATION, 'Field names (case-sensitive) and values, enum values by name, e.g. { "CustomerAccount": "US-100", "OrganizationName": "Fabrikam", "OnHoldStatus": "No" }'),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await foTarget(this, run.conn, itemIndex);
	const record = readRecord.call(this, itemIndex);
	for (const name of Object.keys(record)) if (!name.startsWith('@')) findProperty(target.entity, name, 'Fields (JSON)');
	const body: IDataObject = target.company ? { ...record, dataAreaId: target.company } : record;
	const response = await odataRequest<IDataObject>(this, run.conn, {
		method: 'POST',
		url: target.setUrl,
		body,
		headers: { Prefer: 'return=representation' },
		operation: `create a ${target.entity.set} record`,
		advice: FO_ADVICE,
		itemIndex,
	});
	return response.body ?? {};
};
