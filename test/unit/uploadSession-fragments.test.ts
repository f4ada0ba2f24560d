import { randomBytes } from 'crypto';
import { Readable } from 'stream';
import { fragmentsOf } from '../../nodes/Microsoft/shared/uploadSession';

async function collect(chunks: Buffer[], fragmentSize: number): Promise<Buffer[]> {
	const out: Buffer[] = [];
	for await (const fragment of fragmentsOf(Readable.from(chunks, { objectMode: false }), fragmentSize)) {
		out.push(Buffer.from(fragment)); // copy: later fragments must not change earlier ones either way
	}
	return out;
}

describe('fragmentsOf (upload-session fragment cutting)', () => {
	const SIZE = 1_000;

	it.each([
		['chunks of exactly one fragment (the store reader, zero-copy path)', [1_000, 1_000, 1_000, 437]],
		['chunks of several fragments', [3_000, 2_500, 1_001]],
		['small uneven chunks', [7, 993, 1, 999, 500, 2_000, 13]],
		['a partial chunk followed by whole-fragment chunks', [300, 1_000, 1_000, 700, 1_000]],
	])('cuts %s into exact fragments with the same bytes in order', async (_label, sizes) => {
		const chunks = sizes.map((size) => randomBytes(size));
		const input = Buffer.concat(chunks);
		const fragments = await collect(chunks, SIZE);
		expect(Buffer.concat(fragments).equals(input)).toBe(true);
		fragments.slice(0, -1).forEach((fragment) => expect(fragment.length).toBe(SIZE));
		expect(fragments[fragments.length - 1].length).toBe(input.length % SIZE || SIZE);
	});

	it('fragments the caller keeps stay intact while later fragments are cut (no buffer reuse)', async () => {
		const chunks = [randomBytes(2_000), randomBytes(700), randomBytes(1_300)];
		const seen: Buffer[] = [];
		for await (const fragment of fragmentsOf(Readable.from(chunks, { objectMode: false }), SIZE)) seen.push(fragment);
		expect(seen).toHaveLength(4);
		expect(Buffer.concat(seen).equals(Buffer.concat(chunks))).toBe(true);
	});

	// Above Node's 4 KiB buffer pool, so every allocation has its own ArrayBuffer and sharing one proves reuse.
	const BIG = 16_384;

	it('with buffers, fragments assembled from smaller chunks take those buffers in turn and still carry the right bytes', async () => {
		const sizes = [3_000, 4_500, 9_000, 12_000, 20_000, 2_500];
		const chunks = sizes.map((size) => randomBytes(size));
		const input = Buffer.concat(chunks);
		const cut = async (count: number) => {
			const copies: Buffer[] = [];
			const buffers = new Set<ArrayBufferLike>();
			for await (const fragment of fragmentsOf(Readable.from(chunks, { objectMode: false }), BIG, { buffers: count })) {
				copies.push(Buffer.from(fragment));
				buffers.add(fragment.buffer);
			}
			return { copies, buffers };
		};
		const one = await cut(1);
		expect(one.copies.map((fragment) => fragment.length)).toEqual([BIG, BIG, BIG, input.length - 3 * BIG]);
		expect(Buffer.concat(one.copies).equals(input)).toBe(true);
		expect(one.buffers.size).toBe(1);
		const two = await cut(2);
		expect(Buffer.concat(two.copies).equals(input)).toBe(true);
		expect(two.buffers.size).toBe(2);
		const fresh = await cut(0);
		expect(Buffer.concat(fresh.copies).equals(input)).toBe(true);
		expect(fresh.buffers.size).toBe(4);
	});

	it('with buffers, chunks of at least a fragment are still handed over without a copy', async () => {
		const chunks = [randomBytes(2 * BIG), randomBytes(BIG)];
		const fragments: Buffer[] = [];
		for await (const fragment of fragmentsOf(Readable.from(chunks, { objectMode: false }), BIG, { buffers: 2 })) fragments.push(fragment);
		expect(fragments.map((fragment) => fragment.buffer)).toEqual([chunks[0].buffer, chunks[0].buffer, chunks[1].buffer]);
		expect(Buffer.concat(fragments).equals(Buffer.concat(chunks))).toBe(true);
	});
});
