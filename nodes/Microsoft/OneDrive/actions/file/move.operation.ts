import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { validateItemName } from '../../helpers/names';
import {
	conflictBehaviorProperty,
	itemPath,
	maybeSimplify,
	showFor,
	simplifyProperty,
	type OneDriveResource,
	type OperationModule,
} from '../common';
import { folderLocatorProperty, resolveFolderOrRoot, resolveTarget, targetProperty } from '../target';

export function moveOperation(resource: OneDriveResource): OperationModule {
	return {
		description: [
			targetProperty(resource, 'move'),
			folderLocatorProperty(
				resource,
				'move',
				'destinationFolder',
				'Destination Folder',
				'Folder to move into, in the same drive. Empty = the drive root.',
			),
			{
				displayName: 'New Name',
				name: 'newName',
				type: 'string',
				default: '',
				description: 'Optional new name for the moved item; empty keeps the current name',
				displayOptions: showFor(resource, 'move'),
			},
			conflictBehaviorProperty(resource, 'move', 'fail'),
			simplifyProperty(resource, 'move'),
		],
		async execute(itemIndex, run) {
			const newName = (this.getNodeParameter('newName', itemIndex, '') as string) || '';
			if (newName) validateItemName(this.getNode(), newName, 'New Name', itemIndex);
			const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'fail') as string;
			const target = await resolveTarget.call(this, resource, itemIndex, run);
			const destination = await resolveFolderOrRoot.call(this, 'destinationFolder', 'Destination Folder', itemIndex, run);
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
