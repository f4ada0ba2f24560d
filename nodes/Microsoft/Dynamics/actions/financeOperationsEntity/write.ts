/**
 * The F&O writes (create, update, delete): one request per item, or in bulk mode every item's request in multipart
 * `$batch` POSTs to `{environment}/data/$batch` (helpers/bulk.ts, as the Dataverse row writes do): each item gets its
 * own answer or error (pairedItem and "continue on fail" stay per item); with Atomic Batches each POST is one change
 * set, which F&O applies in one transaction (all of it or none).
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BulkRequest } from '../../helpers/bulk';
import { sendWrite, type WriteAnswer } from '../../helpers/bulk';
import type { DynamicsRun } from '../common';
import { financeOperationsBase } from './fo';
import { FO_ADVICE } from './record';

/**
 * Records per `$batch` POST by default. Microsoft documents no request limit for F&O's `$batch` (Dataverse's is
 * 1,000), and an atomic change set is one database transaction: 100 keeps each POST well inside the request timeout
 * and a rolled-back change set small. The user may choose up to 1,000.
 */
export const FO_BATCH_SIZE = 100;

/** Sends the item's write alone, or takes its answer from the execution's bulk batch to F&O's `$batch`. */
export async function sendFoWrite(
	this: IExecuteFunctions,
	itemIndex: number,
	run: DynamicsRun,
	build: (this: IExecuteFunctions, itemIndex: number) => Promise<BulkRequest>,
): Promise<WriteAnswer> {
	return await sendWrite.call(this, itemIndex, run, build, { batchUrl: `${financeOperationsBase(run.conn)}/$batch`, advice: FO_ADVICE, name: 'Finance & Operations' });
}

/** `url?cross-company=true` (batch parts carry their query in the URL). */
export function withQuery(url: string, qs: IDataObject): string {
	const query = new URLSearchParams(Object.entries(qs).map(([name, value]) => [name, String(value)])).toString();
	return query ? `${url}?${query}` : url;
}
