// @ts-check
'use strict';

/**
 * Graph API routes for drives, sites and items (api host). One dispatcher parses Graph's addressing
 * (drives-address.js), resolves the drive and item (drives-access.js) and runs the operation.
 */

const { httpError } = require('../router');
const { parseAddress, parseSearchQuery } = require('./drives-address');
const { applySelect } = require('./drives-json');
const { pageOf } = require('./drives-paging');
const access = require('./drives-access');

/**
 * @typedef {import('./drives-access').Env & {
 *   upload: ReturnType<typeof import('./drives-upload').createUploadHandlers>,
 *   delta: ReturnType<typeof import('./drives-delta').createDeltaHandler>,
 *   copy: ReturnType<typeof import('./drives-copy').createCopyHandlers>,
 *   sharingRoutes: { createLink: (ctx: import('../router').Context, item: import('./drives-state').Item, auth: import('../router').AuthInfo) => Promise<any>,
 *     shareInfo: (ctx: import('../router').Context, id: string, auth: import('../router').AuthInfo) => any },
 * }} RouteEnv
 */

const DRIVE_PATHS = /^\/v1\.0\/(?:me\/drives?|drive|users\/[^/]+\/drives?|groups\/[^/]+\/drives?|drives|sites|shares)(?=\/|$)/;

/** @param {import('../router').Router} router @param {RouteEnv} env */
function registerDriveRoutes(router, env) {
	router.add('*', DRIVE_PATHS, (ctx) => handle(ctx, env));
}

/** @param {import('../router').Context} ctx @param {RouteEnv} env */
async function handle(ctx, env) {
	const address = parseAddress(ctx.path);
	if (!address) throw httpError(400, 'BadRequest', `Resource not found for the segment '${ctx.path.split('/').pop()}'.`);
	const isWrite = ctx.method !== 'GET' && ctx.method !== 'HEAD';

	if (address.type === 'siteSearch') {
		if (ctx.method !== 'GET') throw httpError(405, 'BadRequest', 'Only GET is allowed on /sites.');
		const auth = ctx.requireAuth(access.SITE_READ);
		return ctx.json(200, searchSites(ctx, env, auth));
	}
	if (address.type === 'site') {
		const auth = ctx.requireAuth(access.SITE_READ);
		return ctx.json(200, env.json.site(access.findSite(env, auth, address.site)));
	}
	if (address.type === 'share') {
		const auth = ctx.requireAuth(access.READ);
		return ctx.json(200, env.sharingRoutes.shareInfo(ctx, address.id, auth));
	}
	if (address.type === 'drives') {
		const auth = ctx.requireAuth(access.READ);
		return ctx.json(200, listDrives(ctx, env, auth, address.owner));
	}

	const auth = ctx.requireAuth(isWrite ? access.WRITE : access.READ);
	const { drive, sharedItem } = access.resolveDriveRef(env, auth, address.drive);
	const part = address.item;
	const userId = auth.appOnly ? null : auth.userId;

	// Writes by path name items that may not exist yet: resolve them before reading the target.
	if (ctx.method === 'PUT' && part.action === 'content') {
		return env.upload.simpleUpload(ctx, drive, access.resolveWriteTarget(env, drive, part, sharedItem), userId);
	}
	if (ctx.method === 'POST' && part.action === 'createUploadSession') {
		return env.upload.createSession(ctx, drive, access.resolveWriteTarget(env, drive, part, sharedItem), userId);
	}

	const item = access.resolveItem(env, drive, part, sharedItem);
	if (!item) return driveLevel(ctx, env, drive, part);
	checkIfMatch(ctx, env, item);

	switch (`${ctx.method} ${part.action}`) {
		case 'GET ':
			return ctx.json(200, applySelect(env.json.item(item), ctx.query.$select, httpError));
		case 'GET children':
			if (!item.isFolder) throw httpError(400, 'invalidRequest', 'The item is a file; only folders have children.');
			return ctx.json(200, pageOf(ctx, env.store.childrenOf(item), (child) => env.json.item(child), {
				scope: `children:${item.id}`,
				context: `${ctx.sandbox.graphUrl}/v1.0/$metadata#drives('${drive.id}')/items('${item.id}')/children`,
			}));
		case 'GET content':
			if (item.isFolder) throw httpError(400, 'invalidRequest', 'A folder has no content to download.');
			return ctx.redirect(302, env.json.downloadUrl(item));
		case 'GET search':
			return ctx.json(200, search(ctx, env, item, parseSearchQuery(part.actionArg)));
		case 'GET delta':
			return env.delta(ctx, drive, item, part.actionArg);
		case 'GET versions':
			if (item.isFolder) throw httpError(400, 'invalidRequest', 'Folders have no versions.');
			return ctx.json(200, { value: [env.json.currentVersion(item), ...item.versions.map((v) => env.json.version(item, v))] });
		case 'GET version':
		case 'GET versionContent': {
			const current = `${item.versions.length + 1}.0`;
			const version = item.versions.find((v) => v.id === part.actionArg);
			if (part.actionArg !== current && !version && part.actionArg !== 'current') {
				throw httpError(404, 'itemNotFound', `Version '${part.actionArg}' of the item does not exist.`);
			}
			if (part.action === 'versionContent') {
				return ctx.redirect(302, version ? env.json.downloadUrl(item, version.id) : env.json.downloadUrl(item));
			}
			return ctx.json(200, version ? env.json.version(item, version) : env.json.currentVersion(item));
		}
		case 'GET permissions':
			return ctx.json(200, { value: [...env.store.links.values()].filter((l) => l.itemId === item.id).map((l) => env.json.permission(l)) });
		case 'POST children':
			return createChild(ctx, env, item, userId);
		case 'POST copy':
			return env.copy.startCopy(ctx, auth, item);
		case 'POST createLink':
			return env.sharingRoutes.createLink(ctx, item, auth);
		case 'PATCH ':
			return updateItem(ctx, env, auth, item);
		case 'DELETE ':
			env.store.deleteItem(item);
			return ctx.send(204, null);
		default:
			throw httpError(405, 'BadRequest', `${ctx.method} is not supported on this resource.`);
	}
}

