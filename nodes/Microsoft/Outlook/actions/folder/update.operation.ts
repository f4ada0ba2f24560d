import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { folderLocator, folderPath, showFor, type OutlookOperation } from '../common';
import { folderOutputProperty, shapeFolder } from '../folderCommon';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Rename a mail folder' };

export const description: INodeProperties[] = [
	folderLocator(showFor('folder', 'update')),
	{ displayName: 'New Name', name: 'displayName', type: 'string', required: true, default: '', description: 'The folder\'s new name', displayOptions: showFor('folder', 'update') },
	folderOutputProperty('update'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const displayName = assertWellFormedText(String(this.getNodeParameter('displayName', itemIndex, '')).trim(), 'New Name');
	if (!displayName) throw new NodeOperationError(this.getNode(), '"New Name" is empty', { itemIndex, description: 'Enter the folder\'s new name.' });
	const response = await graphRequest(this, run.conn, { method: 'PATCH', url: folderPath.call(this, run, itemIndex), body: { displayName }, itemIndex, operation: 'rename the folder', idempotent: true });
	return shapeFolder(response.body as IDataObject, this.getNodeParameter('simplifyFolder', itemIndex, true) as boolean);
};
