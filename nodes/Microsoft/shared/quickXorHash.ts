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
/** 64,000 bytes: the aligned copy area for unaligned input. */
const SCRATCH_BLOCKS = 400;

export class QuickXorHash {
	private readonly lanes = new Uint8Array(LANES);
	/** The same lanes as 40 words: XOR is bytewise, so word-wise XOR of aligned input is identical and 4× faster. */
	private readonly laneWords = new Uint32Array(this.lanes.buffer);
	private lane = 0;
	private length = 0;
	private readonly scratchWords = new Uint32Array(SCRATCH_BLOCKS * WORDS_PER_BLOCK);
	private readonly scratchBytes = new Uint8Array(this.scratchWords.buffer);

	private xorBlocks(words: Uint32Array): void {
		const laneWords = this.laneWords;
		for (let w = 0; w < words.length; w += WORDS_PER_BLOCK) {
			for (let j = 0; j < WORDS_PER_BLOCK; j++) laneWords[j] ^= words[w + j];
		}
	}

	update(chunk: Uint8Array): this {
		const lanes = this.lanes;
		const n = chunk.length;
		let lane = this.lane;
		let i = 0;
		// Reach lane 0 first so the main loop can walk whole 160-byte blocks without a modulo per byte.
		while (i < n && lane !== 0) {
			lanes[lane] ^= chunk[i++];
			lane = lane + 1 === LANES ? 0 : lane + 1;
		}
		const blocks = Math.floor((n - i) / LANES);
		const start = chunk.byteOffset + i;
		if (start % 4 === 0) {
			this.xorBlocks(new Uint32Array(chunk.buffer, start, blocks * WORDS_PER_BLOCK));
		} else {
			// Unaligned memory (e.g. slices of network buffers): copy through an aligned scratch area.
			for (let done = 0; done < blocks; ) {
				const count = Math.min(SCRATCH_BLOCKS, blocks - done);
				const from = i + done * LANES;
				this.scratchBytes.set(chunk.subarray(from, from + count * LANES));
				this.xorBlocks(this.scratchWords.subarray(0, count * WORDS_PER_BLOCK));
				done += count;
			}
		}
		i += blocks * LANES;
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
