// @ts-check
'use strict';

/**
 * Graph JSON shapes of the drive model (driveItem, drive, site, permission, driveItemVersion), property
 * names as in Graph's v1.0 CSDL, plus `$select` and signed pre-authenticated download URLs.
 */

const crypto = require('node:crypto');

/** driveItem + baseItem properties from the CSDL (what `$select` accepts). */
const DRIVE_ITEM_PROPERTIES = new Set([
	'id', 'createdBy', 'createdDateTime', 'description', 'eTag', 'lastModifiedBy', 'lastModifiedDateTime', 'name',
	'parentReference', 'webUrl', 'audio', 'bundle', 'content', 'cTag', 'deleted', 'file', 'fileSystemInfo', 'folder',
	'image', 'location', 'malware', 'package', 'pendingOperations', 'photo', 'publication', 'remoteItem', 'root',
	'searchResult', 'shared', 'sharepointIds', 'size', 'specialFolder', 'video', 'webDavUrl',
	'@microsoft.graph.downloadUrl',
]);

const DOWNLOAD_URL_LIFETIME_MS = 10 * 60 * 1000;

/** @param {string} segment */
function encodeSegment(segment) {
	return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

class DriveJson {
	/**
	 * @param {import('./drives-state').DriveStore} store
	 * @param {{ graphUrl: string, filesUrl: string }} urls
	 * @param {(userId: string | null) => { id: string, displayName: string, email?: string } | null} describeUser
	 */
	constructor(store, urls, describeUser) {
		this.store = store;
		this.urls = urls;
		this.describeUser = describeUser;
		this.signingKey = crypto.randomBytes(32);
	}

	/** @param {string | null} userId */
	identity(userId) {
		const user = this.describeUser(userId);
		if (user) return { user: { email: user.email, id: user.id, displayName: user.displayName } };
		return { application: { id: 'sandbox', displayName: 'Microsoft 365 sandbox' } };
	}

	/** @param {import('./drives-state').Drive} drive */
	drive(drive) {
		const owner = drive.ownerKind === 'user'
			? { user: { id: drive.ownerId, displayName: drive.ownerName } }
			: { group: { id: drive.ownerId, displayName: drive.ownerName } };
		return {
			id: drive.id, driveType: drive.driveType, name: drive.name, description: drive.description,
			createdDateTime: drive.createdDateTime, lastModifiedDateTime: drive.createdDateTime, webUrl: drive.webUrl,
			createdBy: { user: { displayName: 'System Account' } }, owner, quota: this.store.quota(drive),
		};
	}

	/** @param {import('./drives-state').Site} site */
	site(site) {
		const [, collectionId, webId] = site.id.split(',');
		return {
			id: site.id, name: site.name, displayName: site.displayName, webUrl: site.webUrl, isPersonalSite: false,
			createdDateTime: site.createdDateTime, lastModifiedDateTime: site.createdDateTime,
			siteCollection: { hostname: site.hostname, ...(site.isRoot ? { root: {} } : {}) },
			sharepointIds: { siteId: collectionId, webId, siteUrl: site.webUrl },
			...(site.isRoot ? { root: {} } : {}),
		};
	}

	/** Item URL as a browser opens it. @param {import('./drives-state').Item} item */
	webUrl(item) {
		if (item.webUrlOverride) return item.webUrlOverride;
		const drive = this.store.getDrive(item.driveId);
		if (drive.driveType === 'personal') {
			if (!item.parentId) return `https://onedrive.live.com/?cid=${drive.id}`;
			return `https://onedrive.live.com/?cid=${drive.id}&id=${encodeURIComponent(item.id)}`;
		}
		const relative = this.store.pathOf(item).split('/').filter(Boolean).map(encodeSegment).join('/');
		return relative ? `${drive.webUrl}/${relative}` : drive.webUrl;
	}

	/** @param {import('./drives-state').Item} item */
	parentReference(item) {
		const drive = this.store.getDrive(item.driveId);
		/** @type {Record<string, unknown>} */
		const ref = { driveType: drive.driveType, driveId: drive.id };
		if (drive.siteId) ref.siteId = drive.siteId;
		const parent = this.store.parentOf(item);
		if (!parent) return ref;
		ref.id = parent.id;
		ref.name = parent.parentId ? parent.name : 'root';
		ref.path = `/drives/${drive.id}/root:${this.store.pathOf(parent)}`;
		return ref;
	}

	/** Full driveItem. @param {import('./drives-state').Item} item */
	item(item) {
		/** @type {Record<string, unknown>} */
		const json = {};
		if (!item.isFolder && !item.deleted) {
			// Signed when read (JSON, a copy, $select naming it): a page whose $select leaves it out signs nothing.
			/** @type {string | undefined} */
			let url;
			Object.defineProperty(json, '@microsoft.graph.downloadUrl', {
				enumerable: true,
				configurable: true,
				get: () => (url ??= this.downloadUrl(item)),
				set: (value) => void (url = value),
			});
		}
		Object.assign(json, {
			createdDateTime: item.createdDateTime,
			eTag: `"{${item.eTagGuid}},${item.version}"`,
			id: item.id,
			lastModifiedDateTime: item.lastModifiedDateTime,
			name: item.parentId ? item.name : 'root',
			webUrl: this.webUrl(item),
			cTag: `"c:{${item.eTagGuid}},${item.contentVersion}"`,
			size: item.isFolder ? this.folderSize(item) : item.size,
			createdBy: this.identity(item.createdBy),
			lastModifiedBy: this.identity(item.modifiedBy),
			parentReference: this.parentReference(item),
			fileSystemInfo: { createdDateTime: item.createdDateTime, lastModifiedDateTime: item.lastModifiedDateTime },
		});
		if (item.description !== undefined) json.description = item.description;
		if (item.isFolder) json.folder = { childCount: item.children ? item.children.size : 0 };
		else json.file = { mimeType: item.mimeType, hashes: { quickXorHash: item.hash ?? '' } };
		if (!item.parentId) json.root = {};
		if (item.deleted) json.deleted = { state: 'deleted' };
		return json;
	}

	/** @param {import('./drives-state').Item} folder */
	folderSize(folder) {
		if (folder.deleted) return 0;
		let total = 0;
		for (const node of this.store.walk(folder)) if (!node.isFolder) total += node.size;
		return total;
	}

	/** The slim shape delta returns for deleted items. @param {import('./drives-state').Item} item */
	deletedItem(item) {
		const drive = this.store.getDrive(item.driveId);
		return {
			id: item.id, name: item.name, deleted: { state: 'deleted' },
			parentReference: { driveType: drive.driveType, driveId: drive.id, ...(item.parentId ? { id: item.parentId } : {}) },
			...(item.isFolder ? { folder: { childCount: 0 } } : { file: {} }),
			size: 0, lastModifiedDateTime: item.lastModifiedDateTime,
		};
	}

	/**
	 * @param {import('./drives-state').Item} item
	 * @param {import('./drives-state').Version} version
	 */
	version(item, version) {
		return {
			id: version.id, lastModifiedDateTime: version.lastModifiedDateTime, size: version.size,
			lastModifiedBy: this.identity(version.modifiedBy),
			'@microsoft.graph.downloadUrl': this.downloadUrl(item, version.id),
		};
	}

	/** @param {import('./drives-state').Item} item */
	currentVersion(item) {
		return {
			id: `${item.versions.length + 1}.0`, lastModifiedDateTime: item.lastModifiedDateTime, size: item.size,
			lastModifiedBy: this.identity(item.modifiedBy), '@microsoft.graph.downloadUrl': this.downloadUrl(item),
		};
	}

	/** @param {import('./drives-state').SharingLink} link */
	permission(link) {
		return {
			id: link.id,
			roles: [link.type === 'edit' ? 'write' : 'read'],
			shareId: link.token,
			hasPassword: link.hasPassword,
			...(link.expirationDateTime ? { expirationDateTime: link.expirationDateTime } : {}),
			link: { type: link.type, scope: link.scope, webUrl: link.webUrl, preventsDownload: false,
				...(link.type === 'embed' ? { webHtml: `<iframe src="${link.webUrl}" width="98" height="120" frameborder="0" scrolling="no"></iframe>` } : {}) },
		};
	}

	// ---------- pre-authenticated download URLs ----------

	/** @param {import('./drives-state').Item} item @param {string} [versionId] */
	downloadUrl(item, versionId) {
		const payload = Buffer.from(JSON.stringify({ i: item.id, v: versionId ?? null, e: Date.now() + DOWNLOAD_URL_LIFETIME_MS })).toString('base64url');
		const signature = crypto.createHmac('sha256', this.signingKey).update(payload).digest('base64url');
		return `${this.urls.filesUrl}/download/${payload}.${signature}`;
	}

	/** @param {string} token @returns {{ itemId: string, versionId: string | null } | 'expired' | null} */
	readDownloadToken(token) {
		const [payload, signature] = token.split('.');
		if (!payload || !signature) return null;
		const expected = crypto.createHmac('sha256', this.signingKey).update(payload).digest('base64url');
		if (expected.length !== signature.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return null;
		const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
		if (Date.now() > data.e) return 'expired';
		return { itemId: data.i, versionId: data.v };
	}
}

/**
 * Applies `$select` to one JSON object; unknown properties → 400 like Graph.
 * @param {Record<string, unknown>} json @param {string | undefined} select @param {(status: number, code: string, message: string) => Error} httpError
 */
function applySelect(json, select, httpError) {
	if (!select) return json;
	const wanted = select.split(',').map((s) => s.trim()).filter(Boolean);
	for (const name of wanted) {
		if (!DRIVE_ITEM_PROPERTIES.has(name)) {
			throw httpError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.driveItem'.`);
		}
	}
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const name of wanted) if (name in json) out[name] = json[name];
	return out;
}

module.exports = { DriveJson, applySelect, encodeSegment, DRIVE_ITEM_PROPERTIES };
