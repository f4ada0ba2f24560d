/** Binary input of an item (a file to upload or attach): checked, sized, and opened as a stream or as bytes. */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';
import type { Readable } from 'node:stream';

export interface BinarySource {
	/** The binary field it came from. */
	property: string;
	/** The file name n8n recorded ('' when none). */
	fileName: string;
	size: number;
	mimeType: string;
	/** A stream from n8n's binary store (filesystem modes) when `stream` and possible, else the bytes. */
	open(options: { stream: boolean; chunkSize?: number }): Promise<Readable | Buffer>;
}

function fieldsOf(binary: IDataObject | undefined): string {
	const keys = Object.keys(binary ?? {});
	return keys.length ? `It has: ${keys.map((k) => `"${k}"`).join(', ')}.` : 'It has no binary fields at all.';
}

/** The binary field `property` of input item `itemIndex`; refused naming `field` when it is missing. */
export async function readBinarySource(this: IExecuteFunctions, itemIndex: number, property: string, field: string): Promise<BinarySource> {
	const node = this.getNode();
	const name = property.trim();
	if (!name) {
		throw new NodeOperationError(node, `"${field}" is empty`, { itemIndex, description: 'Enter the name of the binary field that holds the file, usually "data".' });
	}
	const binaries = this.getInputData()[itemIndex]?.binary;
	const binary = binaries?.[name] as IBinaryData | undefined;
	if (!binary) {
		throw new NodeOperationError(node, `"${field}": the item has no binary field "${name}"`, {
			itemIndex,
			description: `${fieldsOf(binaries as IDataObject | undefined)} Enter one of these names in "${field}".`,
		});
	}
	const size = binary.id ? Number((await this.helpers.getBinaryMetadata(binary.id)).fileSize) : Buffer.byteLength(binary.data ?? '', BINARY_ENCODING);
	return {
		property: name,
		fileName: binary.fileName ?? '',
		size,
		mimeType: binary.mimeType || 'application/octet-stream',
		open: async ({ stream, chunkSize }) =>
			binary.id && stream ? await this.helpers.getBinaryStream(binary.id, chunkSize) : await this.helpers.getBinaryDataBuffer(itemIndex, name),
	};
}

/** Comma-separated binary field names ("data, invoice") → the sources, each checked. */
export async function readBinarySources(this: IExecuteFunctions, itemIndex: number, properties: string, field: string): Promise<BinarySource[]> {
	const names = properties.split(',').map((name) => name.trim()).filter(Boolean);
	const sources: BinarySource[] = [];
	for (const name of names) sources.push(await readBinarySource.call(this, itemIndex, name, field));
	return sources;
}
