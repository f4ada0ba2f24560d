import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { approvalMailHtml, approvalProperties, readApprovalRequest, waitForAnswer } from '../../../shared/node/approval';
import { graphRequest } from '../../../shared/transport';
import { parseRecipients } from '../../helpers/recipients';
import { showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = {
	name: 'Send and Wait for Response',
	value: 'sendAndWait',
	action: 'Send a message and wait for the answer',
	description: 'Ask for an approval, a choice or a written reply by mail and wait for it',
};

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'approvalTo',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. manager@contoso.com',
		description: 'Who is asked (the first answer counts), separated by commas',
		displayOptions: showFor('message', 'sendAndWait'),
	},
	...approvalProperties('message'),
];

/**
 * Sends the question once (for the first input item, as n8n's own approvals do) and waits. The answer arrives
 * through the node's webhook (shared/node/approval.ts) and becomes the node's output.
 */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	if (itemIndex > 0) return [];
	const to = parseRecipients(this.getNodeParameter('approvalTo', 0, ''), 'To');
	if (!to.length) throw new NodeOperationError(this.getNode(), '"To" is empty', { description: 'Enter who is asked.' });
	const request = readApprovalRequest.call(this);
	await graphRequest(this, run.conn, {
		method: 'POST',
		url: `${run.mailbox.path}/sendMail`,
		body: { message: { subject: request.subject, toRecipients: to, body: { contentType: 'HTML', content: approvalMailHtml(request) } }, saveToSentItems: true },
		itemIndex: 0,
		operation: 'send the question',
		requiredPermission: 'Mail.Send',
	});
	await waitForAnswer.call(this);
	return this.getInputData()[0]?.json ?? {};
};
