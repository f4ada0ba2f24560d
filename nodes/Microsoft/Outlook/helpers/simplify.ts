/** Compact Outlook objects for Output → Simplified, and the Graph properties each needs ($select). */
import type { IDataObject } from 'n8n-workflow';

import { recipientsText } from './recipients';

export const MESSAGE_SIMPLIFIED_SELECT = [
	'id', 'subject', 'from', 'toRecipients', 'ccRecipients', 'receivedDateTime', 'sentDateTime', 'isRead', 'isDraft',
	'hasAttachments', 'importance', 'categories', 'bodyPreview', 'webLink', 'conversationId', 'parentFolderId', 'flag',
];

export function simplifyMessage(message: IDataObject): IDataObject {
	const simple: IDataObject = {
		id: message.id,
		subject: message.subject,
		from: recipientsText(message.from ? [message.from] : [])[0],
		to: recipientsText(message.toRecipients),
		cc: recipientsText(message.ccRecipients),
		receivedDateTime: message.receivedDateTime,
		sentDateTime: message.sentDateTime,
		isRead: message.isRead,
		isDraft: message.isDraft,
		hasAttachments: message.hasAttachments,
		importance: message.importance,
		categories: message.categories,
		flag: (message.flag as IDataObject | undefined)?.flagStatus,
		preview: message.bodyPreview,
		webLink: message.webLink,
		conversationId: message.conversationId,
		folderId: message.parentFolderId,
	};
	for (const key of Object.keys(simple)) if (simple[key] === undefined) delete simple[key];
	return simple;
}

export const FOLDER_SELECT = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'unreadItemCount', 'totalItemCount', 'isHidden'];
