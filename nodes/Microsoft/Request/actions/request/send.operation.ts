import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import type { MicrosoftConnection } from '../../../shared/connection';
import { assertWellFormedText } from '../../../shared/input';
import { readBinarySource } from '../../../shared/node/binary';
import { returnAllProperties } from '../../../shared/node/descriptions';
import { includeDownloadUrlProperty } from '../../../shared/output';
import { MAX_PAGE_SIZE, graphPages, odataPages, type PagingOptions } from '../../../shared/paging';
import { fetchPreAuthenticated } from '../../../shared/preAuthenticated';
import { graphRequest, hasHeader, ODATA_HEADERS, type MicrosoftResponse, type RequestBody, type ResponseEncoding } from '../../../shared/transport';
import { isODataResource } from '../../../shared/resourceApi';
import { pathOf } from '../../helpers/target';
import {
	bodyJson,
	INCLUDE_RESPONSE_METADATA,
	bodyProperties,
	optionsOf,
	optionsProperty,
	readJsonBody,
	readRequestInput,
	requestFields,
	responseMetadata,
	RESOURCE,
	showFor,
	type RequestInput,
	type RequestOperation,
	WITH_BODY,
} from '../common';

export const option: INodePropertyOptions = {
	name: 'Send',
	value: 'send',
	action: 'Send a request to a Microsoft API',
	description: 'Call any endpoint of the credential\'s API (e.g. any Microsoft Graph endpoint) with paging, retry and error translation',
};

const OPERATION = 'send';

export const description: INodeProperties[] = [
	...requestFields(OPERATION),
	...bodyProperties(OPERATION, ['json', 'text', 'binary']),
	{
		displayName: 'Text Body',
		name: 'textBody',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: showFor(RESOURCE, OPERATION, { ...WITH_BODY, bodyType: ['text'] }),
	},
	{
		displayName: 'Content Type',
		name: 'textContentType',
		type: 'string',
		default: 'text/plain',
		description: 'The Content-Type of the text body',
		displayOptions: showFor(RESOURCE, OPERATION, { ...WITH_BODY, bodyType: ['text'] }),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the input binary field holding the body',
		displayOptions: showFor(RESOURCE, OPERATION, { ...WITH_BODY, bodyType: ['binary'] }),
	},
	{
		displayName: 'Content Type',
		name: 'binaryContentType',
		type: 'string',
		default: '',
		placeholder: 'e.g. image/png',
		description: "The Content-Type of the binary body; empty uses the binary field's MIME type",
		displayOptions: showFor(RESOURCE, OPERATION, { ...WITH_BODY, bodyType: ['binary'] }),
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json', description: 'Parsed JSON (other content is output as text in "data")' },
			{ name: 'Text', value: 'text', description: 'The body as text in "data"' },
			{ name: 'Binary', value: 'binary', description: 'The body as a file in a binary field (downloads, photos, exports)' },
		],
		default: 'json',
		displayOptions: showFor(RESOURCE, OPERATION),
	},
	{
		displayName: 'Put Output File in Field',
		name: 'outputBinaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: showFor(RESOURCE, OPERATION, { responseFormat: ['binary'] }),
	},
	{
		displayName: 'Pagination',
		name: 'pagination',
		type: 'options',
		options: [
			{ name: 'Off (One Request)', value: 'off' },
			{ name: 'Return All Pages', value: 'all', description: 'Follow @odata.nextLink until the last page' },
			{ name: 'Up to a Limit', value: 'limit', description: 'Follow @odata.nextLink until the limit of elements is reached' },
		],
		default: 'off',
		description: 'Whether to follow @odata.nextLink; the query is sent as given (set $top or Prefer: odata.maxpagesize for larger pages)',
		displayOptions: showFor(RESOURCE, OPERATION, { method: ['GET'], responseFormat: ['json'] }),
	},
	// The Limit every listing has, shown for "Up to a Limit".
	{ ...returnAllProperties(RESOURCE, OPERATION)[1], displayOptions: showFor(RESOURCE, OPERATION, { method: ['GET'], responseFormat: ['json'], pagination: ['limit'] }) },
	optionsProperty(OPERATION, [
		INCLUDE_RESPONSE_METADATA,
		{
			displayName: 'Split Collections Into Items',
			name: 'splitIntoItems',
			type: 'boolean',
			default: true,
			description: 'Whether a collection (a JSON response with a "value" array, all pages when paging) becomes one item per element; off outputs one item with the whole response',
		},
	]),
	includeDownloadUrlProperty(showFor(RESOURCE, OPERATION)),
];

