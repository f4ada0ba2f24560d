/**
 * The Teams polling trigger against the sandbox: activation starts from "now", each new item is emitted once
 * across polls, a failed poll is repeated (not skipped), a restart (static data as stored) loses nothing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Microsoft365TeamsPollingTrigger } from '../../../nodes/Microsoft/Teams/Microsoft365TeamsPollingTrigger.node';
import { ALICE, BOB, CHATS, rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

const trigger = new Microsoft365TeamsPollingTrigger();
const GENERAL = SALES.channels.general.id as string;
const DEALS = SALES.channels.deals.id as string;
const channelMessages: INodeParameters = { authentication: 'oAuth2', event: 'channelMessage', channelScope: 'channel', teamId: rl('list', SALES.id), channelId: rl('list', GENERAL) };

describe('Microsoft 365 Teams Polling Trigger', () => {
	let fx: TeamsFixture;
	beforeEach(async () => {
		fx = await startTeamsFixture('oAuth2');
	});
	afterEach(async () => fx.stop());

	const poller = (parameters: INodeParameters, staticData: IDataObject = {}) => {
		const poll = async () => {
			const out = await fx.harness.poll(trigger, { parameters, staticData });
			return (out?.[0] ?? []).map((item) => item.json as IDataObject);
		};
		return { poll, staticData };
	};
	const texts = (items: IDataObject[]) => items.map((item) => (item.body as IDataObject).content);

	it('emits new channel messages once, never what existed before, and keeps going after a restart', async () => {
		const { poll, staticData } = poller(channelMessages);
		expect(await poll()).toEqual([]); // activation: starts from now; the seeded welcome message is old
		const root = fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'one', contentType: 'text' });
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: ALICE.id, content: 'a reply', contentType: 'text', replyTo: root.id });
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'two', contentType: 'text' });
		fx.sandbox.teams.postMessage(SALES.id, DEALS, { from: BOB.id, content: 'elsewhere', contentType: 'text' });
		expect(texts(await poll())).toEqual(['one', 'two']);
		expect(await poll()).toEqual([]);

		const restarted = poller(channelMessages, JSON.parse(JSON.stringify(staticData)));
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'three', contentType: 'text' });
		expect(texts(await restarted.poll())).toEqual(['three']);
		expect(await restarted.poll()).toEqual([]);
	});

	it('emits replies for "New Reply" (also to old messages) and every channel of the team', async () => {
		const replies = poller({ ...channelMessages, event: 'channelReply' });
		const team = poller({ ...channelMessages, channelScope: 'team' });
		await replies.poll();
		await team.poll();
		const welcome = fx.sandbox.teams.messages(SALES.id, GENERAL).find((m: IDataObject) => String((m.body as IDataObject).content).includes('Welcome'));
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'late reply', contentType: 'text', replyTo: welcome.id });
		fx.sandbox.teams.postMessage(SALES.id, DEALS, { from: BOB.id, content: 'in deals', contentType: 'text' });
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'in general', contentType: 'text' });
		expect(texts(await replies.poll())).toEqual(['late reply']);
		expect(texts(await team.poll()).sort()).toEqual(['in deals', 'in general']);
		expect(await team.poll()).toEqual([]);
	});

	it('repeats a poll that failed instead of skipping what it would have emitted', async () => {
		const { poll } = poller(channelMessages);
		await poll();
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'kept', contentType: 'text' });
		fx.sandbox.faults.add({ method: 'GET', path: /\/messages\/delta$/, status: 500, code: 'InternalServerError', times: 10 });
		await expect(poll()).rejects.toThrow();
		fx.sandbox.faults.reset();
		expect(texts(await poll())).toEqual(['kept']);
		expect(await poll()).toEqual([]);
	});

	it('emits new chat messages, chats, members and channels once', async () => {
		const chat = poller({ authentication: 'oAuth2', event: 'chatMessage', chatScope: 'chat', chatId: rl('id', CHATS.falcon.id) });
		const chats = poller({ authentication: 'oAuth2', event: 'chat' });
		const members = poller({ authentication: 'oAuth2', event: 'teamMember', teamId: rl('id', SALES.id) });
		const channels = poller({ authentication: 'oAuth2', event: 'channel', teamId: rl('id', SALES.id) });
		fx.sandbox.teams.removeMember(SALES.id, BOB.id);
		for (const p of [chat, chats, members, channels]) expect(await p.poll()).toEqual([]);
		fx.sandbox.teams.postChatMessage(CHATS.falcon.id, { from: BOB.id, content: 'see you', contentType: 'text' });
		const started = fx.sandbox.teams.createChat({ chatType: 'group', members: [ALICE.id, BOB.id], topic: 'Launch' });
		fx.sandbox.teams.addMember(SALES.id, BOB.id);
		fx.sandbox.teams.addChannel(SALES.id, { displayName: 'Renewals' });
		expect(texts(await chat.poll())).toEqual(['see you']);
		expect((await chats.poll()).map((c) => c.id)).toEqual([started.id]);
		expect((await members.poll()).map((m) => m.userId)).toEqual([BOB.id]);
		expect((await channels.poll()).map((c) => c.displayName)).toEqual(['Renewals']);
		for (const p of [chat, chats, members, channels]) expect(await p.poll()).toEqual([]);
	});

	it('Fetch Test Event shows recent items of each kind, as a poll emits them, and stores nothing', async () => {
		const manual = async (parameters: INodeParameters, staticData: IDataObject = {}) => {
			const out = await fx.harness.poll(trigger, { parameters, staticData, mode: 'manual' });
			return (out?.[0] ?? []).map((item) => item.json as IDataObject);
		};
		const welcome = fx.sandbox.teams.messages(SALES.id, GENERAL).find((m: IDataObject) => String((m.body as IDataObject).content).includes('Welcome'));
		fx.sandbox.teams.postMessage(SALES.id, GENERAL, { from: BOB.id, content: 'sample reply', contentType: 'text', replyTo: welcome.id });
		fx.sandbox.teams.postChatMessage(CHATS.falcon.id, { from: BOB.id, content: 'sample chat', contentType: 'text' });
		const staticData: IDataObject = {};
		const messages = await manual(channelMessages, staticData);
		expect(messages.length).toBeGreaterThan(0);
		expect(messages.length).toBeLessThanOrEqual(5);
		expect(messages.map((m) => m.id)).toContain(welcome.id);
		expect(messages.every((m) => m.replies === undefined && !m.deletedDateTime)).toBe(true);
		expect(staticData).toEqual({});
		expect(texts(await manual({ ...channelMessages, event: 'channelReply' }))).toContain('sample reply');
		const chat = await manual({ authentication: 'oAuth2', event: 'chatMessage', chatScope: 'chat', chatId: rl('id', CHATS.falcon.id) });
		expect(texts(chat)[0]).toBe('sample chat');
		expect(chat.every((m) => m.messageType !== 'systemEventMessage')).toBe(true);
		expect((await manual({ authentication: 'oAuth2', event: 'teamMember', teamId: rl('id', SALES.id) })).map((m) => m.userId)).toContain(ALICE.id);
		expect((await manual({ authentication: 'oAuth2', event: 'channel', teamId: rl('id', SALES.id) })).length).toBeGreaterThan(0);
		// A whole team: channel after channel until the sample is full (General holds only the welcome message).
		fx.sandbox.teams.postMessage(SALES.id, DEALS, { from: BOB.id, content: 'in deals', contentType: 'text' });
		const team = await manual({ ...channelMessages, channelScope: 'team' });
		expect(texts(team)).toContain('in deals');
		expect(team.map((m) => m.id)).toContain(welcome.id);
		// Activated afterwards, the trigger still starts from now: nothing old is emitted.
		expect(await poller(channelMessages, staticData).poll()).toEqual([]);
	});

	it('refuses "All My Chats" and an empty channel before anything is sent', async () => {
		fx.clearRequests();
		await expect(poller({ authentication: 'oAuth2', event: 'chatMessage', chatScope: 'allChats' }).poll()).rejects.toThrow(/All My Chats/);
		await expect(poller({ ...channelMessages, channelId: rl('id', '') }).poll()).rejects.toThrow(/"Channel" is empty/);
		expect(fx.requests().filter((r) => r.host === 'api')).toEqual([]);
	});
});