/** @param {import('../router').Context} ctx @param {RouteEnv} env @param {import('./drives-state').Drive} drive @param {import('./drives-address').ItemPart} part */
function driveLevel(ctx, env, drive, part) {
	if (ctx.method === 'GET' && part.action === '') return ctx.json(200, env.json.drive(drive));
	if (ctx.method === 'GET' && part.action === 'search') {
		return ctx.json(200, search(ctx, env, env.store.getItem(drive.rootId), parseSearchQuery(part.actionArg)));
	}
	throw httpError(400, 'BadRequest', 'Unsupported request on a drive: address an item (/root, /items/{id}).');
}

/** If-Match with a stale eTag → 412 (only when the client sends one). @param {import('../router').Context} ctx @param {RouteEnv} env @param {import('./drives-state').Item} item */
function checkIfMatch(ctx, env, item) {
	const ifMatch = ctx.headers['if-match'];
	if (!ifMatch || ifMatch === '*' || ctx.method === 'GET') return;
	const json = env.json.item(item);
	if (ifMatch !== json.eTag && ifMatch !== json.cTag) {
		throw httpError(412, 'resourceModified', 'The resource has changed since the caller last read it (If-Match does not match the eTag).');
	}
}

/** POST children: folders only (files are uploaded with PUT content or an upload session). */
async function createChild(/** @type {import('../router').Context} */ ctx, /** @type {RouteEnv} */ env, /** @type {import('./drives-state').Item} */ parent, /** @type {string | null} */ userId) {
	const body = await ctx.readJson();
	if (!body || typeof body !== 'object') throw httpError(400, 'invalidRequest', 'The request body must be a driveItem with "name" and "folder": {}.');
	if (!parent.isFolder) throw httpError(400, 'invalidRequest', 'Children can only be created in a folder.');
	if (!body.folder) throw httpError(400, 'invalidRequest', 'Only folders can be created with POST children: add "folder": {} (upload files with PUT .../content).');
	const behavior = body['@microsoft.graph.conflictBehavior'] ?? ctx.query['@microsoft.graph.conflictBehavior'];
	const existingBefore = parent.children?.get(String(body.name).toLowerCase());
	const folder = env.store.createFolder(parent, body.name, behavior, userId);
	if (body.description !== undefined) folder.description = String(body.description);
	return ctx.json(existingBefore === folder.id ? 200 : 201, env.json.item(folder));
}

