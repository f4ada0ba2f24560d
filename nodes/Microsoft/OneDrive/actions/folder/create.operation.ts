import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { encodePathSegment } from '../../../shared/odata';
import { graphRequest, sendAuthenticated } from '../../../shared/transport';
import { validateRelativePath } from '../../helpers/names';
import {
	conflictBehaviorProperty,
	itemPath,
	maybeSimplify,
	showFor,
	simplifyProperty,
	type OperationModule,
	type OperationRun,
} from '../common';
import { folderLocatorProperty, resolveFolderOrRoot } from '../target';

export const description: INodeProperties[] = [
	folderLocatorProperty('folder', 'create', 'parentFolder', 'Parent Folder', 'Folder to create in. Empty = the drive root.'),
	{
		displayName: 'Folder Name or Path',
		name: 'folderPath',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Reports or Reports/2026/March',
		description: 'Name of the new folder; a path creates every missing level',
		displayOptions: showFor('folder', 'create'),
	},
	conflictBehaviorProperty('folder', 'create', 'fail', 'the last folder of the path already exists'),
	simplifyProperty('folder', 'create'),
];

/** The child folder `name` of `parentId`, or undefined when there is none. A file with that name is an error. */
async function existingFolder(
	ctx: IExecuteFunctions,
	run: OperationRun,
	driveId: string,
	parentId: string,
	name: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const response = await sendAuthenticated(ctx, run.conn, {
		method: 'GET',
		url: `${itemPath(driveId, parentId)}:/${encodePathSegment(name)}:`,
	});
	if (response.status === 404) return undefined;
	if (response.status >= 400) {
		throw toNodeApiError(ctx.getNode(), response, { itemIndex, operation: `look up folder "${name}"` });
	}
	const item = response.body as IDataObject;
	if (!item.folder) {
		throw new NodeOperationError(ctx.getNode(), `"Folder Name or Path": "${name}" exists but is a file, not a folder`, {
			itemIndex,
			description: 'Choose another path; a folder cannot be created inside a file.',
		});
	}
	return item;
}

async function createChild(
	ctx: IExecuteFunctions,
	run: OperationRun,
	driveId: string,
	parentId: string,
	name: string,
	conflictBehavior: string,
	itemIndex: number,
): Promise<IDataObject> {
	const response = await graphRequest(ctx, run.conn, {
		method: 'POST',
		url: `${itemPath(driveId, parentId)}/children`,
		body: { name, folder: {}, '@microsoft.graph.conflictBehavior': conflictBehavior },
		itemIndex,
		operation: `create folder "${name}"`,
	});
	return response.body as IDataObject;
}

/**
 * Creates `folderPath` below the parent: levels that exist are reused, missing ones created; the conflict
 * behaviour applies to the last level only. Every segment is validated before the first request.
 */
export const execute: OperationModule['execute'] = async function (this: IExecuteFunctions, itemIndex, run) {
	const segments = validateRelativePath(this.getNode(), this.getNodeParameter('folderPath', itemIndex, '') as string, 'Folder Name or Path', itemIndex);
	if (segments.length === 0) {
		throw new NodeOperationError(this.getNode(), '"Folder Name or Path" is empty', {
			itemIndex,
			description: 'Enter a folder name such as Reports, or a path such as Reports/2026.',
		});
	}
	const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'fail') as string;
	const parent = await resolveFolderOrRoot.call(this, 'parentFolder', 'Parent Folder', itemIndex, run);
	let parentId = parent.itemId;
	for (const name of segments.slice(0, -1)) {
		const found = await existingFolder(this, run, parent.driveId, parentId, name, itemIndex);
		parentId = String((found ?? (await createChild(this, run, parent.driveId, parentId, name, 'fail', itemIndex))).id);
	}
	const created = await createChild(this, run, parent.driveId, parentId, segments[segments.length - 1], conflictBehavior, itemIndex);
	return maybeSimplify.call(this, itemIndex, created);
};
