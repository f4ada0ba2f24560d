// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, SALES } = require('./support');
const { teamsManagementCredential } = require('./extraScopes');

/**
 * Planner and online meetings, as Alice (delegated; OnlineMeetings.ReadWrite added under Additional Scopes). First the
 * plan → bucket pickers over n8n's resource-locator endpoint, as the editor drives them: with Contoso Sales chosen
 * the plan picker lists "Sales pipeline"; with that plan the bucket picker lists its three buckets, and typed text
 * filters them. The workflow then runs with the picked plan and bucket: a task created (assigned to Bob by user ID,
 * priority, due date) in "To do", moved to "In progress" at 50 % and renamed (ETag handled by the node), read, listed
 * in its new bucket, deleted (the sandbox no longer has it); an online meeting created, moved, read, deleted.
 */
module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: the example runs with the same credential (Teams management scopes added, connected).
	example: { setup: async (ctx) => ({ credentials: await teamsManagementCredential(ctx) }) },
	async run(ctx, workflow) {
		const { SEED } = ctx.seed;
		const plan = SEED.planner.salesPlan;
		const credential = ctx.credentials.microsoft365OAuth2Api;
		const search = (/** @type {string} */ methodName, /** @type {string} */ parameter, /** @type {Record<string, unknown>} */ params, /** @type {string | undefined} */ filter) =>
			ctx.api.resourceLocatorSearch({
				nodeType: NODE_TYPE,
				nodeVersion: 1,
				parameter,
				methodName,
				filter,
				credentials: { microsoft365OAuth2Api: { id: credential.id, name: credential.name } },
				currentNodeParameters: { authentication: 'oAuth2', resource: 'task', operation: 'create', ...params },
			});
		const teamId = { __rl: true, mode: 'list', value: SALES.id, cachedResultName: 'Contoso Sales' };
		const plans = await search('searchPlans', 'planId', { teamId });
		assert.deepEqual(plans.results.map((/** @type {any} */ entry) => [entry.name, entry.value]), [['Sales pipeline', plan.id]]);
		const planId = { __rl: true, mode: 'list', value: plans.results[0].value, cachedResultName: plans.results[0].name };
		const buckets = await search('searchBuckets', 'bucketId', { teamId, planId });
		assert.deepEqual(buckets.results.map((/** @type {any} */ entry) => [entry.name, entry.value]), [
			['To do', plan.buckets.todo],
			['In progress', plan.buckets.inProgress],
			['Done', plan.buckets.done],
		]);
		const filtered = await search('searchBuckets', 'bucketId', { teamId, planId }, 'progress');
		assert.deepEqual(filtered.results.map((/** @type {any} */ entry) => entry.value), [plan.buckets.inProgress]);

		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		// The task is created in the plan and bucket the pickers gave (as an editor user's picks are saved).
		const filled = JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark));
		const create = filled.nodes.find((/** @type {any} */ node) => node.name === 'Create Task').parameters;
		create.planId = planId;
		create.bucketId = { __rl: true, mode: 'list', value: buckets.results[0].value, cachedResultName: buckets.results[0].name };
		const result = await ctx.runWorkflow(filled, { credentials: await teamsManagementCredential(ctx) });
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};

		const task = one('Create Task');
		assert.deepEqual([task.planId, task.bucketId, task.title, task.priority, task.dueDateTime], [plan.id, plan.buckets.todo, `E2E ${mark}`, 3, '2026-12-20T17:00:00.000Z']);
		assert.deepEqual(Object.keys(task.assignments), [SEED.users.bob.id]);
		const updated = one('Update Task');
		assert.deepEqual([updated.id, updated.bucketId, updated.percentComplete, updated.title], [task.id, plan.buckets.inProgress, 50, `E2E ${mark} started`]);
		assert.notEqual(updated['@odata.etag'], task['@odata.etag'], 'the update changed the ETag');
		assert.deepEqual([one('Get Task').bucketId, one('Get Task').title], [plan.buckets.inProgress, `E2E ${mark} started`]);
		const inBucket = result.items('List Bucket Tasks');
		assert.ok(inBucket.some((t) => t.id === task.id), 'Get Many of the bucket lists the moved task');
		assert.ok(inBucket.every((t) => t.bucketId === plan.buckets.inProgress), 'Get Many of a bucket lists only that bucket');
		assert.deepEqual(one('Delete Task'), { deleted: true, id: task.id });
		const tasks = await ctx.sandboxRequest('GET', `/_sandbox/teams/planner/tasks?plan=${encodeURIComponent(plan.id)}`);
		assert.equal(tasks.some((/** @type {any} */ t) => t.id === task.id), false, 'the sandbox still has the deleted task');

		const meeting = one('Create Meeting');
		assert.deepEqual([meeting.subject, meeting.startDateTime, meeting.endDateTime], [`E2E ${mark} sync`, '2026-12-18T09:00:00.000Z', '2026-12-18T09:30:00.000Z']);
		assert.match(meeting.joinWebUrl, /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
		const moved = one('Update Meeting');
		assert.deepEqual([moved.id, moved.subject, moved.startDateTime, moved.endDateTime], [meeting.id, `E2E ${mark} sync (moved)`, '2026-12-18T10:00:00.000Z', '2026-12-18T10:45:00.000Z']);
		assert.equal(one('Get Meeting').subject, `E2E ${mark} sync (moved)`);
		assert.deepEqual(one('Delete Meeting'), { deleted: true, id: meeting.id });
	},
};
