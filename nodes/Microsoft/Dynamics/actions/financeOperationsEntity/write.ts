/**
 * The F&O writes (create, update, delete): one request per item, or in bulk mode every item's request in multipart
 * `$batch` POSTs to `{environment}/data/$batch` (helpers/bulk.ts, as the Dataverse row writes do): each item gets its
 * own answer or error (pairedItem and "continue on fail" stay per item); with Atomic Batches each POST is one change
 * set, which F&O applies in one transaction (all of it or none).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BulkRequest } from '../../helpers/bulk';
import { bulkAnswer, isBulk } from '../../helpers/bulk';
import { odataRequest } from '../../../shared/transport';
import type { DynamicsRun } from '../common';
import { financeOperationsBase } from './fo';
import { FO_ADVICE } from './record';

/**
 * Records per `$batch` POST by default. Microsoft documents no request limit for F&O's `$batch` (Dataverse's is
 * 1,000), and an atomic change set is one database transaction: 100 keeps each POST well inside the request timeout
 * and a rolled-back change set small. The user may choose up to 1,000.
 */
export const FO_BATCH_SIZE = 100;

export interface FoWriteAnswer {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

/** Sends the item's write alone, or takes its answer from the execution's bulk batch. */
export async function sendFoWrite(
	this: IExecuteFunctions,
	itemIndex: number,
	run: DynamicsRun,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<BulkRequest>,
): Promise<FoWriteAnswer> {
	if (isBulk.call(this, itemIndex)) {
		return await bulkAnswer.call(this, itemIndex, run, build, { batchUrl: `${financeOperationsBase(run.conn)}/$batch`, advice: FO_ADVICE, name: 'Finance & Operations' });
	}
	const request = await build.call(this, itemIndex);
	const response = await odataRequest(this, run.conn, {
		method: request.method,
		url: request.url,
		headers: request.headers,
		body: request.body as IDataObject | undefined,
		operation: request.operation,
		advice: FO_ADVICE,
		itemIndex,
	});
	return { status: response.status, headers: response.headers, body: response.body };
}

/** `url?cross-company=true` (batch parts carry their query in the URL). */
export function withQuery(url: string, qs: IDataObject): string {
	const query = new URLSearchParams(Object.entries(qs).map(([name, value]) => [name, String(value)])).toString();
	return query ? `${url}?${query}` : url;
}
