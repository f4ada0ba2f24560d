// @ts-check
'use strict';

/**
 * Seeded Outlook content (ids derived from the mailbox, the same on every start). Every user mailbox gets the
 * well-known folders and:
 *   Inbox   "Welcome to Microsoft 365"   read, from no-reply@microsoft.example, 2026-01-05T09:00:00Z
 *           "Quarterly report"           UNREAD, high importance, category Finance, attachment report-q1.csv,
 *                                        from reports@northwind.example, 2026-02-10T14:30:00Z
 *           "Bob's expenses for March"   read, flagged, category Travel, from Bob, 2026-03-02T08:15:00Z
 *   Drafts  "Weekly update (draft)"      draft to Bob, 2026-03-03T10:00:00Z
 *   Sent    "Lunch on Friday?"           to Bob (Bob: to Alice), 2026-03-04T11:00:00Z
 *   Calendar "Team sync"     weekly on Mondays 09:00–09:30 W. Europe Standard Time from 2026-01-05, no end, Teams meeting
 *            "Daily stand-up" daily 08:45–09:00 Pacific Standard Time from 2026-03-02, 10 occurrences
 *            "Dentist"        2026-03-10 15:00–16:00 UTC at "Smile Clinic"
 *   Contacts "Dana Dobbs" (dana@fabrikam.example), "Erin O'Neil" (erin.oneil@contoso.example)
 * The shared mailbox support@contoso.onmicrosoft.com holds one unread message "Order #1001: where is my parcel?"
 * (from customer@northwind.example, 2026-03-05T16:20:00Z). Mailbox permissions come from SEED.mailboxPermissions.
 */

const { parseDateTimeTimeZone } = require('./calendar-timezones');
const { parseRecurrence } = require('./calendar-recurrence');
const { textToHtml } = require('./mail-json');

const BOB_ADDRESS = 'bob@contoso.onmicrosoft.com';
const ALICE_ADDRESS = 'alice@contoso.onmicrosoft.com';

/**
 * @param {import('./outlook-store').OutlookStore} store
 * @param {any} state sandbox state (tenants, users)
 * @param {{ mailboxes?: Record<string, { id: string, tenant: string, address: string, displayName: string }>,
 *   mailboxPermissions?: Array<{ mailbox: string, user: string, fullAccess?: boolean, sendAs?: boolean }> }} seed
 */
function seedOutlook(store, state, seed) {
	for (const user of state.users.values()) {
		if (!state.tenants.has(user.tenant)) continue;
		const mailbox = store.addMailbox({
			id: user.id, tenantId: user.tenant, address: user.mail ?? user.userPrincipalName, displayName: user.displayName, kind: 'user',
		});
		seedUserMailbox(store, mailbox, state);
	}
	for (const shared of Object.values(seed.mailboxes ?? {})) {
		if (!state.tenants.has(shared.tenant)) continue;
		const mailbox = store.addMailbox({ id: shared.id, tenantId: shared.tenant, address: shared.address, displayName: shared.displayName, kind: 'shared' });
		const received = '2026-03-05T16:20:00Z';
		store.addMessage(mailbox, /** @type {string} */ (mailbox.wellKnown.get('inbox')), {
			subject: 'Order #1001: where is my parcel?', body: { contentType: 'html', content: textToHtml('Hello, my order #1001 has not arrived yet. Can you check?') },
			from: recipient('Northwind customer', 'customer@northwind.example'), sender: recipient('Northwind customer', 'customer@northwind.example'),
			toRecipients: [recipient(mailbox.displayName, mailbox.address)], receivedDateTime: received, sentDateTime: received,
			createdDateTime: received, lastModifiedDateTime: received,
		}, `${mailbox.id}|message|question`);
	}
	for (const grant of seed.mailboxPermissions ?? []) {
		const mailbox = store.findMailbox(grant.mailbox);
		const user = state.findUser(grant.user);
		if (!mailbox || !user) continue;
		if (grant.fullAccess) mailbox.fullAccess.add(user.id);
		if (grant.sendAs) mailbox.sendAs.add(user.id);
	}
}

/** @param {string} name @param {string} address */
function recipient(name, address) {
	return { emailAddress: { name, address } };
}

/**
 * @param {import('./outlook-store').OutlookStore} store @param {import('./outlook-store').Mailbox} mailbox @param {any} state
 */
