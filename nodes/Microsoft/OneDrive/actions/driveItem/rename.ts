import type { IDataObject } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { validateItemName } from '../../helpers/names';
import {
	conflictBehaviorProperty,
	itemPath,
	shapeDriveItem,
	showFor,
	driveItemOutput,
	type OneDriveResource,
	type OneDriveOperation, CONFLICT_ADVICE } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

export function renameOperation(resource: OneDriveResource): OneDriveOperation {
	return {
		option: { name: 'Rename', value: 'rename', action: `Rename a ${resource}` },
		description: [
			targetProperty(resource, 'rename'),
			{
				displayName: 'New Name',
				name: 'newName',
				type: 'string',
				required: true,
				default: '',
				placeholder: resource === 'file' ? 'e.g. report-2026.xlsx' : 'e.g. Archive',
				description: 'The new name, including the extension for files',
				displayOptions: showFor(resource, 'rename'),
			},
			conflictBehaviorProperty(resource, 'rename', 'fail', 'an item with the new name already exists in the same folder'),
			...driveItemOutput(resource, 'rename'),
		],
		async execute(itemIndex, run) {
			// Validate before resolving, so bad input never costs a request.
			const name = validateItemName(this.getNode(), this.getNodeParameter('newName', itemIndex) as string, 'New Name', itemIndex);
			const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'fail') as string;
			const target = await resolveTarget.call(this, resource, itemIndex, run);
			const response = await graphRequest(this, run.conn, {
				method: 'PATCH',
				url: itemPath(target.driveId, target.itemId),
				qs: { '@microsoft.graph.conflictBehavior': conflictBehavior },
				body: { name },
				itemIndex,
				operation: `rename the ${resource}`,
				advice: CONFLICT_ADVICE,
			});
			return shapeDriveItem.call(this, itemIndex, response.body as IDataObject);
		},
	};
}

