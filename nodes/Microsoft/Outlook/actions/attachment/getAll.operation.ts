import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphPages } from '../../../shared/paging';
import { ATTACHMENT_SELECT, attachmentLocators, attachmentOutput } from '../attachmentCommon';
import { messagePath, readLimit, returnAllProperties, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many attachments', description: 'List the attachments of a message or draft (without their bytes)' };

export const description: INodeProperties[] = [...attachmentLocators('getAll', false), ...returnAllProperties('attachment', 'getAll')];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const url = `${messagePath.call(this, run, itemIndex)}/attachments`;
	const results = [];
	for await (const page of graphPages(this, run.conn, url, { qs: { $select: ATTACHMENT_SELECT }, limit: readLimit.call(this, itemIndex), itemIndex, operation: 'list attachments' })) {
		for (const attachment of page) results.push(attachmentOutput(attachment));
	}
	return results;
};
