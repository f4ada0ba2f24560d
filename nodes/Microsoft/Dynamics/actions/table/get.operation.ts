import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { tableDetails } from '../../helpers/metadata';
import { readTable, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsOperation } from '../common';

const RESOURCE = 'table';
const OPERATION = 'get';

export const option: INodePropertyOptions = {
	name: 'Get',
	value: OPERATION,
	action: 'Get a table',
	description: "A table's metadata: columns (types, required, choice values), alternate keys and relationships",
};

export const description: INodeProperties[] = [tableLocator(showFor(RESOURCE, OPERATION))];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const details = await tableDetails(this, run.conn, readTable.call(this, itemIndex), itemIndex);
	return details as unknown as IDataObject;
};
