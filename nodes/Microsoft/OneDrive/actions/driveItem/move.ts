import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { itemPath, shapeDriveItem, driveItemOutput, type OneDriveResource, type OneDriveOperation, CONFLICT_ADVICE } from '../common';
import { placementProperties, resolvePlacement } from '../itemTarget';

export function moveOperation(resource: OneDriveResource): OneDriveOperation {
	return {
		option: { name: 'Move', value: 'move', action: `Move a ${resource}` },
		description: [
			...placementProperties(resource, 'move', {
				destination: 'Folder to move into, in the same drive. Empty = the drive root.',
				newName: 'Optional new name for the moved item; empty keeps the current name',
			}),
			...driveItemOutput(resource, 'move'),
		],
		async execute(itemIndex, run) {
			const { item: target, destination, newName, conflictBehavior } = await resolvePlacement.call(this, resource, itemIndex, run);
			if (destination.driveId && target.driveId && destination.driveId !== target.driveId) {
				throw new NodeOperationError(this.getNode(), '"Destination Folder" is in another drive', {
					itemIndex,
					description: 'OneDrive moves items only within one drive. To move across drives, use Copy and then Delete.',
				});
			}
			if (destination.itemId === target.itemId) {
				throw new NodeOperationError(this.getNode(), '"Destination Folder" is the item being moved', { itemIndex });
			}
			const body: IDataObject = { parentReference: { id: destination.itemId } };
			if (newName) body.name = newName;
			const response = await graphRequest(this, run.conn, {
				method: 'PATCH',
				url: itemPath(target.driveId, target.itemId),
				qs: { '@microsoft.graph.conflictBehavior': conflictBehavior },
				body,
				itemIndex,
				operation: `move the ${resource}`,
				advice: CONFLICT_ADVICE,
			});
			return shapeDriveItem.call(this, itemIndex, response.body as IDataObject);
		},
	};
}

