import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { encodePathSegment } from '../../../shared/input';
import { graphRequest, sendAuthenticated } from '../../../shared/transport';
import { validateRelativePath } from '../../helpers/names';
import {
	conflictBehaviorProperty,
	itemPath,
	shapeDriveItem,
	showFor,
	driveItemOutput,
	type OneDriveOperation,
	type OneDriveRun, CONFLICT_ADVICE } from '../common';
import type { ResolvedItem } from '../../helpers/itemResolver';
import { folderLocatorProperty, resolveFolderOrRoot } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a folder', description: 'Create a folder (a path creates every missing level)' };

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
	...driveItemOutput('folder', 'create'),
];

/**
 * Parent folders found in this node run (keyed by the run's input items, which n8n makes anew for every run), by
 * drive and Parent Folder value: items that create folders in the same parent look it up once instead of once each,
 * which halves the requests of a bulk create. Only folders that were found are kept; a lookup that failed is tried
 * again by the next item.
 */
const PARENTS = new WeakMap<object, Map<string, ResolvedItem>>();

async function resolveParent(this: IExecuteFunctions, itemIndex: number, run: OneDriveRun): Promise<ResolvedItem> {
	let found = PARENTS.get(this.getInputData());
	if (!found) {
		found = new Map();
		PARENTS.set(this.getInputData(), found);
	}
	const key = JSON.stringify([run.conn.credentialType, run.drive.basePath, this.getNodeParameter('parentFolder', itemIndex, '')]);
	const known = found.get(key);
	if (known) return known;
	const parent = await resolveFolderOrRoot.call(this, 'parentFolder', 'Parent Folder', itemIndex, run);
	found.set(key, parent);
	return parent;
}

/** The child folder `name` of `parentId`, or undefined when there is none. A file with that name is an error. */
async function existingFolder(
	ctx: IExecuteFunctions,
	run: OneDriveRun,
	driveId: string,
	parentId: string,
	name: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const response = await sendAuthenticated(ctx, run.conn, {
		method: 'GET',
		url: `${itemPath(driveId, parentId)}:/${encodePathSegment(name, 'Folder Name or Path')}:`,
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
	run: OneDriveRun,
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
		advice: CONFLICT_ADVICE,
	});
	return response.body as IDataObject;
}

/**
 * Creates `folderPath` below the parent: levels that exist are reused, missing ones created; the conflict
 * behaviour applies to the last level only. Every segment is validated before the first request. When a
 * level fails, the folders this call created are removed again (the first one holds the rest), so nothing
 * half-made stays behind; if that removal fails too, the error names what exists now.
 */
export const execute: OneDriveOperation['execute'] = async function (this: IExecuteFunctions, itemIndex, run) {
	const segments = validateRelativePath(this.getNode(), this.getNodeParameter('folderPath', itemIndex, '') as string, 'Folder Name or Path', itemIndex);
	if (segments.length === 0) {
		throw new NodeOperationError(this.getNode(), '"Folder Name or Path" is empty', {
			itemIndex,
			description: 'Enter a folder name such as Reports, or a path such as Reports/2026.',
		});
	}
	const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'fail') as string;
	const parent = await resolveParent.call(this, itemIndex, run);
	const createdPath: string[] = [];
	let firstCreated: IDataObject | undefined;
	try {
		let parentId = parent.itemId;
		for (const [level, name] of segments.entries()) {
			const last = level === segments.length - 1;
			const found = last ? undefined : await existingFolder(this, run, parent.driveId, parentId, name, itemIndex);
			const folder = found ?? (await createChild(this, run, parent.driveId, parentId, name, last ? conflictBehavior : 'fail', itemIndex));
			if (!found) {
				firstCreated ??= folder;
				createdPath.push(segments.slice(0, level + 1).join('/'));
			}
			parentId = String(folder.id);
			if (last) return shapeDriveItem.call(this, itemIndex, folder);
		}
	} catch (error) {
		if (!firstCreated) throw error;
		const nodeError = toNodeApiError(this.getNode(), error, { itemIndex });
		const undone = await removeQuietly(this, run, parent.driveId, String(firstCreated.id));
		const note = undone
			? `Nothing was left behind: the folder(s) this run had created (${createdPath.join(', ')}) were removed again.`
			: `These folders were created before the failure and still exist: ${createdPath.join(', ')}.`;
		nodeError.description = [nodeError.description, note].filter(Boolean).join(' ');
		throw nodeError;
	}
	throw new NodeOperationError(this.getNode(), '"Folder Name or Path" produced no folder', { itemIndex });
};

/** Deletes a folder this run created; false when that fails (the caller reports what exists). */
async function removeQuietly(ctx: IExecuteFunctions, run: OneDriveRun, driveId: string, itemId: string): Promise<boolean> {
	try {
		const response = await sendAuthenticated(ctx, run.conn, { method: 'DELETE', url: itemPath(driveId, itemId) });
		return response.status < 300 || response.status === 404;
	} catch {
		return false;
	}
}
