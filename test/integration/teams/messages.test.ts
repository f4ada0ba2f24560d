/** The Teams node's channel and chat messages and chats against the sandbox: content, mentions, cards, app-only refusal. */
import { BOB, CHATS, rl, SALES, startTeamsFixture, type TeamsFixture } from './fixture';

let env: TeamsFixture;
beforeAll(async () => {
	env = await startTeamsFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => env.clearRequests());

const general = { teamId: rl('id', SALES.id), channelId: rl('id', SALES.channels.general.id) };
const posts = () => env.requests().filter((r) => r.method === 'POST');

describe('channel message', () => {
	it('sends text, HTML with an @mention, and an Adaptive Card; replies; lists with replies; edits; deletes', async () => {
		const [text] = await env.run({ resource: 'channelMessage', operation: 'send', ...general, contentType: 'text', content: 'Hello team' });
		expect(text.json.body).toMatchObject({ contentType: 'text', content: 'Hello team' });

		const [mention] = await env.run({
			resource: 'channelMessage',
			operation: 'send',
			...general,
			contentType: 'html',
			content: '<b>please review</b>',
			messageOptions: { mentionUsers: `${BOB.id}:Bob`, importance: 'high' },
		});
		expect(String((mention.json.body as { content: string }).content)).toBe('<at id="0">Bob</at> <b>please review</b>');
		expect(mention.json.mentions).toEqual([expect.objectContaining({ id: 0, mentionText: 'Bob' })]);
		expect(mention.json.importance).toBe('high');

		const card = JSON.stringify({ type: 'AdaptiveCard', version: '1.4', body: [{ type: 'TextBlock', text: 'Deal won' }] });
		const [carded] = await env.run({ resource: 'channelMessage', operation: 'send', ...general, contentType: 'card', content: 'Good news', card });
		expect((carded.json.attachments as Array<{ contentType: string }>)[0].contentType).toBe('application/vnd.microsoft.card.adaptive');

		const [reply] = await env.run({ resource: 'channelMessage', operation: 'reply', ...general, messageId: String(text.json.id), contentType: 'text', content: 'Thanks!' });
		expect(reply.json.replyToId).toBe(text.json.id);
		const listed = await env.run({ resource: 'channelMessage', operation: 'getAll', ...general, includeReplies: true, returnAll: true });
		const withReply = listed.find((item) => item.json.id === text.json.id);
		expect((withReply?.json.replies as unknown[]).length).toBe(1);

		const [edited] = await env.run({ resource: 'channelMessage', operation: 'update', ...general, messageId: String(text.json.id), contentType: 'text', content: 'Hello team (edited)' });
		expect((edited.json.body as { content: string }).content).toBe('Hello team (edited)');
		const [deleted] = await env.run({ resource: 'channelMessage', operation: 'delete', ...general, messageId: String(text.json.id) });
		expect(deleted.json).toEqual({ deleted: true, id: text.json.id });
	});

	it('refuses an invalid Adaptive Card and a malformed mention before sending', async () => {
		for (const [card, message] of [
			['{ not json', /is not valid JSON/],
			['{"type":"Card","version":"1.4"}', /must have "type": "AdaptiveCard"/],
			['{"type":"AdaptiveCard"}', /needs a "version"/],
		] as const) {
			await expect(env.run({ resource: 'channelMessage', operation: 'send', ...general, contentType: 'card', card })).rejects.toThrow(message);
		}
		await expect(env.run({ resource: 'channelMessage', operation: 'send', ...general, content: 'x', messageOptions: { mentionUsers: 'bob:Bob' } })).rejects.toThrow(/"Mention Users": "bob:Bob" does not start with a user ID/);
		expect(env.requests()).toHaveLength(0);
	});

	it('app-only: reading works, posting is refused with the reason before anything is sent', async () => {
		const appEnv = await startTeamsFixture('clientCredentials');
		try {
			const listed = await appEnv.run({ resource: 'channelMessage', operation: 'getAll', ...general, returnAll: true });
			expect(Array.isArray(listed)).toBe(true);
			appEnv.clearRequests();
			const error = await appEnv.run({ resource: 'channelMessage', operation: 'send', ...general, content: 'hi' }).catch((e: Error & { description?: string }) => e);
			expect((error as Error).message).toMatch(/Microsoft does not let an app post a channel message/);
			expect((error as { description?: string }).description).toMatch(/OAuth2 \(delegated\) credential/);
			expect(appEnv.requests().filter((r) => r.method === 'POST' && r.path.includes('/messages'))).toHaveLength(0);
		} finally {
			await appEnv.stop();
		}
	});
});

describe('chat and chat message', () => {
	it('lists and reads chats; a one-on-one chat that exists is returned; sends and lists chat messages', async () => {
		const chats = await env.run({ resource: 'chat', operation: 'getAll', returnAll: true });
		expect(chats.map((item) => item.json.id)).toEqual(expect.arrayContaining([CHATS.aliceBob.id, CHATS.falcon.id]));
		const [falcon] = await env.run({ resource: 'chat', operation: 'get', chatId: rl('id', CHATS.falcon.id) });
		expect(falcon.json.topic).toBe('Project Falcon');
		const [oneOnOne] = await env.run({ resource: 'chat', operation: 'create', chatType: 'oneOnOne', members: 'alice@contoso.onmicrosoft.com, bob@contoso.onmicrosoft.com' });
		expect(oneOnOne.json.id).toBe(CHATS.aliceBob.id);
		const [sent] = await env.run({ resource: 'chatMessage', operation: 'send', chatId: rl('id', CHATS.falcon.id), contentType: 'text', content: 'Lunch?' });
		expect(sent.json.chatId).toBe(CHATS.falcon.id);
		const listed = await env.run({ resource: 'chatMessage', operation: 'getAll', chatId: rl('id', CHATS.falcon.id), returnAll: false, limit: 1 });
		expect(listed).toHaveLength(1);
		expect(posts().filter((r) => r.path === '/v1.0/chats')).toHaveLength(1);
	});

	it('refuses a one-on-one chat without exactly two people before sending', async () => {
		await expect(env.run({ resource: 'chat', operation: 'create', chatType: 'oneOnOne', members: 'alice@contoso.onmicrosoft.com' })).rejects.toThrow(/has 1 people; a one-on-one chat has exactly 2/);
		expect(env.requests()).toHaveLength(0);
	});
});
