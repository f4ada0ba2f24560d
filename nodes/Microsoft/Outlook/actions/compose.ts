/**
 * Writing mail (message send / reply / forward, draft create / update): the fields, the message object Graph
 * takes, and attachments of any size Outlook accepts. Up to 3 MB each (and 3 MB together) they travel inline in
 * one request; otherwise the message becomes a draft, each attachment is added (large ones through Outlook's
 * attachment upload session) and the draft is sent — one operation for the user. If anything fails before the
 * send, the draft is deleted again: no message goes out without its attachments, and none is left half-made.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeApiError } from '../../shared/errors';
import { assertWellFormedText, encodePathSegment } from '../../shared/input';
import { readBinarySources, type BinarySource } from '../../shared/node/binary';
import { showFor } from '../../shared/node/descriptions';
import { graphRequest, sendAuthenticated } from '../../shared/transport';
import { FRAGMENT_UNIT, uploadToSession } from '../../shared/uploadSession';
import { parseRecipients } from '../helpers/recipients';
import { IMPORTANCE_OPTIONS, type OutlookRun } from './common';

/** Attachments under this size are sent inline as `contentBytes`; from it on, through an upload session (Graph: "under 3 MB"). */
const INLINE_ATTACHMENT_LIMIT = 3 * 1024 * 1024;
/** Largest attachment Outlook accepts through an upload session. */
const MAX_ATTACHMENT_SIZE = 150 * 1024 * 1024;
/** Outlook's upload sessions take chunks of at most 4 MB: 12 × 320 KiB = 3.75 MiB. */
const ATTACHMENT_CHUNK = 12 * FRAGMENT_UNIT;

export interface ComposeFields {
	recipients: 'required' | 'optional' | 'none';
	subject: boolean;
	/** The Attachments field (default true). */
	attachments?: boolean;
	/** The message is sent by this operation: offers "Save to Sent Items" (default true). */
	sending?: boolean;
}

