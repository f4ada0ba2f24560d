// @ts-nocheck
'use strict';

/**
 * P1 (upload) and P2 (download) of a large file: our OneDrive node, n8n's built-in OneDrive node, n8n's HTTP
 * Request node (download) and curl on the same URLs, alternating run by run. Speeds come from n8n's per-node
 * execution time; curl's from its wall time. Memory is the n8n server's peak RSS growth during each run.
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { runInServer, storeProbe, chain, MIB } = require('../lib/n8n-bench');
const { run, median } = require('../lib/common');
const { alternate, fmt, row } = require('../lib/report');

const ALICE = 'alice@contoso.onmicrosoft.com';
const FRAGMENT = 10 * MIB; // our node's default fragment size; curl sends the same fragments
const BUILT_IN_UPLOAD_MAX = 64 * MIB;

/** Writes `size` bytes of random data (1 MiB pattern blocks, so it costs no CPU) into `file`. */
function makeFile(file, size) {
	const block = crypto.randomBytes(MIB);
	const fd = fs.openSync(file, 'w');
	try {
		for (let written = 0; written < size; written += MIB) fs.writeSync(fd, block, 0, Math.min(MIB, size - written));
	} finally {
		fs.closeSync(fd);
	}
}

const ours = (parameters) => ({
	name: 'Ours',
	type: 'n8n-nodes-microsoft-365.microsoft365OneDrive',
	typeVersion: 1,
	parameters: { authentication: 'oAuth2', driveLocation: 'myDrive', ...parameters },
	credentials: { microsoft365OAuth2Api: { id: '', name: '' } },
});
const builtIn = (parameters) => ({
	name: 'Built-in',
	type: 'n8n-nodes-base.microsoftOneDrive',
	typeVersion: 1.1,
	parameters,
	credentials: { microsoftOneDriveOAuth2Api: { id: '', name: '' } },
	onError: 'continueRegularOutput',
});

