// @ts-check
'use strict';

/**
 * File and image columns: upload `PATCH /{set}({key})/{column}` with the bytes and `x-ms-file-name` (one request up
 * to 128 MB and the column's MaxSizeInKB), or in chunks: `PATCH` with `x-ms-transfer-mode: chunked` and the file
 * name → 200 with `x-ms-chunk-size` and a `Location` carrying `sessiontoken`, then `PATCH <Location>` per chunk with
 * `Content-Range: bytes a-b/total` → 206 until the last, which answers 204. Download `GET …/{column}/$value`
 * (`x-ms-file-name`, `x-ms-file-size`, `Range` → 206; images: thumbnail, or `?size=full`), delete `DELETE …/{column}`.
 */

const crypto = require('node:crypto');
const { httpError } = require('./router');
const { TABLES } = require('./dataverse-schema');
const { parseKeySegment, findRow, missing } = require('./dataverse-records');

/** @typedef {import('./dataverse-schema').Table} Table */

const CHUNK_SIZE = 4 * 1024 * 1024;
const SINGLE_REQUEST_LIMIT = 128 * 1024 * 1024;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

/** Tables and their file / image columns. */
const FILE_COLUMNS = TABLES.flatMap((table) => table.columns.filter((column) => column.type === 'File' || column.type === 'Image').map((column) => ({ table, column })));

/**
 * @param {import('./router').Router} router
 * @param {import('./dataverse').DataverseKit} kit
 */
