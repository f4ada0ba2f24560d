#!/usr/bin/env node
// @ts-nocheck
'use strict';

/**
 * `npm run bench:core`: the OneDrive node moving a 1 GiB file to and from the sandbox (inside real n8n-core via
 * test/harness, filesystem binary mode) against `curl` moving the same bytes to/from the same sandbox, plus a
 * 20,000-item folder listing counting requests. Exits 2 when a target is missed.
 *
 * Fairness: both read the same source (the sandbox's pre-authenticated download URL / the same file on disk),
 * both write into the same folder of the same filesystem (curl next to n8n's binary store), curl uploads with
 * the same session protocol and fragment size over one connection (one curl, `--next` per fragment). Each side
 * is warmed up once, then node and curl alternate BENCH_RUNS times (order swapped each round, so background
 * load hits both alike) and medians are compared. Peak RSS growth is sampled every 10 ms during each transfer
 * (the node: this process; curl: its own process). The sandbox runs in a child process.
 *
 * Options (env): BENCH_SIZE_MIB (default 1024), BENCH_RUNS (default 3), BENCH_LIST_ITEMS (default 20000).
 * Node flags pass through to the measuring process (`node --cpu-prof bench/onedrive-transfer.js`). Per-stage
 * download diagnosis: bench/download-stages.js.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, MIB, ensureCaAndGc, registerTypeScript, measure, measureCurl, run, median } = require('./lib/common');
const { startSandboxChild } = require('./lib/sandbox');

const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * MIB;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const LIST_ITEMS = Number(process.env.BENCH_LIST_ITEMS ?? 20000);
const FRAGMENT = 10 * MIB; // the node's default fragment size; curl uses the same
const TARGET_RATIO = 70;
const TARGET_RSS_MIB = 200;

if (ensureCaAndGc(__filename)) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

/** Warm-up, then RUNS alternating rounds; returns the measured runs of each side. */
async function compare(nodeRun, curlRun) {
	await nodeRun();
	await curlRun();
	const node = [];
	const curl = [];
	for (let round = 0; round < RUNS; round++) {
		if (round % 2 === 0) {
			node.push(await nodeRun());
			curl.push(await curlRun());
		} else {
			curl.push(await curlRun());
			node.push(await nodeRun());
		}
	}
	const summary = (runs) => ({
		mibPerSecond: median(runs.map((r) => SIZE / MIB / r.seconds)),
		runs: runs.map((r) => Number((SIZE / MIB / r.seconds).toFixed(1))),
		peakRssGrowthMiB: Math.max(...runs.map((r) => r.peakGrowthMiB)),
		cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
	});
	const result = { node: summary(node), curl: summary(curl) };
	result.ratio = (result.node.mibPerSecond / result.curl.mibPerSecond) * 100;
	return result;
}

