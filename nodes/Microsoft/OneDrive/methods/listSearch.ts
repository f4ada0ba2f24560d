import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { assertWellFormedText, encodeUriText } from '../../shared/input';
import { drivePath, odataString } from '../../shared/odata';
import { listPage, type ListPage } from '../../shared/paging';
import { graphRequest } from '../../shared/transport';
import { credentialTypeOf } from '../descriptions/authentication';
import { resolveDrive, sitePathOf } from '../helpers/driveLocation';

/** Largest children page OneDrive accepts. */
const CHILDREN_PAGE_SIZE = 1000;
/** Search has no documented maximum page; 200 is the service default page and is always accepted. */
const SEARCH_PAGE_SIZE = 200;
const DIRECTORY_PAGE_SIZE = 100;
const ITEM_SELECT = 'id,name,folder,file,root,parentReference,webUrl';
export const FOLDER_MARK = '📁 ';

async function connect(ctx: ILoadOptionsFunctions): Promise<MicrosoftConnection> {
	return await getConnection(ctx, credentialTypeOf(ctx));
}

/** The text typed into a picker's search box, trimmed; broken Unicode is refused before any request. */
function searchText(filter: string | undefined): string {
	return assertWellFormedText((filter ?? '').trim(), 'Search');
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** Drive-relative folder of an item from `parentReference.path` (`/drive/root:/Reports/2026` → `Reports/2026`). */
export function relativeParentPath(item: IDataObject): string | undefined {
	const path = (item.parentReference as IDataObject | undefined)?.path;
	if (typeof path !== 'string') return undefined;
	const at = path.indexOf('root:');
	if (at < 0) return undefined;
	return safeDecode(path.slice(at + 'root:'.length)).replace(/^\/+|\/+$/g, '');
}

function isFolder(item: IDataObject): boolean {
	return item.folder !== undefined || item.root !== undefined;
}

/** A list entry: the drive-relative path (folders marked and ending in "/"), value = driveItem ID. */
export function toListEntry(item: IDataObject, knownParent?: string): INodeListSearchItems {
	const parent = knownParent ?? relativeParentPath(item);
	const name = String(item.name ?? item.id);
	const path = parent ? `${parent}/${name}` : name;
	const folder = isFolder(item);
	return {
		name: folder ? `${FOLDER_MARK}${path}/` : path,
		value: String(item.id),
		...(typeof item.webUrl === 'string' ? { url: item.webUrl } : {}),
	};
}

/** ID of a browsed folder: from its children's parentReference (no request), or one GET when it is empty. */
async function browsedFolderId(
	ctx: ILoadOptionsFunctions,
	conn: MicrosoftConnection,
	basePath: string,
	folderPath: string,
	page: ListPage,
): Promise<string> {
	const fromChild = (page.items[0]?.parentReference as IDataObject | undefined)?.id;
	if (typeof fromChild === 'string') return fromChild;
	const response = await graphRequest(ctx, conn, {
		method: 'GET',
		url: `${basePath}/root:${drivePath(folderPath, 'Search')}`,
		qs: { $select: 'id' },
	});
	return String((response.body as IDataObject).id);
}

async function listDriveItems(
	ctx: ILoadOptionsFunctions,
	filter: string | undefined,
	paginationToken: string | undefined,
	foldersOnly: boolean,
): Promise<INodeListSearchResult> {
	const conn = await connect(ctx);
	const drive = resolveDrive(ctx);
	const text = searchText(filter);
	let page: ListPage;
	let knownParent: string | undefined;
	const results: INodeListSearchItems[] = [];
	if (text === '' || text.endsWith('/')) {
		// Browse a folder: '' is the drive root, 'Reports/2026/' that folder.
		knownParent = text.replace(/^\/+|\/+$/g, '');
		const url = knownParent ? `${drive.basePath}/root:${drivePath(knownParent, 'Search')}:/children` : `${drive.basePath}/root/children`;
		page = await listPage(ctx, conn, url, { $top: CHILDREN_PAGE_SIZE, $select: ITEM_SELECT }, paginationToken);
		if (foldersOnly && !paginationToken) {
			// A folder picker must also offer the folder being browsed itself.
			if (knownParent === '') results.push({ name: `${FOLDER_MARK}/ (drive root)`, value: 'root' });
			else {
				const id = await browsedFolderId(ctx, conn, drive.basePath, knownParent, page);
				results.push({ name: `${FOLDER_MARK}${knownParent}/ (this folder)`, value: id });
			}
		}
	} else {
		// Graph's search(q='...') function: the text is an OData string literal inside the path.
		const literal = odataString(text).slice(1, -1);
		const url = `${drive.basePath}/root/search(q='${encodeUriText(literal)}')`;
		page = await listPage(ctx, conn, url, { $top: SEARCH_PAGE_SIZE, $select: ITEM_SELECT }, paginationToken);
	}
	for (const item of page.items) {
		if (foldersOnly && !isFolder(item)) continue;
		results.push(toListEntry(item, knownParent));
	}
	return { results, paginationToken: page.paginationToken };
}

export async function searchItems(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listDriveItems(this, filter, paginationToken, false);
}

export async function searchFolders(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await listDriveItems(this, filter, paginationToken, true);
}

/** `startswith(property,'text')` with the text quoted as an OData string. */
function startsWith(property: string, text: string): string {
	return `startswith(${property},${odataString(text)})`;
}

export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const text = searchText(filter);
	const qs: IDataObject = { $top: DIRECTORY_PAGE_SIZE, $select: 'id,displayName,userPrincipalName,mail' };
	// One clause keeps the query a basic one (no ConsistencyLevel needed): a typed "@" means a UPN.
	if (text) qs.$filter = startsWith(text.includes('@') ? 'userPrincipalName' : 'displayName', text);
	const page = await listPage(this, conn, '/users', qs, paginationToken);
	return {
		results: page.items.map((user) => ({
			name: user.displayName ? `${String(user.displayName)} (${String(user.userPrincipalName ?? user.mail ?? '')})` : String(user.userPrincipalName),
			value: String(user.id),
		})),
		paginationToken: page.paginationToken,
	};
}

