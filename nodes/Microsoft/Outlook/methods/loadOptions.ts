/** Outlook's dropdown lists (n8n load options): mail folders for the trigger, well-known ones first. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { folderTree } from '../helpers/folders';
import { resolveMailbox } from '../helpers/mailbox';

/** Well-known folder names Graph accepts in place of an ID (they work in every mailbox and language). */
const WELL_KNOWN_FOLDERS: INodePropertyOptions[] = [
	{ name: 'Inbox', value: 'inbox' },
	{ name: 'Archive', value: 'archive' },
	{ name: 'Drafts', value: 'drafts' },
	{ name: 'Junk Email', value: 'junkemail' },
	{ name: 'Sent Items', value: 'sentitems' },
	{ name: 'Deleted Items', value: 'deleteditems' },
];

export async function getFolders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const folders = await folderTree(this, conn, { mailboxPath: resolveMailbox(this).path, recursive: true });
	const named = folders.map((entry) => ({ name: entry.path, value: String(entry.folder.id) })).sort((a, b) => a.name.localeCompare(b.name));
	return [...WELL_KNOWN_FOLDERS, ...named];
}

export const loadOptions = { getFolders };
