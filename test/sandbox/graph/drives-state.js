// @ts-check
'use strict';

/**
 * The drive model of the sandbox: drives, sites, groups, items (a tree per drive), versions, sharing
 * links and a change sequence per drive for delta. Pure state, no HTTP: the route files translate
 * requests into calls here. Errors are thrown as `httpError(status, code, message)` from the core.
 *
 * File bodies live in `contentStore` (memory for small ones, disk for large ones); an item only keeps a
 * handle to its content.
 */

const crypto = require('node:crypto');
const { ContentStore } = require('./drives-content');

/**
 * @typedef {import('./drives-content').Content} Content
 * @typedef {{ id: string, label: string, size: number, lastModifiedDateTime: string, content: Content, hash: string, modifiedBy: string | null }} Version
 * @typedef {{
 *   id: string, driveId: string, parentId: string | null, name: string, isFolder: boolean,
 *   size: number, mimeType: string, createdDateTime: string, lastModifiedDateTime: string,
 *   createdBy: string | null, modifiedBy: string | null, eTagGuid: string, version: number, contentVersion: number,
 *   content: Content | null, hash: string | null, versions: Version[],
 *   children: Map<string, string> | null, sortedChildren: string[] | null,
 *   changeSeq: number, deleted: boolean, description?: string,
 *   webUrlOverride?: string,
 * }} Item
 * @typedef {{
 *   id: string, tenantId: string, driveType: 'business' | 'personal' | 'documentLibrary', name: string, description: string,
 *   ownerKind: 'user' | 'group' | 'site', ownerId: string, ownerName: string, siteId: string | null,
 *   webUrl: string, rootId: string, quotaTotal: number, seq: number, createdDateTime: string,
 *   denyAppOnly: boolean, deniedPrincipals: Set<string>, allowedUsers: Set<string> | null,
 *   linkBase: string, resyncOnce: boolean,
 * }} Drive
 * @typedef {{ id: string, tenantId: string, hostname: string, path: string, name: string, displayName: string,
 *   webUrl: string, createdDateTime: string, driveIds: string[], isRoot: boolean }} Site
 * @typedef {{ id: string, tenantId: string, displayName: string, mailNickname: string, siteId: string, driveId: string, memberIds: Set<string> }} Group
 * @typedef {{ id: string, token: string, itemId: string, type: string, scope: string, webUrl: string,
 *   expirationDateTime: string | null, hasPassword: boolean, createdBy: string | null }} SharingLink
 */

const INVALID_NAME_CHARS = /["*:<>?/\\|]/;
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|\.lock|desktop\.ini)$/i;
const MIME_BY_EXTENSION = /** @type {Record<string, string>} */ ({
	txt: 'text/plain', csv: 'text/csv', json: 'application/json', pdf: 'application/pdf', png: 'image/png',
	jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', zip: 'application/zip', html: 'text/html',
	xml: 'application/xml', md: 'text/markdown',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
});

