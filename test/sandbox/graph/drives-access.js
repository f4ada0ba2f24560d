// @ts-check
'use strict';

/**
 * Who may touch which drive, and turning a parsed address into (drive, item).
 * Scopes/roles are checked by the core's `ctx.requireAuth`; the per-drive rules here model OneDrive:
 * a user's OneDrive is its owner's (plus users it was opened to), a group drive its members', a site
 * library every user of the tenant's; app-only tokens reach every drive of their tenant unless the drive
 * was closed to apps (`denyAppOnly`, `deniedPrincipals`).
 */

const { httpError } = require('../router');

const READ = {
	scopes: ['Files.Read', 'Files.ReadWrite', 'Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All'],
	roles: ['Files.Read.All', 'Files.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All'],
};
const WRITE = {
	scopes: ['Files.ReadWrite', 'Files.ReadWrite.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All'],
	roles: ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All'],
};
const SITE_READ = {
	scopes: ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All', 'Files.Read.All', 'Files.ReadWrite.All'],
	roles: ['Sites.Read.All', 'Sites.ReadWrite.All', 'Sites.FullControl.All', 'Files.Read.All', 'Files.ReadWrite.All'],
};

const ME_APP_ONLY = '/me request is only valid with delegated authentication flow.';

/**
 * @typedef {import('./drives-state').Drive} Drive
 * @typedef {import('./drives-state').Item} Item
 * @typedef {import('../router').AuthInfo} AuthInfo
 * @typedef {{ store: import('./drives-state').DriveStore, json: import('./drives-json').DriveJson, state: any,
 *   sharing: { resolveShare: (id: string, auth: AuthInfo) => Item } }} Env
 */

/** @param {Env} env @param {AuthInfo} auth @param {Drive} drive */
function assertDriveAccess(env, auth, drive) {
	const denied = () => httpError(403, 'accessDenied', 'Access denied. The caller has no permission on this drive.');
	if (drive.tenantId !== auth.tenantId) throw denied();
	if (auth.appOnly) {
		if (drive.denyAppOnly || drive.deniedPrincipals.has(auth.appId)) throw denied();
		return;
	}
	const userId = /** @type {string} */ (auth.userId);
	if (drive.deniedPrincipals.has(userId)) throw denied();
	if (drive.allowedUsers?.has(userId)) return;
	if (drive.ownerKind === 'user' && drive.ownerId !== userId) throw denied();
	if (drive.ownerKind === 'group') {
		const group = env.store.groups.get(drive.ownerId);
		if (group && !group.memberIds.has(userId)) throw denied();
	}
}

/** @param {Env} env @param {AuthInfo} auth @param {string} idOrUpn */
function findUserInTenant(env, auth, idOrUpn) {
	const user = env.state.findUser(idOrUpn);
	if (!user || user.tenant !== auth.tenantId) {
		throw httpError(404, 'ResourceNotFound', `User '${idOrUpn}' was not found in this tenant.`);
	}
	return user;
}

/** @param {Env} env @param {AuthInfo} auth @param {string} userId */
function driveOfUser(env, auth, userId) {
	const driveId = env.store.userDrives.get(userId);
	if (!driveId) throw httpError(404, 'itemNotFound', "The user's OneDrive has not been provisioned.");
	const drive = env.store.getDrive(driveId);
	assertDriveAccess(env, auth, drive);
	return drive;
}

/** @param {AuthInfo} auth */
function meUserId(auth) {
	if (auth.appOnly || !auth.userId) throw httpError(400, 'BadRequest', ME_APP_ONLY);
	return auth.userId;
}

/** @param {Env} env @param {AuthInfo} auth @param {import('./drives-address').SiteRef} ref */
function findSite(env, auth, ref) {
	/** @type {import('./drives-state').Site | undefined} */
	let site;
	for (const candidate of env.store.sites.values()) {
		if (candidate.tenantId !== auth.tenantId) continue;
		if (ref.kind === 'id') {
			const key = ref.id.toLowerCase();
			if (key === 'root' ? candidate.isRoot
				: candidate.id.toLowerCase() === key || (candidate.isRoot && candidate.hostname === key)
				|| candidate.id.split(',')[1]?.toLowerCase() === key) site = candidate;
		} else if (candidate.hostname === ref.hostname && candidate.path.toLowerCase() === (ref.path || '').toLowerCase()) {
			site = candidate;
		}
		if (site) break;
	}
	if (!site) throw httpError(404, 'itemNotFound', 'Requested site could not be found');
	return site;
}

