import { createHash } from 'crypto';
import { QuickXorHash, quickXorHash } from '../../../nodes/Microsoft/OneDrive/helpers/quickXorHash';

// Published input/output pairs (base64 in → base64 hash), as used by rclone's OneDrive backend tests.
const VECTORS: Array<[string, string]> = [
	['', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='],
	['Sg==', 'SgAAAAAAAAAAAAAAAQAAAAAAAAA='],
	['tbQ=', 'taAFAAAAAAAAAAAAAgAAAAAAAAA='],
	['0pZP', '0rDEEwAAAAAAAAAAAwAAAAAAAAA='],
	['luBZlaT6', 'lgBHFipBCn0AAAAABgAAAAAAAAA='],
	['XoJ1AsoR4fDYJrDqYs4=', 'XhBEHQSgjAiEAx7YPgEs1CEGZwA='],
	['2fuxhBJXtpWFe8dOfdGeHw==', 'O9tHLAghgSvYohKFyMMxnNCHaHg='],
	['T6LYJIfDh81JrAK309H2JMJTXis=', 'zBTHrspn3mEcohlJdIUAbjGNaNg='],
	['NbYXsp5/K6mR+NmHwExjvWeWDJFnXTKWVlzYHoesp2E=', 'wjuAuWDiq04qDt1R8hHWDDcwVoQ='],
	[
		'Mb7EGva2rEE5fENDL85P+BsapHEEjv2/siVhKjvAQe02feExVOQSkfmuYzU/kTF1MaKjPmKF/w+cbvwfdWL8aQ==',
		'n1anP5NfvD4XDYWIeRPW3ZkPv1Y=',
	],
	[
		'ikwCorI7PKWz17EI50jZCGbV9JU2E8bXVfxNMg5zdmqSZ2NlsQPp0kqYIPjzwTg1MBtfWPg53k0h0P2naJNEVgrqpoHTfV2b3pJ4m0zYPTJmUX4Bg/lOxcnCxAYKU29Y5F0U8Quz7ZXFBEweftXxJ7RS4r6N7BzJrPsLhY7hgck=',
		'imAoFvCWlDn4yVw3/oq1PDbbm6U=',
	],
	[
		'PfxMcUd0vIW6VbHG/uj/Y0W6qEoKmyBD0nYebEKazKaKG+UaDqBEcmQjbfQeVnVLuodMoPp7P7TR1htX5n2VnkHh22xDyoJ8C/ZQKiSNqQfXvh83judf4RVr9exJCud8Uvgip6aVZTaPrJHVjQhMCp/dEnGvqg0oN5OVkM2qqAXvA0teKUDhgNM71sDBVBCGXxNOR2bpbD1iM4dnuT0ey4L+loXEHTL0fqMeUcEi2asgImnlNakwenDzz0x57aBwyq3AspCFGB1ncX4yYCr/OaCcS5OKi/00WH+wNQU3',
		'QX/YEpG0gDsmhEpCdWhsxDzsfVE=',
	],
	[
		'qwGf2ESubE5jOUHHyc94ORczFYYbc2OmEzo+hBIyzJiNwAzC8PvJqtTzwkWkSslgHFGWQZR2BV5+uYTrYT7HVwRM40vqfj0dBgeDENyTenIOL1LHkjtDKoXEnQ0mXAHoJ8PjbNC93zi5TovVRXTNzfGEs5dpWVqxUzb5lc7dwkyvOluBw482mQ4xrzYyIY1t+//OrNi1ObGXuUw2jBQOFfJVj2Y6BOyYmfB1y36eBxi3zxeG5d5NYjm2GSh6e08QMAwu3zrINcqIzLOuNIiGXBtl7DjKt7b5wqi4oFiRpZsCyx2smhSrdrtK/CkdU6nDN+34vSR/M8rZpWQdBE7a8g==',
		'WYT9JY3JIo/pEBp+tIM6Gt2nyTM=',
	],
];

describe('QuickXorHash', () => {
	it.each(VECTORS)('hashes %s to the published value', (input, expected) => {
		expect(quickXorHash(Buffer.from(input, 'base64'))).toBe(expected);
	});

	it.each([1, 3, 7, 64, 159, 160, 161, 500])('gives the same result fed in chunks of %d bytes', (chunkSize) => {
		for (const [input, expected] of VECTORS) {
			const data = Buffer.from(input, 'base64');
			const hash = new QuickXorHash();
			for (let i = 0; i < data.length; i += chunkSize) hash.update(data.subarray(i, i + chunkSize));
			expect(hash.digestBase64()).toBe(expected);
			expect(hash.bytesHashed).toBe(data.length);
		}
	});

	it('matches one-shot hashing on a large buffer split at uneven offsets', () => {
		// Deterministic pseudo-random content (sha256 chain), 1 MiB + 17 bytes.
		const parts: Buffer[] = [];
		let seed = Buffer.from('seed');
		let size = 0;
		while (size < 1024 * 1024 + 17) {
			seed = createHash('sha256').update(seed).digest();
			parts.push(seed);
			size += seed.length;
		}
		const data = Buffer.concat(parts).subarray(0, 1024 * 1024 + 17);
		const whole = quickXorHash(data);
		const hash = new QuickXorHash();
		for (const cut of [[0, 1], [1, 327680], [327680, 327681], [327681, 1000003], [1000003, data.length]]) {
			hash.update(data.subarray(cut[0], cut[1]));
		}
		expect(hash.digestBase64()).toBe(whole);
		// Changing one byte changes the hash.
		const changed = Buffer.from(data);
		changed[524288] ^= 1;
		expect(quickXorHash(changed)).not.toBe(whole);
	});

	it('gives the same result for word-aligned and unaligned memory', () => {
		const data = Buffer.from(VECTORS[VECTORS.length - 1][0], 'base64');
		const aligned = new Uint8Array(new ArrayBuffer(data.length));
		aligned.set(data);
		const shifted = new Uint8Array(new ArrayBuffer(data.length + 1), 1, data.length);
		shifted.set(data);
		const expected = VECTORS[VECTORS.length - 1][1];
		expect(quickXorHash(aligned)).toBe(expected);
		expect(quickXorHash(shifted)).toBe(expected);
	});
});
