// @ts-check
'use strict';

/**
 * QuickXorHash, the content hash OneDrive for Business / SharePoint report in `file.hashes.quickXorHash`.
 *
 * Written from Microsoft's published description: a 160-bit block; byte number i of the input is XORed
 * into the block at bit offset (i * 11) mod 160, rotating around the block; the block is read as 20
 * little-endian bytes; the input length (64-bit, little-endian) is XORed into the last 8 bytes; the
 * result is base64.
 *
 * Because 11 and 160 are coprime and 160 * 11 bits is a whole number of turns, byte i and byte i + 160
 * land on the same offset. XOR is linear, so the input is first folded into a 160-byte accumulator
 * (acc[i mod 160] ^= byte), which runs fast on 32-bit words, and the 160 accumulated bytes are placed at
 * their bit offsets only once, in digest().
 */

const WIDTH_BYTES = 20;
const FOLD = 160; // input bytes per full turn of the shift pattern
const SHIFT = 11;
const SCRATCH_BYTES = FOLD * 4096; // 640 KiB, a multiple of FOLD and of 4

class QuickXorHash {
	constructor() {
		/** accumulator as bytes and, for the fast path, as 40 32-bit words over the same memory */
		this.acc = new Uint8Array(FOLD);
		this.acc32 = new Uint32Array(this.acc.buffer);
		this.length = 0;
		/** aligned copy area, so any Buffer (whatever its byteOffset) can be read as 32-bit words */
		this.scratch = new Uint8Array(SCRATCH_BYTES);
		this.scratch32 = new Uint32Array(this.scratch.buffer);
	}

	/**
	 * Adds bytes; may be called any number of times (streaming).
	 * @param {Uint8Array} data
	 * @returns {this}
	 */
	update(data) {
		let start = 0;
		const end = data.length;
		// Bytes until the stream position is a multiple of 160, one at a time.
		while (start < end && (this.length + start) % FOLD !== 0) {
			this.acc[(this.length + start) % FOLD] ^= data[start];
			start++;
		}
		// Whole 160-byte turns through the aligned scratch area as 32-bit words.
		while (end - start >= FOLD) {
			const take = Math.min(SCRATCH_BYTES, Math.floor((end - start) / FOLD) * FOLD);
			this.scratch.set(data.subarray(start, start + take));
			const words = take >>> 2;
			const acc32 = this.acc32;
			const src = this.scratch32;
			for (let w = 0; w < words; w += 40) {
				for (let k = 0; k < 40; k++) acc32[k] ^= src[w + k];
			}
			start += take;
		}
		// The tail starts at a multiple of 160, so its byte j goes to acc[j].
		for (let j = 0; start + j < end; j++) this.acc[j] ^= data[start + j];
		this.length += end;
		return this;
	}

	/** @returns {Buffer} the 20-byte digest (does not reset the state) */
	digestBytes() {
		const out = new Uint8Array(WIDTH_BYTES);
		for (let k = 0; k < FOLD; k++) {
			const value = this.acc[k];
			if (value === 0) continue;
			const bit = (k * SHIFT) % (WIDTH_BYTES * 8);
			const spread = value << (bit & 7); // up to 15 bits, covers two bytes
			const byte = bit >>> 3;
			out[byte] ^= spread & 0xff;
			out[(byte + 1) % WIDTH_BYTES] ^= spread >>> 8;
		}
		// Length as a 64-bit little-endian integer into bytes 12..19.
		let remaining = BigInt(this.length);
		for (let i = 0; i < 8; i++) {
			out[WIDTH_BYTES - 8 + i] ^= Number(remaining & 0xffn);
			remaining >>= 8n;
		}
		return Buffer.from(out);
	}

	/** @returns {string} base64 digest, the form Graph returns */
	digest() {
		return this.digestBytes().toString('base64');
	}
}

/**
 * One-shot hash of a buffer or string.
 * @param {Uint8Array | string} data
 */
function quickXorHash(data) {
	const hash = new QuickXorHash();
	hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
	return hash.digest();
}

/**
 * Hash of a whole readable stream (for files stored on disk).
 * @param {NodeJS.ReadableStream} stream
 * @returns {Promise<string>}
 */
async function quickXorHashStream(stream) {
	const hash = new QuickXorHash();
	for await (const chunk of stream) hash.update(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	return hash.digest();
}

module.exports = { QuickXorHash, quickXorHash, quickXorHashStream };