/** Recipients, subject, body and options of a message being written. `recipients: 'none'` for replies. */
export function composeProperties(resource: string, operation: string, options: ComposeFields): INodeProperties[] {
	const show = showFor(resource, operation);
	const properties: INodeProperties[] = [];
	if (options.recipients !== 'none') {
		properties.push({
			displayName: 'To',
			name: 'toRecipients',
			type: 'string',
			required: options.recipients === 'required',
			default: '',
			placeholder: 'e.g. alice@contoso.com, Bob <bob@contoso.com>',
			description: 'Recipients, separated by commas',
			displayOptions: show,
		});
	}
	if (options.subject) {
		properties.push({ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'Subject line', displayOptions: show });
	}
	properties.push(
		{
			displayName: 'Body Format',
			name: 'bodyContentType',
			type: 'options',
			options: [
				{ name: 'Text', value: 'Text' },
				{ name: 'HTML', value: 'HTML' },
			],
			default: 'Text',
			description: 'Whether the body is plain text or HTML',
			displayOptions: show,
		},
		{
			displayName: options.subject ? 'Body' : 'Comment',
			name: 'bodyContent',
			type: 'string',
			typeOptions: { rows: 5 },
			default: '',
			description: options.subject ? 'The message text' : 'Text put above the original message',
			displayOptions: show,
		},
		...(options.attachments !== false
			? [
					{
						displayName: 'Attachments',
						name: 'attachments',
						type: 'string' as const,
						default: '',
						placeholder: 'e.g. data, invoice',
						description: 'Binary fields of the input item to attach, separated by commas; each up to 150 MB',
						displayOptions: show,
					},
				]
			: []),
		{
			displayName: 'Options',
			name: 'composeOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: show,
			options: [
				...(options.recipients !== 'none'
					? [
							{ displayName: 'CC', name: 'ccRecipients', type: 'string' as const, default: '', description: 'Copy recipients, separated by commas' },
							{ displayName: 'BCC', name: 'bccRecipients', type: 'string' as const, default: '', description: 'Blind copy recipients, separated by commas' },
						]
					: []),
				{ displayName: 'Reply To', name: 'replyTo', type: 'string', default: '', description: 'Addresses replies should go to, separated by commas' },
				{
					displayName: 'Importance',
					name: 'importance',
					type: 'options',
					options: IMPORTANCE_OPTIONS,
					default: 'normal',
					description: 'How important the message is',
				},
				{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Outlook categories, separated by commas' },
				...(options.sending !== false
					? [{ displayName: 'Save to Sent Items', name: 'saveToSentItems', type: 'boolean' as const, default: true, description: 'Whether a copy is kept in Sent Items' }]
					: []),
			],
		},
	);
	return properties;
}

export interface Composed {
	/** The Graph message object (recipients, subject, body, options); no attachments. */
	message: IDataObject;
	/** The comment for reply / forward (Graph's `comment`). */
	comment: string;
	attachments: BinarySource[];
	saveToSentItems: boolean;
}

/** Reads and checks every field before anything is sent: addresses, text, attachments (exist, ≤ 150 MB). */
export async function readComposed(this: IExecuteFunctions, itemIndex: number): Promise<Composed> {
	const get = (name: string, fallback: unknown = '') => this.getNodeParameter(name, itemIndex, fallback);
	const options = get('composeOptions', {}) as IDataObject;
	const message: IDataObject = {};
	const to = parseRecipients(get('toRecipients', ''), 'To');
	if (to.length) message.toRecipients = to;
	for (const [name, field] of [['ccRecipients', 'CC'], ['bccRecipients', 'BCC'], ['replyTo', 'Reply To']] as const) {
		const list = parseRecipients(options[name] ?? '', field);
		if (list.length) message[name] = list;
	}
	const subject = assertWellFormedText(String(get('subject', '')), 'Subject');
	if (subject) message.subject = subject;
	const body = assertWellFormedText(String(get('bodyContent', '')), 'Body');
	const contentType = String(get('bodyContentType', 'Text'));
	if (body) message.body = { contentType, content: body };
	if (options.importance) message.importance = options.importance;
	const categories = String(options.categories ?? '').split(',').map((c) => c.trim()).filter(Boolean);
	if (categories.length) message.categories = categories;
	const attachments = await readBinarySources.call(this, itemIndex, String(get('attachments', '')), 'Attachments');
	for (const attachment of attachments) assertAttachmentSize.call(this, attachment, 'Attachments', itemIndex);
	return { message, comment: body, attachments, saveToSentItems: options.saveToSentItems !== false };
}

/** Refuses, naming `field`, a file above Outlook's 150 MB per attachment (before anything is sent). */
export function assertAttachmentSize(this: IExecuteFunctions, source: BinarySource, field: string, itemIndex: number): void {
	if (source.size <= MAX_ATTACHMENT_SIZE) return;
	throw new NodeOperationError(this.getNode(), `"${field}": "${source.property}" is ${source.size} bytes, above Outlook's 150 MB per attachment`, {
		itemIndex,
		description: 'Share large files with a link instead (for example with the OneDrive node). Nothing was sent.',
	});
}

/** Whether every attachment can travel inline in the send request itself. */
export function fitsInline(attachments: BinarySource[]): boolean {
	return attachments.reduce((total, a) => total + a.size, 0) < INLINE_ATTACHMENT_LIMIT;
}

function attachmentName(source: BinarySource): string {
	return source.fileName || source.property;
}

/** `fileAttachment` objects with the bytes inline (base64). */
export async function inlineAttachments(attachments: BinarySource[]): Promise<IDataObject[]> {
	const result: IDataObject[] = [];
	for (const source of attachments) {
		const bytes = (await source.open({ stream: false })) as Buffer;
		result.push({ '@odata.type': '#microsoft.graph.fileAttachment', name: attachmentName(source), contentType: source.mimeType, contentBytes: bytes.toString('base64') });
	}
	return result;
}

/** Outlook's upload session answers the last chunk with the attachment's address: `.../Attachments('AAMk...')`. */
const ATTACHMENT_LOCATION_ID = /\/Attachments\('([^']+)'\)/i;

/** What is known of an attachment just added (never its bytes). */
function addedAttachment(source: BinarySource, answer: IDataObject, location?: string): IDataObject {
	const { contentBytes: _bytes, '@odata.context': _context, ...rest } = answer;
	const id = rest.id ?? (location ? ATTACHMENT_LOCATION_ID.exec(location)?.[1] : undefined);
	return { ...rest, id, name: rest.name ?? attachmentName(source), contentType: rest.contentType ?? source.mimeType, size: rest.size ?? source.size };
}

