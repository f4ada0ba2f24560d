/**
 * Business Central's JSON `$batch`: `POST {API root}/$batch` with `{ requests: [{ id, method, url, headers, body }] }`
 * (URLs relative to the API root, e.g. `companies({id})/customers`) and `Accept: application/json`, so the answer is
 * `{ responses: [{ id, status, headers, body }] }` rather than multipart. At most 100 requests a POST (Business
 * Central's limit); throttled sub-requests are sent again on their own, as for Graph's `$batch`.
 */
import type { IDataObject } from 'n8n-workflow';

import { allIdempotent, sendSubRequestRounds, type BatchOptions, type BatchRequest, type BatchResult } from '../../shared/batch';
import type { MicrosoftConnection, MicrosoftContext } from '../../shared/connection';
import { normalizeHeaders } from '../../shared/errors';
import { apiBaseUrl } from '../../shared/resourceApi';
import { hasHeader, odataRequest } from '../../shared/transport';

/** Business Central's limit of operations in one `$batch`. */
export const BUSINESS_CENTRAL_BATCH_SIZE = 100;

/** `[{tenant}/]{environment}/api/{v2.0 | publisher/group/version}` followed by something below it. */
const API_ROOT = /^((?:[^/?#]+\/){1,2}api\/(?:[^/?#]+\/[^/?#]+\/)?(?:v\d+\.\d+|beta))\/[^/?#]/i;

/**
 * The API root a Business Central URL is under (`{base}/v2.0/{tenant}/{environment}/api/v2.0`, or a custom API page's
 * `…/api/{publisher}/{group}/{version}`), or undefined when the URL names none.
 */
export function businessCentralApiRoot(conn: MicrosoftConnection, url: string): string | undefined {
	const base = apiBaseUrl(conn);
	if (!url.toLowerCase().startsWith(`${base.toLowerCase()}/`)) return undefined;
	const match = API_ROOT.exec(url.slice(base.length + 1));
	return match ? `${base}/${match[1]}` : undefined;
}

function toWire(request: BatchRequest, root: string): IDataObject {
	const headers: Record<string, string> = { ...request.headers };
	const wire: IDataObject = { id: request.id, method: request.method, url: request.url.slice(root.length + 1) };
	if (request.body !== undefined) {
		if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
		wire.body = request.body as IDataObject;
	}
	if (Object.keys(headers).length) wire.headers = headers;
	return wire;
}

/** Sends `requests` (absolute URLs under `root`) in JSON `$batch` POSTs of 100; one result per request, in order. */
export async function businessCentralBatch(
	ctx: MicrosoftContext,
	conn: MicrosoftConnection,
	root: string,
	requests: BatchRequest[],
	options: BatchOptions = {},
): Promise<BatchResult[]> {
	const results = new Map<string, BatchResult>();
	for (let start = 0; start < requests.length; start += BUSINESS_CENTRAL_BATCH_SIZE) {
		const chunk = requests.slice(start, start + BUSINESS_CENTRAL_BATCH_SIZE);
		const answered = await sendSubRequestRounds(
			chunk,
			async (pending) => {
				const response = await odataRequest<{ responses?: IDataObject[] }>(
					ctx,
					conn,
					{
						method: 'POST',
						url: `${root}/$batch`,
						headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
						body: { requests: pending.map((request) => toWire(request, root)) },
						// The outer POST may be repeated by the transport only if every request inside may.
						idempotent: allIdempotent(pending),
						itemIndex: options.itemIndex,
						operation: 'send a Business Central $batch request',
					},
					options,
				);
				return (response.body?.responses ?? []).map((answer) => ({
					id: String(answer.id),
					status: Number(answer.status),
					headers: normalizeHeaders(answer.headers),
					body: answer.body,
				}));
			},
			options,
		);
		for (const [id, result] of answered) results.set(id, result);
	}
	return requests.map(
		(request) =>
			results.get(request.id) ?? {
				id: request.id,
				status: 0,
				headers: {},
				body: { error: { code: 'noResponse', message: 'Business Central returned no answer for this request in the batch' } },
			},
	);
}
