import { includeDownloadUrlProperty } from '../../../shared/output';
import { maybeSimplify, showFor, simplifyProperty, type OneDriveResource, type OperationModule } from '../common';
import { resolveTarget, targetProperty } from '../target';

/** Metadata of one file (also used for folders). */
export function getOperation(resource: OneDriveResource): OperationModule {
	return {
		description: [
			targetProperty(resource, 'get'),
			simplifyProperty(resource, 'get'),
			...(resource === 'file' ? [includeDownloadUrlProperty(showFor(resource, 'get', { simplify: [false] }))] : []),
		],
		async execute(itemIndex, run) {
			const { item } = await resolveTarget.call(this, resource, itemIndex, run);
			return maybeSimplify.call(this, itemIndex, item);
		},
	};
}

export const { description, execute } = getOperation('file');
