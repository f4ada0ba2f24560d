import type { IDataObject } from 'n8n-workflow';

/** Graph returns paths as `/drive/root:/A/B` or `/drives/{id}/root:/A/B`; users think in `/A/B`. */
export function drivePathOf(item: IDataObject): string | undefined {
	const parent = item.parentReference as IDataObject | undefined;
	const name = item.name as string | undefined;
	if (item.root) return '/';
	if (!parent || typeof parent.path !== 'string' || name === undefined) return undefined;
	const colon = parent.path.indexOf(':');
	const folder = colon >= 0 ? parent.path.slice(colon + 1) : '';
	return `${folder.replace(/\/+$/, '')}/${name}`;
}

/** The Graph properties `simplifyDriveItem` reads (sent as `$select` for Output → Simplified). */
export const SIMPLIFIED_SELECT = [
	'id', 'name', 'folder', 'package', 'file', 'size', 'webUrl', 'parentReference', 'createdDateTime', 'lastModifiedDateTime', 'lastModifiedBy', 'root',
];

/** The compact driveItem Output → Simplified returns: what a workflow usually needs, no facets soup. */
export function simplifyDriveItem(item: IDataObject): IDataObject {
	const file = item.file as IDataObject | undefined;
	const folder = item.folder as IDataObject | undefined;
	const parent = (item.parentReference as IDataObject | undefined) ?? {};
	const hashes = (file?.hashes as IDataObject | undefined) ?? {};
	const modifiedBy = ((item.lastModifiedBy as IDataObject | undefined)?.user as IDataObject | undefined) ?? {};
	const simple: IDataObject = {
		id: item.id,
		name: item.name,
		type: folder ? 'folder' : item.package ? 'package' : 'file',
		path: drivePathOf(item),
		size: item.size,
		webUrl: item.webUrl,
		driveId: parent.driveId,
		parentId: parent.id,
		createdDateTime: item.createdDateTime,
		lastModifiedDateTime: item.lastModifiedDateTime,
		lastModifiedBy: modifiedBy.displayName ?? modifiedBy.email,
	};
	if (file) {
		simple.mimeType = file.mimeType;
		if (hashes.quickXorHash) simple.quickXorHash = hashes.quickXorHash;
	}
	if (folder) simple.childCount = folder.childCount;
	for (const key of Object.keys(simple)) if (simple[key] === undefined) delete simple[key];
	return simple;
}
