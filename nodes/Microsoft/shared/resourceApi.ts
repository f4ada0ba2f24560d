/**
 * Where a credential's API lives: the base URL relative paths join to (Graph `/v1.0` or `/beta`, Dataverse's Web API
 * of the environment the credential names, F&O's OData root, Business Central's API root, a custom resource's URI).
 * The Request node and the Dynamics node both read the environment from the credential through this.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MicrosoftConnection } from './connection';
import { encodeUriText } from './input';

export type GraphVersion = 'v1.0' | 'beta';

/** Dataverse Web API version the nodes use. */
export const DATAVERSE_API_PATH = '/api/data/v9.2';

/** The APIs that speak OData 4 with Microsoft's headers (and page with `@odata.nextLink`). */
const ODATA_RESOURCES = new Set(['dataverse', 'financeOperations', 'businessCentral']);

export function isODataResource(conn: MicrosoftConnection): boolean {
	return ODATA_RESOURCES.has(conn.resource);
}

/** The credential's API base URL (no trailing slash). */
export function apiBaseUrl(conn: MicrosoftConnection, graphVersion: GraphVersion = 'v1.0'): string {
	switch (conn.resource) {
		case 'graph':
			return `${conn.graphUrl}/${graphVersion}`;
		case 'dataverse':
			return `${conn.resourceUrl}${DATAVERSE_API_PATH}`;
		case 'financeOperations':
			return `${conn.resourceUrl}/data`;
		case 'businessCentral':
			return `${conn.resourceUrl}/v2.0`;
		default:
			return conn.resourceUrl ?? conn.graphBaseUrl;
	}
}

/** `url` with the query appended (names keep `$`, values percent-encoded): for `$batch` parts, which have no separate query. */
export function withQuery(url: string, qs: IDataObject): string {
	const pairs = Object.entries(qs)
		.filter(([, value]) => value !== undefined)
		.map(([name, value]) => `${encodeUriText(name).replace(/%24/g, '$')}=${encodeUriText(String(value))}`);
	if (!pairs.length) return url;
	return `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}
