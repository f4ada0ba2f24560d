/** What the attachment operations share: the message and attachment pickers, the path, the metadata output. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { locatorValue } from '../../shared/node/parameters';
import { attachmentLocator, messageLocator, messagePath, showFor, type OutlookRun } from './common';

/** The properties of an attachment's metadata (everything but its bytes). */
export const ATTACHMENT_SELECT = 'id,name,contentType,size,isInline,lastModifiedDateTime';

/** "Message" (a message or a draft) and, unless `withAttachment` is false, "Attachment". */
export function attachmentLocators(operation: string, withAttachment = true): INodeProperties[] {
	const message = {
		...messageLocator(showFor('attachment', operation)),
		description: 'The message or draft: pick a recent one (type to search by subject), paste its Outlook on the web link, or enter its ID',
	};
	return withAttachment ? [message, attachmentLocator(showFor('attachment', operation))] : [message];
}

/** `{mailbox}/messages/{id}/attachments/{id}`; both IDs checked before anything is sent. */
export function attachmentPath(this: IExecuteFunctions, run: OutlookRun, itemIndex: number): string {
	const message = messagePath.call(this, run, itemIndex);
	return `${message}/attachments/${encodePathSegment(locatorValue(this, 'attachmentId', itemIndex), 'Attachment')}`;
}

/** An attachment as output: without its bytes (unless `withContent`) and without OData context. */
export function attachmentOutput(attachment: IDataObject, withContent = false): IDataObject {
	const { contentBytes, '@odata.context': _context, ...metadata } = attachment;
	return withContent && contentBytes !== undefined ? { ...metadata, contentBytes } : metadata;
}
