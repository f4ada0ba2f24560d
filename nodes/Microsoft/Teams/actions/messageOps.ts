/**
 * Channel and chat messages share their operations: the same content, outputs and rules; only where they live
 * differs (`/teams/{t}/channels/{c}/messages` or `/chats/{id}/messages`). Each factory takes that place.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { approvalProperties, readApprovalRequest, waitForAnswer, type ApprovalRequest } from '../../shared/node/approval';
import { locatorValue } from '../../shared/node/parameters';
import { graphGetAll } from '../../shared/paging';
import { graphRequest } from '../../shared/transport';
import { readLimit, requireDelegated, returnAllProperties, showFor, type TeamsOperation } from './common';
import { ADAPTIVE_CARD, contentProperties, readMessageContent, type MessageTarget } from './content';

/** Where a resource's messages live, from the node's fields for one item. */
export interface MessagePlace {
	resource: 'channelMessage' | 'chatMessage';
	/** The team / channel or chat pickers of this resource. */
	locators: (operation: string) => INodeProperties[];
	/** `/teams/{t}/channels/{c}` or `/chats/{id}`. */
	path(this: IExecuteFunctions, itemIndex: number): string;
	target(this: IExecuteFunctions, itemIndex: number): MessageTarget;
	/** Page size Graph allows when listing. */
	pageSize: number;
}

function messageLocatorProperty(resource: string, operation: string, name = 'messageId', displayName = 'Message ID'): INodeProperties {
	return { displayName, name, type: 'string', required: true, default: '', placeholder: 'e.g. 1700000000000', description: "The message's ID: the ID output by an earlier Teams step (e.g. Send or Get Many), or the long number in the message's link from Teams (\"Copy link\")", displayOptions: showFor(resource, operation) };
}

function messageIdPath(this: IExecuteFunctions, place: MessagePlace, itemIndex: number, name = 'messageId', field = 'Message ID'): string {
	return `${place.path.call(this, itemIndex)}/messages/${encodePathSegment(locatorValue(this, name, itemIndex), field)}`;
}

const what = (place: MessagePlace) => (place.resource === 'channelMessage' ? 'channel message' : 'chat message');

export function sendOperation(place: MessagePlace): TeamsOperation {
	return {
		option: { name: 'Send', value: 'send', action: `Send a ${what(place)}`, description: 'Text, HTML, mentions or an Adaptive Card' },
		description: [...place.locators('send'), ...contentProperties(place.resource, 'send', { card: true, mentions: place.resource === 'channelMessage' ? 'channel' : 'chat' })],
		async execute(itemIndex, run) {
			requireDelegated.call(this, run, `post a ${what(place)}`, itemIndex);
			const body = readMessageContent.call(this, itemIndex, place.target.call(this, itemIndex));
			const response = await graphRequest(this, run.conn, { method: 'POST', url: `${place.path.call(this, itemIndex)}/messages`, body, itemIndex, operation: `send the ${what(place)}` });
			return response.body as IDataObject;
		},
	};
}

export function replyOperation(place: MessagePlace): TeamsOperation {
	return {
		option: { name: 'Reply', value: 'reply', action: 'Reply to a channel message' },
		description: [...place.locators('reply'), messageLocatorProperty(place.resource, 'reply'), ...contentProperties(place.resource, 'reply', { card: true, mentions: 'channel' })],
		async execute(itemIndex, run) {
			requireDelegated.call(this, run, 'reply to a channel message', itemIndex);
			const body = readMessageContent.call(this, itemIndex, place.target.call(this, itemIndex));
			const response = await graphRequest(this, run.conn, { method: 'POST', url: `${messageIdPath.call(this, place, itemIndex)}/replies`, body, itemIndex, operation: 'reply to the message' });
			return response.body as IDataObject;
		},
	};
}

export function getOperation(place: MessagePlace): TeamsOperation {
	return {
		option: { name: 'Get', value: 'get', action: `Get a ${what(place)}` },
		description: [...place.locators('get'), messageLocatorProperty(place.resource, 'get')],
		async execute(itemIndex, run) {
			return (await graphRequest(this, run.conn, { url: messageIdPath.call(this, place, itemIndex), itemIndex, operation: `read the ${what(place)}` })).body as IDataObject;
		},
	};
}

