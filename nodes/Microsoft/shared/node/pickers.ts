/**
 * The directory pickers every node shares (n8n list search): users, Microsoft 365 groups, SharePoint sites.
 * A node lists them in its `methods.listSearch` next to its own pickers.
 */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../connection';
import { assertWellFormedText } from '../input';
import { odataString } from '../odata';
import { listPage } from '../paging';
import { credentialTypeOf } from './authentication';

/** Directory lists page at 100: the editor shows a screenful and asks for more on scroll. */
const DIRECTORY_PAGE_SIZE = 100;

/** The text typed into a picker's search box, trimmed; broken Unicode is refused before any request. */
export function searchText(filter: string | undefined): string {
	return assertWellFormedText((filter ?? '').trim(), 'Search');
}

/** `startswith(property,'text')` with the text quoted as an OData string. */
function startsWith(property: string, text: string): string {
	return `startswith(${property},${odataString(text)})`;
}

export async function searchUsers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const qs: Record<string, string | number> = { $top: DIRECTORY_PAGE_SIZE, $select: 'id,displayName,userPrincipalName,mail' };
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

/** Microsoft 365 ("Unified") groups: the ones with files, a mailbox and possibly a team. */
export async function searchGroups(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const qs: Record<string, string | number> = { $top: DIRECTORY_PAGE_SIZE, $select: 'id,displayName,mail,groupTypes' };
	if (text) qs.$filter = startsWith('displayName', text);
	const page = await listPage(this, conn, '/groups', qs, paginationToken);
	// Others (security, distribution) are hidden when Graph says what they are.
	const groups = page.items.filter((group) => !Array.isArray(group.groupTypes) || (group.groupTypes as unknown[]).includes('Unified'));
	return {
		results: groups.map((group) => ({
			name: group.mail ? `${String(group.displayName)} (${String(group.mail)})` : String(group.displayName),
			value: String(group.id),
		})),
		paginationToken: page.paginationToken,
	};
}

export async function searchSites(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
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

/** For a node's `methods.listSearch`. */
export const directoryPickers = { searchUsers, searchGroups, searchSites };
