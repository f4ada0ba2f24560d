/**
 * The Outlook trigger's "new message" poll: Graph delta per watched folder (started with
 * `receivedDateTime ge <now>`, so nothing older is ever emitted), read for every folder first and stored only when
 * every folder was read — a poll that fails midway is repeated, not skipped, and each message is emitted once
 * (ids remembered), also across n8n restarts.
 */
import type { IBinaryKeyData, IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { readDeltaChanges, rememberSeen, type DeltaState, type DeltaTriggerSpec } from '../../shared/node/deltaTrigger';
import { graphRequest } from '../../shared/transport';
import { folderTree } from '../helpers/folders';
import { MESSAGE_SIMPLIFIED_SELECT, simplifyMessage } from '../helpers/simplify';

/** Most folders one trigger watches (chosen folders plus their subfolders). */
const MAX_WATCHED_FOLDERS = 50;
/** Messages whose arrival raced the start of watching by this much still count as old. */
const START_MARGIN_MS = 60 * 1000;
const DELTA_SELECT = [...new Set([...MESSAGE_SIMPLIFIED_SELECT, 'id', 'receivedDateTime', 'isRead', 'hasAttachments', 'categories', 'from', 'subject'])].join(',');

export interface MessageFilters {
	from?: string;
	subjectContains?: string;
	unreadOnly?: boolean;
	hasAttachments?: boolean;
	categories?: string;
}

export interface MessageTriggerSettings {
	mailboxPath: string;
	/** IDs or well-known names as chosen. */
	folders: string[];
	includeSubfolders: boolean;
	filters: MessageFilters;
	downloadAttachments: boolean;
	raw: boolean;
}

/** What the trigger stores: one delta state per watched folder. */
export interface MessageTriggerState {
	scopeKey?: string;
	folders?: Record<string, DeltaState>;
}

function scopeKeyOf(settings: MessageTriggerSettings): string {
	return createHash('sha256')
		.update(JSON.stringify([settings.mailboxPath, [...settings.folders].sort(), settings.includeSubfolders]))
		.digest('base64url')
		.slice(0, 16);
}

/** Does a new message pass the user's filters (checked on what the delta entry holds)? */
export function matchesFilters(message: IDataObject, filters: MessageFilters): boolean {
	const from = String(((message.from as IDataObject | undefined)?.emailAddress as IDataObject | undefined)?.address ?? '').toLowerCase();
	if (filters.from && from !== filters.from.trim().toLowerCase()) return false;
	if (filters.subjectContains && !String(message.subject ?? '').toLowerCase().includes(filters.subjectContains.toLowerCase())) return false;
	if (filters.unreadOnly && message.isRead === true) return false;
	if (filters.hasAttachments && message.hasAttachments !== true) return false;
	const wanted = String(filters.categories ?? '').split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
	const has = new Set(((message.categories as string[] | undefined) ?? []).map((c) => c.toLowerCase()));
	return wanted.every((category) => has.has(category));
}

/** The folder IDs to watch: the chosen ones, plus everything below them when asked (at most MAX_WATCHED_FOLDERS). */
async function watchedFolders(ctx: IPollFunctions, conn: MicrosoftConnection, settings: MessageTriggerSettings): Promise<string[]> {
	const ids: string[] = [];
	for (const folder of settings.folders) {
		const path = `${settings.mailboxPath}/mailFolders/${encodePathSegment(folder, 'Folders')}`;
		// Well-known names ("inbox") become real IDs, so each folder has one delta state whatever it was called.
		const found = await graphRequest<IDataObject>(ctx, conn, { url: path, qs: { $select: 'id' }, operation: 'find the watched folder' });
		ids.push(String(found.body.id));
		if (settings.includeSubfolders) {
			const below = await folderTree(ctx, conn, { mailboxPath: settings.mailboxPath, parentPath: path, recursive: true });
			ids.push(...below.map((entry) => String(entry.folder.id)));
		}
	}
	return [...new Set(ids)].slice(0, MAX_WATCHED_FOLDERS);
}

function folderSpec(settings: MessageTriggerSettings, folderId: string): DeltaTriggerSpec<DeltaState> {
	return {
		scopeKey: folderId,
		deltaUrl: `${settings.mailboxPath}/mailFolders/${encodePathSegment(folderId, 'Folders')}/messages/delta`,
		operation: 'read new messages',
		startQuery: (now) => ({ $filter: `receivedDateTime ge ${now}` }),
		qs: { $select: DELTA_SELECT },
		prefer: 'odata.maxpagesize=1000',
		decide: (entries, state) => {
			const seen = (state.seen ??= {});
			const startedMs = (Date.parse(state.startedAt ?? '') || 0) - START_MARGIN_MS;
			const fresh: IDataObject[] = [];
			for (const entry of entries) {
				const id = String(entry.id ?? '');
				if (!id || entry['@removed'] !== undefined || seen[id] !== undefined) continue;
				if ((Date.parse(String(entry.receivedDateTime ?? '')) || 0) < startedMs) continue;
				rememberSeen(seen, id, '1');
				if (matchesFilters(entry, settings.filters)) fresh.push(entry);
			}
			return fresh;
		},
	};
}

async function attachmentsOf(ctx: IPollFunctions, conn: MicrosoftConnection, settings: MessageTriggerSettings, message: IDataObject): Promise<IBinaryKeyData> {
	const path = `${settings.mailboxPath}/messages/${encodePathSegment(String(message.id), 'Message')}`;
	const list = await graphRequest<IDataObject>(ctx, conn, { url: `${path}/attachments`, qs: { $select: 'id,name,contentType' }, operation: 'list attachments' });
	const binary: IBinaryKeyData = {};
	let index = 0;
	for (const attachment of (list.body.value as IDataObject[]) ?? []) {
		if (attachment['@odata.type'] && attachment['@odata.type'] !== '#microsoft.graph.fileAttachment') continue;
		const bytes = await graphRequest(ctx, conn, {
			url: `${path}/attachments/${encodePathSegment(String(attachment.id), 'Attachment')}/$value`,
			encoding: 'stream',
			operation: `download attachment "${String(attachment.name)}"`,
		});
		binary[`attachment_${index++}`] = await ctx.helpers.prepareBinaryData(bytes.body, String(attachment.name ?? 'attachment'), String(attachment.contentType ?? 'application/octet-stream'));
	}
	return binary;
}

/** One poll: every watched folder read first, then all states stored together. */
export async function pollNewMessages(ctx: IPollFunctions, conn: MicrosoftConnection, settings: MessageTriggerSettings): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const stored = staticData.messages as MessageTriggerState | undefined;
	const scopeKey = scopeKeyOf(settings);
	const states: Record<string, DeltaState> = stored?.scopeKey === scopeKey ? { ...(stored.folders ?? {}) } : {};
	const folderIds = stored?.scopeKey === scopeKey && stored.folders ? Object.keys(stored.folders) : await watchedFolders(ctx, conn, settings);
	const messages: IDataObject[] = [];
	const next: Record<string, DeltaState> = {};
	for (const folderId of folderIds) {
		const { changes, state } = await readDeltaChanges(ctx, conn, folderSpec(settings, folderId), states[folderId]);
		messages.push(...changes);
		next[folderId] = state;
	}
	messages.sort((a, b) => String(a.receivedDateTime ?? '').localeCompare(String(b.receivedDateTime ?? '')));
	const items: INodeExecutionData[] = [];
	for (const message of messages) {
		const json = settings.raw ? message : simplifyMessage(message);
		const binary = settings.downloadAttachments && message.hasAttachments ? await attachmentsOf(ctx, conn, settings, message) : undefined;
		items.push(binary && Object.keys(binary).length ? { json, binary } : { json });
	}
	// Only now, with every folder read and every attachment fetched, does the stored state move on.
	staticData.messages = { scopeKey, folders: next } satisfies MessageTriggerState;
	return items.length ? [items] : null;
}
