import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CALENDAR, CALENDAR_COLOR, calendarBody } from '../calendarCommon';
import { showFor, type OutlookOperation } from '../common';
import { itemLocator, itemOutput, updateItem } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a calendar', description: 'Rename a calendar or change its colour' };

export const description: INodeProperties[] = [
	itemLocator(CALENDAR, showFor('calendar', 'update')),
	{
		displayName: 'Update Fields',
		name: 'calendarUpdateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: showFor('calendar', 'update'),
		options: [CALENDAR_COLOR, { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The calendar\'s new name' }],
	},
	...itemOutput(CALENDAR, 'update'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('calendarUpdateFields', itemIndex, {}) as IDataObject;
	return await updateItem.call(this, CALENDAR, run, itemIndex, calendarBody(fields, 'Name'));
};
