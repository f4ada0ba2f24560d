/**
 * Which rows changed, for the trigger. Change tracking (`Prefer: odata.track-changes`, the delta link kept in static
 * data through the shared delta trigger: first activation reads the table to its delta link and reports nothing, an
 * expired token restarts from now) reports created, updated and deleted rows; "Modified On" mode (tables without
 * change tracking) asks for rows with `modifiedon` at or after the last poll, oldest first, and reports created and
 * updated rows. Either way a row version is reported once (ids and versions remembered), and state is stored only after
 * a poll succeeded.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { readMicrosoftError, responseFromError, toNodeApiError } from '../../shared/errors';
import { InputValueError } from '../../shared/input';
import type { DeltaState } from '../../shared/node/deltaTrigger';
import { MAX_ENTRIES_PER_POLL, MAX_SEEN, pollOutput, pruneSeen, readDeltaChanges, rememberSeen, serverTime } from '../../shared/node/deltaTrigger';
import { MAX_PAGE_SIZE, odataPages } from '../../shared/paging';
import { odataRequest } from '../../shared/transport';
import { DATAVERSE_ADVICE } from '../actions/common';
import { cleanRow, dataverseBase, entitySetUrl, schemaName } from '../helpers/dataverse';
import { tableOf } from '../helpers/metadata';

export type RowEvent = 'created' | 'updated' | 'deleted';
export type TriggerMode = 'changeTracking' | 'modifiedOn';

export interface TriggerSettings {
	entitySet: string;
	events: RowEvent[];
	mode: TriggerMode;
	/** Report updates only when one of these columns changed (empty: every update). */
	watchColumns: string[];
	/** Columns of the reported rows ($select; empty: all). */
	columns: string[];
}

interface RowState extends DeltaState {
	primaryId?: string;
	/** id → hash of the watched columns' values last seen. Oldest first, at most MAX_SEEN. */
	watched?: Record<string, string>;
}

function columnList(value: unknown, field: string): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean)
		.map((name) => schemaName(name, field));
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const table = ctx.getNodeParameter('table', undefined, { extractValue: true }) as string;
	const events = ctx.getNodeParameter('events', []) as RowEvent[];
	const mode = ctx.getNodeParameter('mode', 'changeTracking') as TriggerMode;
	if (!events.length) throw new InputValueError('Trigger On', 'has no event', 'Choose Row Created, Row Updated and / or Row Deleted.');
	if (mode === 'modifiedOn' && events.includes('deleted')) {
		throw new InputValueError('Trigger On', '"Row Deleted" needs change tracking', 'Deleted rows leave no "Modified On" behind: enable change tracking on the table and choose the Change Tracking mode, or remove Row Deleted.');
	}
	return {
		entitySet: schemaName(String(table ?? ''), 'Table'),
		events,
		mode,
		watchColumns: columnList(ctx.getNodeParameter('watchColumns', ''), 'Only When These Columns Change'),
		columns: columnList(ctx.getNodeParameter('columns', ''), 'Columns'),
	};
}

function watchedHash(row: IDataObject, columns: string[]): string {
	return createHash('sha256').update(JSON.stringify(columns.map((column) => row[column] ?? null))).digest('base64url').slice(0, 16);
}

function isDeleted(entry: IDataObject): boolean {
	return entry.reason === 'deleted' || String(entry['@odata.context'] ?? '').endsWith('/$deletedEntity');
}

