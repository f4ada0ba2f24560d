import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { locatorId, messageLocator, messagePath, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete a message', description: 'Move a message to Deleted Items' };

export const description: INodeProperties[] = [messageLocator(showFor('message', 'delete'))];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	await graphRequest(this, run.conn, { method: 'DELETE', url: messagePath.call(this, run, itemIndex), itemIndex, operation: 'delete the message' });
	return { deleted: true, id: locatorId.call(this, 'messageId', 'Message', itemIndex) };
};
