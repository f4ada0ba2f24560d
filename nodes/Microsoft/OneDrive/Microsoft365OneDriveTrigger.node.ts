import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { oneDriveAuthentication, oneDriveCredentials } from './descriptions/authentication';
import { driveProperties } from './descriptions/drive';
import { itemLocator } from './descriptions/itemLocator';
import { listSearch } from './methods/listSearch';
import { pollDriveChanges } from './trigger/deltaPoll';


export class Microsoft365OneDriveTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 OneDrive & SharePoint Files Trigger',
		name: 'microsoft365OneDriveTrigger',
		icon: { light: 'file:microsoft365OneDriveTrigger.svg', dark: 'file:microsoft365OneDriveTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts a workflow when files or folders change in OneDrive or a SharePoint library (Graph delta)',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-onedrive--sharepoint-files-trigger',
		defaults: { name: 'OneDrive & SharePoint Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: oneDriveCredentials,
		properties: [
			oneDriveAuthentication,
			...driveProperties(),
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				description: 'Which changes start the workflow; each change is reported once',
				required: true,
				options: [
					{ name: 'File Created', value: 'fileCreated' },
					{ name: 'File Updated', value: 'fileUpdated' },
					{ name: 'File or Folder Deleted', value: 'deleted' },
					{ name: 'Folder Created', value: 'folderCreated' },
				],
				default: ['fileCreated'],
			},
			{
				displayName: 'Watch',
				name: 'watch',
				type: 'options',
				description: 'Report changes anywhere in the drive, or only in one folder',
				options: [
					{ name: 'Whole Drive', value: 'drive' },
					{ name: 'One Folder', value: 'folder' },
				],
				default: 'drive',
			},
			itemLocator({
				name: 'folder',
				displayName: 'Folder',
				kind: 'folder',
				description: 'Folder to watch. In the list, type a path ending in "/" (Reports/2026/) to open a folder.',
				displayOptions: { show: { watch: ['folder'] } },
			}),
			{
				displayName: 'Include Subfolders',
				name: 'includeSubfolders',
				type: 'boolean',
				default: false,
				description: 'Whether changes in folders below the watched folder also trigger',
				displayOptions: { show: { watch: ['folder'] } },
			},
		],
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollDriveChanges(this);
	}
}
