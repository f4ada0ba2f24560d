// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { NODE_TYPE, ALICE, binaryBytes } = require('./support');

const SIZE = 5 * 1024 * 1024 + 1000;
const NAME = 'e2e-large.bin';

/** The bytes the workflow's Code node makes (same generator), to compare with what the sandbox stored. */
function expectedContent() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const bytes = Buffer.alloc(SIZE);
	let seed = 20261122;
	for (let i = 0; i < SIZE; i++) {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		bytes[i] = alphabet.charCodeAt(seed % 64);
	}
	return bytes;
}

/**
 * A binary above 4 MiB made inside n8n (Code → Convert to File) goes through an upload session: fragments are
 * PUT to the pre-authenticated files host without a token; the stored bytes and hash match; download agrees.
 */
module.exports = {
	requires: [NODE_TYPE],
	async before(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
	},
	async check(ctx, result) {
		const [uploaded] = result.items('Upload Large');
		assert.equal(uploaded.name, NAME);
		assert.equal(uploaded.size, SIZE);

		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		assert.ok(requests.some((r) => r.method === 'POST' && /\/createUploadSession$/.test(r.path)), 'no upload session was created');
		const fragments = requests.filter((r) => r.host === 'files' && r.method === 'PUT' && r.path.startsWith('/upload/'));
		assert.ok(fragments.length >= 2, `expected several fragments, saw ${fragments.length}`);
		assert.ok(fragments.every((r) => !r.hasAuthorization), 'a fragment carried an Authorization header');
		assert.deepEqual(await ctx.sandboxRequest('GET', '/_sandbox/violations'), []);

		const stored = await ctx.sandboxItem(await ctx.driveIdOf(ALICE), `/${NAME}`);
		assert.equal(stored.id, uploaded.id);
		assert.equal(stored.size, SIZE);
		assert.equal(uploaded.quickXorHash, stored.file.hashes.quickXorHash);
		const content = await ctx.sandboxContent(stored.id);
		const sha256 = (buffer) => crypto.createHash('sha256').update(buffer).digest('hex');
		assert.equal(sha256(content), sha256(expectedContent()), 'the stored bytes differ from what the workflow made');

		const [downloaded] = result.items('Download Large');
		assert.equal(downloaded.id, stored.id);
		assert.equal(downloaded.quickXorHash, stored.file.hashes.quickXorHash);
		const [binary] = result.binaries('Download Large');
		assert.equal(binary.fileName, NAME);
		assert.equal(binaryBytes(binary), SIZE);
	},
};