/** Bodies up to this size are read into memory, so a throttled request can be sent again; larger ones stream once. */
const REPLAYABLE_BINARY_BYTES = 16 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The request body of an item and the Content-Type (and length) it goes with. */
async function readBody(this: IExecuteFunctions, itemIndex: number, input: RequestInput): Promise<RequestBody | undefined> {
	if (input.method === 'GET') return undefined;
	const type = this.getNodeParameter('bodyType', itemIndex, 'none') as string;
	const setType = (value: string) => {
		if (value && !hasHeader(input.headers, 'content-type')) input.headers['Content-Type'] = value;
	};
	if (type === 'json') return readJsonBody.call(this, itemIndex);
	if (type === 'text') {
		setType(String(this.getNodeParameter('textContentType', itemIndex, 'text/plain')).trim());
		return assertWellFormedText(String(this.getNodeParameter('textBody', itemIndex, '')), 'Text Body');
	}
	if (type === 'binary') {
		const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		const source = await readBinarySource.call(this, itemIndex, property, 'Input Binary Field');
		setType(String(this.getNodeParameter('binaryContentType', itemIndex, '')).trim() || source.mimeType);
		const stream = source.size > REPLAYABLE_BINARY_BYTES;
		if (stream && !hasHeader(input.headers, 'content-length')) input.headers['Content-Length'] = String(source.size);
		return (await source.open({ stream })) as Buffer | Readable;
	}
	return undefined;
}

/** A file name for a binary response: Content-Disposition's, else the last meaningful path segment. */
function fileNameOf(headers: Record<string, string>, url: string): string {
	const disposition = headers['content-disposition'] ?? '';
	const encoded = /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(disposition)?.[1];
	if (encoded) {
		try {
			return decodeURIComponent(encoded.trim());
		} catch {
			// fall through to the plain name
		}
	}
	const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1];
	if (plain) return plain.trim();
	const segments = pathOf(url).split('/').filter((segment) => segment && !/^(?:content|\$value)$/i.test(segment));
	let last = segments.pop() ?? 'file';
	try {
		last = decodeURIComponent(last);
	} catch {
		// keep the raw segment
	}
	return last.replace(/:$/, '').replace(/^.*:\//, '') || 'file';
}

/** Sends one request; a GET that redirects (a download) is followed without the token. */
async function sendOnce(
	this: IExecuteFunctions,
	itemIndex: number,
	conn: MicrosoftConnection,
	input: RequestInput,
	body: RequestBody | undefined,
	encoding: ResponseEncoding,
): Promise<MicrosoftResponse> {
	const operation = `${input.method} ${pathOf(input.url)}`;
	const response = await graphRequest(this, conn, { method: input.method, url: input.url, qs: input.qs, headers: input.headers, body, encoding, itemIndex, operation });
	const location = response.headers.location;
	if (input.method !== 'GET' || !REDIRECTS.has(response.status)) return response;
	if (!location) {
		// n8n 1.x drops the headers of a response its helper treats as an error, a redirect's Location included.
		throw new NodeOperationError(this.getNode(), `Microsoft answered with a redirect (HTTP ${response.status}), but n8n did not pass on where it leads`, {
			itemIndex,
			description:
				'n8n 1.x drops the headers of redirects (Location), so the download URL is unknown. On n8n 1.x, GET the item itself with "Include Download URL" on and fetch its @microsoft.graph.downloadUrl, or use the OneDrive node\'s Download; n8n 2.x follows the redirect.',
		});
	}
	// A pre-authenticated URL (e.g. /content → the file): the URL is the authorisation; the token never goes there.
	return await fetchPreAuthenticated(this, new URL(location, input.url).href, { method: 'GET', encoding, itemIndex, operation });
}

