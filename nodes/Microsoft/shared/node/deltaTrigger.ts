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
import { graphPages, odataPages } from '../paging';
import type { MicrosoftResponse } from '../transport';

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
	/** The delta function's URL. */
	deltaUrl: string;
	/**
	 * How the first round starts from "now": `token=latest` (drives; the default) or, where Graph has no such
	 * token (mail), a query that matches nothing older (e.g. `receivedDateTime ge <now>`). The first round is read
	 * to its delta link and nothing in it is emitted.
	 */
	startQuery?: (nowIso: string) => IDataObject;
	/** Query of every round (e.g. `$select`); a stored link already carries it. */
	qs?: IDataObject;
	/** `Prefer` header of every round (e.g. `odata.maxpagesize=1000`). */
	prefer?: string;
	/** For error texts: "read drive changes". */
	operation: string;
	/** The node's advice for Microsoft's error codes (see ErrorContext.advice). */
	advice?: Record<string, string>;
	/** Node set-up on first activation or a changed scope (e.g. resolve the watched folder). */
	setUp?: (state: State) => Promise<void>;
	/** Sees the first round's entries (what existed when watching started, up to MAX_ENTRIES_PER_POLL), e.g. to remember them. */
	baseline?: (entries: IDataObject[], state: State) => void;
	/** The changes to emit from one poll's entries (feed order); may update `state`. */
	decide: (entries: IDataObject[], state: State, sinceMs: number) => IDataObject[];
	maxEntriesPerPoll?: number;
	/** The feed is an OData resource API's (Dataverse change tracking): OData headers, the resource URL as base. */
	odata?: boolean;
	/** Besides a 410, an error that means the stored link expired (Dataverse answers 400 0x80044352): restart from now. */
	isExpired?: (error: unknown) => boolean;
}

/** The page reader of a feed: Graph's, or the OData resource API's. */
function pagesOf<State extends DeltaState>(spec: DeltaTriggerSpec<State>): typeof graphPages {
	return spec.odata ? odataPages : graphPages;
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
	const now = new Date().toISOString();
	let last: { body: IDataObject; response: MicrosoftResponse } | undefined;
	const existing: IDataObject[] = [];
	// Read to the end of the first round: its entries are what existed before watching started (none are emitted).
	for await (const page of pagesOf(spec)(ctx, conn, spec.deltaUrl, {
		qs: { ...spec.qs, ...(spec.startQuery ? spec.startQuery(now) : { token: 'latest' }) },
		headers: spec.prefer ? { Prefer: spec.prefer } : undefined,
		operation: `start to ${spec.operation}`,
		advice: spec.advice,
		onPage: (body, response) => (last = { body, response }),
	})) {
		if (spec.baseline && existing.length < MAX_ENTRIES_PER_POLL) existing.push(...page);
	}
	const deltaLink = last?.body['@odata.deltaLink'];
	if (typeof deltaLink !== 'string') throw new Error(`Microsoft returned no delta link when starting to ${spec.operation}`);
	state.deltaLink = deltaLink;
	state.since = last ? serverTime(last.response) : now;
	state.startedAt = state.since;
	spec.baseline?.(existing, state);
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
		for await (const page of pagesOf(spec)(ctx, conn, link, { operation, advice, headers: spec.prefer ? { Prefer: spec.prefer } : undefined, onPage: (body, response) => (last = { body, response }) })) {
			entries.push(...page);
			const nextPage = last?.body['@odata.nextLink'];
			if (entries.length >= maxEntries && typeof nextPage === 'string') {
				return { entries, link: nextPage, finished: false, time: serverTime(last!.response) };
			}
		}
	} catch (error) {
		if (httpStatusOf(error) === 410 || spec.isExpired?.(error)) return undefined;
		throw error;
	}
	const next = last?.body['@odata.deltaLink'];
	if (!last || typeof next !== 'string') throw new Error(`The change feed did not end with a delta link (${operation})`);
	return { entries, link: next, finished: true, time: serverTime(last.response) };
}

/** What one feed's poll produced: the changes to emit and the state to store once every feed of the poll succeeded. */
export interface DeltaPollResult<State extends DeltaState> {
	changes: IDataObject[];
	state: State;
}

/**
 * Reads one feed from its stored state (a copy; nothing is written): the first time or after a changed scope it
 * starts from now, after a 410 it restarts from now, otherwise it follows the stored link. Triggers with several
 * feeds (one per mail folder) call this for each and store all states only when all succeeded.
 */
export async function readDeltaChanges<State extends DeltaState>(
	ctx: IPollFunctions,
	conn: MicrosoftConnection,
	spec: DeltaTriggerSpec<State>,
	stored: State | undefined,
): Promise<DeltaPollResult<State>> {
	// A plain copy (static data is n8n's observable proxy): the stored state changes only when the caller commits.
	const state = JSON.parse(JSON.stringify(stored ?? {})) as State;
	if (!stored || stored.scopeKey !== spec.scopeKey || !stored.deltaLink) {
		const fresh = { scopeKey: spec.scopeKey, seen: {} } as State;
		await spec.setUp?.(fresh);
		await startFromNow(ctx, conn, spec, fresh);
		return { changes: [], state: fresh };
	}
	const delta = await readDelta(ctx, conn, state.deltaLink!, spec);
	if (!delta) {
		// 410 resync: the old link is gone. Start again from now; the ids already emitted stay remembered.
		await startFromNow(ctx, conn, spec, state);
		return { changes: [], state };
	}
	const changes = spec.decide(delta.entries, state, Date.parse(state.since ?? '') || 0);
	pruneSeen((state.seen ??= {}));
	state.deltaLink = delta.link;
	// A cut backlog continues in the next poll under the same time rule; only a finished feed moves it on.
	if (delta.finished) state.since = delta.time;
	return { changes, state };
}

/** n8n items of a poll's changes (pre-authenticated URLs removed), or null when there are none. */
export function pollOutput(changes: IDataObject[]): INodeExecutionData[][] | null {
	return changes.length ? [changes.map((json) => ({ json: withoutPreAuthenticatedUrls(json) }))] : null;
}

/** One poll of a single-feed delta trigger: emitted changes, or null when there are none. */
export async function pollDelta<State extends DeltaState>(
	ctx: IPollFunctions,
	conn: MicrosoftConnection,
	spec: DeltaTriggerSpec<State>,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	try {
		const { changes, state } = await readDeltaChanges(ctx, conn, spec, staticData.tracker as State | undefined);
		staticData.tracker = state;
		return pollOutput(changes);
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, { operation: spec.operation });
	}
}
