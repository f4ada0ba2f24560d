import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { sendDraft } from '../compose';
import { draftLocator, locatorId, messagePath, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Send', value: 'send', action: 'Send a draft', description: 'Send a draft as it is (it moves to Sent Items)' };

export const description: INodeProperties[] = [draftLocator(showFor('draft', 'send'))];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	await sendDraft.call(this, run, messagePath.call(this, run, itemIndex, 'draftId', 'Draft'), itemIndex);
	return { sent: true, id: locatorId.call(this, 'draftId', 'Draft', itemIndex) };
};
