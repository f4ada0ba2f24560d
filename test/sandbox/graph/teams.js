// @ts-check
'use strict';

/**
 * Microsoft Teams in the Microsoft 365 sandbox (Graph v1.0): teams and channels (teams-routes.js), members
 * (teams-members.js), channel messages (teams-messages.js, content rules teams-content.js), chats (chats-routes.js),
 * Planner (planner-*.js), online meetings (meetings-routes.js) and change-notification subscriptions with their
 * validation handshake, delivery, retries, lifecycle notifications and clock (subscriptions-*.js).
 * `register` wires the routes, seeds the tenant (teams-seed.js), gives the seeded apps Teams application permissions
 * (not Teamwork.Migrate.All), and exposes `sandbox.teams` (teams-api.js) and `/_sandbox/teams/*` (teams-control.js).
 */

const { TeamsStore } = require('./teams-store');
const { PlannerStore } = require('./planner-store');
const { createLookups, TEAMS_APP_ROLES } = require('./teams-access');
const { registerChannelMessageRoutes } = require('./teams-messages');
const { registerTeamRoutes } = require('./teams-routes');
const { registerMemberRoutes } = require('./teams-members');
const { registerChatRoutes } = require('./chats-routes');
const { registerPlannerRoutes } = require('./planner-routes');
const { registerMeetingRoutes } = require('./meetings-routes');
const { createDelivery } = require('./subscriptions-delivery');
const { SubscriptionEngine } = require('./subscriptions-store');
const { registerSubscriptionRoutes } = require('./subscriptions-routes');
const { seedTeams } = require('./teams-seed');
const { createTeamsApi } = require('./teams-api');
const { registerTeamsControl } = require('./teams-control');
const { SEED } = require('../seed');

/**
 * @param {import('../router').Router} router
 * @param {any} sandbox the object startSandbox returns
 */
function register(router, sandbox) {
	const state = sandbox.state;
	const teams = new TeamsStore();
	const planner = new PlannerStore();
	/** @type {import('./meetings-routes').MeetingStore} */
	const meetings = { meetings: new Map(), policies: new Map() };
	const timing = { pollsInProgress: 1, readyAfterMs: 500 };
	const directory = { findUser: (/** @type {string} */ id) => state.findUser(id) };
	const lookups = createLookups({ teams });
	/** @param {string} tenantId */
	const domainOf = (tenantId) => {
		const tenant = state.tenants.get(tenantId);
		return tenant?.domains.find((/** @type {string} */ d) => d.endsWith('.onmicrosoft.com')) ?? tenant?.domains[0] ?? 'example.com';
	};
	const env = { state, teams, lookups, directory, timing, domainOf };

	const delivery = createDelivery({ ca: sandbox.tls.ca });
	const engine = new SubscriptionEngine({
		delivery,
		findMessage: (event) => (event.chatId
			? teams.chats.get(event.chatId)?.messages.get(String(event.messageId))
			: teams.teams.get(String(event.teamId))?.channels.get(String(event.channelId))?.messages.get(String(event.messageId))),
	});
	teams.on('change', (event) => engine.onChange(event));

	// Order matters where patterns overlap: channels/getAllMessages and messages/delta before the {id} routes.
	registerChannelMessageRoutes(router, env);
	registerTeamRoutes(router, env);
	registerMemberRoutes(router, env);
	registerChatRoutes(router, env);
	registerPlannerRoutes(router, { planner, teams, state });
	registerMeetingRoutes(router, { meetings, state });
	registerSubscriptionRoutes(router, { engine, delivery, lookups, state });

	seedTeams(teams, planner, state);
	const seeded = new Set(Object.values(SEED.apps).map((app) => app.clientId));
	for (const app of state.apps.values()) {
		if (!seeded.has(app.clientId)) continue;
		const graph = app.applicationPermissions.graph ?? [];
		app.applicationPermissions = { ...app.applicationPermissions, graph: [...new Set([...graph, ...TEAMS_APP_ROLES])] };
	}

	const api = createTeamsApi({ state, teams, planner, meetings, engine, delivery, timing });
	registerTeamsControl(router, api);
	state.teams = teams;
	sandbox.teams = api;
	const stop = sandbox.stop;
	sandbox.stop = async () => {
		engine.shutdown();
		delivery.shutdown();
		await stop();
	};
}

module.exports = { register };
