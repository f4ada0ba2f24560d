#!/usr/bin/env node
// @ts-nocheck
'use strict';

/**
 * `npm run bench:n8n`: a 1 GiB download inside real n8n 2.x (`n8n execute`, filesystem binary data, the packed
 * package installed the community way), three ways, alternating run by run so background load hits all alike:
 *
 *   - our OneDrive node's Download operation (app-only credential, file picked by path),
 *   - n8n's own HTTP Request node fetching the same pre-authenticated URL with Response Format "File" — the
 *     in-n8n reference: the same bytes through n8n's request helper into n8n's binary store,
 *   - curl writing the same URL into the same filesystem.
 *
 * Speeds come from n8n's own per-node `executionTime` (the CLI's start-up is not counted; ours includes its app-only
 * sign-in and the path lookup), sizes are checked
 * on disk. Needs the n8n 2.x runtime (`npm run n8n:install` fetches it; the first run does that itself).
 * Options (env): BENCH_SIZE_MIB (default 1024), BENCH_RUNS (default 3).
 */

const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const { buildAndPack } = require('../scripts/lib/n8n');
const { ensureProcessTrustsSandboxCa, sandboxCaFile } = require('../scripts/lib/environment');
const { startEnvironment } = require('../test/e2e/harness');
const { run, median, MIB } = require('./lib/common');

const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * MIB;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const ALICE = 'alice@contoso.onmicrosoft.com';
const FILE_PATH = '/bench/big.bin';

const manual = { parameters: {}, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] };
const after = (node) => ({
	name: `Bench: ${node.name}`,
	nodes: [manual, { ...node, position: [220, 0] }],
	connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
});

const ourNode = {
	name: 'OneDrive Download',
	type: 'n8n-nodes-microsoft-365.microsoft365OneDrive',
	typeVersion: 1,
	parameters: {
		authentication: 'clientCredentials',
		resource: 'file',
		operation: 'download',
		driveLocation: 'userDrive',
		driveUser: { __rl: true, mode: 'id', value: ALICE },
		fileId: { __rl: true, mode: 'path', value: FILE_PATH },
	},
	credentials: { microsoft365ClientCredentialsApi: { id: '', name: '' } },
};

/** n8n's HTTP Request node; the URL is minted per run (the sandbox's download URLs live 10 minutes, like Graph's). */
const httpRequestNode = (url) => ({
	name: 'HTTP Request',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: { url, options: { response: { response: { responseFormat: 'file' } } } },
});

async function main() {
	await ensureProcessTrustsSandboxCa(); // this process reads the sandbox's control routes over https
	const caFile = await sandboxCaFile();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pack-'));
	const tarball = await buildAndPack(packDir);
	const ctx = await startEnvironment('2', tarball);
	const storageRoot = path.join(ctx.n8n.userFolder, '.n8n', 'storage');
	const curlFile = path.join(ctx.n8n.userFolder, 'curl-download.bin');
	try {
		await ctx.createCredentials();
		const { drives } = ctx.sandbox;
		const driveId = drives.driveIdOfUser(ALICE);
		process.stdout.write(`Preparing a ${SIZE / MIB} MiB file in the sandbox...\n`);
		await drives.addLargeFile(driveId, FILE_PATH, SIZE);
		const downloadUrl = () => drives.itemByPath(driveId, FILE_PATH)['@microsoft.graph.downloadUrl'];

		const inN8n = async (node) => {
			const result = await ctx.runWorkflow(after(node));
			if (!result.ok) throw new Error(`${node.name} failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
			const task = result.run.data.resultData.runData[node.name][0];
			// n8n 2.x filesystem mode: `filesystem-v2:<key>` lives at <user folder>/.n8n/storage/<key>.
			const binary = task.data.main[0][0].binary.data;
			const file = path.join(storageRoot, binary.id.slice(binary.id.indexOf(':') + 1));
			const size = fs.statSync(file).size;
			fs.rmSync(file, { force: true });
			if (size !== SIZE) throw new Error(`${node.name} stored ${size} bytes, expected ${SIZE}`);
			return SIZE / MIB / (task.executionTime / 1000);
		};
		const sides = {
			'OneDrive node (ours)': () => inN8n(ourNode),
			"n8n's HTTP Request node": () => inN8n(httpRequestNode(downloadUrl())),
			curl: async () => {
				fs.rmSync(curlFile, { force: true });
				const started = process.hrtime.bigint();
				await run('curl', ['-sS', '--fail', '--cacert', caFile, '-o', curlFile, downloadUrl()]);
				const seconds = Number(process.hrtime.bigint() - started) / 1e9;
				if (fs.statSync(curlFile).size !== SIZE) throw new Error('curl downloaded the wrong size');
				fs.rmSync(curlFile, { force: true });
				return SIZE / MIB / seconds;
			},
		};
		const names = Object.keys(sides);
		for (const name of names) await sides[name](); // warm-up: page cache, JIT of the CLI's first run
		const speeds = Object.fromEntries(names.map((name) => [name, []]));
		for (let round = 0; round < RUNS; round++) {
			const order = round % 2 ? [...names].reverse() : names;
			for (const name of order) speeds[name].push(await sides[name]());
		}
		const curl = median(speeds.curl);
		process.stdout.write(`\nDownload of ${SIZE / MIB} MiB inside n8n ${ctx.n8n.version} (filesystem binary data), median of ${RUNS}:\n`);
		for (const name of names) {
			const mibPerSecond = median(speeds[name]);
			process.stdout.write(
				`  ${name.padEnd(26)} ${mibPerSecond.toFixed(1).padStart(7)} MiB/s  ${((mibPerSecond / curl) * 100).toFixed(0).padStart(3)} % of curl  ` +
					`[${speeds[name].map((s) => s.toFixed(0)).join(', ')}]\n`,
			);
		}
		const ours = median(speeds['OneDrive node (ours)']);
		const reference = median(speeds["n8n's HTTP Request node"]);
		process.stdout.write(`  ours / n8n's HTTP Request node: ${((ours / reference) * 100).toFixed(0)} %\n`);
	} finally {
		await ctx.stop();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
