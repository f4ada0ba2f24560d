/** Graph delta polling for the OneDrive trigger: start at "now", follow pages, survive 410 resync. */
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { getConnection, type MicrosoftConnection } from '../shared/connection';
import { toNodeApiError } from '../shared/errors';
import { encodePathSegment } from '../shared/input';
import { withoutPreAuthenticatedUrls } from '../shared/output';
import { graphPages } from '../shared/paging';
import { graphRequest, type MicrosoftResponse } from '../shared/transport';
import { credentialTypeOf } from '../OneDrive/descriptions/authentication';
import { resolveDrive, type DriveRef } from '../OneDrive/helpers/driveLocation';
import { resolveItem } from '../OneDrive/helpers/itemResolver';
import { decideChanges, parentPathOf, type TrackerState, type TriggerEvent, type WatchSettings } from './changeTracker';

const SAMPLE_SIZE = 10;
/**
 * Most delta entries one poll holds in memory. A larger backlog is read in several polls: the poll stops
 * after the page that crosses this, keeps Graph's next-page link as where to continue, and emits what it read.
 */
export const MAX_ENTRIES_PER_POLL = 10_000;
const SAMPLE_PAGE_SIZE = 200;

interface DeltaPage {
	value?: IDataObject[];
	'@odata.nextLink'?: string;
	'@odata.deltaLink'?: string;
}

interface TriggerSettings extends WatchSettings {
	drive: DriveRef;
	folderLocator?: INodeParameterResourceLocator;
	scopeKey: string;
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const drive = resolveDrive(ctx);
	const events = ctx.getNodeParameter('events', []) as TriggerEvent[];
	const watchFolder = ctx.getNodeParameter('watch', 'drive') === 'folder';
	const folderLocator = watchFolder ? (ctx.getNodeParameter('folder', undefined) as INodeParameterResourceLocator) : undefined;
	const includeSubfolders = watchFolder ? (ctx.getNodeParameter('includeSubfolders', false) as boolean) : false;
	const scopeKey = createHash('sha256')
		.update(JSON.stringify([drive.basePath, watchFolder, folderLocator?.mode, folderLocator?.value, includeSubfolders]))
		.digest('base64url')
		.slice(0, 16);
	return {
		drive,
		events,
		folder: watchFolder ? { includeSubfolders } : undefined,
		folderLocator,
		scopeKey,
	};
}

/**
 * Server time of a response. The Date header has whole seconds only; the local clock, clamped into that
 * second, adds the milliseconds (so an item created in the same second as "now" is classified correctly
 * when the clocks agree, and the server's clock still bounds it when they do not).
 */
export function serverTime(response: Pick<MicrosoftResponse, 'headers'>, localNow = Date.now()): string {
	const header = Date.parse(response.headers.date ?? '');
	if (!Number.isFinite(header)) return new Date(localNow).toISOString();
	return new Date(Math.min(Math.max(localNow, header), header + 999)).toISOString();
}

/** Asks Graph for a delta link that starts now (`token=latest` returns no items). */
async function startFromNow(
	ctx: IPollFunctions,
	conn: MicrosoftConnection,
	settings: TriggerSettings,
	state: TrackerState,
): Promise<void> {
	const response = await graphRequest<DeltaPage>(ctx, conn, {
		method: 'GET',
		url: `${settings.drive.basePath}/root/delta`,
		qs: { token: 'latest' },
		operation: 'start watching the drive',
	});
	const deltaLink = response.body?.['@odata.deltaLink'];
	if (!deltaLink) throw toNodeApiError(ctx.getNode(), new Error('Graph returned no delta link for token=latest'));
	state.deltaLink = deltaLink;
	state.since = serverTime(response);
	state.startedAt = state.since;
}

