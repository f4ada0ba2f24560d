// @ts-check
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { describeFailure } = require('../../harness');
const { inNodeEditor } = require('../../../../scripts/lib/browser');
const { nodeItems } = require('../../../../scripts/lib/n8n');
const { ARTIFACTS, browserSkipReason, keepForDocs } = require('../../browserPicks');
const { NODE_TYPE, SALES, channelMessages } = require('./support');

const ALICE = 'alice@contoso.onmicrosoft.com';

/**
 * The Teams node's main pickers in the editor, with Chromium: a second team of Alice's, "Browser team <line>x", with
 * a channel "Browser <line>x" is made in the sandbox. In the "Post to Channel" node the Team picker, typed "browser",
 * lists that team; after it is picked the Channel picker lists that team's channels (General and Browser <line>x) and
 * none of Contoso Sales' (the channel list follows the chosen team). Both picks are saved (the stored workflow holds
 * the team's and the channel's IDs) and the saved workflow, run, posts into that channel. Screenshots:
 * test/e2e/artifacts/n8n-<line>-teams-channel-picker-*.png (docs/screenshots/teams-channel-picker.png with
 * E2E_DOCS_SCREENSHOTS=1, from n8n 2.x).
 */
module.exports = {
	requires: [NODE_TYPE],
	example: { needs: 'open "Post to Channel" and pick a team, then a channel' },
	async run(ctx, workflow, t) {
		const skip = browserSkipReason();
		if (skip) return t.skip(skip);
		const teamName = `Browser team ${ctx.line}x`;
		const channelName = `Browser ${ctx.line}x`;
		const team = await ctx.sandboxRequest('POST', '/_sandbox/teams', { displayName: teamName, owner: ALICE });
		const channel = await ctx.sandboxRequest('POST', `/_sandbox/teams/${encodeURIComponent(team.id)}/channels`, { displayName: channelName });

		const stored = await ctx.importWorkflow(workflow);
		const prefix = `n8n-${ctx.line}-teams-channel`;
		const seen = await inNodeEditor({ baseUrl: ctx.n8n.baseUrl, workflowId: stored.id, nodeName: 'Post to Channel', outDir: ARTIFACTS, prefix }, async (editor) => {
			const teamPick = await editor.pick({ parameter: 'teamId', search: 'browser', pick: teamName, onList: () => editor.shot('team-list') });
			/** @type {string[]} */
			const screenshots = [];
			const channelPick = await editor.pick({ parameter: 'channelId', pick: channelName, onList: async () => screenshots.push(await editor.shot('picker-list')) });
			screenshots.push(await editor.shot('picker-picked'));
			await editor.save();
			return { teamPick, channelPick, screenshots };
		});
		assert.deepEqual(seen.teamPick.listed, [teamName], 'typed "browser", the team picker lists only the new team');
		assert.equal(seen.teamPick.shown, teamName);
		// The channel list is the chosen team's: its General and its new channel, nothing of Contoso Sales.
		assert.deepEqual([...seen.channelPick.listed].sort(), [channelName, 'General'], `the channel picker showed ${JSON.stringify(seen.channelPick.listed)}`);
		assert.ok(!seen.channelPick.listed.some((entry) => /Deals|Leadership/.test(entry)), 'Contoso Sales channels listed for another team');
		assert.equal(seen.channelPick.shown, channelName);
		for (const file of seen.screenshots) assert.ok(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
		if (ctx.line === '2') keepForDocs(seen.screenshots[0], 'teams-channel-picker');

		const saved = await ctx.api.request('GET', `/rest/workflows/${encodeURIComponent(stored.id)}`);
		const parameters = saved.nodes.find((/** @type {any} */ node) => node.name === 'Post to Channel').parameters;
		assert.deepEqual({ mode: parameters.teamId.mode, value: parameters.teamId.value }, { mode: 'list', value: team.id });
		assert.deepEqual({ mode: parameters.channelId.mode, value: parameters.channelId.value }, { mode: 'list', value: channel.id });
		assert.notEqual(team.id, SALES.id);
		const execution = await ctx.n8n.execute(stored.id);
		assert.ok(execution.ok, describeFailure(execution));
		const [posted] = nodeItems(execution.run, 'Post to Channel');
		assert.deepEqual(posted.channelIdentity, { teamId: team.id, channelId: channel.id });
		const messages = await channelMessages(ctx, team.id, channel.id);
		assert.deepEqual(messages.map((/** @type {any} */ m) => m.body.content), ['Posted to the channel picked in the editor.']);
	},
};
