import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText, InputValueError } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { odataString } from '../../../shared/odata';
import { graphPages, MAX_PAGE_SIZE } from '../../../shared/paging';
import { IMPORTANCE_OPTIONS, folderLocator, folderPath, messageOutput, readLimit, readMessageOutput, returnAllProperties, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many messages', description: 'List messages of a folder or the whole mailbox, with filters or a search' };

export const description: INodeProperties[] = [
	folderLocator(showFor('message', 'getAll'), { required: false, description: 'Folder to list; empty = every folder of the mailbox' }),
	...returnAllProperties('message', 'getAll'),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: showFor('message', 'getAll'),
		options: [
			{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Only messages with all of these categories, separated by commas' },
			{ displayName: 'From', name: 'from', type: 'string', default: '', placeholder: 'e.g. alice@contoso.com', description: 'Sender address' },
			{ displayName: 'Has Attachments', name: 'hasAttachments', type: 'boolean', default: true, description: 'Whether only messages with attachments are returned' },
			{
				displayName: 'Importance',
				name: 'importance',
				type: 'options',
				options: IMPORTANCE_OPTIONS,
				default: 'high',
				description: 'Only messages of this importance',
			},
			{ displayName: 'OData Filter', name: 'rawFilter', type: 'string', default: '', placeholder: "e.g. flag/flagStatus eq 'flagged'", description: 'A Graph $filter, combined with the filters above by "and"' },
			{
				displayName: 'Read Status',
				name: 'readStatus',
				type: 'options',
				options: [
					{ name: 'Unread Only', value: 'unread' },
					{ name: 'Read Only', value: 'read' },
				],
				default: 'unread',
				description: 'Only unread or only read messages',
			},
			{ displayName: 'Received After', name: 'receivedAfter', type: 'dateTime', default: '', description: 'Only messages received at or after this time' },
			{ displayName: 'Received Before', name: 'receivedBefore', type: 'dateTime', default: '', description: 'Only messages received at or before this time' },
			{ displayName: 'Search', name: 'search', type: 'string', default: '', placeholder: 'e.g. budget 2026', description: 'Words to search in subject, body and sender (Graph $search); cannot be combined with other filters' },
			{ displayName: 'Subject Contains', name: 'subjectContains', type: 'string', default: '', description: 'Text the subject contains' },
		],
	},
	...messageOutput('message', 'getAll'),
];

function isoTime(value: unknown, field: string): string {
	const time = Date.parse(String(value));
	if (!Number.isFinite(time)) throw new InputValueError(field, 'is not a date and time', 'Use a date such as 2026-03-01T00:00:00Z.');
	return new Date(time).toISOString();
}

/** The friendly filters as one `$filter` (every value OData-quoted or normalised), or undefined. */
function buildMessageFilter(filters: IDataObject): string | undefined {
	const clauses: string[] = [];
	const text = (name: string, field: string) => assertWellFormedText(String(filters[name] ?? '').trim(), field);
	if (text('from', 'From')) clauses.push(`from/emailAddress/address eq ${odataString(text('from', 'From'))}`);
	if (text('subjectContains', 'Subject Contains')) clauses.push(`contains(subject,${odataString(text('subjectContains', 'Subject Contains'))})`);
	if (filters.readStatus) clauses.push(`isRead eq ${filters.readStatus === 'read'}`);
	if (filters.hasAttachments !== undefined) clauses.push(`hasAttachments eq ${filters.hasAttachments === true}`);
	if (filters.receivedAfter) clauses.push(`receivedDateTime ge ${isoTime(filters.receivedAfter, 'Received After')}`);
	if (filters.receivedBefore) clauses.push(`receivedDateTime le ${isoTime(filters.receivedBefore, 'Received Before')}`);
	for (const category of text('categories', 'Categories').split(',').map((c) => c.trim()).filter(Boolean)) {
		clauses.push(`categories/any(c:c eq ${odataString(category)})`);
	}
	if (filters.importance) clauses.push(`importance eq ${odataString(String(filters.importance))}`);
	if (text('rawFilter', 'OData Filter')) clauses.push(`(${text('rawFilter', 'OData Filter')})`);
	return clauses.length ? clauses.join(' and ') : undefined;
}

/** All pages at Graph's largest page size (1,000), or up to the limit; newest first unless searching. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const search = assertWellFormedText(String(filters.search ?? '').trim(), 'Search');
	const filter = buildMessageFilter({ ...filters, search: undefined });
	if (search && filter) {
		throw new NodeOperationError(this.getNode(), '"Search" cannot be combined with other filters', { itemIndex, description: 'Graph does not combine $search with $filter on messages: use one or the other.' });
	}
	const output = readMessageOutput.call(this, itemIndex);
	const qs: IDataObject = { $select: output.select };
	if (filter) qs.$filter = filter;
	if (search) qs.$search = `"${search.replace(/"/g, '')}"`;
	// $search orders by relevance and refuses $orderby; a $filter with receivedDateTime keeps the order Graph allows.
	if (!search && !filter) qs.$orderby = 'receivedDateTime desc';
	const base = locatorValue(this, 'folderId', itemIndex) ? folderPath.call(this, run, itemIndex) : run.mailbox.path;
	const results: IDataObject[] = [];
	for await (const page of graphPages(this, run.conn, `${base}/messages`, {
		pageSize: MAX_PAGE_SIZE.messages,
		limit: readLimit.call(this, itemIndex),
		qs,
		itemIndex,
		operation: 'list messages',
	})) {
		for (const message of page) results.push(output.shape(message));
	}
	return results;
};