async function setUp(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<TrackerState> {
	const state: TrackerState = { scopeKey: settings.scopeKey, seen: {} };
	if (settings.folderLocator) {
		const { item, itemId } = await resolveItem(ctx, conn, settings.drive, settings.folderLocator, {
			field: 'Folder',
			kind: 'folder',
		});
		state.folderId = itemId;
		const parentPath = parentPathOf(item);
		state.folderPath = item.root !== undefined ? '' : parentPath !== undefined ? (parentPath ? `${parentPath}/${String(item.name)}` : String(item.name)) : undefined;
		state.scopeFolders = [];
	}
	await startFromNow(ctx, conn, settings, state);
	return state;
}

interface DeltaRead {
	entries: IDataObject[];
	/** Where the next poll continues: the feed's new delta link, or a next-page link when the backlog was cut. */
	link: string;
	/** False when the poll stopped at MAX_ENTRIES_PER_POLL with more pages to read. */
	finished: boolean;
	time: string;
}

/**
 * Follows the stored link (delta or next-page) until the feed's end or MAX_ENTRIES_PER_POLL entries.
 * `undefined` means Graph asked for a resync (410).
 */
async function readDelta(ctx: IPollFunctions, conn: MicrosoftConnection, link: string): Promise<DeltaRead | undefined> {
	const entries: IDataObject[] = [];
	let last: { body: IDataObject; response: MicrosoftResponse } | undefined;
	try {
		const pages = graphPages(ctx, conn, link, {
			operation: 'read drive changes',
			onPage: (body, response) => (last = { body, response }),
		});
		for await (const page of pages) {
			entries.push(...page);
			const nextPage = last?.body['@odata.nextLink'];
			if (entries.length >= MAX_ENTRIES_PER_POLL && typeof nextPage === 'string') {
				return { entries, link: nextPage, finished: false, time: serverTime(last!.response) };
			}
		}
	} catch (error) {
		// 410 resyncRequired: the delta link expired; the caller restarts from now.
		if (error instanceof NodeApiError && error.httpCode === '410') return undefined;
		throw error;
	}
	const next = last?.body['@odata.deltaLink'];
	if (!last || typeof next !== 'string') {
		throw toNodeApiError(ctx.getNode(), new Error('The drive change feed did not end with a delta link'), {
			operation: 'read drive changes',
		});
	}
	return { entries, link: next, finished: true, time: serverTime(last.response) };
}


function toOutput(changes: Array<{ event: TriggerEvent; item: IDataObject }>): INodeExecutionData[][] | null {
	if (changes.length === 0) return null;
	return [
		changes.map(({ event, item }) => {
			// Pre-authenticated download URLs work for anyone holding them: they stay out of workflow data.
			return { json: withoutPreAuthenticatedUrls({ event, ...item }) };
		}),
	];
}

/** Manual runs ("Fetch test event"): the most recently modified matching items, so the user sees real data. */
async function sample(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	let url = `${settings.drive.basePath}/root/children`;
	if (settings.folderLocator) {
		const { itemId } = await resolveItem(ctx, conn, settings.drive, settings.folderLocator, { field: 'Folder', kind: 'folder' });
		url = `${settings.drive.basePath}/items/${encodePathSegment(itemId, 'Folder')}/children`;
	}
	const response = await graphRequest<DeltaPage>(ctx, conn, { method: 'GET', url, qs: { $top: SAMPLE_PAGE_SIZE } });
	const wantFiles = settings.events.includes('fileCreated') || settings.events.includes('fileUpdated');
	const wantFolders = settings.events.includes('folderCreated');
	const items = (response.body?.value ?? [])
		.filter((item) => (item.folder !== undefined ? wantFolders : wantFiles))
		.sort((a, b) => String(b.lastModifiedDateTime ?? '').localeCompare(String(a.lastModifiedDateTime ?? '')))
		.slice(0, SAMPLE_SIZE);
	return toOutput(
		items.map((item) => {
			let event: TriggerEvent = 'fileUpdated';
			if (item.folder !== undefined) event = 'folderCreated';
			else if (!settings.events.includes('fileUpdated') || item.createdDateTime === item.lastModifiedDateTime) event = 'fileCreated';
			return { event, item };
		}),
	);
}

/** The trigger's poll(): emits each change once; the delta link and dedupe state live in static data. */
export async function pollDriveChanges(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	try {
		return await pollOnce(ctx);
	} catch (error) {
		// Bad settings (a Site of "..") and Microsoft's answers reach the user as n8n errors naming the field.
		throw toNodeApiError(ctx.getNode(), error);
	}
}

async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(ctx);
	const conn = await getConnection(ctx, credentialTypeOf(ctx));
	if (ctx.getMode() === 'manual') return await sample(ctx, conn, settings);

	const staticData = ctx.getWorkflowStaticData('node');
	const state = staticData.tracker as TrackerState | undefined;
	if (!state || state.scopeKey !== settings.scopeKey || !state.deltaLink) {
		staticData.tracker = await setUp(ctx, conn, settings);
		return null;
	}
	const delta = await readDelta(ctx, conn, state.deltaLink);
	if (!delta) {
		// 410 resyncRequired: the old link is gone. Start again from now; the ids already emitted stay
		// remembered, and nothing older than now is replayed.
		await startFromNow(ctx, conn, settings, state);
		staticData.tracker = state;
		return null;
	}
	const changes = decideChanges(delta.entries, state, settings, Date.parse(state.since ?? '') || 0);
	state.deltaLink = delta.link;
	// A cut backlog continues in the next poll with the same time rule; only a finished feed moves it on.
	if (delta.finished) state.since = delta.time;
	staticData.tracker = state;
	return toOutput(changes);
}
