import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { odataString } from '../../../shared/odata';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import { returnAllProperties, showFor, type OutlookOperation } from '../common';
import { CONTACT } from '../contactCommon';
import { itemOutput, listItems } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many contacts', description: 'List contacts, optionally those whose name starts with a text' };

export const description: INodeProperties[] = [
	...returnAllProperties('contact', 'getAll'),
	{
		displayName: 'Name Starts With',
		name: 'nameStartsWith',
		type: 'string',
		default: '',
		placeholder: 'e.g. Ali',
		description: 'Only contacts whose display name starts with this text',
		displayOptions: showFor('contact', 'getAll'),
	},
	...itemOutput(CONTACT, 'getAll'),
];

/** All pages at the largest page size, or up to the Limit, by name. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const name = assertWellFormedText(String(this.getNodeParameter('nameStartsWith', itemIndex, '')).trim(), 'Name Starts With');
	const qs: IDataObject = name ? { $filter: `startswith(displayName,${odataString(name)})` } : { $orderby: 'displayName' };
	return await listItems.call(this, CONTACT, run, itemIndex, `${run.mailbox.path}/contacts`, { pageSize: MAX_PAGE_SIZE.contacts, qs });
};
