// @ts-check
'use strict';

/**
 * Outlook in the Microsoft 365 sandbox: mail (folders, messages, attachments and upload sessions, sending and
 * delivery, delta), calendars (events, recurrence, calendarView and its delta, meetings) and contacts, for
 * every seeded user's mailbox and the shared mailboxes of SEED.mailboxes, at `/me/...` and
 * `/users/{id|upn}/...`. `register` wires the routes (graph/mail-*.js, calendar-*.js, contacts.js), the
 * `/_sandbox/outlook/*` control routes and `sandbox.outlook` (helpers for tests; outlook-api.js).
 */

const { OutlookStore } = require('./outlook-store');
const { createAccess } = require('./outlook-access');
const { createDeltaEngine } = require('./outlook-delta');
const { createComposer } = require('./mail-compose');
const { registerFolderRoutes } = require('./mail-folders');
const { registerMessageDelta } = require('./mail-delta');
const { registerAttachmentRoutes } = require('./mail-attachments');
const { createDelivery, registerSendRoutes } = require('./mail-send');
const { registerMessageRoutes } = require('./mail-messages');
const { createCalendarLogic } = require('./calendar-events');
const { registerCalendarView } = require('./calendar-view');
const { registerCalendarRoutes } = require('./calendar-routes');
const { recurrenceJson } = require('./calendar-recurrence');
const { registerContactRoutes } = require('./contacts');
const { seedOutlook } = require('./outlook-seed');
const { createOutlookApi } = require('./outlook-api');
const { registerOutlookControl } = require('./outlook-control');
const { SEED } = require('../seed');

/**
 * @param {import('../router').Router} router
 * @param {any} sandbox the object startSandbox returns
 */
function register(router, sandbox) {
	const state = sandbox.state;
	const store = new OutlookStore();
	const access = createAccess(store, state);
	const delta = createDeltaEngine();
	const composer = createComposer((address) => store.findMailbox(address)?.displayName ?? null);
	const delivery = createDelivery(store);
	const logic = createCalendarLogic(store, delivery);
	const mailEnv = { store, access, composer, recurrenceJson };

	// Order matters where patterns overlap: .../messages/delta before .../messages/{id}.
	registerFolderRoutes(router, { store, access });
	registerMessageDelta(router, { ...mailEnv, delta });
	const attachments = registerAttachmentRoutes(router, mailEnv);
	registerSendRoutes(router, { ...mailEnv, delivery });
	registerMessageRoutes(router, mailEnv);
	registerCalendarView(router, { store, access, logic, delta });
	registerCalendarRoutes(router, { store, access, logic });
	registerContactRoutes(router, { store, access });

	seedOutlook(store, state, { mailboxes: SEED.mailboxes, mailboxPermissions: SEED.mailboxPermissions });
	const api = createOutlookApi({ store, state, delivery, logic, sessions: attachments.sessions });
	registerOutlookControl(router, api);
	state.outlook = store;
	sandbox.outlook = api;
}

module.exports = { register };