/** @param {Env} env @param {AuthInfo} auth @param {string} groupId */
function findGroup(env, auth, groupId) {
	const group = env.store.groups.get(groupId);
	if (!group || group.tenantId !== auth.tenantId) {
		throw httpError(404, 'ResourceNotFound', `Group '${groupId}' was not found in this tenant.`);
	}
	return group;
}

/**
 * @param {Env} env @param {AuthInfo} auth @param {import('./drives-address').DriveRef} ref
 * @returns {{ drive: Drive, sharedItem: Item | null }}
 */
function resolveDriveRef(env, auth, ref) {
	const { store } = env;
	switch (ref.kind) {
		case 'me':
			return { drive: driveOfUser(env, auth, meUserId(auth)), sharedItem: null };
		case 'user':
			return { drive: driveOfUser(env, auth, findUserInTenant(env, auth, ref.id).id), sharedItem: null };
		case 'group': {
			const group = findGroup(env, auth, ref.id);
			if (!group.driveId) throw httpError(404, 'itemNotFound', 'This group has no drive: only Microsoft 365 groups have one.');
			const drive = store.getDrive(group.driveId);
			assertDriveAccess(env, auth, drive);
			return { drive, sharedItem: null };
		}
		case 'drive': {
			const drive = store.getDrive(ref.id);
			assertDriveAccess(env, auth, drive);
			return { drive, sharedItem: null };
		}
		case 'siteDrive':
		case 'siteDriveById': {
			const site = findSite(env, auth, ref.site);
			const driveId = ref.kind === 'siteDrive' ? site.driveIds[0] : ref.id;
			if (!site.driveIds.includes(driveId)) throw httpError(404, 'itemNotFound', 'The drive could not be found in this site.');
			const drive = store.getDrive(driveId);
			assertDriveAccess(env, auth, drive);
			return { drive, sharedItem: null };
		}
		case 'share': {
			const item = env.sharing.resolveShare(ref.id, auth);
			return { drive: store.getDrive(item.driveId), sharedItem: item };
		}
		default:
			throw httpError(400, 'BadRequest', 'Unknown drive address.');
	}
}

/**
 * The item an address names (null = the drive itself).
 * @param {Env} env @param {Drive} drive @param {import('./drives-address').ItemPart} part @param {Item | null} sharedItem
 */
function resolveItem(env, drive, part, sharedItem) {
	const { store } = env;
	if (sharedItem) return sharedItem;
	if (part.base === 'drive') return null;
	const base = part.base === 'root' ? store.getItem(drive.rootId) : store.getItem(/** @type {string} */ (part.itemId), drive.id);
	return part.path ? store.resolvePath(base, part.path) : base;
}

/**
 * For writes by path (PUT content, createUploadSession): the parent folder and the new leaf name; when the
 * address names an existing item by id (no path), that item is the target.
 * @param {Env} env @param {Drive} drive @param {import('./drives-address').ItemPart} part @param {Item | null} sharedItem
 * @returns {{ parent: Item, name: string, target: Item | null }}
 */
function resolveWriteTarget(env, drive, part, sharedItem) {
	const { store } = env;
	if (part.base === 'drive') throw httpError(400, 'invalidRequest', 'Name an item: /root:/path/file:/content or /items/{id}/content.');
	if (sharedItem || !part.path) {
		const target = sharedItem ?? resolveItem(env, drive, part, null);
		if (!target || target.isFolder) throw httpError(400, 'invalidRequest', 'The target is a folder; address the file: /items/{parent-id}:/name:/content.');
		return { parent: /** @type {Item} */ (store.parentOf(target)), name: target.name, target };
	}
	const base = part.base === 'root' ? store.getItem(drive.rootId) : store.getItem(/** @type {string} */ (part.itemId), drive.id);
	const { parent, name } = store.resolveParentForCreate(base, part.path);
	return { parent, name, target: null };
}

module.exports = {
	READ, WRITE, SITE_READ, ME_APP_ONLY,
	assertDriveAccess, resolveDriveRef, resolveItem, resolveWriteTarget, findSite, findGroup, findUserInTenant, driveOfUser, meUserId,
};
