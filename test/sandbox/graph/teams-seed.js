// @ts-check
'use strict';

/**
 * Seeded Teams content (ids in SEED.teams / SEED.chats / SEED.planner, the same on every start):
 *   Contoso Sales (5a1e5000-…-5a1e; Alice owner, Bob member; private visibility)
 *     General (standard, primary)   "Welcome to Contoso Sales!" (Alice, 2026-03-02T09:00:00Z) + reply "Thanks, Alice!" (Bob)
 *     Deals (standard)              "<at id="0">Alice Adams</at> the Northwind deal is closed." (Bob, mentions Alice, high importance)
 *     Leadership (private; Alice owner only)   "Q2 targets" (Alice)
 *     Planner plan "Sales pipeline": buckets To do / In progress / Done; tasks "Call Northwind" (To do, assigned to Bob,
 *       due 2026-04-15) and "Prepare Q2 forecast" (In progress, 50 %, details with a description and a checklist item)
 *   Contoso Engineering (e0e00000-…-e0e0; Bob owner; Alice is not a member)  General: "Release 2.0 is out" (Bob)
 *   Fabrikam Buyers (fab00000-…-fab0, Fabrikam tenant; Carol owner)           General, no messages
 *   Chats: Alice–Bob one-on-one ("Lunch at noon?" Alice, "Sure!" Bob); group chat "Project Falcon" (Alice, Bob): "Kick-off on Monday" (Alice)
 * Seeded items raise no change notifications.
 */

const { SEED } = require('../seed');

/**
 * @param {import('./teams-store').TeamsStore} store @param {import('./planner-store').PlannerStore} planner @param {any} state
 */