async function transferRows(env, { sizeMiB, runs, caFile }) {
	const size = sizeMiB * MIB;
	const { drives } = env.sandbox;
	const driveId = drives.driveIdOfUser(ALICE);
	await drives.addLargeFile(driveId, '/bench/big.bin', size);
	const item = () => drives.itemByPath(driveId, '/bench/big.bin');
	const benchFolderId = drives.itemByPath(driveId, '/bench').id;
	const scratch = fs.mkdtempSync(path.join(env.filesDir, 'curl-'));

	// ---- P2: download
	const inN8n = async (workflow, nodeName) => {
		const result = await runInServer(env, workflow);
		const binary = result.items(nodeName)[0]?.binary?.data;
		const failure = result.error ?? result.nodeError(nodeName) ?? (result.items(nodeName)[0]?.json?.error);
		return { ok: !failure && Boolean(binary), failure, seconds: result.seconds(nodeName), peakGrowthMiB: result.peakGrowthMiB };
	};
	const curlFile = path.join(scratch, 'download.bin');
	const download = await alternate(runs, {
		ours: () => inN8n(chain('P2 ours', [ours({ resource: 'file', operation: 'download', fileId: { __rl: true, mode: 'path', value: '/bench/big.bin' } })]), 'Ours'),
		builtIn: () => inN8n(chain('P2 built-in', [builtIn({ resource: 'file', operation: 'download', fileId: item().id, binaryPropertyName: 'data' })]), 'Built-in'),
		httpRequest: () => inN8n(chain('P2 HTTP Request', [{
			name: 'HTTP Request', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2,
			parameters: { url: item()['@microsoft.graph.downloadUrl'], options: { response: { response: { responseFormat: 'file' } } } },
		}]), 'HTTP Request'),
		store: () => storeProbe(env, size).catch((error) => ({ ok: false, failure: error.message })),
		curl: async () => {
			fs.rmSync(curlFile, { force: true });
			const started = process.hrtime.bigint();
			await run('curl', ['-sS', '--fail', '--cacert', caFile, '-o', curlFile, item()['@microsoft.graph.downloadUrl']]);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			const ok = fs.statSync(curlFile).size === size;
			fs.rmSync(curlFile, { force: true });
			return { ok, seconds };
		},
	});
	const speed = (side) => (side.ok ? (side.mib ?? sizeMiB) / side.seconds : 0);

	// ---- P1: upload (the file is read from disk into n8n's binary store first; only the upload node is timed)
	const source = path.join(env.filesDir, 'upload-source.bin');
	makeFile(source, size);
	const fragments = [];
	for (let start = 0, index = 0; start < size; start += FRAGMENT, index++) {
		const file = path.join(scratch, `fragment-${index}`);
		const end = Math.min(size, start + FRAGMENT) - 1;
		const fd = fs.openSync(source, 'r');
		const buffer = Buffer.alloc(end - start + 1);
		fs.readSync(fd, buffer, 0, buffer.length, start);
		fs.closeSync(fd);
		fs.writeFileSync(file, buffer);
		fragments.push({ file, start, end });
	}
	const readFile = { name: 'Read File', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, parameters: { operation: 'read', fileSelector: source, options: {} } };
	// The built-in uploads with one simple PUT of the whole file held in memory: Graph refuses those above 250 MB,
	// and at 64 MiB n8n's process already grew by more than 2 GiB, so it is given at most 64 MiB (its own file).
	const builtInSize = Math.min(size, BUILT_IN_UPLOAD_MAX);
	const builtInSource = path.join(env.filesDir, 'upload-source-built-in.bin');
	if (builtInSize !== size) makeFile(builtInSource, builtInSize);
	const readBuiltInFile = { ...readFile, parameters: { ...readFile.parameters, fileSelector: builtInSize === size ? source : builtInSource } };
	const uploaded = (name) => drives.itemByPath(driveId, `/bench/${name}`);
	const upload = await alternate(runs, {
		ours: async () => {
			const result = await runInServer(env, chain('P1 ours', [readFile, ours({
				resource: 'file', operation: 'upload', parentFolder: { __rl: true, mode: 'path', value: '/bench' },
				uploadFrom: 'binary', binaryPropertyName: 'data', fileName: 'ours-up.bin', conflictBehavior: 'replace',
			})]));
			const failure = result.error ?? result.nodeError('Ours');
			return { ok: !failure && uploaded('ours-up.bin')?.size === size, failure, seconds: result.seconds('Ours'), peakGrowthMiB: result.peakGrowthMiB };
		},
		builtIn: async () => {
			const result = await runInServer(env, chain('P1 built-in', [readBuiltInFile, builtIn({
				resource: 'file', operation: 'upload', parentId: benchFolderId, binaryData: true, binaryPropertyName: 'data', fileName: 'builtin-up.bin',
			})]));
			const failure = result.error ?? result.nodeError('Built-in') ?? result.items('Built-in')[0]?.json?.error;
			return { ok: !failure && uploaded('builtin-up.bin')?.size === builtInSize, failure, seconds: result.seconds('Built-in'), peakGrowthMiB: result.peakGrowthMiB, mib: builtInSize / MIB };
		},
		curl: async () => {
			const token = env.sandbox.issueToken({ userId: env.seed.users.alice.id, scopes: ['Files.ReadWrite.All'], lifetimeSeconds: 3600 });
			const session = JSON.parse(await run('curl', [
				'-sS', '--fail', '--cacert', caFile, '-X', 'POST', '-H', `Authorization: Bearer ${token}`, '-H', 'Content-Type: application/json',
				'-d', JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'replace' } }),
				`${env.sandbox.graphUrl}/v1.0/me/drive/root:/bench/curl-up.bin:/createUploadSession`,
			]));
			const args = [];
			fragments.forEach(({ file, start, end }, index) => {
				if (index > 0) args.push('--next');
				args.push('-sS', '--fail', '--cacert', caFile, '-X', 'PUT', '-H', `Content-Range: bytes ${start}-${end}/${size}`,
					'-H', 'Content-Type: application/octet-stream', '--upload-file', file, '-o', '/dev/null', session.uploadUrl);
			});
			const started = process.hrtime.bigint();
			await run('curl', args);
			const seconds = Number(process.hrtime.bigint() - started) / 1e9;
			return { ok: uploaded('curl-up.bin')?.size === size, seconds };
		},
	});
	fs.rmSync(scratch, { recursive: true, force: true });
	fs.rmSync(source, { force: true });
	fs.rmSync(builtInSource, { force: true });

	const med = (runsOf, fn) => median(runsOf.map(fn));
	const mibps = (runsOf) => med(runsOf, speed);
	const peak = (runsOf) => Math.max(...runsOf.map((r) => r.peakGrowthMiB ?? 0));
	const outcome = (runsOf) => (runsOf.every((r) => r.ok) ? `${fmt(mibps(runsOf))} MiB/s, +${fmt(peak(runsOf), 0)} MiB RSS` : `failed: ${String(runsOf.find((r) => !r.ok)?.failure ?? 'wrong size').slice(0, 120)}; +${fmt(peak(runsOf), 0)} MiB RSS`);

	const up = { ours: mibps(upload.ours), curl: mibps(upload.curl), rss: peak(upload.ours) };
	const upOk = upload.ours.every((r) => r.ok);
	const down = { ours: mibps(download.ours), curl: mibps(download.curl), http: mibps(download.httpRequest), builtIn: mibps(download.builtIn), store: mibps(download.store), rss: peak(download.ours) };
	const downOk = download.ours.every((r) => r.ok);
	const vsBuiltIn = down.builtIn > 0 ? down.ours / down.builtIn : Infinity;
	return [
		row({
			id: 'P1', work: `upload a ${sizeMiB} MiB file`,
			ours: upOk ? `${fmt(up.ours)} MiB/s, +${fmt(up.rss, 0)} MiB RSS` : `failed: ${upload.ours.find((r) => !r.ok)?.failure}`,
			reference: `curl ${fmt(up.curl)} MiB/s; built-in${builtInSize === size ? '' : ` (given ${builtInSize / MIB} MiB: one simple PUT, refused by Graph above 250 MB)`}: ${outcome(upload.builtIn)}`,
			ratio: `${fmt((up.ours / up.curl) * 100, 0)} % of curl`,
			target: 'completes; RSS growth ≤ 200 MiB; ≥ 70 % of curl',
			pass: upOk && up.rss <= 200 && up.ours / up.curl >= 0.7,
			runs: { ours: upload.ours.map(speed), curl: upload.curl.map(speed), builtIn: upload.builtIn.map(speed) },
		}),
		row({
			id: 'P2', work: `download a ${sizeMiB} MiB file`,
			ours: downOk ? `${fmt(down.ours)} MiB/s, +${fmt(down.rss, 0)} MiB RSS` : `failed: ${download.ours.find((r) => !r.ok)?.failure}`,
			reference: `HTTP Request node ${fmt(down.http)} MiB/s (+${fmt(peak(download.httpRequest), 0)} MiB); built-in: ${outcome(download.builtIn)}; curl ${fmt(down.curl)} MiB/s; n8n's binary store fed from memory ${fmt(down.store)} MiB/s`,
			ratio: `${fmt(down.ours / down.http, 2)}× HTTP Request, ${Number.isFinite(vsBuiltIn) ? `${fmt(vsBuiltIn, 2)}×` : '∞ (failed)'} built-in; ${fmt((down.ours / down.curl) * 100, 0)} % of curl, ${fmt((down.ours / down.store) * 100, 0)} % of the store`,
			target: 'RSS growth ≤ 200 MiB; ≥ 1.5× HTTP Request node and built-in',
			pass: downOk && down.rss <= 200 && down.ours / down.http >= 1.5 && vsBuiltIn >= 1.5,
			runs: { ours: download.ours.map(speed), httpRequest: download.httpRequest.map(speed), builtIn: download.builtIn.map(speed), curl: download.curl.map(speed), store: download.store.map(speed) },
		}),
	];
}

module.exports = { transferRows };
