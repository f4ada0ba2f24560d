import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
import { odataString } from '../../../shared/odata';
import { graphPages } from '../../../shared/paging';
import {
	readDriveItemOutput,
	readLimit,
	returnAllProperties,
	showFor,
	driveItemOutput,
	type OneDriveResource,
	type OneDriveOperation,
} from '../common';

/** Graph's page size for search; its maximum is not documented, 200 is the default page of drive listings. */
const SEARCH_PAGE_SIZE = 200;

/** Drive search (`search(q='...')`), keeping only files or only folders. */
export function searchOperation(resource: OneDriveResource): OneDriveOperation {
	return {
		// The action is also the tool description an AI agent reads: say what is searched.
		option: { name: 'Search', value: 'search', action: resource === 'file' ? 'Search files by name or content' : 'Search folders by name' },
		description: [
			{
				displayName: 'Query',
				name: 'query',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. budget 2026',
				description: `Words to look for in ${resource} names, metadata and (for files) content`,
				displayOptions: showFor(resource, 'search'),
			},
			...returnAllProperties(resource, 'search'),
			...driveItemOutput(resource, 'search'),
		],
		async execute(itemIndex, run) {
			const query = assertWellFormedText((this.getNodeParameter('query', itemIndex, '') as string).trim(), 'Query');
			if (!query) {
				throw new NodeOperationError(this.getNode(), '"Query" is empty', { itemIndex, description: 'Enter words to search for.' });
			}
			// odataString quotes and doubles single quotes; encodeURIComponent keeps #, ?, / and % from reshaping the URL.
			const url = `${run.drive.basePath}/root/search(q=${encodeURIComponent(odataString(query))})`;
			const results: IDataObject[] = [];
			const output = readDriveItemOutput.call(this, itemIndex);
			for await (const page of graphPages(this, run.conn, url, {
				pageSize: SEARCH_PAGE_SIZE,
				qs: output.select ? { $select: output.select } : undefined,
				limit: readLimit.call(this, itemIndex),
				keep: (item) => (resource === 'folder' ? item.folder !== undefined : item.folder === undefined),
				itemIndex,
				operation: `search ${resource}s`,
			})) {
				for (const item of page) results.push(output.shape(item));
			}
			return results;
		},
	};
}

