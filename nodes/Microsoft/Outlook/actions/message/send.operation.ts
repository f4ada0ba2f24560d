import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { attachAndSend, composeProperties, fitsInline, inlineAttachments, readComposed } from '../compose';
import type { OutlookOperation } from '../common';

export const option: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	action: 'Send a message',
	description: 'Send a message; attachments of any size Outlook accepts (up to 150 MB each)',
};

export const description: INodeProperties[] = composeProperties('message', 'send', { recipients: 'required', subject: true });

/** One sendMail when everything fits inline; otherwise draft → attachments → send (the draft is removed if that fails). */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const composed = await readComposed.call(this, itemIndex);
	if (!composed.message.toRecipients) {
		throw new NodeOperationError(this.getNode(), '"To" is empty', { itemIndex, description: 'Enter at least one recipient address.' });
	}
	const addresses = (composed.message.toRecipients as Array<{ emailAddress: { address: string } }>).map((r) => r.emailAddress.address);
	if (fitsInline(composed.attachments)) {
		const message: IDataObject = { ...composed.message };
		if (composed.attachments.length) message.attachments = await inlineAttachments(composed.attachments);
		await graphRequest(this, run.conn, {
			method: 'POST',
			url: `${run.mailbox.path}/sendMail`,
			body: { message, saveToSentItems: composed.saveToSentItems },
			itemIndex,
			operation: 'send the message',
			requiredPermission: 'Mail.Send',
		});
	} else {
		const draft = await graphRequest(this, run.conn, { method: 'POST', url: `${run.mailbox.path}/messages`, body: composed.message, itemIndex, operation: 'create the message' });
		await attachAndSend.call(this, run, String((draft.body as IDataObject).id), composed.attachments, itemIndex);
	}
	return { sent: true, subject: composed.message.subject ?? '', to: addresses, attachments: composed.attachments.length };
};
