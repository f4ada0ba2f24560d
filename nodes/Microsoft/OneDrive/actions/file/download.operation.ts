import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { Transform, type Readable } from 'node:stream';

import { fetchPreAuthenticated } from '../../../shared/preAuthenticated';
import { QuickXorHash } from '../../helpers/quickXorHash';
import { graphRequest } from '../../../shared/transport';
import { simplifyDriveItem } from '../../helpers/simplify';
import { itemPath, showFor, type OneDriveOperation } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'Download', value: 'download', action: 'Download a file' };

export const description: INodeProperties[] = [
	targetProperty('file', 'download'),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
		displayOptions: showFor('file', 'download'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('file', 'download'),
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name for the binary data; empty keeps the name in OneDrive',
			},
		],
	},
];

/**
 * Hashes bytes as they stream past (so the download is verified without holding it) and regroups the
 * network's 16 KiB TLS records into 512 KiB pieces: n8n's filesystem store awaits one write per chunk (512 KiB
 * at most), so unregrouped a 1 GiB download would cost 65,536 thread-pool round trips. Object mode on the
 * readable side hands the store one piece per read (byte mode would join queued pieces into yet another
 * Buffer). In interleaved runs this beat 256 KiB and 1 MiB byte-mode pieces by 10-15 %; the rest of the cost is
 * V8 collecting Buffers in n8n's heap (docs/development.md, Benchmarks). Pieces are never reused: the store
 * may keep what we push (memory mode does).
 */
const WRITE_CHUNK = 512 * 1024;
/** Pieces queued for the store while it writes: 2 MiB of read-ahead keeps the socket busy. */
const QUEUED_PIECES = 4;
function hashingRechunker(hash: QuickXorHash): Transform {
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	return new Transform({
		readableObjectMode: true,
		readableHighWaterMark: QUEUED_PIECES,
		writableHighWaterMark: WRITE_CHUNK,
		transform(chunk: Buffer, _encoding, callback) {
			pending.push(chunk);
			pendingBytes += chunk.length;
			if (pendingBytes >= WRITE_CHUNK) {
				// Hash the joined piece: one update per piece keeps the hash's per-call overhead negligible.
				const joined = Buffer.concat(pending, pendingBytes);
				hash.update(joined);
				pending = [];
				pendingBytes = 0;
				callback(null, joined);
			} else callback();
		},
		flush(callback) {
			if (!pendingBytes) return callback();
			const rest = Buffer.concat(pending, pendingBytes);
			hash.update(rest);
			callback(null, rest);
		},
	});
}

/** The short-lived pre-authenticated URL: from the item, or from the 302 of `/content` (not followed with our token). */
async function downloadUrlOf(
	ctx: IExecuteFunctions,
	run: Parameters<OneDriveOperation['execute']>[1],
	item: IDataObject,
	driveId: string,
	itemIndex: number,
): Promise<string> {
	const direct = item['@microsoft.graph.downloadUrl'];
	if (typeof direct === 'string' && direct) return direct;
	const response = await graphRequest(ctx, run.conn, {
		method: 'GET',
		url: `${itemPath(driveId, String(item.id))}/content`,
		itemIndex,
		operation: 'download the file',
	});
	const location = response.headers.location;
	if (response.status >= 300 && response.status < 400 && location) return location;
	throw new NodeOperationError(ctx.getNode(), 'OneDrive returned no download URL for this file', { itemIndex });
}

export const execute: OneDriveOperation['execute'] = async function (this: IExecuteFunctions, itemIndex, run) {
	const property = (this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string).trim();
	if (!property) {
		throw new NodeOperationError(this.getNode(), '"Put Output File in Field" is empty', {
			itemIndex,
			description: 'Enter the name of the binary field to write, usually "data".',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { item, driveId } = await resolveTarget.call(this, 'file', itemIndex, run);
	const url = await downloadUrlOf(this, run, item, driveId, itemIndex);
	const response = await fetchPreAuthenticated(this, url, { method: 'GET', encoding: 'stream', itemIndex, operation: 'download the file' });
	const hash = new QuickXorHash();
	const body = response.body as Readable;
	const counted = body.pipe(hashingRechunker(hash));
	body.on('error', (error) => counted.destroy(error));
	const fileName = (options.fileName as string) || String(item.name ?? 'file');
	const mimeType = ((item.file as IDataObject | undefined)?.mimeType as string | undefined) || undefined;
	const binary = await this.helpers.prepareBinaryData(counted, fileName, mimeType);

	const expectedSize = typeof item.size === 'number' ? item.size : undefined;
	const expectedHash = ((item.file as IDataObject | undefined)?.hashes as IDataObject | undefined)?.quickXorHash;
	if (expectedSize !== undefined && hash.bytesHashed !== expectedSize) {
		throw new NodeOperationError(this.getNode(), `Download incomplete: received ${hash.bytesHashed} of ${expectedSize} bytes`, {
			itemIndex,
			description: 'The connection may have dropped; run the node again.',
		});
	}
	if (typeof expectedHash === 'string' && expectedHash !== hash.digestBase64()) {
		throw new NodeOperationError(this.getNode(), 'Download verification failed: the quickXorHash of the received bytes differs from OneDrive\'s', {
			itemIndex,
			description: 'The file may have changed during the download; run the node again.',
		});
	}
	return { json: simplifyDriveItem(item), binary: { [property]: binary } };
};
