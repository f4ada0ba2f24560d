// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, ALICE, BOB, mailboxMessages } = require('./support');

/**
 * Send (delegated, Alice's own mailbox) to Bob with a subject unique to this n8n line and run, then Get Many on
 * Sent Items with "Subject Contains": the list holds exactly that message, and Bob's Inbox received it.
 */
module.exports = {
	requires: [NODE_TYPE],
	async run(ctx, workflow) {
		const subject = `E2E hello Bob (n8n ${ctx.line}.x) ${crypto.randomUUID().slice(0, 8)}`;
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%SUBJECT%%', subject)));
		assert.ok(result.ok, describeFailure(result));

		const [sent] = result.items('Send');
		assert.deepEqual(sent, { sent: true, subject, to: [BOB], attachments: 0 });

		const listed = result.items('List Sent');
		assert.equal(listed.length, 1, `Get Many returned ${JSON.stringify(listed).slice(0, 1000)}`);
		const [message] = listed;
		assert.equal(message.subject, subject);
		assert.deepEqual(message.to, [`Bob O'Brien <${BOB}>`]);
		assert.match(String(message.from), new RegExp(`<${ALICE}>$|^${ALICE}$`));
		assert.equal(message.isDraft, false);
		assert.equal(message.hasAttachments, false);
		const sentItems = await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(ALICE)}/folders/sentitems`);
		assert.equal(message.folderId, sentItems.id);

		// One sendMail, and the list as a $filter on Sent Items with the subject OData-quoted.
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		assert.deepEqual(requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1.0/')).map((r) => `${r.path} ${r.status}`), ['/v1.0/me/sendMail 202']);
		const list = requests.find((r) => r.method === 'GET' && /\/v1\.0\/me\/mailFolders\/sentitems\/messages$/i.test(r.path));
		assert.ok(list, `no list request: ${requests.map((r) => `${r.method} ${r.path}`).join(' | ')}`);
		assert.equal(new URLSearchParams(list.query).get('$filter'), `contains(subject,'${subject}')`);

		const inbox = await mailboxMessages(ctx, BOB, 'inbox', subject);
		assert.equal(inbox.length, 1, `Bob's Inbox has ${inbox.length} messages with the subject`);
		assert.equal(inbox[0].from.emailAddress.address, ALICE);
		assert.equal(inbox[0].isRead, false);
		assert.match(inbox[0].body.content, /Hello Bob, this came through n8n\./);
	},
};
