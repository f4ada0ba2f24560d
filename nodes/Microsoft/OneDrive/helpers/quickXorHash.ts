/**
 * QuickXorHash, the content hash OneDrive for Business and SharePoint report in `file.hashes.quickXorHash`.
 *
 * Microsoft's published definition: a 160-bit register; the byte at stream offset k is XORed into the register
 * starting at bit (k * 11) mod 160, wrapping around the end of the register; finally the stream length, as a
 * 64-bit little-endian number, is XORed into the last 8 of the 20 result bytes, and the result is base64.
 *
 * Because 160 * 11 ≡ 0 (mod 160), a byte's bit position depends only on k mod 160. So we XOR-accumulate the
 * input into 160 byte-lanes (lane = k mod 160) while streaming, and place each lane at its bit position once,
 * at the end. Incremental: `update()` any number of chunks, memory stays constant.
 */

const WIDTH_IN_BITS = 160;
const WIDTH_IN_BYTES = WIDTH_IN_BITS / 8;
const SHIFT = 11;
/** A byte's bit position repeats every 160 bytes (160 * 11 ≡ 0 mod 160): 160 byte-lanes, i.e. 40 32-bit words. */
const LANES = 160;
const WORDS_PER_BLOCK = LANES / 4;
/** Words per XOR pass: 8 running accumulators in registers instead of a load and store per input word. */
const GROUP = 8;
/** Blocks per window (64,000 bytes): the five passes over a window then hit the CPU cache, not memory. */
const WINDOW_BLOCKS = 400;

export class QuickXorHash {
	private readonly lanes = new Uint8Array(LANES);
	private lane = 0;
	private length = 0;
	/** XOR of the 160-byte blocks of one update, counted from that update's word-aligned start. */
	private readonly blockWords = new Uint32Array(WORDS_PER_BLOCK);
	private readonly blockBytes = new Uint8Array(this.blockWords.buffer);

	/** XORs `blocks` whole 160-byte blocks of `words` into blockWords, word j of every block into word j. */
	private xorBlocks(words: Uint32Array, blocks: number): void {
		const acc = this.blockWords;
		for (let window = 0; window < blocks; window += WINDOW_BLOCKS) {
			const end = Math.min(blocks, window + WINDOW_BLOCKS) * WORDS_PER_BLOCK;
			for (let j = 0; j < WORDS_PER_BLOCK; j += GROUP) {
				// prettier-ignore
				let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
				for (let w = window * WORDS_PER_BLOCK + j; w < end; w += WORDS_PER_BLOCK) {
					a0 ^= words[w];
					a1 ^= words[w + 1];
					a2 ^= words[w + 2];
					a3 ^= words[w + 3];
					a4 ^= words[w + 4];
					a5 ^= words[w + 5];
					a6 ^= words[w + 6];
					a7 ^= words[w + 7];
				}
				acc[j] ^= a0;
				acc[j + 1] ^= a1;
				acc[j + 2] ^= a2;
				acc[j + 3] ^= a3;
				acc[j + 4] ^= a4;
				acc[j + 5] ^= a5;
				acc[j + 6] ^= a6;
				acc[j + 7] ^= a7;
			}
		}
	}

	update(chunk: Uint8Array): this {
		const lanes = this.lanes;
		const n = chunk.length;
		let lane = this.lane;
		let i = 0;
		// Reach word-aligned memory byte by byte (at most 3 bytes): Uint32Array views need 4-byte alignment.
		while (i < n && (chunk.byteOffset + i) % 4 !== 0) {
			lanes[lane] ^= chunk[i++];
			lane = lane + 1 === LANES ? 0 : lane + 1;
		}
		const blocks = Math.floor((n - i) / LANES);
		if (blocks > 0) {
			// XOR is bytewise, so XOR-ing whole words is the same as XOR-ing their bytes. The blocks start at
			// `lane`, not lane 0: fold the block sum into the lanes rotated by it (160 steps per update).
			this.blockWords.fill(0);
			this.xorBlocks(new Uint32Array(chunk.buffer, chunk.byteOffset + i, blocks * WORDS_PER_BLOCK), blocks);
			const sum = this.blockBytes;
			for (let b = 0, l = lane; b < LANES; b++, l = l + 1 === LANES ? 0 : l + 1) lanes[l] ^= sum[b];
			i += blocks * LANES; // a multiple of 160: the lane is unchanged
		}
		while (i < n) {
			lanes[lane] ^= chunk[i++];
			lane = lane + 1 === LANES ? 0 : lane + 1;
		}
		this.lane = lane;
		this.length += n;
		return this;
	}

	/** Bytes hashed so far. */
	get bytesHashed(): number {
		return this.length;
	}

	digest(): Buffer {
		const out = Buffer.alloc(WIDTH_IN_BYTES);
		for (let lane = 0; lane < LANES; lane++) {
			const value = this.lanes[lane];
			if (value === 0) continue;
			const start = (lane * SHIFT) % WIDTH_IN_BITS;
			for (let bit = 0; bit < 8; bit++) {
				if ((value >> bit) & 1) {
					const position = (start + bit) % WIDTH_IN_BITS;
					out[position >> 3] ^= 1 << (position & 7);
				}
			}
		}
		// Length as 64-bit little-endian into the last 8 bytes (Number is exact up to 2^53, far beyond any file).
		let remaining = this.length;
		for (let i = 0; i < 8; i++) {
			out[WIDTH_IN_BYTES - 8 + i] ^= remaining % 256;
			remaining = Math.floor(remaining / 256);
		}
		return out;
	}

	digestBase64(): string {
		return this.digest().toString('base64');
	}
}

export function quickXorHash(data: Uint8Array): string {
	return new QuickXorHash().update(data).digestBase64();
}
