// @ts-check
'use strict';

/**
 * Uploads and downloads: simple `PUT .../content`, resumable upload sessions (fragment rules of Graph:
 * `Content-Range`, multiples of 320 KiB except the last, under 60 MiB, contiguous; 202 + nextExpectedRanges
 * until complete, then 201/200 with the driveItem), and the pre-authenticated files host (download with
 * Range, upload URL, status, cancel). Bodies are streamed to disk, never buffered whole.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const { Writable } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const { httpError, SandboxHttpError } = require('../router');
const { QuickXorHash } = require('../quickXorHash');

const SIMPLE_UPLOAD_LIMIT = 250 * 1024 * 1024;
const FRAGMENT_UNIT = 327680; // 320 KiB
const FRAGMENT_LIMIT = 60 * 1024 * 1024;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

/**
 * @typedef {import('./drives-state').Item} Item
 * @typedef {import('./drives-state').Drive} Drive
 * @typedef {{ id: string, driveId: string, parentId: string, name: string, targetId: string | null, behavior: string | undefined,
 *   userId: string | null, file: string, received: number, total: number | null, declaredSize: number | null,
 *   hashState: { acc: Uint8Array, length: number }, expires: number, busy: boolean }} UploadSession
 */

/** A client that hangs up mid-body is a bad request, not a sandbox crash. @param {unknown} error */
function asHttpError(error) {
	if (error instanceof SandboxHttpError) return error;
	return httpError(400, 'invalidRequest', 'The request body ended before all announced bytes arrived.');
}

/**
 * @param {{ store: import('./drives-state').DriveStore, json: import('./drives-json').DriveJson }} env
 */
