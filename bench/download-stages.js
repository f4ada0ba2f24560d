#!/usr/bin/env node
// @ts-nocheck
'use strict';

/**
 * Where a download's time goes: the same file from the sandbox's pre-authenticated host through growing parts of
 * the node's path (plain https.get, n8n's request helper, regrouping variants, n8n's filesystem binary store, the
 * whole download operation), stages interleaved run by run so background load hits all alike; median MiB/s, peak
 * RSS growth, main-thread GC pause and CPU seconds (all threads) per stage. Diagnostic, not pass/fail.
 *
 *   node bench/download-stages.js                       (node flags pass through, e.g. --single-threaded-gc)
 *   BENCH_SIZE_MIB (1024)  BENCH_RUNS (3)  BENCH_STAGES=curl,helper (substrings of stage names)
 *   BENCH_PROFILE=<dir>  CPU profile of the measured runs   BENCH_DEBUG=1  user/system CPU and page faults per run
 */

const fs = require('node:fs');
const https = require('node:https');
const path = require('node:path');
const { pipeline } = require('node:stream/promises');
const { Writable } = require('node:stream');

const { ROOT, MIB, ensureCaAndGc, registerTypeScript, measure, measureCurl, median } = require('./lib/common');
const { startSandboxChild } = require('./lib/sandbox');

const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * MIB;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (ensureCaAndGc(__filename)) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

/** CPU profile of this process around the measured runs only (BENCH_PROFILE=<dir>), for `node --cpu-prof`-style analysis. */
async function startProfile() {
	const inspector = require('node:inspector');
	const session = new inspector.Session();
	session.connect();
	const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 500 });
	await post('Profiler.start');
	return {
		stop: async (file) => {
			const { profile } = await post('Profiler.stop');
			fs.mkdirSync(path.dirname(file), { recursive: true });
			fs.writeFileSync(file, JSON.stringify(profile));
			session.disconnect();
		},
	};
}

const { Transform } = require('node:stream');
/** Variant A: keep the chunks, join them with Buffer.concat once a piece is full. */
function concatRechunker(size, queued = size, objectMode = false) {
	let pending = [];
	let bytes = 0;
	return new Transform({
		// objectMode: the store's `for await` then takes one piece per read instead of read() joining all queued pieces.
		readableObjectMode: objectMode,
		readableHighWaterMark: objectMode ? Math.max(1, Math.round(queued / size)) : queued, writableHighWaterMark: size,
		transform(chunk, _e, done) {
			pending.push(chunk);
			bytes += chunk.length;
			if (bytes < size) return done();
			const joined = Buffer.concat(pending, bytes);
			pending = [];
			bytes = 0;
			done(null, joined);
		},
		flush(done) {
			done(null, bytes ? Buffer.concat(pending, bytes) : undefined);
		},
	});
}
/** Variant B: copy each chunk into the current piece at once (network chunks die young). */
function copyRechunker(size) {
	let piece = null;
	let used = 0;
	return new Transform({
		readableHighWaterMark: size, writableHighWaterMark: size,
		transform(chunk, _e, done) {
			let offset = 0;
			while (offset < chunk.length) {
				piece ??= Buffer.allocUnsafeSlow(size);
				const n = chunk.copy(piece, used, offset);
				used += n;
				offset += n;
				if (used === size) {
					this.push(piece);
					piece = null;
					used = 0;
				}
			}
			done();
		},
		flush(done) {
			done(null, used ? piece.subarray(0, used) : undefined);
		},
	});
}

const drain = () => new Writable({ highWaterMark: MIB, write: (_chunk, _enc, done) => done() });

