import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { encodeUriText } from '../../shared/input';
import { odataString } from '../../shared/odata';
import { credentialTypeOf } from '../../shared/node/authentication';
import { directoryPickers, searchText } from '../../shared/node/pickers';
import { sitePath } from '../../shared/node/target';
import { drivePath, parentPathOf } from '../helpers/paths';
import { listPage, MAX_PAGE_SIZE, type ListPage } from '../../shared/paging';
import { graphRequest } from '../../shared/transport';
import { DRIVE_TARGET } from '../descriptions/drive';
import { resolveDrive } from '../helpers/drive';

/** Search has no documented maximum page; 200 is the service default page and is always accepted. */
const SEARCH_PAGE_SIZE = 200;
const ITEM_SELECT = 'id,name,folder,file,root,parentReference,webUrl';
export const FOLDER_MARK = '📁 ';

async function connect(ctx: ILoadOptionsFunctions): Promise<MicrosoftConnection> {
	return await getConnection(ctx, credentialTypeOf(ctx));
}

function isFolder(item: IDataObject): boolean {
	return item.folder !== undefined || item.root !== undefined;
}

/** A list entry: the drive-relative path (folders marked and ending in "/"), value = driveItem ID. */
export function toListEntry(item: IDataObject, knownParent?: string): INodeListSearchItems {
	const parent = knownParent ?? parentPathOf(item);
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
		page = await listPage(ctx, conn, url, { $top: MAX_PAGE_SIZE.driveChildren, $select: ITEM_SELECT }, paginationToken);
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

export async function searchLibraries(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const site = sitePath(this, DRIVE_TARGET.fields.site!.name);
	const text = searchText(filter).toLowerCase();
	const page = await listPage(this, conn, `${site}/drives`, { $select: 'id,name,webUrl,driveType' }, paginationToken);
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

/** For the OneDrive node's and trigger's `methods.listSearch`: their own pickers and the shared directory ones. */
export const listSearch = { searchItems, searchFolders, searchLibraries, ...directoryPickers };

