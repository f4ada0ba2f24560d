/** Mail folder output: Simplified = the folder's own fields; Raw = everything Graph returns. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { showFor } from '../../shared/node/descriptions';
import { FOLDER_SELECT } from '../helpers/simplify';

export function folderOutputProperty(operation: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplifyFolder',
		type: 'boolean',
		default: true,
		description: 'Whether to return only ID, name, parent, counts and hidden flag instead of everything Graph returns',
		displayOptions: showFor('folder', operation),
	};
}

export function shapeFolder(folder: IDataObject, simplify: boolean, path?: string): IDataObject {
	const shaped = simplify ? Object.fromEntries(FOLDER_SELECT.filter((key) => folder[key] !== undefined).map((key) => [key, folder[key]])) : { ...folder };
	return path === undefined ? shaped : { ...shaped, path };
}
