import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import type { ItemKind } from '../descriptions/itemLocator';
import { itemLocator } from '../descriptions/itemLocator';
import { itemRequestUrl, resolveItem, type ResolvedItem } from '../helpers/itemResolver';
import { validateItemName } from '../helpers/names';
import { conflictBehaviorProperty, showFor, type OneDriveResource, type OneDriveRun } from './common';

/** Parameter name + display name of the item each resource acts on. */
export const TARGET = {
	file: { name: 'fileId', displayName: 'File', kind: 'file' as ItemKind },
	folder: { name: 'folderId', displayName: 'Folder', kind: 'folder' as ItemKind },
};

export function targetProperty(resource: OneDriveResource, operation: string): INodeProperties {
	const target = TARGET[resource];
	return itemLocator({
		name: target.name,
		displayName: target.displayName,
		kind: target.kind,
		displayOptions: showFor(resource, operation),
	});
}

/** Resolves the File / Folder locator of this operation for one item. */
export async function resolveTarget(
	this: IExecuteFunctions,
	resource: OneDriveResource,
	itemIndex: number,
	run: OneDriveRun,
	select?: string,
): Promise<ResolvedItem> {
	const target = TARGET[resource];
	const locator = this.getNodeParameter(target.name, itemIndex) as INodeParameterResourceLocator;
	return await resolveItem(this, run.conn, run.drive, locator, { itemIndex, field: target.displayName, kind: target.kind, select });
}

/** A folder locator where an empty value means the drive root (Parent Folder, Destination Folder). */
export function folderLocatorProperty(
	resource: OneDriveResource,
	operation: string,
	name: string,
	displayName: string,
	description: string,
): INodeProperties {
	return itemLocator({
		name,
		displayName,
		kind: 'folder',
		required: false,
		description,
		displayOptions: showFor(resource, operation),
	});
}

/** The locator of an optional folder field; an empty value means the drive root. */
function folderOrRootLocator(this: IExecuteFunctions, name: string, itemIndex: number): INodeParameterResourceLocator {
	const locator = this.getNodeParameter(name, itemIndex, { __rl: true, mode: 'path', value: '' }) as
		| INodeParameterResourceLocator
		| string;
	const value = typeof locator === 'string' ? locator : locator?.value;
	const empty = value === undefined || value === null || String(value).trim() === '';
	if (empty) return { __rl: true, mode: 'path', value: '/' };
	return typeof locator === 'string' ? { __rl: true, mode: 'id', value: locator } : locator;
}

export async function resolveFolderOrRoot(
	this: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	run: OneDriveRun,
): Promise<ResolvedItem> {
	const effective = folderOrRootLocator.call(this, name, itemIndex);
	return await resolveItem(this, run.conn, run.drive, effective, { itemIndex, field: displayName, kind: 'folder' });
}

/**
 * Fields of the operations that put an item into a folder (copy, move): the item, "Destination Folder"
 * (empty = the drive root), an optional "New Name" and "If Name Exists".
 */
export function placementProperties(
	resource: OneDriveResource,
	operation: string,
	describe: { destination: string; newName: string },
): INodeProperties[] {
	return [
		targetProperty(resource, operation),
		folderLocatorProperty(resource, operation, 'destinationFolder', 'Destination Folder', describe.destination),
		{
			displayName: 'New Name',
			name: 'newName',
			type: 'string',
			default: '',
			description: describe.newName,
			displayOptions: showFor(resource, operation),
		},
		conflictBehaviorProperty(resource, operation, 'fail'),
	];
}

export interface Placement {
	item: ResolvedItem;
	destination: ResolvedItem;
	/** Validated; undefined keeps the current name. */
	newName?: string;
	conflictBehavior: string;
}

/** Reads the placement fields, validating the name before any request, then resolves item and destination. */
export async function resolvePlacement(
	this: IExecuteFunctions,
	resource: OneDriveResource,
	itemIndex: number,
	run: OneDriveRun,
): Promise<Placement> {
	const newName = (this.getNodeParameter('newName', itemIndex, '') as string) || undefined;
	if (newName) validateItemName(this.getNode(), newName, 'New Name', itemIndex);
	const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'fail') as string;
	// Both locators are checked before either is looked up, so bad input sends nothing.
	const destinationOptions = { itemIndex, field: 'Destination Folder', kind: 'folder' as const };
	itemRequestUrl(this, run.conn, run.drive, folderOrRootLocator.call(this, 'destinationFolder', itemIndex), destinationOptions);
	const item = await resolveTarget.call(this, resource, itemIndex, run);
	const destination = await resolveFolderOrRoot.call(this, 'destinationFolder', 'Destination Folder', itemIndex, run);
	return { item, destination, newName, conflictBehavior };
}
