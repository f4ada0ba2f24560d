/** Outlook's calendar, event and contact pickers (n8n list search); they follow the Mailbox field. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { searchText } from '../../shared/node/pickers';
import { odataString } from '../../shared/odata';
import { graphGetAll, listPage, MAX_PAGE_SIZE } from '../../shared/paging';
import { resolveMailbox } from '../helpers/mailbox';

/** A screenful; the editor asks for the next page on scroll. */
const PAGE_SIZE = 50;
/** Most calendars the picker lists (a mailbox rarely has more than a few). */
const MAX_CALENDARS = 1000;

/** Every calendar, the default one first; typed text filters by name. */
export async function searchCalendars(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter).toLowerCase();
	const calendars = await graphGetAll(this, conn, `${resolveMailbox(this).path}/calendars`, {
		pageSize: MAX_PAGE_SIZE.calendars,
		limit: MAX_CALENDARS,
		qs: { $select: 'id,name,isDefaultCalendar' },
	});
	return {
		results: calendars
			.filter((calendar) => !text || String(calendar.name ?? '').toLowerCase().includes(text))
			.sort((a, b) => Number(b.isDefaultCalendar === true) - Number(a.isDefaultCalendar === true) || String(a.name).localeCompare(String(b.name)))
			.map((calendar) => ({ name: `${String(calendar.name)}${calendar.isDefaultCalendar ? ' (default)' : ''}`, value: String(calendar.id) })),
	};
}

function eventName(event: IDataObject): string {
	const start = (event.start as IDataObject | undefined)?.dateTime;
	const when = typeof start === 'string' ? ` (${start.slice(0, 16).replace('T', ' ')} UTC)` : '';
	return `${String(event.subject || '(no subject)')}${when}`;
}

/**
 * Events from today on, soonest first; typed text searches the subject. (Outlook sorts only by a property the
 * filter starts with, hence start, not end.) A series is listed once, at its first start.
 */
export async function searchEvents(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const today = `${new Date().toISOString().slice(0, 10)}T00:00:00`;
	const clauses = [`start/dateTime ge ${odataString(today)}`, ...(text ? [`contains(subject,${odataString(text)})`] : [])];
	const qs = { $top: PAGE_SIZE, $select: 'id,subject,start,webLink', $filter: clauses.join(' and '), $orderby: 'start/dateTime' };
	const page = await listPage(this, conn, `${resolveMailbox(this).path}/events`, qs, paginationToken);
	return {
		results: page.items.map((event) => ({ name: eventName(event), value: String(event.id), ...(typeof event.webLink === 'string' ? { url: event.webLink } : {}) })),
		paginationToken: page.paginationToken,
	};
}

/** Contacts by name; typed text matches the start of the name. */
export async function searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const qs: IDataObject = { $top: PAGE_SIZE, $select: 'id,displayName,emailAddresses' };
	if (text) qs.$filter = `startswith(displayName,${odataString(text)})`;
	else qs.$orderby = 'displayName';
	const page = await listPage(this, conn, `${resolveMailbox(this).path}/contacts`, qs, paginationToken);
	return {
		results: page.items.map((contact) => {
			const address = ((contact.emailAddresses as IDataObject[] | undefined)?.[0] as IDataObject | undefined)?.address;
			return { name: `${String(contact.displayName || '(no name)')}${address ? ` (${String(address)})` : ''}`, value: String(contact.id) };
		}),
		paginationToken: page.paginationToken,
	};
}

export const calendarPickers = { searchCalendars, searchEvents, searchContacts };
