// @ts-check
'use strict';

/**
 * Reading message JSON sent by clients (create draft, PATCH, sendMail, reply/forward `message`):
 * recipients, bodies, file attachments with base64 `contentBytes`, typed values. Unknown property names are
 * refused like Graph's OData reader does; recipients' display names resolve for mailboxes of the sandbox.
 */

const { httpError } = require('../router');
const { MESSAGE_SELECT } = require('./mail-json');

/** Under 3 MB goes inline (`POST .../attachments`); 3 MB and more need an upload session. */
const INLINE_ATTACHMENT_LIMIT = 3 * 1024 * 1024;
/** Properties a draft accepts besides the ones any message accepts. */
const DRAFT_ONLY = ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'from', 'sender', 'isDeliveryReceiptRequested', 'isReadReceiptRequested', 'internetMessageHeaders'];
const READ_ONLY = ['id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'bodyPreview', 'conversationId', 'conversationIndex', 'hasAttachments',
	'internetMessageId', 'isDraft', 'parentFolderId', 'receivedDateTime', 'sentDateTime', 'webLink', 'uniqueBody'];

/** @param {string} type @param {unknown} value @param {string} name */
function typeError(type, value, name) {
	return httpError(400, 'BadRequest', `Cannot convert the literal '${typeof value === 'string' ? value : JSON.stringify(value)}' to the expected type '${type}' (property '${name}').`);
}

/** @param {unknown} value @param {string} name */
function booleanValue(value, name) {
	if (typeof value !== 'boolean') throw typeError('Edm.Boolean', value, name);
	return value;
}

/** @param {unknown} value @param {string} name @param {string[]} members @param {string} enumName */
function enumValue(value, name, members, enumName) {
	const found = typeof value === 'string' ? members.find((m) => m.toLowerCase() === value.toLowerCase()) : undefined;
	if (!found) throw httpError(400, 'BadRequest', `Requested value '${String(value)}' was not found in enum type 'microsoft.graph.${enumName}' (property '${name}').`);
	return found;
}

/**
 * @param {(address: string) => string | null} nameOf display name of a sandbox mailbox by address
 */
