import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { CALENDAR } from '../calendarCommon';
import { returnAllProperties, type OutlookOperation } from '../common';
import { itemOutput, listItems } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many calendars' };

export const description: INodeProperties[] = [...returnAllProperties('calendar', 'getAll'), ...itemOutput(CALENDAR, 'getAll')];

/** Every calendar of the mailbox (all pages at the largest page size), or up to the Limit. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	return await listItems.call(this, CALENDAR, run, itemIndex, `${run.mailbox.path}/calendars`, { pageSize: MAX_PAGE_SIZE.calendars });
};
