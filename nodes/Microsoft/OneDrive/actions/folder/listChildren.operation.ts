import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { graphPages, MAX_PAGE_SIZE } from '../../../shared/paging';
import { itemPath, maybeSimplify, readLimit, returnAllProperties, simplifyProperty, type OperationModule } from '../common';
import { folderLocatorProperty, resolveFolderOrRoot } from '../target';

export const description: INodeProperties[] = [
	folderLocatorProperty('folder', 'listChildren', 'folderId', 'Folder', 'Folder whose contents to list. Empty = the drive root.'),
	...returnAllProperties('folder', 'listChildren'),
	simplifyProperty('folder', 'listChildren'),
];

/** Files and folders directly inside the folder, one output item each; pages of 1000, Graph's largest. */
export const execute: OperationModule['execute'] = async function (itemIndex, run) {
	const limit = readLimit.call(this, itemIndex);
	const folder = await resolveFolderOrRoot.call(this, 'folderId', 'Folder', itemIndex, run);
	const results: IDataObject[] = [];
	for await (const page of graphPages(this, run.conn, `${itemPath(folder.driveId, folder.itemId)}/children`, {
		pageSize: MAX_PAGE_SIZE.driveChildren,
		limit,
		itemIndex,
		operation: 'list the folder',
	})) {
		for (const item of page) results.push(maybeSimplify.call(this, itemIndex, item));
	}
	return results;
};
