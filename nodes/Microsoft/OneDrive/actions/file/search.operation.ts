import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { odataString } from '../../../shared/odata';
import { graphPages } from '../../../shared/paging';
import {
	maybeSimplify,
	readLimit,
	returnAllProperties,
	showFor,
	simplifyProperty,
	type OneDriveResource,
	type OperationModule,
} from '../common';

/** Graph's page size for search; its maximum is not documented, 200 is the default page of drive listings. */
const SEARCH_PAGE_SIZE = 200;

/** Drive search (`search(q='...')`), keeping only files or only folders. */
export function searchOperation(resource: OneDriveResource): OperationModule {
	return {
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
			simplifyProperty(resource, 'search'),
		],
		async execute(itemIndex, run) {
			const query = (this.getNodeParameter('query', itemIndex, '') as string).trim();
			if (!query) {
				throw new NodeOperationError(this.getNode(), '"Query" is empty', { itemIndex, description: 'Enter words to search for.' });
			}
			const limit = readLimit.call(this, itemIndex) ?? Infinity;
			// odataString quotes and doubles single quotes; encodeURIComponent keeps #, ?, / and % from reshaping the URL.
			const url = `${run.drive.basePath}/root/search(q=${encodeURIComponent(odataString(query))})`;
			const wanted = (item: IDataObject) => (resource === 'folder' ? item.folder !== undefined : item.folder === undefined);
			const results: IDataObject[] = [];
			for await (const page of graphPages(this, run.conn, url, {
				pageSize: SEARCH_PAGE_SIZE,
				itemIndex,
				operation: `search ${resource}s`,
			})) {
				for (const item of page) {
					if (!wanted(item)) continue;
					results.push(maybeSimplify.call(this, itemIndex, item));
					if (results.length >= limit) break;
				}
				if (results.length >= limit) break; // leaving the generator stops paging
			}
			return results;
		},
	};
}

export const { description, execute } = searchOperation('file');
