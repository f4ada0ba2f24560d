import type { IDataObject } from 'n8n-workflow';

import {
	CREATED_MARGIN_MS,
	decideChanges,
	type TrackerState,
	type WatchSettings,
} from '../../../nodes/Microsoft/OneDrive/trigger/changeTracker';
import { serverTime } from '../../../nodes/Microsoft/shared/node/deltaTrigger';

const ALL: WatchSettings = { events: ['fileCreated', 'fileUpdated', 'folderCreated', 'deleted'] };
const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function file(id: string, parent: string, opts: { created: number; modified?: number; eTag?: string; path?: string }): IDataObject {
	return {
		id,
		name: `${id}.txt`,
		file: { mimeType: 'text/plain' },
		eTag: opts.eTag ?? `"{${id}},1"`,
		createdDateTime: iso(opts.created),
		lastModifiedDateTime: iso(opts.modified ?? opts.created),
		parentReference: { id: parent, ...(opts.path !== undefined ? { path: `/drive/root:${opts.path}` } : {}) },
	};
}
function folder(id: string, parent: string, created: number, path?: string): IDataObject {
	return { ...file(id, parent, { created, path }), name: id, file: undefined, folder: { childCount: 0 } };
}

describe('decideChanges', () => {
	it('tells created from updated by creation time against the previous poll, and emits each change once', () => {
		const state: TrackerState = {};
		const fresh = file('A', 'root', { created: T0 + 1000 });
		const old = file('B', 'root', { created: T0 - 10 * CREATED_MARGIN_MS, modified: T0 + 2000 });
		expect(decideChanges([fresh, old], state, ALL, T0).map((c) => [c.event, c.item.id])).toEqual([
			['fileCreated', 'A'],
			['fileUpdated', 'B'],
		]);
		// The same entries again (overlapping feed): nothing new.
		expect(decideChanges([fresh, old], state, ALL, T0 + 5000)).toEqual([]);
		// A new version of A later: an update, never a second "created".
		const edited = { ...fresh, eTag: '"{A},2"', lastModifiedDateTime: iso(T0 + 9000) };
		expect(decideChanges([edited], state, ALL, T0 + 5000).map((c) => c.event)).toEqual(['fileUpdated']);
	});

	it('never calls an item created before watching started "created", even inside the margin', () => {
		const state: TrackerState = { startedAt: iso(T0) };
		const before = file('E', 'root', { created: T0 - 1000, modified: T0 + 5000 });
		const after = file('N', 'root', { created: T0 + 1000 });
		expect(decideChanges([before, after], state, ALL, T0 + 2000).map((c) => [c.event, c.item.id])).toEqual([
			['fileUpdated', 'E'],
			['fileCreated', 'N'],
		]);
	});

	it('uses the last entry of an item that appears twice in one feed', () => {
		const first = file('A', 'root', { created: T0 + 1, eTag: '"{A},1"' });
		const last = { ...first, eTag: '"{A},3"', name: 'renamed.txt' };
		const changes = decideChanges([first, last], {}, ALL, T0);
		expect(changes).toHaveLength(1);
		expect(changes[0].item.name).toBe('renamed.txt');
	});

	it('emits deletes once and honours the event list', () => {
		const state: TrackerState = {};
		const tombstone = { id: 'X', deleted: { state: 'deleted' }, parentReference: { id: 'root' } };
		expect(decideChanges([tombstone], state, { events: ['fileCreated'] }, T0)).toEqual([]);
		expect(decideChanges([tombstone], state, ALL, T0)).toEqual([]); // already recorded as deleted
		expect(decideChanges([{ ...tombstone, id: 'Y' }], state, ALL, T0).map((c) => c.event)).toEqual(['deleted']);
	});

	it('in folder mode keeps only the watched folder (and sub-folders when asked), learning sub-folders from the feed', () => {
		const watch: WatchSettings = { events: ALL.events, folder: { includeSubfolders: true } };
		const state: TrackerState = { folderId: 'W', folderPath: 'Reports', scopeFolders: [] };
		const sub = folder('S', 'W', T0 + 1);
		const deep = file('D', 'S', { created: T0 + 2 });
		const outside = file('O', 'root', { created: T0 + 3 });
		const byPath = file('P', 'unknown', { created: T0 + 4, path: '/Reports/2026' });
		const changes = decideChanges([sub, deep, outside, byPath], state, watch, T0);
		expect(changes.map((c) => c.item.id)).toEqual(['S', 'D', 'P']);
		expect(state.scopeFolders).toEqual(['S']);

		const shallow: TrackerState = { folderId: 'W', folderPath: 'Reports', scopeFolders: [] };
		const direct = decideChanges([sub, deep, byPath], shallow, { events: ALL.events, folder: { includeSubfolders: false } }, T0);
		expect(direct.map((c) => c.item.id)).toEqual(['S']);
	});

	it('ignores a re-reported file that did not change since the previous poll', () => {
		const unchanged = file('U', 'root', { created: T0 - 10 * CREATED_MARGIN_MS });
		expect(decideChanges([unchanged], {}, ALL, T0)).toEqual([]);
	});

	it('keeps the remembered ids bounded', () => {
		const state: TrackerState = {};
		const many = Array.from({ length: 5200 }, (_, i) => file(`F${i}`, 'root', { created: T0 + i }));
		expect(decideChanges(many, state, ALL, T0)).toHaveLength(5200);
		expect(Object.keys(state.seen ?? {})).toHaveLength(5000);
		expect(JSON.stringify(state).length).toBeLessThan(5000 * 30);
	});
});

describe('serverTime', () => {
	const headers = { date: 'Sun, 01 Mar 2026 10:00:00 GMT' };
	it('adds the local milliseconds when the local clock is inside the server second', () => {
		expect(serverTime({ headers }, T0 + 420)).toBe('2026-03-01T10:00:00.420Z');
	});
	it('stays inside the server second when the clocks disagree', () => {
		expect(serverTime({ headers }, T0 - 60000)).toBe('2026-03-01T10:00:00.000Z');
		expect(serverTime({ headers }, T0 + 60000)).toBe('2026-03-01T10:00:00.999Z');
	});
	it('falls back to the local clock without a Date header', () => {
		expect(serverTime({ headers: {} }, T0 + 5)).toBe('2026-03-01T10:00:00.005Z');
	});
});
