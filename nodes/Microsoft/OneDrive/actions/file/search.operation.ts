import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertWellFormedText } from '../../../shared/input';
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
			const query = assertWellFormedText((this.getNodeParameter('query', itemIndex, '') as string).trim(), 'Query');
			if (!query) {
				throw new NodeOperationError(this.getNode(), '"Query" is empty', { itemIndex, description: 'Enter words to search for.' });
			}
			// odataString quotes and doubles single quotes; encodeURIComponent keeps #, ?, / and % from reshaping the URL.
			const url = `${run.drive.basePath}/root/search(q=${encodeURIComponent(odataString(query))})`;
			const results: IDataObject[] = [];
			for await (const page of graphPages(this, run.conn, url, {
				pageSize: SEARCH_PAGE_SIZE,
				limit: readLimit.call(this, itemIndex),
				keep: (item) => (resource === 'folder' ? item.folder !== undefined : item.folder === undefined),
				itemIndex,
				operation: `search ${resource}s`,
			})) {
				for (const item of page) results.push(maybeSimplify.call(this, itemIndex, item));
			}
			return results;
		},
	};
}

export const { description, execute } = searchOperation('file');