/** Decides, for one poll's rows, which are reported and as what; remembers what was reported. */
export function decideRows(entries: IDataObject[], state: RowState, settings: TriggerSettings, sinceMs: number): IDataObject[] {
	const primaryId = state.primaryId ?? `${settings.entitySet.replace(/s$/, '')}id`;
	const seen = (state.seen ??= {});
	const watched = (state.watched ??= {});
	const changes: IDataObject[] = [];
	for (const entry of entries) {
		if (isDeleted(entry)) {
			const id = String(entry.id ?? '');
			if (!id || seen[id] === 'deleted') continue;
			rememberSeen(seen, id, 'deleted');
			delete watched[id];
			if (settings.events.includes('deleted')) changes.push({ event: 'deleted', id, table: settings.entitySet });
			continue;
		}
		const id = String(entry[primaryId] ?? '');
		if (!id) continue;
		const version = String(entry.versionnumber ?? entry['@odata.etag'] ?? entry.modifiedon ?? '');
		if (seen[id] === version) continue;
		const known = id in seen;
		rememberSeen(seen, id, version);
		// Created since the last poll (Dataverse's times have whole seconds), or never modified after its creation.
		const createdMs = Date.parse(String(entry.createdon ?? ''));
		const created = !known && (createdMs >= Math.floor(sinceMs / 1000) * 1000 || (!!entry.createdon && entry.createdon === entry.modifiedon));
		const hash = settings.watchColumns.length ? watchedHash(entry, settings.watchColumns) : undefined;
		const before = hash ? watched[id] : undefined;
		if (hash) {
			delete watched[id];
			watched[id] = hash;
		}
		if (created) {
			if (settings.events.includes('created')) changes.push({ event: 'created', id, table: settings.entitySet, row: cleanRow(entry) });
			continue;
		}
		// A watched update counts when the watched values differ from the last ones seen (a row never seen counts).
		if (hash && before === hash) continue;
		if (settings.events.includes('updated')) changes.push({ event: 'updated', id, table: settings.entitySet, row: cleanRow(entry) });
	}
	pruneSeen(watched, MAX_SEEN);
	return changes;
}

function selectOf(settings: TriggerSettings, primaryId: string): string | undefined {
	if (!settings.columns.length) return undefined;
	return [...new Set([primaryId, 'createdon', 'modifiedon', 'versionnumber', ...settings.watchColumns, ...settings.columns])].join(',');
}

function isExpiredToken(error: unknown): boolean {
	const response = responseFromError(error) ?? (error as { status?: number; headers?: Record<string, string>; body?: unknown });
	const code = readMicrosoftError(response?.body, {}).code ?? (error as { context?: { data?: unknown } })?.context?.data;
	const text = `${String(code ?? '')} ${String((error as Error)?.message ?? '')} ${String((error as { description?: string })?.description ?? '')}`;
	return /0x80044352|Version stamp associated with the client has expired/i.test(text);
}

async function changeTrackingPoll(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = staticData.tracker as RowState | undefined;
	const scopeKey = JSON.stringify({ env: conn.resourceUrl, table: settings.entitySet, mode: settings.mode, columns: settings.columns, watch: settings.watchColumns });
	let primaryId = stored?.scopeKey === scopeKey ? stored.primaryId : undefined;
	if (!primaryId) {
		const table = await tableOf(ctx, conn, settings.entitySet);
		if (table.changeTrackingEnabled === false) {
			throw new NodeOperationError(ctx.getNode(), `Change tracking is not enabled for table ${table.logicalName}`, {
				description: DATAVERSE_ADVICE['0x80048306'],
			});
		}
		primaryId = table.primaryIdAttribute;
	}
	const select = selectOf(settings, primaryId);
	const { changes, state } = await readDeltaChanges<RowState>(
		ctx,
		conn,
		{
			scopeKey,
			deltaUrl: entitySetUrl(dataverseBase(conn), settings.entitySet),
			startQuery: () => ({}),
			qs: select ? { $select: select } : {},
			prefer: `odata.track-changes, odata.maxpagesize=${MAX_PAGE_SIZE.dataverse}`,
			odata: true,
			isExpired: isExpiredToken,
			operation: `read the changes of table ${settings.entitySet}`,
			advice: DATAVERSE_ADVICE,
			setUp: async (fresh) => {
				fresh.primaryId = primaryId;
			},
			baseline: (entries, fresh) => {
				// Rows that existed when watching started: their later changes are updates, never creations.
				const seen: Record<string, string> = (fresh.seen ??= {});
				const watched: Record<string, string> = {};
				for (const entry of entries.slice(-MAX_SEEN)) {
					const id = entry[primaryId!];
					if (!id) continue;
					seen[String(id)] = String(entry.versionnumber ?? entry['@odata.etag'] ?? entry.modifiedon ?? '');
					if (settings.watchColumns.length) watched[String(id)] = watchedHash(entry, settings.watchColumns);
				}
				fresh.watched = watched;
			},
			decide: (entries, current, sinceMs) => decideRows(entries, current, settings, sinceMs),
		},
		stored,
	);
	state.primaryId ??= primaryId;
	staticData.tracker = state;
	return pollOutput(changes);
}

interface ModifiedState extends RowState {
	/** `modifiedon` of the newest row reported (the next poll asks from there). */
	modifiedSince?: string;
}

