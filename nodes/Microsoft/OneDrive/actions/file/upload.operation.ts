import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { Readable } from 'node:stream';

import type { MicrosoftConnection } from '../../../shared/connection';
import { assertHeaderValue, encodePathSegment } from '../../../shared/input';
import { QuickXorHash, quickXorHash } from '../../helpers/quickXorHash';
import { graphRequest } from '../../../shared/transport';
import { readBinarySource } from '../../../shared/node/binary';
import { cancelUploadSession, DEFAULT_FRAGMENT_SIZE, fragmentSizeProblem, uploadToSession } from '../../../shared/uploadSession';
import { validateItemName } from '../../helpers/names';
import { conflictBehaviorProperty, itemPath, shapeDriveItem, showFor, driveItemOutput, type OneDriveOperation, CONFLICT_ADVICE } from '../common';
import { folderLocatorProperty, resolveFolderOrRoot } from '../itemTarget';

export const option: INodePropertyOptions = { name: 'Upload', value: 'upload', action: 'Upload a file', description: 'Upload a file of any size (resumable above 4 MiB)' };

/** Up to this size a single PUT; above it an upload session (Microsoft's long-standing simple-upload limit). */
export const SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024;
const MIB = 1024 * 1024;
/**
 * Piece size read from n8n's binary store for an upload session. The fragments are assembled from these in
 * one reused buffer (uploadSession.ts): in real n8n, reading whole 10 MiB fragments (a fresh buffer each)
 * cost more CPU and memory than 1 MiB pieces copied into the reused fragment (bench/rows/transfer.js, P1).
 */
export const STORE_READ_CHUNK = 1 * MIB;

const show = (extra: Record<string, unknown[]> = {}) => showFor('file', 'upload', extra);

export const description: INodeProperties[] = [
	folderLocatorProperty('file', 'upload', 'parentFolder', 'Parent Folder', 'Folder to upload into. Empty = the drive root.'),
	{
		displayName: 'Upload From',
		name: 'uploadFrom',
		type: 'options',
		description: 'Upload a file from a previous node (binary data) or create one from text you type or map',
		options: [
			{ name: 'Binary File', value: 'binary', description: 'A binary property of the input item' },
			{ name: 'Text', value: 'text', description: 'Text typed here or from an expression' },
		],
		default: 'binary',
		displayOptions: show(),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to upload',
		displayOptions: show({ uploadFrom: ['binary'] }),
	},
	{
		displayName: 'Text',
		name: 'textContent',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'Content of the file (saved as UTF-8)',
		displayOptions: show({ uploadFrom: ['text'] }),
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. report.pdf',
		description: 'Name of the new file. Empty uses the binary file name.',
		displayOptions: show({ uploadFrom: ['binary'] }),
	},
	{
		// The same parameter when uploading text: there is no binary file name to fall back on.
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. notes.txt',
		description: 'Name of the new file',
		displayOptions: show({ uploadFrom: ['text'] }),
	},
	conflictBehaviorProperty('file', 'upload', 'replace', 'a file with this name already exists in the folder'),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(),
		options: [
			{
				displayName: 'Fragment Size (MiB)',
				name: 'fragmentSizeMiB',
				type: 'number',
				typeOptions: { minValue: 0.3125, maxValue: 59.6875, numberPrecision: 4 },
				default: DEFAULT_FRAGMENT_SIZE / MIB,
				description:
					'Size of each piece of files above 4 MiB. Must be a multiple of 0.3125 MiB (320 KiB) and below 60 MiB. Larger pieces need fewer requests but more memory.',
			},
			{
				displayName: 'MIME Type',
				name: 'mimeType',
				type: 'string',
				default: '',
				placeholder: 'e.g. application/pdf',
				description: 'Content type to send; empty uses the binary MIME type (text/plain for text)',
			},
		],
	},
	...driveItemOutput('file', 'upload'),
];

