import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { assertWellFormedText, InputValueError } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { graphRequest } from '../../../shared/transport';
import { showFor, type OutlookOperation } from '../common';
import { EVENT } from '../eventCommon';
import { itemLocator, itemPath } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Respond', value: 'respond', action: 'Respond to an event invitation', description: 'Accept, tentatively accept or decline a meeting' };

const show = showFor('event', 'respond');
const RESPONSES = ['accept', 'tentativelyAccept', 'decline'];

export const description: INodeProperties[] = [
	itemLocator(EVENT, show),
	{
		displayName: 'Response',
		name: 'response',
		type: 'options',
		options: [
			{ name: 'Accept', value: 'accept' },
			{ name: 'Tentatively Accept', value: 'tentativelyAccept' },
			{ name: 'Decline', value: 'decline' },
		],
		default: 'accept',
		description: 'Your answer to the invitation',
		displayOptions: show,
	},
	{ displayName: 'Comment', name: 'comment', type: 'string', typeOptions: { rows: 3 }, default: '', description: 'Text sent with the response', displayOptions: show },
	{ displayName: 'Send Response', name: 'sendResponse', type: 'boolean', default: true, description: 'Whether the organizer gets your response by mail (off: only your calendar changes)', displayOptions: show },
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const response = String(this.getNodeParameter('response', itemIndex, 'accept'));
	if (!RESPONSES.includes(response)) throw new InputValueError('Response', `is "${response}"`, `Use one of ${RESPONSES.join(', ')}.`);
	const comment = assertWellFormedText(String(this.getNodeParameter('comment', itemIndex, '')), 'Comment');
	const sendResponse = this.getNodeParameter('sendResponse', itemIndex, true) === true;
	const url = `${itemPath.call(this, EVENT, run, itemIndex)}/${response}`;
	// Answering again without a mail changes nothing: such a POST may be repeated after a lost answer.
	await graphRequest(this, run.conn, { method: 'POST', url, body: { comment, sendResponse }, idempotent: !sendResponse, itemIndex, operation: `${response} the event` });
	return { responded: true, response, id: locatorValue(this, EVENT.locatorName, itemIndex), sendResponse };
};
