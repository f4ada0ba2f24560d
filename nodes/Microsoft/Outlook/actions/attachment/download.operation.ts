import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { ATTACHMENT_SELECT, attachmentLocators, attachmentOutput, attachmentPath } from '../attachmentCommon';
import { showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Download', value: 'download', action: 'Download an attachment', description: 'The attachment\'s file as binary data' };

export const description: INodeProperties[] = [
	...attachmentLocators('download'),
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryField',
		type: 'string',
		required: true,
		default: 'data',
		description: 'The binary field of the output item to put the file in',
		displayOptions: showFor('attachment', 'download'),
	},
];

const ITEM_ATTACHMENT = '#microsoft.graph.itemAttachment';
const REFERENCE_ATTACHMENT = '#microsoft.graph.referenceAttachment';

/** The metadata (name, type), then the bytes streamed into n8n's binary store. An attached e-mail arrives as an .eml file. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const url = attachmentPath.call(this, run, itemIndex);
	const property = assertWellFormedText(String(this.getNodeParameter('outputBinaryField', itemIndex, 'data')).trim(), 'Put Output File in Field');
	if (!property) {
		throw new NodeOperationError(this.getNode(), '"Put Output File in Field" is empty', { itemIndex, description: 'Enter the name of the binary field to write, usually "data".' });
	}
	const metadata = (await graphRequest(this, run.conn, { url, qs: { $select: ATTACHMENT_SELECT }, itemIndex, operation: 'read the attachment' })).body as IDataObject;
	const kind = metadata['@odata.type'];
	if (kind === REFERENCE_ATTACHMENT) {
		throw new NodeOperationError(this.getNode(), `"Attachment" "${String(metadata.name)}" is a link to a cloud file, not a file in the message`, {
			itemIndex,
			description: 'Download the file from where it is stored (for example with the OneDrive node).',
		});
	}
	const content = await graphRequest(this, run.conn, { url: `${url}/$value`, encoding: 'stream', itemIndex, operation: `download attachment "${String(metadata.name)}"` });
	const isItem = kind === ITEM_ATTACHMENT;
	const name = String(metadata.name || 'attachment');
	const binary = await this.helpers.prepareBinaryData(
		content.body,
		isItem && !/\.eml$/i.test(name) ? `${name}.eml` : name,
		isItem ? 'message/rfc822' : String(metadata.contentType || 'application/octet-stream'),
	);
	return { json: attachmentOutput(metadata), binary: { [property]: binary } };
};
