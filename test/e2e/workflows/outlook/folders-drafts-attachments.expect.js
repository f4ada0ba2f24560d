// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, ALICE, BOB, mailboxMessages } = require('./support');
const { binaryBytes } = require('../oneDrive/support');

/**
 * One execution through Outlook's folder, draft, attachment and message operations (Alice, delegated): a folder
 * under Inbox created, renamed, read; a scratch draft deleted; a draft created, updated (subject, importance), given
 * a file attachment from binary data, read and sent to Alice herself; the received message found by subject,
 * marked read with categories and a flag, read; its attachment listed, read and downloaded (the same bytes); a reply
 * and a forward to Bob sent; the message copied and moved into the folder, the moved one deleted; Inbox's folders
 * listed; the folder deleted. The sandbox's mailboxes show each effect.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)));
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};
		const inbox = await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(ALICE)}/folders/inbox`);

		const folder = one('Create Folder');
		assert.deepEqual([folder.displayName, folder.parentFolderId], [`E2E ${mark}`, inbox.id]);
		assert.equal(one('Rename Folder').displayName, `E2E ${mark} renamed`);
		assert.deepEqual([one('Get Folder').id, one('Get Folder').displayName], [folder.id, `E2E ${mark} renamed`]);
		assert.deepEqual(one('Delete Draft'), { deleted: true, id: one('Scratch Draft').id });

		const draft = one('Create Draft');
		assert.deepEqual([draft.isDraft, draft.subject, draft.hasAttachments], [true, `Draft ${mark}`, false]);
		assert.deepEqual([one('Update Draft').subject, one('Update Draft').importance], [`Agenda ${mark}`, 'high']);
		const agenda = `Agenda ${mark}\n1. Budget\n2. Hiring\n`;
		const added = one('Add Attachment');
		assert.deepEqual([added.name, added.size, added.contentType], ['agenda.txt', Buffer.byteLength(agenda), 'text/plain']);
		assert.equal(one('Get Draft').hasAttachments, true);
		assert.deepEqual(one('Send Draft'), { sent: true, id: draft.id });

		const received = one('Find Received');
		assert.deepEqual([received.subject, received.isDraft, received.isRead, received.hasAttachments, received.folderId], [`Agenda ${mark}`, false, false, true, inbox.id]);
		const marked = one('Mark Read');
		assert.deepEqual([marked.isRead, marked.categories, marked.flag], [true, ['E2E', 'Agenda'], 'flagged']);
		assert.deepEqual([one('Get Message').id, one('Get Message').isRead], [received.id, true]);
		const [listed] = result.items('List Attachments');
		assert.deepEqual([result.items('List Attachments').length, listed.name, listed.size], [1, 'agenda.txt', added.size]);
		assert.equal(one('Get Attachment').id, listed.id);
		const [download] = result.binaries('Download Attachment');
		assert.equal(download?.fileName, 'agenda.txt');
		assert.match(String(download?.mimeType), /^text\/plain/);
		if (typeof download?.data === 'string' && !download.data.startsWith('filesystem')) {
			assert.equal(Buffer.from(download.data, 'base64').toString('utf8'), agenda, 'the downloaded attachment holds the bytes of the binary field');
		} else {
			assert.equal(binaryBytes(download), Buffer.byteLength(agenda));
		}

		assert.deepEqual(one('Reply'), { sent: true, action: 'reply', messageId: received.id, attachments: 0 });
		assert.deepEqual(one('Forward'), { sent: true, action: 'forward', messageId: received.id, attachments: 0 });
		const copied = one('Copy To Folder');
		const moved = one('Move To Folder');
		assert.deepEqual([copied.folderId, moved.folderId], [folder.id, folder.id]);
		assert.notEqual(copied.id, moved.id);
		assert.deepEqual(one('Delete Moved'), { deleted: true, id: moved.id });
		assert.ok(result.items('List Inbox Folders').some((f) => f.id === folder.id && f.totalItemCount === 1), 'Inbox lists the folder with its one copy');
		assert.deepEqual(one('Delete Folder'), { deleted: true, id: folder.id });

		// The mailboxes: Alice's reply came back to her, Bob got the forward, the original left the Inbox (moved).
		assert.equal((await mailboxMessages(ctx, ALICE, 'inbox', `RE: Agenda ${mark}`)).length, 1, "the reply is in Alice's Inbox");
		const forwarded = await mailboxMessages(ctx, BOB, 'inbox', `FW: Agenda ${mark}`);
		assert.equal(forwarded.length, 1, "the forward is in Bob's Inbox");
		assert.match(forwarded[0].body.content, /FYI Bob\./);
		assert.equal((await mailboxMessages(ctx, ALICE, 'inbox', `Agenda ${mark}`)).length, 0, 'the original was moved out of the Inbox');
		assert.equal((await mailboxMessages(ctx, ALICE, 'drafts', `Scratch ${mark}`)).length, 0, 'the scratch draft is gone from Drafts');
		assert.equal((await mailboxMessages(ctx, ALICE, 'sentitems', `Agenda ${mark}`)).length, 1, 'the sent draft is in Sent Items');
	},
};
