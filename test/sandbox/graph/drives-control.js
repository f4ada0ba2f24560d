// @ts-check
'use strict';

/**
 * `/_sandbox/drives/*` (api host, no auth, local only): the `sandbox.drives` helpers over HTTP, for
 * end-to-end tests where n8n runs in another process. JSON in, JSON out; see README.md.
 */

const { httpError } = require('../router');

const PLAIN = { 'content-type': 'application/json; charset=utf-8' };

/**
 * @param {import('../router').Router} router
 * @param {any} api the helper API from drives.js
 */
function registerControlRoutes(router, api) {
	/** Helper errors (plain Error) become 400s with their message. @param {() => any} fn */
	const attempt = (fn) => {
		try {
			return fn();
		} catch (error) {
			if (error && typeof error === 'object' && 'status' in error) throw error;
			throw httpError(400, 'BadRequest', error instanceof Error ? error.message : String(error));
		}
	};
	/** @param {any} body @param {string} name */
	const required = (body, name) => {
		if (!body || body[name] === undefined) throw httpError(400, 'BadRequest', `"${name}" is required.`);
		return body[name];
	};

	router.add('GET', '/_sandbox/drives', (ctx) => ctx.json(200, api.listDrives(), PLAIN));
	router.add('GET', '/_sandbox/drives/sites', (ctx) => ctx.json(200, api.listSites(), PLAIN));
	router.add('GET', '/_sandbox/drives/user/:user', (ctx) => ctx.json(200, { driveId: attempt(() => api.driveIdOfUser(ctx.params.user)) }, PLAIN));
	router.add('GET', '/_sandbox/drives/personal', (ctx) => ctx.json(200, { driveId: api.personalDriveId() }, PLAIN));
	router.add('PUT', '/_sandbox/drives/copy-behavior', async (ctx) => {
		const body = (await ctx.readJson()) ?? {};
		if (body.pollsInProgress !== undefined) api.copyBehavior.pollsInProgress = Number(body.pollsInProgress);
		if (body.fail !== undefined) api.copyBehavior.fail = Boolean(body.fail);
		if (body.redirectWhenDone !== undefined) api.copyBehavior.redirectWhenDone = Boolean(body.redirectWhenDone);
		return ctx.json(200, api.copyBehavior, PLAIN);
	});
	router.add('POST', '/_sandbox/drives/fragment-cut', async (ctx) => {
		const body = await ctx.readJson();
		api.cutNextFragment({ afterBytes: Number(required(body, 'afterBytes')), times: body.times });
		return ctx.send(204, null);
	});
	router.add('GET', '/_sandbox/drives/upload-sessions', (ctx) => ctx.json(200, { open: api.openUploadSessions() }, PLAIN));
	router.add('GET', '/_sandbox/drives/items/:itemId', (ctx) => {
		const item = api.itemById(ctx.params.itemId);
		return item ? ctx.json(200, item, PLAIN) : ctx.error(404, 'itemNotFound', 'No such item.');
	});
	router.add('GET', '/_sandbox/drives/items/:itemId/content', (ctx) => ctx.send(200, attempt(() => api.contentOf(ctx.params.itemId)),
		{ 'content-type': 'application/octet-stream' }));
	router.add('POST', '/_sandbox/drives/:driveId/files', async (ctx) => {
		const body = await ctx.readJson();
		const path = String(required(body, 'path'));
		if (body.size !== undefined) return ctx.json(201, await api.addLargeFile(ctx.params.driveId, path, Number(body.size)), PLAIN);
		const content = body.base64 !== undefined ? Buffer.from(String(body.base64), 'base64') : Buffer.from(String(body.text ?? ''), 'utf8');
		return ctx.json(201, attempt(() => api.addFile(ctx.params.driveId, path, content)), PLAIN);
	});
	router.add('POST', '/_sandbox/drives/:driveId/folders', async (ctx) => {
		const body = await ctx.readJson();
		return ctx.json(201, attempt(() => api.addFolder(ctx.params.driveId, String(required(body, 'path')))), PLAIN);
	});
	router.add('POST', '/_sandbox/drives/:driveId/bulk', async (ctx) => {
		const body = await ctx.readJson();
		return ctx.json(201, attempt(() => api.bulkFolder(ctx.params.driveId, String(required(body, 'path')), Number(required(body, 'count')))), PLAIN);
	});
	router.add('GET', '/_sandbox/drives/:driveId/item', (ctx) => {
		const item = api.itemByPath(ctx.params.driveId, ctx.query.path ?? '');
		return item ? ctx.json(200, item, PLAIN) : ctx.error(404, 'itemNotFound', 'No item at that path.');
	});
	router.add('DELETE', '/_sandbox/drives/:driveId/item', (ctx) => {
		attempt(() => api.deleteByPath(ctx.params.driveId, String(ctx.query.path ?? '')));
		return ctx.send(204, null);
	});
	router.add('POST', '/_sandbox/drives/:driveId/rename', async (ctx) => {
		const body = await ctx.readJson();
		return ctx.json(200, attempt(() => api.renameByPath(ctx.params.driveId, String(required(body, 'path')), String(required(body, 'name')))), PLAIN);
	});
	router.add('POST', '/_sandbox/drives/:driveId/resync', (ctx) => {
		attempt(() => api.requireResync(ctx.params.driveId));
		return ctx.send(204, null);
	});
	router.add('POST', '/_sandbox/drives/:driveId/quota', async (ctx) => {
		const body = await ctx.readJson();
		attempt(() => api.setQuota(ctx.params.driveId, Number(required(body, 'total'))));
		return ctx.send(204, null);
	});
	router.add('POST', '/_sandbox/drives/:driveId/deny', async (ctx) => {
		const body = (await ctx.readJson()) ?? {};
		attempt(() => api.denyAccess(ctx.params.driveId, { appOnly: body.appOnly, principal: body.principal }));
		return ctx.send(204, null);
	});
}

module.exports = { registerControlRoutes };
