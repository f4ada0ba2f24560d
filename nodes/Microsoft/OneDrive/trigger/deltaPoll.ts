/** The OneDrive trigger's poll: the shared delta machinery on `{drive}/root/delta`, OneDrive's own change rules. */
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, IPollFunctions } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { toNodeApiError } from '../../shared/errors';
import { encodePathSegment } from '../../shared/input';
import { credentialTypeOf } from '../../shared/node/authentication';
import { pollDelta } from '../../shared/node/deltaTrigger';
import { withoutPreAuthenticatedUrls } from '../../shared/output';
import { MAX_PAGE_SIZE } from '../../shared/paging';
import { graphRequest } from '../../shared/transport';
import { resolveDrive, type DriveRef } from '../helpers/drive';
import { resolveItem } from '../helpers/itemResolver';
import { decideChanges, parentPathOf, type Change, type TrackerState, type TriggerEvent, type WatchSettings } from './changeTracker';

const SAMPLE_SIZE = 10;

/** Delta works on a drive's root only in OneDrive for Business (a folder answers 501 notSupported). */
const DELTA_ADVICE = { notsupported: 'This drive does not support change tracking (delta); watch the whole drive or another library.' };

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
	return { drive, events, folder: watchFolder ? { includeSubfolders } : undefined, folderLocator, scopeKey };
}

/** Folder mode: remember the watched folder's ID and path before the first delta link is taken. */
async function watchFolder(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings, state: TrackerState): Promise<void> {
	if (!settings.folderLocator) return;
	const { item, itemId } = await resolveItem(ctx, conn, settings.drive, settings.folderLocator, { field: 'Folder', kind: 'folder' });
	state.folderId = itemId;
	const parentPath = parentPathOf(item);
	state.folderPath = item.root !== undefined ? '' : parentPath !== undefined ? (parentPath ? `${parentPath}/${String(item.name)}` : String(item.name)) : undefined;
	state.scopeFolders = [];
}

function toJson(changes: Change[]): IDataObject[] {
	return changes.map(({ event, item }) => ({ event, ...item }));
}

/** Manual runs ("Fetch test event"): the most recently modified matching items, so the user sees real data. */
async function sample(ctx: IPollFunctions, conn: MicrosoftConnection, settings: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	let url = `${settings.drive.basePath}/root/children`;
	if (settings.folderLocator) {
		const { itemId } = await resolveItem(ctx, conn, settings.drive, settings.folderLocator, { field: 'Folder', kind: 'folder' });
		url = `${settings.drive.basePath}/items/${encodePathSegment(itemId, 'Folder')}/children`;
	}
	const response = await graphRequest<{ value?: IDataObject[] }>(ctx, conn, { method: 'GET', url, qs: { $top: MAX_PAGE_SIZE.driveChildren } });
	const wantFiles = settings.events.includes('fileCreated') || settings.events.includes('fileUpdated');
	const wantFolders = settings.events.includes('folderCreated');
	const items = (response.body?.value ?? [])
		.filter((item) => (item.folder !== undefined ? wantFolders : wantFiles))
		.sort((a, b) => String(b.lastModifiedDateTime ?? '').localeCompare(String(a.lastModifiedDateTime ?? '')))
		.slice(0, SAMPLE_SIZE);
	const changes = items.map((item): Change => {
		let event: TriggerEvent = 'fileUpdated';
		if (item.folder !== undefined) event = 'folderCreated';
		else if (!settings.events.includes('fileUpdated') || item.createdDateTime === item.lastModifiedDateTime) event = 'fileCreated';
		return { event, item };
	});
	return changes.length ? [toJson(changes).map((json) => ({ json: withoutPreAuthenticatedUrls(json) }))] : null;
}

/** The trigger's poll(): emits each change once; the delta link and dedupe state live in static data. */
export async function pollDriveChanges(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	let settings: TriggerSettings;
	let conn: MicrosoftConnection;
	try {
		settings = readSettings(ctx);
		conn = await getConnection(ctx, credentialTypeOf(ctx));
		if (ctx.getMode() === 'manual') return await sample(ctx, conn, settings);
	} catch (error) {
		// Bad settings (a Site of "..") and Microsoft's answers reach the user as n8n errors naming the field.
		throw toNodeApiError(ctx.getNode(), error);
	}
	return await pollDelta<TrackerState>(ctx, conn, {
		scopeKey: settings.scopeKey,
		deltaUrl: `${settings.drive.basePath}/root/delta`,
		qs: { $top: MAX_PAGE_SIZE.driveDelta },
		operation: 'read drive changes',
		advice: DELTA_ADVICE,
		setUp: async (state) => await watchFolder(ctx, conn, settings, state),
		decide: (entries, state, sinceMs) => toJson(decideChanges(entries, state, settings, sinceMs)),
	});
}
