import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphPages, MAX_PAGE_SIZE } from '../../../shared/paging';
import { driveItemOutput, itemPath, readDriveItemOutput, readLimit, returnAllProperties, type OneDriveOperation } from '../common';
import { folderLocatorProperty, resolveFolderOrRoot } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'List Children', value: 'listChildren', action: 'List files and folders in a folder' };

export const description: INodeProperties[] = [
	folderLocatorProperty('folder', 'listChildren', 'folderId', 'Folder', 'Folder whose contents to list. Empty = the drive root.'),
	...returnAllProperties('folder', 'listChildren'),
	...driveItemOutput('folder', 'listChildren'),
];

/** Files and folders directly inside the folder, one output item each; pages of 1000, Graph's largest, with only the fields the output shows. */
export const execute: OneDriveOperation['execute'] = async function (itemIndex, run) {
	const limit = readLimit.call(this, itemIndex);
	const output = readDriveItemOutput.call(this, itemIndex);
	const folder = await resolveFolderOrRoot.call(this, 'folderId', 'Folder', itemIndex, run);
	const results: IDataObject[] = [];
	for await (const page of graphPages(this, run.conn, `${itemPath(folder.driveId, folder.itemId)}/children`, {
		pageSize: MAX_PAGE_SIZE.driveChildren,
		limit,
		qs: output.select ? { $select: output.select } : undefined,
		itemIndex,
		operation: 'list the folder',
	})) {
		for (const item of page) results.push(output.shape(item));
	}
	return results;
};
