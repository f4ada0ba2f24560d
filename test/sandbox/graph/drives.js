// @ts-check
'use strict';

/**
 * OneDrive / SharePoint in the Microsoft 365 sandbox. `register` wires the Graph routes (drives, sites,
 * items, uploads, delta, copy, sharing), the files-host routes (download, upload session, copy monitor),
 * the `/_sandbox/drives/*` control routes, and `sandbox.drives` (the test helper API, see README.md).
 */

const crypto = require('node:crypto');
const { Readable } = require('node:stream');
const { httpError } = require('../router');
const { DriveStore } = require('./drives-state');
const { DriveJson } = require('./drives-json');
const { createUploadHandlers } = require('./drives-upload');
const { createDeltaHandler } = require('./drives-delta');
const { createCopyHandlers } = require('./drives-copy');
const { createSharing, encodeShareUrl } = require('./drives-sharing');
const { registerDriveRoutes } = require('./drives-routes');
const { registerControlRoutes } = require('./drives-control');
const { registerGroupRoutes } = require('./drives-groups');
const { seedDrives } = require('./drives-seed');

/**
 * @param {import('../router').Router} router
 * @param {any} sandbox the object startSandbox returns (urls, state, stop)
 */
function register(router, sandbox) {
	const state = sandbox.state;
	const store = new DriveStore({ httpError });
	const urls = { get graphUrl() { return sandbox.graphUrl; }, get filesUrl() { return sandbox.filesUrl; } };
	const json = new DriveJson(store, urls, (userId) => {
		const user = userId ? state.users.get(userId) : null;
		return user ? { id: user.id, displayName: user.displayName, email: user.mail ?? user.userPrincipalName } : null;
	});
	/** @type {import('./drives-access').Env} */
	const base = { store, json, state, sharing: /** @type {any} */ (null) };
	const sharing = createSharing(base);
	base.sharing = sharing;
	const upload = createUploadHandlers({ store, json });
	const delta = createDeltaHandler({ store, json });
	const copy = createCopyHandlers(base);
	registerDriveRoutes(router, { ...base, upload, delta, copy, sharingRoutes: sharing });
	upload.register(router);
	copy.register(router);
	registerGroupRoutes(router, { store, state });

	const api = createHelperApi({ store, json, upload, copy, sharing, state });
	seedDrives(store, state, (driveId, path, content) => api.addFile(driveId, path, content), (driveId, path) => api.addFolder(driveId, path));
	registerControlRoutes(router, api);
	state.drives = store;
	sandbox.drives = api;

	const stop = sandbox.stop;
	sandbox.stop = async () => {
		await stop();
		store.content.removeAll();
	};
}

/**
 * The helper API tests use (also behind /_sandbox/drives/* for other processes).
 * @param {{ store: DriveStore, json: DriveJson, upload: ReturnType<typeof createUploadHandlers>,
 *   copy: ReturnType<typeof createCopyHandlers>, sharing: ReturnType<typeof createSharing>, state: any }} parts
 */
