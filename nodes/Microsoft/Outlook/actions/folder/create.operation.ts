import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { graphRequest } from '../../../shared/transport';
import { folderLocator, folderPath, showFor, type OutlookOperation } from '../common';
import { folderOutputProperty, shapeFolder } from '../folderCommon';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a mail folder' };

export const description: INodeProperties[] = [
	{ displayName: 'Name', name: 'displayName', type: 'string', required: true, default: '', description: 'Name of the new folder', displayOptions: showFor('folder', 'create') },
	folderLocator(showFor('folder', 'create'), { name: 'parentFolderId', displayName: 'Parent Folder', required: false, description: 'Folder to create it in; empty = the top level of the mailbox' }),
	folderOutputProperty('create'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const displayName = assertWellFormedText(String(this.getNodeParameter('displayName', itemIndex, '')).trim(), 'Name');
	if (!displayName) throw new NodeOperationError(this.getNode(), '"Name" is empty', { itemIndex, description: 'Enter a folder name.' });
	const parent = locatorValue(this, 'parentFolderId', itemIndex);
	const url = parent ? `${folderPath.call(this, run, itemIndex, 'parentFolderId', 'Parent Folder')}/childFolders` : `${run.mailbox.path}/mailFolders`;
	const response = await graphRequest(this, run.conn, {
		method: 'POST',
		url,
		body: { displayName },
		itemIndex,
		operation: `create folder "${displayName}"`,
		advice: { errorfolderexists: 'A folder with this name already exists here: choose another name or parent folder.', '409': 'A folder with this name already exists here: choose another name or parent folder.' },
	});
	return shapeFolder(response.body as IDataObject, this.getNodeParameter('simplifyFolder', itemIndex, true) as boolean);
};
