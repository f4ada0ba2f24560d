import { randomBytes } from 'crypto';
import { QuickXorHash, quickXorHash } from '../../../nodes/Microsoft/OneDrive/helpers/quickXorHash';

/**
 * Microsoft's definition, one bit at a time and deliberately naive: the byte at stream offset k is XORed into a
 * 160-bit register at bit (k * 11) mod 160, wrapping; then the length (64-bit little-endian) into the last 8 bytes.
 * The optimised hash (word-wise XOR, rotated lane folding) must agree with it for every length and alignment.
 */
function referenceQuickXorHash(data: Uint8Array): string {
	const register = new Uint8Array(20);
	for (let k = 0; k < data.length; k++) {
		const start = (k * 11) % 160;
		for (let bit = 0; bit < 8; bit++) {
			if ((data[k] >> bit) & 1) {
				const position = (start + bit) % 160;
				register[position >> 3] ^= 1 << (position & 7);
			}
		}
	}
	let length = data.length;
	for (let i = 0; i < 8; i++) {
		register[12 + i] ^= length % 256;
		length = Math.floor(length / 256);
	}
	return Buffer.from(register).toString('base64');
}

describe('QuickXorHash against a bit-by-bit reference implementation', () => {
	it('agrees on random data of odd lengths, hashed in one piece', () => {
		for (const length of [1, 3, 159, 161, 319, 641, 4_097, 65_537, 200_003]) {
			const data = randomBytes(length);
			expect(quickXorHash(data)).toBe(referenceQuickXorHash(data));
		}
	});

	it('agrees when odd-sized pieces start at unaligned memory offsets and mid-block lanes', () => {
		const backing = randomBytes(300_011);
		const data = backing.subarray(1); // byteOffset 1 from the pool slab start is not guaranteed aligned either way
		const hash = new QuickXorHash();
		const pieces = [7, 160, 1, 333, 4_099, 161, 65_541, 3, 100_001];
		let offset = 0;
		for (let i = 0; offset < data.length; i++) {
			const size = pieces[i % pieces.length];
			// Copy some pieces to fresh (aligned) memory and leave others as unaligned views, as streams do.
			const view = data.subarray(offset, offset + size);
			hash.update(i % 2 === 0 ? view : Buffer.from(view));
			offset += size;
		}
		expect(hash.bytesHashed).toBe(data.length);
		expect(hash.digestBase64()).toBe(referenceQuickXorHash(data));
	});

	it('detects a single flipped bit anywhere in a large input', () => {
		const data = randomBytes(100_000);
		const original = quickXorHash(data);
		data[54_321] ^= 0x10;
		expect(quickXorHash(data)).not.toBe(original);
		expect(quickXorHash(data)).toBe(referenceQuickXorHash(data));
	});
});
