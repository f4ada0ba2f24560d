import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { includeDownloadUrlProperty } from '../../../shared/output';
import { driveItemOutput, readDriveItemOutput, showFor, type OneDriveOperation } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get file metadata' };

export const description: INodeProperties[] = [
	targetProperty('file', 'get'),
	...driveItemOutput('file', 'get'),
	includeDownloadUrlProperty(showFor('file', 'get', { output: ['raw'] })),
];

/** Metadata of one file: one GET, asking Microsoft only for the fields the output shows. */
export const execute: OneDriveOperation['execute'] = async function (itemIndex, run) {
	const output = readDriveItemOutput.call(this, itemIndex);
	const { item } = await resolveTarget.call(this, 'file', itemIndex, run, output.select);
	return output.shape(item);
};
