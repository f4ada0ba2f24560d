import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { locatorValue } from '../../../shared/node/parameters';
import { folderTree } from '../../helpers/folders';
import { FOLDER_SELECT } from '../../helpers/simplify';
import { folderLocator, folderPath, readLimit, returnAllProperties, showFor, type OutlookOperation } from '../common';
import { folderOutputProperty, shapeFolder } from '../folderCommon';

export const option: INodePropertyOptions = { name: 'Get Many', value: 'getAll', action: 'Get many mail folders', description: 'List folders, optionally with all folders below them' };

export const description: INodeProperties[] = [
	folderLocator(showFor('folder', 'getAll'), { name: 'parentFolderId', displayName: 'Parent Folder', required: false, description: 'List the folders inside this one; empty = the top level' }),
	{
		displayName: 'Include Child Folders',
		name: 'recursive',
		type: 'boolean',
		default: false,
		description: 'Whether folders at every level below are listed too (each with its path, e.g. Inbox/Projects/2026)',
		displayOptions: showFor('folder', 'getAll'),
	},
	...returnAllProperties('folder', 'getAll'),
	folderOutputProperty('getAll'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const parent = locatorValue(this, 'parentFolderId', itemIndex);
	const simplify = this.getNodeParameter('simplifyFolder', itemIndex, true) as boolean;
	const found = await folderTree(this, run.conn, {
		mailboxPath: run.mailbox.path,
		parentPath: parent ? folderPath.call(this, run, itemIndex, 'parentFolderId', 'Parent Folder') : undefined,
		recursive: this.getNodeParameter('recursive', itemIndex, false) as boolean,
		select: simplify ? FOLDER_SELECT.join(',') : undefined,
		limit: readLimit.call(this, itemIndex),
		itemIndex,
	});
	return found.map((entry) => shapeFolder(entry.folder, simplify, entry.path));
};
