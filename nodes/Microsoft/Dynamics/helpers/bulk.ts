/**
 * Bulk mode for writes: every input item's request goes into multipart `$batch` POSTs (up to 1,000 a POST), either
 * each row on its own with `odata.continue-on-error`, or each POST as one atomic change set (all rows of it or none;
 * no POST after a failed one). The batch is built and sent when the router reaches the first item; every item then
 * returns its own answer or error, so pairedItem and "continue on fail" stay the router's. Bad input is refused before
 * anything is sent (without "continue on fail" the node fails; with it only that item does).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchResult } from '../../shared/batch';
import { toNodeApiError } from '../../shared/errors';
import type { ODataBatchRequest } from '../../shared/odataBatch';
import { odataBatch } from '../../shared/odataBatch';
import { errorContextFor, odataRequest } from '../../shared/transport';
import type { DynamicsRun } from '../actions/common';
import { DATAVERSE_ADVICE } from '../actions/common';

export type BulkErrors = 'continue' | 'atomic';

/** Where the batch goes and how its errors read: Dataverse by default; Finance & Operations passes its own. */
export interface BulkService {
	/** `{base}/$batch` */
	batchUrl: string;
	/** ErrorContext.advice for the items' errors. */
	advice: Record<string, string>;
	/** "Dataverse", "Finance & Operations": for error texts. */
	name: string;
}

function dataverseService(run: DynamicsRun): BulkService {
	return { batchUrl: `${run.base}/$batch`, advice: DATAVERSE_ADVICE, name: 'Dataverse' };
}

/** One item's request in the batch, and what its answer means. */
export interface BulkRequest extends Omit<ODataBatchRequest, 'id' | 'changeSet'> {
	/** For error texts: "create a row in accounts". */
	operation: string;
}

interface Outcome {
	request?: BulkRequest;
	result?: BatchResult;
	error?: Error;
}

/** One execution's batch, keyed by its input items (n8n makes them anew for every run of the node). */
const BATCHES = new WeakMap<object, Promise<Map<number, Outcome>>>();

export function isBulk(this: IExecuteFunctions, itemIndex: number): boolean {
	return this.getNodeParameter('bulk', itemIndex, false) === true;
}

async function runBulk(
	ctx: IExecuteFunctions,
	run: DynamicsRun,
	firstItem: number,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<BulkRequest>,
	service: BulkService,
): Promise<Map<number, Outcome>> {
	const size = Math.max(1, Math.min(Number(ctx.getNodeParameter('batchSize', firstItem, 1000)) || 1000, 1000));
	const mode = ctx.getNodeParameter('bulkErrors', firstItem, 'continue') as BulkErrors;
	const outcomes = new Map<number, Outcome>();
	const requests: Array<ODataBatchRequest & { itemIndex: number }> = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const request = await build.call(ctx, itemIndex);
			outcomes.set(itemIndex, { request });
			requests.push({ ...request, id: String(itemIndex), itemIndex });
		} catch (error) {
			const refused = toNodeApiError(ctx.getNode(), error, { itemIndex });
			// Without "continue on fail" the node fails on bad input before any row is sent.
			if (!ctx.continueOnFail()) throw refused;
			outcomes.set(itemIndex, { error: refused });
		}
	}
	const batchUrl = service.batchUrl;
	const record = (results: BatchResult[]) => {
		for (const result of results) {
			const itemIndex = Number(result.id);
			outcomes.set(itemIndex, { ...outcomes.get(itemIndex), result });
		}
	};
	if (mode === 'continue') {
		record(await odataBatch(ctx, run.conn, batchUrl, requests, { batchSize: size, itemIndex: firstItem, continueOnError: true }));
		return outcomes;
	}
	for (let start = 0; start < requests.length; start += size) {
		const chunk = requests.slice(start, start + size).map((request) => ({ ...request, changeSet: `changeset${start / size}` }));
		const results = await odataBatch(ctx, run.conn, batchUrl, chunk, { batchSize: size, itemIndex: chunk[0].itemIndex, continueOnError: false });
		record(results);
		const failed = results.find((result) => result.status >= 400 || result.status === 0);
		if (failed) {
			// Atomic: nothing after a failed change set is sent.
			for (const request of requests.slice(start + size)) {
				outcomes.set(request.itemIndex, {
					...outcomes.get(request.itemIndex),
					error: new NodeOperationError(ctx.getNode(), 'Not sent: an earlier batch of this run failed', {
						itemIndex: request.itemIndex,
						description: `Atomic batches stop at the first failed change set (item ${failed.id} failed). Fix it and run the node again for the items not sent, or choose "Continue With the Other Rows".`,
					}),
				});
			}
			break;
		}
	}
	return outcomes;
}

/**
 * The item's answer from this execution's bulk batch (sent when the first item gets here). Throws the item's
 * translated error; returns its answer otherwise.
 */
async function bulkAnswer(
	this: IExecuteFunctions,
	itemIndex: number,
	run: DynamicsRun,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<BulkRequest>,
	service: BulkService = dataverseService(run),
): Promise<BatchResult> {
	const key = this.getInputData();
	let batch = BATCHES.get(key);
	if (!batch) {
		batch = runBulk(this, run, itemIndex, build, service);
		BATCHES.set(key, batch);
	}
	const outcome = (await batch).get(itemIndex);
	if (outcome?.error) throw outcome.error;
	const result = outcome?.result;
	if (!outcome?.request || !result) throw new NodeOperationError(this.getNode(), 'This item has no request in the batch', { itemIndex });
	if (result.status === 0) {
		throw new NodeOperationError(this.getNode(), `Not written: ${service.name} gave no answer for this row`, {
			itemIndex,
			description: `While trying to ${outcome.request.operation} in a $batch. An earlier row of the batch may have failed; run the node again for this item.`,
		});
	}
	if (result.status >= 400) {
		throw toNodeApiError(this.getNode(), result, errorContextFor(run.conn, outcome.request.url, { itemIndex, operation: `${outcome.request.operation} (item ${itemIndex}, in a $batch)`, advice: service.advice }));
	}
	return result;
}

/** A write's answer, sent alone or taken from the batch. */
export type WriteAnswer = Omit<BatchResult, 'id'>;

/** Sends the item's write alone, or takes its answer from the execution's bulk batch (Dataverse unless `service` says otherwise). */
export async function sendWrite(
	this: IExecuteFunctions,
	itemIndex: number,
	run: DynamicsRun,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<BulkRequest>,
	service: BulkService = dataverseService(run),
): Promise<WriteAnswer> {
	if (isBulk.call(this, itemIndex)) return await bulkAnswer.call(this, itemIndex, run, build, service);
	const request = await build.call(this, itemIndex);
	const response = await odataRequest(this, run.conn, {
		method: request.method,
		url: request.url,
		headers: request.headers,
		body: request.body as IDataObject | undefined,
		idempotent: request.idempotent,
		itemIndex,
		operation: request.operation,
		advice: service.advice,
	});
	return { status: response.status, headers: response.headers, body: response.body };
}
