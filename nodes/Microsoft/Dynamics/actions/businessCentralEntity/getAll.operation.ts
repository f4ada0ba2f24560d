import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { odataGetAll } from '../../../shared/paging';
import { readLimit, returnAllProperties, type DynamicsOperation } from '../common';
import { BC_ADVICE, bcTarget } from './bc';
import { RESOURCE, parentIdField, show, targetFields } from './fields';

const OPERATION = 'getAll';

export const option: INodePropertyOptions = { name: 'Get Many', value: OPERATION, action: 'Get many Business Central records', description: 'List the records of an entity set' };

export const description: INodeProperties[] = [
	...targetFields(OPERATION), parentIdField(OPERATION),
	{ displayName: 'Filter Expression', name: 'bcFilter', type: 'string', default: '', placeholder: "e.g. displayName eq 'Trey Research'", description: 'An OData $filter expression (string values in single quotes, inner quotes doubled)', displayOptions: show(OPERATION) },
	{ displayName: 'Select', name: 'bcSelect', type: 'string', default: '', placeholder: 'e.g. number,displayName,email', description: 'Fields to return, comma-separated (empty: all)', displayOptions: show(OPERATION) },
	{ displayName: 'Order By', name: 'bcOrderBy', type: 'string', default: '', placeholder: 'e.g. number desc', description: 'Fields to sort by, comma-separated, each optionally followed by asc or desc', displayOptions: show(OPERATION) },
	...returnAllProperties(RESOURCE, OPERATION).map((property) => ({ ...property, displayOptions: { show: { ...property.displayOptions?.show, api: ['businessCentral'] } } })),
];

function names(text: string, field: string, withDirection: boolean): string | undefined {
	const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
	const pattern = withDirection ? /^[A-Za-z_][A-Za-z0-9_]*(\s+(asc|desc))?$/i : /^[A-Za-z_][A-Za-z0-9_]*$/;
	for (const part of parts) if (!pattern.test(part)) throw new InputValueError(field, `"${part}" is not a field name${withDirection ? ' optionally followed by asc or desc' : ''}`, 'List field names separated by commas; nothing was sent.');
	return parts.length ? parts.join(',') : undefined;
}

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await bcTarget(this, run.conn, itemIndex);
	const filter = String(this.getNodeParameter('bcFilter', itemIndex, '') ?? '').trim();
	const select = names(String(this.getNodeParameter('bcSelect', itemIndex, '') ?? ''), 'Select', false);
	const orderBy = names(String(this.getNodeParameter('bcOrderBy', itemIndex, '') ?? ''), 'Order By', true);
	const qs: IDataObject = { ...(filter ? { $filter: filter } : {}), ...(select ? { $select: select } : {}), ...(orderBy ? { $orderby: orderBy } : {}) };
	const limit = readLimit.call(this, itemIndex);
	return await odataGetAll(this, run.conn, target.setUrl, { qs, limit, pageSize: limit && limit < 1000 ? limit : undefined, operation: `list ${target.entitySet}`, advice: BC_ADVICE, itemIndex });
};