async function main() {
	registerTypeScript();
	const { createHarness } = require(path.join(ROOT, 'test/harness'));
	const { Microsoft365OneDrive } = require(path.join(ROOT, 'nodes/Microsoft/OneDrive/Microsoft365OneDrive.node.ts'));
	const { SEED } = require(path.join(ROOT, 'test/sandbox/seed'));
	const sandbox = await startSandboxChild();
	const alice = SEED.users.alice;
	const token = await sandbox.call('issueToken', {
		tenant: SEED.tenants.contoso.id, appId: SEED.apps.multiTenant.clientId, userId: alice.id, scopes: ['Files.ReadWrite.All'], lifetimeSeconds: 7200,
	});
	const driveId = await sandbox.call('driveIdOfUser', alice.userPrincipalName);
	const harness = createHarness({
		binaryMode: 'filesystem',
		credentials: {
			microsoft365OAuth2Api: {
				cloud: 'custom', customLoginUrl: sandbox.urls.loginUrl, customGraphUrl: sandbox.urls.graphUrl,
				tenant: SEED.tenants.contoso.id, clientId: SEED.apps.multiTenant.clientId, clientSecret: SEED.apps.multiTenant.secret,
				oauthTokenData: { access_token: token, token_type: 'Bearer' },
			},
		},
	});
	const node = new Microsoft365OneDrive();
	const parameters = { authentication: 'oAuth2', driveLocation: 'myDrive', resource: 'file', operation: 'download', fileId: { __rl: true, mode: 'path', value: '/bench/big.bin' } };
	const scratch = fs.mkdtempSync(path.join(path.dirname(harness.binaryStoragePath), 'stages-'));
	const target = path.join(scratch, 'out.bin');
	try {
		await sandbox.call('addLargeFile', driveId, '/bench/big.bin', SIZE);
		const item = await sandbox.call('itemByPath', driveId, '/bench/big.bin');
		const url = item['@microsoft.graph.downloadUrl'];
		const ctx = () => harness.executeContext(node, { parameters });
		const helperStream = async (extra = {}) =>
			(await ctx().helpers.httpRequest({ method: 'GET', url, encoding: 'stream', returnFullResponse: true, ...extra })).body;

		const stages = {
			'curl → file': () => measureCurl(['-sS', '--fail', '--cacert', process.env.NODE_EXTRA_CA_CERTS, '-o', target, url]),
			'https.get → drain': () => measure(() => new Promise((resolve, reject) => https.get(url, (res) => pipeline(res, drain()).then(resolve, reject)).on('error', reject))),
			'https.get → fs.createWriteStream': () => measure(() => new Promise((resolve, reject) => https.get(url, (res) => pipeline(res, fs.createWriteStream(target)).then(resolve, reject)).on('error', reject))),
			'https.get → writeSync': () => measure(() => new Promise((resolve, reject) => https.get(url, (res) => {
				const fd = fs.openSync(target, 'w');
				res.on('data', (chunk) => fs.writeSync(fd, chunk));
				res.on('end', () => { fs.closeSync(fd); resolve(); });
				res.on('error', reject);
			}).on('error', reject))),
			'https.get → copy-in 1 MiB → createWriteStream': () => measure(() => new Promise((resolve, reject) => https.get(url, (res) => pipeline(res, copyRechunker(MIB), fs.createWriteStream(target)).then(resolve, reject)).on('error', reject))),
			'helper stream → drain': () => measure(async () => pipeline(await helperStream(), drain())),
			'helper stream → fs.createWriteStream': () => measure(async () => pipeline(await helperStream(), fs.createWriteStream(target))),
			'helper stream → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData(await helperStream(), 'big.bin')),
			'helper → concat 1 MiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB)), 'big.bin')),
			'helper → concat 256 KiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB / 4)), 'big.bin')),
			'helper → concat 512 KiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB / 2)), 'big.bin')),
			'helper → concat 1 MiB, 16 MiB queue → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB, 16 * MIB)), 'big.bin')),
			'helper → concat 1 MiB objectMode → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB, MIB, true)), 'big.bin')),
			'helper → concat 1 MiB objectMode, 4 queued → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB, 4 * MIB, true)), 'big.bin')),
			'helper → concat 512 KiB objectMode, 4 queued → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(MIB / 2, 2 * MIB, true)), 'big.bin')),
			'helper → concat 4 MiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(concatRechunker(4 * MIB)), 'big.bin')),
			'helper → copy-in 1 MiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(copyRechunker(MIB)), 'big.bin')),
			'helper → copy-in 512 KiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(copyRechunker(MIB / 2)), 'big.bin')),
			'helper → copy-in 4 MiB → prepareBinaryData': () => measure(async () => ctx().helpers.prepareBinaryData((await helperStream()).pipe(copyRechunker(4 * MIB)), 'big.bin')),
			'helper → copy-in 1 MiB → drain': () => measure(async () => pipeline(await helperStream(), copyRechunker(MIB), drain())),
			'node download operation': () => measure(async () => harness.execute(node, { parameters })),
		};
		const only = process.env.BENCH_STAGES ? process.env.BENCH_STAGES.split(',') : undefined;
		const chosen = Object.entries(stages).filter(([name]) => !only || only.some((o) => name.includes(o)));
		process.stdout.write(`Download stages, ${SIZE / MIB} MiB, median of ${RUNS} (stages interleaved, so load drift hits all alike)\n`);
		for (const [, stage] of chosen) await stage(); // warm-up
		const runs = new Map(chosen.map(([name]) => [name, []]));
		const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
		for (let i = 0; i < RUNS; i++) {
			for (const [name, stage] of chosen) {
				runs.get(name).push(await stage());
				fs.rmSync(target, { force: true });
			}
		}
		if (profiler) await profiler.stop(path.join(process.env.BENCH_PROFILE, 'stages.cpuprofile'));
		for (const [name, list] of runs) {
			const seconds = median(list.map((r) => r.seconds));
			const peak = Math.max(...list.map((r) => r.peakGrowthMiB));
			process.stdout.write(
				`  ${name.padEnd(44)} ${(SIZE / MIB / seconds).toFixed(1).padStart(8)} MiB/s  peak RSS growth ${peak.toFixed(1)} MiB  ` +
					`GC ${median(list.map((r) => r.gcMs ?? 0)).toFixed(0)} ms  CPU ${median(list.map((r) => r.cpuSeconds)).toFixed(2)} s  ` +
					`[${list.map((r) => (SIZE / MIB / r.seconds).toFixed(0)).join(', ')}]\n`,
			);
		}
	} finally {
		await harness.cleanup();
		await sandbox.call('stop').catch(() => undefined);
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}