function registerFiles(router, kit) {
	const { host, authorised, empty, base, store } = kit;
	/** @type {Map<string, { table: Table, id: string, column: string, name: string, type: string, total: number | null, chunks: Map<number, Buffer>, expires: number }>} */
	const sessions = new Map();
	if (FILE_COLUMNS.length === 0) return { sessions };
	const sets = [...new Set(FILE_COLUMNS.map((item) => item.table.entitySetName))].join('|');
	const columns = [...new Set(FILE_COLUMNS.map((item) => item.column.name))].join('|');
	const pattern = new RegExp(`^/api/data/v9\\.2/(?<set>${sets})\\((?<key>[^/]*)\\)/(?<column>${columns})(?<value>/\\$value)?$`);

	/** @param {import('./router').Context} ctx */
	const target = (ctx) => {
		const found = FILE_COLUMNS.find((item) => item.table.entitySetName === ctx.params.set && item.column.name === ctx.params.column);
		if (!found) throw httpError(400, '0x0', `Could not find a property named '${ctx.params.column}' on type 'Microsoft.Dynamics.CRM.${ctx.params.set}'.`);
		const key = parseKeySegment(found.table, ctx.params.key);
		const row = findRow(store, found.table, key);
		if (!row) throw missing(found.table, key);
		return { ...found, row };
	};
	/** @param {ReturnType<typeof target>} at */
	const noFile = (at) => httpError(404, '0x80060891', `No file attachment found for attribute: ${at.column.name} EntityId: ${at.row[at.table.primaryId]}.`);
	/** @param {ReturnType<typeof target>} at @param {number} size */
	const checkSize = (at, size) => {
		const limit = (at.column.maxSizeKb ?? 32768) * 1024;
		if (size > limit) throw httpError(400, '0x80090001', `The file is ${size} bytes; the column '${at.column.name}' accepts at most ${limit} bytes (MaxSizeInKB ${at.column.maxSizeKb}).`);
	};

	/** Stores the uploaded bytes on the row (a change of the row, so it is versioned and change-tracked). @param {ReturnType<typeof target>} at @param {string} name @param {string} type @param {Buffer} bytes */
	const save = (at, name, type, bytes) => {
		checkSize(at, bytes.length);
		const id = crypto.randomUUID();
		const column = at.column.name;
		if (at.column.type === 'File') {
			store.files.set(id, { name, type, bytes });
			store.change(at.table, at.row, { [column]: id, [`${column}_name`]: name });
		} else {
			const timestamp = Date.now();
			store.change(at.table, at.row, {
				[column]: bytes.toString('base64'), [`${column}id`]: id, [`${column}_timestamp`]: timestamp,
				[`${column}_url`]: `/Image/download.aspx?Entity=${at.table.logicalName}&Attribute=${column}&Id=${id}&Timestamp=${timestamp}`,
			});
		}
	};

	router.add('PATCH', pattern, authorised(async (ctx) => {
		if (ctx.params.value) throw httpError(405, '0x80060888', 'Upload with PATCH on the column itself, not on $value.');
		const at = target(ctx);
		const token = ctx.query.sessiontoken;
		if (token !== undefined) {
			const session = sessions.get(token);
			if (!session || session.expires < Date.now() || session.id !== at.row[at.table.primaryId] || session.column !== at.column.name) {
				throw httpError(400, '0x80090002', 'The upload session token is not valid or has expired. Start the upload again.');
			}
			const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(ctx.headers['content-range'] ?? '');
			if (!range) throw httpError(400, '0x80090003', "A chunk needs 'Content-Range: bytes <first>-<last>/<total>'.");
			const [first, last, total] = range.slice(1).map(Number);
			const chunk = await ctx.readBody();
			if (last < first || last >= total || chunk.length !== last - first + 1) throw httpError(400, '0x80090003', `The chunk has ${chunk.length} bytes but Content-Range says ${ctx.headers['content-range']}.`);
			if (chunk.length > CHUNK_SIZE) throw httpError(400, '0x80090003', `A chunk may have at most ${CHUNK_SIZE} bytes (x-ms-chunk-size).`);
			if (session.total !== null && session.total !== total) throw httpError(400, '0x80090003', `The total size changed from ${session.total} to ${total}.`);
			checkSize(at, total);
			session.total = total;
			for (const [start, bytes] of session.chunks) {
				if (first <= start + bytes.length - 1 && start <= last) throw httpError(400, '0x80090003', `The chunk ${first}-${last} overlaps bytes already received.`);
			}
			session.chunks.set(first, chunk);
			const received = [...session.chunks.values()].reduce((sum, bytes) => sum + bytes.length, 0);
			if (received < total) return empty(ctx, 206);
			const bytes = Buffer.concat([...session.chunks.entries()].sort(([a], [b]) => a - b).map(([, part]) => part));
			sessions.delete(token);
			save(at, session.name, session.type, bytes);
			return empty(ctx, 204);
		}
		const name = ctx.headers['x-ms-file-name'] ?? ctx.query['x-ms-file-name'];
		if (!name) throw httpError(400, '0x80090004', "The file name is missing: send it in the 'x-ms-file-name' header.");
		const type = ctx.headers['content-type'] ?? 'application/octet-stream';
		if (/chunked/i.test(ctx.headers['x-ms-transfer-mode'] ?? '')) {
			const sessionToken = crypto.randomBytes(24).toString('base64url');
			sessions.set(sessionToken, { table: at.table, id: at.row[at.table.primaryId], column: at.column.name, name, type, total: null, chunks: new Map(), expires: Date.now() + SESSION_LIFETIME_MS });
			return empty(ctx, 200, {
				'x-ms-chunk-size': String(CHUNK_SIZE),
				location: `${base}/${at.table.entitySetName}(${at.row[at.table.primaryId]})/${at.column.name}?sessiontoken=${encodeURIComponent(sessionToken)}`,
				'access-control-expose-headers': 'x-ms-chunk-size,Location',
			});
		}
		const size = Number(ctx.headers['content-length'] ?? 0);
		if (size > SINGLE_REQUEST_LIMIT) throw httpError(413, '0x80090001', `A single-request upload may have at most ${SINGLE_REQUEST_LIMIT} bytes; upload in chunks (x-ms-transfer-mode: chunked).`);
		save(at, name, type, await ctx.readBody(SINGLE_REQUEST_LIMIT));
		return empty(ctx, 204);
	}), { host });

	router.add('GET', pattern, authorised((ctx) => {
		if (!ctx.params.value) throw httpError(400, '0x80060888', `Download the column's content from .../${ctx.params.column}/$value.`);
		const at = target(ctx);
		let name;
		let bytes;
		let type = 'application/octet-stream';
		if (at.column.type === 'File') {
			const file = at.row[at.column.name] ? store.files.get(at.row[at.column.name]) : undefined;
			if (!file) throw noFile(at);
			({ name, bytes, type } = file);
		} else {
			if (!at.row[at.column.name]) throw noFile(at);
			bytes = Buffer.from(at.row[at.column.name], 'base64');
			name = `${at.row[`${at.column.name}id`] ?? 'image'}${ctx.query.size === 'full' ? '' : '_thumbnail'}`;
			type = 'image/jpeg';
		}
		const headers = { 'x-ms-file-name': name, 'x-ms-file-size': String(bytes.length), 'content-type': type, 'odata-version': '4.0' };
		const range = /^bytes=(\d+)-(\d*)$/.exec(ctx.headers.range ?? '');
		if (range) {
			const first = Number(range[1]);
			const last = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
			if (first > last) return ctx.send(416, null, { 'content-range': `bytes */${bytes.length}` });
			return ctx.send(206, bytes.subarray(first, last + 1), { ...headers, 'content-range': `bytes ${first}-${last}/${bytes.length}` });
		}
		return ctx.send(200, bytes, headers);
	}), { host });

	router.add('DELETE', pattern, authorised((ctx) => {
		if (ctx.params.value) throw httpError(405, '0x80060888', 'Delete the column itself, not $value.');
		const at = target(ctx);
		if (!at.row[at.column.name]) throw noFile(at);
		const column = at.column.name;
		if (at.column.type === 'File') {
			store.files.delete(at.row[column]);
			store.change(at.table, at.row, { [column]: null, [`${column}_name`]: null });
		} else {
			store.change(at.table, at.row, { [column]: null, [`${column}id`]: null, [`${column}_timestamp`]: null, [`${column}_url`]: null });
		}
		return empty(ctx, 204);
	}), { host });

	return { sessions };
}

module.exports = { registerFiles, CHUNK_SIZE, SINGLE_REQUEST_LIMIT };
