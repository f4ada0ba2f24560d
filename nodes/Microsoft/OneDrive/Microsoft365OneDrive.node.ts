import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as file from './actions/file';
import * as folder from './actions/folder';
import type { OneDriveRun } from './actions/common';
import { oneDriveAuthentication, oneDriveCredentials } from './descriptions/authentication';
import { driveProperties } from './descriptions/drive';
import { resolveDrive } from './helpers/drive';
import { listSearch } from './methods/listSearch';


const ROUTES: RouterSpec<OneDriveRun> = {
	resources: { file, folder },
	prepare(itemIndex, conn) {
		return { conn, drive: resolveDrive(this, itemIndex) };
	},
};

export class Microsoft365OneDrive implements INodeType {
	description: INodeTypeDescription = {
		// Told apart from n8n's built-in "Microsoft OneDrive" in the node panel.
		displayName: 'Microsoft 365 OneDrive & SharePoint Files',
		name: 'microsoft365OneDrive',
		icon: { light: 'file:microsoft365OneDrive.svg', dark: 'file:microsoft365OneDrive.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Upload, download and manage files and folders in OneDrive and SharePoint document libraries',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-onedrive--sharepoint-files',
		defaults: { name: 'OneDrive & SharePoint' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: oneDriveCredentials,
		properties: [
			oneDriveAuthentication,
			resourceProperty(
				[
					{ name: 'File', value: 'file' },
					{ name: 'Folder', value: 'folder' },
				],
				'file',
			),
			operationDropdown('file', file, 'upload'),
			operationDropdown('folder', folder, 'listChildren'),
			...driveProperties(),
			...operationFields(file),
			...operationFields(folder),
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, ROUTES);
	}
}
