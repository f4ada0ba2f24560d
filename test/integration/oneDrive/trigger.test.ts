/**
 * The OneDrive trigger inside n8n-core's PollContext against the sandbox's Graph delta: several polls with
 * creates / updates / deletes between them, an n8n restart (static data serialised and reloaded), a 410
 * resync, folder mode, app-only sign-in and the manual "fetch test event" sample.
 *
 * Every test is self-contained: it gets its own sandbox (fresh drives) and its own static data, starts the
 * trigger from now and makes its own changes, so any test passes alone (`npm test -- -t "<name>"`) or in any order.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Microsoft365OneDriveTrigger } from '../../../nodes/Microsoft/OneDrive/Microsoft365OneDriveTrigger.node';
import { rl, SEED, startOneDriveFixture, type OneDriveFixture } from './fixture';

const trigger = new Microsoft365OneDriveTrigger();
const ALL_EVENTS = ['fileCreated', 'fileUpdated', 'folderCreated', 'deleted'];
let world: OneDriveFixture;
/** Violations (a token sent to the files host) of every sandbox this file started. */
const violations: unknown[] = [];

beforeEach(async () => {
	world = await startOneDriveFixture();
}, 60000);
afterEach(async () => {
	violations.push(...world.sandbox.state.violations);
	await world?.stop();
});

async function poll(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	return await world.harness.poll(trigger, { parameters, staticData, mode });
}

/** `event name` pairs, in output order. */
function summary(result: INodeExecutionData[][] | null): string[] {
	return (result?.[0] ?? []).map((item) => `${String(item.json.event)} ${String(item.json.name ?? item.json.id)}`);
}

/** Writes a file behind the node's back (missing folders are created): a new file or a new version. */
function put(userId: string, path: string, text: string): IDataObject {
	return world.sandbox.drives.addFile(world.sandbox.drives.driveIdOfUser(userId), path, text) as IDataObject;
}
const ALICE = SEED.users.alice.id;

/** A fresh trigger state: the first poll starts from now (emits nothing, stores a delta link). */
async function startedFromNow(parameters: INodeParameters): Promise<IDataObject> {
	const staticData: IDataObject = {};
	expect(await poll(parameters, staticData)).toBeNull();
	return staticData;
}

describe('OneDrive trigger over several polls (whole drive, delegated)', () => {
	const parameters: INodeParameters = { events: ALL_EVENTS, watch: 'drive' };

	it('starts from now: the first poll emits nothing and stores a delta link', async () => {
		const staticData: IDataObject = {};
		expect(await poll(parameters, staticData)).toBeNull();
		const tracker = staticData.tracker as IDataObject;
		expect(String(tracker.deltaLink)).toMatch(/\/delta\?token=/);
		const deltaCalls = world.sandbox.state.requests.filter((r) => r.path.endsWith('/root/delta'));
		expect(deltaCalls.some((r) => String(r.query).includes('token=latest'))).toBe(true);
	});

	it('emits creations of files and folders once', async () => {
		const staticData = await startedFromNow(parameters);
		await put(ALICE, '/Inbox/new.txt', 'first');
		const folder = await world.graph('POST', '/me/drive/root/children', { name: 'Projects', folder: {} });
		expect(folder.status).toBe(201);
		const result = await poll(parameters, staticData);
		expect(summary(result).sort()).toEqual(['fileCreated new.txt', 'folderCreated Inbox', 'folderCreated Projects']);
		const created = result?.[0].find((item) => item.json.name === 'new.txt');
		expect(created?.json).toMatchObject({ event: 'fileCreated', file: expect.any(Object), size: 5 });
		expect(created?.json['@microsoft.graph.downloadUrl']).toBeUndefined();
		expect(await poll(parameters, staticData)).toBeNull();
	});

	it('emits updates and deletes, never the earlier creations again', async () => {
		await put(ALICE, '/Inbox/new.txt', 'first'); // created before the trigger starts
		const staticData = await startedFromNow(parameters);
		await put(ALICE, '/Inbox/new.txt', 'second version');
		await put(ALICE, '/hello.txt', 'hello again');
		const notes = world.sandbox.drives.itemByPath(world.sandbox.drives.driveIdOfUser(SEED.users.alice.id), '/Documents/notes.txt');
		expect((await world.graph('DELETE', `/me/drive/items/${notes.id}`)).status).toBe(204);
		const result = await poll(parameters, staticData);
		expect(summary(result).sort()).toEqual(['deleted notes.txt', 'fileUpdated hello.txt', 'fileUpdated new.txt']);
		expect(result?.[0].find((item) => item.json.event === 'deleted')?.json).toMatchObject({ id: notes.id, deleted: expect.any(Object) });
		expect(await poll(parameters, staticData)).toBeNull();
	});

	it('after an n8n restart (static data serialised and reloaded) continues without repeats', async () => {
		let staticData = await startedFromNow(parameters);
		// Some history before the restart: emitted ids are remembered in the static data.
		await put(ALICE, '/Inbox/new.txt', 'first');
		await world.graph('POST', '/me/drive/root/children', { name: 'Projects', folder: {} });
		await poll(parameters, staticData);
		staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(JSON.stringify(staticData).length).toBeLessThan(2000);
		await put(ALICE, '/Inbox/after-restart.txt', 'x');
		expect(summary(await poll(parameters, staticData))).toEqual(['fileCreated after-restart.txt']);
		staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(await poll(parameters, staticData)).toBeNull();
	});

	it('on 410 resyncRequired restarts from now without replaying old changes', async () => {
		const staticData = await startedFromNow(parameters);
		const aliceDrive = world.sandbox.drives.driveIdOfUser(SEED.users.alice.id);
		await put(ALICE, '/Inbox/lost-in-resync.txt', 'x');
		world.sandbox.drives.requireResync(aliceDrive);
		const oldLink = (staticData.tracker as IDataObject).deltaLink;
		expect(await poll(parameters, staticData)).toBeNull();
		expect((staticData.tracker as IDataObject).deltaLink).not.toBe(oldLink);
		await put(ALICE, '/Inbox/after-resync.txt', 'y');
		expect(summary(await poll(parameters, staticData))).toEqual(['fileCreated after-resync.txt']);
	});

	it('emits only the chosen events', async () => {
		const onlyDeletes = { events: ['deleted'], watch: 'drive' };
		const data: IDataObject = {};
		expect(await poll(onlyDeletes, data)).toBeNull();
		await put(ALICE, '/Inbox/short-lived.txt', 'x');
		expect(await poll(onlyDeletes, data)).toBeNull();
		const item = world.sandbox.drives.itemByPath(world.sandbox.drives.driveIdOfUser(SEED.users.alice.id), '/Inbox/short-lived.txt');
		await world.graph('DELETE', `/me/drive/items/${item.id}`);
		expect(summary(await poll(onlyDeletes, data))).toEqual(['deleted short-lived.txt']);
	});
});

