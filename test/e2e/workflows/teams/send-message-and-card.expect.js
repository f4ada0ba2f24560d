// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, SALES, GENERAL, ADAPTIVE_CARD, channelMessages } = require('./support');

/**
 * As Alice (delegated): a text message, then an Adaptive Card, to Contoso Sales / General; then Get Many of the
 * channel with the app (client credentials: reading is what an app may do). Both posts are in the list, newest
 * first, and the sandbox's channel holds them as sent: the text as text, the card as an attachment of type
 * application/vnd.microsoft.card.adaptive referenced from the HTML body, its JSON unchanged.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)));
		assert.ok(result.ok, describeFailure(result));
		const { SEED } = ctx.seed;
		const alice = SEED.users.alice;

		// What n8n output: Graph's chatMessage for each post.
		const [text] = result.items('Send Text');
		assert.equal(text.body.contentType, 'text');
		assert.equal(text.body.content, `${mark}: the Northwind deal is signed.\nDetails follow.`);
		assert.equal(text.from.user.id, alice.id);
		assert.deepEqual(text.channelIdentity, { teamId: SALES.id, channelId: GENERAL.id });
		const [card] = result.items('Send Card');
		assert.equal(card.from.user.id, alice.id);
		assert.equal(card.attachments.length, 1, JSON.stringify(card.attachments));
		const [attachment] = card.attachments;
		assert.equal(attachment.contentType, ADAPTIVE_CARD);
		assert.equal(card.body.contentType, 'html');
		assert.equal(card.body.content, `Deal card<attachment id="${attachment.id}"></attachment>`);
		assert.deepEqual(JSON.parse(attachment.content), {
			type: 'AdaptiveCard',
			version: '1.4',
			body: [
				{ type: 'TextBlock', text: `${mark} Northwind`, weight: 'Bolder' },
				{ type: 'FactSet', facts: [{ title: 'Amount', value: '1,250.00 EUR' }] },
			],
		});

		// Get Many (app-only): newest first, the card then the text, the seeded welcome still there.
		const listed = result.items('List Messages');
		assert.deepEqual(listed.slice(0, 2).map((message) => message.id), [card.id, text.id], `listed: ${JSON.stringify(listed.map((m) => [m.id, m.body?.content])).slice(0, 1500)}`);
		assert.ok(listed.some((message) => /Welcome to Contoso Sales!/.test(message.body?.content ?? '')), 'the seeded welcome is not in the list');
		assert.deepEqual(listed[0].attachments.map((a) => a.contentType), [ADAPTIVE_CARD]);

		// The channel itself, read through the sandbox's control route (no token).
		const stored = await channelMessages(ctx, SALES.id, GENERAL.id);
		const storedText = stored.find((message) => message.id === text.id);
		const storedCard = stored.find((message) => message.id === card.id);
		assert.ok(storedText && storedCard, `not both in the channel: ${JSON.stringify(stored.map((m) => m.id))}`);
		assert.deepEqual(storedText.body, { contentType: 'text', content: `${mark}: the Northwind deal is signed.\nDetails follow.` });
		assert.deepEqual(storedText.attachments, []);
		assert.equal(storedText.from.user.id, alice.id);
		assert.equal(storedCard.from.user.id, alice.id);
		assert.deepEqual(storedCard.attachments.map((a) => a.contentType), [ADAPTIVE_CARD]);
		assert.equal(JSON.parse(storedCard.attachments[0].content).body[0].text, `${mark} Northwind`);
		assert.equal(stored.filter((message) => JSON.stringify(message).includes(mark)).length, 2, 'a post arrived more than once');

		// Two POSTs (201), both with Alice's token; the list was not refused.
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const posts = requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1.0/teams/'));
		assert.deepEqual(posts.map((r) => r.status), [201, 201], JSON.stringify(posts.map((r) => `${r.path} ${r.status}`)));
		assert.deepEqual(result.refused, []);
	},
};
