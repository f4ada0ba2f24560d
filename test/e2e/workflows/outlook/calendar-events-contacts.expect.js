// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, ALICE, BOB } = require('./support');
const { retryClosedSocket } = require('../teams/extraScopes');

/**
 * One execution through Outlook's calendar, event and contact operations (Alice, delegated). Before it, Bob invites
 * Alice to "Review <mark>" (sandbox control route). The workflow: a calendar created, renamed and recoloured, read;
 * an event in it at 10:00 Europe/Berlin with Bob invited (Bob's calendar gets the invitation), moved to 14:00 and
 * renamed, read, listed in a calendar view (in Berlin time); Bob's invitation answered "tentative" with a comment
 * (Bob's event shows Alice's answer); the event and the calendar deleted; a contact created, updated, read, found
 * by the start of its name, deleted.
 */
/** Bob invites Alice to "Review <mark>" (sandbox control route); returns the invitation in Alice's calendar. */
async function inviteAlice(ctx, mark) {
	await retryClosedSocket(() => ctx.sandboxRequest('POST', `/_sandbox/outlook/${encodeURIComponent(BOB)}/events`, {
		subject: `Review ${mark}`,
		start: { dateTime: '2026-12-16T09:00:00', timeZone: 'UTC' },
		end: { dateTime: '2026-12-16T09:30:00', timeZone: 'UTC' },
		attendees: [{ emailAddress: { address: ALICE }, type: 'required' }],
	}));
	const [invitation] = await events(ctx, ALICE, `Review ${mark}`);
	assert.ok(invitation, "Bob's invitation did not reach Alice's calendar");
	return invitation;
}

/** Events of a sandbox mailbox with this subject (control route). @param {any} ctx @param {string} mailbox @param {string} subject */
async function events(ctx, mailbox, subject) {
	return ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(mailbox)}/events?subject=${encodeURIComponent(subject)}`);
}

module.exports = {
	requires: [NODE_TYPE],
	// npm run dev: Bob's invitation is made at import, so the example answers it.
	example: {
		async setup(ctx, mark) {
			return { placeholders: { INVITE_ID: (await inviteAlice(ctx, mark)).id } };
		},
	},
	async run(ctx, workflow) {
		const mark = `E2E ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		const invitation = await inviteAlice(ctx, mark);

		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const filled = JSON.stringify(workflow).replaceAll('%%MARK%%', mark).replaceAll('%%INVITE_ID%%', invitation.id);
		const result = await ctx.runWorkflow(JSON.parse(filled));
		assert.ok(result.ok, describeFailure(result));
		const one = (/** @type {string} */ node) => {
			const items = result.items(node);
			assert.equal(items.length, 1, `${node} returned ${JSON.stringify(items).slice(0, 800)}`);
			return items[0];
		};

		const calendar = one('Create Calendar');
		assert.deepEqual([calendar.name, calendar.color, calendar.isDefaultCalendar], [`E2E ${mark}`, 'lightGreen', false]);
		assert.deepEqual([one('Update Calendar').name, one('Update Calendar').color], [`E2E ${mark} renamed`, 'lightBlue']);
		assert.deepEqual([one('Get Calendar').id, one('Get Calendar').name], [calendar.id, `E2E ${mark} renamed`]);

		// 10:00 in Berlin (UTC+1 in December) is 09:00 UTC; the update moved it to 14:00-15:30 Berlin.
		const event = one('Create Event');
		assert.deepEqual([event.subject, event.start, event.timeZone, event.location], [`Planning ${mark}`, '2026-12-15T09:00:00.0000000', 'UTC', 'Room 1']);
		assert.deepEqual(event.attendees, [{ address: BOB, type: 'required', response: 'none' }]);
		const updated = one('Update Event');
		assert.deepEqual([updated.subject, updated.start, updated.end], [`Planning ${mark} moved`, '2026-12-15T13:00:00.0000000', '2026-12-15T14:30:00.0000000']);
		assert.equal(one('Get Event').subject, `Planning ${mark} moved`);
		const listed = result.items('List Events');
		assert.deepEqual(listed.map((e) => [e.id, e.start, e.timeZone]), [[event.id, '2026-12-15T14:00:00.0000000', 'Europe/Berlin']]);
		assert.deepEqual(one('Answer Invitation'), { responded: true, response: 'tentativelyAccept', id: invitation.id, sendResponse: true });
		assert.deepEqual(one('Delete Event'), { deleted: true, id: event.id });
		assert.ok(result.items('List Calendars').some((c) => c.id === calendar.id), 'the new calendar is listed');
		assert.ok(result.items('List Calendars').some((c) => c.isDefaultCalendar), 'the default calendar is listed');
		assert.deepEqual(one('Delete Calendar'), { deleted: true, id: calendar.id });

		// Bob's side: his organiser copy records Alice's tentative answer. Alice's side: the deleted event is gone.
		const [review] = await events(ctx, BOB, `Review ${mark}`);
		const alice = review.attendees.find((/** @type {any} */ a) => a.emailAddress.address === ALICE);
		assert.equal(alice?.status?.response, 'tentativelyAccepted', JSON.stringify(review.attendees));
		assert.deepEqual(await events(ctx, ALICE, `Planning ${mark} moved`), [], "the deleted event is gone from Alice's calendar");

		const contact = one('Create Contact');
		assert.deepEqual([contact.displayName, contact.emails, contact.businessPhones, contact.companyName], [`Dana E2E ${mark}`, ['Dana <dana@northwind.example>'], ['+1 555 0100'], 'Northwind']);
		assert.deepEqual([one('Update Contact').jobTitle, one('Update Contact').companyName], ['Buyer', 'Northwind Traders']);
		assert.equal(one('Get Contact').jobTitle, 'Buyer');
		const danas = result.items('List Contacts');
		assert.ok(danas.some((c) => c.id === contact.id) && danas.every((c) => c.givenName === 'Dana'), JSON.stringify(danas).slice(0, 800));
		assert.deepEqual(one('Delete Contact'), { deleted: true, id: contact.id });
		const contacts = await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(ALICE)}/contacts`);
		assert.equal(contacts.some((/** @type {any} */ c) => c.id === contact.id), false, 'the contact is gone');
	},
};
