import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../shared/node/authentication';
import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as file from './actions/file';
import * as folder from './actions/folder';
import type { OneDriveRun } from './actions/common';
import { driveProperties } from './descriptions/drive';
import { resolveDrive } from './helpers/drive';
import { listSearch } from './methods/listSearch';

const AUTHENTICATION: Authentication[] = ['oAuth2', 'clientCredentials'];

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
		credentials: credentialsFor(AUTHENTICATION),
		properties: [
			authenticationProperty({
				choices: AUTHENTICATION,
				descriptions: {
					oAuth2: 'Acts as the user who signed in; "My OneDrive" is available',
					clientCredentials: "Acts as the app itself; pick a user's, group's or site's drive",
				},
				description: 'OAuth2 acts as the signed-in user; Client Credentials acts as the app itself (unattended, needs admin-consented application permissions)',
			}),
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
