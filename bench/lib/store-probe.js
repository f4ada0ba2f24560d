// @ts-check
'use strict';

/**
 * Preload for the benchmarked n8n process (`NODE_OPTIONS=--require <this file>`): on SIGUSR2 it feeds
 * `size` bytes from memory (fresh 1 MiB Buffers, as a download would hand them over) into n8n's own binary data
 * store, in the n8n process, and writes how long the store took. This is the ceiling of any download inside
 * n8n on this machine: the store's cost with no network at all (P2 reports ours as a share of it).
 *
 *   BENCH_STORE_PROBE_FILE   `<file>.request` holds `{ "size": bytes }`; the answer goes to `<file>.result`
 */

const fs = require('node:fs');
const { Readable } = require('node:stream');
const { createRequire } = require('node:module');

const file = process.env.BENCH_STORE_PROBE_FILE;

async function probe() {
	const answer = (/** @type {object} */ result) => fs.writeFileSync(`${file}.result`, JSON.stringify(result));
	try {
		const { size } = JSON.parse(fs.readFileSync(`${file}.request`, 'utf8'));
		// n8n's own module instances: resolved from n8n's entry point, so the DI container is the server's.
		const n8nRequire = createRequire(process.argv[1]);
		const { Container } = n8nRequire('@n8n/di');
		const { BinaryDataService } = n8nRequire('n8n-core');
		const service = Container.get(BinaryDataService);
		const location = { type: 'execution', workflowId: 'bench-store-probe', executionId: String(Date.now()) };
		const piece = Buffer.alloc(1024 * 1024, 7);
		let left = size;
		const source = new Readable({
			read() {
				if (left <= 0) return void this.push(null);
				const n = Math.min(left, piece.length);
				left -= n;
				this.push(Buffer.from(piece.subarray(0, n)));
			},
		});
		const started = process.hrtime.bigint();
		const stored = await service.store(location, source, { data: '', mimeType: 'application/octet-stream', fileName: 'probe.bin' });
		const seconds = Number(process.hrtime.bigint() - started) / 1e9;
		await service.deleteMany([location]).catch(() => undefined);
		answer({ seconds, bytes: stored.bytes });
	} catch (error) {
		answer({ error: error instanceof Error ? error.message : String(error) });
	}
}

if (file) process.on('SIGUSR2', () => void probe());
