// @ts-check
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { describeFailure } = require('../../harness');
const { pickFromResourceLocator } = require('../../../../scripts/lib/browser');
const { nodeItems } = require('../../../../scripts/lib/n8n');
const { ARTIFACTS, browserSkipReason, keepForDocs } = require('../../browserPicks');
const { NODE_TYPE, ALICE, graphAsApp } = require('./support');

/**
 * The Outlook node's main picker in the editor, with Chromium: a folder "Inbox/Browser <line>" with one message is
 * made in Alice's mailbox; in the "Read Folder" node the Folder picker, typed "browser", lists it by its path; the
 * pick is saved (the stored workflow holds the folder's ID) and the saved workflow, run, reads that folder's message.
 * Screenshots: test/e2e/artifacts/n8n-2-outlook-folder-picker-*.png (docs/screenshots/outlook-folder-picker.png with
 * E2E_DOCS_SCREENSHOTS=1). n8n 2.x only (the OneDrive browser check covers the editor on 1.x).
 */
module.exports = {
	requires: [NODE_TYPE],
	example: { needs: 'open "Read Folder" and pick a folder in the Folder picker' },
	lines: ['2'],
	async run(ctx, workflow, t) {
		const skip = browserSkipReason();
		if (skip) return t.skip(skip);
		const folderName = `Browser ${ctx.line}x`;
		const mailbox = `/users/${encodeURIComponent(ALICE)}`;
		const folder = await graphAsApp(ctx, 'POST', `${mailbox}/mailFolders/inbox/childFolders`, { displayName: folderName });
		await ctx.sandboxRequest('POST', `/_sandbox/outlook/${encodeURIComponent(ALICE)}/messages`, { folder: folder.id, subject: `Filed in ${folderName}`, body: 'Picked in the editor.', bodyType: 'text' });

		const stored = await ctx.importWorkflow(workflow);
		const picked = await pickFromResourceLocator({
			baseUrl: ctx.n8n.baseUrl,
			workflowId: stored.id,
			nodeName: 'Read Folder',
			parameter: 'folderId',
			search: 'browser',
			pick: `Inbox/${folderName}`,
			outDir: ARTIFACTS,
			prefix: `n8n-${ctx.line}-outlook-folder`,
		});
		assert.ok(picked.listed.some((entry) => entry.includes(`Inbox/${folderName}`)), `the list showed ${JSON.stringify(picked.listed)}`);
		assert.equal(picked.shown, `Inbox/${folderName}`);
		for (const file of picked.screenshots) assert.ok(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
		keepForDocs(picked.screenshots[0], 'outlook-folder-picker');

		const saved = await ctx.api.request('GET', `/rest/workflows/${encodeURIComponent(stored.id)}`);
		const folderId = saved.nodes.find((/** @type {any} */ node) => node.name === 'Read Folder').parameters.folderId;
		assert.deepEqual({ mode: folderId.mode, value: folderId.value }, { mode: 'list', value: folder.id });
		const execution = await ctx.n8n.execute(stored.id);
		assert.ok(execution.ok, describeFailure(execution));
		assert.deepEqual(nodeItems(execution.run, 'Read Folder').map((/** @type {any} */ m) => m.subject), [`Filed in ${folderName}`]);
	},
};
