/**
 * Polling on a Graph delta feed, for any trigger: the first activation starts from "now" (`token=latest`),
 * each poll follows the stored link to the next one, a 410 resync restarts from now, at most
 * MAX_ENTRIES_PER_POLL entries are held per poll (a larger backlog continues in the next poll), and the
 * state lives in the workflow's static data — written only when a poll succeeded, so a failed poll is
 * repeated, not skipped. What counts as a change is the node's `decide`.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../connection';
import { httpStatusOf, toNodeApiError } from '../errors';
import { withoutPreAuthenticatedUrls } from '../output';
import { graphPages } from '../paging';
import { graphRequest, type MicrosoftResponse } from '../transport';

/** Most delta entries one poll holds in memory. */
export const MAX_ENTRIES_PER_POLL = 10_000;
/** Most ids a trigger remembers; the oldest are forgotten first. */
export const MAX_SEEN = 5000;

/** What every delta trigger keeps in static data; nodes add their own fields. */
export interface DeltaState {
	/** Identifies the watched scope; another value starts over from "now". */
	scopeKey?: string;
	/** Where the next poll continues: a delta link, or a next-page link when a backlog was cut. */
	deltaLink?: string;
	/** Server time (ISO) of the previous finished poll. */
	since?: string;
	/** Server time (ISO) watching started (first poll, or the restart after a 410). */
	startedAt?: string;
	/** id → short tag of what was last emitted. Oldest first, at most MAX_SEEN. */
	seen?: Record<string, string>;
}

export interface DeltaTriggerSpec<State extends DeltaState> {
	scopeKey: string;
	/** The delta function's URL, asked with `token=latest` to start from now. */
	deltaUrl: string;
	/** For error texts: "read drive changes". */
	operation: string;
	/** The node's advice for Microsoft's error codes (see ErrorContext.advice). */
	advice?: Record<string, string>;
	/** Node set-up on first activation or a changed scope (e.g. resolve the watched folder). */
	setUp?: (state: State) => Promise<void>;
	/** The changes to emit from one poll's entries (feed order); may update `state`. */
	decide: (entries: IDataObject[], state: State, sinceMs: number) => IDataObject[];
	maxEntriesPerPoll?: number;
}

/**
 * Server time of a response. The Date header has whole seconds only; the local clock, clamped into that
 * second, adds the milliseconds.
 */
export function serverTime(response: Pick<MicrosoftResponse, 'headers'>, localNow = Date.now()): string {
	const header = Date.parse(response.headers.date ?? '');
	if (!Number.isFinite(header)) return new Date(localNow).toISOString();
	return new Date(Math.min(Math.max(localNow, header), header + 999)).toISOString();
}

/** Remembers `id` as most recent (object keys keep insertion order). */
export function rememberSeen(seen: Record<string, string>, id: string, tag: string): void {
	delete seen[id];
	seen[id] = tag;
}

/** Forgets the oldest ids beyond `max`. */
export function pruneSeen(seen: Record<string, string>, max = MAX_SEEN): void {
	const ids = Object.keys(seen);
	for (let i = 0; i < ids.length - max; i++) delete seen[ids[i]];
}

async function startFromNow<State extends DeltaState>(ctx: IPollFunctions, conn: MicrosoftConnection, spec: DeltaTriggerSpec<State>, state: State): Promise<void> {
	const response = await graphRequest<IDataObject>(ctx, conn, {
		method: 'GET',
		url: spec.deltaUrl,
		qs: { token: 'latest' },
		operation: `start to ${spec.operation}`,
		advice: spec.advice,
	});
	const deltaLink = response.body?.['@odata.deltaLink'];
	if (typeof deltaLink !== 'string') throw new Error('Graph returned no delta link for token=latest');
	state.deltaLink = deltaLink;
	state.since = serverTime(response);
	state.startedAt = state.since;
}

interface DeltaRead {
	entries: IDataObject[];
	link: string;
	finished: boolean;
	time: string;
}

/** Follows `link` to the feed's end or the entry bound; undefined for a 410 resync. */
async function readDelta<State extends DeltaState>(
	ctx: IPollFunctions,
	conn: MicrosoftConnection,
	link: string,
	spec: DeltaTriggerSpec<State>,
): Promise<DeltaRead | undefined> {
	const { operation, advice } = spec;
	const maxEntries = spec.maxEntriesPerPoll ?? MAX_ENTRIES_PER_POLL;
	const entries: IDataObject[] = [];
	let last: { body: IDataObject; response: MicrosoftResponse } | undefined;
	try {
		for await (const page of graphPages(ctx, conn, link, { operation, advice, onPage: (body, response) => (last = { body, response }) })) {
			entries.push(...page);
			const nextPage = last?.body['@odata.nextLink'];
			if (entries.length >= maxEntries && typeof nextPage === 'string') {
				return { entries, link: nextPage, finished: false, time: serverTime(last!.response) };
			}
		}
	} catch (error) {
		if (httpStatusOf(error) === 410) return undefined;
		throw error;
	}
	const next = last?.body['@odata.deltaLink'];
	if (!last || typeof next !== 'string') throw new Error(`The change feed did not end with a delta link (${operation})`);
	return { entries, link: next, finished: true, time: serverTime(last.response) };
}

/** One poll of a delta trigger: emitted changes, or null when there are none. */
export async function pollDelta<State extends DeltaState>(
	ctx: IPollFunctions,
	conn: MicrosoftConnection,
	spec: DeltaTriggerSpec<State>,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	try {
		const stored = staticData.tracker as State | undefined;
		// A plain copy (static data is n8n's observable proxy): the stored state changes only when this poll succeeds.
		const state = JSON.parse(JSON.stringify(stored ?? {})) as State;
		if (!stored || stored.scopeKey !== spec.scopeKey || !stored.deltaLink) {
			const fresh = { scopeKey: spec.scopeKey, seen: {} } as State;
			await spec.setUp?.(fresh);
			await startFromNow(ctx, conn, spec, fresh);
			staticData.tracker = fresh;
			return null;
		}
		const delta = await readDelta(ctx, conn, state.deltaLink!, spec);
		if (!delta) {
			// 410 resync: the old link is gone. Start again from now; the ids already emitted stay remembered.
			await startFromNow(ctx, conn, spec, state);
			staticData.tracker = state;
			return null;
		}
		const changes = spec.decide(delta.entries, state, Date.parse(state.since ?? '') || 0);
		pruneSeen((state.seen ??= {}));
		state.deltaLink = delta.link;
		// A cut backlog continues in the next poll under the same time rule; only a finished feed moves it on.
		if (delta.finished) state.since = delta.time;
		staticData.tracker = state;
		return changes.length ? [changes.map((json) => ({ json: withoutPreAuthenticatedUrls(json) }))] : null;
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, { operation: spec.operation });
	}
}
