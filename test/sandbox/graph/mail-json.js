// @ts-check
'use strict';

/**
 * Graph JSON of mail: message (and the meeting messages eventMessageRequest / eventMessageResponse /
 * eventMessage), mailFolder and fileAttachment, with the property names of Graph's v1.0 CSDL; the OData
 * entity descriptions `$filter` / `$orderby` / `$select` use; body conversion for
 * `Prefer: outlook.body-content-type`.
 */

const { formatLocal } = require('./calendar-timezones');

/** message + outlookItem + entity properties (CSDL), what `$select` accepts. */
const MESSAGE_SELECT = [
	'id', 'categories', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'bccRecipients', 'body', 'bodyPreview', 'ccRecipients',
	'conversationId', 'conversationIndex', 'flag', 'from', 'hasAttachments', 'importance', 'inferenceClassification', 'internetMessageHeaders',
	'internetMessageId', 'isDeliveryReceiptRequested', 'isDraft', 'isRead', 'isReadReceiptRequested', 'parentFolderId', 'receivedDateTime',
	'replyTo', 'sender', 'sentDateTime', 'subject', 'toRecipients', 'uniqueBody', 'webLink',
];
const FOLDER_SELECT = ['id', 'childFolderCount', 'displayName', 'isHidden', 'parentFolderId', 'totalItemCount', 'unreadItemCount'];
const ATTACHMENT_SELECT = ['id', 'contentType', 'isInline', 'lastModifiedDateTime', 'name', 'size', 'contentBytes', 'contentId', 'contentLocation'];

/** @typedef {import('./outlook-odata').EntitySpec} EntitySpec */

/** @param {string} type @param {(json: any) => any} get */
const prop = (type, get) => ({ type: /** @type {import('./outlook-odata').ValueType} */ (type), get });

const MESSAGE_TIMES = /** @type {const} */ (['createdDateTime', 'lastModifiedDateTime', 'receivedDateTime', 'sentDateTime']);
/** A message time as stored (milliseconds), for filters and ordering; the JSON shows seconds. @param {any} m @param {string} name */
const preciseTime = (m, name) => m[PRECISE]?.[name] ?? m[name];
const PRECISE = Symbol('precise times');
/** @param {string | null} value */
const seconds = (value) => (value ? value.replace(/\.\d+Z$/, 'Z') : value);

/** @type {EntitySpec} */
const MESSAGE_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.Message',
	select: MESSAGE_SELECT,
	properties: {
		id: prop('string', (m) => m.id),
		subject: prop('string', (m) => m.subject),
		bodypreview: prop('string', (m) => m.bodyPreview),
		importance: prop('enum', (m) => m.importance),
		isread: prop('boolean', (m) => m.isRead),
		isdraft: prop('boolean', (m) => m.isDraft),
		hasattachments: prop('boolean', (m) => m.hasAttachments),
		isreadreceiptrequested: prop('boolean', (m) => m.isReadReceiptRequested),
		receiveddatetime: prop('datetime', (m) => preciseTime(m, 'receivedDateTime')),
		sentdatetime: prop('datetime', (m) => preciseTime(m, 'sentDateTime')),
		createddatetime: prop('datetime', (m) => preciseTime(m, 'createdDateTime')),
		lastmodifieddatetime: prop('datetime', (m) => preciseTime(m, 'lastModifiedDateTime')),
		'from/emailaddress/address': prop('string', (m) => m.from?.emailAddress?.address ?? null),
		'from/emailaddress/name': prop('string', (m) => m.from?.emailAddress?.name ?? null),
		'sender/emailaddress/address': prop('string', (m) => m.sender?.emailAddress?.address ?? null),
		'sender/emailaddress/name': prop('string', (m) => m.sender?.emailAddress?.name ?? null),
		conversationid: prop('string', (m) => m.conversationId),
		parentfolderid: prop('string', (m) => m.parentFolderId),
		internetmessageid: prop('string', (m) => m.internetMessageId),
		inferenceclassification: prop('enum', (m) => m.inferenceClassification),
		'flag/flagstatus': prop('enum', (m) => m.flag?.flagStatus ?? null),
	},
	lambdas: { categories: { items: (m) => m.categories, element: { '': prop('string', (c) => c) } } },
};