/** @param {string} name */
function mimeTypeFor(name) {
	const dot = name.lastIndexOf('.');
	const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
	return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

class DriveStore {
	/**
	 * @param {{ httpError: (status: number, code: string, message: string) => Error, dir?: string, idSeed?: string }} options
	 */
	constructor(options) {
		this.httpError = options.httpError;
		this.content = new ContentStore(options.dir);
		/** @type {Map<string, Drive>} */ this.drives = new Map();
		/** @type {Map<string, Item>} */ this.items = new Map();
		/** @type {Map<string, Site>} */ this.sites = new Map();
		/** @type {Map<string, Group>} */ this.groups = new Map();
		/** @type {Map<string, SharingLink>} */ this.links = new Map();
		/** user id → OneDrive (business) drive id */
		/** @type {Map<string, string>} */ this.userDrives = new Map();
		/** the seeded OneDrive personal (consumer) drive, if any */
		/** @type {string | null} */ this.personalDriveId = null;
		this.idSeed = options.idSeed ?? 'sandbox';
		this.idCounter = 0;
	}

	// ---------- ids ----------

	/** Deterministic for seeded data (same order → same ids), unique for everything after. */
	nextDigest() {
		this.idCounter += 1;
		return crypto.createHash('sha256').update(`${this.idSeed}:${this.idCounter}`).digest();
	}

	/** OneDrive for Business / SharePoint item ids: "01" + 32 base32 characters. */
	newBusinessItemId() {
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
		const digest = this.nextDigest();
		let id = '01';
		for (let i = 0; i < 32; i++) id += alphabet[digest[i] & 31];
		return id;
	}

	/** Business drive ids look like "b!" + base64url. */
	newBusinessDriveId() {
		return 'b!' + Buffer.concat([this.nextDigest(), this.nextDigest()]).subarray(0, 48).toString('base64url');
	}

	/** Personal drive ids are 16 hex digits; its items are "<DRIVEID>!<n>". */
	newPersonalDriveId() {
		return this.nextDigest().subarray(0, 8).toString('hex').toUpperCase();
	}

	newGuid() {
		const hex = this.nextDigest().subarray(0, 16).toString('hex');
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}

	/** @param {Drive} drive */
	newItemId(drive) {
		if (drive.driveType === 'personal') return `${drive.id}!${this.idCounter++ + 100}`;
		return this.newBusinessItemId();
	}

	// ---------- drives, sites, groups ----------

	/**
	 * @param {{ tenantId: string, driveType: Drive['driveType'], name: string, ownerKind: Drive['ownerKind'], ownerId: string,
	 *   ownerName: string, siteId?: string | null, webUrl: string, linkBase: string, quotaTotal?: number, description?: string }} spec
	 */
	createDrive(spec) {
		const id = spec.driveType === 'personal' ? this.newPersonalDriveId() : this.newBusinessDriveId();
		const now = new Date().toISOString();
		/** @type {Drive} */
		const drive = {
			id, tenantId: spec.tenantId, driveType: spec.driveType, name: spec.name, description: spec.description ?? '',
			ownerKind: spec.ownerKind, ownerId: spec.ownerId, ownerName: spec.ownerName, siteId: spec.siteId ?? null,
			webUrl: spec.webUrl.replace('{driveId}', id), rootId: '', quotaTotal: spec.quotaTotal ?? 1024 ** 4, seq: 0, createdDateTime: now,
			denyAppOnly: false, deniedPrincipals: new Set(), allowedUsers: null, linkBase: spec.linkBase, resyncOnce: false,
		};
		this.drives.set(id, drive);
		const root = this.newItem(drive, null, 'root', true);
		drive.rootId = root.id;
		return drive;
	}

	/** @param {string} id */
	getDrive(id) {
		const drive = this.drives.get(id);
		if (!drive) throw this.httpError(404, 'itemNotFound', 'The drive could not be found.');
		return drive;
	}

	/** @param {Drive} drive */
	quota(drive) {
		let used = 0;
		for (const item of this.items.values()) {
			if (item.driveId === drive.id && !item.deleted && !item.isFolder) used += item.size;
		}
		const remaining = Math.max(0, drive.quotaTotal - used);
		const state = remaining === 0 ? 'exceeded' : remaining < drive.quotaTotal * 0.01 ? 'critical' : 'normal';
		return { deleted: 0, remaining, state, total: drive.quotaTotal, used };
	}

	/**
	 * @param {Drive} drive
	 * @param {number} bytes size the drive must still be able to hold
	 * @param {number} [replacing] size of the content being replaced (freed by the write)
	 */
	assertQuota(drive, bytes, replacing = 0) {
		if (bytes > this.quota(drive).remaining + replacing) {
			throw this.httpError(507, 'quotaLimitReached', 'Insufficient Space Available: the file is larger than the remaining quota of the drive.');
		}
	}

	// ---------- items ----------

	/**
	 * @param {Drive} drive
	 * @param {Item | null} parent
	 * @param {string} name
	 * @param {boolean} isFolder
	 * @param {{ createdBy?: string | null }} [meta]
	 * @returns {Item}
	 */
	newItem(drive, parent, name, isFolder, meta = {}) {
		const now = new Date().toISOString();
		/** @type {Item} */
		const item = {
			id: this.newItemId(drive), driveId: drive.id, parentId: parent ? parent.id : null, name, isFolder,
			size: 0, mimeType: isFolder ? '' : mimeTypeFor(name), createdDateTime: now, lastModifiedDateTime: now,
			createdBy: meta.createdBy ?? null, modifiedBy: meta.createdBy ?? null,
			eTagGuid: this.newGuid().toUpperCase(), version: 1, contentVersion: 1, content: null, hash: null, versions: [],
			children: isFolder ? new Map() : null, sortedChildren: null, changeSeq: ++drive.seq, deleted: false,
		};
		this.items.set(item.id, item);
		if (parent) {
			/** @type {Map<string, string>} */ (parent.children).set(name.toLowerCase(), item.id);
			this.touchFolder(parent);
		}
		return item;
	}

	/** A folder's child list, size and cTag change when a child comes or goes. @param {Item} folder */
	touchFolder(folder) {
		const drive = this.getDrive(folder.driveId);
		folder.sortedChildren = null;
		folder.contentVersion += 1;
		folder.changeSeq = ++drive.seq;
	}

	/** @param {Item} item */
	touchItem(item) {
		const drive = this.getDrive(item.driveId);
		item.version += 1;
		item.lastModifiedDateTime = new Date().toISOString();
		item.changeSeq = ++drive.seq;
	}

	/** @param {string} id @param {string} [driveId] */
	getItem(id, driveId) {
		const item = this.items.get(id);
		if (!item || item.deleted || (driveId !== undefined && item.driveId !== driveId)) {
			throw this.httpError(404, 'itemNotFound', 'The resource could not be found.');
		}
		return item;
	}

	/** @param {Item} item */
	parentOf(item) {
		return item.parentId ? this.items.get(item.parentId) ?? null : null;
	}

	/** "/a/b/c" below the drive root; "" for the root. @param {Item} item */
	pathOf(item) {
		const names = [];
		let current = /** @type {Item | null} */ (item);
		while (current && current.parentId) {
			names.unshift(current.name);
			current = this.parentOf(current);
		}
		return names.length ? '/' + names.join('/') : '';
	}

	/** Children in name order (cached until the folder changes). @param {Item} folder @returns {Item[]} */
	childrenOf(folder) {
		if (!folder.children) throw this.httpError(400, 'invalidRequest', 'The item is not a folder.');
		if (!folder.sortedChildren) {
			folder.sortedChildren = [...folder.children.values()].sort((a, b) => {
				const x = /** @type {Item} */ (this.items.get(a)).name.toLowerCase();
				const y = /** @type {Item} */ (this.items.get(b)).name.toLowerCase();
				return x < y ? -1 : x > y ? 1 : 0;
			});
		}
		return folder.sortedChildren.map((id) => /** @type {Item} */ (this.items.get(id)));
	}

	/** @param {Item} item @returns {Generator<Item>} the item and everything below it, parents first */
	*walk(item) {
		yield item;
		if (item.children) for (const child of this.childrenOf(item)) yield* this.walk(child);
	}

	/** @param {string} name */
	validateName(name) {
		if (typeof name !== 'string' || name.length === 0) {
			throw this.httpError(400, 'invalidRequest', 'The name of the item is missing.');
		}
		if (name.length > 255) throw this.httpError(400, 'invalidRequest', 'The name of the item is longer than 255 characters.');
		if (INVALID_NAME_CHARS.test(name)) {
			throw this.httpError(400, 'invalidRequest', `The name "${name}" contains a character OneDrive does not allow (" * : < > ? / \\ |).`);
		}
		if (name !== name.trim()) throw this.httpError(400, 'invalidRequest', 'The name of the item may not start or end with a space.');
		if (name === '.' || name === '..' || RESERVED_NAMES.test(name) || name.includes('_vti_')) {
			throw this.httpError(400, 'invalidRequest', `The name "${name}" is reserved.`);
		}
	}

	/**
	 * Resolves "a/b/c" (already decoded, relative to `base`).
	 * @param {Item} base @param {string} relativePath
	 */
	resolvePath(base, relativePath) {
		const segments = relativePath.split('/').filter((s) => s !== '');
		let current = base;
		for (const segment of segments) {
			if (segment === '.' || segment === '..') {
				throw this.httpError(400, 'invalidRequest', 'Relative path segments ("." or "..") are not allowed.');
			}
			const childId = current.children?.get(segment.toLowerCase());
			if (!childId) throw this.httpError(404, 'itemNotFound', 'The resource could not be found.');
			current = this.getItem(childId);
		}
		return current;
	}

	/**
	 * Splits "a/b/c" relative to base into (parent folder, leaf name) for creating the leaf; the parent must exist.
	 * @param {Item} base @param {string} relativePath
	 * @returns {{ parent: Item, name: string }}
	 */
	resolveParentForCreate(base, relativePath) {
		const segments = relativePath.split('/').filter((s) => s !== '');
		const name = segments.pop();
		if (name === undefined) throw this.httpError(400, 'invalidRequest', 'The path names no item.');
		const parent = this.resolvePath(base, segments.join('/'));
		if (!parent.isFolder) throw this.httpError(400, 'invalidRequest', 'The parent of the item is not a folder.');
		return { parent, name };
	}

	/**
	 * Picks the name to use in `parent` by the conflict behaviour; returns the existing item to replace, if any.
	 * @param {Item} parent @param {string} name @param {string | undefined} behavior @param {string} defaultBehavior
	 * @returns {{ name: string, existing: Item | null }}
	 */
	resolveConflict(parent, name, behavior, defaultBehavior) {
		const mode = behavior ?? defaultBehavior;
		if (!['fail', 'replace', 'rename'].includes(mode)) {
			throw this.httpError(400, 'invalidRequest', `Invalid @microsoft.graph.conflictBehavior "${mode}": use fail, replace or rename.`);
		}
		const existingId = parent.children?.get(name.toLowerCase());
		if (!existingId) return { name, existing: null };
		if (mode === 'fail') {
			throw this.httpError(409, 'nameAlreadyExists', `The specified item name "${name}" already exists.`);
		}
		if (mode === 'replace') return { name, existing: this.getItem(existingId) };
		const dot = name.lastIndexOf('.');
		const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
		for (let n = 1; ; n++) {
			const candidate = `${stem} ${n}${ext}`;
			if (!parent.children?.has(candidate.toLowerCase())) return { name: candidate, existing: null };
		}
	}

	/**
	 * @param {Item} parent @param {string} name @param {string | undefined} behavior @param {string | null} userId
	 */
	createFolder(parent, name, behavior, userId) {
		this.validateName(name);
		if (!parent.isFolder) throw this.httpError(400, 'invalidRequest', 'The parent of the item is not a folder.');
		const resolved = this.resolveConflict(parent, name, behavior, 'fail');
		if (resolved.existing) {
			if (resolved.existing.isFolder) return resolved.existing; // replace on a folder keeps it (its contents stay)
			this.deleteItem(resolved.existing);
		}
		return this.newItem(this.getDrive(parent.driveId), parent, resolved.name, true, { createdBy: userId });
	}

	/**
	 * Writes file content into parent/name (new file, or a new version of an existing file).
	 * @param {Item} parent @param {string} name @param {Content} content @param {{ size: number, hash: string }} facts
	 * @param {string | undefined} behavior @param {string | null} userId @param {Item | null} [target] file addressed by id
	 */
	writeFile(parent, name, content, facts, behavior, userId, target = null) {
		const drive = this.getDrive(parent.driveId);
		let existing = target;
		let finalName = name;
		if (!existing) {
			this.validateName(name);
			const resolved = this.resolveConflict(parent, name, behavior, 'replace');
			existing = resolved.existing;
			finalName = resolved.name;
		}
		if (existing && existing.isFolder) {
			throw this.httpError(409, 'nameAlreadyExists', `A folder named "${existing.name}" already exists here.`);
		}
		this.assertQuota(drive, facts.size, existing ? existing.size : 0);
		if (existing) {
			if (existing.content) {
				existing.versions.unshift({
					id: `${existing.versions.length + 1}.0`, label: `${existing.versions.length + 1}.0`, size: existing.size,
					lastModifiedDateTime: existing.lastModifiedDateTime, content: existing.content,
					hash: existing.hash ?? '', modifiedBy: existing.modifiedBy,
				});
			}
			existing.content = content;
			existing.size = facts.size;
			existing.hash = facts.hash;
			existing.modifiedBy = userId;
			existing.contentVersion += 1;
			this.touchItem(existing);
			return existing;
		}
		const item = this.newItem(drive, parent, finalName, false, { createdBy: userId });
		item.content = content;
		item.size = facts.size;
		item.hash = facts.hash;
		return item;
	}

	/** Marks the item and everything below it deleted (tombstones stay for delta). @param {Item} item */
	deleteItem(item) {
		if (!item.parentId) throw this.httpError(400, 'invalidRequest', 'The root of a drive cannot be deleted.');
		const drive = this.getDrive(item.driveId);
		const parent = this.parentOf(item);
		const doomed = [...this.walk(item)];
		for (const victim of doomed.reverse()) {
			victim.deleted = true;
			victim.changeSeq = ++drive.seq;
			if (victim.content) this.content.release(victim.content);
			for (const version of victim.versions) this.content.release(version.content);
		}
		if (parent) {
			/** @type {Map<string, string>} */ (parent.children).delete(item.name.toLowerCase());
			this.touchFolder(parent);
		}
	}

	/**
	 * Rename and/or move inside one drive.
	 * @param {Item} item @param {{ name?: string, parent?: Item, behavior?: string, description?: string }} change
	 */
	updateItem(item, change) {
		if (!item.parentId && (change.name !== undefined || change.parent)) {
			throw this.httpError(400, 'invalidRequest', 'The root of a drive cannot be renamed or moved.');
		}
		const oldParent = /** @type {Item} */ (this.parentOf(item));
		const newParent = change.parent ?? oldParent;
		const newName = change.name ?? item.name;
		if (change.name !== undefined) this.validateName(newName);
		if (newParent.driveId !== item.driveId) {
			throw this.httpError(400, 'invalidRequest', 'Moving an item to another drive is not supported; copy it instead.');
		}
		if (!newParent.isFolder) throw this.httpError(400, 'invalidRequest', 'The new parent is not a folder.');
		for (let p = /** @type {Item | null} */ (newParent); p; p = this.parentOf(p)) {
			if (p.id === item.id) throw this.httpError(400, 'invalidRequest', 'A folder cannot be moved into itself or one of its subfolders.');
		}
		const sameSlot = newParent.id === oldParent.id && newName.toLowerCase() === item.name.toLowerCase();
		let finalName = newName;
		if (!sameSlot) {
			const resolved = this.resolveConflict(newParent, newName, change.behavior, 'fail');
			if (resolved.existing) this.deleteItem(resolved.existing);
			finalName = resolved.name;
		}
		/** @type {Map<string, string>} */ (oldParent.children).delete(item.name.toLowerCase());
		this.touchFolder(oldParent);
		item.name = finalName;
		item.parentId = newParent.id;
		if (!item.isFolder && change.name !== undefined) item.mimeType = mimeTypeFor(finalName);
		/** @type {Map<string, string>} */ (newParent.children).set(finalName.toLowerCase(), item.id);
		if (newParent.id !== oldParent.id) this.touchFolder(newParent);
		if (change.description !== undefined) item.description = change.description;
		this.touchItem(item);
		// Moved folders change the path of everything below them: delta reports them again.
		const drive = this.getDrive(item.driveId);
		for (const below of this.walk(item)) if (below !== item) below.changeSeq = ++drive.seq;
		return item;
	}

	/**
	 * Copies an item (and its subtree) under `parent`. Content handles are shared (copy on write: a new write
	 * replaces the handle, never the bytes).
	 * @param {Item} source @param {Item} parent @param {string} name @param {string | null} userId
	 */
	copyItem(source, parent, name, userId) {
		this.validateName(name);
		const drive = this.getDrive(parent.driveId);
		const resolved = this.resolveConflict(parent, name, undefined, 'fail');
		let bytes = 0;
		for (const node of this.walk(source)) if (!node.isFolder) bytes += node.size;
		this.assertQuota(drive, bytes);
		/** @param {Item} from @param {Item} into @param {string} asName @returns {Item} */
		const copyTree = (from, into, asName) => {
			const copy = this.newItem(drive, into, asName, from.isFolder, { createdBy: userId });
			if (!from.isFolder && from.content) {
				copy.content = this.content.share(from.content);
				copy.size = from.size;
				copy.hash = from.hash;
				copy.mimeType = from.mimeType;
			}
			if (from.isFolder) for (const child of this.childrenOf(from)) copyTree(child, copy, child.name);
			return copy;
		};
		return copyTree(source, parent, resolved.name);
	}
}

module.exports = { DriveStore, mimeTypeFor };
