import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import type { DriveRef } from '../helpers/driveLocation';
import { simplifyDriveItem } from '../helpers/simplify';

export type OneDriveResource = 'file' | 'folder';

/** What the router hands every operation for one input item. */
export interface OperationRun {
	conn: MicrosoftConnection;
	drive: DriveRef;
}

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	run: OperationRun,
) => Promise<IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[]>;

export interface OperationModule {
	description: INodeProperties[];
	execute: OperationExecute;
}

/** displayOptions for one resource/operation pair. */
export function showFor(resource: OneDriveResource, operation: string, extra: Record<string, unknown[]> = {}) {
	return { show: { resource: [resource], operation: [operation], ...extra } };
}

export function simplifyProperty(resource: OneDriveResource, operation: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a compact item (ID, name, path, size, web URL, type, MIME type, dates) instead of the full Graph driveItem',
		displayOptions: showFor(resource, operation),
	};
}

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

/** Return All + Limit for operations that list items. */
export function returnAllProperties(resource: OneDriveResource, operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: showFor(resource, operation),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: showFor(resource, operation, { returnAll: [false] }),
		},
	];
}

/** The Limit the user set, or undefined for Return All. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
}

export function maybeSimplify(this: IExecuteFunctions, itemIndex: number, item: IDataObject): IDataObject {
	return this.getNodeParameter('simplify', itemIndex, true) ? simplifyDriveItem(item) : item;
}

/** `/drives/{driveId}/items/{itemId}` — every operation addresses items by IDs after resolving them. */
export function itemPath(driveId: string, itemId: string): string {
	return `/drives/${encodePathSegment(driveId, 'Drive ID')}/items/${encodePathSegment(itemId, 'Item ID')}`;
}