/** Every element of the collection (all pages, or up to the limit) and the last page's response. */
async function sendPaged(this: IExecuteFunctions, itemIndex: number, conn: MicrosoftConnection, input: RequestInput, limit: number | undefined) {
	let first: IDataObject | undefined;
	let last: MicrosoftResponse | undefined;
	const options: PagingOptions = {
		qs: input.qs,
		headers: input.headers,
		limit,
		itemIndex,
		operation: `GET ${pathOf(input.url)}`,
		onPage: (page, response) => {
			first ??= page;
			last = response;
		},
	};
	// Dataverse pages by `Prefer: odata.maxpagesize` (its largest, unless the user asked for another size).
	const pageSize = /odata\.maxpagesize/i.test(input.headers.Prefer ?? '') ? undefined : MAX_PAGE_SIZE.dataverse;
	const pages = conn.resource === 'dataverse' ? odataPages(this, conn, input.url, { ...options, pageSize }) : graphPages(this, conn, input.url, options);
	const elements: IDataObject[] = [];
	for await (const page of pages) elements.push(...page);
	return { elements, first: first ?? {}, last: last! };
}

export const execute: RequestOperation['execute'] = async function (itemIndex, run) {
	const { conn } = run;
	const input = readRequestInput.call(this, itemIndex, conn);
	if (isODataResource(conn)) input.headers = { ...ODATA_HEADERS, ...input.headers };
	const body = await readBody.call(this, itemIndex, input);
	const format = this.getNodeParameter('responseFormat', itemIndex, 'json') as 'json' | 'text' | 'binary';
	const options = optionsOf.call(this, itemIndex);
	const includeMetadata = options.includeResponseMetadata === true;
	const split = options.splitIntoItems !== false;

	const pagination = input.method === 'GET' && format === 'json' ? (this.getNodeParameter('pagination', itemIndex, 'off') as string) : 'off';
	if (pagination !== 'off') {
		const limit = pagination === 'limit' ? (this.getNodeParameter('limit', itemIndex, 50) as number) : undefined;
		const { elements, first, last } = await sendPaged.call(this, itemIndex, conn, input, limit);
		// Not a collection (no "value" array): the response itself.
		const collection = Array.isArray(first.value);
		if (includeMetadata) return responseMetadata(last.status, last.headers, collection ? { value: elements } : first);
		if (!collection) return bodyJson(first, last.status);
		return split ? elements.map((element) => bodyJson(element, last.status)) : { value: elements };
	}

	const encoding: ResponseEncoding = format === 'binary' ? 'stream' : format === 'text' ? 'arraybuffer' : 'json';
	const response = await sendOnce.call(this, itemIndex, conn, input, body, encoding);
	if (response.status >= 300 || format !== 'binary') {
		const content = format === 'text' && Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.body;
		if (includeMetadata || response.status >= 300) return responseMetadata(response.status, response.headers, content);
		if (split && content && typeof content === 'object' && Array.isArray((content as IDataObject).value)) {
			return ((content as IDataObject).value as unknown[]).map((element) => bodyJson(element, response.status));
		}
		return bodyJson(content, response.status);
	}
	const property = String(this.getNodeParameter('outputBinaryPropertyName', itemIndex, 'data')).trim() || 'data';
	const mimeType = (response.headers['content-type'] ?? '').split(';')[0].trim() || undefined;
	const binary = await this.helpers.prepareBinaryData(response.body as Readable, fileNameOf(response.headers, input.url), mimeType);
	const json: IDataObject = includeMetadata
		? responseMetadata(response.status, response.headers, null)
		: { fileName: binary.fileName, mimeType: binary.mimeType, ...(binary.fileSize ? { fileSize: binary.fileSize } : {}) };
	const item: INodeExecutionData = { json, binary: { [property]: binary } };
	return item;
};
