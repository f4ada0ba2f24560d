// @ts-nocheck
'use strict';

/**
 * The sandbox in a child process (so its memory and CPU do not count against the measured process), driven
 * over IPC. `node bench/lib/sandbox.js` is the child; `startSandboxChild()` forks it.
 */

const { fork } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

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
		requests: () =>
			sandbox.state.requests.map((r) => ({ method: r.method, host: r.host, path: r.path, hasAuthorization: r.hasAuthorization })),
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

/** Forks the sandbox; resolves with its URLs and `call(cmd, ...args)`. */
function startSandboxChild() {
	const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let nextId = 1;
	const pending = new Map();
	return new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => {
			for (const waiter of pending.values()) waiter.rej(new Error(`sandbox exited (${code})`));
			pending.clear();
		});
		child.on('message', (message) => {
			if (message.ready) {
				resolve({
					urls: message,
					pid: child.pid,
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

if (require.main === module) runSandboxChild();

module.exports = { startSandboxChild };
