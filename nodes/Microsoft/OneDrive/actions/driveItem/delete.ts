import { graphRequest } from '../../../shared/transport';
import { itemPath, type OneDriveResource, type OneDriveOperation } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

/** Deletes a file or folder (to the recycle bin, as Graph's DELETE does). */
export function deleteOperation(resource: OneDriveResource): OneDriveOperation {
	return {
		option: { name: 'Delete', value: 'delete', action: `Delete a ${resource}` },
		description: [targetProperty(resource, 'delete')],
		async execute(itemIndex, run) {
			const target = await resolveTarget.call(this, resource, itemIndex, run);
			await graphRequest(this, run.conn, {
				method: 'DELETE',
				url: itemPath(target.driveId, target.itemId),
				itemIndex,
				operation: `delete the ${resource}`,
			});
			return { deleted: true, id: target.itemId };
		},
	};
}

