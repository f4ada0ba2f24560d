/** What the Request node's operations share: the run context, the request fields and their readers. */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { assertHeaderValue, assertWellFormedText, InputValueError } from '../../shared/input';
import { showFor } from '../../shared/node/descriptions';
import type { OperationModule, RunBase } from '../../shared/node/router';
import { apiBaseUrl, type GraphVersion } from '../../shared/resourceApi';
import { resolveUserUrl } from '../helpers/target';

export { showFor } from '../../shared/node/descriptions';

export type RequestRun = RunBase;
export type RequestOperation = OperationModule<RequestRun>;

export const RESOURCE = 'request';

const METHODS: IHttpRequestMethods[] = ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'];

/** The fields every operation has: method, API version (Graph), URL, query and headers. */
export function requestFields(operation: string): INodeProperties[] {
	const show = showFor(RESOURCE, operation);
	return [
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: METHODS.map((method) => ({ name: method, value: method })),
			default: 'GET',
			description: 'The HTTP method',
			displayOptions: show,
		},
		{
			displayName: 'Graph API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{ name: 'v1.0', value: 'v1.0', description: 'Generally available APIs' },
				{ name: 'Beta', value: 'beta', description: 'Preview APIs; Microsoft may change them without notice' },
			],
			default: 'v1.0',
			description: 'Used when the credential signs in to Microsoft Graph: the version relative paths are joined to',
			displayOptions: { ...show, hide: { authentication: ['tenantOAuth2'] } },
		},
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. /me/messages',
			description:
				"A path relative to the credential's API (Graph: https://graph.microsoft.com/v1.0, Dataverse: {environment}/api/data/v9.2, Finance & Operations: {environment}/data, Business Central: https://api.businesscentral.dynamics.com/v2.0, custom resource: its URI), e.g. /me/messages or accounts; or a full https URL on the credential's hosts",
			displayOptions: show,
		},
		nameValueProperty(operation, 'queryParameters', 'Query Parameters', 'Add Query Parameter', 'Query parameters, e.g. $filter, $select, $top (values are encoded)'),
		nameValueProperty(operation, 'headerParameters', 'Headers', 'Add Header', 'Extra headers, e.g. ConsistencyLevel: eventual or Prefer; the credential sets Authorization'),
	];
}