function seedUserMailbox(store, mailbox, state) {
	const self = recipient(mailbox.displayName, mailbox.address);
	const bobUser = state.findUser(BOB_ADDRESS);
	const aliceUser = state.findUser(ALICE_ADDRESS);
	const bob = recipient(bobUser?.displayName ?? "Bob O'Brien", BOB_ADDRESS);
	const colleague = mailbox.address.toLowerCase() === BOB_ADDRESS ? recipient(aliceUser?.displayName ?? 'Alice Adams', ALICE_ADDRESS) : bob;
	const folder = (/** @type {string} */ name) => /** @type {string} */ (mailbox.wellKnown.get(name));
	/** @param {string} key @param {string} folderName @param {string} at @param {Partial<import('./outlook-store').Message>} fields */
	const add = (key, folderName, at, fields) => store.addMessage(mailbox, folder(folderName), {
		toRecipients: [self], receivedDateTime: at, sentDateTime: at, createdDateTime: at, lastModifiedDateTime: at, isRead: true, ...fields,
	}, `${mailbox.id}|message|${key}`);

	const microsoft = recipient('Microsoft 365', 'no-reply@microsoft.example');
	add('welcome', 'inbox', '2026-01-05T09:00:00Z', {
		subject: 'Welcome to Microsoft 365', from: microsoft, sender: microsoft,
		body: { contentType: 'html', content: textToHtml(`Hi ${mailbox.displayName},\nyour mailbox is ready.`) },
	});
	const reports = recipient('Northwind Reports', 'reports@northwind.example');
	add('report', 'inbox', '2026-02-10T14:30:00Z', {
		subject: 'Quarterly report', from: reports, sender: reports, isRead: false, importance: 'high', categories: ['Finance'],
		body: { contentType: 'html', content: textToHtml('Please find the Q1 numbers attached.') },
		attachments: [store.newAttachment({ name: 'report-q1.csv', contentType: 'text/csv', bytes: Buffer.from('month,revenue\njan,100\nfeb,120\nmar,90\n') }, `${mailbox.id}|report`)],
	});
	add('bob', 'inbox', '2026-03-02T08:15:00Z', {
		subject: "Bob's expenses for March", from: bob, sender: bob, categories: ['Travel'], flag: { flagStatus: 'flagged' },
		body: { contentType: 'html', content: textToHtml("Here are Bob's travel expenses: train 120 EUR, hotel 340 EUR.") },
	});
	add('draft', 'drafts', '2026-03-03T10:00:00Z', {
		subject: 'Weekly update (draft)', from: self, sender: self, toRecipients: [colleague], isDraft: true,
		body: { contentType: 'html', content: textToHtml('Work in progress.') },
	});
	add('sent', 'sentitems', '2026-03-04T11:00:00Z', {
		subject: 'Lunch on Friday?', from: self, sender: self, toRecipients: [colleague],
		body: { contentType: 'html', content: textToHtml('Shall we have lunch on Friday?') },
	});

	const calendarId = mailbox.defaultCalendarId;
	/** @param {string} key @param {Record<string, any>} spec */
	const event = (key, spec) => {
		const start = parseDateTimeTimeZone(spec.start, 'start');
		const end = parseDateTimeTimeZone(spec.end, 'end');
		store.addEvent(mailbox, calendarId, {
			subject: spec.subject, start, end, startTimeZone: spec.start.timeZone, endTimeZone: spec.end.timeZone, location: spec.location ?? '',
			body: { contentType: 'html', content: textToHtml(spec.body ?? '') }, recurrence: spec.recurrence ? parseRecurrence(spec.recurrence, spec.start.timeZone) : null,
			isOnlineMeeting: Boolean(spec.teams), onlineMeetingProvider: spec.teams ? 'teamsForBusiness' : 'unknown',
			joinUrl: spec.teams ? `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${Buffer.from(`${mailbox.id}|${key}`).toString('base64url')}%40thread.v2/0` : null,
			createdDateTime: '2026-01-02T08:00:00Z', lastModifiedDateTime: '2026-01-02T08:00:00Z',
		}, `${mailbox.id}|event|${key}`);
	};
	event('teamsync', {
		subject: 'Team sync', teams: true, body: 'Weekly team sync.',
		start: { dateTime: '2026-01-05T09:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-01-05T09:30:00', timeZone: 'W. Europe Standard Time' },
		recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' }, range: { type: 'noEnd', startDate: '2026-01-05' } },
	});
	event('standup', {
		subject: 'Daily stand-up', body: 'Fifteen minutes.',
		start: { dateTime: '2026-03-02T08:45:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-02T09:00:00', timeZone: 'Pacific Standard Time' },
		recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 10 } },
	});
	event('dentist', {
		subject: 'Dentist', location: 'Smile Clinic',
		start: { dateTime: '2026-03-10T15:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-10T16:00:00', timeZone: 'UTC' },
	});

	store.addContact(mailbox, {
		givenName: 'Dana', surname: 'Dobbs', displayName: 'Dana Dobbs', companyName: 'Fabrikam', jobTitle: 'Buyer',
		emailAddresses: [{ name: 'Dana Dobbs', address: 'dana@fabrikam.example' }], businessPhones: ['+1 425 555 0199'],
	}, `${mailbox.id}|contact|dana`);
	store.addContact(mailbox, {
		givenName: 'Erin', surname: "O'Neil", displayName: "Erin O'Neil", companyName: 'Contoso', mobilePhone: '+1 425 555 0101',
		emailAddresses: [{ name: "Erin O'Neil", address: 'erin.oneil@contoso.example' }],
	}, `${mailbox.id}|contact|erin`);
}

module.exports = { seedOutlook };