function seedTeams(store, planner, state) {
	const alice = state.findUser(SEED.users.alice.id);
	const bob = state.findUser(SEED.users.bob.id);
	const carol = state.findUser(SEED.users.carol.id);
	const quiet = { quiet: true };
	/** @param {string} text */
	const html = (text) => ({ contentType: /** @type {const} */ ('html'), content: text });

	if (alice && bob && state.tenants.has(SEED.teams.sales.tenant)) {
		const s = SEED.teams.sales;
		const sales = store.addTeam({
			id: s.id, tenantId: s.tenant, displayName: s.displayName, description: 'Sales team of Contoso', visibility: 'private',
			createdDateTime: '2026-01-12T08:00:00.000Z', generalChannelId: s.channels.general.id,
			members: [{ userId: alice.id, roles: ['owner'] }, { userId: bob.id, roles: [] }],
		});
		const general = /** @type {import('./teams-store').Channel} */ (sales.channels.get(s.channels.general.id));
		const deals = store.addChannel(sales, { id: s.channels.deals.id, displayName: 'Deals', description: 'Deals in progress', createdDateTime: '2026-01-12T08:05:00.000Z' }, quiet);
		const leadership = store.addChannel(sales, {
			id: s.channels.leadership.id, displayName: 'Leadership', description: 'Sales leadership', membershipType: 'private',
			createdDateTime: '2026-01-12T08:10:00.000Z', members: [{ userId: alice.id, roles: ['owner'] }],
		}, quiet);
		const welcome = store.addMessage({ kind: 'channel', team: sales, channel: general }, {
			fromUserId: alice.id, body: html('<p>Welcome to Contoso Sales!</p>'), subject: 'Welcome', createdDateTime: '2026-03-02T09:00:00.000Z',
		}, quiet);
		store.addMessage({ kind: 'channel', team: sales, channel: general, replyTo: welcome }, {
			fromUserId: bob.id, body: { contentType: 'text', content: 'Thanks, Alice!' }, createdDateTime: '2026-03-02T09:05:00.000Z',
		}, quiet);
		store.addMessage({ kind: 'channel', team: sales, channel: deals }, {
			fromUserId: bob.id, body: html('<div><at id="0">Alice Adams</at> the Northwind deal is closed.</div>'), importance: 'high',
			mentions: [{ id: 0, mentionText: 'Alice Adams', mentioned: { user: { id: alice.id, displayName: alice.displayName, userIdentityType: 'aadUser' } } }],
			createdDateTime: '2026-03-03T10:00:00.000Z',
		}, quiet);
		store.addMessage({ kind: 'channel', team: sales, channel: leadership }, {
			fromUserId: alice.id, body: html('<p>Q2 targets: +15 %.</p>'), subject: 'Q2 targets', createdDateTime: '2026-03-04T11:00:00.000Z',
		}, quiet);

		const p = SEED.planner.salesPlan;
		const plan = planner.addPlan({ id: p.id, groupId: sales.id, tenantId: sales.tenantId, title: p.title, createdDateTime: '2026-01-12T09:00:00.000Z', createdBy: { userId: alice.id, appId: SEED.apps.multiTenant.clientId } });
		const todo = planner.addBucket({ id: p.buckets.todo, planId: plan.id, name: 'To do', orderHint: '8585269235419181115' });
		const doing = planner.addBucket({ id: p.buckets.inProgress, planId: plan.id, name: 'In progress', orderHint: '8585269235419181114' });
		planner.addBucket({ id: p.buckets.done, planId: plan.id, name: 'Done', orderHint: '8585269235419181113' });
		planner.addTask({
			id: p.tasks.callNorthwind, planId: plan.id, bucketId: todo.id, title: 'Call Northwind', createdDateTime: '2026-03-05T08:00:00.000Z',
			dueDateTime: '2026-04-15T17:00:00.000Z', createdBy: { userId: alice.id, appId: SEED.apps.multiTenant.clientId },
			assignments: { [bob.id]: { assignedBy: alice.id, assignedDateTime: '2026-03-05T08:00:00.000Z', orderHint: '8585269235419181112' } },
		});
		const forecast = planner.addTask({
			id: p.tasks.forecast, planId: plan.id, bucketId: doing.id, title: 'Prepare Q2 forecast', percentComplete: 50, priority: 3,
			createdDateTime: '2026-03-05T08:30:00.000Z', createdBy: { userId: alice.id, appId: SEED.apps.multiTenant.clientId },
		});
		const details = /** @type {import('./planner-store').TaskDetails} */ (planner.details.get(forecast.id));
		details.description = 'Pipeline by region, weighted by stage.';
		details.checklist['95e27074-6c4a-447a-aa24-9d718a0b86fa'] = {
			isChecked: false, title: 'Collect regional numbers', orderHint: '8585269235419181111', lastModifiedDateTime: '2026-03-05T08:30:00.000Z', lastModifiedBy: alice.id,
		};
	}

	if (bob && state.tenants.has(SEED.teams.engineering.tenant)) {
		const e = SEED.teams.engineering;
		const engineering = store.addTeam({
			id: e.id, tenantId: e.tenant, displayName: e.displayName, description: 'Engineering team of Contoso', visibility: 'private',
			createdDateTime: '2026-01-13T08:00:00.000Z', generalChannelId: e.channels.general.id, members: [{ userId: bob.id, roles: ['owner'] }],
		});
		store.addMessage({ kind: 'channel', team: engineering, channel: /** @type {import('./teams-store').Channel} */ (engineering.channels.get(e.channels.general.id)) }, {
			fromUserId: bob.id, body: html('<p>Release 2.0 is out</p>'), createdDateTime: '2026-03-06T12:00:00.000Z',
		}, quiet);
	}

	if (carol && state.tenants.has(SEED.teams.fabrikam.tenant)) {
		const f = SEED.teams.fabrikam;
		store.addTeam({
			id: f.id, tenantId: f.tenant, displayName: f.displayName, description: 'Buyers of Fabrikam', createdDateTime: '2026-01-14T08:00:00.000Z',
			generalChannelId: f.channels.general.id, members: [{ userId: carol.id, roles: ['owner'] }],
		});
	}

	if (alice && bob) {
		const direct = store.addChat({
			id: SEED.chats.aliceBob.id, tenantId: alice.tenant, chatType: 'oneOnOne', createdDateTime: '2026-03-01T12:00:00.000Z',
			members: [{ userId: alice.id, roles: ['owner'] }, { userId: bob.id, roles: ['owner'] }],
		}, quiet);
		store.addMessage({ kind: 'chat', chat: direct }, { fromUserId: alice.id, body: { contentType: 'text', content: 'Lunch at noon?' }, createdDateTime: '2026-03-02T11:00:00.000Z' }, quiet);
		store.addMessage({ kind: 'chat', chat: direct }, { fromUserId: bob.id, body: { contentType: 'text', content: 'Sure!' }, createdDateTime: '2026-03-02T11:01:00.000Z' }, quiet);
		const falcon = store.addChat({
			id: SEED.chats.falcon.id, tenantId: alice.tenant, chatType: 'group', topic: SEED.chats.falcon.topic, createdDateTime: '2026-03-01T13:00:00.000Z',
			members: [{ userId: alice.id, roles: ['owner'] }, { userId: bob.id, roles: ['owner'] }],
		}, quiet);
		store.addMessage({ kind: 'chat', chat: falcon }, { fromUserId: alice.id, body: html('<p>Kick-off on Monday</p>'), createdDateTime: '2026-03-03T09:00:00.000Z' }, quiet);
	}
}

module.exports = { seedTeams };
