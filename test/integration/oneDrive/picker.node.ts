/**
 * Test-only node: the real drive-location and item-locator descriptions plus resolveDrive + resolveItem,
 * returning what the resolver found. Lets the picker tests run inside n8n-core without the [ops] node.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeParameterResourceLocator, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { getConnection } from '../../../nodes/Microsoft/shared/connection';
import { authenticationProperty, credentialsFor, credentialTypeOf } from '../../../nodes/Microsoft/shared/node/authentication';
import { driveProperties } from '../../../nodes/Microsoft/OneDrive/descriptions/drive';
import { itemLocator, type ItemKind } from '../../../nodes/Microsoft/OneDrive/descriptions/itemLocator';
import { resolveDrive } from '../../../nodes/Microsoft/OneDrive/helpers/drive';
import { resolveItem } from '../../../nodes/Microsoft/OneDrive/helpers/itemResolver';
import { listSearch } from '../../../nodes/Microsoft/OneDrive/methods/listSearch';

export class PickerProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picker Probe (test)',
		name: 'pickerProbe',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Picker Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: credentialsFor(['oAuth2', 'clientCredentials']),
		properties: [
			authenticationProperty({ choices: ['oAuth2', 'clientCredentials'] }),
			...driveProperties(),
			{
				displayName: 'Kind',
				name: 'kind',
				type: 'options',
				options: [
					{ name: 'File', value: 'file' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Any', value: 'any' },
				],
				default: 'any',
			},
			itemLocator({ name: 'item', displayName: 'Item', kind: 'any' }),
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const conn = await getConnection(this, credentialTypeOf(this, i), i);
			const drive = resolveDrive(this, i);
			const locator = this.getNodeParameter('item', i) as INodeParameterResourceLocator;
			const kind = this.getNodeParameter('kind', i) as ItemKind;
			const found = await resolveItem(this, conn, drive, locator, { itemIndex: i, field: 'Item', kind });
			out.push({ json: { basePath: drive.basePath, driveId: found.driveId, itemId: found.itemId, name: found.item.name as string } });
		}
		return [out];
	}
}