async function main() {
	registerTypeScript();
	const { createHarness } = require(path.join(ROOT, 'test/harness'));
	const { Microsoft365OneDrive } = require(path.join(ROOT, 'nodes/Microsoft/OneDrive/Microsoft365OneDrive.node.ts'));
	const { SEED } = require(path.join(ROOT, 'test/sandbox/seed'));
	const ca = process.env.NODE_EXTRA_CA_CERTS;

	const sandbox = await startSandboxChild();
	const { graphUrl, loginUrl } = sandbox.urls;
	const alice = SEED.users.alice;
	const token = await sandbox.call('issueToken', {
		tenant: SEED.tenants.contoso.id,
		appId: SEED.apps.multiTenant.clientId,
		userId: alice.id,
		scopes: ['Files.ReadWrite.All'],
		lifetimeSeconds: 7200,
	});
	const driveId = await sandbox.call('driveIdOfUser', alice.userPrincipalName);
	const harness = createHarness({
		binaryMode: 'filesystem',
		credentials: {
			microsoft365OAuth2Api: {
				cloud: 'custom',
				customLoginUrl: loginUrl,
				customGraphUrl: graphUrl,
				tenant: SEED.tenants.contoso.id,
				clientId: SEED.apps.multiTenant.clientId,
				clientSecret: SEED.apps.multiTenant.secret,
				oauthTokenData: { access_token: token, token_type: 'Bearer' },
			},
		},
	});
	const node = new Microsoft365OneDrive();
	const execute = async (parameters, input) =>
		(await harness.execute(node, { parameters: { authentication: 'oAuth2', driveLocation: 'myDrive', ...parameters }, input }))[0];
	// curl's files live next to n8n's binary store: same folder tree, same filesystem.
	const scratch = fs.mkdtempSync(path.join(path.dirname(harness.binaryStoragePath), 'curl-'));
	const storedPath = (binary) => harness.binaryDataService.getPath(binary.id);

	try {
		process.stdout.write(`Preparing a ${SIZE / MIB} MiB file in the sandbox...\n`);
		await sandbox.call('addLargeFile', driveId, '/bench/big.bin', SIZE);
		// Loads n8n-core's code paths and our modules before anything is timed.
		await execute({ resource: 'folder', operation: 'listChildren', folderId: { __rl: true, mode: 'path', value: '/bench' }, returnAll: true });

		// --- download: the node (streamed into the filesystem binary store) vs curl -o into the same folder tree
		const item = await sandbox.call('itemByPath', driveId, '/bench/big.bin');
		const curlFile = path.join(scratch, 'curl-download.bin');
		let keptBinary;
		const download = await compare(
			async () => {
				const result = await measure(async () =>
					execute({ resource: 'file', operation: 'download', fileId: { __rl: true, mode: 'path', value: '/bench/big.bin' } }),
				);
				const binary = result.result[0].binary.data;
				if (!binary.id) throw new Error('expected a filesystem-mode binary');
				if (fs.statSync(storedPath(binary)).size !== SIZE) throw new Error('node download stored the wrong size');
				// Keep one stored copy for the upload; remove the others so the disk does not fill up.
				if (keptBinary) fs.rmSync(storedPath(keptBinary), { force: true });
				keptBinary = binary;
				return result;
			},
			async () => {
				fs.rmSync(curlFile, { force: true });
				const result = await measureCurl(['-sS', '--fail', '--cacert', ca, '-o', curlFile, item['@microsoft.graph.downloadUrl']]);
				if (fs.statSync(curlFile).size !== SIZE) throw new Error('curl download has the wrong size');
				return result;
			},
		);

		// --- upload: the node (streamed from n8n's binary store) vs one curl sending the same fragments from disk
		const fragmentFiles = [];
		for (let start = 0, index = 0; start < SIZE; start += FRAGMENT, index++) {
			const file = path.join(scratch, `fragment-${index}`);
			await require('node:stream/promises').pipeline(
				fs.createReadStream(curlFile, { start, end: Math.min(SIZE, start + FRAGMENT) - 1 }),
				fs.createWriteStream(file),
			);
			fragmentFiles.push({ file, start, end: Math.min(SIZE, start + FRAGMENT) - 1 });
		}
		fs.rmSync(curlFile, { force: true });
		await sandbox.call('clearRequests');
		const upload = await compare(
			async () => {
				const result = await measure(async () =>
					execute(
						{ resource: 'file', operation: 'upload', parentFolder: { __rl: true, mode: 'path', value: '/bench' }, fileName: 'node-up.bin' },
						[{ json: {}, binary: { data: keptBinary } }],
					),
				);
				if (result.result[0].json.size !== SIZE) throw new Error('node upload has the wrong size');
				return result;
			},
			async () => {
				const finalFile = path.join(scratch, 'curl-upload-result.json');
				const result = await measureCurl(await curlUploadArgs(ca, token, graphUrl, fragmentFiles, finalFile));
				if (JSON.parse(fs.readFileSync(finalFile, 'utf8')).size !== SIZE) throw new Error('curl upload has the wrong size');
				return result;
			},
		);
		const uploadRequests = await sandbox.call('requests');
		const tokenOnFilesHost = uploadRequests.filter((r) => r.host === 'files' && r.hasAuthorization).length;

		// --- 20,000-item listing
		await sandbox.call('bulkFolder', driveId, '/bench/many', LIST_ITEMS);
		await sandbox.call('clearRequests');
		const listing = await measure(async () =>
			execute({ resource: 'folder', operation: 'listChildren', folderId: { __rl: true, mode: 'path', value: '/bench/many' }, returnAll: true }),
		);
		const listRequests = (await sandbox.call('requests')).filter((r) => r.host === 'api').length;
		const allowed = Math.ceil(LIST_ITEMS / 1000) + 1;
		const violations = tokenOnFilesHost + (await sandbox.call('violations'));

		const checks = [
			['download throughput', download.ratio >= TARGET_RATIO],
			['download memory', download.node.peakRssGrowthMiB < TARGET_RSS_MIB],
			['upload throughput', upload.ratio >= TARGET_RATIO],
			['upload memory', upload.node.peakRssGrowthMiB < TARGET_RSS_MIB],
			['listing items', listing.result.length === LIST_ITEMS],
			['listing requests', listRequests <= allowed],
			['no token on the files host', violations === 0],
		];
		printTable({ download, upload, listing: { items: listing.result.length, requests: listRequests, allowed, seconds: listing.seconds }, violations }, checks);
		const missed = checks.filter(([, ok]) => !ok).map(([name]) => name);
		process.stdout.write(missed.length ? `Targets missed: ${missed.join(', ')}.\n` : 'All targets met.\n');
		process.exitCode = missed.length ? 2 : 0;
	} finally {
		await harness.cleanup();
		await sandbox.call('stop').catch(() => undefined);
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** One curl: create the upload session, then one `--next` section per fragment (same connection, same fragments). */
async function curlUploadArgs(ca, token, graphUrl, fragments, finalFile) {
	const session = JSON.parse(
		await run('curl', [
			'-sS', '--fail', '--cacert', ca, '-X', 'POST',
			'-H', `Authorization: Bearer ${token}`, '-H', 'Content-Type: application/json',
			'-d', JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'replace' } }),
			`${graphUrl}/v1.0/me/drive/root:/bench/curl-up.bin:/createUploadSession`,
		]),
	);
	const args = [];
	fragments.forEach(({ file, start, end }, index) => {
		if (index > 0) args.push('--next');
		args.push(
			'-sS', '--fail', '--cacert', ca, '-X', 'PUT',
			'-H', `Content-Range: bytes ${start}-${end}/${SIZE}`, '-H', 'Content-Type: application/octet-stream',
			'--upload-file', file, '-o', index === fragments.length - 1 ? finalFile : '/dev/null', session.uploadUrl,
		);
	});
	return args;
}

