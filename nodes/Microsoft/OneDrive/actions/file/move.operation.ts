import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { itemPath, maybeSimplify, simplifyProperty, type OneDriveResource, type OperationModule } from '../common';
import { placementProperties, resolvePlacement } from '../target';

export function moveOperation(resource: OneDriveResource): OperationModule {
	return {
		description: [
			...placementProperties(resource, 'move', {
				destination: 'Folder to move into, in the same drive. Empty = the drive root.',
				newName: 'Optional new name for the moved item; empty keeps the current name',
			}),
			simplifyProperty(resource, 'move'),
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
			});
			return maybeSimplify.call(this, itemIndex, response.body as IDataObject);
		},
	};
}

export const { description, execute } = moveOperation('file');
