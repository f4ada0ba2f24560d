/**
 * The sandbox's Microsoft Teams model (graph/teams.js), driven with raw HTTPS requests and sandbox-minted tokens:
 * teams (async creation, archive), channels, members, channel messages (content rules for mentions and cards, app-only
 * posting refused, delta), chats, Planner (ETags and If-Match), online meetings, and change-notification
 * subscriptions against a local HTTP receiver (validation handshake, delivery with clientState, retries, renewal over
 * shortened lifetimes, expiry, deletion, lifecycle notifications).
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { sandboxRequest, type SandboxHttpResponse } from '../sandbox/httpClient';
import { startSandbox, SEED, type Sandbox, type TeamsDelivery } from '../sandbox';

const ALICE = SEED.users.alice;
const BOB = SEED.users.bob;
const CAROL = SEED.users.carol;
const SALES = SEED.teams.sales;
const ENGINEERING = SEED.teams.engineering;
const PLAN = SEED.planner.salesPlan;
const SCOPES = [
	'Team.ReadBasic.All', 'Team.Create', 'TeamSettings.ReadWrite.All', 'Channel.ReadBasic.All', 'Channel.Create', 'ChannelSettings.ReadWrite.All',
	'Channel.Delete.All', 'ChannelMessage.Read.All', 'ChannelMessage.Send', 'ChannelMessage.ReadWrite', 'TeamMember.ReadWrite.All',
	'ChannelMember.ReadWrite.All', 'Chat.ReadWrite', 'Chat.Create', 'ChatMessage.Send', 'ChatMember.Read', 'Tasks.ReadWrite', 'OnlineMeetings.ReadWrite',
];
const ROLES = [
	'Team.ReadBasic.All', 'Team.Create', 'TeamSettings.ReadWrite.All', 'Channel.ReadBasic.All', 'Channel.Create', 'ChannelMessage.Read.All',
	'TeamMember.ReadWrite.All', 'ChannelMember.ReadWrite.All', 'Chat.Read.All', 'Chat.Create', 'Tasks.ReadWrite.All', 'OnlineMeetings.ReadWrite.All',
];

let sandbox: Sandbox;
let ca: string;
let alice: string;
let bob: string;
let carol: string;
let app: string;

interface CallOptions {
	token?: string | null;
	body?: unknown;
	headers?: Record<string, string>;
}

/** A Graph call (relative to /v1.0) or an absolute URL. */
async function call(method: string, url: string, options: CallOptions = {}): Promise<SandboxHttpResponse> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	const token = options.token === undefined ? alice : options.token;
	if (token) headers.authorization = `Bearer ${token}`;
	let body: string | undefined;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
		headers['content-length'] = String(Buffer.byteLength(body));
	}
	return sandboxRequest(url.startsWith('https://') ? url : `${sandbox.graphUrl}/v1.0${url}`, { method, headers, body, ca });
}
const get = (url: string, options: CallOptions = {}) => call('GET', url, options);
const post = (url: string, body: unknown, options: CallOptions = {}) => call('POST', url, { ...options, body });
const patch = (url: string, body: unknown, options: CallOptions = {}) => call('PATCH', url, { ...options, body });
const q = encodeURIComponent;

function expectError(res: SandboxHttpResponse, status: number, code: string, message?: RegExp): void {
	expect([res.status, res.json?.error?.code]).toEqual([status, code]);
	expect(res.json.error.innerError['request-id']).toEqual(expect.any(String));
	if (message) expect(res.json.error.message).toMatch(message);
}

