import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphBatch, type BatchRequest, type BatchResult } from '../../../shared/batch';
import type { MicrosoftConnection } from '../../../shared/connection';
import { toNodeApiError } from '../../../shared/errors';
import { InputValueError } from '../../../shared/input';
import { credentialTypeOf } from '../../../shared/node/authentication';
import { odataBatch } from '../../../shared/odataBatch';
import { errorContextFor } from '../../../shared/transport';
import { apiBaseUrl, withQuery } from '../../../shared/resourceApi';
import { businessCentralApiRoot, businessCentralBatch } from '../../helpers/businessCentralBatch';
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
	type RequestOperation,
} from '../common';

export const option: INodePropertyOptions = {
	name: 'Batch',
	value: 'batch',
	action: 'Send requests in a batch',
	description:
		'One request per input item, sent together: Graph JSON $batch (20 a request), Dataverse / Finance & Operations multipart $batch or Business Central JSON $batch',
};

const OPERATION = 'batch';

export const description: INodeProperties[] = [
	{
		displayName:
			'Each input item becomes one request of the batch, and its answer (or error) becomes that item\'s output. Microsoft Graph: JSON $batch, 20 requests at a time; Dataverse and Finance & Operations: multipart $batch, 100 at a time; Business Central: JSON $batch per environment API, 100 at a time. Throttled requests are sent again on their own.',
		name: 'batchNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor(RESOURCE, OPERATION),
	},
	...requestFields(OPERATION),
	...bodyProperties(OPERATION, ['json']),
	optionsProperty(OPERATION, [INCLUDE_RESPONSE_METADATA]),
];

/** One input item's part of the batch: its request (and the URL it addresses), its answer, or why it has none. */
interface Outcome {
	url?: string;
	method?: string;
	result?: BatchResult;
	error?: Error;
}

/** A batch endpoint and the items whose requests go there. */
interface Group {
	endpoint: string;
	items: number[];
	requests: BatchRequest[];
}

/**
 * The batch of one execution, per credential type: computed when the router reaches the first item and read by
 * every item after it. Keyed by the execution's input items, which n8n creates anew for every run of the node.
 */
const BATCHES = new WeakMap<object, Map<string, Promise<Map<number, Outcome>>>>();

/** The batch endpoint an item's URL belongs to; refused naming "URL" when the API has no such batch. */
function endpointOf(conn: MicrosoftConnection, url: string): string {
	if (conn.resource === 'graph') {
		const version = ['v1.0', 'beta'].find((name) => url.toLowerCase().startsWith(`${conn.graphUrl.toLowerCase()}/${name}/`));
		if (!version) throw new InputValueError('URL', `must be a Microsoft Graph v1.0 or beta URL for a $batch: "${url}"`, 'Use a path such as /users/{id}.');
		return `${conn.graphUrl}/${version}`;
	}
	if (conn.resource === 'businessCentral') {
		const root = businessCentralApiRoot(conn, url);
		if (!root) {
			throw new InputValueError(
				'URL',
				`must be below a Business Central API root for a $batch: "${url}"`,
				'Use a path such as {tenant}/{environment}/api/v2.0/companies({id})/customers (or a custom API page api/{publisher}/{group}/{version}/…).',
			);
		}
		return root;
	}
	if (conn.resource !== 'dataverse' && conn.resource !== 'financeOperations') {
		throw new InputValueError(
			'Operation',
			'"Batch" works with Microsoft Graph, Dataverse, Finance & Operations and Business Central credentials',
			'Use "Send" once per item for custom resources.',
		);
	}
	const base = apiBaseUrl(conn);
	if (!url.toLowerCase().startsWith(`${base.toLowerCase()}/`)) {
		throw new InputValueError('URL', `must be below ${base} for a $batch`, 'Use a path relative to the API, e.g. accounts or WhoAmI.');
	}
	return base;
}

