// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, ALICE, BOB, mailboxMessages } = require('./support');

const SIZE = 5 * 1024 * 1024 + 1000;
const NAME = 'e2e-large-attachment.bin';

/** The bytes the workflow's Code node makes (same generator), to compare with what Bob received. */
function expectedContent() {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const bytes = Buffer.alloc(SIZE);
	let seed = 20261122;
	for (let i = 0; i < SIZE; i++) {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		bytes[i] = alphabet.charCodeAt(seed % 64);
	}
	return bytes;
}

/**
 * A 5 MiB binary made inside n8n (Code → Convert to File) sent as an attachment: above the 3 MB inline limit, so
 * the message becomes a draft, the attachment goes through an upload session on the files host (chunks PUT
 * without a token), the draft is sent. Bob's copy carries the attachment with the exact size and bytes; no draft
 * is left behind.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const subject = `E2E large attachment (n8n ${ctx.line}.x) ${crypto.randomUUID().slice(0, 8)}`;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%SUBJECT%%', subject)));
		assert.ok(result.ok, describeFailure(result));
		assert.deepEqual(result.items('Send Large'), [{ sent: true, subject, to: [BOB], attachments: 1 }]);

		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const session = requests.filter((r) => r.method === 'POST' && /\/attachments\/createUploadSession$/.test(r.path));
		assert.equal(session.length, 1, 'expected one attachment upload session');
		const chunks = requests.filter((r) => r.host === 'files' && r.method === 'PUT');
		assert.ok(chunks.length >= 2, `expected several chunks, saw ${chunks.length}`);
		assert.ok(chunks.every((r) => r.status === 200 || r.status === 201), `chunk answers: ${chunks.map((r) => r.status).join(', ')}`);
		assert.ok(chunks.every((r) => !r.hasAuthorization), 'a chunk to the files host carried an Authorization header');
		assert.deepEqual(await ctx.sandboxRequest('GET', '/_sandbox/violations'), []);
		assert.ok(!requests.some((r) => r.method === 'POST' && /\/sendMail$/.test(r.path)), 'a 5 MiB attachment must not go inline through sendMail');
		assert.ok(requests.some((r) => r.method === 'POST' && /\/messages\/[^/]+\/send$/.test(r.path) && r.status === 202), 'the draft was not sent');

		const [delivered, ...more] = await mailboxMessages(ctx, BOB, 'inbox', subject);
		assert.ok(delivered, "Bob's Inbox has no message with the subject");
		assert.equal(more.length, 0, 'Bob received the message more than once');
		assert.equal(delivered.hasAttachments, true);
		assert.equal(delivered.attachments.length, 1);
		const [attachment] = delivered.attachments;
		assert.equal(attachment.name, NAME);
		assert.equal(attachment.size, SIZE);
		const response = await fetch(`${ctx.sandbox.graphUrl}/_sandbox/outlook/${encodeURIComponent(BOB)}/messages/${encodeURIComponent(delivered.id)}/attachments/${encodeURIComponent(attachment.id)}/content`);
		assert.equal(response.status, 200);
		const bytes = Buffer.from(await response.arrayBuffer());
		assert.equal(bytes.length, SIZE);
		const sha256 = (buffer) => crypto.createHash('sha256').update(buffer).digest('hex');
		assert.equal(sha256(bytes), sha256(expectedContent()), 'the attachment bytes differ from what the workflow made');

		assert.equal((await mailboxMessages(ctx, ALICE, 'sentitems', subject)).length, 1, "no copy in Alice's Sent Items");
		assert.deepEqual(await mailboxMessages(ctx, ALICE, 'drafts', subject), [], 'a draft was left behind');
		assert.equal((await ctx.sandboxRequest('GET', '/_sandbox/outlook/upload-sessions')).open, 0, 'an upload session was left open');
	},
};
