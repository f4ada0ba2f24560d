import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { folderLocator, folderPath, showFor, type OutlookOperation } from '../common';
import { folderOutputProperty, shapeFolder } from '../folderCommon';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a mail folder' };

export const description: INodeProperties[] = [folderLocator(showFor('folder', 'get')), folderOutputProperty('get')];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const response = await graphRequest(this, run.conn, { url: folderPath.call(this, run, itemIndex), itemIndex, operation: 'read the folder' });
	return shapeFolder(response.body as IDataObject, this.getNodeParameter('simplifyFolder', itemIndex, true) as boolean);
};
