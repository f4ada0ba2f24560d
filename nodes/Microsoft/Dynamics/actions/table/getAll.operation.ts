import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { listTables } from '../../helpers/metadata';
import { readLimit, returnAllProperties, showFor, type DynamicsOperation } from '../common';

const RESOURCE = 'table';
const OPERATION = 'getAll';

export const option: INodePropertyOptions = { name: 'Get Many', value: OPERATION, action: 'Get many tables', description: 'List the tables of the environment' };

export const description: INodeProperties[] = [
	{
		displayName: 'Search',
		name: 'search',
		type: 'string',
		default: '',
		placeholder: 'e.g. account',
		description: 'Only tables whose display or logical name contains this text',
		displayOptions: showFor(RESOURCE, OPERATION),
	},
	...returnAllProperties(RESOURCE, OPERATION),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const search = String(this.getNodeParameter('search', itemIndex, '')).trim().toLowerCase();
	const limit = readLimit.call(this, itemIndex);
	const tables = (await listTables(this, run.conn)).filter(
		(table) => !search || [table.displayName, table.logicalName, table.entitySetName].some((name) => name.toLowerCase().includes(search)),
	);
	return (limit ? tables.slice(0, limit) : tables) as unknown as IDataObject[];
};
