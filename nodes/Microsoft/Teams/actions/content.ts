/**
 * The content of a channel or chat message: text or HTML, @mentions built from friendly fields, an Adaptive Card
 * (checked before sending), a OneDrive / SharePoint file attached by reference, importance. Shared by the channel
 * message and chat message resources.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { assertWellFormedText } from '../../shared/input';
import { escapeHtml } from '../../shared/node/approval';
import { showFor } from '../../shared/node/descriptions';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function contentProperties(resource: string, operation: string, options: { card: boolean; mentions: 'channel' | 'chat' }): INodeProperties[] {
	const show = showFor(resource, operation);
	const properties: INodeProperties[] = [
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'options',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'HTML', value: 'html' },
				...(options.card ? [{ name: 'Adaptive Card', value: 'card', description: 'A card (JSON) with an optional text above it' }] : []),
			],
			default: 'text',
			description: 'What the message is made of',
			displayOptions: show,
		},
		{ displayName: 'Message', name: 'content', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'The message text (HTML for HTML)', displayOptions: show },
	];
	if (options.card) {
		properties.push({
			displayName: 'Adaptive Card (JSON)',
			name: 'card',
			type: 'json',
			default: '{\n  "type": "AdaptiveCard",\n  "version": "1.4",\n  "body": [{ "type": "TextBlock", "text": "Hello" }]\n}',
			description: 'The card as JSON (designer: adaptivecards.io/designer); checked before sending',
			displayOptions: showFor(resource, operation, { contentType: ['card'] }),
		});
	}
	properties.push({
		displayName: 'Options',
		name: 'messageOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Importance',
				name: 'importance',
				type: 'options',
				options: [
					{ name: 'Normal', value: 'normal' },
					{ name: 'High', value: 'high' },
					{ name: 'Urgent', value: 'urgent' },
				],
				default: 'normal',
				description: 'How important the message is',
			},
			{
				displayName: 'Mention Users',
				name: 'mentionUsers',
				type: 'string',
				default: '',
				placeholder: 'e.g. 6f1a9c2e-…:Bob, 00000000-…:Carol',
				description: 'People to @mention before the text. Write each person as their Microsoft 365 user ID (from a Get User step or Entra ID), a colon and the name to show; separate people with commas.',
			},
			...(options.mentions === 'channel'
				? [
						{ displayName: 'Mention Channel', name: 'mentionChannel', type: 'boolean' as const, default: false, description: 'Whether to @mention the channel' },
						{ displayName: 'Mention Team', name: 'mentionTeam', type: 'boolean' as const, default: false, description: 'Whether to @mention the team' },
					]
				: []),
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '', description: 'A subject line (channel posts)' },
			{
				displayName: 'File Link',
				name: 'fileUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://contoso.sharepoint.com/sites/Team/Shared%20Documents/report.docx',
				description: 'A OneDrive or SharePoint file to attach by reference (the file stays where it is)',
			},
		],
	});
	return properties;
}

/** The card JSON checked: an object of type AdaptiveCard with a version and a body array. */
function parseAdaptiveCard(value: unknown): IDataObject {
	let card: unknown = value;
	if (typeof value === 'string') {
		try {
			card = JSON.parse(value);
		} catch (error) {
			throw new Error(`is not valid JSON: ${(error as Error).message}`);
		}
	}
	if (!card || typeof card !== 'object' || Array.isArray(card)) throw new Error('must be a JSON object');
	const object = card as IDataObject;
	if (object.type !== 'AdaptiveCard') throw new Error('must have "type": "AdaptiveCard"');
	if (typeof object.version !== 'string' || !/^\d+\.\d+$/.test(object.version)) throw new Error('needs a "version" such as "1.4"');
	if (object.body !== undefined && !Array.isArray(object.body)) throw new Error('"body" must be an array of elements');
	if (JSON.stringify(object).length > 28_000) throw new Error('is larger than the 28 KB Teams accepts');
	return object;
}