function createComposer(nameOf) {
	/** @param {any} value @param {string} field @returns {import('./outlook-store').Recipient} */
	const recipient = (value, field) => {
		const address = value?.emailAddress?.address;
		if (!value || typeof value !== 'object' || typeof value.emailAddress !== 'object' || typeof address !== 'string') {
			throw httpError(400, 'ErrorInvalidRecipients', `At least one recipient isn't valid., A recipient in ${field} has no emailAddress.address.`);
		}
		const name = typeof value.emailAddress.name === 'string' && value.emailAddress.name !== '' ? value.emailAddress.name : nameOf(address) ?? address;
		return { emailAddress: { name, address } };
	};
	/** @param {any} list @param {string} field */
	const recipients = (list, field) => {
		if (list === null || list === undefined) return [];
		if (!Array.isArray(list)) throw typeError(`Collection(microsoft.graph.recipient)`, list, field);
		return list.map((value) => recipient(value, field));
	};

	/**
	 * The fields of a message JSON a client sent.
	 * @param {Record<string, any>} body @param {{ draft: boolean }} options draft: whether compose-time fields may be set
	 * @returns {Partial<import('./outlook-store').Message>}
	 */
	function messageFields(body, options) {
		/** @type {Record<string, any>} */
		const out = {};
		for (const [key, value] of Object.entries(body)) {
			if (key.startsWith('@') || key === 'attachments') continue;
			if (!MESSAGE_SELECT.includes(key)) {
				throw httpError(400, 'BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
			}
			if (READ_ONLY.includes(key)) continue;
			if (DRAFT_ONLY.includes(key) && !options.draft) {
				throw httpError(400, 'ErrorInvalidPropertyUpdateSentMessage', 'Update operation is invalid for property of a sent message.');
			}
			out[key] = fieldValue(key, value);
		}
		return out;
	}

	/** @param {string} key @param {any} value */
	function fieldValue(key, value) {
		switch (key) {
			case 'subject':
				if (value !== null && typeof value !== 'string') throw typeError('Edm.String', value, key);
				return value ?? '';
			case 'body': {
				if (!value || typeof value !== 'object') throw typeError('microsoft.graph.itemBody', value, key);
				const contentType = value.contentType === undefined ? 'text' : enumValue(value.contentType, 'body.contentType', ['text', 'html'], 'bodyType');
				return { contentType, content: String(value.content ?? '') };
			}
			case 'toRecipients': case 'ccRecipients': case 'bccRecipients': case 'replyTo':
				return recipients(value, key);
			case 'from': case 'sender':
				return value === null ? null : recipient(value, key);
			case 'isRead': case 'isDeliveryReceiptRequested': case 'isReadReceiptRequested':
				return booleanValue(value, key);
			case 'importance':
				return enumValue(value, key, ['low', 'normal', 'high'], 'importance');
			case 'inferenceClassification':
				return enumValue(value, key, ['focused', 'other'], 'inferenceClassificationType');
			case 'categories':
				if (!Array.isArray(value) || value.some((c) => typeof c !== 'string')) throw typeError('Collection(Edm.String)', value, key);
				return [...value];
			case 'flag': {
				if (!value || typeof value !== 'object') throw typeError('microsoft.graph.followupFlag', value, key);
				/** @type {Record<string, any>} */
				const flag = { flagStatus: value.flagStatus === undefined ? 'notFlagged' : enumValue(value.flagStatus, 'flag.flagStatus', ['notFlagged', 'complete', 'flagged'], 'followupFlagStatus') };
				for (const extra of ['startDateTime', 'dueDateTime', 'completedDateTime']) if (value[extra]) flag[extra] = value[extra];
				return flag;
			}
			case 'internetMessageHeaders':
				if (!Array.isArray(value)) throw typeError('Collection(microsoft.graph.internetMessageHeader)', value, key);
				return value.map((h) => ({ name: String(h.name), value: String(h.value) }));
			default:
				return value;
		}
	}

	return { recipient, recipients, messageFields };
}

/**
 * A `fileAttachment` JSON → the parts of an attachment (400 for other kinds, bad base64, a missing name;
 * `limit` bytes and more → 413).
 * @param {any} value @param {{ limit?: number }} [options]
 */
function fileAttachmentFrom(value, options = {}) {
	if (!value || typeof value !== 'object') throw httpError(400, 'BadRequest', 'An attachment must be a JSON object.');
	const type = String(value['@odata.type'] ?? '').replace(/^#/, '').toLowerCase();
	if (!type) throw httpError(400, 'BadRequest', 'Cannot create an abstract class.');
	if (type !== 'microsoft.graph.fileattachment') {
		throw httpError(400, 'ErrorInvalidRequest', `The sandbox models file attachments only ('${value['@odata.type']}' is an item or reference attachment).`);
	}
	if (typeof value.name !== 'string' || value.name === '') throw httpError(400, 'ErrorInvalidRequest', 'The attachment name is required.');
	if (typeof value.contentBytes !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(value.contentBytes)) {
		throw typeError('Edm.Binary', typeof value.contentBytes === 'string' ? value.contentBytes.slice(0, 40) : value.contentBytes, 'contentBytes');
	}
	const bytes = Buffer.from(value.contentBytes, 'base64');
	if (options.limit !== undefined && bytes.length >= options.limit) {
		throw httpError(413, 'RequestEntityTooLarge', `The attachment is ${bytes.length} bytes; attachments of 3 MB or more must be uploaded with attachments/createUploadSession.`);
	}
	return {
		name: value.name,
		contentType: typeof value.contentType === 'string' && value.contentType ? value.contentType : guessType(value.name),
		bytes,
		isInline: value.isInline === true,
		contentId: typeof value.contentId === 'string' ? value.contentId : null,
	};
}

/** A content type from the file extension (Exchange guesses too). @param {string} name */
function guessType(name) {
	const ext = name.toLowerCase().split('.').pop() ?? '';
	return /** @type {Record<string, string>} */ ({
		txt: 'text/plain', csv: 'text/csv', html: 'text/html', pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
		gif: 'image/gif', json: 'application/json', zip: 'application/zip', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	})[ext] ?? 'application/octet-stream';
}

module.exports = { createComposer, fileAttachmentFrom, guessType, booleanValue, enumValue, INLINE_ATTACHMENT_LIMIT, DRAFT_ONLY };
