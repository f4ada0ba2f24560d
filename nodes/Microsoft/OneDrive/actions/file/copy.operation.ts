import type { IDataObject, IExecuteFunctions, INode, INodeProperties, INodePropertyOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { parseBody } from '../../../shared/errors';
import { fetchPreAuthenticated } from '../../../shared/preAuthenticated';
import { graphRequest } from '../../../shared/transport';
import { CONFLICT_ADVICE, driveItemOutput, itemPath, shapeDriveItem, type OneDriveOperation } from '../common';
import { placementProperties, resolvePlacement } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'Copy', value: 'copy', action: 'Copy a file', description: 'Copy a file and wait for the copy to finish' };

/** How long we wait for Graph's copy job before giving up (large folders can take minutes). */
const MONITOR_DEADLINE_MS = 10 * 60 * 1000;
const FIRST_POLL_DELAY_MS = 200;
const MAX_POLL_DELAY_MS = 5000;

function copyFailed(node: INode, itemIndex: number, status: IDataObject): NodeApiError {
	const error = (status.error ?? {}) as IDataObject;
	const code = typeof error.code === 'string' ? error.code : undefined;
	const reason = typeof error.message === 'string' ? error.message : 'OneDrive reported the copy as failed';
	const message = `Copy failed: ${reason}`;
	const description = `Graph's copy job ended with status "failed"${code ? ` (error code: ${code})` : ''}. Nothing was returned; check the destination folder and the free space, then retry.`;
	return new NodeApiError(node, { message, description, ...(code ? { code } : {}) } as JsonObject, {
		message,
		description,
		itemIndex,
	});
}

/** Where the finished copy is: its item ID (status `completed`), or the URL a monitor redirected to. */
export type CopyResult = { resourceId: string } | { location: string };

/**
 * Polls the copy monitor (pre-authenticated, off the Graph host: no token) with backoff until Graph reports
 * `completed` (→ the new item's ID) or `failed` (→ NodeApiError with Graph's error). A monitor that answers
 * with a redirect to the new item is not followed: that URL needs the token, so the caller reads it through
 * the authenticated transport.
 */
export async function waitForCopy(
	ctx: IExecuteFunctions,
	monitorUrl: string,
	itemIndex: number,
): Promise<CopyResult> {
	const deadline = Date.now() + MONITOR_DEADLINE_MS;
	let delay = FIRST_POLL_DELAY_MS;
	const signal = ctx.getExecutionCancelSignal?.();
	for (;;) {
		if (signal?.aborted) throw new NodeOperationError(ctx.getNode(), 'Copy cancelled while waiting for OneDrive', { itemIndex });
		const response = await fetchPreAuthenticated(ctx, monitorUrl, { method: 'GET', followRedirects: false });
		if (response.status >= 300 && response.status < 400 && response.headers.location) {
			return { location: new URL(response.headers.location, monitorUrl).toString() };
		}
		const status = (parseBody(response.body) ?? {}) as IDataObject;
		if (response.status >= 400 && status.status === undefined) {
			throw new NodeApiError(ctx.getNode(), (status as JsonObject) ?? {}, {
				message: `Could not read the copy progress (HTTP ${response.status})`,
				description: 'The copy may still finish: check the destination folder before retrying.',
				httpCode: String(response.status),
				itemIndex,
			});
		}
		if (status.status === 'completed') {
			if (typeof status.resourceId === 'string' && status.resourceId) return { resourceId: status.resourceId };
			throw new NodeOperationError(ctx.getNode(), 'Copy completed but OneDrive did not say which item it created', { itemIndex });
		}
		if (status.status === 'failed') throw copyFailed(ctx.getNode(), itemIndex, status);
		if (Date.now() + delay > deadline) {
			throw new NodeOperationError(ctx.getNode(), 'Copy is still running after 10 minutes; stopped waiting', {
				itemIndex,
				description: 'OneDrive keeps copying in the background: check the destination folder later.',
			});
		}
		await sleep(delay);
		delay = Math.min(Math.round(delay * 1.5), MAX_POLL_DELAY_MS);
	}
}

export const description: INodeProperties[] = [
	...placementProperties('file', 'copy', {
		destination: 'Folder to copy into (it may be in another drive when picked by URL). Empty = the drive root.',
		newName: 'Optional name for the copy; empty keeps the original name',
	}),
	...driveItemOutput('file', 'copy'),
];

/** Starts Graph's copy job, waits for it through the monitor, and returns the new file. */
export const execute: OneDriveOperation['execute'] = async function (itemIndex, run) {
			const { item: source, destination, newName, conflictBehavior } = await resolvePlacement.call(this, 'file', itemIndex, run);
			const body: IDataObject = { parentReference: { driveId: destination.driveId, id: destination.itemId } };
			if (newName) body.name = newName;
			const started = await graphRequest(this, run.conn, {
				method: 'POST',
				url: `${itemPath(source.driveId, source.itemId)}/copy`,
				qs: { '@microsoft.graph.conflictBehavior': conflictBehavior },
				body,
				itemIndex,
				operation: 'copy the file',
				advice: CONFLICT_ADVICE,
			});
			const monitorUrl = started.headers.location;
			if (!monitorUrl) {
				throw new NodeOperationError(this.getNode(), 'OneDrive accepted the copy but returned no progress URL', {
					itemIndex,
					description: 'The copy may still happen: check the destination folder.',
				});
			}
			const done = await waitForCopy(this, monitorUrl, itemIndex);
			// A redirect target is read with the token only when it is on the credential's hosts (the transport refuses others).
			const created = await graphRequest(this, run.conn, {
				method: 'GET',
				url: 'location' in done ? done.location : itemPath(destination.driveId, done.resourceId),
				itemIndex,
				operation: 'read the copied item',
			});
			return shapeDriveItem.call(this, itemIndex, created.body as IDataObject);
};
