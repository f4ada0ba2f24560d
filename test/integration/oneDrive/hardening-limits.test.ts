/**
 * Hardening that needs its own sandbox: a trigger backlog larger than one poll holds, and a binary source
 * that breaks after the upload session was created (the session is cancelled, nothing is written).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { MAX_ENTRIES_PER_POLL } from '../../../nodes/Microsoft/shared/node/deltaTrigger';
import { Microsoft365OneDriveTrigger } from '../../../nodes/Microsoft/OneDrive/Microsoft365OneDriveTrigger.node';
import { patternBytes, rl, startOneDriveFixture, type OneDriveFixture } from './fixture';

let env: OneDriveFixture;
beforeAll(async () => {
	env = await startOneDriveFixture({ binaryMode: 'filesystem' });
});
afterAll(async () => env?.stop());

describe('the trigger holds a bounded number of changes per poll', () => {
	it(`a backlog above ${MAX_ENTRIES_PER_POLL} entries is emitted over two polls, each change once`, async () => {
		const trigger = new Microsoft365OneDriveTrigger();
		const staticData: IDataObject = {};
		const poll = async () => await env.harness.poll(trigger, { parameters: { events: ['fileCreated'], watch: 'drive' }, staticData });
		expect(await poll()).toBeNull(); // starts from now
		const backlog = MAX_ENTRIES_PER_POLL + 1500;
		env.sandbox.drives.addFolder(env.driveId, '/Backlog');
		env.sandbox.drives.bulkFolder(env.driveId, '/Backlog', backlog);

		const first = (await poll())?.[0] ?? [];
		expect(first.length).toBeGreaterThan(0);
		expect(first.length).toBeLessThan(backlog);
		// The stored link continues the same enumeration (a next-page link), not a fresh delta.
		expect(String((staticData.tracker as IDataObject).deltaLink)).not.toMatch(/token=latest/);
		const second = (await poll())?.[0] ?? [];
		const third = await poll();
		const names = [...first, ...second].map((item) => String(item.json.name));
		expect(names).toHaveLength(backlog);
		expect(new Set(names).size).toBe(backlog);
		expect(third).toBeNull();
	}, 120_000);
});

describe('an upload whose source breaks after the session was created', () => {
	it('cancels the session and writes nothing', async () => {
		env.sandbox.drives.addFolder(env.driveId, '/Broken');
		const binary = await env.harness.prepareBinary(patternBytes(6 * 1024 * 1024), 'broken.bin', 'application/octet-stream');
		// Remove the stored bytes but keep their metadata: the size is known, reading fails once the session exists.
		const storage = env.harness.binaryStoragePath;
		const dataFiles: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const path = join(dir, name);
				if (statSync(path).isDirectory()) walk(path);
				else if (!name.endsWith('.metadata') && statSync(path).size === 6 * 1024 * 1024) dataFiles.push(path);
			}
		};
		walk(storage);
		expect(dataFiles).toHaveLength(1);
		rmSync(dataFiles[0]);
		env.clearRequests();

		await expect(
			env.run({ resource: 'file', operation: 'upload', parentFolder: rl('path', '/Broken'), binaryPropertyName: 'data' }, { input: [{ json: {}, binary: { data: binary } }] }),
		).rejects.toThrow();
		const requests = env.requests();
		expect(requests.some((r) => r.method === 'POST' && r.path.endsWith('/createUploadSession'))).toBe(true);
		const cancels = requests.filter((r) => r.host === 'files' && r.method === 'DELETE');
		expect(cancels).toHaveLength(1);
		expect(cancels[0].hasAuthorization).toBe(false);
		expect(env.sandbox.drives.itemByPath(env.driveId, '/Broken/broken.bin')).toBeNull();
	});
});
