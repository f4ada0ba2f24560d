/** The Teams node's members, Planner tasks (ETags handled) and online meetings against the sandbox. */
import { BOB, PLAN, rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

let env: TeamsFixture;
beforeAll(async () => {
	env = await startTeamsFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
});

describe('member', () => {
	it('adds Bob to the private channel as a member, lists, removes him', async () => {
		const scope = { teamId: rl('id', SALES.id), memberScope: 'channel', channelId: rl('id', SALES.channels.leadership.id) };
		const [added] = await env.run({ resource: 'member', operation: 'add', ...scope, memberUser: BOB.userPrincipalName });
		expect(added.json).toMatchObject({ userId: BOB.id });
		const members = await env.run({ resource: 'member', operation: 'getAll', ...scope, returnAll: true });
		expect(members.map((item) => item.json.userId)).toContain(BOB.id);
		const [removed] = await env.run({ resource: 'member', operation: 'remove', ...scope, memberUser: BOB.userPrincipalName });
		expect(removed.json).toMatchObject({ removed: true, userId: BOB.id });
		const after = await env.run({ resource: 'member', operation: 'getAll', ...scope, returnAll: true });
		expect(after.map((item) => item.json.userId)).not.toContain(BOB.id);
	});
});

describe('task (Planner)', () => {
	const plan = { teamId: rl('id', SALES.id), planId: rl('id', PLAN.id) };

	it('creates in a bucket, lists, updates with the ETag, deletes', async () => {
		const [created] = await env.run({ resource: 'task', operation: 'create', ...plan, bucketId: rl('id', PLAN.buckets.todo), title: 'Send proposal', taskOptions: { assignees: BOB.id, percentComplete: 0 } });
		expect(created.json).toMatchObject({ title: 'Send proposal', bucketId: PLAN.buckets.todo, planId: PLAN.id });
		const inBucket = await env.run({ resource: 'task', operation: 'getAll', ...plan, bucketId: rl('id', PLAN.buckets.todo), returnAll: true });
		expect(inBucket.map((item) => item.json.id)).toContain(created.json.id);
		const [updated] = await env.run({ resource: 'task', operation: 'update', taskId: String(created.json.id), updateFields: { percentComplete: 50 } });
		expect(updated.json.percentComplete).toBe(50);
		const patch = env.requests().find((r) => r.method === 'PATCH');
		expect(patch).toBeDefined();
		const [deleted] = await env.run({ resource: 'task', operation: 'delete', taskId: String(created.json.id) });
		expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
	});

	it('a stale ETag is re-read and retried once; twice stale is a clear error', async () => {
		const [created] = await env.run({ resource: 'task', operation: 'create', ...plan, title: 'Forecast' });
		const id = String(created.json.id);
		env.sandbox.faults.add({ method: 'PATCH', path: `/planner/tasks/${id}$`, status: 412, code: 'PreconditionFailed', message: 'The ETag does not match', times: 1 });
		const [updated] = await env.run({ resource: 'task', operation: 'update', taskId: id, updateFields: { title: 'Forecast Q3' } });
		expect(updated.json.title).toBe('Forecast Q3');
		expect(env.requests().filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([412, 204]);
		env.sandbox.faults.add({ method: 'PATCH', path: `/planner/tasks/${id}$`, status: 412, code: 'PreconditionFailed', message: 'The ETag does not match', times: 2 });
		await expect(env.run({ resource: 'task', operation: 'update', taskId: id, updateFields: { title: 'Again' } })).rejects.toThrow(/kept changing while it was being updated/);
	});

	it('refuses bad fields before sending', async () => {
		await expect(env.run({ resource: 'task', operation: 'update', taskId: 'x', updateFields: { percentComplete: 150 } })).rejects.toThrow(/"Percent Complete" must be a whole number/);
		await expect(env.run({ resource: 'task', operation: 'create', ...plan, title: 'T', taskOptions: { assignees: 'bob' } })).rejects.toThrow(/"Assigned To": "bob" is not a user ID/);
		expect(env.requests()).toHaveLength(0);
	});
});

describe('meeting', () => {
	it('creates a meeting with a join link, reads, updates and deletes it', async () => {
		const [created] = await env.run({ resource: 'meeting', operation: 'create', subject: 'Kick-off', startDateTime: '2026-12-10T10:00:00Z', endDateTime: '2026-12-10T10:30:00Z' });
		expect(String(created.json.joinWebUrl)).toMatch(/^https:\/\//);
		const [got] = await env.run({ resource: 'meeting', operation: 'get', meetingId: String(created.json.id) });
		expect(got.json.subject).toBe('Kick-off');
		const [updated] = await env.run({ resource: 'meeting', operation: 'update', meetingId: String(created.json.id), updateFields: { subject: 'Kick-off (moved)' } });
		expect(updated.json.subject).toBe('Kick-off (moved)');
		const [deleted] = await env.run({ resource: 'meeting', operation: 'delete', meetingId: String(created.json.id) });
		expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
		await expect(env.run({ resource: 'meeting', operation: 'create', subject: 'x', startDateTime: '2026-12-10T10:00:00Z', endDateTime: '2026-12-10T09:00:00Z' })).rejects.toThrow(/"End" is not after "Start"/);
	});
});
