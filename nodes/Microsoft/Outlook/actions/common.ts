/** What Outlook's operations share: the run context, addressing, pickers and the message output. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { showFor } from '../../shared/node/descriptions';
import { outputProperties, readOutputShape, type OutputShape } from '../../shared/node/outputShape';
import { locatorMode, locatorValue, type NodeContext } from '../../shared/node/parameters';
import { resourceLocator } from '../../shared/node/rlc';
import type { OperationModule, RunBase } from '../../shared/node/router';
import type { ResolvedTarget } from '../../shared/node/target';
import { MESSAGE_SIMPLIFIED_SELECT, simplifyMessage } from '../helpers/simplify';

export { readLimit, returnAllProperties, showFor } from '../../shared/node/descriptions';

/** Outlook's importance levels (send, update, filters). */
export const IMPORTANCE_OPTIONS = [
	{ name: 'Low', value: 'low' },
	{ name: 'Normal', value: 'normal' },
	{ name: 'High', value: 'high' },
];

export interface OutlookRun extends RunBase {
	/** `/me` or `/users/{address}`: every path starts here. */
	mailbox: ResolvedTarget;
}

export type OutlookOperation = OperationModule<OutlookRun>;

/** Outlook on the web item links: `.../mail/inbox/id/AAMk...` or `...?ItemID=AAMk...`. */
const OUTLOOK_URL_ID = /(?:\/id\/|[?&]ItemID=)([^/?&#]+)/i;
const MAILBOX_DEPENDENCIES = ['mailbox', 'mailboxUser.value'];

/** A mail item picker: `list` searches by subject, an Outlook on the web link, or an ID. */
function mailItemLocator(displayOptions: IDisplayOptions, name: string, displayName: string, description: string, list: { searchListMethod: string; placeholder: string }): INodeProperties {
	return resourceLocator({
		name,
		displayName,
		description,
		displayOptions,
		list,
		url: { placeholder: 'e.g. https://outlook.office.com/mail/inbox/id/AAMkAD...', regex: 'https://.+', errorMessage: `Paste the link of the ${displayName.toLowerCase()} in Outlook on the web` },
		id: { placeholder: 'e.g. AAMkADg3...' },
		dependsOn: MAILBOX_DEPENDENCIES,
	});
}

/** A message picker: recent messages (search by subject), an Outlook on the web link, or an ID. */
export function messageLocator(displayOptions: IDisplayOptions, name = 'messageId', displayName = 'Message'): INodeProperties {
	return mailItemLocator(displayOptions, name, displayName, 'The message: pick a recent one (type to search by subject), paste its Outlook on the web link, or enter its ID', {
		searchListMethod: 'searchMessages',
		placeholder: 'Select a message...',
	});
}

/** A draft picker: the messages in Drafts (search by subject), an Outlook on the web link, or an ID. */
export function draftLocator(displayOptions: IDisplayOptions): INodeProperties {
	return mailItemLocator(displayOptions, 'draftId', 'Draft', 'The draft: pick one from Drafts (type to search by subject), paste its Outlook on the web link, or enter its ID', {
		searchListMethod: 'searchDrafts',
		placeholder: 'Select a draft...',
	});
}

/** An attachment picker: the attachments of the message in "Message" (by name), or an ID. */
export function attachmentLocator(displayOptions: IDisplayOptions): INodeProperties {
	return resourceLocator({
		name: 'attachmentId',
		displayName: 'Attachment',
		description: 'The attachment: pick it from the message\'s attachments, or enter its ID',
		displayOptions,
		list: { searchListMethod: 'searchAttachments', placeholder: 'Select an attachment...' },
		id: { placeholder: 'e.g. AAMkADg3...' },
		dependsOn: [...MAILBOX_DEPENDENCIES, 'messageId.value'],
	});
}

/** A mail folder picker: folders with their path (well-known ones first), or an ID or well-known name (inbox, sentitems, archive...). */
export function folderLocator(displayOptions: IDisplayOptions, options: { name?: string; displayName?: string; required?: boolean; description?: string } = {}): INodeProperties {
	return resourceLocator({
		name: options.name ?? 'folderId',
		displayName: options.displayName ?? 'Folder',
		required: options.required ?? true,
		description: options.description ?? 'The mail folder: pick it (nested folders show their path), or enter its ID or a well-known name such as inbox',
		displayOptions,
		list: { searchListMethod: 'searchFolders', placeholder: 'Select a folder...' },
		id: { placeholder: 'e.g. inbox, archive or AAMkADg3...' },
		dependsOn: MAILBOX_DEPENDENCIES,
	});
}

/** The ID in a message locator (from a pasted Outlook link too); refused naming the field when unusable. */
export function locatorId(this: NodeContext, name: string, field: string, itemIndex: number): string {
	const value = locatorValue(this, name, itemIndex);
	if (locatorMode(this, name, itemIndex) === 'url') {
		const match = OUTLOOK_URL_ID.exec(value);
		if (!match) {
			throw new NodeOperationError(this.getNode(), `"${field}" link has no item ID`, {
				itemIndex,
				description: 'Open the item in Outlook on the web and copy the address from the browser (it contains /id/...).',
			});
		}
		return decodeURIComponent(match[1]);
	}
	return value;
}

/** `{mailbox}/messages/{id}` for the message locator `name`. */
export function messagePath(this: IExecuteFunctions, run: OutlookRun, itemIndex: number, name = 'messageId', field = 'Message'): string {
	return `${run.mailbox.path}/messages/${encodePathSegment(locatorId.call(this, name, field, itemIndex), field)}`;
}

/** `{mailbox}/mailFolders/{id}` for the folder locator `name` (an ID or a well-known name). */
export function folderPath(this: IExecuteFunctions, run: OutlookRun, itemIndex: number, name = 'folderId', field = 'Folder'): string {
	return `${run.mailbox.path}/mailFolders/${encodePathSegment(locatorValue(this, name, itemIndex), field)}`;
}

/** Fields offered under Output → Selected Fields for messages. */
const MESSAGE_FIELDS = [
	'id', 'subject', 'body', 'bodyPreview', 'from', 'sender', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo',
	'receivedDateTime', 'sentDateTime', 'isRead', 'isDraft', 'hasAttachments', 'importance', 'categories', 'flag',
	'conversationId', 'internetMessageId', 'parentFolderId', 'webLink',
].map((field) => ({ name: field, value: field }));

export function messageOutput(resource: string, operation: string): INodeProperties[] {
	return outputProperties(showFor(resource, operation), 'message', MESSAGE_FIELDS);
}

export function readMessageOutput(this: IExecuteFunctions, itemIndex: number): OutputShape {
	return readOutputShape.call(this, itemIndex, { simplifiedSelect: MESSAGE_SIMPLIFIED_SELECT, simplify: simplifyMessage });
}
