import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { readBinarySource } from '../../../shared/node/binary';
import { attachmentLocators } from '../attachmentCommon';
import { addAttachment, assertAttachmentSize } from '../compose';
import { messagePath, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = {
	name: 'Add',
	value: 'add',
	action: 'Add an attachment',
	description: 'Attach a file to a message or draft: up to 3 MB in one request, larger ones (up to 150 MB) in chunks',
};

export const description: INodeProperties[] = [
	...attachmentLocators('add', false),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		description: 'The binary field of the input item holding the file (up to 150 MB)',
		displayOptions: showFor('attachment', 'add'),
	},
	{
		displayName: 'Options',
		name: 'attachmentOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('attachment', 'add'),
		options: [{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'Name of the attachment; default: the binary file\'s name' }],
	},
];

/** Everything is checked first (message ID, binary field, size ≤ 150 MB, name); then one POST or an upload session. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const path = messagePath.call(this, run, itemIndex);
	const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const source = await readBinarySource.call(this, itemIndex, property, 'Input Binary Field');
	assertAttachmentSize.call(this, source, 'Input Binary Field', itemIndex);
	const options = this.getNodeParameter('attachmentOptions', itemIndex, {}) as IDataObject;
	const fileName = assertWellFormedText(String(options.fileName ?? '').trim(), 'File Name');
	return await addAttachment.call(this, run, path, fileName ? { ...source, fileName } : source, itemIndex);
};
