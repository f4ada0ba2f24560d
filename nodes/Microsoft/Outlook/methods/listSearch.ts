/** Outlook's pickers (n8n list search): mail folders with their paths, recent messages, drafts, a message's attachments, plus the directory pickers. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { directoryPickers, searchText } from '../../shared/node/pickers';
import { encodePathSegment } from '../../shared/input';
import { locatorValue } from '../../shared/node/parameters';
import { graphGetAll, listPage } from '../../shared/paging';
import { locatorId } from '../actions/common';
import { folderTree } from '../helpers/folders';
import { resolveMailbox } from '../helpers/mailbox';
import { calendarPickers } from './calendarSearch';

const MESSAGES_PAGE_SIZE = 50;
/** Most attachments the attachment picker lists (a message rarely has more than a few dozen). */
const MAX_ATTACHMENTS_LISTED = 500;

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

/** A page of `{path}/messages`, newest first; typed words search subject, body and sender (Graph's $search). */
async function messagePage(ctx: ILoadOptionsFunctions, path: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await connect(ctx);
	const text = searchText(filter);
	const qs: IDataObject = { $top: MESSAGES_PAGE_SIZE, $select: 'id,subject,from,receivedDateTime,webLink' };
	// $search sorts by relevance and cannot be combined with $orderby.
	if (text) qs.$search = `"${text.replace(/"/g, '')}"`;
	else qs.$orderby = 'receivedDateTime desc';
	const page = await listPage(ctx, conn, `${path}/messages`, qs, paginationToken);
	return { results: page.items.map(messageEntry), paginationToken: page.paginationToken };
}

/** Recent messages of the whole mailbox. */
export async function searchMessages(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await messagePage(this, resolveMailbox(this).path, filter, paginationToken);
}

/** The messages in Drafts. */
export async function searchDrafts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await messagePage(this, `${resolveMailbox(this).path}/mailFolders/drafts`, filter, paginationToken);
}

/** The attachments of the message chosen in "Message" (none until one is chosen); typed text filters by name. */
export async function searchAttachments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	if (!locatorValue(this, 'messageId')) return { results: [] };
	const message = encodePathSegment(locatorId.call(this, 'messageId', 'Message', 0), 'Message');
	const conn = await connect(this);
	const text = searchText(filter).toLowerCase();
	const attachments = await graphGetAll(this, conn, `${resolveMailbox(this).path}/messages/${message}/attachments`, { qs: { $select: 'id,name,size' }, limit: MAX_ATTACHMENTS_LISTED });
	return {
		results: attachments
			.filter((attachment) => !text || String(attachment.name ?? '').toLowerCase().includes(text))
			.map((attachment) => ({ name: `${String(attachment.name || '(no name)')} (${Number(attachment.size ?? 0).toLocaleString('en')} bytes)`, value: String(attachment.id) })),
	};
}

/** For the Outlook node's `methods.listSearch`. */
export const listSearch = { searchAttachments, searchDrafts, searchFolders, searchMessages, ...calendarPickers, ...directoryPickers };