interface UploadSource {
	name: string;
	size: number;
	mimeType: string;
	/** A stream from n8n's binary store (filesystem mode) or the bytes. */
	open: (chunkSize: number) => Promise<Readable | Buffer>;
}

async function binarySource(this: IExecuteFunctions, itemIndex: number, fileName: string): Promise<UploadSource> {
	const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const binary = await readBinarySource.call(this, itemIndex, property, 'Input Binary Field');
	const name = fileName || binary.fileName;
	if (!name) {
		throw new NodeOperationError(this.getNode(), '"File Name" is empty and the binary data has no file name', {
			itemIndex,
			description: 'Enter a file name such as report.pdf.',
		});
	}
	return {
		name,
		size: binary.size,
		mimeType: binary.mimeType,
		open: async (chunkSize) => await binary.open({ stream: binary.size > SIMPLE_UPLOAD_LIMIT, chunkSize }),
	};
}

function textSource(this: IExecuteFunctions, itemIndex: number, fileName: string): UploadSource {
	const text = this.getNodeParameter('textContent', itemIndex, '') as string;
	if (!text) {
		throw new NodeOperationError(this.getNode(), '"Text" is empty', {
			itemIndex,
			description: 'Enter the text to save, or switch "Upload From" to Binary File. OneDrive files must not be empty.',
		});
	}
	if (!fileName) {
		throw new NodeOperationError(this.getNode(), '"File Name" is required when uploading text', {
			itemIndex,
			description: 'Enter a file name such as notes.txt.',
		});
	}
	const bytes = Buffer.from(text, 'utf8');
	return { name: fileName, size: bytes.length, mimeType: 'text/plain', open: async () => bytes };
}

function fragmentSizeOf(this: IExecuteFunctions, itemIndex: number): number {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const mib = options.fragmentSizeMiB === undefined ? DEFAULT_FRAGMENT_SIZE / MIB : Number(options.fragmentSizeMiB);
	const bytes = Math.round(mib * MIB);
	const problem = fragmentSizeProblem(bytes);
	if (problem) {
		throw new NodeOperationError(this.getNode(), `"Fragment Size (MiB)" ${problem}`, {
			itemIndex,
			description: `${mib} MiB is ${bytes} bytes; valid values are multiples of 0.3125 (320 KiB) below 60, e.g. 5, 10 or 20.`,
		});
	}
	return bytes;
}

/** Refuses an upload that cannot fit, before anything is written (the drive's remaining quota). */
async function assertFitsQuota(
	ctx: IExecuteFunctions,
	conn: MicrosoftConnection,
	driveId: string,
	size: number,
	itemIndex: number,
): Promise<void> {
	let remaining: number | undefined;
	try {
		const drive = await graphRequest(ctx, conn, { method: 'GET', url: `/drives/${encodePathSegment(driveId, 'Drive ID')}`, qs: { $select: 'id,quota' } });
		const value = (drive.body?.quota as IDataObject | undefined)?.remaining;
		remaining = typeof value === 'number' ? value : undefined;
	} catch {
		return; // quota unknown (some drives hide it): let the upload itself report a full drive
	}
	if (remaining !== undefined && size > remaining) {
		throw new NodeOperationError(ctx.getNode(), `The file (${size} bytes) is larger than the drive's remaining quota (${remaining} bytes free)`, {
			itemIndex,
			description: 'Free up space in the drive, choose another drive, or ask an admin to raise the storage quota. Nothing was uploaded.',
		});
	}
}

/** Compares what OneDrive stored with what was sent; a mismatch is an error (exported for unit tests). */
export function verifyUpload(ctx: Pick<IExecuteFunctions, 'getNode'>, item: IDataObject, size: number, hash: string, itemIndex: number): void {
	const reportedHash = ((item.file as IDataObject | undefined)?.hashes as IDataObject | undefined)?.quickXorHash;
	const problems: string[] = [];
	if (typeof item.size === 'number' && item.size !== size) problems.push(`size ${item.size} bytes instead of ${size}`);
	if (typeof reportedHash === 'string' && reportedHash !== hash) problems.push(`quickXorHash ${reportedHash} instead of ${hash}`);
	if (problems.length) {
		throw new NodeOperationError(ctx.getNode(), `Upload verification failed: OneDrive stored ${problems.join(' and ')}`, {
			itemIndex,
			description: `The file "${String(item.name)}" in OneDrive does not match what was sent (ID ${String(item.id)}). Upload it again.`,
		});
	}
}

