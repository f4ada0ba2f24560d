import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { companyField, entityField, keyFieldsField, show } from './fields';
import { findProperty, type FoEntity } from './fo';
import { FO_ADVICE, foRecordUrl } from './record';

const OPERATION = 'get';

export const option: INodePropertyOptions = { name: 'Get', value: OPERATION, action: 'Get a Finance & Operations record', description: 'Read one record by its key fields' };

export const description: INodeProperties[] = [
	entityField(OPERATION),
	companyField(OPERATION, 'The legal entity (dataAreaId) of the record, e.g. usmf'),
	keyFieldsField(OPERATION),
	{ displayName: 'Select', name: 'foSelect', type: 'string', default: '', placeholder: 'e.g. CustomerAccount,OrganizationName', description: 'Fields to return, comma-separated (empty: all)', displayOptions: show(OPERATION) },
];

/** `$select` from a comma-separated list, every name checked against the entity. */
export function selectOf(entity: FoEntity, text: string): string | undefined {
	const names = text.split(',').map((name) => name.trim()).filter(Boolean);
	if (!names.length) return undefined;
	for (const name of names) {
		if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InputValueError('Select', `"${name}" is not a field name`, 'List field names separated by commas; nothing was sent.');
		findProperty(entity, name, 'Select');
	}
	return names.join(',');
}

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await foRecordUrl(this, run.conn, itemIndex);
	const select = selectOf(target.entity, String(this.getNodeParameter('foSelect', itemIndex, '') ?? ''));
	const response = await odataRequest<IDataObject>(this, run.conn, {
		url: target.url,
		qs: { ...target.qs, ...(select ? { $select: select } : {}) },
		operation: `read a ${target.entity.set} record`,
		advice: FO_ADVICE,
		itemIndex,
	});
	return response.body ?? {};
};
