/** Reply, reply all and forward: one request without attachments; with them, Graph's reply/forward draft, attached and sent. */
import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../shared/transport';
import { attachAndSend, composeProperties, readComposed } from './compose';
import { locatorId, messageLocator, messagePath, showFor, type OutlookOperation, type OutlookRun } from './common';

type Kind = 'reply' | 'replyAll' | 'forward';

const DRAFT_ACTION: Record<Kind, string> = { reply: 'createReply', replyAll: 'createReplyAll', forward: 'createForward' };
const OPTION: Record<Kind, INodePropertyOptions> = {
	reply: { name: 'Reply', value: 'reply', action: 'Reply to a message', description: 'Reply to the sender' },
	replyAll: { name: 'Reply All', value: 'replyAll', action: 'Reply to all recipients of a message' },
	forward: { name: 'Forward', value: 'forward', action: 'Forward a message' },
};

export function respondOperation(kind: Kind): OutlookOperation {
	const properties: INodeProperties[] = [
		messageLocator(showFor('message', kind)),
		...composeProperties('message', kind, { recipients: kind === 'forward' ? 'required' : 'none', subject: false }),
	];
	return {
		option: OPTION[kind],
		description: properties,
		async execute(this: IExecuteFunctions, itemIndex: number, run: OutlookRun) {
			const composed = await readComposed.call(this, itemIndex);
			if (kind === 'forward' && !composed.message.toRecipients) {
				throw new NodeOperationError(this.getNode(), '"To" is empty', { itemIndex, description: 'Enter at least one address to forward to.' });
			}
			const path = messagePath.call(this, run, itemIndex);
			// The text is Graph's `comment`; a `message.body` beside it is refused by Graph (400).
			const { body: _body, ...extra }: IDataObject = { ...composed.message };
			if (!composed.attachments.length) {
				const body: IDataObject = { comment: composed.comment };
				if (kind === 'forward') body.toRecipients = extra.toRecipients;
				delete extra.toRecipients;
				if (Object.keys(extra).length) body.message = extra;
				await graphRequest(this, run.conn, { method: 'POST', url: `${path}/${kind}`, body, itemIndex, operation: `${OPTION[kind].name.toLowerCase()} the message`, requiredPermission: 'Mail.Send' });
			} else {
				const draft = await graphRequest(this, run.conn, {
					method: 'POST',
					url: `${path}/${DRAFT_ACTION[kind]}`,
					body: { comment: composed.comment, ...(Object.keys(extra).length ? { message: extra } : {}) },
					itemIndex,
					operation: `prepare the ${OPTION[kind].name.toLowerCase()}`,
				});
				await attachAndSend.call(this, run, String((draft.body as IDataObject).id), composed.attachments, itemIndex);
			}
			return { sent: true, action: kind, messageId: locatorId.call(this, 'messageId', 'Message', itemIndex), attachments: composed.attachments.length };
		},
	};
}