async function modifiedOnPoll(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const scopeKey = JSON.stringify({ env: conn.resourceUrl, table: settings.entitySet, mode: settings.mode, columns: settings.columns, watch: settings.watchColumns });
	const stored = staticData.tracker as ModifiedState | undefined;
	const url = entitySetUrl(dataverseBase(conn), settings.entitySet);
	if (!stored || stored.scopeKey !== scopeKey || !stored.modifiedSince) {
		const table = await tableOf(ctx, conn, settings.entitySet);
		// Start from now: the server's time of this request (rows modified from then on are reported).
		const response = await odataRequest(ctx, conn, { url, qs: { $select: table.primaryIdAttribute, $top: 1 }, operation: `start watching table ${settings.entitySet}`, advice: DATAVERSE_ADVICE });
		const now = serverTime(response);
		staticData.tracker = { scopeKey, primaryId: table.primaryIdAttribute, modifiedSince: now, since: now, startedAt: now, seen: {} } satisfies ModifiedState;
		return null;
	}
	const state = JSON.parse(JSON.stringify(stored)) as ModifiedState;
	const primaryId = state.primaryId!;
	const rows: IDataObject[] = [];
	let cut = false;
	for await (const page of odataPages(ctx, conn, url, {
		qs: { $select: selectOf(settings, primaryId), $filter: `modifiedon ge ${state.modifiedSince}`, $orderby: `modifiedon asc,${primaryId} asc` },
		pageSize: MAX_PAGE_SIZE.dataverse,
		limit: MAX_ENTRIES_PER_POLL,
		operation: `read the rows of table ${settings.entitySet} modified since the last poll`,
		advice: DATAVERSE_ADVICE,
	})) {
		rows.push(...page);
		if (rows.length >= MAX_ENTRIES_PER_POLL) cut = true;
	}
	const changes = decideRows(rows, state, settings, Date.parse(state.since ?? '') || 0);
	pruneSeen((state.seen ??= {}));
	const newest = rows[rows.length - 1]?.modifiedon;
	if (typeof newest === 'string') state.modifiedSince = newest;
	// "Created" means created since the previous finished poll; a cut backlog continues under the same rule.
	if (!cut && typeof newest === 'string') state.since = newest;
	staticData.tracker = state;
	return pollOutput(changes);
}

/** Rows a manual run ("Fetch test event") shows. */
const SAMPLE_SIZE = 5;

/**
 * Manual runs ("Fetch test event"): the most recently modified rows of the table, shaped as a poll reports them, so the
 * user has real columns to map. Nothing is remembered (an activated trigger still starts from its activation).
 */
async function sampleRows(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	const rowEvents = settings.events.filter((event) => event !== 'deleted');
	if (!rowEvents.length) return null; // a deleted row leaves nothing to show but its ID
	const table = await tableOf(ctx, conn, settings.entitySet);
	const primaryId = table.primaryIdAttribute;
	const response = await odataRequest<{ value?: IDataObject[] }>(ctx, conn, {
		url: entitySetUrl(dataverseBase(conn), settings.entitySet),
		qs: { $select: selectOf(settings, primaryId), $orderby: `modifiedon desc,${primaryId} desc`, $top: SAMPLE_SIZE },
		operation: `read the latest rows of table ${settings.entitySet}`,
		advice: DATAVERSE_ADVICE,
	});
	const changes = (response.body?.value ?? []).map((row): IDataObject => {
		const created = rowEvents.includes('created') && (!rowEvents.includes('updated') || (!!row.createdon && row.createdon === row.modifiedon));
		return { event: created ? 'created' : 'updated', id: String(row[primaryId] ?? ''), table: settings.entitySet, row: cleanRow(row) };
	});
	return pollOutput(changes);
}

/** One poll of the trigger (either mode); errors translated. */
export async function pollRowChanges(ctx: IPollFunctions, conn: MicrosoftConnection): Promise<INodeExecutionData[][] | null> {
	try {
		const settings = readSettings(ctx);
		if (ctx.getMode() === 'manual') return await sampleRows(ctx, conn, settings);
		return settings.mode === 'modifiedOn' ? await modifiedOnPoll(ctx, conn, settings) : await changeTrackingPoll(ctx, conn, settings);
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, { operation: 'read changed rows', advice: DATAVERSE_ADVICE });
	}
}
