// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE, ALICE, binaryBytes } = require('./support');

const TEXT = 'Hello from n8n — grüße, 日本語 ✓\n';
const NAME = 'e2e note (n8n).txt';

/** A small text upload (single PUT) into a folder picked by path, then the download of what was stored. */
module.exports = {
	requires: [NODE_TYPE],
	async check(ctx, result) {
		const [uploaded] = result.items('Upload Text');
		assert.equal(uploaded.name, NAME);
		assert.equal(uploaded.path, `/Documents/${NAME}`);
		assert.equal(uploaded.size, Buffer.byteLength(TEXT, 'utf8'));

		const stored = await ctx.sandboxItem(await ctx.driveIdOf(ALICE), `/Documents/${NAME}`);
		assert.equal(stored.id, uploaded.id);
		assert.equal((await ctx.sandboxContent(stored.id)).toString('utf8'), TEXT);

		const [downloaded] = result.items('Download');
		assert.equal(downloaded.id, uploaded.id);
		assert.equal(downloaded.quickXorHash, stored.file.hashes.quickXorHash, 'download reports another hash than the sandbox holds');
		const [binary] = result.binaries('Download');
		assert.equal(binary.fileName, NAME);
		assert.match(binary.mimeType, /^text\/plain/);
		assert.equal(binaryBytes(binary), Buffer.byteLength(TEXT, 'utf8'));
	},
};
