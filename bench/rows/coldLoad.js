// @ts-nocheck
'use strict';

/**
 * P8: the package's cold load. (1) n8n 2.x started from a user folder with the package installed and from one
 * without, alternating (one unmeasured start each first, which runs the database migrations); time from spawn
 * to the REST API answering, polled every 25 ms; the added time is the median of each round's difference. (2) In a fresh Node, the installed package is loaded as n8n does
 * at start-up (loadedAtStartUp): no node class, nor msal-node or the Graph client, may be among the loaded modules
 * (they load on first use).
 */

const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, tempUserFolder } = require('../../scripts/lib/n8n');
const { nodeBinDirFor, RUNTIME_DIR } = require('../../scripts/lib/runtime');
const { startProcess, runCaptured } = require('../../scripts/lib/processes');
const { median } = require('../lib/common');
const { fmt, row } = require('../lib/report');

const HEAVY = ['@azure/msal-node', '@microsoft/microsoft-graph-client'];

async function timeStart(instance) {
	const started = process.hrtime.bigint();
	const server = startProcess(path.join(nodeBinDirFor('2'), 'node'), [path.join(RUNTIME_DIR, 'n8n-2', 'node_modules', 'n8n', 'bin', 'n8n'), 'start'], {
		env: instance.env(), cwd: instance.userFolder, logFile: instance.logFile,
	});
	let exited = false;
	server.exited.then(() => (exited = true));
	try {
		for (;;) {
			if (exited) throw new Error(`n8n exited during start; see ${instance.logFile}`);
			try {
				const response = await fetch(`${instance.baseUrl}/rest/settings`);
				if (response.ok && (response.headers.get('content-type') ?? '').includes('application/json')) {
					await response.arrayBuffer();
					return Number(process.hrtime.bigint() - started) / 1e9;
				}
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
	} finally {
		await server.stop();
	}
}

/**
 * In a fresh Node 24 (n8n's), loads the installed package the way n8n 2.x does at start-up: n8n-core's
 * LazyPackageDirectoryLoader (reads dist/known and dist/types when the package ships them; otherwise it requires
 * every class), then every credential class (2.x's postProcessLoaders injects fields into each). Reports the time,
 * the modules it added, whether the package was lazy-loaded and which heavy modules got loaded.
 */
async function loadedAtStartUp(packageDir) {
	// n8n has n8n-workflow and n8n-core loaded before it loads any package: they are loaded first and not counted.
	const script = `
		const { LazyPackageDirectoryLoader } = require('n8n-core');
		const before = Object.keys(require.cache).length;
		(async () => {
			const started = process.hrtime.bigint();
			const loader = new LazyPackageDirectoryLoader(${JSON.stringify(packageDir)});
			await loader.loadAll();
			for (const name in loader.known.credentials) loader.getCredential(name);
			const ms = Number(process.hrtime.bigint() - started) / 1e6;
			const files = Object.keys(require.cache).slice(before);
			const heavy = ${JSON.stringify(HEAVY)}.filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/')));
			const nodes = files.filter((file) => file.endsWith('.node.js')).length;
			process.stdout.write(JSON.stringify({ ms, heavy, modules: files.length, nodes, lazy: loader.isLazyLoaded === true }));
		})().catch((error) => { console.error(error); process.exit(1); });`;
	const result = await runCaptured(path.join(nodeBinDirFor('2'), 'node'), ['-e', script], {
		env: { ...process.env, NODE_PATH: path.join(RUNTIME_DIR, 'n8n-2', 'node_modules'), NODE_OPTIONS: '' },
		cwd: packageDir,
	});
	if (result.code !== 0) throw new Error(`loading the package failed: ${result.stderr.slice(-1500)}`);
	return JSON.parse(result.stdout);
}

async function coldLoadRow(tarball, { starts }) {
	const withPackage = new N8nInstance({ line: '2', userFolder: tempUserFolder('n8n-bench-cold-with-'), extraEnv: { N8N_LOG_LEVEL: 'warn' } });
	const without = new N8nInstance({ line: '2', userFolder: tempUserFolder('n8n-bench-cold-without-'), extraEnv: { N8N_LOG_LEVEL: 'warn' } });
	try {
		await withPackage.prepare(tarball);
		await without.prepare();
		await timeStart(withPackage); // migrations, caches
		await timeStart(without);
		const times = { with: [], without: [] };
		for (let round = 0; round < starts; round++) {
			const order = round % 2 ? ['without', 'with'] : ['with', 'without'];
			for (const side of order) times[side].push(await timeStart(side === 'with' ? withPackage : without));
		}
		// Each round starts both sides back to back: the median of the rounds' differences cancels the slow spells of
		// this shared machine that hit a whole round (identical starts here differ by a second or more).
		const added = median(times.with.map((seconds, round) => seconds - times.without[round])) * 1000;
		const load = await loadedAtStartUp(path.join(withPackage.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-microsoft-365'));
		return row({
			id: 'P8', work: 'package cold load',
			ours: `n8n ready in ${fmt(median(times.with), 2)} s with the package; ${load.lazy ? 'lazy-loaded' : 'not lazy-loaded'}: ${fmt(load.ms, 0)} ms, ${load.modules} modules (${load.nodes} node classes); at start-up loaded: ${load.heavy.length ? load.heavy.join(', ') : 'neither msal-node nor the Graph client'}`,
			reference: `n8n ready in ${fmt(median(times.without), 2)} s without it (median of ${starts} alternating pairs; added = median of the pairs' differences)`,
			ratio: `${added >= 0 ? '+' : ''}${fmt(added, 0)} ms`,
			target: '≤ 150 ms added; node classes, msal-node and the Graph client load on first use',
			pass: added <= 150 && load.heavy.length === 0 && load.nodes === 0,
			runs: { withPackage: times.with, withoutPackage: times.without, classLoadMs: [load.ms] },
		});
	} finally {
		for (const instance of [withPackage, without]) fs.rmSync(instance.userFolder, { recursive: true, force: true });
	}
}

module.exports = { coldLoadRow, loadedAtStartUp };