export function getAllOperation(place: MessagePlace): TeamsOperation {
	const extra: INodeProperties[] =
		place.resource === 'channelMessage'
			? [{ displayName: 'Include Replies', name: 'includeReplies', type: 'boolean', default: false, description: 'Whether each message comes with its replies', displayOptions: showFor(place.resource, 'getAll') }]
			: [];
	return {
		option: { name: 'Get Many', value: 'getAll', action: `Get many ${what(place)}s`, description: 'Newest first, all pages or up to a limit' },
		description: [...place.locators('getAll'), ...extra, ...returnAllProperties(place.resource, 'getAll')],
		async execute(itemIndex, run) {
			const replies = extra.length > 0 && (this.getNodeParameter('includeReplies', itemIndex, false) as boolean);
			return await graphGetAll(this, run.conn, `${place.path.call(this, itemIndex)}/messages`, {
				pageSize: place.pageSize,
				limit: readLimit.call(this, itemIndex),
				qs: replies ? { $expand: 'replies' } : undefined,
				itemIndex,
				operation: `list ${what(place)}s`,
			});
		},
	};
}

export function updateOperation(place: MessagePlace): TeamsOperation {
	return {
		option: { name: 'Update', value: 'update', action: `Update a ${what(place)}`, description: 'Replace the content of a message you sent' },
		description: [...place.locators('update'), messageLocatorProperty(place.resource, 'update'), ...contentProperties(place.resource, 'update', { card: true, mentions: place.resource === 'channelMessage' ? 'channel' : 'chat' })],
		async execute(itemIndex, run) {
			requireDelegated.call(this, run, `edit a ${what(place)}`, itemIndex);
			const body = readMessageContent.call(this, itemIndex, place.target.call(this, itemIndex));
			const path = messageIdPath.call(this, place, itemIndex);
			await graphRequest(this, run.conn, { method: 'PATCH', url: path, body, itemIndex, operation: `update the ${what(place)}`, idempotent: true });
			return (await graphRequest(this, run.conn, { url: path, itemIndex, operation: `read the ${what(place)}` })).body as IDataObject;
		},
	};
}

export function deleteOperation(place: MessagePlace): TeamsOperation {
	return {
		option: { name: 'Delete', value: 'delete', action: `Delete a ${what(place)}`, description: 'Soft delete: Teams shows "This message has been deleted"; it can be undone there' },
		description: [...place.locators('delete'), messageLocatorProperty(place.resource, 'delete')],
		async execute(itemIndex, run) {
			requireDelegated.call(this, run, `delete a ${what(place)}`, itemIndex);
			await graphRequest(this, run.conn, { method: 'POST', url: `${messageIdPath.call(this, place, itemIndex)}/softDelete`, itemIndex, operation: `delete the ${what(place)}`, idempotent: true });
			return { deleted: true, id: locatorValue(this, 'messageId', itemIndex) };
		},
	};
}

/** The approval as an Adaptive Card: title, question and one button per answer (each opens the confirmation page). */
function approvalCard(request: ApprovalRequest): IDataObject {
	return {
		type: 'AdaptiveCard',
		version: '1.4',
		body: [
			{ type: 'TextBlock', text: request.subject, weight: 'Bolder', size: 'Medium', wrap: true },
			{ type: 'TextBlock', text: request.message, wrap: true },
			{ type: 'TextBlock', text: 'Each button opens a page where you confirm your answer; only the first answer counts.', isSubtle: true, size: 'Small', wrap: true },
		],
		actions: request.buttons.map((button) => ({ type: 'Action.OpenUrl', title: button.label, url: button.url })),
	};
}

export function sendAndWaitOperation(place: MessagePlace): TeamsOperation {
	const option: INodePropertyOptions = {
		name: 'Send and Wait for Response',
		value: 'sendAndWait',
		action: `Post an approval card and wait for the answer`,
		description: 'An Adaptive Card with approve / decline, your choices or a reply form; waits for the first answer',
	};
	return {
		option,
		description: [...place.locators('sendAndWait'), ...approvalProperties(place.resource)],
		async execute(itemIndex, run) {
			if (itemIndex > 0) return [];
			requireDelegated.call(this, run, `post a ${what(place)}`, itemIndex);
			const request = readApprovalRequest.call(this);
			const card = approvalCard(request);
			const id = 'approval';
			await graphRequest(this, run.conn, {
				method: 'POST',
				url: `${place.path.call(this, 0)}/messages`,
				body: { body: { contentType: 'html', content: `<attachment id="${id}"></attachment>` }, attachments: [{ id, contentType: ADAPTIVE_CARD, content: JSON.stringify(card) }] },
				itemIndex: 0,
				operation: 'post the approval card',
			});
			if (!request.buttons.length) throw new NodeOperationError(this.getNode(), 'The approval has no answers', { itemIndex: 0 });
			await waitForAnswer.call(this);
			return this.getInputData()[0]?.json ?? {};
		},
	};
}
