// @ts-check
'use strict';

/**
 * File bodies of the sandbox drives. Small bodies stay in memory; anything above MEMORY_LIMIT is written to a
 * temp directory of this sandbox, so a 1 GiB upload never sits in memory. Bodies are received as streams and
 * hashed (quickXorHash) on the way in. Contents are reference counted because copies share them.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable, Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { QuickXorHash } = require('../quickXorHash');

const MEMORY_LIMIT = 1024 * 1024;

/**
 * @typedef {{ kind: 'memory', buffer: Buffer, refs: number }
 *   | { kind: 'disk', file: string, size: number, refs: number }} Content
 */

class ContentStore {
	/** @param {string} [dir] */
	constructor(dir) {
		this.dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'm365-sandbox-drives-'));
		this.fileCounter = 0;
	}

	newFilePath() {
		this.fileCounter += 1;
		return path.join(this.dir, `body-${process.pid}-${this.fileCounter}`);
	}

	/** @param {Buffer} buffer @returns {Content} */
	fromBuffer(buffer) {
		if (buffer.length <= MEMORY_LIMIT) return { kind: 'memory', buffer, refs: 1 };
		const file = this.newFilePath();
		fs.writeFileSync(file, buffer);
		return { kind: 'disk', file, size: buffer.length, refs: 1 };
	}

	/** Takes ownership of a finished file (an upload session's). @param {string} file @param {number} size @returns {Content} */
	adoptFile(file, size) {
		if (size <= MEMORY_LIMIT) {
			const buffer = fs.readFileSync(file);
			fs.rmSync(file, { force: true });
			return { kind: 'memory', buffer, refs: 1 };
		}
		const target = this.newFilePath();
		fs.renameSync(file, target);
		return { kind: 'disk', file: target, size, refs: 1 };
	}

	/**
	 * Streams a body in, hashing it; fails (and keeps nothing) when it is longer than `limit` bytes.
	 * @param {import('node:stream').Readable} stream @param {{ limit: number, onTooLarge: () => Error }} options
	 * @returns {Promise<{ content: Content, size: number, hash: string }>}
	 */
	async receive(stream, options) {
		const hash = new QuickXorHash();
		/** @type {Buffer[]} */
		let chunks = [];
		let size = 0;
		/** @type {fs.WriteStream | null} */
		let file = null;
		let filePath = '';
		const sink = new Writable({
			write: (chunk, _encoding, done) => {
				size += chunk.length;
				if (size > options.limit) return done(options.onTooLarge());
				hash.update(chunk);
				if (!file && size <= MEMORY_LIMIT) {
					chunks.push(chunk);
					return done();
				}
				if (!file) {
					filePath = this.newFilePath();
					file = fs.createWriteStream(filePath);
					const buffered = Buffer.concat(chunks);
					chunks = [];
					if (buffered.length) file.write(buffered);
				}
				if (file.write(chunk)) done();
				else file.once('drain', () => done());
			},
			final: (done) => {
				if (!file) return done();
				file.end(done);
			},
		});
		try {
			await pipeline(stream, sink);
		} catch (error) {
			if (file) {
				/** @type {fs.WriteStream} */ (file).destroy();
				fs.rmSync(filePath, { force: true });
			}
			throw error;
		}
		const content = file
			? /** @type {Content} */ ({ kind: 'disk', file: filePath, size, refs: 1 })
			: /** @type {Content} */ ({ kind: 'memory', buffer: Buffer.concat(chunks), refs: 1 });
		return { content, size, hash: hash.digest() };
	}

	/** @param {Content} content */
	sizeOf(content) {
		return content.kind === 'memory' ? content.buffer.length : content.size;
	}

	/**
	 * @param {Content} content @param {number} start first byte @param {number} end last byte (inclusive)
	 * @returns {import('node:stream').Readable}
	 */
	openRead(content, start, end) {
		if (end < start) return Readable.from([]);
		if (content.kind === 'memory') return Readable.from([content.buffer.subarray(start, end + 1)]);
		return fs.createReadStream(content.file, { start, end, highWaterMark: 1024 * 1024 });
	}

	/** Whole body (tests and small files only). @param {Content} content */
	readAll(content) {
		return content.kind === 'memory' ? content.buffer : fs.readFileSync(content.file);
	}

	/** @param {Content} content */
	share(content) {
		content.refs += 1;
		return content;
	}

	/** @param {Content} content */
	release(content) {
		content.refs -= 1;
		if (content.refs <= 0 && content.kind === 'disk') fs.rmSync(content.file, { force: true });
	}

	removeAll() {
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

module.exports = { ContentStore, MEMORY_LIMIT };
