#!/usr/bin/env node
// @ts-nocheck
'use strict';

/**
 * `npm run bench`: the OneDrive node moving a 1 GiB file to and from the sandbox (inside real n8n-core via
 * test/harness, filesystem binary mode) against `curl` moving the same bytes to/from the same sandbox, plus a
 * 20,000-item folder listing counting requests. Prints peak RSS growth and throughput.
 *
 * The sandbox runs in a child process so its own memory does not count against the node's.
 * Options (env): BENCH_SIZE_MIB (default 1024), BENCH_LIST_ITEMS (default 20000).
 */

const { execFileSync, fork, spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const MIB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * MIB;
const LIST_ITEMS = Number(process.env.BENCH_LIST_ITEMS ?? 20000);
const FRAGMENT = 10 * MIB; // the node's default fragment size; curl uses the same

if (process.argv[2] === '--sandbox-child') {
	runSandboxChild();
} else if (!process.env.NODE_EXTRA_CA_CERTS || !process.execArgv.includes('--expose-gc')) {
	// Node reads NODE_EXTRA_CA_CERTS only at start-up: restart with the sandbox CA trusted (and gc exposed).
	const ca = execFileSync(process.execPath, [path.join(ROOT, 'test/sandbox/ca.js')], { encoding: 'utf8' }).trim();
	const child = spawn(process.execPath, ['--expose-gc', __filename], {
		stdio: 'inherit',
		env: { ...process.env, NODE_EXTRA_CA_CERTS: ca },
	});
	child.on('exit', (code) => process.exit(code ?? 1));
} else {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

// ---------------------------------------------------------------- sandbox child (IPC)

async function runSandboxChild() {
	const { startSandbox } = require(path.join(ROOT, 'test/sandbox'));
	const sandbox = await startSandbox({ port: 0 });
	const handlers = {
		issueToken: (request) => sandbox.issueToken(request),
		driveIdOfUser: (upn) => sandbox.drives.driveIdOfUser(upn, sandbox.state),
		addLargeFile: (driveId, filePath, size) => sandbox.drives.addLargeFile(driveId, filePath, size),
		bulkFolder: (driveId, folderPath, count) => sandbox.drives.bulkFolder(driveId, folderPath, count),
		itemByPath: (driveId, itemPath) => sandbox.drives.itemByPath(driveId, itemPath),
		clearRequests: () => {
			sandbox.state.requests.length = 0;
		},
		requests: () => sandbox.state.requests.map((r) => ({ method: r.method, host: r.host, path: r.path, hasAuthorization: r.hasAuthorization })),
		violations: () => sandbox.state.violations.length,
		stop: async () => {
			await sandbox.stop();
			setImmediate(() => process.exit(0));
		},
	};
	process.on('message', async (message) => {
		try {
			const result = await handlers[message.cmd](...(message.args ?? []));
			process.send({ id: message.id, result });
		} catch (error) {
			process.send({ id: message.id, error: String(error && error.stack ? error.stack : error) });
		}
	});
	process.send({ ready: true, loginUrl: sandbox.loginUrl, graphUrl: sandbox.graphUrl, filesUrl: sandbox.filesUrl });
}

function startSandboxChild() {
	const child = fork(__filename, ['--sandbox-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 1;
	const pending = new Map();
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.on('message', (message) => {
			if (message.ready) {
				resolve({
					urls: message,
					call: (cmd, ...args) =>
						new Promise((res, rej) => {
							const id = nextId++;
							pending.set(id, { res, rej });
							child.send({ id, cmd, args });
						}),
				});
				return;
			}
			const waiter = pending.get(message.id);
			pending.delete(message.id);
			if (message.error) waiter.rej(new Error(message.error));
			else waiter.res(message.result);
		});
	});
}

// ---------------------------------------------------------------- TypeScript on the fly (no build step)

function registerTypeScript() {
	const ts = require('typescript');
	require.extensions['.ts'] = function compile(module, filename) {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
		});
		module._compile(outputText, filename);
	};
}

// ---------------------------------------------------------------- measuring

/** Samples RSS while `work` runs; returns its result, seconds and peak RSS growth over the baseline. */
async function measure(work) {
	// Flush dirty pages first, so one phase's disk writeback does not slow down the next one.
	execFileSync('sync');
	global.gc();
	await new Promise((resolve) => setTimeout(resolve, 50));
	const baseline = process.memoryUsage.rss();
	let peak = baseline;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage.rss());
	}, 10);
	const started = process.hrtime.bigint();
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage.rss());
		return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakGrowthMiB: (peak - baseline) / MIB };
	} finally {
		clearInterval(timer);
	}
}