function nameValueProperty(operation: string, name: string, displayName: string, placeholder: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder,
		default: {},
		description,
		displayOptions: showFor(RESOURCE, operation),
		options: [
			{
				name: 'parameters',
				displayName: 'Parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

/** Methods that may carry a body. */
export const WITH_BODY = { method: ['POST', 'PUT', 'PATCH', 'DELETE'] };

const BODY_CHOICES = {
	json: { name: 'JSON', value: 'json' },
	text: { name: 'Text', value: 'text', description: 'Any text with its content type (e.g. text/csv, application/xml)' },
	binary: { name: 'Binary', value: 'binary', description: 'A binary field of the input item (e.g. a file to upload)' },
};

/** The Body choice (None plus `kinds`) and the JSON Body field (a JSON text or an object from an expression). */
export function bodyProperties(operation: string, kinds: Array<keyof typeof BODY_CHOICES>): INodeProperties[] {
	return [
		{
			displayName: 'Body',
			name: 'bodyType',
			type: 'options',
			options: [{ name: 'None', value: 'none' }, ...kinds.map((kind) => BODY_CHOICES[kind])],
			default: 'none',
			displayOptions: showFor(RESOURCE, operation, WITH_BODY),
		},
		{
			displayName: 'JSON Body',
			name: 'jsonBody',
			type: 'json',
			default: '{\n}',
			description: 'The request body, sent as JSON',
			displayOptions: showFor(RESOURCE, operation, { ...WITH_BODY, bodyType: ['json'] }),
		},
	];
}

/** An operation's Options collection. */
export function optionsProperty(operation: string, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: showFor(RESOURCE, operation), options };
}

export interface RequestInput {
	method: IHttpRequestMethods;
	/** Absolute, checked: on the credential's hosts, no dot segments. */
	url: string;
	/** The base relative paths were joined to. */
	base: string;
	qs: IDataObject;
	headers: Record<string, string>;
}

function pairs(this: IExecuteFunctions, name: string, itemIndex: number): Array<{ name: string; value: string }> {
	const collection = this.getNodeParameter(name, itemIndex, {}) as { parameters?: Array<{ name?: unknown; value?: unknown }> };
	return (collection.parameters ?? []).map((entry) => ({ name: String(entry.name ?? '').trim(), value: entry.value === undefined || entry.value === null ? '' : String(entry.value) }));
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the transport or the credential sets; a user value would be ignored or harmful. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length']);
/** Headers the shared layer sets or reads by name: a user's spelling is taken as theirs, so the user's value wins. */
const CANONICAL_NAMES = new Map(['Accept', 'Content-Type', 'OData-MaxVersion', 'OData-Version', 'Prefer'].map((name) => [name.toLowerCase(), name]));

/** The headers of an item, checked (names are tokens, values one line; Authorization is the credential's). */
function readHeaders(this: IExecuteFunctions, itemIndex: number): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const { name, value } of pairs.call(this, 'headerParameters', itemIndex)) {
		if (!name && !value) continue;
		if (!TOKEN.test(name)) throw new InputValueError('Header Name', `"${name}" is not a valid header name`, 'Use letters, digits and dashes, e.g. ConsistencyLevel.');
		if (RESERVED_HEADERS.has(name.toLowerCase())) {
			throw new InputValueError('Header Name', `"${name}" is set by the node`, 'Remove it: the credential sends Authorization, and Host and Content-Length follow from the request.');
		}
		assertHeaderValue(name, value);
		for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
		headers[CANONICAL_NAMES.get(name.toLowerCase()) ?? name] = value;
	}
	return headers;
}

/** Query parameters of an item (an entry without a name is left out only when it has no value either). */
function readQuery(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const qs: IDataObject = {};
	for (const { name, value } of pairs.call(this, 'queryParameters', itemIndex)) {
		if (!name && !value) continue;
		if (!name) throw new InputValueError('Query Parameter Name', 'is empty', 'Enter the parameter name, e.g. $filter.');
		qs[name] = assertWellFormedText(value, `Query Parameter "${name}"`);
	}
	return qs;
}

/** Method, checked absolute URL, query and headers of an item. */
export function readRequestInput(this: IExecuteFunctions, itemIndex: number, conn: MicrosoftConnection): RequestInput {
	const method = String(this.getNodeParameter('method', itemIndex, 'GET')).toUpperCase() as IHttpRequestMethods;
	if (!METHODS.includes(method)) throw new InputValueError('Method', `"${method}" is not offered`, `Use one of ${METHODS.join(', ')}.`);
	const version = this.getNodeParameter('apiVersion', itemIndex, 'v1.0') as GraphVersion;
	if (version !== 'v1.0' && version !== 'beta') throw new InputValueError('Graph API Version', `"${String(version)}" is not v1.0 or beta`, 'Choose v1.0 or Beta.');
	const base = apiBaseUrl(conn, version);
	const url = resolveUserUrl(conn, String(this.getNodeParameter('url', itemIndex, '') ?? ''), base);
	return { method, url, base, qs: readQuery.call(this, itemIndex), headers: readHeaders.call(this, itemIndex) };
}

/** The JSON Body of an item, parsed; refused naming the field when it is empty or not JSON. */
export function readJsonBody(this: IExecuteFunctions, itemIndex: number): IDataObject | IDataObject[] {
	const raw = this.getNodeParameter('jsonBody', itemIndex, '') as unknown;
	if (raw !== null && typeof raw === 'object') return raw as IDataObject;
	const text = String(raw ?? '').trim();
	if (!text) throw new InputValueError('JSON Body', 'is empty', 'Enter a JSON object or array, or choose no body.');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new InputValueError('JSON Body', `is not valid JSON: ${(error as Error).message}`, 'Check quotes, commas and brackets; nothing was sent.');
	}
	if (parsed === null || typeof parsed !== 'object') {
		throw new InputValueError('JSON Body', 'must be a JSON object or array', 'Wrap the value in an object, e.g. { "value": … }; nothing was sent.');
	}
	return parsed as IDataObject;
}

/** An output item's JSON for a response body: objects as they are, anything else under `data`, nothing as `{ statusCode }`. */
export function bodyJson(body: unknown, status: number): IDataObject {
	if (body === undefined || body === null || body === '') return { statusCode: status };
	if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return body as IDataObject;
	return { data: Buffer.isBuffer(body) ? body.toString('utf8') : (body as IDataObject['data']) };
}

/** The "Options" collection of an operation. */
export function optionsOf(this: IExecuteFunctions, itemIndex: number): IDataObject {
	return (this.getNodeParameter('options', itemIndex, {}) as IDataObject) ?? {};
}

export const INCLUDE_RESPONSE_METADATA: INodeProperties = {
	displayName: 'Include Response Headers and Status',
	name: 'includeResponseMetadata',
	type: 'boolean',
	default: false,
	description: 'Whether to output { statusCode, headers, body } instead of the body alone',
};

/** `{ statusCode, headers, body }` for "Include Response Headers and Status". */
export function responseMetadata(status: number, headers: Record<string, string>, body: unknown): IDataObject {
	return { statusCode: status, headers, body: body === undefined ? null : (body as IDataObject) };
}