function createUploadHandlers(env) {
	const { store } = env;
	/** @type {Map<string, UploadSession>} */
	const sessions = new Map();
	/** Test switch: cut the connection after this many bytes of the next fragment(s). */
	const fragmentCuts = /** @type {Array<{ afterBytes: number, times: number }>} */ ([]);

	/** @param {import('../router').Context} ctx */
	function conflictBehaviorOf(ctx) {
		return ctx.query['@microsoft.graph.conflictBehavior'];
	}

	/**
	 * @param {import('../router').Context} ctx @param {Drive} drive
	 * @param {{ parent: Item, name: string, target: Item | null }} where @param {string | null} userId
	 */
	async function simpleUpload(ctx, drive, where, userId) {
		const declared = ctx.headers['content-length'] !== undefined ? Number(ctx.headers['content-length']) : null;
		if (declared !== null && declared > SIMPLE_UPLOAD_LIMIT) {
			throw httpError(413, 'requestTooLarge', 'Simple upload is limited to 250 MB; use an upload session (createUploadSession).');
		}
		if (!where.target) store.validateName(where.name);
		const existing = where.target ?? lookupChild(where.parent, where.name);
		if (declared !== null) store.assertQuota(drive, declared, existing && !existing.isFolder ? existing.size : 0);
		if (!where.target && conflictBehaviorOf(ctx) === 'fail' && existing) {
			throw httpError(409, 'nameAlreadyExists', `The specified item name "${where.name}" already exists.`);
		}
		const received = await store.content.receive(ctx.bodyStream(), {
			limit: SIMPLE_UPLOAD_LIMIT,
			onTooLarge: () => httpError(413, 'requestTooLarge', 'Simple upload is limited to 250 MB; use an upload session.'),
		}).catch((error) => {
			throw asHttpError(error);
		});
		if (declared !== null && received.size !== declared) {
			store.content.release(received.content);
			throw httpError(400, 'invalidRequest', `The body has ${received.size} bytes but Content-Length announced ${declared}.`);
		}
		try {
			const before = where.target ?? lookupChild(where.parent, where.name);
			const item = store.writeFile(where.parent, where.name, received.content, received, conflictBehaviorOf(ctx), userId, where.target);
			return ctx.json(before && before.id === item.id ? 200 : 201, env.json.item(item));
		} catch (error) {
			store.content.release(received.content);
			throw error;
		}
	}

	/** @param {Item} parent @param {string} name */
	function lookupChild(parent, name) {
		const id = parent.children?.get(name.toLowerCase());
		return id ? store.items.get(id) ?? null : null;
	}

	/**
	 * @param {import('../router').Context} ctx @param {Drive} drive
	 * @param {{ parent: Item, name: string, target: Item | null }} where @param {string | null} userId
	 */
	async function createSession(ctx, drive, where, userId) {
		const body = (await ctx.readJson()) ?? {};
		const itemBody = body.item ?? {};
		const behavior = itemBody['@microsoft.graph.conflictBehavior'] ?? conflictBehaviorOf(ctx);
		if (itemBody.name !== undefined && itemBody.name !== where.name) {
			throw httpError(400, 'invalidRequest', `item.name "${itemBody.name}" does not match the name in the URL "${where.name}".`);
		}
		if (!where.target) store.validateName(where.name);
		const existing = where.target ?? lookupChild(where.parent, where.name);
		if (existing && existing.isFolder) throw httpError(409, 'nameAlreadyExists', `A folder named "${where.name}" already exists here.`);
		if (!where.target && existing && (behavior ?? 'replace') === 'fail') {
			throw httpError(409, 'nameAlreadyExists', `The specified item name "${where.name}" already exists.`);
		}
		if (behavior !== undefined && !['fail', 'replace', 'rename'].includes(behavior)) {
			throw httpError(400, 'invalidRequest', `Invalid @microsoft.graph.conflictBehavior "${behavior}": use fail, replace or rename.`);
		}
		const declaredSize = itemBody.fileSize !== undefined ? Number(itemBody.fileSize) : null;
		if (declaredSize !== null) store.assertQuota(drive, declaredSize, existing ? existing.size : 0);
		const id = crypto.randomBytes(24).toString('base64url');
		const file = store.content.newFilePath() + '.upload';
		fs.writeFileSync(file, '');
		const fresh = new QuickXorHash();
		sessions.set(id, {
			id, driveId: drive.id, parentId: where.parent.id, name: where.name, targetId: where.target?.id ?? null, behavior, userId,
			file, received: 0, total: null, declaredSize, hashState: { acc: fresh.acc.slice(), length: 0 },
			expires: Date.now() + SESSION_LIFETIME_MS, busy: false,
		});
		return ctx.json(200, {
			'@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#microsoft.graph.uploadSession`,
			uploadUrl: `${ctx.sandbox.filesUrl}/upload/${id}`,
			expirationDateTime: new Date(Date.now() + SESSION_LIFETIME_MS).toISOString(),
			nextExpectedRanges: ['0-'],
		});
	}

	/** @param {string} id */
	function liveSession(id) {
		const session = sessions.get(id);
		if (!session || Date.now() > session.expires) {
			if (session) discard(session);
			throw httpError(404, 'itemNotFound', 'The upload session was not found; it expired, completed or was cancelled.');
		}
		return session;
	}

	/** @param {UploadSession} session */
	function discard(session) {
		sessions.delete(session.id);
		fs.rmSync(session.file, { force: true });
	}

	/** @param {UploadSession} session */
	function status(session) {
		return {
			expirationDateTime: new Date(session.expires).toISOString(),
			nextExpectedRanges: [session.total !== null ? `${session.received}-${session.total - 1}` : `${session.received}-`],
		};
	}

	/** @param {import('../router').Context} ctx */
	async function putFragment(ctx) {
		const session = liveSession(ctx.params.sessionId);
		if (session.busy) throw httpError(409, 'invalidRequest', 'Another fragment of this session is still being received.');
		const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(ctx.headers['content-range'] ?? '');
		if (!range) throw httpError(400, 'invalidRequest', 'Content-Range must be "bytes start-end/total" with the total size of the file.');
		const start = Number(range[1]);
		const end = Number(range[2]);
		const total = Number(range[3]);
		const length = end - start + 1;
		if (end < start || end >= total) throw httpError(400, 'invalidRequest', `Content-Range "${range[0]}" is not inside the file.`);
		if (ctx.headers['content-length'] !== undefined && Number(ctx.headers['content-length']) !== length) {
			throw httpError(400, 'invalidRequest', `Content-Length ${ctx.headers['content-length']} does not match Content-Range (${length} bytes).`);
		}
		if (session.total !== null && total !== session.total) {
			throw httpError(400, 'invalidRequest', `The total size ${total} differs from the ${session.total} given by earlier fragments.`);
		}
		if (session.declaredSize !== null && total !== session.declaredSize) {
			throw httpError(400, 'invalidRequest', `The total size ${total} differs from item.fileSize ${session.declaredSize}.`);
		}
		if (length >= FRAGMENT_LIMIT) throw httpError(413, 'requestTooLarge', 'Each fragment must be smaller than 60 MiB.');
		if (end + 1 < total && length % FRAGMENT_UNIT !== 0) {
			throw httpError(400, 'invalidRequest', `Fragment size ${length} is not a multiple of 320 KiB (327,680 bytes); only the last fragment may be shorter.`);
		}
		if (start < session.received) {
			throw httpError(416, 'invalidRange', `The fragment overlaps data already received; next expected range: ${status(session).nextExpectedRanges[0]}.`);
		}
		if (start > session.received) {
			throw httpError(416, 'invalidRange', `The fragment leaves a gap; next expected range: ${status(session).nextExpectedRanges[0]}.`);
		}
		const drive = store.getDrive(session.driveId);
		const target = session.targetId ? store.items.get(session.targetId) : null;
		store.assertQuota(drive, total, target ? target.size : 0);

		session.busy = true;
		try {
			await receiveFragment(ctx, session, start, length);
		} finally {
			session.busy = false;
		}
		session.total = total;
		session.received = end + 1;
		if (session.received < total) return ctx.json(202, status(session));
		return commit(ctx, session);
	}

	/**
	 * Streams one fragment into the session file at `start`, hashing it; on a short or long body nothing counts.
	 * @param {import('../router').Context} ctx @param {UploadSession} session @param {number} start @param {number} length
	 */
	async function receiveFragment(ctx, session, start, length) {
		const hash = new QuickXorHash();
		hash.acc.set(session.hashState.acc);
		hash.length = session.hashState.length;
		const out = fs.createWriteStream(session.file, { flags: 'r+', start });
		const cut = fragmentCuts[0];
		let seen = 0;
		const sink = new Writable({
			write(chunk, _encoding, done) {
				seen += chunk.length;
				if (seen > length) return done(httpError(400, 'invalidRequest', `The body is longer than the ${length} bytes Content-Range announced.`));
				if (cut && seen >= cut.afterBytes) {
					cut.times -= 1;
					if (cut.times <= 0) fragmentCuts.shift();
					ctx.req?.socket.destroy();
					return done(httpError(400, 'invalidRequest', 'The connection was cut by the sandbox test switch.'));
				}
				hash.update(chunk);
				if (out.write(chunk)) done();
				else out.once('drain', () => done());
			},
			final(done) {
				out.end(done);
			},
		});
		try {
			await pipeline(ctx.bodyStream(), sink);
		} catch (error) {
			out.destroy();
			throw asHttpError(error);
		}
		if (seen !== length) {
			throw httpError(400, 'invalidRequest', `The body has ${seen} bytes but Content-Range announced ${length}.`);
		}
		session.hashState = { acc: hash.acc.slice(), length: hash.length };
	}

	/** @param {import('../router').Context} ctx @param {UploadSession} session */
	function commit(ctx, session) {
		const parent = store.getItem(session.parentId);
		const target = session.targetId ? store.getItem(session.targetId) : null;
		const hash = new QuickXorHash();
		hash.acc.set(session.hashState.acc);
		hash.length = session.hashState.length;
		const before = target ?? lookupChild(parent, session.name);
		const content = store.content.adoptFile(session.file, /** @type {number} */ (session.total));
		sessions.delete(session.id);
		try {
			const item = store.writeFile(parent, session.name, content, { size: /** @type {number} */ (session.total), hash: hash.digest() },
				session.behavior, session.userId, target);
			return ctx.json(before && before.id === item.id ? 200 : 201, env.json.item(item));
		} catch (error) {
			store.content.release(content);
			throw error;
		}
	}

	/** @param {import('../router').Context} ctx */
	async function download(ctx) {
		const token = env.json.readDownloadToken(ctx.params.token);
		if (token === 'expired') throw httpError(401, 'unauthenticated', 'The download URL has expired; request the item again for a fresh one.');
		if (!token) throw httpError(401, 'unauthenticated', 'The download URL is not valid.');
		const item = store.getItem(token.itemId);
		const version = token.versionId ? item.versions.find((v) => v.id === token.versionId) : null;
		if (token.versionId && !version) throw httpError(404, 'itemNotFound', 'That version no longer exists.');
		const content = version ? version.content : item.content;
		if (!content) throw httpError(404, 'itemNotFound', 'The item has no content.');
		const size = store.content.sizeOf(content);
		const headers = {
			'content-type': item.mimeType || 'application/octet-stream',
			'accept-ranges': 'bytes',
			etag: `"{${item.eTagGuid}},${item.version}"`,
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
		};
		const rangeHeader = ctx.headers.range;
		if (!rangeHeader) {
			return ctx.send(200, ctx.method === 'HEAD' ? null : store.content.openRead(content, 0, size - 1), { ...headers, 'content-length': String(size) });
		}
		const m = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
		let start;
		let end;
		if (m && m[1] !== '') {
			start = Number(m[1]);
			end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
		} else if (m && m[2] !== '') {
			start = Math.max(0, size - Number(m[2]));
			end = size - 1;
		}
		if (start === undefined || end === undefined || start >= size || end < start) {
			return ctx.send(416, null, { 'content-range': `bytes */${size}` });
		}
		return ctx.send(206, ctx.method === 'HEAD' ? null : store.content.openRead(content, start, end), {
			...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}`,
		});
	}

	/** @param {import('../router').Router} router */
	function register(router) {
		router.add('GET', '/download/:token', download, { host: 'files' });
		router.add('HEAD', '/download/:token', download, { host: 'files' });
		router.add('PUT', '/upload/:sessionId', putFragment, { host: 'files' });
		router.add('GET', '/upload/:sessionId', (ctx) => ctx.json(200, status(liveSession(ctx.params.sessionId))), { host: 'files' });
		router.add('DELETE', '/upload/:sessionId', (ctx) => {
			discard(liveSession(ctx.params.sessionId));
			return ctx.send(204, null);
		}, { host: 'files' });
	}

	return {
		register, simpleUpload, createSession, sessions,
		/** @param {{ afterBytes: number, times?: number }} cut */
		cutNextFragment(cut) {
			fragmentCuts.push({ afterBytes: cut.afterBytes, times: cut.times ?? 1 });
		},
		clearFragmentCuts() {
			fragmentCuts.length = 0;
		},
	};
}

module.exports = { createUploadHandlers, FRAGMENT_UNIT, FRAGMENT_LIMIT, SIMPLE_UPLOAD_LIMIT };
