// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, SALES, GENERAL, channelMessages } = require('./support');
const { teamsManagementCredential } = require('./extraScopes');

/**
 * One execution through Teams' chat, chat message and the channel-thread operations the other cases leave out, as
 * Alice (delegated, with ChannelMessage.Read.All / ChannelMessage.ReadWrite added under Additional Scopes): Create
 * Chat (one-on-one with Bob: the existing chat is returned), Get, a chat message sent as HTML, edited to text, read,
 * listed, deleted; Get Many chats; in Contoso Sales / General a post with a subject, a reply in its thread, the post
 * edited, read and deleted (soft). The sandbox's chat and channel show each effect.
 */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential (Teams management scopes added, connected).
	example: { setup: async (ctx) => ({ credentials: await teamsManagementCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		const { SEED } = ctx.seed;
		const chatId = SEED.chats.aliceBob.id;
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials: await teamsManagementCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};

		assert.deepEqual([one('Create Chat').id, one('Create Chat').chatType], [chatId, 'oneOnOne'], 'the existing one-on-one chat is returned');
		assert.equal(one('Get Chat').id, chatId);
		const sent = one('Send Chat Message');
		assert.deepEqual([sent.chatId, sent.body, sent.from.user.id], [chatId, { contentType: 'html', content: `<b>${mark}</b> kickoff at 10` }, SEED.users.alice.id]);
		const edited = one('Edit Chat Message');
		assert.deepEqual([edited.id, edited.body], [sent.id, { contentType: 'text', content: `${mark} kickoff moved to 11` }]);
		assert.ok(edited.lastEditedDateTime, 'the edit is recorded');
		assert.deepEqual(one('Get Chat Message').body, edited.body);
		assert.ok(result.items('List Chat Messages').some((m) => m.id === sent.id && m.body.content === edited.body.content), 'Get Many lists the edited message');
		assert.deepEqual(one('Delete Chat Message'), { deleted: true, id: sent.id });
		assert.ok(result.items('List Chats').some((c) => c.id === chatId), "Alice's chats include the one with Bob");
		const inChat = (await ctx.sandboxRequest('GET', `/_sandbox/teams/chats/${encodeURIComponent(chatId)}/messages`)).find((/** @type {any} */ m) => m.id === sent.id);
		assert.ok(inChat?.deletedDateTime, 'the sandbox holds the chat message as (soft) deleted');

		const post = one('Post In General');
		assert.deepEqual([post.subject, post.body.content, post.channelIdentity], ['E2E thread', `${mark} thread`, { teamId: SALES.id, channelId: GENERAL.id }]);
		const reply = one('Reply In Thread');
		assert.deepEqual([reply.replyToId, reply.body.content], [post.id, `${mark} first reply`]);
		assert.equal(one('Edit Post').body.content, `${mark} thread (edited)`);
		assert.equal(one('Get Post').body.content, `${mark} thread (edited)`);
		assert.deepEqual(one('Delete Post'), { deleted: true, id: post.id });
		const inChannel = (await channelMessages(ctx, SALES.id, GENERAL.id)).find((/** @type {any} */ m) => m.id === post.id);
		assert.ok(inChannel?.deletedDateTime, 'the sandbox holds the post as (soft) deleted');
	},
};
