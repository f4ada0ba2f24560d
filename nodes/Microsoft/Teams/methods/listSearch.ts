/** Teams' pickers (n8n list search): teams, a team's channels (reloads when the team changes), chats, and the directory ones. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { credentialTypeOf } from '../../shared/node/authentication';
import { locatorMode, locatorValue } from '../../shared/node/parameters';
import { directoryPickers, searchText } from '../../shared/node/pickers';
import { listPage } from '../../shared/paging';
import { parseTeamsLink } from '../helpers/teamsUrl';

function matches(text: string, ...values: unknown[]): boolean {
	return !text || values.some((value) => String(value ?? '').toLowerCase().includes(text.toLowerCase()));
}

export async function searchTeams(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const page = await listPage(this, conn, conn.appOnly ? '/teams' : '/me/joinedTeams', { $select: 'id,displayName,description' }, paginationToken);
	return {
		results: page.items.filter((team) => matches(text, team.displayName)).map((team) => ({ name: String(team.displayName ?? team.id), value: String(team.id) })),
		paginationToken: page.paginationToken,
	};
}

/** The team chosen in the editor (a pasted link gives its groupId). */
function currentTeam(ctx: ILoadOptionsFunctions): string {
	const value = locatorValue(ctx, 'teamId');
	if (locatorMode(ctx, 'teamId') !== 'url') return value;
	try {
		return parseTeamsLink(value).teamId ?? '';
	} catch {
		return '';
	}
}

export async function searchChannels(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const team = currentTeam(this);
	if (!team) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const page = await listPage(this, conn, `/teams/${encodePathSegment(team, 'Team')}/channels`, { $select: 'id,displayName,membershipType,webUrl' }, paginationToken);
	return {
		results: page.items
			.filter((channel) => matches(text, channel.displayName))
			.map((channel) => ({
				name: `${String(channel.displayName)}${channel.membershipType && channel.membershipType !== 'standard' ? ` (${String(channel.membershipType)})` : ''}`,
				value: String(channel.id),
				...(typeof channel.webUrl === 'string' ? { url: channel.webUrl } : {}),
			})),
		paginationToken: page.paginationToken,
	};
}

function chatName(chat: IDataObject): string {
	if (chat.topic) return String(chat.topic);
	const members = ((chat.members as IDataObject[] | undefined) ?? []).map((member) => String(member.displayName ?? '')).filter(Boolean);
	return members.length ? members.join(', ') : `${String(chat.chatType ?? 'chat')} ${String(chat.id).slice(0, 12)}`;
}

export async function searchChats(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const page = await listPage(this, conn, '/me/chats', { $expand: 'members', $top: 50 }, paginationToken);
	return {
		results: page.items.filter((chat) => matches(text, chatName(chat))).map((chat) => ({ name: chatName(chat), value: String(chat.id), ...(typeof chat.webUrl === 'string' ? { url: chat.webUrl } : {}) })),
		paginationToken: page.paginationToken,
	};
}

export async function searchPlans(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const team = currentTeam(this);
	if (!team) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	// A team is a Microsoft 365 group: its plans belong to the group of the same ID.
	const page = await listPage(this, conn, `/groups/${encodePathSegment(team, 'Team')}/planner/plans`, {}, paginationToken);
	return { results: page.items.filter((plan) => matches(text, plan.title)).map((plan) => ({ name: String(plan.title ?? plan.id), value: String(plan.id) })), paginationToken: page.paginationToken };
}

export async function searchBuckets(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const plan = locatorValue(this, 'planId');
	if (!plan) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const text = searchText(filter);
	const page = await listPage(this, conn, `/planner/plans/${encodePathSegment(plan, 'Plan')}/buckets`, {}, paginationToken);
	return { results: page.items.filter((bucket) => matches(text, bucket.name)).map((bucket) => ({ name: String(bucket.name ?? bucket.id), value: String(bucket.id) })), paginationToken: page.paginationToken };
}

/** For the Teams node's `methods.listSearch`. */
export const listSearch = { searchTeams, searchChannels, searchChats, searchPlans, searchBuckets, ...directoryPickers };
