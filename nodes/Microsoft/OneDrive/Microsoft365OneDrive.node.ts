import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties } from './actions/node.description';
import { route } from './actions/router';
import { oneDriveCredentials } from './descriptions/authentication';
import { listSearch } from './methods/listSearch';

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
		properties: nodeProperties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