function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], ...options });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		if (options.input) options.input.pipe(child.stdin);
		else child.stdin.end();
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${out}`))));
	});
}

const mibPerSecond = (bytes, seconds) => bytes / MIB / seconds;
const fixed = (n) => n.toFixed(1);

// ---------------------------------------------------------------- the benchmark

async function main() {
	registerTypeScript();
	const { createHarness } = require(path.join(ROOT, 'test/harness'));
	const { Microsoft365OneDrive } = require(path.join(ROOT, 'nodes/Microsoft/OneDrive/Microsoft365OneDrive.node.ts'));
	const { SEED } = require(path.join(ROOT, 'test/sandbox/seed'));
	const ca = process.env.NODE_EXTRA_CA_CERTS;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onedrive-bench-'));

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
	const results = {};

	try {
		process.stdout.write(`Preparing a ${SIZE / MIB} MiB file in the sandbox...\n`);
		await sandbox.call('addLargeFile', driveId, '/bench/big.bin', SIZE);
		// Warm-up (loads n8n-core paths, TLS session) with a small listing.
		await execute({ resource: 'folder', operation: 'listChildren', folderId: { __rl: true, mode: 'path', value: '/bench' }, returnAll: true });

		// --- downloads: node and curl alternate twice; the faster run of each counts (disk caches even out)
		const item = await sandbox.call('itemByPath', driveId, '/bench/big.bin');
		const curlFile = path.join(scratch, 'curl-download.bin');
		let nodeDown;
		let curlDown;
		let binary;
		for (let round = 0; round < 2; round++) {
			const nodeRun = await measure(async () =>
				execute({ resource: 'file', operation: 'download', fileId: { __rl: true, mode: 'path', value: '/bench/big.bin' } }),
			);
			binary = nodeRun.result[0].binary.data;
			if (!binary.id) throw new Error('expected a filesystem-mode binary');
			if ((await storedSize(harness, binary)) !== SIZE) throw new Error('node download stored the wrong size');
			const curlRun = await measure(async () =>
				run('curl', ['-sS', '--fail', '--cacert', ca, '-o', curlFile, item['@microsoft.graph.downloadUrl']]),
			);
			if (fs.statSync(curlFile).size !== SIZE) throw new Error('curl download has the wrong size');
			if (!nodeDown || nodeRun.seconds < nodeDown.seconds) nodeDown = { ...nodeRun, peakGrowthMiB: Math.max(nodeRun.peakGrowthMiB, nodeDown?.peakGrowthMiB ?? 0) };
			else nodeDown.peakGrowthMiB = Math.max(nodeDown.peakGrowthMiB, nodeRun.peakGrowthMiB);
			if (!curlDown || curlRun.seconds < curlDown.seconds) curlDown = curlRun;
		}

		// --- upload through the node (streamed from n8n's filesystem binary store)
		await sandbox.call('clearRequests');
		const nodeUp = await measure(async () =>
			execute(
				{ resource: 'file', operation: 'upload', parentFolder: { __rl: true, mode: 'path', value: '/bench' }, fileName: 'node-up.bin' },
				[{ json: {}, binary: { data: binary } }],
			),
		);
		if (nodeUp.result[0].json.size !== SIZE) throw new Error('node upload has the wrong size');
		const uploadRequests = await sandbox.call('requests');
		const tokenOnFilesHost = uploadRequests.filter((r) => r.host === 'files' && r.hasAuthorization).length;

		// --- upload with curl: same session protocol, same fragment size, one curl per fragment
		const curlUp = await measure(async () => {
			const session = JSON.parse(
				await run('curl', [
					'-sS', '--fail', '--cacert', ca, '-X', 'POST',
					'-H', `Authorization: Bearer ${token}`, '-H', 'Content-Type: application/json',
					'-d', JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'replace' } }),
					`${graphUrl}/v1.0/me/drive/root:/bench/curl-up.bin:/createUploadSession`,
				]),
			);
			let last = '';
			for (let start = 0; start < SIZE; start += FRAGMENT) {
				const end = Math.min(SIZE, start + FRAGMENT) - 1;
				last = await run(
					'curl',
					['-sS', '--fail', '--cacert', ca, '-X', 'PUT', '-H', `Content-Range: bytes ${start}-${end}/${SIZE}`,
						'-H', 'Content-Type: application/octet-stream', '--data-binary', '@-', session.uploadUrl],
					{ input: fs.createReadStream(curlFile, { start, end }) },
				);
			}
			return JSON.parse(last);
		});
		if (curlUp.result.size !== SIZE) throw new Error('curl upload has the wrong size');

		// --- 20,000-item listing
		await sandbox.call('bulkFolder', driveId, '/bench/many', LIST_ITEMS);
		await sandbox.call('clearRequests');
		const listing = await measure(async () =>
			execute({ resource: 'folder', operation: 'listChildren', folderId: { __rl: true, mode: 'path', value: '/bench/many' }, returnAll: true }),
		);
		const listRequests = (await sandbox.call('requests')).filter((r) => r.host === 'api');
		const allowed = Math.ceil(LIST_ITEMS / 1000) + 1;

		results.download = {
			node: { seconds: nodeDown.seconds, mibPerSecond: mibPerSecond(SIZE, nodeDown.seconds), peakRssGrowthMiB: nodeDown.peakGrowthMiB },
			curl: { seconds: curlDown.seconds, mibPerSecond: mibPerSecond(SIZE, curlDown.seconds) },
		};
		results.upload = {
			node: { seconds: nodeUp.seconds, mibPerSecond: mibPerSecond(SIZE, nodeUp.seconds), peakRssGrowthMiB: nodeUp.peakGrowthMiB },
			curl: { seconds: curlUp.seconds, mibPerSecond: mibPerSecond(SIZE, curlUp.seconds) },
			tokenSentToFilesHost: tokenOnFilesHost,
		};
		results.listing = { items: listing.result.length, requests: listRequests.length, allowed, seconds: listing.seconds };
		results.violations = await sandbox.call('violations');

		const ratio = (a, b) => (a / b) * 100;
		const lines = [
			'',
			`OneDrive transfer benchmark (${SIZE / MIB} MiB, filesystem binary mode, fragments ${FRAGMENT / MIB} MiB)`,
			`  download  node ${fixed(results.download.node.mibPerSecond)} MiB/s  curl ${fixed(results.download.curl.mibPerSecond)} MiB/s  ` +
				`→ ${fixed(ratio(results.download.node.mibPerSecond, results.download.curl.mibPerSecond))} % of curl; peak RSS growth ${fixed(nodeDown.peakGrowthMiB)} MiB`,
			`  upload    node ${fixed(results.upload.node.mibPerSecond)} MiB/s  curl ${fixed(results.upload.curl.mibPerSecond)} MiB/s  ` +
				`→ ${fixed(ratio(results.upload.node.mibPerSecond, results.upload.curl.mibPerSecond))} % of curl; peak RSS growth ${fixed(nodeUp.peakGrowthMiB)} MiB`,
			`  listing   ${results.listing.items} items in ${results.listing.requests} requests (allowed ${allowed}), ${fixed(listing.seconds)} s`,
			`  token sent to the files host: ${tokenOnFilesHost + results.violations} times`,
			'',
			'Targets: peak RSS growth < 200 MiB, throughput ≥ 70 % of curl, requests ≤ allowed.',
			JSON.stringify(results),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
		const ok =
			nodeDown.peakGrowthMiB < 200 && nodeUp.peakGrowthMiB < 200 &&
			ratio(results.download.node.mibPerSecond, results.download.curl.mibPerSecond) >= 70 &&
			ratio(results.upload.node.mibPerSecond, results.upload.curl.mibPerSecond) >= 70 &&
			results.listing.items === LIST_ITEMS && results.listing.requests <= allowed && tokenOnFilesHost + results.violations === 0;
		process.exitCode = ok ? 0 : 2;
		process.stdout.write(ok ? 'All targets met.\n' : 'Some targets missed (see above).\n');
	} finally {
		await harness.cleanup();
		await sandbox.call('stop').catch(() => undefined);
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

/** Size of a stored binary, streamed (never held in memory). */
async function storedSize(harness, binary) {
	let size = 0;
	for await (const chunk of await harness.binaryToStream(binary)) size += chunk.length;
	return size;
}
