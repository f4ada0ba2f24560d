/**
 * The polling trigger's reads, for n8n instances Graph cannot call back. Each event has the cheapest exact feed
 * Graph offers: channel-message delta (with replies) per channel, a time window on a chat's messages, and the full
 * list of chats / members / channels compared with the previous poll's. State is written only after a whole poll
 * succeeded and every emitted ID is remembered, so each item is emitted once across polls, failures and restarts;
 * nothing that existed when watching started is emitted.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { readDeltaChanges, rememberSeen, serverTime, type DeltaState } from '../../shared/node/deltaTrigger';
import { graphGetAll, graphPages } from '../../shared/paging';
import type { WatchedScope } from './events';

/** Most channels one "all channels of the team" poll reads (one delta feed each). */
export const MAX_WATCHED_CHANNELS = 50;
/** Most IDs a list-comparing event remembers (chats, members — a team has at most 25,000 —, channels). */
export const MAX_KNOWN_IDS = 25_000;
/** A chat poll reads this far back before the previous poll, so late-indexed messages are still seen (IDs dedupe). */
const OVERLAP_MS = 2 * 60 * 1000;

export interface PollingState {
	scopeKey?: string;
	/** Server time (ISO) watching started: nothing created before it is emitted. */
	startedAt?: string;
	/** Channel events: one delta state per channel. */
	channels?: Record<string, DeltaState>;
	/** Chat messages: time of the previous poll and the message IDs emitted or present at the start. */
	since?: string;
	seen?: Record<string, string>;
	/** Chats, members, channels: the IDs the previous poll listed. */
	known?: string[];
}

const createdAfter = (item: IDataObject, startedAt: string) => Date.parse(String(item.createdDateTime ?? '')) >= Date.parse(startedAt);
const live = (message: IDataObject) => !message.deletedDateTime;

/** The channels a channel event reads: the chosen one, or the team's (at most MAX_WATCHED_CHANNELS). */
async function watchedChannels(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope): Promise<string[]> {
	if (scope.channelId) return [scope.channelId];
	const channels = await graphGetAll(ctx, conn, `/teams/${encodePathSegment(scope.teamId!, 'Team')}/channels`, { qs: { $select: 'id' }, operation: "list the team's channels" });
	return channels.map((channel) => String(channel.id)).slice(0, MAX_WATCHED_CHANNELS);
}

function channelMessagesPath(scope: WatchedScope, channelId: string): string {
	return `/teams/${encodePathSegment(scope.teamId!, 'Team')}/channels/${encodePathSegment(channelId, 'Channel')}/messages`;
}

async function pollChannels(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope, state: PollingState): Promise<IDataObject[]> {
	const changes: IDataObject[] = [];
	const next: Record<string, DeltaState> = {};
	for (const channelId of await watchedChannels(ctx, conn, scope)) {
		const base = channelMessagesPath(scope, channelId);
		const { changes: found, state: channelState } = await readDeltaChanges(ctx, conn, {
			scopeKey: `${scope.key}|${channelId}`,
			deltaUrl: `${base}/delta`,
			// Graph has no "latest" token for messages: the first round asks only for what changed from now on.
			startQuery: (now) => ({ $filter: `lastModifiedDateTime gt ${now}`, $expand: 'replies' }),
			operation: 'read new Teams channel messages',
			baseline: (entries, fresh) => {
				for (const root of entries) {
					rememberSeen((fresh.seen ??= {}), String(root.id), 'm');
					for (const reply of (root.replies as IDataObject[] | undefined) ?? []) rememberSeen(fresh.seen, String(reply.id), 'r');
				}
			},
			decide: (entries, channel) => {
				const out: IDataObject[] = [];
				const startedAt = channel.startedAt ?? state.startedAt!;
				for (const root of entries) {
					const { replies, ...message } = root;
					const candidates = scope.event === 'channelReply' ? ((replies as IDataObject[] | undefined) ?? []) : [message];
					for (const item of candidates) {
						const id = String(item.id);
						if (channel.seen?.[id] || !live(item) || !createdAfter(item, startedAt)) continue;
						rememberSeen((channel.seen ??= {}), id, scope.event === 'channelReply' ? 'r' : 'm');
						out.push(item);
					}
				}
				return out;
			},
		}, state.channels?.[channelId]);
		changes.push(...found);
		next[channelId] = channelState;
	}
	state.channels = next;
	return changes;
}

