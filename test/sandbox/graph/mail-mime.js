// @ts-check
'use strict';

/**
 * `GET /messages/{id}/$value`: the message as RFC 5322 / MIME text built from its properties (headers with
 * RFC 2047 encoded words where needed, the body as base64 UTF-8, attachments as
 * base64 parts of a multipart/mixed).
 */

const crypto = require('node:crypto');

/** @param {string} text */
function encodeWord(text) {
	// eslint-disable-next-line no-control-regex
	return /^[\x20-\x7e]*$/.test(text) ? text : `=?utf-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** @param {import('./outlook-store').Recipient | null} recipient */
function mailbox(recipient) {
	if (!recipient) return '';
	const { name, address } = recipient.emailAddress;
	if (!name || name === address) return `<${address}>`;
	// eslint-disable-next-line no-control-regex
	const quoted = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : encodeWord(name);
	return `${quoted} <${address}>`;
}

/** @param {Buffer} bytes */
function base64Lines(bytes) {
	return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** @param {string} value */
function rfc2822Date(value) {
	return new Date(value).toUTCString().replace('GMT', '+0000');
}

/** @param {import('./outlook-store').Message} message */
function toMime(message) {
	/** @type {string[]} */
	const headers = [];
	const add = (/** @type {string} */ name, /** @type {string} */ value) => value && headers.push(`${name}: ${value}`);
	add('From', mailbox(message.from));
	if (message.sender && message.from && message.sender.emailAddress.address.toLowerCase() !== message.from.emailAddress.address.toLowerCase()) {
		add('Sender', mailbox(message.sender));
	}
	add('To', message.toRecipients.map(mailbox).join(', '));
	add('CC', message.ccRecipients.map(mailbox).join(', '));
	if (message.isDraft) add('BCC', message.bccRecipients.map(mailbox).join(', '));
	add('Reply-To', message.replyTo.map(mailbox).join(', '));
	add('Subject', encodeWord(message.subject));
	add('Date', rfc2822Date(message.sentDateTime ?? message.createdDateTime));
	add('Message-ID', message.internetMessageId);
	add('Thread-Topic', encodeWord(message.subject.replace(/^(?:(?:re|fw|fwd):\s*)+/i, '')));
	if (message.importance !== 'normal') add('Importance', message.importance);
	for (const header of message.internetMessageHeaders) add(header.name, header.value);
	add('Content-Language', 'en-US');
	add('MIME-Version', '1.0');

	const bodyPart = [
		`Content-Type: ${message.body.contentType === 'html' ? 'text/html' : 'text/plain'}; charset="utf-8"`,
		'Content-Transfer-Encoding: base64',
		'',
		base64Lines(Buffer.from(message.body.content, 'utf8')),
	].join('\r\n');
	if (message.attachments.length === 0) return `${headers.join('\r\n')}\r\n${bodyPart}\r\n`;

	const boundary = `_002_${crypto.createHash('sha1').update(message.id).digest('hex').slice(0, 24)}_`;
	const parts = [bodyPart];
	for (const attachment of message.attachments) {
		const name = encodeWord(attachment.name).replace(/"/g, '');
		parts.push([
			`Content-Type: ${attachment.contentType}; name="${name}"`,
			`Content-Description: ${name}`,
			`Content-Disposition: ${attachment.isInline ? 'inline' : 'attachment'}; filename="${name}"; size=${attachment.size}`,
			...(attachment.contentId ? [`Content-ID: <${attachment.contentId}>`] : []),
			'Content-Transfer-Encoding: base64',
			'',
			base64Lines(attachment.bytes),
		].join('\r\n'));
	}
	return [
		...headers,
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		'',
		...parts.map((part) => `--${boundary}\r\n${part}`),
		`--${boundary}--`,
		'',
	].join('\r\n');
}

module.exports = { toMime, encodeWord };
