/** Move and copy: the message into another folder; Graph answers with the message in its new place. */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locatorValue } from '../../shared/node/parameters';
import { graphRequest } from '../../shared/transport';
import { folderLocator, messageLocator, messageOutput, messagePath, readMessageOutput, showFor, type OutlookOperation } from './common';

const OPTION: Record<'move' | 'copy', INodePropertyOptions> = {
	move: { name: 'Move', value: 'move', action: 'Move a message to a folder' },
	copy: { name: 'Copy', value: 'copy', action: 'Copy a message to a folder' },
};

export function placeMessageOperation(kind: 'move' | 'copy'): OutlookOperation {
	return {
		option: OPTION[kind],
		description: [
			messageLocator(showFor('message', kind)),
			folderLocator(showFor('message', kind), { name: 'destinationFolderId', displayName: 'Destination Folder', description: 'Folder to put the message in (ID or well-known name such as archive)' }),
			...messageOutput('message', kind),
		],
		async execute(itemIndex, run) {
			const destinationId = locatorValue(this, 'destinationFolderId', itemIndex);
			if (!destinationId) {
				throw new NodeOperationError(this.getNode(), '"Destination Folder" is empty', { itemIndex, description: 'Pick a folder, or enter its ID or a well-known name such as archive.' });
			}
			const path = messagePath.call(this, run, itemIndex);
			const output = readMessageOutput.call(this, itemIndex);
			const response = await graphRequest(this, run.conn, {
				method: 'POST',
				url: `${path}/${kind}`,
				body: { destinationId },
				itemIndex,
				operation: `${kind} the message`,
			});
			return output.shape(response.body as IDataObject);
		},
	};
}