/** PATCH: rename, move (parentReference.id / path), description. */
async function updateItem(/** @type {import('../router').Context} */ ctx, /** @type {RouteEnv} */ env, /** @type {import('../router').AuthInfo} */ auth, /** @type {import('./drives-state').Item} */ item) {
	const body = await ctx.readJson();
	if (!body || typeof body !== 'object') throw httpError(400, 'invalidRequest', 'The request body must be a JSON driveItem.');
	/** @type {{ name?: string, parent?: import('./drives-state').Item, behavior?: string, description?: string }} */
	const change = { behavior: body['@microsoft.graph.conflictBehavior'] ?? ctx.query['@microsoft.graph.conflictBehavior'] };
	if (body.name !== undefined) change.name = body.name;
	if (body.description !== undefined) change.description = String(body.description);
	const ref = body.parentReference;
	if (ref) {
		const targetDriveId = ref.driveId ?? item.driveId;
		if (targetDriveId !== item.driveId) {
			throw httpError(400, 'invalidRequest', 'Moving an item to another drive is not supported; copy it instead.');
		}
		const drive = env.store.getDrive(targetDriveId);
		access.assertDriveAccess(env, auth, drive);
		if (ref.id) change.parent = env.store.getItem(ref.id, drive.id);
		else if (typeof ref.path === 'string') {
			const m = /^\/drives?(?:\/[^/]+)?\/root:(.*)$/.exec(ref.path);
			if (!m) throw httpError(400, 'invalidRequest', 'parentReference.path must look like /drive/root:/folder.');
			change.parent = env.store.resolvePath(env.store.getItem(drive.rootId), m[1]);
		}
	}
	return ctx.json(200, env.json.item(env.store.updateItem(item, change)));
}

/**
 * Name search below `scope` (all words must occur in the name, case-insensitive), paged.
 * @param {import('../router').Context} ctx @param {RouteEnv} env @param {import('./drives-state').Item} scope @param {string} q
 */
function search(ctx, env, scope, q) {
	const words = q.toLowerCase().split(/\s+/).filter(Boolean);
	const hits = [];
	for (const node of env.store.walk(scope)) {
		if (node === scope || !node.parentId) continue;
		const name = node.name.toLowerCase();
		if (words.every((w) => name.includes(w))) hits.push(node);
	}
	return pageOf(ctx, hits, (node) => ({ ...env.json.item(node), searchResult: {} }), { scope: `search:${scope.id}:${q}` });
}

/** @param {import('../router').Context} ctx @param {RouteEnv} env @param {import('../router').AuthInfo} auth */
function searchSites(ctx, env, auth) {
	const q = (ctx.query.search ?? '').toLowerCase().replace(/^"|"$/g, '');
	const sites = [...env.store.sites.values()].filter((site) => site.tenantId === auth.tenantId
		&& (q === '' || q === '*' || site.displayName.toLowerCase().includes(q) || site.name.toLowerCase().includes(q)
			|| site.webUrl.toLowerCase().includes(q)));
	return pageOf(ctx, sites, (site) => env.json.site(site), { scope: `sites:${q}`, select: false });
}

/**
 * @param {import('../router').Context} ctx @param {RouteEnv} env @param {import('../router').AuthInfo} auth
 * @param {import('./drives-address').Address & { type: 'drives' } extends { owner: infer O } ? O : never} owner
 */
function listDrives(ctx, env, auth, owner) {
	/** @type {import('./drives-state').Drive[]} */
	let drives;
	if (owner.kind === 'me') drives = [access.driveOfUser(env, auth, access.meUserId(auth))];
	else if (owner.kind === 'user') drives = [access.driveOfUser(env, auth, access.findUserInTenant(env, auth, owner.id).id)];
	else if (owner.kind === 'group') drives = [env.store.getDrive(access.findGroup(env, auth, owner.id).driveId)];
	else drives = access.findSite(env, auth, owner.site).driveIds.map((id) => env.store.getDrive(id));
	return pageOf(ctx, drives, (drive) => env.json.drive(drive), { scope: `drives:${JSON.stringify(owner)}`, select: false });
}

module.exports = { registerDriveRoutes };