function createHelperApi({ store, json, upload, copy, sharing, state }) {
	/** @param {string} driveId @param {string} path @returns {import('./drives-state').Item} */
	const folderAt = (driveId, path) => {
		const drive = store.getDrive(driveId);
		let node = store.getItem(drive.rootId);
		for (const segment of path.split('/').filter(Boolean)) {
			const childId = node.children?.get(segment.toLowerCase());
			node = childId ? store.getItem(childId) : store.createFolder(node, segment, 'fail', null);
			if (!node.isFolder) throw new Error(`sandbox.drives: "${segment}" in ${path} is a file`);
		}
		return node;
	};
	/** @param {string} path */
	const splitPath = (path) => {
		const segments = path.split('/').filter(Boolean);
		const name = segments.pop();
		if (!name) throw new Error(`sandbox.drives: "${path}" names no file`);
		return { folder: '/' + segments.join('/'), name };
	};

	const api = {
		store,
		/** OneDrive (business) drive id of a user (id or UPN). @param {string} userIdOrUpn */
		driveIdOfUser(userIdOrUpn) {
			const user = state.findUser(userIdOrUpn);
			const driveId = user ? store.userDrives.get(user.id) : undefined;
			if (!driveId) throw new Error(`sandbox.drives: no OneDrive for ${userIdOrUpn}`);
			return driveId;
		},
		/** the seeded OneDrive personal drive id */
		personalDriveId() {
			return /** @type {string} */ (store.personalDriveId);
		},
		/** @param {string} tenantId @param {string} name site name ('' = root site) */
		site(tenantId, name) {
			const site = [...store.sites.values()].find((s) => s.tenantId === tenantId && s.name.toLowerCase() === name.toLowerCase());
			if (!site) throw new Error(`sandbox.drives: no site "${name}"`);
			return site;
		},
		/** @param {string} tenantId @param {string} displayName */
		group(tenantId, displayName) {
			const group = [...store.groups.values()].find((g) => g.tenantId === tenantId && g.displayName === displayName);
			if (!group) throw new Error(`sandbox.drives: no group "${displayName}"`);
			return group;
		},
		/**
		 * Several files and folders at once; missing parent folders are created.
		 * @param {string} driveId @param {{ files?: Record<string, Buffer | string>, folders?: string[] }} spec
		 * @returns {Record<string, Record<string, unknown>>} driveItem JSON by the path given
		 */
		seed(driveId, spec) {
			/** @type {Record<string, Record<string, unknown>>} */
			const created = {};
			for (const folder of spec.folders ?? []) created[folder] = api.addFolder(driveId, folder);
			for (const [path, content] of Object.entries(spec.files ?? {})) created[path] = api.addFile(driveId, path, content);
			return created;
		},
		/** mkdir -p. @param {string} driveId @param {string} path */
		addFolder(driveId, path) {
			return json.item(folderAt(driveId, path));
		},
		/** Creates or replaces a file (missing folders are created). @param {string} driveId @param {string} path @param {Buffer | string} content */
		addFile(driveId, path, content) {
			const { folder, name } = splitPath(path);
			const parent = folderAt(driveId, folder);
			const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
			const { quickXorHash } = require('../quickXorHash');
			const item = store.writeFile(parent, name, store.content.fromBuffer(buffer), { size: buffer.length, hash: quickXorHash(buffer) }, 'replace', null);
			return json.item(item);
		},
		/**
		 * A large file of deterministic pseudo-random bytes, streamed to disk (for 1 GiB benchmarks).
		 * @param {string} driveId @param {string} path @param {number} size
		 */
		async addLargeFile(driveId, path, size) {
			const { folder, name } = splitPath(path);
			const parent = folderAt(driveId, folder);
			const received = await store.content.receive(patternStream(size), { limit: Number.MAX_SAFE_INTEGER, onTooLarge: () => new Error('too large') });
			return json.item(store.writeFile(parent, name, received.content, received, 'replace', null));
		},
		/** A folder with `count` small files item-00001.txt ... (for paging tests). @param {string} driveId @param {string} path @param {number} count */
		bulkFolder(driveId, path, count) {
			const folder = folderAt(driveId, path);
			const drive = store.getDrive(driveId);
			const { quickXorHash } = require('../quickXorHash');
			const width = Math.max(5, String(count).length);
			for (let n = 1; n <= count; n++) {
				const name = `item-${String(n).padStart(width, '0')}.txt`;
				if (folder.children?.has(name)) continue;
				const buffer = Buffer.from(`Item ${n}\n`);
				const item = store.newItem(drive, folder, name, false);
				item.content = store.content.fromBuffer(buffer);
				item.size = buffer.length;
				item.hash = quickXorHash(buffer);
			}
			return json.item(folder);
		},
		/** driveItem JSON or null. @param {string} driveId @param {string} path */
		itemByPath(driveId, path) {
			try {
				return json.item(store.resolvePath(store.getItem(store.getDrive(driveId).rootId), path));
			} catch {
				return null;
			}
		},
		/** @param {string} itemId */
		itemById(itemId) {
			const item = store.items.get(itemId);
			return item && !item.deleted ? json.item(item) : null;
		},
		/** Bytes of a file (small files; tests). @param {string} itemId */
		contentOf(itemId) {
			const item = store.getItem(itemId);
			if (!item.content) throw new Error('sandbox.drives: not a file');
			return store.content.readAll(item.content);
		},
		/** @param {string} driveId @param {string} path */
		deleteByPath(driveId, path) {
			store.deleteItem(store.resolvePath(store.getItem(store.getDrive(driveId).rootId), path));
		},
		/** @param {string} driveId @param {string} path @param {string} newName */
		renameByPath(driveId, path, newName) {
			return json.item(store.updateItem(store.resolvePath(store.getItem(store.getDrive(driveId).rootId), path), { name: newName }));
		},
		/** The next delta request with a token on this drive answers 410 resyncRequired. @param {string} driveId */
		requireResync(driveId) {
			store.getDrive(driveId).resyncOnce = true;
		},
		/** @param {string} driveId @param {number} totalBytes */
		setQuota(driveId, totalBytes) {
			store.getDrive(driveId).quotaTotal = totalBytes;
		},
		/** Close a drive to all app-only tokens and/or one principal (user id or app id). @param {string} driveId @param {{ appOnly?: boolean, principal?: string }} rule */
		denyAccess(driveId, rule) {
			const drive = store.getDrive(driveId);
			if (rule.appOnly) drive.denyAppOnly = true;
			if (rule.principal) drive.deniedPrincipals.add(rule.principal.toLowerCase());
		},
		/** Copy monitor behaviour: polls answered inProgress before the result, and whether it fails. */
		copyBehavior: copy.behavior,
		/** Cut the connection after `afterBytes` of the next fragment (`times` fragments). @param {{ afterBytes: number, times?: number }} cut */
		cutNextFragment(cut) {
			upload.cutNextFragment(cut);
		},
		/** number of open upload sessions */
		openUploadSessions() {
			return upload.sessions.size;
		},
		/** `u!...` share id for a URL. @param {string} url */
		shareIdFor(url) {
			return encodeShareUrl(url);
		},
		/** The item a pasted URL names, or null (what /shares resolves). @param {string} url */
		itemForUrl(url) {
			const item = sharing.itemForUrl(url);
			return item ? json.item(item) : null;
		},
		/** Everything about drives, for listing in tests and the control routes. */
		listDrives() {
			return [...store.drives.values()].map((drive) => ({ ...json.drive(drive), siteId: drive.siteId, tenantId: drive.tenantId }));
		},
		listSites() {
			return [...store.sites.values()].map((site) => ({ ...json.site(site), tenantId: site.tenantId, driveIds: site.driveIds }));
		},
	};
	return api;
}

/** Deterministic bytes without holding them: 1 MiB chunks of a seeded pattern. @param {number} size */
function patternStream(size) {
	const block = crypto.createHash('sha256').update('sandbox-pattern').digest();
	const chunk = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < chunk.length; i += block.length) block.copy(chunk, i);
	let left = size;
	let counter = 0;
	return new Readable({
		read() {
			if (left <= 0) return void this.push(null);
			const n = Math.min(left, chunk.length);
			const out = Buffer.from(chunk.subarray(0, n));
			if (n >= 4) out.writeUInt32LE(counter++ >>> 0, 0);
			left -= n;
			this.push(out);
		},
	});
}

module.exports = { register };