/** An item's request, checked like a single request (and, being a line in a multipart body, its headers too). */
function buildRequest(this: IExecuteFunctions, itemIndex: number, conn: MicrosoftConnection): { endpoint: string; request: BatchRequest } {
	const input = readRequestInput.call(this, itemIndex, conn);
	const url = withQuery(input.url, input.qs);
	const endpoint = endpointOf(conn, input.url);
	const withBody = input.method !== 'GET' && this.getNodeParameter('bodyType', itemIndex, 'none') === 'json';
	const request: BatchRequest = { id: String(itemIndex), method: input.method, url, headers: input.headers };
	if (withBody) request.body = readJsonBody.call(this, itemIndex);
	return { endpoint, request };
}

async function sendGroup(ctx: IExecuteFunctions, conn: MicrosoftConnection, group: Group): Promise<BatchResult[]> {
	const options = { itemIndex: group.items[0] };
	if (conn.resource === 'graph') return await graphBatch(ctx, { ...conn, graphBaseUrl: group.endpoint }, group.requests, options);
	if (conn.resource === 'businessCentral') return await businessCentralBatch(ctx, conn, group.endpoint, group.requests, options);
	return await odataBatch(ctx, conn, `${group.endpoint}/$batch`, group.requests, options);
}

/** Builds every item's request (refusing bad ones before anything is sent), sends the batches, maps answers to items. */
async function runBatch(ctx: IExecuteFunctions, conn: MicrosoftConnection): Promise<Map<number, Outcome>> {
	const outcomes = new Map<number, Outcome>();
	const groups = new Map<string, Group>();
	const items = ctx.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		if (credentialTypeOf(ctx, itemIndex) !== conn.credentialType) continue;
		try {
			const { endpoint, request } = buildRequest.call(ctx, itemIndex, conn);
			const group = groups.get(endpoint) ?? { endpoint, items: [], requests: [] };
			groups.set(endpoint, group);
			group.items.push(itemIndex);
			group.requests.push(request);
			outcomes.set(itemIndex, { url: request.url, method: request.method });
		} catch (error) {
			const refused = toNodeApiError(ctx.getNode(), error, { itemIndex });
			// Without "continue on fail" the node fails on bad input before any request of the batch is sent.
			if (!ctx.continueOnFail()) throw refused;
			outcomes.set(itemIndex, { error: refused });
		}
	}
	for (const group of groups.values()) {
		try {
			const results = await sendGroup(ctx, conn, group);
			results.forEach((result, k) => outcomes.set(group.items[k], { ...outcomes.get(group.items[k]), result }));
		} catch (error) {
			const failed = toNodeApiError(ctx.getNode(), error, { itemIndex: group.items[0] });
			for (const itemIndex of group.items) outcomes.set(itemIndex, { error: failed });
		}
	}
	return outcomes;
}

async function batchOf(ctx: IExecuteFunctions, conn: MicrosoftConnection): Promise<Map<number, Outcome>> {
	const key = ctx.getInputData();
	let byCredential = BATCHES.get(key);
	if (!byCredential) {
		byCredential = new Map();
		BATCHES.set(key, byCredential);
	}
	let batch = byCredential.get(conn.credentialType);
	if (!batch) {
		batch = runBatch(ctx, conn);
		byCredential.set(conn.credentialType, batch);
	}
	return await batch;
}

export const execute: RequestOperation['execute'] = async function (itemIndex, run) {
	const outcome = (await batchOf(this, run.conn)).get(itemIndex);
	if (outcome?.error) throw outcome.error;
	const result = outcome?.result;
	if (!outcome?.url || !result) throw new NodeOperationError(this.getNode(), 'This item has no request in the batch', { itemIndex });
	const operation = `${outcome.method} ${pathOf(outcome.url)} in a $batch`;
	if (result.status === 0) {
		const message = ((result.body as IDataObject)?.error as IDataObject)?.message;
		throw new NodeOperationError(this.getNode(), String(message ?? 'No answer for this request in the batch'), { itemIndex, description: `While trying to ${operation}.` });
	}
	if (result.status >= 400) throw toNodeApiError(this.getNode(), result, errorContextFor(run.conn, outcome.url, { itemIndex, operation }));
	if (optionsOf.call(this, itemIndex).includeResponseMetadata === true) return responseMetadata(result.status, result.headers, result.body);
	const item: INodeExecutionData = { json: bodyJson(result.body, result.status) };
	return item;
};
