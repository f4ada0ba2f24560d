import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { draftLocator, locatorId, messagePath, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete a draft', description: 'Delete a draft (it moves to Deleted Items)' };

export const description: INodeProperties[] = [draftLocator(showFor('draft', 'delete'))];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	await graphRequest(this, run.conn, { method: 'DELETE', url: messagePath.call(this, run, itemIndex, 'draftId', 'Draft'), itemIndex, operation: 'delete the draft' });
	return { deleted: true, id: locatorId.call(this, 'draftId', 'Draft', itemIndex) };
};
