/** What OneDrive's operations share: the run context, item addressing, conflict handling and output shape. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { showFor } from '../../shared/node/descriptions';
import { outputProperties, readOutputShape, type OutputShape } from '../../shared/node/outputShape';
import type { OperationModule, RunBase } from '../../shared/node/router';
import type { DriveRef } from '../helpers/drive';
import { SIMPLIFIED_SELECT, simplifyDriveItem } from '../helpers/simplify';

export { readLimit, returnAllProperties, showFor } from '../../shared/node/descriptions';

export type OneDriveResource = 'file' | 'folder';

/** What the router hands every OneDrive operation for one input item. */
export interface OneDriveRun extends RunBase {
	drive: DriveRef;
}

export type OneDriveOperation = OperationModule<OneDriveRun>;

/** OneDrive's own fix for a name conflict (the generic one does not know "If Name Exists"). */
export const CONFLICT_ADVICE: Record<string, string> = {
	namealreadyexists: 'An item with this name already exists: choose another name, or set "If Name Exists" to Replace or Rename.',
	'409': 'An item with this name already exists: choose another name, or set "If Name Exists" to Replace or Rename.',
};

export function conflictBehaviorProperty(
	resource: OneDriveResource,
	operation: string,
	defaultValue: 'fail' | 'replace' | 'rename',
	what = 'an item with the same name already exists in the destination',
): INodeProperties {
	return {
		displayName: 'If Name Exists',
		name: 'conflictBehavior',
		type: 'options',
		options: [
			{ name: 'Fail', value: 'fail', description: 'Stop with an error' },
			{ name: 'Replace', value: 'replace', description: 'Overwrite the existing item' },
			{ name: 'Rename', value: 'rename', description: 'Keep both: OneDrive appends a number to the new name' },
		],
		// eslint-disable-next-line n8n-nodes-base/node-param-default-wrong-for-options -- always one of the options, chosen per operation
		default: defaultValue,
		description: `What to do when ${what}`,
		displayOptions: showFor(resource, operation),
	};
}

/** driveItem fields offered under Output → Selected Fields. */
const DRIVE_ITEM_FIELDS = [
	'id', 'name', 'size', 'webUrl', 'createdDateTime', 'lastModifiedDateTime', 'createdBy', 'lastModifiedBy',
	'parentReference', 'file', 'folder', 'package', 'eTag', 'cTag', 'description', 'shared', 'fileSystemInfo',
].map((field) => ({ name: field, value: field }));

/** Graph properties resolving an item needs whatever the output shows (its kind and drive). */
const RESOLVE_SELECT = ['id', 'name', 'folder', 'file', 'root', 'remoteItem', 'parentReference'];

/** Output: Simplified (default) / Raw / Selected Fields, for operations that return driveItems. */
export function driveItemOutput(resource: OneDriveResource, operation: string): INodeProperties[] {
	return outputProperties(showFor(resource, operation), 'driveItem', DRIVE_ITEM_FIELDS);
}

/** The user's output choice: `select` to send where Graph accepts it, `shape` for what comes back. */
export function readDriveItemOutput(this: IExecuteFunctions, itemIndex: number): OutputShape {
	return readOutputShape.call(this, itemIndex, { simplifiedSelect: SIMPLIFIED_SELECT, simplify: simplifyDriveItem, alwaysSelect: RESOLVE_SELECT });
}

/** Shapes a driveItem Graph already returned (writes answer with the whole item). */
export function shapeDriveItem(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	return readDriveItemOutput.call(this, itemIndex).shape(item);
}

/** `/drives/{driveId}/items/{itemId}` — every operation addresses items by IDs after resolving them. */
export function itemPath(driveId: string, itemId: string): string {
	return `/drives/${encodePathSegment(driveId, 'Drive ID')}/items/${encodePathSegment(itemId, 'Item ID')}`;
}
