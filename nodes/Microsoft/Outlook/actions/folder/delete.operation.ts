import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/node/parameters';
import { graphRequest } from '../../../shared/transport';
import { folderLocator, folderPath, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete a mail folder' };

export const description: INodeProperties[] = [folderLocator(showFor('folder', 'delete'))];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	await graphRequest(this, run.conn, { method: 'DELETE', url: folderPath.call(this, run, itemIndex), itemIndex, operation: 'delete the folder' });
	return { deleted: true, id: locatorValue(this, 'folderId', itemIndex) };
};
