import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { attachToNewDraft, composeProperties, readComposed } from '../compose';
import { messageOutput, readMessageOutput, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = {
	name: 'Create',
	value: 'create',
	action: 'Create a draft',
	description: 'Save a message in Drafts without sending it; attachments of any size Outlook accepts (up to 150 MB each)',
};

export const description: INodeProperties[] = [
	...composeProperties('draft', 'create', { recipients: 'optional', subject: true, sending: false }),
	...messageOutput('draft', 'create'),
];

/** The draft, then each attachment (inline up to 3 MB, else an upload session); the draft is deleted if one fails. */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const composed = await readComposed.call(this, itemIndex);
	const output = readMessageOutput.call(this, itemIndex);
	const created = await graphRequest(this, run.conn, { method: 'POST', url: `${run.mailbox.path}/messages`, body: composed.message, itemIndex, operation: 'create the draft' });
	const draft = (created.body ?? {}) as IDataObject;
	if (!composed.attachments.length) return output.shape(draft);
	const attachments = await attachToNewDraft.call(this, run, String(draft.id), composed.attachments, itemIndex);
	return { ...output.shape({ ...draft, hasAttachments: true }), attachments };
};
