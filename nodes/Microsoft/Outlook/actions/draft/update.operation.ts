import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { composeProperties, readComposed } from '../compose';
import { draftLocator, messageOutput, messagePath, readMessageOutput, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = {
	name: 'Update',
	value: 'update',
	action: 'Update a draft',
	description: 'Change a draft\'s recipients, subject, body or options; empty fields stay as they are',
};

export const description: INodeProperties[] = [
	draftLocator(showFor('draft', 'update')),
	...composeProperties('draft', 'update', { recipients: 'optional', subject: true, attachments: false, sending: false }),
	...messageOutput('draft', 'update'),
];

/** One PATCH with the fields that are filled in (idempotent: repeating it sets the same values again). */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const url = messagePath.call(this, run, itemIndex, 'draftId', 'Draft');
	const { message } = await readComposed.call(this, itemIndex);
	if (!Object.keys(message).length) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update: "To", "Subject", "Body" and "Options" are empty', {
			itemIndex,
			description: 'Fill in at least one field to change; empty fields keep the draft\'s current value.',
		});
	}
	const output = readMessageOutput.call(this, itemIndex);
	const response = await graphRequest(this, run.conn, { method: 'PATCH', url, body: message, itemIndex, operation: 'update the draft', idempotent: true });
	return output.shape(response.body as IDataObject);
};
