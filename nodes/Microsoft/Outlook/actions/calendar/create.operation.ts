import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { CALENDAR, CALENDAR_COLOR, calendarBody } from '../calendarCommon';
import { showFor, type OutlookOperation } from '../common';
import { itemOutput, readItemOutput } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a calendar' };

export const description: INodeProperties[] = [
	{ displayName: 'Name', name: 'calendarName', type: 'string', required: true, default: '', description: 'Name of the new calendar', displayOptions: showFor('calendar', 'create') },
	{ ...CALENDAR_COLOR, displayOptions: showFor('calendar', 'create') },
	...itemOutput(CALENDAR, 'create'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const body = calendarBody({ name: this.getNodeParameter('calendarName', itemIndex, ''), color: this.getNodeParameter('color', itemIndex, 'auto') }, 'Name');
	const output = readItemOutput.call(this, CALENDAR, itemIndex);
	const response = await graphRequest(this, run.conn, {
		method: 'POST',
		url: `${run.mailbox.path}/calendars`,
		body,
		itemIndex,
		operation: `create calendar "${String(body.name)}"`,
		advice: { errorfolderexists: 'A calendar with this name already exists: choose another name.', '409': 'A calendar with this name already exists: choose another name.' },
	});
	return output.shape(response.body as IDataObject);
};
