import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { ATTACHMENT_SELECT, attachmentLocators, attachmentOutput, attachmentPath } from '../attachmentCommon';
import { showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get an attachment', description: 'An attachment\'s name, type and size' };

export const description: INodeProperties[] = [
	...attachmentLocators('get'),
	{
		displayName: 'Include Content',
		name: 'includeContent',
		type: 'boolean',
		default: false,
		description: 'Whether to include the file\'s bytes (base64, "contentBytes"); use Download for binary data',
		displayOptions: showFor('attachment', 'get'),
	},
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const url = attachmentPath.call(this, run, itemIndex);
	const withContent = this.getNodeParameter('includeContent', itemIndex, false) as boolean;
	const response = await graphRequest(this, run.conn, { url, qs: withContent ? undefined : { $select: ATTACHMENT_SELECT }, itemIndex, operation: 'read the attachment' });
	return attachmentOutput(response.body as IDataObject, withContent);
};