describe('OneDrive trigger watching one folder (app-only, a user\'s drive)', () => {
	const bob = SEED.users.bob.userPrincipalName;
	const base = { authentication: 'clientCredentials', driveLocation: 'userDrive', driveUser: rl('id', bob), events: ALL_EVENTS, watch: 'folder' };

	it('without subfolders: only direct children of the folder', async () => {
		const parameters = { ...base, folder: rl('path', '/Reports'), includeSubfolders: false };
		const data: IDataObject = {};
		expect(await poll(parameters, data)).toBeNull();
		await put(SEED.users.bob.id, '/Reports/direct.txt', 'a');
		await put(SEED.users.bob.id, '/Reports/2026/deep.txt', 'b');
		await put(SEED.users.bob.id, '/elsewhere.txt', 'c');
		expect(summary(await poll(parameters, data))).toEqual(['fileCreated direct.txt']);
	});

	it('with subfolders: the whole tree below the folder, including new sub-folders and deletes', async () => {
		const parameters = { ...base, folder: rl('path', '/Documents'), includeSubfolders: true };
		const data: IDataObject = {};
		expect(await poll(parameters, data)).toBeNull();
		await put(SEED.users.bob.id, '/Documents/Sub/Inner/deep.txt', 'a');
		await put(SEED.users.bob.id, '/Photos/outside.txt', 'b');
		expect(summary(await poll(parameters, data)).sort()).toEqual(['fileCreated deep.txt', 'folderCreated Inner', 'folderCreated Sub']);
		const driveId = world.sandbox.drives.driveIdOfUser(SEED.users.bob.id);
		const deep = world.sandbox.drives.itemByPath(driveId, '/Documents/Sub/Inner/deep.txt');
		const outside = world.sandbox.drives.itemByPath(driveId, '/Photos/outside.txt');
		world.sandbox.drives.deleteByPath(driveId, '/Documents/Sub/Inner/deep.txt');
		world.sandbox.drives.deleteByPath(driveId, '/Photos/outside.txt');
		const result = await poll(parameters, data);
		expect((result?.[0] ?? []).map((item) => [item.json.event, item.json.id])).toEqual([['deleted', deep.id]]);
		expect(summary(result)).not.toContain('deleted outside.txt');
		expect(outside.id).not.toBe(deep.id);
	});

	it('refuses a file as the watched folder, naming the field', async () => {
		await expect(poll({ ...base, folder: rl('path', '/hello.txt'), includeSubfolders: false }, {})).rejects.toThrow(
			/"Folder" is the file "hello.txt", not a folder/,
		);
	});
});

describe('OneDrive trigger in manual mode ("Fetch test event")', () => {
	it('returns recent matching items as sample data and leaves the static data alone', async () => {
		const data: IDataObject = {};
		const result = await poll({ events: ['fileCreated', 'fileUpdated'], watch: 'folder', folder: rl('path', '/Documents') }, data, 'manual');
		const names = (result?.[0] ?? []).map((item) => item.json.name);
		expect(names.length).toBeGreaterThan(0);
		expect(names).toContain('report.xlsx');
		expect((result?.[0] ?? []).every((item) => item.json.file !== undefined)).toBe(true);
		expect(data).toEqual({});
	});
});

it('never sent a token to the files host', () => {
	expect([...violations, ...world.sandbox.state.violations]).toEqual([]);
});
