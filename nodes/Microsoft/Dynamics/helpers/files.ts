/**
 * File and image columns: upload an input item's binary field into a column (`PATCH <row>/<column>` with the bytes
 * and `x-ms-file-name`, one request up to 128 MB) and download a column into a binary field (`GET …/<column>/$value`;
 * images in full size).
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { readBinarySource } from '../../shared/node/binary';
import { InputValueError } from '../../shared/input';
import { odataRequest } from '../../shared/transport';
import type { DynamicsRun } from '../actions/common';
import { DATAVERSE_ADVICE } from '../actions/common';
import { schemaName } from './dataverse';

/** Dataverse takes a file in one request up to this size; larger files need its chunked upload. */
export const SINGLE_UPLOAD_LIMIT = 128 * 1024 * 1024;

/** A header-safe file name (non-ASCII characters percent-encoded). */
function headerFileName(name: string): string {
	return name.replace(/[^\x20-\x7e]/g, (ch) => encodeURIComponent(ch));
}

export async function uploadFileColumn(this: IExecuteFunctions, itemIndex: number, run: DynamicsRun, rowUrl: string, column: string, property: string): Promise<void> {
	const name = schemaName(column, 'File Column');
	const source = await readBinarySource.call(this, itemIndex, property, 'Input Binary Field');
	if (source.size > SINGLE_UPLOAD_LIMIT) {
		throw new InputValueError('Input Binary Field', `holds ${source.size} bytes, more than the 128 MB one request may upload`, 'Upload files above 128 MB another way (Dataverse\'s chunked upload is not built yet); nothing was sent.');
	}
	const bytes = (await source.open({ stream: false })) as Buffer;
	await odataRequest(this, run.conn, {
		method: 'PATCH',
		url: `${rowUrl}/${name}`,
		headers: { 'Content-Type': 'application/octet-stream', 'x-ms-file-name': headerFileName(source.fileName || `${name}.bin`) },
		body: () => bytes,
		// The same bytes into the same column: repeating it changes nothing.
		idempotent: true,
		itemIndex,
		operation: `upload the file into column ${name}`,
		advice: DATAVERSE_ADVICE,
	});
}

export async function downloadFileColumn(this: IExecuteFunctions, itemIndex: number, run: DynamicsRun, rowUrl: string, column: string): Promise<IBinaryData> {
	const name = schemaName(column, 'Download File Column');
	const response = await odataRequest<Buffer>(this, run.conn, {
		url: `${rowUrl}/${name}/$value`,
		qs: { size: 'full' },
		headers: { Accept: '*/*' },
		encoding: 'arraybuffer',
		itemIndex,
		operation: `download the file of column ${name}`,
		advice: DATAVERSE_ADVICE,
	});
	let fileName = response.headers['x-ms-file-name'] ?? name;
	try {
		fileName = decodeURIComponent(fileName);
	} catch {
		// keep it as sent
	}
	return await this.helpers.prepareBinaryData(response.body, fileName, response.headers['content-type']?.split(';')[0]);
}
