/**
 * Binary data through n8n-core's real BinaryDataService: filesystem mode streams to disk without holding
 * the whole payload in memory, default mode keeps base64 in the item; nodes read binary back as a stream.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
import { startLocalServer, type LocalServer } from '../harness/localServer';

const CHUNK = 64 * 1024;
const CHUNKS = 160; // 10 MiB

/** Deterministic chunk i (so the expected hash can be computed independently). */
function chunk(i: number): Buffer {
	return Buffer.alloc(CHUNK, i % 251);
}

function expectedSha256(): string {
	const hash = createHash('sha256');
	for (let i = 0; i < CHUNKS; i++) hash.update(chunk(i));
	return hash.digest('hex');
}

function bytesUnder(dir: string): number {
	let total = 0;
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = join(dir, entry.name);
		total += entry.isDirectory() ? bytesUnder(full) : statSync(full).size;
	}
	return total;
}

async function sha256Of(stream: Readable): Promise<string> {
	const hash = createHash('sha256');
	for await (const part of stream) hash.update(part as Buffer);
	return hash.digest('hex');
}

/** Downloads a URL as a stream and stores it with prepareBinaryData, like a download operation does. */
const downloadNode: INodeType = {
	description: {
		displayName: 'Harness Download',
		name: 'harnessDownload',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Harness Download' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const stream = (await this.helpers.httpRequest({
			url: this.getNodeParameter('url', 0) as string,
			encoding: 'stream',
		})) as Readable;
		const binary = await this.helpers.prepareBinaryData(stream, 'big.bin', 'application/octet-stream');
		return [[{ json: { name: 'big.bin' }, binary: { data: binary } }]];
	},
};

/** Uploads the item's binary property as a stream, like an upload operation does. */
const uploadNode: INodeType = {
	description: {
		displayName: 'Harness Upload',
		name: 'harnessUpload',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Harness Upload' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'URL', name: 'url', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const meta = this.helpers.assertBinaryData(0, 'data');
		const body = meta.id ? await this.helpers.getBinaryStream(meta.id) : await this.helpers.getBinaryDataBuffer(0, 'data');
		const answer = (await this.helpers.httpRequest({
			method: 'PUT',
			url: this.getNodeParameter('url', 0) as string,
			body,
			headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(meta.bytes) },
			json: true,
		})) as { sha256: string; size: number };
		return [[{ json: { ...answer, streamed: Boolean(meta.id) } }]];
	},
};

describe('harness: binary data', () => {
	let server: LocalServer;
	const harnesses: Harness[] = [];

	beforeAll(async () => {
		server = await startLocalServer((req, res) => {
			if (req.method === 'GET') {
				res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
				Readable.from((function* () {
					for (let i = 0; i < CHUNKS; i++) yield chunk(i);
				})()).pipe(res);
				return;
			}
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ sha256: createHash('sha256').update(req.body).digest('hex'), size: req.body.length }));
		});
	});
	afterAll(async () => {
		await server.close();
		for (const h of harnesses) await h.cleanup();
	});

	it('filesystem mode writes a stream to disk while it is still being produced', async () => {
		const h = createHarness({ binaryMode: 'filesystem' });
		harnesses.push(h);
		const storage = h.binaryStoragePath;
		const onDiskWhileProducing: number[] = [];
		async function* produce() {
			for (let i = 0; i < CHUNKS; i++) {
				if (i === CHUNKS / 2) {
					await new Promise((resolve) => setImmediate(resolve));
					onDiskWhileProducing.push(bytesUnder(storage));
				}
				yield chunk(i);
			}
		}
		const binary = await h.prepareBinary(Readable.from(produce()), 'big.bin', 'application/octet-stream');
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		expect(binary.data).toMatch(/^filesystem/); // a mode marker, not a base64 payload
		expect(binary.bytes).toBe(CHUNK * CHUNKS);
		// half-way through producing, a good part of the data had already reached the disk
		expect(onDiskWhileProducing[0]).toBeGreaterThan(CHUNK * 8);
		expect(onDiskWhileProducing[0]).toBeLessThan(CHUNK * CHUNKS);
		expect(await sha256Of(await h.binaryToStream(binary))).toBe(expectedSha256());
	});

	it('filesystem mode: a download node stores, an upload node streams it back out', async () => {
		const h = createHarness({ binaryMode: 'filesystem' });
		harnesses.push(h);
		const [[downloaded]] = await h.execute(downloadNode, { parameters: { url: `${server.url}/file` } });
		const binary = downloaded.binary!.data;
		expect(binary.id).toBeDefined();
		expect(binary.fileName).toBe('big.bin');
		expect(binary.bytes).toBe(CHUNK * CHUNKS);
		expect(createHash('sha256').update(await h.binaryToBuffer(binary)).digest('hex')).toBe(expectedSha256());

		const [[uploaded]] = await h.execute(uploadNode, { parameters: { url: `${server.url}/up` }, input: [downloaded] });
		expect(uploaded.json).toEqual({ sha256: expectedSha256(), size: CHUNK * CHUNKS, streamed: true });
	});

	it('default mode keeps base64 data in the item and round-trips it', async () => {
		const h = createHarness({ binaryMode: 'default' });
		harnesses.push(h);
		const content = Buffer.from('hello binary world');
		const binary = await h.prepareBinary(Readable.from([content]), 'hello.txt', 'text/plain');
		expect(binary.id).toBeUndefined();
		expect(binary.data).toBe(content.toString('base64'));
		expect(binary.mimeType).toBe('text/plain');
		expect(await h.binaryToBuffer(binary)).toEqual(content);

		const [[uploaded]] = await h.execute(uploadNode, {
			parameters: { url: `${server.url}/up` },
			input: [{ json: {}, binary: { data: binary } }],
		});
		expect(uploaded.json).toEqual({
			sha256: createHash('sha256').update(content).digest('hex'),
			size: content.length,
			streamed: false,
		});
	});

	it('two harnesses with different modes in one file each keep their own mode', async () => {
		const fs = createHarness({ binaryMode: 'filesystem' });
		const mem = createHarness({ binaryMode: 'default' });
		harnesses.push(fs, mem);
		const a = await fs.prepareBinary(Buffer.from('on disk'), 'a.txt', 'text/plain');
		const b = await mem.prepareBinary(Buffer.from('in memory'), 'b.txt', 'text/plain');
		expect(a.id).toBeDefined();
		expect(b.id).toBeUndefined();
		expect((await fs.binaryToBuffer(a)).toString()).toBe('on disk');
		expect((await mem.binaryToBuffer(b)).toString()).toBe('in memory');
	});
});
