/** Mail folders with their paths ("Inbox/Projects/2026"), for the folder picker and folder Get Many. */
import type { IDataObject } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { graphGetAll, MAX_PAGE_SIZE } from '../../shared/paging';

/** Most folders one walk lists (nested levels included). */
const MAX_FOLDERS = 1000;

export interface FolderWalk {
	/** `/me` or `/users/{u}`. */
	mailboxPath: string;
	/** Graph path of the folder whose children to list; default: the mailbox's top level. */
	parentPath?: string;
	/** Also list folders below the children, breadth first. */
	recursive: boolean;
	/** `$select` (childFolderCount is always asked for, the walk needs it). */
	select?: string;
	/** Stop after this many folders (at most MAX_FOLDERS). */
	limit?: number;
	itemIndex?: number;
}

/** The folders (each with `path`), breadth first, at most `limit` (and MAX_FOLDERS). */
export async function folderTree(ctx: MicrosoftContext, conn: MicrosoftConnection, walk: FolderWalk): Promise<Array<{ path: string; folder: IDataObject }>> {
	const most = Math.min(walk.limit ?? MAX_FOLDERS, MAX_FOLDERS);
	const qs = { $select: `${walk.select ?? 'id,displayName'},childFolderCount` };
	const list = async (url: string, limit: number) =>
		await graphGetAll(ctx, conn, url, { pageSize: MAX_PAGE_SIZE.messages, qs, limit, itemIndex: walk.itemIndex, operation: 'list mail folders' });
	const first = walk.parentPath ? `${walk.parentPath}/childFolders` : `${walk.mailboxPath}/mailFolders`;
	const found = (await list(first, most)).map((folder) => ({ folder, path: String(folder.displayName) }));
	for (let index = 0; walk.recursive && index < found.length && found.length < most; index++) {
		const { folder, path } = found[index];
		if (!folder.childFolderCount) continue;
		const url = `${walk.mailboxPath}/mailFolders/${encodePathSegment(String(folder.id), 'Folder')}/childFolders`;
		for (const child of await list(url, most - found.length)) found.push({ folder: child, path: `${path}/${String(child.displayName)}` });
	}
	return found;
}