export const execute: OneDriveOperation['execute'] = async function (this: IExecuteFunctions, itemIndex, run) {
	const node = this.getNode();
	const from = this.getNodeParameter('uploadFrom', itemIndex, 'binary') as string;
	const rawName = (this.getNodeParameter('fileName', itemIndex, '') as string) ?? '';
	const source = from === 'text' ? textSource.call(this, itemIndex, rawName) : await binarySource.call(this, itemIndex, rawName);
	validateItemName(node, source.name, 'File Name', itemIndex);
	if (source.size === 0) {
		throw new NodeOperationError(node, `"${from === 'text' ? 'Text' : 'Input Binary Field'}" holds an empty file (0 bytes)`, {
			itemIndex,
			description: 'OneDrive does not accept empty uploads here; check the node that produced the data.',
		});
	}
	const fragmentSize = fragmentSizeOf.call(this, itemIndex);
	const conflictBehavior = this.getNodeParameter('conflictBehavior', itemIndex, 'replace') as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const mimeType = (options.mimeType as string) || source.mimeType;
	assertHeaderValue('Content-Type', mimeType, options.mimeType ? 'MIME Type' : 'Input Binary Field');

	const parent = await resolveFolderOrRoot.call(this, 'parentFolder', 'Parent Folder', itemIndex, run);
	await assertFitsQuota(this, run.conn, parent.driveId, source.size, itemIndex);
	const target = `${itemPath(parent.driveId, parent.itemId)}:/${encodePathSegment(source.name, 'File Name')}:`;
	const operation = `upload "${source.name}"`;

	let item: IDataObject;
	let sentHash: string;
	if (source.size <= SIMPLE_UPLOAD_LIMIT) {
		const bytes = (await source.open(source.size)) as Buffer;
		sentHash = quickXorHash(bytes);
		const response = await graphRequest(this, run.conn, {
			method: 'PUT',
			url: `${target}/content`,
			qs: { '@microsoft.graph.conflictBehavior': conflictBehavior },
			headers: { 'Content-Type': mimeType },
			body: bytes,
			itemIndex,
			operation,
			advice: CONFLICT_ADVICE,
		});
		item = response.body as IDataObject;
	} else {
		const session = await graphRequest(this, run.conn, {
			method: 'POST',
			url: `${target}/createUploadSession`,
			// fileSize lets OneDrive refuse a file that cannot fit before any byte is sent.
			body: { item: { '@microsoft.graph.conflictBehavior': conflictBehavior, name: source.name, fileSize: source.size } },
			itemIndex,
			operation,
			advice: CONFLICT_ADVICE,
		});
		const uploadUrl = (session.body as IDataObject)?.uploadUrl;
		if (typeof uploadUrl !== 'string') {
			throw new NodeOperationError(node, 'OneDrive created an upload session without an upload URL', { itemIndex });
		}
		let stream: Awaited<ReturnType<typeof source.open>>;
		try {
			stream = await source.open(Math.min(fragmentSize, STORE_READ_CHUNK));
		} catch (error) {
			// The session exists already: cancel it so no empty upload session stays behind.
			await cancelUploadSession(this, uploadUrl);
			throw error;
		}
		const hash = new QuickXorHash();
		const result = await uploadToSession(this, {
			uploadUrl,
			source: stream,
			size: source.size,
			fragmentSize,
			itemIndex,
			operation,
			hash,
		});
		item = result.item;
		sentHash = hash.digestBase64();
	}
	verifyUpload(this, item, source.size, sentHash, itemIndex);
	return shapeDriveItem.call(this, itemIndex, item);
};
