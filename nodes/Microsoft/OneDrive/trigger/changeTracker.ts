/**
 * Pure decisions of the OneDrive trigger: which delta entries are in the watched scope, which event each
 * is, and what to remember so every change is emitted exactly once across polls and restarts.
 *
 * Created vs updated: decided by `createdDateTime` against the server time of the previous poll (minus a
 * small margin for items that landed in the feed just after that poll's snapshot, but never before the
 * moment watching started: those items already existed), combined with the ids already emitted. Known ids alone cannot work: the trigger starts at `token=latest`, so it never sees
 * the drive's existing items, and the first change to an old file would look like a creation.
 */
import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { pruneSeen, rememberSeen, type DeltaState } from '../../shared/node/deltaTrigger';
import { parentPathOf } from '../helpers/paths';

export { parentPathOf };

export type TriggerEvent = 'fileCreated' | 'fileUpdated' | 'folderCreated' | 'deleted';

/** What the trigger keeps in the workflow's static data (JSON; survives n8n restarts): the delta state plus the folder scope. */
export interface TrackerState extends DeltaState {
	/** Watched folder (folder mode). */
	folderId?: string;
	/** Drive-relative path of the watched folder, '' for the root. */
	folderPath?: string;
	/** Sub-folder ids known to be below the watched folder (folder mode with subfolders). */
	scopeFolders?: string[];
}

export interface WatchSettings {
	events: TriggerEvent[];
	/** Undefined: the whole drive. */
	folder?: { includeSubfolders: boolean };
}

export interface Change {
	event: TriggerEvent;
	item: IDataObject;
}

/** Margin for items whose creation raced the previous poll's snapshot (clock skew between Graph servers). */
export const CREATED_MARGIN_MS = 60 * 1000;
const DELETED_TAG = '-';

/** 10-character digest of an eTag/cTag: enough to tell versions apart, small in static data. */
export function tagOf(item: IDataObject): string {
	const source = String(item.eTag ?? item.cTag ?? item.lastModifiedDateTime ?? '');
	return createHash('sha256').update(source).digest('base64url').slice(0, 10);
}

function parentIdOf(item: IDataObject): string | undefined {
	const id = (item.parentReference as IDataObject | undefined)?.id;
	return typeof id === 'string' ? id : undefined;
}

function isUnder(path: string, folder: string): boolean {
	return folder === '' || path === folder || path.startsWith(folder + '/');
}

function time(value: unknown): number {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isFinite(ms) ? ms : 0;
}

/**
 * Turns one poll's delta entries (feed order) into events and updates `state` (seen ids, scope folders,
 * watched folder path). `sinceMs` is the previous poll's server time.
 */
export function decideChanges(entries: IDataObject[], state: TrackerState, watch: WatchSettings, sinceMs: number): Change[] {
	const startedMs = time(state.startedAt);
	const seen = (state.seen ??= {});
	const scope = new Set(state.scopeFolders ?? []);
	const folderMode = watch.folder !== undefined;
	const deep = watch.folder?.includeSubfolders ?? false;

	const inScope = (item: IDataObject): boolean => {
		if (!folderMode) return true;
		const parentId = parentIdOf(item);
		if (parentId !== undefined && parentId === state.folderId) return true;
		if (deep && parentId !== undefined && scope.has(parentId)) return true;
		const parentPath = parentPathOf(item);
		if (parentPath !== undefined && state.folderPath !== undefined) {
			return deep ? isUnder(parentPath, state.folderPath) : parentPath === state.folderPath;
		}
		return false;
	};

	// Pass 1, feed order (Graph lists parents before children): track the watched folder and its sub-folders.
	for (const item of entries) {
		const id = String(item.id ?? '');
		if (!folderMode || item.folder === undefined) continue;
		if (id === state.folderId) {
			if (item.deleted === undefined && typeof item.name === 'string') {
				const parentPath = parentPathOf(item);
				if (parentPath !== undefined) state.folderPath = parentPath ? `${parentPath}/${item.name}` : item.name;
			}
			continue;
		}
		if (deep && item.deleted === undefined && inScope(item)) scope.add(id);
		else if (item.deleted !== undefined || !inScope(item)) scope.delete(id);
	}

	// An item may appear more than once in one feed: its last entry is its current state.
	const lastIndex = new Map<string, number>();
	entries.forEach((item, index) => lastIndex.set(String(item.id ?? ''), index));

	const changes: Change[] = [];
	const threshold = Math.max(sinceMs - CREATED_MARGIN_MS, startedMs);
	entries.forEach((item, index) => {
		const id = String(item.id ?? '');
		if (!id || lastIndex.get(id) !== index || item.root !== undefined || id === state.folderId) return;
		const known = seen[id];
		if (item.deleted !== undefined) {
			if (known === DELETED_TAG) return;
			// Deleted entries often lack a path: being remembered (so it was in scope) also counts.
			if (known === undefined && !inScope(item)) return;
			rememberSeen(seen, id, DELETED_TAG);
			if (watch.events.includes('deleted')) changes.push({ event: 'deleted', item });
			return;
		}
		if (!inScope(item)) {
			// Moved out of the watched folder: forget it, so a later delete is not attributed to the folder.
			if (folderMode) delete seen[id];
			return;
		}
		const tag = tagOf(item);
		if (known === tag) return;
		const isNew = (known === undefined || known === DELETED_TAG) && time(item.createdDateTime) >= threshold;
		if (item.folder !== undefined) {
			// Folders appear whenever something inside them changes; only their creation is an event.
			if (!isNew) return;
			rememberSeen(seen, id, tag);
			if (watch.events.includes('folderCreated')) changes.push({ event: 'folderCreated', item });
			return;
		}
		if (item.file === undefined && item.package === undefined) return;
		if (isNew) {
			rememberSeen(seen, id, tag);
			if (watch.events.includes('fileCreated')) changes.push({ event: 'fileCreated', item });
			return;
		}
		// Re-reported without a change since the previous poll (e.g. its folder moved): nothing happened to it.
		if (known === undefined && time(item.lastModifiedDateTime) < threshold) return;
		rememberSeen(seen, id, tag);
		if (watch.events.includes('fileUpdated')) changes.push({ event: 'fileUpdated', item });
	});

	pruneSeen(seen);
	state.scopeFolders = [...scope];
	return changes;
}