async function pollChatMessages(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope, state: PollingState): Promise<IDataObject[]> {
	const seen = (state.seen ??= {});
	let pollTime = new Date().toISOString();
	const since = new Date(Date.parse(state.since ?? state.startedAt!) - OVERLAP_MS).toISOString();
	const found: IDataObject[] = [];
	for await (const page of graphPages(ctx, conn, `/chats/${encodePathSegment(scope.chatId!, 'Chat')}/messages`, {
		qs: { $orderby: 'lastModifiedDateTime desc', $filter: `lastModifiedDateTime gt ${since}` },
		pageSize: 50,
		operation: 'read new Teams chat messages',
		onPage: (_body, response) => (pollTime = serverTime(response)),
	})) {
		found.push(...page);
	}
	const changes: IDataObject[] = [];
	// Oldest first, as they were posted.
	for (const message of found.reverse()) {
		const id = String(message.id);
		if (seen[id] || !live(message) || message.messageType === 'systemEventMessage' || !createdAfter(message, state.startedAt!)) continue;
		rememberSeen(seen, id, 'm');
		changes.push(message);
	}
	state.since = pollTime;
	return changes;
}

function listUrl(scope: WatchedScope): string {
	return scope.resource; // /me/chats, /chats, /teams/{t}/members, /teams/{t}/channels (already encoded)
}

async function pollNewInList(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope, state: PollingState, first: boolean): Promise<IDataObject[]> {
	const items = await graphGetAll(ctx, conn, listUrl(scope), { operation: `list Teams ${scope.kind}s` });
	// New = present now and absent at the previous poll (a member removed and added again is new again).
	const known = new Set(state.known ?? []);
	const changes = first ? [] : items.filter((item) => !known.has(String(item.id)));
	state.known = items.map((item) => String(item.id)).slice(0, MAX_KNOWN_IDS);
	return changes;
}

/** One poll: the new items (oldest first where Graph tells), and the state to store when it succeeded. */
export async function pollTeams(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope, stored: PollingState | undefined): Promise<{ changes: IDataObject[]; state: PollingState }> {
	const fresh = !stored || stored.scopeKey !== scope.key;
	const state: PollingState = fresh ? { scopeKey: scope.key, startedAt: new Date().toISOString() } : JSON.parse(JSON.stringify(stored));
	switch (scope.event) {
		case 'channelMessage':
		case 'channelReply':
			return { changes: await pollChannels(ctx, conn, scope, state), state };
		case 'chatMessage':
			return { changes: fresh ? [] : await pollChatMessages(ctx, conn, scope, state), state };
		default:
			return { changes: await pollNewInList(ctx, conn, scope, state, fresh), state };
	}
}

/** Items a manual run ("Fetch test event") shows. */
const SAMPLE_SIZE = 5;

/**
 * Manual runs ("Fetch test event"): a few recent items of the watched kind, shaped as a poll emits them, so later nodes
 * have real fields to map. Nothing is stored (an activated trigger still starts from its activation).
 */
export async function sampleTeams(ctx: IPollFunctions, conn: MicrosoftConnection, scope: WatchedScope): Promise<IDataObject[]> {
	const first = async (url: string, qs: IDataObject, keep: (item: IDataObject) => boolean, operation: string) =>
		await graphGetAll(ctx, conn, url, { qs, pageSize: qs.$top as number | undefined, limit: SAMPLE_SIZE, keep, operation });
	switch (scope.event) {
		case 'channelMessage':
		case 'channelReply': {
			// Channel by channel (a whole team's channels in their listed order) until the sample is full.
			const sample: IDataObject[] = [];
			for (const channelId of await watchedChannels(ctx, conn, scope)) {
				if (sample.length >= SAMPLE_SIZE) break;
				const url = channelMessagesPath(scope, channelId);
				if (scope.event === 'channelMessage') {
					sample.push(...(await first(url, { $top: 20 }, live, 'read recent Teams channel messages')));
				} else {
					const roots = await graphGetAll(ctx, conn, url, { qs: { $expand: 'replies' }, pageSize: 20, limit: 20, operation: 'read recent Teams channel replies' });
					sample.push(...roots.flatMap((root) => ((root.replies as IDataObject[] | undefined) ?? []).filter(live)));
				}
			}
			return sample.slice(0, SAMPLE_SIZE);
		}
		case 'chatMessage':
			return await first(
				`/chats/${encodePathSegment(scope.chatId!, 'Chat')}/messages`,
				{ $top: 20, $orderby: 'lastModifiedDateTime desc' },
				(message) => live(message) && message.messageType !== 'systemEventMessage',
				'read recent Teams chat messages',
			);
		default:
			return await first(listUrl(scope), {}, () => true, `list Teams ${scope.kind}s`);
	}
}