export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const text = searchText(filter);
	const qs: IDataObject = { $top: DIRECTORY_PAGE_SIZE, $select: 'id,displayName,mail,groupTypes' };
	if (text) qs.$filter = startsWith('displayName', text);
	const page = await listPage(this, conn, '/groups', qs, paginationToken);
	// Only Microsoft 365 ("Unified") groups have a drive; others are hidden when Graph says what they are.
	const groups = page.items.filter(
		(group) => !Array.isArray(group.groupTypes) || (group.groupTypes as unknown[]).includes('Unified'),
	);
	return {
		results: groups.map((group) => ({
			name: group.mail ? `${String(group.displayName)} (${String(group.mail)})` : String(group.displayName),
			value: String(group.id),
		})),
		paginationToken: page.paginationToken,
	};
}

export async function searchSites(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const text = searchText(filter);
	const page = await listPage(this, conn, '/sites', { search: text || '*', $select: 'id,displayName,name,webUrl' }, paginationToken);
	return {
		results: page.items.map((site) => ({
			name: `${String(site.displayName ?? site.name ?? site.id)}${site.webUrl ? ` (${String(site.webUrl)})` : ''}`,
			value: String(site.id),
			...(typeof site.webUrl === 'string' ? { url: site.webUrl } : {}),
		})),
		paginationToken: page.paginationToken,
	};
}

export async function searchLibraries(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const sitePath = sitePathOf(this);
	const text = searchText(filter).toLowerCase();
	const page = await listPage(this, conn, `${sitePath}/drives`, { $select: 'id,name,webUrl,driveType' }, paginationToken);
	const drives = page.items.filter((drive) => !text || String(drive.name ?? '').toLowerCase().includes(text));
	return {
		results: drives.map((drive) => ({
			name: String(drive.name ?? drive.id),
			value: String(drive.id),
			...(typeof drive.webUrl === 'string' ? { url: drive.webUrl } : {}),
		})),
		paginationToken: page.paginationToken,
	};
}

/** For the node's `methods.listSearch`. */
export const listSearch = { searchItems, searchFolders, searchUsers, searchGroups, searchSites, searchLibraries };

