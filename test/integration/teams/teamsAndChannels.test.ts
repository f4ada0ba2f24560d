/** The Teams node's team and channel resources against the sandbox. */
import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

let env: TeamsFixture;
beforeAll(async () => {
	env = await startTeamsFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => env.clearRequests());

const teamLink = `https://teams.microsoft.com/l/team/19%3a5a1e000000000000000000000000a001%40thread.tacv2/conversations?groupId=${SALES.id}&tenantId=x`;
const channelLink = (id: string) => `https://teams.microsoft.com/l/channel/${encodeURIComponent(id)}/Deals?groupId=${SALES.id}&tenantId=x`;

describe('team', () => {
	it('get many lists the teams Alice is in; get by ID and by a pasted Teams link', async () => {
		const teams = await env.run({ resource: 'team', operation: 'getAll', returnAll: true });
		expect(teams.map((item) => item.json.displayName)).toContain('Contoso Sales');
		expect(teams.map((item) => item.json.displayName)).not.toContain('Contoso Engineering');
		const [byId] = await env.run({ resource: 'team', operation: 'get', teamId: rl('id', SALES.id) });
		expect(byId.json).toMatchObject({ id: SALES.id, displayName: 'Contoso Sales' });
		const [byLink] = await env.run({ resource: 'team', operation: 'get', teamId: rl('url', teamLink) });
		expect(byLink.json.id).toBe(SALES.id);
	});

	it('update, archive and unarchive', async () => {
		const [updated] = await env.run({ resource: 'team', operation: 'update', teamId: rl('id', SALES.id), updateFields: { description: 'Deals and accounts' } });
		expect(updated.json.description).toBe('Deals and accounts');
		const [archived] = await env.run({ resource: 'team', operation: 'archive', teamId: rl('id', SALES.id) });
		expect(archived.json).toEqual({ id: SALES.id, archived: true });
		const [unarchived] = await env.run({ resource: 'team', operation: 'unarchive', teamId: rl('id', SALES.id) });
		expect(unarchived.json).toEqual({ id: SALES.id, archived: false });
	});

	it('create waits for Teams to set the team up and returns it', async () => {
		const [created] = await env.run({ resource: 'team', operation: 'create', displayName: 'Launch 2026', visibility: 'private' });
		expect(created.json).toMatchObject({ displayName: 'Launch 2026' });
		expect(typeof created.json.id).toBe('string');
	});
});

describe('channel', () => {
	it('lists, reads by link, creates, updates and deletes', async () => {
		const all = await env.run({ resource: 'channel', operation: 'getAll', teamId: rl('id', SALES.id), returnAll: true });
		expect(all.map((item) => item.json.displayName)).toEqual(expect.arrayContaining(['General', 'Deals']));
		const [deals] = await env.run({ resource: 'channel', operation: 'get', teamId: rl('id', SALES.id), channelId: rl('url', channelLink(SALES.channels.deals.id)) });
		expect(deals.json).toMatchObject({ id: SALES.channels.deals.id, displayName: 'Deals' });
		const [created] = await env.run({ resource: 'channel', operation: 'create', teamId: rl('id', SALES.id), displayName: 'Renewals', channelDescription: 'Contracts up for renewal' });
		expect(created.json).toMatchObject({ displayName: 'Renewals', membershipType: 'standard' });
		const [updated] = await env.run({ resource: 'channel', operation: 'update', teamId: rl('id', SALES.id), channelId: rl('id', String(created.json.id)), updateFields: { description: 'Renewals 2026' } });
		expect(updated.json.description).toBe('Renewals 2026');
		const [deleted] = await env.run({ resource: 'channel', operation: 'delete', teamId: rl('id', SALES.id), channelId: rl('id', String(created.json.id)) });
		expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
	});

	it('refuses a channel name Teams does not accept, and bad team / channel IDs, before sending', async () => {
		await expect(env.run({ resource: 'channel', operation: 'create', teamId: rl('id', SALES.id), displayName: 'a/b' })).rejects.toThrow(/"Name" "a\/b" is not a valid channel name/);
		expect(env.requests()).toHaveLength(0);
		const run = (parameters: Record<string, unknown>) => async (value: string) => await env.run(parameters as never, { input: [{ json: { v: value } }] });
		const common = { requests: () => env.requests(), clear: () => env.clearRequests() };
		const tried =
			(await expectEveryBadInputRefused({ field: 'Team', values: BAD_PATH_SEGMENTS, run: run({ resource: 'channel', operation: 'getAll', teamId: rl('id', '={{ $json.v }}') }), ...common })) +
			(await expectEveryBadInputRefused({ field: 'Channel', values: BAD_PATH_SEGMENTS, run: run({ resource: 'channel', operation: 'get', teamId: rl('id', SALES.id), channelId: rl('id', '={{ $json.v }}') }), ...common }));
		expect(tried).toBe(2 * BAD_PATH_SEGMENTS.length);
	});
});
