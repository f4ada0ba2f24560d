/**
 * Links from Teams' "Copy link" (team, channel or message), read without fetching them:
 * `https://teams.microsoft.com/l/team/19%3a…%40thread.tacv2/conversations?groupId=<team id>&tenantId=…`,
 * `https://teams.microsoft.com/l/channel/19%3a…%40thread.tacv2/General?groupId=<team id>&tenantId=…`,
 * `https://teams.microsoft.com/l/message/19%3a…%40thread.tacv2/1700000000000?…&groupId=<team id>…`.
 */

export interface TeamsLink {
	teamId?: string;
	/** The conversation (`19:…@thread.tacv2` / `…@thread.skype`): a channel's ID. */
	channelId?: string;
	messageId?: string;
}

export class TeamsLinkError extends Error {}

const KINDS = new Set(['team', 'channel', 'message']);

export function parseTeamsLink(text: string): TeamsLink {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		throw new TeamsLinkError('is not a link: paste the link from Teams ("Copy link")');
	}
	if (url.protocol !== 'https:') throw new TeamsLinkError('must start with https://');
	const parts = url.pathname.split('/').filter(Boolean);
	const at = parts.indexOf('l');
	const kind = at >= 0 ? parts[at + 1] : undefined;
	if (!kind || !KINDS.has(kind) || !parts[at + 2]) throw new TeamsLinkError('is not a Teams team, channel or message link (…/l/team/…, …/l/channel/…)');
	let conversation: string;
	try {
		conversation = decodeURIComponent(parts[at + 2]);
	} catch {
		throw new TeamsLinkError('has a broken %-escape');
	}
	const teamId = url.searchParams.get('groupId') ?? undefined;
	const link: TeamsLink = { teamId };
	if (kind === 'channel' || kind === 'message') link.channelId = conversation;
	if (kind === 'message') link.messageId = parts[at + 3] ?? url.searchParams.get('parentMessageId') ?? undefined;
	return link;
}
