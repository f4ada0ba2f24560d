import type { IBinaryKeyData, IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { encodePathSegment } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { messageLocator, messageOutput, messagePath, readMessageOutput, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a message' };

export const description: INodeProperties[] = [
	messageLocator(showFor('message', 'get')),
	...messageOutput('message', 'get'),
	{
		displayName: 'Options',
		name: 'getOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor('message', 'get'),
		options: [
			{ displayName: 'Download Attachments', name: 'attachments', type: 'boolean', default: false, description: 'Whether to add each file attachment as binary data (attachment_0, attachment_1, ...)' },
			{ displayName: 'Download MIME Source (.eml)', name: 'mime', type: 'boolean', default: false, description: 'Whether to add the message\'s MIME source as binary data "message" (an .eml file)' },
		],
	},
];

/** One message; optionally its file attachments and its MIME source as binary data. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const path = messagePath.call(this, run, itemIndex);
	const output = readMessageOutput.call(this, itemIndex);
	const options = this.getNodeParameter('getOptions', itemIndex, {}) as IDataObject;
	const message = (await graphRequest(this, run.conn, { url: path, qs: { $select: output.select }, itemIndex, operation: 'read the message' })).body as IDataObject;
	const binary: IBinaryKeyData = {};
	if (options.attachments) {
		const list = await graphRequest(this, run.conn, { url: `${path}/attachments`, qs: { $select: 'id,name,contentType,size' }, itemIndex, operation: 'list attachments' });
		let index = 0;
		for (const attachment of ((list.body as IDataObject).value as IDataObject[]) ?? []) {
			if (attachment['@odata.type'] && attachment['@odata.type'] !== '#microsoft.graph.fileAttachment') continue;
			const bytes = await graphRequest(this, run.conn, {
				url: `${path}/attachments/${encodePathSegment(String(attachment.id), 'Attachment')}/$value`,
				encoding: 'stream',
				itemIndex,
				operation: `download attachment "${String(attachment.name)}"`,
			});
			binary[`attachment_${index++}`] = await this.helpers.prepareBinaryData(bytes.body, String(attachment.name ?? 'attachment'), String(attachment.contentType ?? 'application/octet-stream'));
		}
	}
	if (options.mime) {
		const mime = await graphRequest(this, run.conn, { url: `${path}/$value`, encoding: 'stream', itemIndex, operation: 'download the MIME source' });
		binary.message = await this.helpers.prepareBinaryData(mime.body, `${String(message.id ?? 'message').slice(-12)}.eml`, 'message/rfc822');
	}
	const json = output.shape(message);
	return Object.keys(binary).length ? { json, binary } : json;
};
