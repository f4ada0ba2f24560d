/** Outlook's pickers (n8n list search): mail folders with their paths, recent messages, plus the directory pickers. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { directoryPickers, searchText } from '../../shared/node/pickers';
import { listPage } from '../../shared/paging';
import { folderTree } from '../helpers/folders';
import { resolveMailbox } from '../helpers/mailbox';

const MESSAGES_PAGE_SIZE = 50;

async function connect(ctx: ILoadOptionsFunctions): Promise<MicrosoftConnection> {
	return await getConnection(ctx, credentialTypeOf(ctx));
}

export async function searchFolders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const text = searchText(filter).toLowerCase();
	const folders = await folderTree(this, conn, { mailboxPath: resolveMailbox(this).path, recursive: true });
	return {
		results: folders
			.filter((entry) => !text || entry.path.toLowerCase().includes(text))
			.sort((a, b) => a.path.localeCompare(b.path))
			.map((entry) => ({ name: entry.path, value: String(entry.folder.id) })),
	};
}

function messageEntry(message: IDataObject): INodeListSearchItems {
	const from = ((message.from as IDataObject | undefined)?.emailAddress as IDataObject | undefined)?.address;
	const when = typeof message.receivedDateTime === 'string' ? message.receivedDateTime.slice(0, 16).replace('T', ' ') : '';
	return {
		name: `${String(message.subject || '(no subject)')}${from ? ` — ${String(from)}` : ''}${when ? ` (${when})` : ''}`,
		value: String(message.id),
		...(typeof message.webLink === 'string' ? { url: message.webLink } : {}),
	};
}

/** Recent messages, newest first; typed words search subject, body and sender (Graph's $search). */
export async function searchMessages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const text = searchText(filter);
	const qs: IDataObject = { $top: MESSAGES_PAGE_SIZE, $select: 'id,subject,from,receivedDateTime,webLink' };
	// $search sorts by relevance and cannot be combined with $orderby.
	if (text) qs.$search = `"${text.replace(/"/g, '')}"`;
	else qs.$orderby = 'receivedDateTime desc';
	const page = await listPage(this, conn, `${resolveMailbox(this).path}/messages`, qs, paginationToken);
	return { results: page.items.map(messageEntry), paginationToken: page.paginationToken };
}

/** For the Outlook node's `methods.listSearch`. */
export const listSearch = { searchFolders, searchMessages, ...directoryPickers };