const channelPath = (team: string, channel: string) => `/teams/${team}/channels/${q(channel)}`;
const GENERAL = channelPath(SALES.id, SALES.channels.general.id);
const DEALS = channelPath(SALES.id, SALES.channels.deals.id);
const LEADERSHIP = channelPath(SALES.id, SALES.channels.leadership.id);
const bind = (id: string) => `https://graph.microsoft.com/v1.0/users('${id}')`;
const member = (id: string, roles: string[] = []) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles, 'user@odata.bind': bind(id) });
const text = (content: string) => ({ body: { contentType: 'text', content } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows @odata.nextLink to the end. */
async function all(url: string, options: CallOptions = {}): Promise<{ values: any[]; pages: number }> {
	const values: any[] = [];
	let next: string | undefined = url;
	let pages = 0;
	while (next) {
		const res = await get(next, options);
		expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
		values.push(...res.json.value);
		next = res.json['@odata.nextLink'];
		pages += 1;
	}
	return { values, pages };
}

/** Polls a teamsAsyncOperation (Location of a 202) until it succeeded; returns the statuses seen. */
async function pollOperation(location: string, token = alice): Promise<string[]> {
	const statuses: string[] = [];
	for (let i = 0; i < 20; i++) {
		const res = await get(location.replace(/\('([^']+)'\)/g, '/$1'), { token });
		expect(res.status).toBe(200);
		statuses.push(res.json.status);
		if (res.json.status === 'succeeded') return statuses;
		await sleep(20);
	}
	throw new Error(`operation did not finish: ${statuses.join(', ')}`);
}

// ---------- a local notification receiver ----------

interface Received {
	path: string;
	query: URLSearchParams;
	body: string;
	json: any;
	headers: http.IncomingHttpHeaders;
	time: number;
}
type Behaviour = (request: Received, res: http.ServerResponse) => void | Promise<void>;

const echo: Behaviour = (request, res) => {
	const token = request.query.get('validationToken');
	if (token !== null) {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end(token);
	} else {
		res.writeHead(202);
		res.end();
	}
};

interface Receiver {
	base: string;
	received: Received[];
	behaviours: Map<string, Behaviour>;
	notifications(path: string): any[];
	close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	const behaviours = new Map<string, Behaviour>();
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://receiver');
			const body = Buffer.concat(chunks).toString('utf8');
			let json: any;
			try {
				json = body ? JSON.parse(body) : undefined;
			} catch {
				json = undefined;
			}
			const request: Received = { path: url.pathname, query: url.searchParams, body, json, headers: req.headers, time: Date.now() };
			received.push(request);
			void (behaviours.get(url.pathname) ?? echo)(request, res);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		base: `http://127.0.0.1:${port}`,
		received,
		behaviours,
		notifications: (path) => received.filter((r) => r.path === path && r.query.get('validationToken') === null).flatMap((r) => r.json.value),
		close: () => {
			for (const socket of sockets) socket.destroy();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

let receiver: Receiver;
let pathCounter = 0;
/** A fresh receiver path (each test its own). */
const fresh = (name: string) => `/${name}-${++pathCounter}`;
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60000).toISOString();

/** Creates a subscription (expects 201). */
async function subscribe(body: Record<string, unknown>, token = app): Promise<any> {
	const res = await post('/subscriptions', { changeType: 'created,updated,deleted', expirationDateTime: inMinutes(50), clientState: 'secret-state', ...body }, { token });
	expect([res.status, res.status === 201 ? '' : res.text]).toEqual([201, '']);
	return res.json;
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	ca = sandbox.tls.ca;
	alice = sandbox.issueToken({ userId: ALICE.id, scopes: SCOPES });
	bob = sandbox.issueToken({ userId: BOB.id, scopes: SCOPES });
	carol = sandbox.issueToken({ tenant: SEED.tenants.fabrikam.id, userId: CAROL.id, scopes: SCOPES });
	app = sandbox.issueToken({ roles: ROLES });
	receiver = await startReceiver();
});

afterAll(async () => {
	await receiver?.close();
	await sandbox?.stop();
});

afterEach(() => {
	sandbox.teams.resetSubscriptions();
});

describe('teams', () => {
	it('lists joined teams per user and every team of the tenant for an app, with $select, $filter and paging', async () => {
		const mine = await get('/me/joinedTeams');
		expect(mine.status).toBe(200);
		expect(mine.json.value.map((t: any) => t.displayName)).toEqual(['Contoso Sales']);
		expect((await get('/me/joinedTeams', { token: bob })).json.value.map((t: any) => t.displayName).sort()).toEqual(['Contoso Engineering', 'Contoso Sales']);
		const selected = await get('/me/joinedTeams?$select=id,displayName');
		expect(Object.keys(selected.json.value[0]).sort()).toEqual(['displayName', 'id']);
		expectError(await get('/me/joinedTeams?$select=nope'), 400, 'BadRequest');
		expect((await get(`/users/${BOB.userPrincipalName}/joinedTeams`, { token: app })).json.value).toHaveLength(2);
		expectError(await get(`/users/${BOB.id}/joinedTeams`), 403, 'Forbidden');
		expectError(await get('/me/joinedTeams', { token: app }), 400, 'BadRequest', /delegated/);

		const teams = await all('/teams?$top=1', { token: app });
		expect(teams.pages).toBeGreaterThanOrEqual(2);
		expect(teams.values.map((t) => t.displayName)).toEqual(expect.arrayContaining(['Contoso Engineering', 'Contoso Sales']));
		expect(teams.values.map((t) => t.displayName)).not.toContain('Fabrikam Buyers');
		const filtered = await get(`/teams?$filter=${q("startswith(displayName,'Contoso S')")}`, { token: app });
		expect(filtered.json.value.map((t: any) => t.id)).toEqual([SALES.id]);
		expectError(await get(`/teams?$filter=${q("visibility eq 'private'")}`, { token: app }), 400, 'BadRequest');
	});

	it('gets a team for its members only; unknown and other-tenant teams are 404', async () => {
		const team = await get(`/teams/${SALES.id}`);
		expect(team.status).toBe(200);
		expect(team.json).toMatchObject({ id: SALES.id, displayName: 'Contoso Sales', isArchived: false, internalId: SALES.channels.general.id, summary: { ownersCount: 1, membersCount: 1, guestsCount: 0 } });
		expect(team.json.webUrl).toContain(`groupId=${SALES.id}`);
		expectError(await get(`/teams/${ENGINEERING.id}`), 403, 'Forbidden');
		expect((await get(`/teams/${ENGINEERING.id}`, { token: app })).status).toBe(200);
		expectError(await get('/teams/00000000-0000-4000-8000-000000000000'), 404, 'NotFound', /No team found/);
		expectError(await get(`/teams/${SEED.teams.fabrikam.id}`, { token: app }), 404, 'NotFound');
		expect((await get(`/teams/${SEED.teams.fabrikam.id}`, { token: carol })).status).toBe(200);
		expectError(await get(`/teams/${SALES.id}`, { token: sandbox.issueToken({ userId: ALICE.id, scopes: ['User.Read'] }) }), 403, 'Forbidden', /Missing scope permissions.*Team\.ReadBasic\.All/);
	});

	it('creates a team asynchronously: 202 with Location and Content-Location, a pollable operation, then the team', async () => {
		const res = await post('/teams', { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('standard')", displayName: 'Async team', description: 'made by a test', channels: [{ displayName: 'Announcements' }] });
		expect(res.status).toBe(202);
		expect(res.text).toBe('');
		const location = String(res.headers.location);
		expect(location).toMatch(/^\/teams\('[0-9a-f-]{36}'\)\/operations\('[0-9a-f-]{36}'\)$/);
		const teamId = /teams\('([^']+)'\)/.exec(location)![1];
		expect(res.headers['content-location']).toBe(`/teams('${teamId}')`);
		expectError(await get(`/teams/${teamId}`), 404, 'NotFound');
		const operation = await get(`/teams/${teamId}/operations/${/operations\('([^']+)'\)/.exec(location)![1]}`);
		expect(operation.json).toMatchObject({ operationType: 'createTeam', status: 'inProgress', targetResourceId: teamId, targetResourceLocation: `/teams('${teamId}')`, attemptsCount: 1, error: null });
		expect(await pollOperation(location)).toContain('succeeded');
		const team = await get(`/teams/${teamId}`);
		expect(team.json).toMatchObject({ displayName: 'Async team', description: 'made by a test', visibility: 'public' });
		expect((await get(`/teams/${teamId}/channels`)).json.value.map((c: any) => c.displayName)).toEqual(['General', 'Announcements']);
		expect((await get(`/teams/${teamId}/members`)).json.value.map((m: any) => [m.userId, m.roles])).toEqual([[ALICE.id, ['owner']]]);
	});

	it('refuses bad team creations: no template, no name, app-only without an owner', async () => {
		const template = { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('standard')" };
		expectError(await post('/teams', { displayName: 'x' }), 400, 'BadRequest', /template/);
		expectError(await post('/teams', template), 400, 'BadRequest', /displayName/);
		expectError(await post('/teams', { ...template, displayName: 'App team' }, { token: app }), 400, 'BadRequest', /owner/);
		const created = await post('/teams', { ...template, displayName: 'App team', members: [member(BOB.id, ['owner'])] }, { token: app });
		expect(created.status).toBe(202);
		expectError(await post('/teams', { ...template, displayName: 'x', members: [member('nobody@contoso.onmicrosoft.com')] }), 404, 'NotFound');
		expectError(await post('/teams', { ...template, displayName: 'x', members: [{ roles: [], 'user@odata.bind': bind(BOB.id) }] }), 400, 'BadRequest', /odata\.type/);
	});

	it('updates a team (owners only, 204) and archives / unarchives it through operations', async () => {
		const team = sandbox.teams.createTeam({ displayName: 'Patchable', owner: ALICE.userPrincipalName, members: [BOB.userPrincipalName] });
		expect((await patch(`/teams/${team.id}`, { description: 'new', messagingSettings: { allowUserDeleteMessages: false } })).status).toBe(204);
		expect((await get(`/teams/${team.id}`)).json).toMatchObject({ description: 'new', messagingSettings: { allowUserDeleteMessages: false, allowUserEditMessages: true } });
		expectError(await patch(`/teams/${team.id}`, { description: 'bob' }, { token: bob }), 403, 'Forbidden');
		expectError(await patch(`/teams/${team.id}`, { id: 'x' }), 400, 'BadRequest');
		expectError(await patch(`/teams/${team.id}`, { funSettings: { allowNothing: true } }), 400, 'BadRequest');

		const archived = await post(`/teams/${team.id}/archive`, { shouldSetSpoSiteReadOnlyForMembers: true });
		expect(archived.status).toBe(202);
		expect(await pollOperation(String(archived.headers.location))).toContain('succeeded');
		expect((await get(`/teams/${team.id}`)).json.isArchived).toBe(true);
		expectError(await post(`${channelPath(team.id, team.generalChannelId)}/messages`, text('hi')), 403, 'Forbidden', /archived/);
		const unarchived = await call('POST', `/teams/${team.id}/unarchive`);
		expect(unarchived.status).toBe(202);
		await pollOperation(String(unarchived.headers.location));
		expect((await get(`/teams/${team.id}`)).json.isArchived).toBe(false);
		expectError(await call('POST', `/teams/${team.id}/archive`, { token: bob }), 403, 'Forbidden');
	});
});

describe('channels', () => {
	it('lists the channels a user sees (private ones only to their members), with $filter on membershipType', async () => {
		const forAlice = await get(`/teams/${SALES.id}/channels`);
		expect(forAlice.json.value.map((c: any) => [c.displayName, c.membershipType])).toEqual([['General', 'standard'], ['Deals', 'standard'], ['Leadership', 'private']]);
		expect((await get(`/teams/${SALES.id}/channels`, { token: bob })).json.value.map((c: any) => c.displayName)).toEqual(['General', 'Deals']);
		expect((await get(`/teams/${SALES.id}/channels`, { token: app })).json.value).toHaveLength(3);
		const privateOnes = await get(`/teams/${SALES.id}/channels?$filter=${q("membershipType eq 'private'")}`);
		expect(privateOnes.json.value.map((c: any) => c.id)).toEqual([SALES.channels.leadership.id]);
		expectError(await get(`/teams/${SALES.id}/channels?$filter=${q("displayName eq 'x'")}`), 400, 'BadRequest');
		expectError(await get(LEADERSHIP, { token: bob }), 403, 'Forbidden');
		expect((await get(LEADERSHIP)).json).toMatchObject({ displayName: 'Leadership', membershipType: 'private' });
		expect((await get(`/teams/${SALES.id}/primaryChannel`)).json.id).toBe(SALES.channels.general.id);
		expect((await get(`/teams/${SALES.id}/channels/${SALES.channels.general.id}`)).status).toBe(200);
		expectError(await get(channelPath(SALES.id, '19:00000000000000000000000000000000@thread.tacv2')), 404, 'NotFound');
		expectError(await get(channelPath(SALES.id, 'not-a-channel')), 400, 'BadRequest');
	});

	it('creates standard, private and shared channels; refuses duplicates, bad names and owner-less app-only private channels', async () => {
		const team = sandbox.teams.createTeam({ displayName: 'Channel lab', owner: ALICE.userPrincipalName, members: [BOB.userPrincipalName] });
		const standard = await post(`/teams/${team.id}/channels`, { displayName: 'Planning', description: 'plans' });
		expect(standard.status).toBe(201);
		expect(standard.json).toMatchObject({ displayName: 'Planning', membershipType: 'standard', description: 'plans' });
		expect(standard.json.id).toMatch(/^19:[0-9a-f]{32}@thread\.tacv2$/);
		expectError(await post(`/teams/${team.id}/channels`, { displayName: 'planning' }), 400, 'BadRequest', /already existed/);
		expectError(await post(`/teams/${team.id}/channels`, { displayName: 'a/b' }), 400, 'BadRequest');
		expectError(await post(`/teams/${team.id}/channels`, { displayName: 'x', membershipType: 'secret' }), 400, 'BadRequest');

		const priv = await post(`/teams/${team.id}/channels`, { displayName: 'Private talk', membershipType: 'private', members: [member(BOB.id)] });
		expect(priv.status).toBe(201);
		const privMembers = await get(`${channelPath(team.id, priv.json.id)}/members`);
		expect(privMembers.json.value.map((m: any) => [m.userId, m.roles]).sort()).toEqual([[ALICE.id, ['owner']], [BOB.id, []]].sort());
		expectError(await post(`/teams/${team.id}/channels`, { displayName: 'No owner', membershipType: 'private', members: [member(BOB.id)] }, { token: app }), 400, 'BadRequest', /owner/);
		expect((await post(`/teams/${team.id}/channels`, { displayName: 'App private', membershipType: 'private', members: [member(BOB.id, ['owner'])] }, { token: app })).status).toBe(201);
		expectError(await post(`/teams/${team.id}/channels`, { displayName: 'Outsider', membershipType: 'private', members: [member(CAROL.id)] }), 404, 'NotFound');
		const shared = await post(`/teams/${team.id}/channels`, { displayName: 'Partners', membershipType: 'shared' });
		expect([shared.status, shared.json.membershipType]).toEqual([201, 'shared']);
	});

	it('renames and deletes channels (204); the General channel can be neither', async () => {
		const team = sandbox.teams.createTeam({ displayName: 'Rename lab', owner: ALICE.userPrincipalName });
		const created = await post(`/teams/${team.id}/channels`, { displayName: 'Old name' });
		const path = channelPath(team.id, created.json.id);
		expect((await patch(path, { displayName: 'New name', description: 'd' })).status).toBe(204);
		expect((await get(path)).json).toMatchObject({ displayName: 'New name', description: 'd' });
		expectError(await patch(channelPath(team.id, team.generalChannelId), { displayName: 'Renamed' }), 400, 'BadRequest', /General/);
		expectError(await call('DELETE', channelPath(team.id, team.generalChannelId)), 400, 'BadRequest', /General/);
		expect((await call('DELETE', path)).status).toBe(204);
		expectError(await get(path), 404, 'NotFound');
	});
});

describe('members', () => {
	it('lists, filters, adds, changes and removes team members', async () => {
		const team = sandbox.teams.createTeam({ displayName: 'Member lab', owner: ALICE.userPrincipalName });
		const list = await get(`/teams/${SALES.id}/members`);
		expect(list.json.value.map((m: any) => [m.displayName, m.roles])).toEqual([["Alice Adams", ['owner']], ["Bob O'Brien", []]]);
		expect(list.json.value[0]).toMatchObject({ '@odata.type': '#microsoft.graph.aadUserConversationMember', userId: ALICE.id, email: ALICE.mail, tenantId: SALES.tenant });
		const byUser = await get(`/teams/${SALES.id}/members?$filter=${q(`(microsoft.graph.aadUserConversationMember/userId eq '${BOB.id}')`)}`);
		expect(byUser.json.value.map((m: any) => m.userId)).toEqual([BOB.id]);
		expect((await get(`/teams/${SALES.id}/members?$filter=${q("roles/any(r:r eq 'owner')")}`)).json.value).toHaveLength(1);
		expectError(await get(`/teams/${SALES.id}/members?$filter=${q('x eq 1')}`), 400, 'BadRequest');

		const added = await post(`/teams/${team.id}/members`, member(BOB.id));
		expect(added.status).toBe(201);
		expect(added.json).toMatchObject({ userId: BOB.id, roles: [] });
		const one = await get(`/teams/${team.id}/members/${q(added.json.id)}`);
		expect(one.json.displayName).toBe("Bob O'Brien");
		const promoted = await patch(`/teams/${team.id}/members/${q(added.json.id)}`, { roles: ['owner'] });
		expect([promoted.status, promoted.json.roles]).toEqual([200, ['owner']]);
		expectError(await post(`/teams/${team.id}/members`, member(CAROL.id)), 404, 'NotFound');
		expectError(await post(`/teams/${team.id}/members`, { roles: [], 'user@odata.bind': bind(BOB.id) }), 400, 'BadRequest');
		expectError(await post(`/teams/${team.id}/members`, member(BOB.id, ['admin'])), 400, 'BadRequest');
		expectError(await post(`/teams/${SALES.id}/members`, member(BOB.id), { token: bob }), 403, 'Forbidden');
		expect((await call('DELETE', `/teams/${team.id}/members/${q(added.json.id)}`)).status).toBe(204);
		expectError(await get(`/teams/${team.id}/members/${q(added.json.id)}`), 404, 'NotFound');
		const owner = (await get(`/teams/${team.id}/members`)).json.value[0];
		expectError(await call('DELETE', `/teams/${team.id}/members/${q(owner.id)}`), 400, 'BadRequest', /last owner/);
		expect((await post(`/teams/${team.id}/members`, member(BOB.id), { token: app })).status).toBe(201);
	});

	it('manages members of private channels; standard channels list the team and refuse changes', async () => {
		expect((await get(`${GENERAL}/members`)).json.value).toHaveLength(2);
		expectError(await post(`${GENERAL}/members`, member(BOB.id)), 400, 'BadRequest', /standard channel/);
		const team = sandbox.teams.createTeam({ displayName: 'Private lab', owner: ALICE.userPrincipalName });
		const priv = sandbox.teams.addChannel(team.id, { displayName: 'Secret', membershipType: 'private', members: [ALICE.userPrincipalName] });
		const path = `${channelPath(team.id, priv.id)}/members`;
		expectError(await post(path, member(BOB.id)), 400, 'BadRequest', /not a member of the team/);
		sandbox.teams.addMember(team.id, BOB.userPrincipalName);
		const added = await post(path, member(BOB.id));
		expect(added.status).toBe(201);
		expect((await get(path)).json.value).toHaveLength(2);
		expect((await call('DELETE', `${path}/${q(added.json.id)}`)).status).toBe(204);
	});
});

describe('channel messages', () => {
	it('lists top-level messages newest first with replies on $expand, pages of $top ≤ 50 without repeats', async () => {
		const list = await get(`${GENERAL}/messages?$expand=replies`);
		expect(list.status).toBe(200);
		const welcome = list.json.value.find((m: any) => m.subject === 'Welcome');
		expect(welcome).toMatchObject({ replyToId: null, messageType: 'message', chatId: null, channelIdentity: { teamId: SALES.id, channelId: SALES.channels.general.id } });
		expect(welcome.from.user).toEqual({ '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: ALICE.id, displayName: 'Alice Adams', userIdentityType: 'aadUser' });
		expect(welcome.replies.map((r: any) => r.body.content)).toEqual(['Thanks, Alice!']);
		expect(welcome.webUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/message\/19%3a5a1e/);

		const team = sandbox.teams.createTeam({ displayName: 'Paging lab', owner: ALICE.userPrincipalName });
		const ids = sandbox.teams.seedMessages(team.id, 'General', 45, { from: ALICE.id, content: 'Burst' });
		const path = `${channelPath(team.id, team.generalChannelId)}/messages`;
		const first = await get(`${path}?$top=20`);
		expect(first.json.value.map((m: any) => m.id)).toEqual(ids.slice(-20).reverse());
		sandbox.teams.postMessage(team.id, 'General', { from: ALICE.id, content: 'posted between pages' });
		const rest = await all(first.json['@odata.nextLink']);
		expect(rest.pages).toBe(2);
		expect([...first.json.value, ...rest.values].map((m) => m.id)).toEqual(ids.slice().reverse());
		expectError(await get(`${path}?$top=51`), 400, 'BadRequest');
		expectError(await get(`${path}?$expand=hostedContents`), 400, 'BadRequest');
		expect((await get(`${path}`)).json.value).toHaveLength(20);
	});

	it('gets a message and its replies; posts messages and replies (201) with text or HTML', async () => {
		const welcome = sandbox.teams.messages(SALES.id, 'General').find((m) => m.subject === 'Welcome')!;
		const one = await get(`${GENERAL}/messages/${welcome.id}`);
		expect(one.json.body).toEqual({ contentType: 'html', content: '<p>Welcome to Contoso Sales!</p>' });
		const replies = await get(`${GENERAL}/messages/${welcome.id}/replies`);
		expect(replies.json['@odata.count']).toBe(1);
		const reply = replies.json.value[0];
		expect((await get(`${GENERAL}/messages/${welcome.id}/replies/${reply.id}`)).json.replyToId).toBe(welcome.id);
		expectError(await get(`${GENERAL}/messages/${reply.id}`), 404, 'NotFound');
		expectError(await get(`${GENERAL}/messages/123`), 404, 'NotFound');

		const created = await post(`${GENERAL}/messages`, { subject: 'Hello', importance: 'high', body: { contentType: 'html', content: '<b>Hi</b> team' } }, { token: bob });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ subject: 'Hello', importance: 'high', body: { contentType: 'html', content: '<b>Hi</b> team' }, from: { user: { id: BOB.id } } });
		expect(created.json['@odata.context']).toContain('/messages/$entity');
		const answer = await post(`${GENERAL}/messages/${created.json.id}/replies`, text('Plain reply'));
		expect([answer.status, answer.json.replyToId, answer.json.body.contentType]).toEqual([201, created.json.id, 'text']);
		expect((await post(`${GENERAL}/messages`, { body: { content: 'default is text' } })).json.body.contentType).toBe('text');
		expectError(await post(`${GENERAL}/messages/${answer.json.id}/replies`, text('reply to a reply')), 404, 'NotFound');
		expectError(await post(`${GENERAL}/messages`, {}), 400, 'BadRequest');
		expectError(await post(`${GENERAL}/messages`, { body: { contentType: 'markdown', content: '*x*' } }), 400, 'BadRequest');
		expectError(await post(`${GENERAL}/messages`, text('   ')), 400, 'BadRequest');
		expectError(await post(`${GENERAL}/messages`, { ...text('x'), importance: 'critical' }), 400, 'BadRequest');
		expectError(await post(`${GENERAL}/messages`, text('x'.repeat(29 * 1024))), 413, 'RequestEntityTooLarge');
		expectError(await post(`${LEADERSHIP}/messages`, text('sneaky'), { token: bob }), 403, 'Forbidden');
		expectError(await post(`${GENERAL}/messages`, text('x'), { token: sandbox.issueToken({ userId: ALICE.id, scopes: ['ChannelMessage.Read.All'] }) }), 403, 'Forbidden', /ChannelMessage\.Send/);
	});

	it('checks mentions against the <at id> tags of the body', async () => {
		const mention = (id: number, user = BOB) => ({ id, mentionText: user.displayName, mentioned: { user: { id: user.id, displayName: user.displayName, userIdentityType: 'aadUser' } } });
		const good = await post(`${DEALS}/messages`, { body: { contentType: 'html', content: `Hi <at id="0">Bob</at> and <at id="1">Alice</at>` }, mentions: [mention(0), mention(1, ALICE)] });
		expect(good.status).toBe(201);
		expect(good.json.mentions).toEqual([
			{ id: 0, mentionText: "Bob O'Brien", mentioned: { application: null, device: null, conversation: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: BOB.id, displayName: "Bob O'Brien", userIdentityType: 'aadUser' } } },
			expect.objectContaining({ id: 1 }),
		]);
		const channelMention = { id: 0, mentionText: 'Deals', mentioned: { conversation: { id: SALES.channels.deals.id, displayName: 'Deals', conversationIdentityType: 'channel' } } };
		expect((await post(`${DEALS}/messages`, { body: { contentType: 'html', content: '<at id="0">Deals</at> heads up' }, mentions: [channelMention] })).status).toBe(201);
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'html', content: 'Hi <at id="1">Bob</at>' }, mentions: [mention(0)] }), 400, 'BadRequest', /<at id="1">/);
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'html', content: 'Hi Bob' }, mentions: [mention(0)] }), 400, 'BadRequest', /no <at id="0">/);
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'html', content: 'Hi <at id="0">Bob</at>' } }), 400, 'BadRequest');
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'text', content: 'Hi <at id="0">Bob</at>' }, mentions: [mention(0)] }), 400, 'BadRequest', /HTML/);
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'html', content: '<at id="0">x</at><at id="0">y</at>' }, mentions: [mention(0), mention(0)] }), 400, 'BadRequest', /twice/);
		expectError(await post(`${DEALS}/messages`, { body: { contentType: 'html', content: '<at id="0">Carol</at>' }, mentions: [mention(0, CAROL as any)] }), 400, 'BadRequest', /not found/);
	});

	it('checks Adaptive Card and file reference attachments against the <attachment id> tags', async () => {
		const card = { type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Approve?' }] };
		const attachment = { id: '74d20c7f34aa4a7fb74e2b30004247c5', contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: JSON.stringify(card), name: null, thumbnailUrl: null };
		const ok = await post(`${GENERAL}/messages`, { body: { contentType: 'html', content: '<attachment id="74d20c7f34aa4a7fb74e2b30004247c5"></attachment>' }, attachments: [attachment] });
		expect(ok.status).toBe(201);
		expect(ok.json.attachments).toEqual([{ ...attachment, teamsAppId: null }]);
		const reference = { id: '153fa47d-18c9-4179-be08-9879815a9f90', contentType: 'reference', contentUrl: 'https://contoso.sharepoint.com/sites/Sales/Shared%20Documents/report.docx', name: 'report.docx' };
		expect((await post(`${GENERAL}/messages`, { body: { contentType: 'html', content: 'See <attachment id="153fa47d-18c9-4179-be08-9879815a9f90"></attachment>' }, attachments: [reference] })).status).toBe(201);
		const body = (content: string) => ({ contentType: 'html', content });
		const tag = '<attachment id="74d20c7f34aa4a7fb74e2b30004247c5"></attachment>';
		expectError(await post(`${GENERAL}/messages`, { body: body('no tag'), attachments: [attachment] }), 400, 'BadRequest', /no <attachment id=/);
		expectError(await post(`${GENERAL}/messages`, { body: body(`${tag}<attachment id="other"></attachment>`), attachments: [attachment] }), 400, 'BadRequest', /"other"/);
		expectError(await post(`${GENERAL}/messages`, { body: body(tag), attachments: [{ ...attachment, content: '{not json' }] }), 400, 'BadRequest', /not valid JSON/);
		expectError(await post(`${GENERAL}/messages`, { body: body(tag), attachments: [{ ...attachment, content: JSON.stringify({ type: 'Card' }) }] }), 400, 'BadRequest', /AdaptiveCard/);
		expectError(await post(`${GENERAL}/messages`, { body: body(tag), attachments: [{ ...attachment, contentType: 'image/png' }] }), 400, 'BadRequest', /not supported/);
		expectError(await post(`${GENERAL}/messages`, { body: { contentType: 'text', content: tag }, attachments: [attachment] }), 400, 'BadRequest', /HTML/);
		expectError(await post(`${GENERAL}/messages`, { body: body('<attachment id="r"></attachment>'), attachments: [{ ...reference, id: 'r', contentUrl: 'http://insecure.example/x' }] }), 400, 'BadRequest', /https/);
		expectError(await post(`${GENERAL}/messages`, { body: body(tag), attachments: [{ ...attachment, id: undefined }] }), 400, 'BadRequest');
	});

	it('refuses posting with an application token as Microsoft does; reading works with ChannelMessage.Read.All', async () => {
		const refused = await post(`${GENERAL}/messages`, text('from an app'), { token: app });
		expectError(refused, 403, 'Forbidden', /Missing role permissions on the request\. API requires one of 'Teamwork\.Migrate\.All'/);
		const migrate = sandbox.issueToken({ roles: ['Teamwork.Migrate.All', 'ChannelMessage.Read.All'] });
		expectError(await post(`${GENERAL}/messages`, text('from an app'), { token: migrate }), 401, 'Unauthorized', /Message POST is allowed in application-only context only for import purposes/);
		expectError(await post(`/chats/${q(SEED.chats.aliceBob.id)}/messages`, text('from an app'), { token: migrate }), 401, 'Unauthorized');
		expect((await get(`${GENERAL}/messages`, { token: app })).status).toBe(200);
		expectError(await get(`${GENERAL}/messages`, { token: sandbox.issueToken({ roles: ['Team.ReadBasic.All'] }) }), 403, 'Forbidden', /ChannelMessage\.Read\.All/);
	});

	it('edits (the sender, 204) and soft-deletes / restores messages and replies', async () => {
		const created = await post(`${GENERAL}/messages`, text('draft text'), { token: bob });
		const path = `${GENERAL}/messages/${created.json.id}`;
		const edited = await patch(path, { body: { contentType: 'html', content: '<p>final</p>' }, importance: 'urgent' }, { token: bob });
		expect([edited.status, edited.text]).toEqual([204, '']);
		const after = (await get(path)).json;
		expect(after).toMatchObject({ body: { contentType: 'html', content: '<p>final</p>' }, importance: 'urgent' });
		expect(after.lastEditedDateTime).toEqual(expect.any(String));
		expect(after.etag).not.toBe(created.json.etag);
		expectError(await patch(path, { body: { content: 'not mine' } }), 403, 'Forbidden');
		expectError(await patch(path, { replyToId: 'x' }, { token: bob }), 400, 'BadRequest');
		expectError(await patch(path, text('x'), { token: app }), 403, 'Forbidden');

		expect((await call('POST', `${path}/softDelete`, { token: bob })).status).toBe(204);
		const deleted = (await get(path)).json;
		expect(deleted.deletedDateTime).toEqual(expect.any(String));
		expect(deleted.body).toEqual({ contentType: 'html', content: '' });
		expectError(await patch(path, text('x'), { token: bob }), 400, 'BadRequest');
		expect((await call('POST', `${path}/undoSoftDelete`, { token: bob })).status).toBe(204);
		expect((await get(path)).json).toMatchObject({ deletedDateTime: null, body: { content: '<p>final</p>' } });
		// owners may delete others' messages; members may not
		expect((await call('POST', `${path}/softDelete`)).status).toBe(204);
		const aliceMessage = await post(`${GENERAL}/messages`, text('owner message'));
		expectError(await call('POST', `${GENERAL}/messages/${aliceMessage.json.id}/softDelete`, { token: bob }), 403, 'Forbidden');

		const reply = await post(`${path.replace(/\/messages\/.*/, '')}/messages/${aliceMessage.json.id}/replies`, text('a reply'), { token: bob });
		const replyPath = `${GENERAL}/messages/${aliceMessage.json.id}/replies/${reply.json.id}`;
		expect((await patch(replyPath, text('edited reply'), { token: bob })).status).toBe(204);
		expect((await call('POST', `${replyPath}/softDelete`, { token: bob })).status).toBe(204);
		expect((await get(replyPath)).json.deletedDateTime).toEqual(expect.any(String));
	});

	it('tracks changes with delta: a first round in pages up to a deltaLink, then only changed reply chains', async () => {
		const team = sandbox.teams.createTeam({ displayName: 'Delta lab', owner: ALICE.userPrincipalName, members: [BOB.userPrincipalName] });
		const path = `${channelPath(team.id, team.generalChannelId)}/messages`;
		const ids = sandbox.teams.seedMessages(team.id, 'General', 5, { from: ALICE.id, content: 'Old' });
		const round = async (url: string) => {
			const values: any[] = [];
			let next = url;
			let pages = 0;
			for (;;) {
				const res = await get(next);
				expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
				values.push(...res.json.value);
				pages += 1;
				if (res.json['@odata.deltaLink']) return { values, pages, deltaLink: res.json['@odata.deltaLink'] as string };
				next = res.json['@odata.nextLink'];
				expect(next).toContain('$skiptoken=');
			}
		};
		const first = await round(`${path}/delta?$top=2`);
		expect(first.pages).toBe(3);
		expect(first.values.map((m) => m.id).sort()).toEqual(ids.slice().sort());
		expect(first.values[0]['@odata.type']).toBe('#microsoft.graph.chatMessage');
		expect(first.deltaLink).toContain('$deltatoken=');
		await sleep(5);
		const mark = new Date().toISOString();
		await sleep(5);

		const fresh1 = sandbox.teams.postMessage(team.id, 'General', { from: BOB.id, content: 'new one' });
		sandbox.teams.postMessage(team.id, 'General', { from: BOB.id, content: 'a reply', replyTo: ids[0] });
		sandbox.teams.editMessage(team.id, 'General', ids[1], { content: 'edited' });
		const second = await round(first.deltaLink);
		expect(second.values.map((m) => m.id).sort()).toEqual([fresh1.id, ids[0], ids[1]].sort());
		expect(second.values.every((m) => m.replyToId === null)).toBe(true);
		const third = await round(second.deltaLink);
		expect(third.values).toEqual([]);

		const filtered = await round(`${path}/delta?$filter=${q(`lastModifiedDateTime gt ${mark}`)}&$expand=replies`);
		expect(filtered.values.map((m) => m.id).sort()).toEqual([fresh1.id, ids[0], ids[1]].sort());
		expect(filtered.values.find((m) => m.id === ids[0]).replies.map((r: any) => r.body.content)).toEqual(['a reply']);
		expectError(await get(`${path}/delta?$filter=${q(`lastModifiedDateTime lt ${mark}`)}`), 400, 'BadRequest');
		expectError(await get(`${path}/delta?$top=51`), 400, 'BadRequest');
		expectError(await get(`${GENERAL}/messages/delta?$deltatoken=${first.deltaLink.split('$deltatoken=')[1]}`), 400, 'BadRequest', /another channel/);
		expectError(await get(`${path}/delta?$deltatoken=garbage`), 400, 'BadRequest');
	});

	it('lists every message of a team with getAllMessages (application permissions only)', async () => {
		const res = await get(`/teams/${ENGINEERING.id}/channels/getAllMessages`, { token: app });
		expect(res.json.value.map((m: any) => m.body.content)).toEqual(['<p>Release 2.0 is out</p>']);
		const since = (await get(`/teams/${SALES.id}/channels/getAllMessages?$filter=${q('lastModifiedDateTime gt 2026-03-02T09:01:00Z and lastModifiedDateTime lt 2026-03-03T23:00:00Z')}`, { token: app })).json.value;
		expect(since.map((m: any) => m.body.content)).toEqual(['<div><at id="0">Alice Adams</at> the Northwind deal is closed.</div>', 'Thanks, Alice!']);
		expectError(await get(`/teams/${SALES.id}/channels/getAllMessages`), 403, 'Forbidden');
	});
});

