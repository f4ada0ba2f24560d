// @ts-nocheck
'use strict';

/**
 * P7: N folder creations while every 3rd Graph request is answered 429 Retry-After: 1. Ours must create each
 * folder exactly once with no failed item, in at most 1.2× the waits owed; the built-in node's outcome is
 * reported. "Waits owed" is the time during which the client was told to wait: the union of [429 answered,
 * +1 s] over every 429 of the run (overlapping waits count once, so a client that waits concurrently owes less).
 */

const { runInServer, chain } = require('../lib/n8n-bench');
const { median } = require('../lib/common');
const { alternate, fmt, row } = require('../lib/report');

const ALICE = 'alice@contoso.onmicrosoft.com';
const RETRY_AFTER_MS = 1000;

/** Wraps the sandbox's fault lookup: every 3rd Graph request (not sign-in, not control routes) gets a 429. */
function throttleEveryThird(sandbox) {
	const take = sandbox.faults.take.bind(sandbox.faults);
	const state = { count: 0, throttledAt: [], active: false };
	sandbox.faults.take = (method, path, host) => {
		if (state.active && host === 'api' && path.startsWith('/v1.0/')) {
			state.count += 1;
			if (state.count % 3 === 0) {
				state.throttledAt.push(Date.now());
				return { status: 429, retryAfter: '1', id: -1, hits: 0, remaining: Infinity };
			}
		}
		return take(method, path, host);
	};
	return state;
}

/** Length of the union of [t, t + RETRY_AFTER_MS] over the given times, in seconds. */
function waitsOwed(times) {
	let total = 0;
	let end = -Infinity;
	for (const t of [...times].sort((a, b) => a - b)) {
		const start = Math.max(t, end);
		end = Math.max(end, t + RETRY_AFTER_MS);
		if (end > start) total += end - start;
	}
	return total / 1000;
}

async function throttlingRow(env, { count, runs }) {
	const { drives } = env.sandbox;
	const driveId = drives.driveIdOfUser(ALICE);
	const throttle = throttleEveryThird(env.sandbox);
	let round = 0;
	const makeItems = (prefix) => ({
		name: 'Names', type: 'n8n-nodes-base.code', typeVersion: 2,
		parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { name: '${prefix}-' + String(i + 1).padStart(5, '0') } }));` },
	});
	const side = (label, node) => async () => {
		round += 1;
		const parentPath = `/bench/p7-${label}-${round}`;
		const parentId = drives.addFolder(driveId, parentPath).id;
		throttle.throttledAt = [];
		throttle.count = 0;
		throttle.active = true;
		let result;
		try {
			result = await runInServer(env, chain(`P7 ${label}`, [makeItems('f'), node(parentPath, parentId)]));
		} finally {
			throttle.active = false;
		}
		const name = node(parentPath, parentId).name;
		const items = result.items(name);
		const failed = items.filter((item) => item.json?.error).length + (result.error ? count - items.length : 0);
		const names = childNames(env, parentId);
		const created = new Set(names).size;
		const duplicated = names.length - created + names.filter((n) => !/^f-\d{5}$/.test(n)).length;
		return { seconds: result.seconds(name), owed: waitsOwed(throttle.throttledAt), throttled: throttle.throttledAt.length, failed, created, duplicated, error: result.error };
	};
	const sides = await alternate(runs, {
		ours: side('ours', (parentPath) => ({
			name: 'Ours', type: 'n8n-nodes-microsoft-365.microsoft365OneDrive', typeVersion: 1,
			parameters: { authentication: 'oAuth2', driveLocation: 'myDrive', resource: 'folder', operation: 'create', parentFolder: { __rl: true, mode: 'path', value: parentPath }, folderPath: '={{ $json.name }}' },
			credentials: { microsoft365OAuth2Api: { id: '', name: '' } },
			onError: 'continueRegularOutput',
		})),
		builtIn: side('builtin', (_parentPath, parentId) => ({
			name: 'Built-in', type: 'n8n-nodes-base.microsoftOneDrive', typeVersion: 1.1,
			parameters: { resource: 'folder', operation: 'create', name: '={{ $json.name }}', options: { parentFolderId: parentId } },
			credentials: { microsoftOneDriveOAuth2Api: { id: '', name: '' } },
			onError: 'continueRegularOutput',
		})),
	});
	const worst = (list, key) => Math.max(...list.map((r) => r[key]));
	const ratios = sides.ours.map((r) => r.seconds / r.owed);
	const ratio = median(ratios);
	const oursOk = sides.ours.every((r) => r.failed === 0 && r.duplicated === 0 && r.created === count);
	const b = sides.builtIn;
	return row({
		id: 'P7', work: `${count} folder creations, every 3rd request 429 Retry-After: 1`,
		ours: `${fmt(median(sides.ours.map((r) => r.seconds)), 1)} s for ${fmt(median(sides.ours.map((r) => r.owed)), 1)} s owed (${worst(sides.ours, 'throttled')} 429s); ${worst(sides.ours, 'failed')} failed, ${worst(sides.ours, 'duplicated')} duplicated, ${Math.min(...sides.ours.map((r) => r.created))}/${count} created`,
		reference: `built-in: ${worst(b, 'failed')} failed, ${worst(b, 'duplicated')} duplicated, ${Math.min(...b.map((r) => r.created))}/${count} created in ${fmt(median(b.map((r) => r.seconds)), 1)} s`,
		ratio: `${fmt(ratio, 2)}× the waits owed`,
		target: '0 failed, 0 duplicated; wall ≤ 1.2× the waits owed',
		pass: oursOk && ratio <= 1.2,
		runs: { ours: sides.ours.map((r) => r.seconds), oursOwed: sides.ours.map((r) => r.owed), builtIn: b.map((r) => r.seconds) },
	});
}

/** Names of a sandbox drive folder's children, read from its store. */
function childNames(env, folderId) {
	const store = env.sandbox.state.drives;
	return store.childrenOf(store.getItem(folderId)).map((child) => child.name);
}

module.exports = { throttlingRow, waitsOwed };
