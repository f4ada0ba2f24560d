import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphGetAll } from '../../../shared/paging';
import { itemPath, type OneDriveOperation } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'List Versions', value: 'listVersions', action: 'List versions of a file' };

export const description: INodeProperties[] = [targetProperty('file', 'listVersions')];

/** One output item per version, newest first as Graph returns them. */
export const execute: OneDriveOperation['execute'] = async function (itemIndex, run) {
	const target = await resolveTarget.call(this, 'file', itemIndex, run);
	const versions = await graphGetAll(this, run.conn, `${itemPath(target.driveId, target.itemId)}/versions`, {
		itemIndex,
		operation: 'list the file versions',
	});
	return versions.map((version) => ({ ...version, itemId: target.itemId }) as IDataObject);
};