describe('chats', () => {
	it('lists the chats of a user with members; filters by chatType; app tokens use /users/{id}/chats', async () => {
		const mine = await get('/me/chats?$expand=members');
		expect(mine.json.value.map((c: any) => c.id).sort()).toEqual([SEED.chats.aliceBob.id, SEED.chats.falcon.id].sort());
		const falcon = mine.json.value.find((c: any) => c.topic === 'Project Falcon');
		expect(falcon).toMatchObject({ chatType: 'group', tenantId: ALICE.tenant, viewpoint: { isHidden: false } });
		expect(falcon.members.map((m: any) => m.userId).sort()).toEqual([ALICE.id, BOB.id].sort());
		expect((await get(`/me/chats?$filter=${q("chatType eq 'oneOnOne'")}`)).json.value.map((c: any) => c.id)).toEqual([SEED.chats.aliceBob.id]);
		expect((await get(`/users/${BOB.id}/chats`, { token: app })).json.value).toHaveLength(2);
		expectError(await get(`/users/${BOB.id}/chats`), 403, 'Forbidden');
		expectError(await get('/chats', { token: app }), 403, 'Forbidden');
		expect((await get(`/chats/${q(SEED.chats.falcon.id)}?$expand=members`)).json.members).toHaveLength(2);
		expect((await get(`/chats/${q(SEED.chats.falcon.id)}`, { token: carol })).status).toBe(404);
		const members = await get(`/chats/${q(SEED.chats.aliceBob.id)}/members`);
		expect(members.json.value[0]).toMatchObject({ '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], visibleHistoryStartDateTime: expect.any(String) });
	});

	it('creates chats: a oneOnOne of the same two users returns the existing one; group chats with a topic', async () => {
		const again = await post('/chats', { chatType: 'oneOnOne', members: [member(ALICE.id, ['owner']), member(BOB.userPrincipalName, ['owner'])] });
		expect([again.status, again.json.id]).toEqual([201, SEED.chats.aliceBob.id]);
		const group = await post('/chats', { chatType: 'group', topic: 'Launch', members: [member(ALICE.id, ['owner']), member(BOB.id, ['owner'])] });
		expect(group.status).toBe(201);
		expect(group.json).toMatchObject({ chatType: 'group', topic: 'Launch' });
		expect(group.json.id).toMatch(/^19:[0-9a-f]{32}@thread\.v2$/);
		expect((await patch(`/chats/${q(group.json.id)}`, { topic: 'Launch 2' })).json.topic).toBe('Launch 2');
		expectError(await post('/chats', { chatType: 'oneOnOne', members: [member(BOB.id), member(ALICE.id), member(ALICE.id)] }), 400, 'BadRequest');
		expectError(await post('/chats', { chatType: 'oneOnOne', members: [member(BOB.id)] }, { token: alice }), 403, 'Forbidden');
		expectError(await post('/chats', { chatType: 'meeting', members: [member(ALICE.id)] }), 400, 'BadRequest');
		expectError(await post('/chats', { chatType: 'group', members: [member(ALICE.id), member(CAROL.id)] }), 404, 'NotFound');
		expect((await post('/chats', { chatType: 'oneOnOne', members: [member(ALICE.id), member(BOB.id)] }, { token: app })).json.id).toBe(SEED.chats.aliceBob.id);
	});

	it('lists, posts, edits and soft-deletes chat messages with the same content rules', async () => {
		const path = `/chats/${q(SEED.chats.aliceBob.id)}/messages`;
		const list = await get(path);
		expect(list.json.value.map((m: any) => m.body.content).slice(-2)).toEqual(['Sure!', 'Lunch at noon?']);
		expect(list.json.value[0]).toMatchObject({ chatId: SEED.chats.aliceBob.id, channelIdentity: null, webUrl: null });
		const sent = await post(path, { body: { contentType: 'html', content: '<at id="0">Bob</at> 12:30?' }, mentions: [{ id: 0, mentionText: 'Bob', mentioned: { user: { id: BOB.id } } }] });
		expect(sent.status).toBe(201);
		expect((await get(`${path}/${sent.json.id}`, { token: bob })).json.mentions[0].mentioned.user.id).toBe(BOB.id);
		expectError(await post(path, { body: { contentType: 'html', content: 'no tag' }, mentions: [{ id: 0, mentionText: 'Bob', mentioned: { user: { id: BOB.id } } }] }), 400, 'BadRequest');
		expectError(await post(path, text('from the app'), { token: app }), 403, 'Forbidden', /Teamwork\.Migrate\.All/);
		expect((await patch(`${path}/${sent.json.id}`, text('12:45?'))).status).toBe(204);
		expectError(await patch(`${path}/${sent.json.id}`, text('bob edits'), { token: bob }), 403, 'Forbidden');
		expect((await call('POST', `/users/${ALICE.id}/chats/${q(SEED.chats.aliceBob.id)}/messages/${sent.json.id}/softDelete`)).status).toBe(204);
		expect((await get(`${path}/${sent.json.id}`)).json.deletedDateTime).toEqual(expect.any(String));
		expect((await call('POST', `${path}/${sent.json.id}/undoSoftDelete`)).status).toBe(204);
		const byModified = await get(`${path}?$orderby=${q('lastModifiedDateTime desc')}&$filter=${q('lastModifiedDateTime gt 2026-03-02T11:00:30Z')}&$top=2`);
		expect(byModified.json.value[0].id).toBe(sent.json.id);
		expectError(await get(`${path}?$orderby=${q('createdDateTime asc')}`), 400, 'BadRequest');
		expectError(await get(`/chats/${q(SEED.chats.aliceBob.id)}/messages`, { token: carol }), 404, 'NotFound');
		expect((await get(path, { token: app })).status).toBe(200);
	});
});

describe('planner', () => {
	it("reads the team group's plan, buckets and tasks, each with an @odata.etag", async () => {
		const plans = await get(`/groups/${SALES.id}/planner/plans`);
		expect(plans.json.value.map((p: any) => [p.id, p.title])).toEqual([[PLAN.id, 'Sales pipeline']]);
		expect(plans.json.value[0].container).toEqual({ containerId: SALES.id, type: 'group', url: `https://graph.microsoft.com/v1.0/groups/${SALES.id}` });
		expectError(await get(`/groups/${ENGINEERING.id}/planner/plans`), 403, '');
		const plan = await get(`/planner/plans/${PLAN.id}`);
		expect(plan.json['@odata.etag']).toMatch(/^W\/"/);
		const buckets = await get(`/planner/plans/${PLAN.id}/buckets`);
		expect(buckets.json.value.map((b: any) => b.name)).toEqual(['To do', 'In progress', 'Done']);
		const tasks = await get(`/planner/plans/${PLAN.id}/tasks`);
		expect(tasks.json.value.map((t: any) => t.title).sort()).toEqual(['Call Northwind', 'Prepare Q2 forecast']);
		for (const item of [...buckets.json.value, ...tasks.json.value]) expect(item['@odata.etag']).toMatch(/^W\/"/);
		expect((await get(`/planner/buckets/${PLAN.buckets.todo}/tasks`)).json.value.map((t: any) => t.title)).toEqual(['Call Northwind']);
		expect((await get('/me/planner/tasks', { token: bob })).json.value.map((t: any) => t.id)).toEqual([PLAN.tasks.callNorthwind]);
		const forecast = await get(`/planner/tasks/${PLAN.tasks.forecast}`);
		expect(forecast.json).toMatchObject({ percentComplete: 50, hasDescription: true, checklistItemCount: 1, activeChecklistItemCount: 1 });
		expectError(await get('/planner/tasks/doesNotExist0000000000000000'), 404, '', /not found/);
		expectError(await get(`/planner/tasks/${PLAN.tasks.forecast}`, { token: carol }), 404, '');
		expectError(await get(`/planner/tasks/${PLAN.tasks.forecast}`, { token: sandbox.issueToken({ roles: ['Group.Read.All'] }) }), 403, 'Forbidden');
		expect((await get(`/planner/tasks/${PLAN.tasks.forecast}`, { token: app })).status).toBe(200);
	});

	it('creates tasks and needs If-Match with the current etag to change or delete them (missing / foreign / stale → 412)', async () => {
		const created = await post('/planner/tasks', {
			planId: PLAN.id, bucketId: PLAN.buckets.todo, title: 'Send the quote', dueDateTime: '2026-05-01T12:00:00Z',
			assignments: { [BOB.id]: { '@odata.type': '#microsoft.graph.plannerAssignment', orderHint: ' !' } },
		});
		expect(created.status).toBe(201);
		expect(created.json.assignments[BOB.id]).toMatchObject({ '@odata.type': '#microsoft.graph.plannerAssignment', assignedBy: { user: { id: ALICE.id } } });
		expect(created.json.assignments[BOB.id].orderHint).not.toMatch(/!$/);
		const path = `/planner/tasks/${created.json.id}`;
		const etag = created.json['@odata.etag'];

		expectError(await patch(path, { title: 'No header' }), 412, '', /If-Match header must be specified/);
		expectError(await patch(path, { title: 'x' }, { headers: { 'if-match': 'W/"garbage"' } }), 412, '', /invalid value/);
		const forecast = (await get(`/planner/tasks/${PLAN.tasks.forecast}`)).json;
		expectError(await patch(path, { title: 'x' }, { headers: { 'if-match': forecast['@odata.etag'] } }), 412, '', /invalid value/);
		const changed = await patch(path, { percentComplete: 100 }, { headers: { 'if-match': etag } });
		expect([changed.status, changed.text]).toEqual([204, '']);
		const current = (await get(path)).json;
		expect(current).toMatchObject({ percentComplete: 100, completedBy: { user: { id: ALICE.id } } });
		expect(current['@odata.etag']).not.toBe(etag);
		// an older etag: accepted when the properties it sets did not change since (Planner's rule), else 412
		expectError(await patch(path, { percentComplete: 50 }, { headers: { 'if-match': etag } }), 412, '', /changed since/);
		expect((await patch(path, { title: 'Send the quote today' }, { headers: { 'if-match': etag } })).status).toBe(204);
		const represented = await patch(path, { priority: 1 }, { headers: { 'if-match': (await get(path)).json['@odata.etag'], prefer: 'return=representation' } });
		expect([represented.status, represented.json.priority, represented.json.title]).toEqual([200, 1, 'Send the quote today']);
		sandbox.teams.updateTask(created.json.id, { priority: 9 });
		expectError(await patch(path, { priority: 2 }, { headers: { 'if-match': represented.json['@odata.etag'] } }), 412, '');
		expectError(await patch(path, { planId: 'x' }, { headers: { 'if-match': '*' } }), 400, '');
		expectError(await patch(path, { startDateTime: '2026-06-01T00:00:00Z' }, { headers: { 'if-match': '*' } }), 400, '', /later than dueDateTime/);
		expectError(await patch(path, { assignments: { [BOB.id]: { orderHint: ' !' } } }, { headers: { 'if-match': '*' } }), 400, '', /plannerAssignment/);

		expectError(await call('DELETE', path), 412, '', /must be specified/);
		expectError(await call('DELETE', path, { headers: { 'if-match': etag } }), 412, '');
		expect((await call('DELETE', path, { headers: { 'if-match': (await get(path)).json['@odata.etag'] } })).status).toBe(204);
		expectError(await get(path), 404, '');
		expectError(await post('/planner/tasks', { title: 'no plan' }), 400, '');
		expectError(await post('/planner/tasks', { planId: PLAN.id, title: 'x', bucketId: 'nope' }), 400, '');
	});

	it('reads and changes task details with their own etag', async () => {
		const path = `/planner/tasks/${PLAN.tasks.forecast}/details`;
		const details = await get(path);
		expect(details.json).toMatchObject({ id: PLAN.tasks.forecast, description: 'Pipeline by region, weighted by stage.', previewType: 'automatic' });
		const task = (await get(`/planner/tasks/${PLAN.tasks.forecast}`)).json;
		expectError(await patch(path, { description: 'x' }, { headers: { 'if-match': task['@odata.etag'] } }), 412, '', /invalid value/);
		const res = await patch(path, {
			description: 'Updated',
			checklist: { 'a2f7e0c5-0000-4000-8000-000000000001': { '@odata.type': 'microsoft.graph.plannerChecklistItem', title: 'Check EMEA', isChecked: true } },
			references: { 'https%3A//contoso%2Esharepoint%2Ecom/forecast%2Exlsx': { '@odata.type': 'microsoft.graph.plannerExternalReference', alias: 'Forecast', type: 'Excel' } },
		}, { headers: { 'if-match': details.json['@odata.etag'], prefer: 'return=representation' } });
		expect(res.status).toBe(200);
		expect(Object.keys(res.json.checklist)).toHaveLength(2);
		expect((await get(`/planner/tasks/${PLAN.tasks.forecast}`)).json).toMatchObject({ checklistItemCount: 2, activeChecklistItemCount: 1, referenceCount: 1 });
		expectError(await patch(path, { checklist: { x: { title: 'no type' } } }, { headers: { 'if-match': res.json['@odata.etag'] } }), 400, '');
	});
});

describe('online meetings', () => {
	it('creates, reads, finds by join URL, updates and deletes meetings of the signed-in user', async () => {
		const created = await post('/me/onlineMeetings', { startDateTime: '2026-12-10T10:00:00Z', endDateTime: '2026-12-10T11:00:00Z', subject: 'Pipeline review' });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ subject: 'Pipeline review', startDateTime: '2026-12-10T10:00:00.000Z', participants: { organizer: { upn: ALICE.userPrincipalName, role: 'presenter' } } });
		expect(created.json.joinWebUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3Ameeting_/);
		const path = `/me/onlineMeetings/${created.json.id}`;
		expect((await get(path)).json.joinWebUrl).toBe(created.json.joinWebUrl);
		const found = await get(`/me/onlineMeetings?$filter=${q(`JoinWebUrl eq '${created.json.joinWebUrl}'`)}`);
		expect(found.json.value.map((m: any) => m.id)).toEqual([created.json.id]);
		expectError(await get('/me/onlineMeetings'), 400, 'BadRequest');
		const updated = await patch(path, { subject: 'Pipeline review (moved)', endDateTime: '2026-12-10T11:30:00Z' });
		expect([updated.status, updated.json.subject, updated.json.endDateTime]).toEqual([200, 'Pipeline review (moved)', '2026-12-10T11:30:00.000Z']);
		expectError(await patch(path, { endDateTime: '2026-12-10T09:00:00Z' }), 400, 'BadRequest');
		expectError(await post('/me/onlineMeetings', { startDateTime: '2026-12-10T10:00:00Z', endDateTime: '2026-12-10T09:00:00Z' }), 400, 'BadRequest');
		expectError(await get(path, { token: bob }), 404, 'NotFound');
		expect((await call('DELETE', path)).status).toBe(204);
		expectError(await get(path), 404, 'NotFound');
		const defaults = await post('/me/onlineMeetings', {});
		expect(Date.parse(defaults.json.endDateTime) - Date.parse(defaults.json.startDateTime)).toBe(3600000);
	});

	it('needs an application access policy for app-only meetings', async () => {
		const path = `/users/${ALICE.userPrincipalName}/onlineMeetings`;
		expectError(await post(path, { subject: 'app' }, { token: app }), 403, 'Forbidden', /No application access policy found for this app/);
		sandbox.teams.grantMeetingPolicy(SEED.apps.multiTenant.clientId, ALICE.id);
		const created = await post(path, { subject: 'app' }, { token: app });
		expect(created.status).toBe(201);
		expect(sandbox.teams.meetings(ALICE.id).map((m) => m.subject)).toContain('app');
		expectError(await post(`/users/${BOB.id}/onlineMeetings`, { subject: 'app' }, { token: app }), 403, 'Forbidden');
		sandbox.teams.revokeMeetingPolicy(SEED.apps.multiTenant.clientId);
		expectError(await get(`${path}/${created.json.id}`, { token: app }), 403, 'Forbidden');
		expectError(await post(`/users/${BOB.id}/onlineMeetings`, {}, { token: alice }), 403, 'Forbidden');
	});
});

describe('subscriptions', () => {
	const generalResource = `/teams/${SALES.id}/channels/${SALES.channels.general.id}/messages`;

	it('validates the notification URL with a token before answering 201, and lists / gets subscriptions', async () => {
		const path = fresh('handshake');
		const created = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource });
		expect(created).toMatchObject({ resource: generalResource, changeType: 'created,updated,deleted', clientState: 'secret-state', applicationId: SEED.apps.multiTenant.clientId, includeResourceData: false, lifecycleNotificationUrl: null });
		const validation = receiver.received.find((r) => r.path === path)!;
		expect(validation.query.get('validationToken')).toMatch(/^Validation: Testing client application reachability for subscription Request-Id: /);
		expect(validation.headers['content-type']).toMatch(/^text\/plain/);
		expect(validation.body).toBe('');
		expect((await get('/subscriptions', { token: app })).json.value.map((s: any) => s.id)).toEqual([created.id]);
		expect((await get(`/subscriptions/${created.id}`, { token: app })).json.notificationUrl).toBe(`${receiver.base}${path}`);
		expect((await get('/subscriptions')).json.value).toEqual([]);
		expectError(await get(`/subscriptions/${created.id}`), 404, 'ResourceNotFound');
		expect(sandbox.teams.validations().find((v) => v.url === `${receiver.base}${path}`)).toMatchObject({ ok: true });
	});

	it('refuses a receiver that answers wrong, fails, is too slow or is not there (400)', async () => {
		const wrong = fresh('wrong');
		receiver.behaviours.set(wrong, (_r, res) => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('not the token');
		});
		const body = { changeType: 'created', resource: generalResource, expirationDateTime: inMinutes(30) };
		expectError(await post('/subscriptions', { ...body, notificationUrl: `${receiver.base}${wrong}` }, { token: app }), 400, 'InvalidRequest', /Subscription validation request failed\. Response must exactly match validationToken query parameter\./);
		const failing = fresh('failing');
		receiver.behaviours.set(failing, (_r, res) => {
			res.writeHead(500);
			res.end();
		});
		expectError(await post('/subscriptions', { ...body, notificationUrl: `${receiver.base}${failing}` }, { token: app }), 400, 'InvalidRequest', /Subscription validation request failed\. Notification endpoint must respond with 200 OK/);
		const slow = fresh('slow');
		receiver.behaviours.set(slow, async (r, res) => {
			await sleep(600);
			echo(r, res);
		});
		sandbox.teams.deliverySettings = { validationTimeoutMs: 300 };
		expectError(await post('/subscriptions', { ...body, notificationUrl: `${receiver.base}${slow}` }, { token: app }), 400, 'InvalidRequest', /^Subscription validation request timed out\.$/);
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		expectError(await post('/subscriptions', { ...body, notificationUrl: `http://127.0.0.1:${port}/gone` }, { token: app }), 400, 'InvalidRequest', /validation request failed/);
		expect(sandbox.teams.subscriptions()).toEqual([]);
		expect(sandbox.teams.validations().map((v) => v.reason)).toEqual(expect.arrayContaining(['mismatch', 'status', 'timeout', 'network']));
	});

	it('refuses bad subscription requests: scheme, resource, lifetime, resource data, permissions, membership', async () => {
		const base = { changeType: 'created', notificationUrl: `${receiver.base}${fresh('bad')}`, resource: generalResource, expirationDateTime: inMinutes(30) };
		expectError(await post('/subscriptions', { ...base, notificationUrl: 'http://webhook.example/n' }, { token: app }), 400, 'InvalidRequest', /https/);
		expectError(await post('/subscriptions', { ...base, resource: '/me/messages' }, { token: app }), 400, 'InvalidRequest', /not supported/);
		expectError(await post('/subscriptions', { ...base, changeType: 'created,moved' }, { token: app }), 400, 'InvalidRequest');
		expectError(await post('/subscriptions', { ...base, expirationDateTime: inMinutes(-1) }, { token: app }), 400, 'InvalidRequest');
		expectError(await post('/subscriptions', { ...base, expirationDateTime: inMinutes(90) }, { token: app }), 400, 'InvalidRequest', /^lifecycleNotificationUrl is a required property for subscription creation on this resource when the expirationDateTime value is set to greater than 1 hour\.$/);
		expectError(await post('/subscriptions', { ...base, expirationDateTime: inMinutes(4330), lifecycleNotificationUrl: `${receiver.base}/lc` }, { token: app }), 400, 'ExtensionError', /^Subscription expiration can only be 4320 minutes in the future\.$/);
		expectError(await post('/subscriptions', { ...base, includeResourceData: true }, { token: app }), 400, 'InvalidRequest', /encryptionCertificate/);
		expectError(await post('/subscriptions', { ...base, includeResourceData: true, encryptionCertificate: 'MIIB', encryptionCertificateId: 'k1' }, { token: app }), 400, 'InvalidRequest', /not modelled/);
		expectError(await post('/subscriptions', { ...base, clientState: 'x'.repeat(129) }, { token: app }), 400, 'InvalidRequest');
		expectError(await post('/subscriptions', base, { token: sandbox.issueToken({ roles: ['Chat.Read.All'] }) }), 403, 'Forbidden', /ChannelMessage\.Read\.All/);
		expectError(await post('/subscriptions', { ...base, resource: '/teams/getAllMessages' }, { token: alice }), 403, 'Forbidden', /application permissions/);
		expectError(await post('/subscriptions', { ...base, resource: `/teams/${ENGINEERING.id}/channels/${ENGINEERING.channels.general.id}/messages` }, { token: alice }), 403, 'Forbidden');
		expectError(await post('/subscriptions', { ...base, resource: `/teams/${SALES.id}/channels/${SALES.channels.leadership.id}/messages` }, { token: bob }), 403, 'Forbidden');
		expectError(await post('/subscriptions', { ...base, resource: '/me/chats/getAllMessages' }, { token: app }), 400, 'BadRequest');
		expectError(await post('/subscriptions', { ...base, resource: `/teams/${SALES.id}/members`, changeType: 'created' }, { token: sandbox.issueToken({ roles: ['ChannelMessage.Read.All'] }) }), 403, 'Forbidden');
		expect(receiver.received.filter((r) => r.path === base.notificationUrl.slice(receiver.base.length))).toEqual([]);
		// Graph's own form of the resource works too
		expect((await subscribe({ notificationUrl: base.notificationUrl, resource: `teams('${SALES.id}')/channels('${SALES.channels.general.id}')/messages` })).id).toEqual(expect.any(String));
	});

	it('delivers created, updated and deleted notifications with clientState and ids only', async () => {
		const path = fresh('deliver');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource });
		const posted = await post(`${GENERAL}/messages`, text('notify me'), { token: bob });
		const [delivery] = await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id });
		expect(delivery.state).toBe('delivered');
		expect(delivery.attempts.map((a) => a.status)).toEqual([202]);
		const resource = `teams('${SALES.id}')/channels('${SALES.channels.general.id}')/messages('${posted.json.id}')`;
		expect(receiver.notifications(path)).toEqual([{
			subscriptionId: sub.id, clientState: 'secret-state', changeType: 'created', resource, subscriptionExpirationDateTime: sub.expirationDateTime,
			resourceData: { id: posted.json.id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': resource }, tenantId: SEED.tenants.contoso.id,
		}]);
		const notification = receiver.received.find((r) => r.path === path && r.json)!;
		expect(notification.headers['content-type']).toMatch(/^application\/json/);

		const reply = await post(`${GENERAL}/messages/${posted.json.id}/replies`, text('a reply'));
		await patch(`${GENERAL}/messages/${posted.json.id}`, text('edited'), { token: bob });
		await call('POST', `${GENERAL}/messages/${posted.json.id}/softDelete`, { token: bob });
		sandbox.teams.postMessage(SALES.id, 'Deals', { from: BOB.id, content: 'other channel' });
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id }, { count: 4 });
		const seen = receiver.notifications(path).map((n) => [n.changeType, n.resource]);
		expect(seen).toEqual([
			['created', resource],
			['created', `teams('${SALES.id}')/channels('${SALES.channels.general.id}')/messages('${posted.json.id}')/replies('${reply.json.id}')`],
			['updated', resource],
			['deleted', resource],
		]);

		const onlyCreated = fresh('created-only');
		const sub2 = await subscribe({ notificationUrl: `${receiver.base}${onlyCreated}`, resource: generalResource, changeType: 'created' });
		const m = sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'one' });
		sandbox.teams.editMessage(SALES.id, 'General', m.id, { content: 'two' });
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub2.id });
		await sleep(100);
		expect(receiver.notifications(onlyCreated).map((n) => n.changeType)).toEqual(['created']);
	});

	it('filters message subscriptions by $search and mentions', async () => {
		const searchPath = fresh('search');
		const mentionPath = fresh('mention');
		const s1 = await subscribe({ notificationUrl: `${receiver.base}${searchPath}`, resource: `${generalResource}?$search=urgent`, changeType: 'created' });
		const s2 = await subscribe({ notificationUrl: `${receiver.base}${mentionPath}`, resource: `${generalResource}?$filter=mentions/any(u: u/mentioned/user/id eq '${BOB.id}')`, changeType: 'created' });
		sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'nothing special' });
		const urgent = sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'This is URGENT' });
		const mention = sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: '<at id="0">Bob</at> look', mentions: [{ id: 0, mentionText: 'Bob', mentioned: { user: { id: BOB.id } } }] });
		await sandbox.teams.waitForDeliveries({ subscriptionId: s1.id });
		await sandbox.teams.waitForDeliveries({ subscriptionId: s2.id });
		await sleep(100);
		expect(receiver.notifications(searchPath).map((n) => n.resourceData.id)).toEqual([urgent.id]);
		expect(receiver.notifications(mentionPath).map((n) => n.resourceData.id)).toEqual([mention.id]);
	});

	it('notifies about chat messages, team members and channels', async () => {
		const chats = fresh('chat');
		const members = fresh('members');
		const channels = fresh('channels');
		const mineAll = fresh('my-chats');
		const chatSub = await subscribe({ notificationUrl: `${receiver.base}${chats}`, resource: `/chats/${SEED.chats.falcon.id}/messages` }, alice);
		const memberSub = await subscribe({ notificationUrl: `${receiver.base}${members}`, resource: `/teams/${SALES.id}/members` });
		const channelSub = await subscribe({ notificationUrl: `${receiver.base}${channels}`, resource: `/teams/${SALES.id}/channels` });
		const allChats = await subscribe({ notificationUrl: `${receiver.base}${mineAll}`, resource: '/me/chats/getAllMessages', changeType: 'created' }, bob);
		const sent = await post(`/chats/${q(SEED.chats.falcon.id)}/messages`, text('chat ping'), { token: bob });
		const added = await post(`/teams/${SALES.id}/members`, member(BOB.id, ['owner']));
		const channel = await post(`/teams/${SALES.id}/channels`, { displayName: `Notified ${pathCounter}` });
		await call('DELETE', channelPath(SALES.id, channel.json.id));
		await sandbox.teams.waitForDeliveries({ subscriptionId: chatSub.id });
		await sandbox.teams.waitForDeliveries({ subscriptionId: memberSub.id });
		await sandbox.teams.waitForDeliveries({ subscriptionId: channelSub.id }, { count: 2 });
		await sandbox.teams.waitForDeliveries({ subscriptionId: allChats.id });
		expect(receiver.notifications(chats)[0]).toMatchObject({ changeType: 'created', resource: `chats('${SEED.chats.falcon.id}')/messages('${sent.json.id}')` });
		expect(receiver.notifications(mineAll)[0].resourceData.id).toBe(sent.json.id);
		expect(receiver.notifications(members)[0]).toMatchObject({ changeType: 'updated', resource: `teams('${SALES.id}')/members('${added.json.id}')`, resourceData: { '@odata.type': '#Microsoft.Graph.aadUserConversationMember' } });
		expect(receiver.notifications(channels).map((n) => [n.changeType, n.resourceData.id])).toEqual([['created', channel.json.id], ['deleted', channel.json.id]]);
		await patch(`/teams/${SALES.id}/members/${q(added.json.id)}`, { roles: [] });
	});

	it('retries a failing receiver with backoff, a bounded number of times, recording every attempt', async () => {
		sandbox.teams.deliverySettings = { retryDelaysMs: [50, 100, 150], timeoutMs: 300 };
		const flaky = fresh('flaky');
		let failures = 2;
		receiver.behaviours.set(flaky, (r, res) => {
			if (r.query.get('validationToken') === null && failures-- > 0) {
				res.writeHead(503);
				res.end();
				return;
			}
			echo(r, res);
		});
		const sub = await subscribe({ notificationUrl: `${receiver.base}${flaky}`, resource: generalResource, changeType: 'created' });
		const m = sandbox.teams.postMessage(SALES.id, 'General', { from: BOB.id, content: 'retry me' });
		const [delivered] = await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id });
		expect(delivered.state).toBe('delivered');
		expect(delivered.attempts.map((a) => a.status)).toEqual([503, 503, 202]);
		expect(receiver.notifications(flaky).map((n) => n.resourceData.id)).toEqual([m.id, m.id, m.id]);

		const down = fresh('down');
		receiver.behaviours.set(down, (r, res) => (r.query.get('validationToken') !== null ? echo(r, res) : void setTimeout(() => { res.writeHead(202); res.end(); }, 1000)));
		const sub2 = await subscribe({ notificationUrl: `${receiver.base}${down}`, resource: generalResource, changeType: 'created' });
		sandbox.teams.postMessage(SALES.id, 'General', { from: BOB.id, content: 'nobody answers in time' });
		const [failed] = await sandbox.teams.waitForDeliveries({ subscriptionId: sub2.id }, { timeoutMs: 8000 });
		expect(failed.state).toBe('failed');
		expect(failed.attempts).toHaveLength(4);
		expect(failed.attempts.every((a) => a.status === null && /timed out/.test(String(a.error)))).toBe(true);
	});

	it('keeps delivering across several shortened lifetimes while the client renews (PATCH) in time; nothing is lost', async () => {
		sandbox.teams.subscriptionClock = { maxLifetimeMs: 600 };
		const path = fresh('renew');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource, changeType: 'created', expirationDateTime: inMinutes(55) });
		const granted = Date.parse(sub.expirationDateTime) - Date.now();
		expect(granted).toBeGreaterThan(300);
		expect(granted).toBeLessThanOrEqual(600);
		const expirations = new Set<string>([sub.expirationDateTime]);
		const posted: string[] = [];
		const started = Date.now();
		let renewals = 0;
		while (Date.now() - started < 2400) {
			posted.push(sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: `tick ${posted.length}` }).id);
			await sleep(100);
			if (posted.length % 2 === 0) {
				const renewed = await patch(`/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(55) }, { token: app });
				expect([renewed.status, renewed.status === 200 ? '' : renewed.text]).toEqual([200, '']);
				expirations.add(renewed.json.expirationDateTime);
				renewals += 1;
			}
		}
		expect(Date.now() - started).toBeGreaterThan(3 * 600);
		expect(renewals).toBeGreaterThanOrEqual(8);
		expect(expirations.size).toBeGreaterThan(4);
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id }, { count: posted.length });
		const received = receiver.notifications(path).map((n) => n.resourceData.id);
		expect(received.slice().sort()).toEqual(posted.slice().sort());
		expect(new Set(received).size).toBe(posted.length);
		expect(sandbox.teams.subscription(sub.id)).not.toBeNull();
	});

	it('stops delivering when a subscription expires, which then is gone (404)', async () => {
		sandbox.teams.subscriptionClock = { maxLifetimeMs: 300 };
		const path = fresh('expire');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource, changeType: 'created' });
		sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'before expiry' });
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id });
		await sleep(400);
		expectError(await get(`/subscriptions/${sub.id}`, { token: app }), 404, 'ResourceNotFound');
		expectError(await patch(`/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(30) }, { token: app }), 404, 'ResourceNotFound');
		sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'after expiry' });
		await sleep(200);
		expect(receiver.notifications(path)).toHaveLength(1);
		expect(sandbox.teams.endedSubscriptions()).toEqual([expect.objectContaining({ id: sub.id, reason: 'expired' })]);
		expect((await get('/subscriptions', { token: app })).json.value).toEqual([]);
	});

	it('deletes subscriptions (204): no more notifications; renewal follows Graph\'s lifetime rules', async () => {
		const path = fresh('delete');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource, changeType: 'created' });
		expectError(await patch(`/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(120) }, { token: app }), 400, 'InvalidRequest', /lifecycleNotificationUrl/);
		expectError(await patch(`/subscriptions/${sub.id}`, { resource: '/teams' }, { token: app }), 400, 'InvalidRequest');
		expectError(await call('DELETE', `/subscriptions/${sub.id}`, { token: alice }), 404, 'ResourceNotFound');
		expect((await call('DELETE', `/subscriptions/${sub.id}`, { token: app })).status).toBe(204);
		expectError(await get(`/subscriptions/${sub.id}`, { token: app }), 404, 'ResourceNotFound');
		sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'after delete' });
		await sleep(200);
		expect(receiver.notifications(path)).toEqual([]);
	});

	it('moves a subscription to a new notificationUrl after validating it', async () => {
		const first = fresh('move-from');
		const second = fresh('move-to');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${first}`, resource: generalResource, changeType: 'created' });
		receiver.behaviours.set(`${second}-bad`, (_r, res) => {
			res.writeHead(404);
			res.end();
		});
		expectError(await patch(`/subscriptions/${sub.id}`, { notificationUrl: `${receiver.base}${second}-bad` }, { token: app }), 400, 'InvalidRequest');
		const moved = await patch(`/subscriptions/${sub.id}`, { notificationUrl: `${receiver.base}${second}` }, { token: app });
		expect(moved.json.notificationUrl).toBe(`${receiver.base}${second}`);
		sandbox.teams.postMessage(SALES.id, 'General', { from: ALICE.id, content: 'to the new URL' });
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id });
		expect([receiver.notifications(first).length, receiver.notifications(second).length]).toEqual([0, 1]);
	});

	it('sends lifecycle notifications: reauthorizationRequired before expiry, missed and subscriptionRemoved on demand', async () => {
		sandbox.teams.subscriptionClock = { maxLifetimeMs: 900, reauthorizeBeforeMs: 500 };
		const path = fresh('lc-notify');
		const lifecycle = fresh('lifecycle');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, lifecycleNotificationUrl: `${receiver.base}${lifecycle}`, resource: generalResource, expirationDateTime: inMinutes(3 * 24 * 60) });
		expect(receiver.received.filter((r) => r.path === lifecycle && r.query.get('validationToken') !== null)).toHaveLength(1);
		const [reauth] = await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id, kind: 'lifecycle' }, { timeoutMs: 2000 });
		expect(reauth.lifecycleEvent).toBe('reauthorizationRequired');
		expect(Date.parse(sub.expirationDateTime) - Date.parse(reauth.attempts[0].time)).toBeGreaterThan(200);
		expect(receiver.notifications(lifecycle)).toEqual([{ subscriptionId: sub.id, subscriptionExpirationDateTime: sub.expirationDateTime, tenantId: SEED.tenants.contoso.id, clientState: 'secret-state', lifecycleEvent: 'reauthorizationRequired' }]);
		expect((await call('POST', `/subscriptions/${sub.id}/reauthorize`, { token: app })).status).toBe(204);
		const renewed = await patch(`/subscriptions/${sub.id}`, { expirationDateTime: inMinutes(24 * 60) }, { token: app });
		expect(renewed.status).toBe(200);

		sandbox.teams.subscriptionClock = { maxLifetimeMs: null, reauthorizeBeforeMs: null };
		const sub2 = await subscribe({ notificationUrl: `${receiver.base}${path}`, lifecycleNotificationUrl: `${receiver.base}${lifecycle}`, resource: generalResource, expirationDateTime: inMinutes(2 * 24 * 60) });
		sandbox.teams.sendLifecycle(sub2.id, 'missed');
		const removed = sandbox.teams.removeSubscription(sub2.id);
		expect(removed?.lifecycleEvent).toBe('subscriptionRemoved');
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub2.id, kind: 'lifecycle' }, { count: 2 });
		expect(receiver.notifications(lifecycle).filter((n) => n.subscriptionId === sub2.id).map((n) => n.lifecycleEvent).sort()).toEqual(['missed', 'subscriptionRemoved']);
		expectError(await get(`/subscriptions/${sub2.id}`, { token: app }), 404, 'ResourceNotFound');
		const badLifecycle = fresh('bad-lifecycle');
		receiver.behaviours.set(badLifecycle, (_r, res) => {
			res.writeHead(200);
			res.end('wrong');
		});
		expectError(await post('/subscriptions', { changeType: 'created', notificationUrl: `${receiver.base}${path}`, lifecycleNotificationUrl: `${receiver.base}${badLifecycle}`, resource: generalResource, expirationDateTime: inMinutes(30) }, { token: app }), 400, 'InvalidRequest', /must exactly match/);
	});

	it('is driven over HTTP by /_sandbox/teams control routes', async () => {
		const control = (method: string, path: string, body?: unknown) => call(method, `${sandbox.graphUrl}/_sandbox/teams${path}`, { token: null, body });
		await control('PUT', '/subscription-clock', { maxLifetimeMs: 5000 });
		expect((await control('GET', '/subscription-clock')).json).toEqual({ maxLifetimeMs: 5000, reauthorizeBeforeMs: null });
		expect((await control('PUT', '/subscription-clock', { nope: 1 })).status).toBe(400);
		const path = fresh('control');
		const sub = await subscribe({ notificationUrl: `${receiver.base}${path}`, resource: generalResource, changeType: 'created' });
		expect(Date.parse(sub.expirationDateTime) - Date.now()).toBeLessThanOrEqual(5000);
		const posted = await control('POST', `/${q('Contoso Sales')}/channels/General/messages`, { from: BOB.userPrincipalName, content: 'from the control route' });
		expect(posted.status).toBe(201);
		await sandbox.teams.waitForDeliveries({ subscriptionId: sub.id });
		const deliveries = await control('GET', `/deliveries?subscriptionId=${sub.id}`);
		expect(deliveries.json.map((d: TeamsDelivery) => [d.state, d.body.value[0].resourceData.id])).toEqual([['delivered', posted.json.id]]);
		expect((await control('GET', '/subscriptions')).json.live.map((s: any) => s.id)).toEqual([sub.id]);
		expect((await control('POST', `/subscriptions/${sub.id}/expire`)).status).toBe(204);
		expect((await control('GET', '/subscriptions')).json.ended).toEqual([expect.objectContaining({ id: sub.id, reason: 'expired' })]);
		expect((await control('GET', `/${SALES.id}`)).json.channels.map((c: any) => c.displayName)).toEqual(expect.arrayContaining(['General', 'Deals', 'Leadership']));
		expect((await control('POST', '/nope/channels/General/messages', { from: BOB.id, content: 'x' })).status).toBe(400);
		const burst = await control('POST', `/${SALES.id}/channels/Deals/messages`, { count: 3, from: BOB.id, content: 'Old deal' });
		expect(burst.json.ids).toHaveLength(3);
		expect((await control('GET', '/async-timing')).json).toEqual({ pollsInProgress: 1, readyAfterMs: 500 });
		const chat = await control('POST', `/chats/${q('Project Falcon')}/messages`, { from: ALICE.id, content: 'via control', contentType: 'text' });
		expect(chat.json.chatId).toBe(SEED.chats.falcon.id);
		expect((await control('DELETE', '/subscriptions')).status).toBe(204);
		expect((await control('GET', '/subscription-clock')).json.maxLifetimeMs).toBeNull();
	});
});
