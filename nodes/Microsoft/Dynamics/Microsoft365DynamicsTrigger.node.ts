import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { getConnection } from '../shared/connection';
import { credentialTypeOf } from '../shared/node/authentication';
import { dynamicsAuthentication, dynamicsCredentials } from './descriptions/authentication';
import { apiProperty, tableLocator } from './descriptions/fields';
import { searchTables } from './methods/listSearch';
import { pollRowChanges } from './trigger/rowChanges';

export class Microsoft365DynamicsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Dynamics 365 (Dataverse) Trigger',
		name: 'microsoft365DynamicsTrigger',
		icon: { light: 'file:microsoft365DynamicsTrigger.svg', dark: 'file:microsoft365DynamicsTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts a workflow when rows of a Dataverse table are created, updated or deleted (change tracking)',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-dynamics-365-dataverse-trigger',
		defaults: { name: 'Dynamics 365 Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: dynamicsCredentials,
		properties: [
			dynamicsAuthentication,
			apiProperty,
			tableLocator({ show: { api: ['dataverse'] } }),
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				required: true,
				description: 'Which changes start the workflow; each change is reported once',
				options: [
					{ name: 'Row Created', value: 'created' },
					{ name: 'Row Deleted', value: 'deleted', description: 'Needs change tracking' },
					{ name: 'Row Updated', value: 'updated' },
				],
				default: ['created'],
			},
			{
				displayName: 'Detect Changes With',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Change Tracking', value: 'changeTracking', description: 'Dataverse change tracking ("Track changes" on the table): created, updated and deleted rows' },
					{ name: 'Modified On', value: 'modifiedOn', description: 'Rows whose Modified On is newer than the last poll (tables without change tracking; no deletions)' },
				],
				default: 'changeTracking',
			},
			{
				displayName: 'Only When These Columns Change',
				name: 'watchColumns',
				type: 'string',
				default: '',
				placeholder: 'e.g. statuscode,estimatedvalue',
				description: 'Comma-separated columns: "Row Updated" fires only when one of them changed (all updates when empty)',
				displayOptions: { show: { events: ['updated'] } },
			},
			{
				displayName: 'Columns',
				name: 'columns',
				type: 'string',
				default: '',
				placeholder: 'e.g. name,accountnumber',
				description: 'Comma-separated columns of the reported rows (all when empty)',
			},
		],
	};

	methods = { listSearch: { searchTables } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const conn = await getConnection(this, credentialTypeOf(this));
		return await pollRowChanges(this, conn);
	}
}
