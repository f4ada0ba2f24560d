import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { readTimeZone, toInstant } from '../../helpers/dateTime';
import { calendarBase } from '../calendarCommon';
import { returnAllProperties, showFor, type OutlookOperation } from '../common';
import { EVENT, eventCalendarLocator } from '../eventCommon';
import { itemOutput, listItems } from '../mailboxItem';

export const option: INodePropertyOptions = {
	name: 'Get Many',
	value: 'getAll',
	action: 'Get many events',
	description: 'Events between two times (a calendar view: each occurrence of a series is its own item)',
};

const show = showFor('event', 'getAll');

export const description: INodeProperties[] = [
	eventCalendarLocator('getAll', 'Calendar to read; empty = the default calendar'),
	{ displayName: 'Start', name: 'start', type: 'dateTime', required: true, default: '', description: 'Events that end after this time', displayOptions: show },
	{ displayName: 'End', name: 'end', type: 'dateTime', required: true, default: '', description: 'Events that start before this time', displayOptions: show },
	...returnAllProperties('event', 'getAll'),
	{
		displayName: 'Options',
		name: 'getAllOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin or Pacific Standard Time',
				description: "Time zone of the returned times (default UTC) and of Start and End given without an offset (default the workflow's)",
			},
		],
	},
	...itemOutput(EVENT, 'getAll'),
];

/** The calendar view: all pages at the largest page size, or up to the Limit, in start order. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const options = this.getNodeParameter('getAllOptions', itemIndex, {}) as IDataObject;
	const zone = String(options.timeZone ?? '').trim() ? readTimeZone(options.timeZone, 'Time Zone', '') : undefined;
	const inputZone = zone ?? this.getTimezone();
	const startDateTime = toInstant(this.getNodeParameter('start', itemIndex, ''), inputZone, 'Start');
	const endDateTime = toInstant(this.getNodeParameter('end', itemIndex, ''), inputZone, 'End');
	if (endDateTime <= startDateTime) throw new InputValueError('End', `(${endDateTime}) is not after "Start" (${startDateTime})`, 'Set an end after the start.');
	const url = `${calendarBase.call(this, run, itemIndex)}/calendarView`;
	return await listItems.call(this, EVENT, run, itemIndex, url, {
		pageSize: MAX_PAGE_SIZE.events,
		qs: { startDateTime, endDateTime, $orderby: 'start/dateTime' },
		headers: zone ? { Prefer: `outlook.timezone="${zone}"` } : undefined,
	});
};
