// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE } = require('./support');
const { teamsManagementCredential } = require('./extraScopes');

/**
 * One execution through Teams' team, channel and member operations, as Alice (delegated, with Team.Create,
 * TeamSettings, Channel.Create / Settings / Delete and TeamMember.ReadWrite.All added under Additional Scopes): a
 * private team created (the node waits for Teams' setup operation) with Alice as owner, its description updated,
 * read; a standard channel created, updated, read; Bob added as member, the members listed (Alice owner, Bob
 * member), Bob removed; the channels listed (General and the new one), the new one deleted; the team archived and
 * unarchived; Get Many teams lists it. The sandbox's team ends as the workflow left it.
 */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential (Teams management scopes added, connected).
	example: { setup: async (ctx) => ({ credentials: await teamsManagementCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		const { SEED } = ctx.seed;
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials: await teamsManagementCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};

		const team = one('Create Team');
		assert.deepEqual([team.displayName, team.description, team.visibility], [`E2E ${mark}`, 'Made by n8n', 'private']);
		assert.equal(one('Update Team').description, `Launch team ${mark}`);
		assert.deepEqual([one('Get Team').id, one('Get Team').description], [team.id, `Launch team ${mark}`]);
		const channel = one('Create Channel');
		assert.deepEqual([channel.displayName, channel.description, channel.membershipType], ['Launch', 'Launch plans', 'standard']);
		assert.equal(one('Update Channel').description, `Launch plans ${mark}`);
		assert.deepEqual([one('Get Channel').id, one('Get Channel').description], [channel.id, `Launch plans ${mark}`]);

		const added = one('Add Bob');
		assert.deepEqual([added.userId, added.roles], [SEED.users.bob.id, []]);
		const members = result.items('List Members').map((m) => [m.userId, m.roles]).sort();
		assert.deepEqual(members, [[SEED.users.alice.id, ['owner']], [SEED.users.bob.id, []]].sort());
		assert.deepEqual(one('Remove Bob'), { removed: true, membershipId: added.id, userId: SEED.users.bob.id });
		assert.deepEqual(result.items('List Channels').map((c) => c.displayName).sort(), ['General', 'Launch']);
		assert.deepEqual(one('Delete Channel'), { deleted: true, id: channel.id });
		assert.deepEqual(one('Archive Team'), { id: team.id, archived: true });
		assert.deepEqual(one('Unarchive Team'), { id: team.id, archived: false });
		assert.ok(result.items('List Teams').some((t) => t.id === team.id && t.isArchived === false), "Alice's teams include the new one, not archived");

		const stored = await ctx.sandboxRequest('GET', `/_sandbox/teams/${encodeURIComponent(team.id)}`);
		assert.equal(stored.isArchived, false);
		assert.deepEqual(stored.members, [{ userId: SEED.users.alice.id, roles: ['owner'] }], 'Bob was removed');
		assert.deepEqual(stored.channels.map((/** @type {any} */ c) => c.displayName), ['General'], 'the Launch channel was deleted');
	},
};
