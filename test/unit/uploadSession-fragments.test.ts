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
});
