import type { INodeProperties } from 'n8n-workflow';

import { authenticationProperty } from '../descriptions/authentication';
import { driveLocationFields } from '../descriptions/driveLocation';
import { OPERATIONS } from './operations';

const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'File', value: 'file' },
		{ name: 'Folder', value: 'folder' },
	],
	default: 'file',
};

const fileOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['file'] } },
	options: [
		{ name: 'Copy', value: 'copy', action: 'Copy a file', description: 'Copy a file and wait for the copy to finish' },
		{ name: 'Create Sharing Link', value: 'share', action: 'Create a sharing link for a file' },
		{ name: 'Delete', value: 'delete', action: 'Delete a file' },
		{ name: 'Download', value: 'download', action: 'Download a file' },
		{ name: 'Get', value: 'get', action: 'Get file metadata' },
		{ name: 'List Versions', value: 'listVersions', action: 'List versions of a file' },
		{ name: 'Move', value: 'move', action: 'Move a file' },
		{ name: 'Rename', value: 'rename', action: 'Rename a file' },
		{ name: 'Search', value: 'search', action: 'Search files' },
		{ name: 'Upload', value: 'upload', action: 'Upload a file', description: 'Upload a file of any size (resumable above 4 MiB)' },
	],
	default: 'upload',
};

const folderOperation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['folder'] } },
	options: [
		{ name: 'Create', value: 'create', action: 'Create a folder', description: 'Create a folder (a path creates every missing level)' },
		{ name: 'Create Sharing Link', value: 'share', action: 'Create a sharing link for a folder' },
		{ name: 'Delete', value: 'delete', action: 'Delete a folder' },
		{ name: 'List Children', value: 'listChildren', action: 'List files and folders in a folder' },
		{ name: 'Move', value: 'move', action: 'Move a folder' },
		{ name: 'Rename', value: 'rename', action: 'Rename a folder' },
		{ name: 'Search', value: 'search', action: 'Search folders' },
	],
	default: 'listChildren',
};

/** Every property of the node, in display order. */
export const nodeProperties: INodeProperties[] = [
	authenticationProperty,
	resourceProperty,
	fileOperation,
	folderOperation,
	...driveLocationFields,
	...Object.values(OPERATIONS.file).flatMap((module) => module.description),
	...Object.values(OPERATIONS.folder).flatMap((module) => module.description),
];