export interface MessageTarget {
	/** For channel mentions: the team and channel IDs and names. */
	teamId?: string;
	channelId?: string;
}

/** The Graph chatMessage body from the fields; every check happens before anything is sent. */
export function readMessageContent(this: IExecuteFunctions, itemIndex: number, target: MessageTarget = {}): IDataObject {
	const type = String(this.getNodeParameter('contentType', itemIndex, 'text'));
	const text = assertWellFormedText(String(this.getNodeParameter('content', itemIndex, '')), 'Message');
	const options = this.getNodeParameter('messageOptions', itemIndex, {}) as IDataObject;
	const mentions: IDataObject[] = [];
	const tags: string[] = [];
	const mention = (name: string, mentioned: IDataObject) => {
		tags.push(`<at id="${mentions.length}">${escapeHtml(name)}</at>`);
		mentions.push({ id: mentions.length, mentionText: name, mentioned });
	};
	for (const pair of String(options.mentionUsers ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
		const [id, ...rest] = pair.split(':');
		const name = rest.join(':').trim() || id.trim();
		if (!/^[0-9a-f-]{36}$/i.test(id.trim())) {
			throw new NodeOperationError(this.getNode(), `"Mention Users": "${pair}" does not start with a user ID`, { itemIndex, description: 'Write each as user ID:display name, e.g. 6f1a9c2e-3b4d-4e5f-8a7b-1c2d3e4f5a6b:Bob.' });
		}
		mention(name, { user: { id: id.trim(), displayName: name, userIdentityType: 'aadUser' } });
	}
	if (options.mentionChannel && target.channelId) mention('channel', { conversation: { id: target.channelId, displayName: 'channel', conversationIdentityType: 'channel' } });
	if (options.mentionTeam && target.teamId) mention('team', { conversation: { id: target.teamId, displayName: 'team', conversationIdentityType: 'team' } });

	const attachments: IDataObject[] = [];
	let html = type === 'html' ? text : escapeHtml(text).replace(/\n/g, '<br>');
	if (type === 'card') {
		let card: IDataObject;
		try {
			card = parseAdaptiveCard(this.getNodeParameter('card', itemIndex, ''));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `"Adaptive Card (JSON)" ${(error as Error).message}`, { itemIndex, description: 'Check the card in the Adaptive Cards designer (adaptivecards.io/designer).' });
		}
		const id = randomUUID();
		attachments.push({ id, contentType: ADAPTIVE_CARD, content: JSON.stringify(card) });
		html = `${html}<attachment id="${id}"></attachment>`;
	}
	const fileUrl = String(options.fileUrl ?? '').trim();
	if (fileUrl) {
		let parsed: URL;
		try {
			parsed = new URL(fileUrl);
		} catch {
			throw new NodeOperationError(this.getNode(), '"File Link" is not a URL', { itemIndex, description: 'Paste the link of a OneDrive or SharePoint file.' });
		}
		if (parsed.protocol !== 'https:') throw new NodeOperationError(this.getNode(), '"File Link" must start with https://', { itemIndex });
		const id = randomUUID();
		attachments.push({ id, contentType: 'reference', contentUrl: fileUrl, name: decodeURIComponent(parsed.pathname.split('/').pop() || 'file') });
		html = `${html}<attachment id="${id}"></attachment>`;
	}
	if (!html.trim() && !attachments.length) throw new NodeOperationError(this.getNode(), '"Message" is empty', { itemIndex, description: 'Enter the text to post.' });
	const plain = type === 'text' && !mentions.length && !attachments.length;
	const body: IDataObject = { body: plain ? { contentType: 'text', content: text } : { contentType: 'html', content: `${tags.join(' ')}${tags.length ? ' ' : ''}${html}` } };
	if (mentions.length) body.mentions = mentions;
	if (attachments.length) body.attachments = attachments;
	if (options.importance && options.importance !== 'normal') body.importance = options.importance;
	if (options.subject) body.subject = assertWellFormedText(String(options.subject), 'Subject');
	return body;
}