function printTable(results, checks) {
	const { download, upload, listing, violations } = results;
	const f = (n) => n.toFixed(1);
	const row = (cells, widths) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i])).join('  ');
	const widths = [9, 9, 11, 11, 8, 14, 14, 12];
	const lines = [
		'',
		`OneDrive transfer benchmark: ${SIZE / MIB} MiB, filesystem binary mode, upload fragments ${FRAGMENT / MIB} MiB, median of ${RUNS} runs after a warm-up`,
		row(['transfer', 'size MiB', 'node MiB/s', 'curl MiB/s', 'ratio %', 'node peak RSS', 'curl peak RSS', 'CPU s n/c'], widths),
	];
	for (const [name, r] of [['download', download], ['upload', upload]]) {
		lines.push(
			row([name, SIZE / MIB, f(r.node.mibPerSecond), f(r.curl.mibPerSecond), f(r.ratio), `+${f(r.node.peakRssGrowthMiB)} MiB`,
				`${f(r.curl.peakRssGrowthMiB)} MiB`, `${r.node.cpuSeconds.toFixed(1)}/${r.curl.cpuSeconds.toFixed(1)}`], widths),
		);
	}
	lines.push(
		`  runs MiB/s: download node [${download.node.runs.join(', ')}] curl [${download.curl.runs.join(', ')}]; ` +
			`upload node [${upload.node.runs.join(', ')}] curl [${upload.curl.runs.join(', ')}]`,
		`listing: ${listing.items} items in ${listing.requests} requests (allowed ${listing.allowed}), ${f(listing.seconds)} s`,
		`token sent to the files host: ${violations} times`,
		`targets: ratio ≥ ${TARGET_RATIO} %, node peak RSS growth < ${TARGET_RSS_MIB} MiB, listing requests ≤ allowed`,
		...checks.map(([name, ok]) => `  ${ok ? 'ok    ' : 'MISSED'} ${name}`),
		JSON.stringify(results),
	);
	process.stdout.write(`${lines.join('\n')}\n`);
}
