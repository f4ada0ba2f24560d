// @ts-nocheck
'use strict';

/**
 * P3 (a folder of many drive items) and P5 (many messages of a mail folder): our node's Get Many / List
 * Children against the built-in node's, wall time from n8n's per-node execution time, requests counted in the
 * sandbox's log during our runs.
 */

const { runInServer, chain, requestsSince } = require('../lib/n8n-bench');
const { median } = require('../lib/common');
const { alternate, fmt, row } = require('../lib/report');

const ALICE = 'alice@contoso.onmicrosoft.com';
/** Graph's largest page for drive children and for messages ($top up to 1,000 where Graph allows it). */
const LARGEST_PAGE = 1000;

/** Runs one workflow, checks the item count, and returns the node's time and the Graph requests it made. */
async function listOnce(env, workflow, nodeName, expected) {
	const from = env.sandbox.state.requests.length;
	const result = await runInServer(env, workflow);
	const requests = requestsSince(env, from).filter((r) => r.host === 'api' && r.method === 'GET' && !r.path.includes('/oauth2/'));
	const count = result.items(nodeName).length;
	const failure = result.error ?? result.nodeError(nodeName) ?? (count !== expected ? `${count} items, expected ${expected}` : undefined);
	return { ok: !failure, failure, seconds: result.seconds(nodeName), requests: requests.length, count };
}

function listingRow({ id, work, n, sides, target, maxRatio }) {
	const oursOk = sides.ours.every((r) => r.ok);
	const builtInOk = sides.builtIn.every((r) => r.ok);
	const ours = median(sides.ours.map((r) => r.seconds));
	const builtIn = median(sides.builtIn.map((r) => r.seconds));
	const requests = Math.max(...sides.ours.map((r) => r.requests));
	const allowed = Math.ceil(n / LARGEST_PAGE) + 1;
	const ratio = ours / builtIn;
	return row({
		id, work,
		ours: oursOk ? `${fmt(ours, 2)} s, ${requests} requests (≤ ${allowed} allowed)` : `failed: ${sides.ours.find((r) => !r.ok).failure}`,
		reference: builtInOk
			? `built-in ${fmt(builtIn, 2)} s, ${Math.max(...sides.builtIn.map((r) => r.requests))} requests`
			: `built-in failed: ${String(sides.builtIn.find((r) => !r.ok).failure).slice(0, 160)}`,
		ratio: builtInOk ? `${fmt(ratio, 2)}× built-in` : '–',
		target,
		// A failed reference proves nothing about the ratio: the row then only checks ours.
		pass: oursOk && requests <= allowed && (!builtInOk || ratio <= maxRatio),
		runs: { ours: sides.ours.map((r) => r.seconds), builtIn: sides.builtIn.map((r) => r.seconds) },
	});
}

async function listingRows(env, { folderItems, messages, runs }) {
	const rows = [];
	// ---- P3: a folder of `folderItems` drive items
	const { drives } = env.sandbox;
	const driveId = drives.driveIdOfUser(ALICE);
	const folderPath = `/bench/many-${folderItems}`;
	await drives.bulkFolder(driveId, folderPath, folderItems);
	const folderId = drives.itemByPath(driveId, folderPath).id;
	const drive = await alternate(runs, {
		ours: () => listOnce(env, chain('P3 ours', [{
			name: 'Ours', type: 'n8n-nodes-microsoft-365.microsoft365OneDrive', typeVersion: 1,
			parameters: { authentication: 'oAuth2', driveLocation: 'myDrive', resource: 'folder', operation: 'listChildren', folderId: { __rl: true, mode: 'id', value: folderId }, returnAll: true },
			credentials: { microsoft365OAuth2Api: { id: '', name: '' } },
		}]), 'Ours', folderItems),
		builtIn: () => listOnce(env, chain('P3 built-in', [{
			name: 'Built-in', type: 'n8n-nodes-base.microsoftOneDrive', typeVersion: 1.1,
			parameters: { resource: 'folder', operation: 'getChildren', folderId },
			credentials: { microsoftOneDriveOAuth2Api: { id: '', name: '' } },
		}]), 'Built-in', folderItems),
	});
	rows.push(listingRow({ id: 'P3', work: `list a folder of ${folderItems} items`, n: folderItems, sides: drive, target: '≤ ⌈N/1000⌉+1 requests; ≤ 0.3× built-in', maxRatio: 0.3 }));

	// ---- P5: `messages` messages in a mail folder of their own
	const token = env.sandbox.issueToken({ tenant: env.seed.tenants.contoso.id, appId: env.seed.apps.singleTenant.clientId, roles: ['Mail.ReadWrite'], lifetimeSeconds: 600 });
	const created = await fetch(`${env.sandbox.graphUrl}/v1.0/users/${encodeURIComponent(ALICE)}/mailFolders`, {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ displayName: `Bench ${messages} ${Date.now()}` }),
	});
	if (!created.ok) throw new Error(`creating the mail folder: ${created.status} ${await created.text()}`);
	const mailFolderId = (await created.json()).id;
	env.sandbox.outlook.seedMessages(ALICE, messages, { folder: mailFolderId, subject: 'Bench message', body: 'A message of the listing benchmark.' });
	const mail = await alternate(runs, {
		ours: () => listOnce(env, chain('P5 ours', [{
			name: 'Ours', type: 'n8n-nodes-microsoft-365.microsoft365Outlook', typeVersion: 1,
			parameters: { authentication: 'oAuth2', resource: 'message', operation: 'getAll', mailbox: 'me', folderId: { __rl: true, mode: 'id', value: mailFolderId }, returnAll: true, filters: {} },
			credentials: { microsoft365OAuth2Api: { id: '', name: '' } },
		}]), 'Ours', messages),
		builtIn: () => listOnce(env, chain('P5 built-in', [{
			name: 'Built-in', type: 'n8n-nodes-base.microsoftOutlook', typeVersion: 2,
			parameters: { resource: 'folderMessage', operation: 'getAll', folderId: { __rl: true, mode: 'id', value: mailFolderId }, returnAll: true },
			credentials: { microsoftOutlookOAuth2Api: { id: '', name: '' } },
		}]), 'Built-in', messages),
	});
	rows.push(listingRow({ id: 'P5', work: `list ${messages} messages of a folder`, n: messages, sides: mail, target: '≤ ⌈N/1000⌉+1 requests; ≤ 0.3× built-in', maxRatio: 0.3 }));
	return rows;
}

module.exports = { listingRows };