/** @type {EntitySpec} */
const FOLDER_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.MailFolder',
	select: FOLDER_SELECT,
	properties: {
		displayname: prop('string', (f) => f.displayName),
		totalitemcount: prop('number', (f) => f.totalItemCount),
		unreaditemcount: prop('number', (f) => f.unreadItemCount),
		childfoldercount: prop('number', (f) => f.childFolderCount),
		ishidden: prop('boolean', (f) => f.isHidden),
	},
};

/** @type {EntitySpec} */
const ATTACHMENT_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.Attachment',
	select: ATTACHMENT_SELECT,
	properties: { name: prop('string', (a) => a.name), size: prop('number', (a) => a.size), isinline: prop('boolean', (a) => a.isInline) },
};

/** @param {string} text */
function escapeHtml(text) {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** @param {string} text */
function textToHtml(text) {
	const inner = escapeHtml(text).replace(/\r?\n/g, '<br>\r\n');
	return `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div>${inner}</div>\r\n</body>\r\n</html>\r\n`;
}

/** @param {string} html */
function htmlToText(html) {
	return html
		.replace(/<(head|style|script)\b[\s\S]*?<\/\1>/gi, '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<\/(p|div|tr|li|h\d)>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
		.replace(/\r/g, '')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/**
 * A body in the form asked for ('html' unless `Prefer: outlook.body-content-type="text"`).
 * @param {{ contentType: string, content: string }} body @param {'html' | 'text'} want
 */
function bodyAs(body, want) {
	if (body.contentType === want) return { contentType: want, content: body.content };
	return want === 'html' ? { contentType: 'html', content: textToHtml(body.content) } : { contentType: 'text', content: htmlToText(body.content) };
}

/** The first 255 characters of the text. @param {{ contentType: string, content: string }} body */
function previewOf(body) {
	const text = body.contentType === 'html' ? htmlToText(body.content) : body.content;
	return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

/** @param {number} ms */
const utcDateTime = (ms) => ({ dateTime: formatLocal(ms), timeZone: 'UTC' });

/** @param {string} name */
const locationJson = (name) => ({ displayName: name, locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} });

/**
 * @param {import('./outlook-store').Message} message
 * @param {{ bodyType?: 'html' | 'text', recurrenceJson?: (r: any) => any }} [options]
 */
function messageJson(message, options = {}) {
	const body = bodyAs(message.body, options.bodyType ?? 'html');
	/** @type {Record<string, any>} */
	const json = { '@odata.etag': `W/"${message.changeKey}"` };
	const meeting = message.meeting;
	if (meeting) {
		json['@odata.type'] = meeting.kind === 'request' ? '#microsoft.graph.eventMessageRequest'
			: meeting.kind === 'response' ? '#microsoft.graph.eventMessageResponse' : '#microsoft.graph.eventMessage';
	}
	Object.assign(json, {
		id: message.id,
		createdDateTime: message.createdDateTime,
		lastModifiedDateTime: message.lastModifiedDateTime,
		changeKey: message.changeKey,
		categories: [...message.categories],
		receivedDateTime: message.receivedDateTime,
		sentDateTime: message.sentDateTime,
		hasAttachments: message.attachments.some((a) => !a.isInline),
		internetMessageId: message.internetMessageId,
		subject: message.subject,
		bodyPreview: previewOf(message.body),
		importance: message.importance,
		parentFolderId: message.folderId,
		conversationId: message.conversationId,
		conversationIndex: message.conversationIndex,
		isDeliveryReceiptRequested: message.isDeliveryReceiptRequested,
		isReadReceiptRequested: message.isReadReceiptRequested,
		isRead: message.isRead,
		isDraft: message.isDraft,
		webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(message.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
		inferenceClassification: message.inferenceClassification,
	});
	if (meeting) Object.assign(json, meetingProperties(meeting, options.recurrenceJson));
	Object.assign(json, {
		body,
		sender: message.sender,
		from: message.from,
		toRecipients: message.toRecipients,
		ccRecipients: message.ccRecipients,
		bccRecipients: message.bccRecipients,
		replyTo: message.replyTo,
		flag: message.flag,
	});
	for (const name of MESSAGE_TIMES) json[name] = seconds(message[name]);
	Object.defineProperty(json, PRECISE, { value: Object.fromEntries(MESSAGE_TIMES.map((name) => [name, message[name]])), enumerable: false });
	// Only through $select, as in Graph.
	Object.defineProperty(json, 'internetMessageHeaders', { value: message.internetMessageHeaders, enumerable: false });
	Object.defineProperty(json, 'uniqueBody', { value: body, enumerable: false });
	return json;
}

/** @param {import('./outlook-store').MeetingInfo} meeting @param {((r: any) => any) | undefined} recurrenceJson */
function meetingProperties(meeting, recurrenceJson) {
	const messageType = meeting.kind === 'request' ? 'meetingRequest' : meeting.kind === 'cancelled' ? 'meetingCancelled'
		: { accepted: 'meetingAccepted', tentativelyAccepted: 'meetingTenativelyAccepted', declined: 'meetingDeclined' }[meeting.responseType ?? ''] ?? 'none';
	/** @type {Record<string, any>} */
	const out = {
		meetingMessageType: messageType,
		type: meeting.recurrence ? 'seriesMaster' : 'singleInstance',
		isOutOfDate: false,
		isAllDay: meeting.isAllDay,
		isDelegated: false,
	};
	if (meeting.kind === 'request') {
		Object.assign(out, { responseRequested: true, allowNewTimeProposals: true, meetingRequestType: 'newMeetingRequest' });
	}
	if (meeting.kind === 'response') Object.assign(out, { responseType: meeting.responseType, proposedNewTime: null });
	Object.assign(out, {
		startDateTime: utcDateTime(meeting.start),
		endDateTime: utcDateTime(meeting.end),
		location: locationJson(meeting.location),
		recurrence: meeting.recurrence && recurrenceJson ? recurrenceJson(meeting.recurrence) : meeting.recurrence ?? null,
	});
	if (meeting.kind === 'request') Object.assign(out, { previousLocation: null, previousStartDateTime: null, previousEndDateTime: null });
	return out;
}

/**
 * @param {import('./outlook-store').Folder} folder @param {import('./outlook-store').OutlookStore} store
 * @param {import('./outlook-store').Mailbox} mailbox
 */
function folderJson(folder, store, mailbox) {
	const messages = store.messagesIn(mailbox, folder.id);
	return {
		id: folder.id,
		displayName: folder.displayName,
		parentFolderId: folder.parentFolderId,
		childFolderCount: store.childFolders(mailbox, folder.id).length,
		unreadItemCount: messages.filter((m) => !m.isRead).length,
		totalItemCount: messages.length,
		isHidden: folder.isHidden,
	};
}

/** @param {import('./outlook-store').Attachment} attachment */
function attachmentJson(attachment) {
	return {
		'@odata.type': '#microsoft.graph.fileAttachment',
		'@odata.mediaContentType': attachment.contentType,
		id: attachment.id,
		lastModifiedDateTime: attachment.lastModifiedDateTime,
		name: attachment.name,
		contentType: attachment.contentType,
		size: attachment.size,
		isInline: attachment.isInline,
		contentId: attachment.contentId,
		contentLocation: null,
		contentBytes: attachment.bytes.toString('base64'),
	};
}

module.exports = {
	MESSAGE_ENTITY, FOLDER_ENTITY, ATTACHMENT_ENTITY, MESSAGE_SELECT, preciseTime,
	messageJson, folderJson, attachmentJson, bodyAs, previewOf, textToHtml, htmlToText, escapeHtml, locationJson,
};