/**
 * Adds one attachment to an existing message (draft): inline under 3 MB, else through an upload session.
 * Returns its metadata (ID, name, type, size), never the bytes.
 */
export async function addAttachment(this: IExecuteFunctions, run: OutlookRun, messagePath: string, source: BinarySource, itemIndex: number): Promise<IDataObject> {
	const operation = `attach "${attachmentName(source)}"`;
	if (source.size < INLINE_ATTACHMENT_LIMIT) {
		const [attachment] = await inlineAttachments([source]);
		const response = await graphRequest(this, run.conn, { method: 'POST', url: `${messagePath}/attachments`, body: attachment, itemIndex, operation });
		return addedAttachment(source, (response.body ?? {}) as IDataObject);
	}
	const session = await graphRequest(this, run.conn, {
		method: 'POST',
		url: `${messagePath}/attachments/createUploadSession`,
		body: { AttachmentItem: { attachmentType: 'file', name: attachmentName(source), size: source.size, contentType: source.mimeType } },
		itemIndex,
		operation,
	});
	const uploadUrl = (session.body as IDataObject)?.uploadUrl;
	if (typeof uploadUrl !== 'string') throw new NodeOperationError(this.getNode(), 'Outlook created an attachment upload session without an upload URL', { itemIndex });
	const result = await uploadToSession(this, {
		uploadUrl,
		source: await source.open({ stream: true, chunkSize: ATTACHMENT_CHUNK }),
		size: source.size,
		fragmentSize: ATTACHMENT_CHUNK,
		// Outlook's attachment sessions answer PUT and DELETE only: a failed chunk is sent again.
		resume: 'resend',
		itemIndex,
		operation,
	});
	return addedAttachment(source, result.item, result.headers.location);
}

/** Deletes a draft this run created; failures are reported in the error, not thrown. */
async function removeDraft(this: IExecuteFunctions, run: OutlookRun, draftPath: string): Promise<boolean> {
	try {
		const response = await sendAuthenticated(this, run.conn, { method: 'DELETE', url: draftPath });
		return response.status < 300 || response.status === 404;
	} catch {
		return false;
	}
}

/**
 * Adds the attachments to a draft this run created. Any failure deletes the draft again; the error says
 * nothing was sent. Returns the attachments' metadata.
 */
export async function attachToNewDraft(this: IExecuteFunctions, run: OutlookRun, draftId: string, attachments: BinarySource[], itemIndex: number): Promise<IDataObject[]> {
	const draftPath = `${run.mailbox.path}/messages/${encodePathSegment(draftId, 'Draft')}`;
	const added: IDataObject[] = [];
	try {
		for (const source of attachments) added.push(await addAttachment.call(this, run, draftPath, source, itemIndex));
	} catch (error) {
		const nodeError = toNodeApiError(this.getNode(), error, { itemIndex });
		const removed = await removeDraft.call(this, run, draftPath);
		nodeError.description = [nodeError.description, removed ? 'Nothing was sent, and the draft this run created was deleted again.' : `Nothing was sent; the draft (ID ${draftId}) could not be deleted and is still in Drafts.`]
			.filter(Boolean)
			.join(' ');
		throw nodeError;
	}
	return added;
}

/**
 * Sends a draft: one POST that is never repeated after it may have reached Microsoft (not idempotent: the
 * transport repeats it only when the answer proves nothing was done).
 */
export async function sendDraft(this: IExecuteFunctions, run: OutlookRun, draftPath: string, itemIndex: number): Promise<void> {
	await graphRequest(this, run.conn, { method: 'POST', url: `${draftPath}/send`, itemIndex, operation: 'send the message', requiredPermission: 'Mail.Send' });
}

/** Adds the attachments to a draft this run created (deleted again if that fails) and sends it. */
export async function attachAndSend(this: IExecuteFunctions, run: OutlookRun, draftId: string, attachments: BinarySource[], itemIndex: number): Promise<void> {
	await attachToNewDraft.call(this, run, draftId, attachments, itemIndex);
	await sendDraft.call(this, run, `${run.mailbox.path}/messages/${encodePathSegment(draftId, 'Draft')}`, itemIndex);
}
