/**
 * The Teams webhook trigger against the sandbox's real subscriptions: Graph's validation handshake reaches the
 * trigger's webhook over HTTP, every notification is checked for our clientState, lifecycle notifications keep
 * the subscription alive past several (shortened) lifetimes, and each new item is emitted once, fetched in full.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Microsoft365TeamsTrigger } from '../../../nodes/Microsoft/Teams/Microsoft365TeamsTrigger.node';
import { startWebhookEndpoint, type WebhookEndpoint } from '../../harness/webhookEndpoint';
import { ALICE, BOB, CHATS, rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

const trigger = new Microsoft365TeamsTrigger();
const GENERAL = SALES.channels.general.id as string;
const DEALS = SALES.channels.deals.id as string;

const channelMessages: INodeParameters = { authentication: 'oAuth2', event: 'channelMessage', channelScope: 'channel', teamId: rl('list', SALES.id), channelId: rl('list', GENERAL) };

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const emittedJson = (endpoint: WebhookEndpoint) => endpoint.emitted.flat().map((item) => item.json as IDataObject);
const contents = (endpoint: WebhookEndpoint) => emittedJson(endpoint).map((json) => (json.body as IDataObject | undefined)?.content);

describe('Microsoft 365 Teams Trigger (webhook)', () => {
	let fx: TeamsFixture;
	const endpoints: WebhookEndpoint[] = [];
	const open = async (parameters: INodeParameters, options?: Parameters<typeof startWebhookEndpoint>[3]) => {
		const endpoint = await startWebhookEndpoint(fx.harness, trigger, parameters, options);
		endpoints.push(endpoint);
		return endpoint;
	};

	beforeEach(async () => {
		fx = await startTeamsFixture('oAuth2');
	});
	afterEach(async () => {
		for (const endpoint of endpoints.splice(0)) await endpoint.close();
		await fx.stop();
	});

	it('subscribes on activation (handshake answered), emits each new channel message once and in full, not replies', async () => {
		const endpoint = await open(channelMessages);
		expect(await endpoint.activate()).toBe(true);
		const [subscription] = fx.sandbox.teams.subscriptions();
		expect(subscription).toMatchObject({ notificationUrl: endpoint.url, lifecycleNotificationUrl: endpoint.url, changeType: 'created' });
		expect(subscription.resource).toBe(`teams/${SALES.id}/channels/${encodeURIComponent(GENERAL)}/messages`);
		expect(String(subscription.clientState)).toHaveLength(43);
		expect(fx.sandbox.teams.validations().every((validation: IDataObject) => validation.ok !== false)).toBe(true);

		const posted = fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: '<p>Quarter closed</p>' });
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: ALICE.id, content: 'a reply', replyTo: posted.id });
		fx.sandbox.teams.postMessage(SALES.id, DEALS, { from: BOB.id, content: 'another channel' });
		await until('the message', () => endpoint.emitted.length === 1);
		await fx.sandbox.teams.waitForDeliveries({ state: 'delivered' }, { count: 2 });
		await sleep(300);
		expect(emittedJson(endpoint)).toHaveLength(1);
		expect(emittedJson(endpoint)[0]).toMatchObject({ id: posted.id, body: { content: '<p>Quarter closed</p>' }, from: { user: { id: BOB.id } } });
		expect(endpoint.errors).toEqual([]);
	});

	it('emits replies for "New Reply" and messages of every channel with "All Channels of the Team"', async () => {
		const replies = await open({ ...channelMessages, event: 'channelReply' });
		const allChannels = await open({ ...channelMessages, channelScope: 'team' }, { webhookId: '0b0b0b0b-0000-4000-8000-000000000002' });
		await replies.activate();
		await allChannels.activate();
		const root = fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'root' });
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: ALICE.id, content: 'the reply', replyTo: root.id });
		fx.sandbox.teams.postMessage(SALES.id, DEALS, { from: BOB.id, content: 'in deals' });
		await until('the reply', () => replies.emitted.length === 1);
		await until('both top-level messages', () => allChannels.emitted.flat().length === 2);
		expect(contents(replies)).toEqual(['the reply']);
		expect(emittedJson(replies)[0].replyToId).toBe(root.id);
		expect(contents(allChannels).sort()).toEqual(['in deals', 'root']);
	});

	it('refuses notifications without our clientState, ignores other channels and never emits a redelivery twice', async () => {
		const endpoint = await open(channelMessages);
		await endpoint.activate();
		const { subscriptionId, clientState } = endpoint.staticData as { subscriptionId: string; clientState: string };
		const posted = fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'once' });
		await until('the message', () => endpoint.emitted.length === 1);
		const resource = `teams('${SALES.id}')/channels('${GENERAL}')/messages('${posted.id}')`;
		const post = (body: unknown) => fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const notification = { subscriptionId, changeType: 'created', resource, resourceData: { id: posted.id } };

		const forged = await post({ value: [{ ...notification, clientState: 'guessed' }] });
		expect(forged.status).toBe(403);
		const missing = await post({ value: [{ ...notification }] });
		expect(missing.status).toBe(403);
		const redelivered = await post({ value: [{ ...notification, clientState }] });
		expect(redelivered.status).toBe(202);
		const otherChannel = await post({ value: [{ ...notification, clientState, resource: `teams('${SALES.id}')/channels('${DEALS}')/messages('${posted.id}')` }] });
		expect(otherChannel.status).toBe(202);
		const notGraphShaped = await post({ value: [{ ...notification, clientState, resource: `teams('${SALES.id}')/channels('..')/messages('x')` }] });
		expect(notGraphShaped.status).toBe(202);
		await sleep(300);
		expect(emittedJson(endpoint).map((json) => json.id)).toEqual([posted.id]);
		expect(endpoint.errors).toEqual([]);
	});

	it('keeps the subscription alive across several short lifetimes through lifecycle notifications, losing no message', async () => {
		fx.sandbox.teams.subscriptionClock = { maxLifetimeMs: 2000, reauthorizeBeforeMs: 1200 };
		const endpoint = await open(channelMessages);
		await endpoint.activate();
		const id = (endpoint.staticData as IDataObject).subscriptionId;
		const sent: string[] = [];
		// Quiet for three lifetimes: only Graph's reauthorizationRequired notifications can keep it alive.
		await sleep(6500);
		for (let i = 0; i < 4; i++) {
			sent.push(`message ${i}`);
			fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: `message ${i}` });
			await sleep(900);
		}
		await until('every message', () => endpoint.emitted.flat().length === sent.length);
		expect(contents(endpoint)).toEqual(sent);
		expect(fx.sandbox.teams.subscriptions().map((s: IDataObject) => s.id)).toEqual([id]);
		expect(fx.sandbox.teams.endedSubscriptions()).toEqual([]);
		const renewals = fx.requests().filter((r) => r.method === 'PATCH' && r.path.includes('/subscriptions/'));
		expect(renewals.length).toBeGreaterThanOrEqual(4);
		const lifecycle = fx.sandbox.teams.deliveries({ kind: 'lifecycle', lifecycleEvent: 'reauthorizationRequired' });
		expect(lifecycle.length).toBeGreaterThanOrEqual(3);
		expect(lifecycle.every((delivery: IDataObject) => delivery.state === 'delivered')).toBe(true);
		expect(endpoint.errors).toEqual([]);
	}, 30_000);

	it('subscribes again when Graph removes the subscription, and emits no lifecycle notification', async () => {
		const endpoint = await open(channelMessages);
		await endpoint.activate();
		const first = (endpoint.staticData as IDataObject).subscriptionId;
		fx.sandbox.teams.removeSubscription(first);
		await until('a new subscription', () => fx.sandbox.teams.subscriptions().length === 1 && (endpoint.staticData as IDataObject).subscriptionId !== first);
		fx.sandbox.teams.sendLifecycle((endpoint.staticData as IDataObject).subscriptionId, 'missed');
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'after removal' });
		await until('the message', () => endpoint.emitted.length === 1);
		await sleep(300);
		expect(contents(endpoint)).toEqual(['after removal']);
	});

	it('replaces a subscription that lapsed before the renewal reached Graph', async () => {
		const endpoint = await open(channelMessages);
		await endpoint.activate();
		const { subscriptionId, clientState } = endpoint.staticData as { subscriptionId: string; clientState: string };
		fx.sandbox.teams.expireSubscription(subscriptionId);
		const late = await fetch(endpoint.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ value: [{ subscriptionId, clientState, lifecycleEvent: 'reauthorizationRequired', subscriptionExpirationDateTime: new Date().toISOString() }] }),
		});
		expect(late.status).toBe(202);
		await until('a new subscription', () => fx.sandbox.teams.subscriptions().length === 1);
		expect(fx.sandbox.teams.subscriptions()[0].id).not.toBe(subscriptionId);
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'still watched' });
		await until('the message', () => endpoint.emitted.length === 1);
		expect(endpoint.errors).toEqual([]);
	});

	it('finds its subscription again after a restart, replaces it when the URL changed, and deletes it on deactivation', async () => {
		const endpoint = await open(channelMessages);
		await endpoint.activate();
		const id = (endpoint.staticData as IDataObject).subscriptionId;
		fx.clearRequests();
		expect(await endpoint.activate()).toBe(false); // n8n restarted: checkExists finds it alive
		expect(fx.requests().filter((r) => r.method === 'POST')).toEqual([]);

		// Same workflow served at another address (static data as stored): the old subscription goes, a new one comes.
		const moved = await open(channelMessages, { staticData: JSON.parse(JSON.stringify(endpoint.staticData)) });
		expect(await moved.activate()).toBe(true);
		const live = fx.sandbox.teams.subscriptions();
		expect(live).toHaveLength(1);
		expect(live[0].id).not.toBe(id);
		expect(live[0].notificationUrl).toBe(moved.url);

		await moved.deactivate();
		expect(fx.sandbox.teams.subscriptions()).toEqual([]);
		expect(moved.staticData).toEqual({});
	});

	it('watches chats, new chats, team members and channels', async () => {
		const chat = await open({ authentication: 'oAuth2', event: 'chatMessage', chatScope: 'chat', chatId: rl('id', CHATS.falcon.id) }, { webhookId: 'c1' });
		const members = await open({ authentication: 'oAuth2', event: 'teamMember', teamId: rl('id', SALES.id) }, { webhookId: 'c2' });
		const channels = await open({ authentication: 'oAuth2', event: 'channel', teamId: rl('id', SALES.id) }, { webhookId: 'c3' });
		const chats = await open({ authentication: 'oAuth2', event: 'chat' }, { webhookId: 'c4' });
		for (const endpoint of [chat, members, channels, chats]) await endpoint.activate();
		expect(fx.sandbox.teams.subscriptions().map((s: IDataObject) => s.resource).sort()).toEqual(
			[`chats/${encodeURIComponent(CHATS.falcon.id)}/messages`, 'me/chats', `teams/${SALES.id}/channels`, `teams/${SALES.id}/members`].sort(),
		);
		fx.sandbox.teams.postChatMessage(CHATS.falcon.id, { from: BOB.id, content: 'chat hello' });
		fx.sandbox.teams.addChannel(SALES.id, { displayName: 'Renewals' });
		const started = fx.sandbox.teams.createChat({ chatType: 'group', members: [ALICE.id, BOB.id], topic: 'Launch' });
		fx.sandbox.teams.removeMember(SALES.id, BOB.id);
		fx.sandbox.teams.addMember(SALES.id, BOB.id);
		await until('chat message', () => chat.emitted.length === 1);
		await until('channel', () => channels.emitted.length === 1);
		expect(contents(chat)).toEqual(['chat hello']);
		expect(emittedJson(channels)[0]).toMatchObject({ displayName: 'Renewals' });
		await until('member', () => members.emitted.length === 1);
		expect(emittedJson(members)[0]).toMatchObject({ '@odata.type': '#microsoft.graph.aadUserConversationMember', userId: BOB.id });
		await until('chat', () => chats.emitted.length === 1);
		expect(emittedJson(chats)[0]).toMatchObject({ id: started.id, topic: 'Launch' });
	});

	it('refuses an empty team before anything is sent', async () => {
		const endpoint = await open({ ...channelMessages, teamId: rl('id', '') });
		fx.clearRequests();
		await expect(endpoint.activate()).rejects.toThrow(/"Team" is empty/);
		expect(fx.requests()).toEqual([]);
	});
});
