/**
 * The Event resource of the Outlook node inside n8n-core against the sandbox: create (details, attendees who
 * get an invitation, a Teams meeting with its join URL, a weekly series, times with offsets and time zones, a
 * chosen calendar), get (output shapes), Get Many (a calendar view: a series expanded, a time zone, every page
 * to the end, a limit), update (PATCH once), delete, respond (accept / decline with and without a response
 * mail), the event picker, bad input refused before anything is sent, and app-only on Alice's mailbox.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS } from '../../harness/badInput';
import { badInputRunner, graphAs, graphList, withOutlookFixture } from './calendarTestKit';
import { ALICE, BOB, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { listSearch, requestLines } from './mailTestKit';

let env: OutlookFixture;
withOutlookFixture((fixture) => (env = fixture));

const BOB_SCOPES = ['Calendars.ReadWrite', 'Mail.ReadWrite', 'User.Read'];
const NON_EMPTY_BAD_SEGMENTS = BAD_PATH_SEGMENTS.filter((bad) => bad.value.trim() !== '');

function eventParams(operation: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'event', operation, ...extra };
}

async function createEvent(extra: INodeParameters = {}): Promise<IDataObject> {
	const out = await env.run(eventParams('create', { subject: 'Planning', start: '2030-03-04T09:00:00', end: '2030-03-04T10:00:00', timeZone: 'UTC', ...extra }));
	expect(out).toHaveLength(1);
	return out[0].json;
}

/** Alice's event as Graph has it (times in UTC, or in `zone` through Prefer: outlook.timezone). */
async function aliceEvent(id: string, zone?: string): Promise<IDataObject> {
	const response = await env.graph('GET', `/me/events/${encodeURIComponent(id)}`, undefined, zone ? { Prefer: `outlook.timezone="${zone}"` } : {});
	expect(response.status).toBe(200);
	return response.body as IDataObject;
}

async function calendarView(extra: INodeParameters): Promise<IDataObject[]> {
	return (await env.run(eventParams('getAll', { returnAll: true, ...extra }))).map((item) => item.json);
}

describe('create', () => {
	it('creates an event with body, location, reminder, show as and categories in the default calendar', async () => {
		const created = await createEvent({
			subject: 'Design review',
			additionalFields: { body: '<p>Agenda</p>', bodyContentType: 'HTML', location: 'Room 4', reminderMinutes: 30, showAs: 'tentative', categories: 'Blue, Work', importance: 'high' },
		});
		expect(created).toEqual(expect.objectContaining({ subject: 'Design review', start: expect.stringMatching(/^2030-03-04T09:00:00/), end: expect.stringMatching(/^2030-03-04T10:00:00/), location: 'Room 4', showAs: 'tentative', categories: ['Blue', 'Work'] }));
		expect(requestLines(env)).toEqual([expect.stringMatching(/^POST api \/v1\.0\/me\/calendar\/events$/)]);
		const stored = await aliceEvent(String(created.id));
		expect(stored).toEqual(expect.objectContaining({ reminderMinutesBeforeStart: 30, isReminderOn: true, importance: 'high' }));
		expect((stored.body as IDataObject).contentType).toBe('html');
		expect(String((stored.body as IDataObject).content)).toContain('<p>Agenda</p>');
	});

	it('a meeting with attendees and Teams: the join URL is in the output and Bob got the invitation', async () => {
		const created = await createEvent({
			subject: 'Kick-off with Bob',
			additionalFields: { requiredAttendees: `Bob <${BOB.userPrincipalName}>`, optionalAttendees: 'guest@example.com', teamsMeeting: true },
		});
		expect(created.isOnlineMeeting).toBe(true);
		expect(created.joinUrl).toEqual(expect.stringMatching(/^https:\/\//));
		expect(created.attendees).toEqual([
			expect.objectContaining({ address: BOB.userPrincipalName, type: 'required' }),
			expect.objectContaining({ address: 'guest@example.com', type: 'optional' }),
		]);
		const stored = await aliceEvent(String(created.id));
		expect(stored).toEqual(expect.objectContaining({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }));
		// Bob's mailbox: the meeting in his calendar and the invitation in his Inbox.
		const bobEvents = await graphAs(env, BOB.id, BOB_SCOPES, 'GET', `/me/events?$filter=${encodeURIComponent("subject eq 'Kick-off with Bob'")}`);
		expect(bobEvents.status).toBe(200);
		expect(bobEvents.body.value).toHaveLength(1);
		expect(bobEvents.body.value[0]).toEqual(expect.objectContaining({ isOrganizer: false }));
		const bobInbox = await graphAs(env, BOB.id, BOB_SCOPES, 'GET', `/me/mailFolders/inbox/messages?$filter=${encodeURIComponent("subject eq 'Kick-off with Bob'")}`);
		expect(bobInbox.body.value).toHaveLength(1);
	});

	it('a weekly series on Monday and Wednesday, six times, expands into six occurrences in a calendar view', async () => {
		const created = await createEvent({
			subject: 'Stand-up',
			start: '2030-04-01T08:30:00',
			end: '2030-04-01T08:45:00',
			timeZone: 'Europe/Berlin',
			repeat: 'weekly',
			repeatDays: ['monday', 'wednesday'],
			repeatEnd: 'count',
			repeatCount: 6,
		});
		const stored = await aliceEvent(String(created.id));
		expect(stored.recurrence).toEqual({
			pattern: expect.objectContaining({ type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'] }),
			range: expect.objectContaining({ type: 'numbered', numberOfOccurrences: 6, startDate: '2030-04-01', recurrenceTimeZone: 'Europe/Berlin' }),
		});
		const view = await calendarView({ start: '2030-03-31T00:00:00Z', end: '2030-05-01T00:00:00Z', getAllOptions: { timeZone: 'Europe/Berlin' } });
		const standUps = view.filter((event) => event.subject === 'Stand-up');
		expect(standUps.map((event) => String(event.start).slice(0, 16))).toEqual([
			'2030-04-01T08:30', '2030-04-03T08:30', '2030-04-08T08:30', '2030-04-10T08:30', '2030-04-15T08:30', '2030-04-17T08:30',
		]);
		expect(standUps.every((event) => event.type === 'occurrence' && event.seriesMasterId === created.id)).toBe(true);
	});

	it('daily every 2 days until a date, and monthly on the start\'s day', async () => {
		const daily = await createEvent({ subject: 'Every other day', start: '2030-06-01T12:00:00', end: '2030-06-01T12:30:00', repeat: 'daily', repeatInterval: 2, repeatEnd: 'date', repeatUntil: '2030-06-07' });
		expect((await aliceEvent(String(daily.id))).recurrence).toEqual({
			pattern: expect.objectContaining({ type: 'daily', interval: 2 }),
			range: expect.objectContaining({ type: 'endDate', startDate: '2030-06-01', endDate: '2030-06-07' }),
		});
		const monthly = await createEvent({ subject: 'Month end', start: '2030-06-15T12:00:00', end: '2030-06-15T13:00:00', repeat: 'monthly', repeatEnd: 'never' });
		expect((await aliceEvent(String(monthly.id))).recurrence).toEqual({
			pattern: expect.objectContaining({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 }),
			range: expect.objectContaining({ type: 'noEnd', startDate: '2030-06-15' }),
		});
		const view = await calendarView({ start: '2030-06-01T00:00:00Z', end: '2030-08-31T00:00:00Z' });
		expect(view.filter((event) => event.subject === 'Every other day').map((event) => String(event.start).slice(0, 10))).toEqual(['2030-06-01', '2030-06-03', '2030-06-05', '2030-06-07']);
		expect(view.filter((event) => event.subject === 'Month end').map((event) => String(event.start).slice(0, 10))).toEqual(['2030-06-15', '2030-07-15', '2030-08-15']);
	});

	it('a time with an offset is converted into the Time Zone; a Windows zone name is passed on', async () => {
		const berlin = await createEvent({ subject: 'Offset', start: '2030-03-04T09:00:00Z', end: '2030-03-04T10:00:00+00:00', timeZone: 'Europe/Berlin' });
		const stored = await aliceEvent(String(berlin.id), 'Europe/Berlin');
		expect(stored.start).toEqual({ dateTime: expect.stringMatching(/^2030-03-04T10:00:00/), timeZone: 'Europe/Berlin' });
		expect(stored.originalStartTimeZone).toBe('Europe/Berlin');
		const windows = await createEvent({ subject: 'Windows zone', start: '2030-03-05T09:00:00', end: '2030-03-05T09:30:00', timeZone: 'W. Europe Standard Time' });
		const [asUtc] = await env.run(eventParams('get', { eventId: rl('id', String(windows.id)), output: 'raw' }));
		expect(asUtc.json.start).toEqual({ dateTime: expect.stringMatching(/^2030-03-05T08:00:00/), timeZone: 'UTC' });
	});

	it('creates in a chosen calendar', async () => {
		const calendar = await env.graph('POST', '/me/calendars', { name: 'Side calendar' });
		env.clearRequests();
		const created = await createEvent({ subject: 'In side calendar', calendarId: rl('list', calendar.body.id) });
		expect(requestLines(env)).toEqual([expect.stringContaining(`/me/calendars/${encodeURIComponent(calendar.body.id)}/events`)]);
		const inSide = await graphList(env, `/me/calendars/${encodeURIComponent(calendar.body.id)}/events`);
		expect(inSide.map((event) => event.id)).toEqual([created.id]);
	});
});

describe('get, update, delete', () => {
	it('get: Simplified, Raw and Selected Fields ($select sent)', async () => {
		const created = await createEvent({ subject: 'Get me', additionalFields: { location: 'Lab' } });
		env.clearRequests();
		const [simple] = await env.run(eventParams('get', { eventId: rl('list', String(created.id)) }));
		expect(simple.json).toEqual(expect.objectContaining({ id: created.id, subject: 'Get me', location: 'Lab', timeZone: 'UTC' }));
		expect(decodeURIComponent(env.requests()[0].query)).toContain('$select=id,subject,start,end');
		const [fields] = await env.run(eventParams('get', { eventId: rl('id', String(created.id)), output: 'fields', fields: ['subject', 'location'] }));
		expect(fields.json).toEqual({ id: created.id, subject: 'Get me', location: expect.objectContaining({ displayName: 'Lab' }) });
		expect(decodeURIComponent(env.requests()[1].query)).toContain('$select=id,subject,location');
	});

	it('update sends one PATCH with only the changed fields; times are checked together', async () => {
		const created = await createEvent({ subject: 'Move me' });
		env.clearRequests();
		const [updated] = await env.run(
			eventParams('update', { eventId: rl('id', String(created.id)), eventUpdateFields: { subject: 'Moved', start: '2030-03-05T14:00:00', end: '2030-03-05T15:00:00', timeZone: 'UTC', showAs: 'free' } }),
		);
		expect(updated.json).toEqual(expect.objectContaining({ id: created.id, subject: 'Moved', start: expect.stringMatching(/^2030-03-05T14:00/), showAs: 'free' }));
		expect(requestLines(env)).toEqual([expect.stringMatching(/^PATCH api \/v1\.0\/me\/events\//)]);

		env.clearRequests();
		await expect(env.run(eventParams('update', { eventId: rl('id', String(created.id)), eventUpdateFields: { start: '2030-03-05T16:00:00' } }))).rejects.toThrow(/^"End" is empty/);
		await expect(env.run(eventParams('update', { eventId: rl('id', String(created.id)), eventUpdateFields: {} }))).rejects.toThrow(/"Update Fields" is empty/);
		await expect(env.run(eventParams('update', { eventId: rl('id', String(created.id)), eventUpdateFields: { subject: 'x' }, repeat: 'daily' }))).rejects.toThrow(/^"Repeat" needs "Start" and "End"/);
		expect(env.requests()).toHaveLength(0);
	});

	it('update turns a series into a single event and back', async () => {
		const created = await createEvent({ subject: 'Series toggle', repeat: 'daily', repeatEnd: 'count', repeatCount: 3 });
		await env.run(eventParams('update', { eventId: rl('id', String(created.id)), repeat: 'none' }));
		expect((await aliceEvent(String(created.id))).recurrence).toBeNull();
		await env.run(eventParams('update', { eventId: rl('id', String(created.id)), eventUpdateFields: { start: '2030-03-04T09:00:00', end: '2030-03-04T10:00:00', timeZone: 'UTC' }, repeat: 'weekly', repeatEnd: 'count', repeatCount: 2 }));
		expect((await aliceEvent(String(created.id))).recurrence).toEqual(expect.objectContaining({ pattern: expect.objectContaining({ type: 'weekly', daysOfWeek: ['monday'] }) }));
	});

	it('delete returns { deleted, id } and the event is gone', async () => {
		const created = await createEvent({ subject: 'Delete me' });
		const [out] = await env.run(eventParams('delete', { eventId: rl('id', String(created.id)) }));
		expect(out.json).toEqual({ deleted: true, id: created.id });
		expect((await env.graph('GET', `/me/events/${encodeURIComponent(String(created.id))}`)).status).toBe(404);
	});
});

describe('Get Many (calendar view)', () => {
	it('a time zone: times come back in it, and Start/End without an offset are read in it', async () => {
		await createEvent({ subject: 'Zoned', start: '2030-07-01T10:00:00', end: '2030-07-01T11:00:00', timeZone: 'UTC' });
		env.clearRequests();
		const view = await calendarView({ start: '2030-07-01T11:30:00', end: '2030-07-01T14:00:00', getAllOptions: { timeZone: 'Europe/Berlin' } });
		const zoned = view.find((event) => event.subject === 'Zoned');
		// 10:00 UTC is 12:00 in Berlin (summer time), inside 11:30–14:00 Berlin time.
		expect(zoned).toEqual(expect.objectContaining({ start: expect.stringMatching(/^2030-07-01T12:00:00/), timeZone: 'Europe/Berlin' }));
		const query = new URLSearchParams(env.requests()[0].query);
		expect(query.get('startDateTime')).toBe('2030-07-01T09:30:00.000Z');
		expect(query.get('endDateTime')).toBe('2030-07-01T12:00:00.000Z');
		expect(query.get('$top')).toBe('1000');
		expect(env.requests()[0].path).toBe('/v1.0/me/calendar/calendarView');
		// Without the option: UTC.
		const utc = await calendarView({ start: '2030-07-01T00:00:00Z', end: '2030-07-02T00:00:00Z' });
		expect(utc.find((event) => event.subject === 'Zoned')).toEqual(expect.objectContaining({ start: expect.stringMatching(/^2030-07-01T10:00:00/), timeZone: 'UTC' }));
	});

	it('follows every page to the end, and a limit stops after one', async () => {
		await createEvent({ subject: 'Daily for years', start: '2031-01-01T07:00:00', end: '2031-01-01T07:15:00', repeat: 'daily', repeatEnd: 'never' });
		env.clearRequests();
		const view = await calendarView({ start: '2031-01-01T00:00:00Z', end: '2034-01-01T00:00:00Z' });
		expect(view.filter((event) => event.subject === 'Daily for years')).toHaveLength(1096);
		expect(env.requests().filter((r) => r.path.endsWith('/calendarView'))).toHaveLength(2);
		env.clearRequests();
		const limited = await env.run(eventParams('getAll', { start: '2031-01-01T00:00:00Z', end: '2034-01-01T00:00:00Z', returnAll: false, limit: 5 }));
		expect(limited).toHaveLength(5);
		expect(env.requests()).toHaveLength(1);
		expect(new URLSearchParams(env.requests()[0].query).get('$top')).toBe('5');
	});

	it('reads a chosen calendar', async () => {
		const calendar = await env.graph('POST', '/me/calendars', { name: 'View calendar' });
		await createEvent({ subject: 'Only here', start: '2030-09-01T10:00:00', end: '2030-09-01T11:00:00', calendarId: rl('id', calendar.body.id) });
		await createEvent({ subject: 'Default one', start: '2030-09-01T10:00:00', end: '2030-09-01T11:00:00' });
		const view = await calendarView({ calendarId: rl('list', calendar.body.id), start: '2030-09-01T00:00:00Z', end: '2030-09-02T00:00:00Z' });
		expect(view.map((event) => event.subject)).toEqual(['Only here']);
	});
});

describe('respond', () => {
	async function invitationFromBob(subject: string): Promise<string> {
		const made = await graphAs(env, BOB.id, BOB_SCOPES, 'POST', '/me/events', {
			subject,
			start: { dateTime: '2030-10-01T09:00:00', timeZone: 'UTC' },
			end: { dateTime: '2030-10-01T10:00:00', timeZone: 'UTC' },
			attendees: [{ emailAddress: { address: ALICE.userPrincipalName }, type: 'required' }],
		});
		expect(made.status).toBe(201);
		const mine = await graphList(env, `/me/events?$filter=${encodeURIComponent(`subject eq '${subject}'`)}`);
		expect(mine).toHaveLength(1);
		return String(mine[0].id);
	}

	async function bobSees(subject: string): Promise<{ attendee: IDataObject; replies: IDataObject[] }> {
		const events = await graphAs(env, BOB.id, BOB_SCOPES, 'GET', `/me/events?$filter=${encodeURIComponent(`subject eq '${subject}'`)}`);
		const attendee = (events.body.value[0].attendees as IDataObject[]).find((a) => (a.emailAddress as IDataObject).address === ALICE.userPrincipalName) as IDataObject;
		const inbox = await graphAs(env, BOB.id, BOB_SCOPES, 'GET', '/me/mailFolders/inbox/messages?$top=1000&$select=subject');
		return { attendee, replies: (inbox.body.value as IDataObject[]).filter((m) => String(m.subject).endsWith(subject)) };
	}

	it('accept with a response: Bob sees Alice accepted and gets her answer', async () => {
		const id = await invitationFromBob('Accept me');
		env.clearRequests();
		const [out] = await env.run(eventParams('respond', { eventId: rl('id', id), response: 'accept', comment: 'See you', sendResponse: true }));
		expect(out.json).toEqual({ responded: true, response: 'accept', id, sendResponse: true });
		expect(requestLines(env)).toEqual([expect.stringMatching(/^POST api \/v1\.0\/me\/events\/.+\/accept$/)]);
		expect(((await aliceEvent(id)).responseStatus as IDataObject).response).toBe('accepted');
		const bob = await bobSees('Accept me');
		expect((bob.attendee.status as IDataObject).response).toBe('accepted');
		expect(bob.replies).toHaveLength(1);
	});

	it('decline without a response: the meeting leaves Alice\'s calendar and Bob gets no mail', async () => {
		const id = await invitationFromBob('Decline quietly');
		const [out] = await env.run(eventParams('respond', { eventId: rl('list', id), response: 'decline', sendResponse: false }));
		expect(out.json).toEqual({ responded: true, response: 'decline', id, sendResponse: false });
		expect((await env.graph('GET', `/me/events/${encodeURIComponent(id)}`)).status).toBe(404);
		expect((await bobSees('Decline quietly')).replies).toHaveLength(0);
	});

	it('accept without a response: Alice\'s calendar shows accepted, Bob gets no mail', async () => {
		const id = await invitationFromBob('Accept quietly');
		await env.run(eventParams('respond', { eventId: rl('id', id), response: 'accept', sendResponse: false }));
		expect(((await aliceEvent(id)).responseStatus as IDataObject).response).toBe('accepted');
		expect((await bobSees('Accept quietly')).replies).toHaveLength(0);
	});

	it('tentatively accept and decline with a response', async () => {
		const tentative = await invitationFromBob('Maybe');
		await env.run(eventParams('respond', { eventId: rl('id', tentative), response: 'tentativelyAccept', sendResponse: true }));
		expect((await bobSees('Maybe')).attendee.status).toEqual(expect.objectContaining({ response: 'tentativelyAccepted' }));
		const declined = await invitationFromBob('No thanks');
		await env.run(eventParams('respond', { eventId: rl('id', declined), response: 'decline', comment: 'Busy', sendResponse: true }));
		const bob = await bobSees('No thanks');
		expect((bob.attendee.status as IDataObject).response).toBe('declined');
		expect(bob.replies).toHaveLength(1);
	});
});

describe('picker', () => {
	it('lists upcoming events soonest first and searches the subject', async () => {
		const soon = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
		const later = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
		await createEvent({ subject: 'Picker later', start: `${later}T09:00:00`, end: `${later}T10:00:00` });
		await createEvent({ subject: 'Picker soon', start: `${soon}T09:00:00`, end: `${soon}T10:00:00` });
		await createEvent({ subject: 'Picker past', start: '2020-01-01T09:00:00', end: '2020-01-01T10:00:00' });
		const all = await listSearch(env, 'searchEvents', {});
		const names = all.results.map((entry) => entry.name).filter((name) => name.startsWith('Picker'));
		expect(names).toEqual([`Picker soon (${soon} 09:00 UTC)`, `Picker later (${later} 09:00 UTC)`]);
		const found = await listSearch(env, 'searchEvents', {}, "later");
		expect(found.results.map((entry) => entry.name)).toEqual([`Picker later (${later} 09:00 UTC)`]);
		const quoted = await listSearch(env, 'searchEvents', {}, "O'Brien");
		expect(quoted.results).toEqual([]);
	});
});

describe('bad input: refused before anything is sent', () => {
	const counter = { tried: 0 };
	const refuses = () => badInputRunner(env, counter);

	it('every Event and Calendar ID', async () => {
		await refuses()('Event', BAD_PATH_SEGMENTS, (value) => eventParams('get', { eventId: rl('id', value) }));
		await refuses()('Event', BAD_PATH_SEGMENTS, (value) => eventParams('update', { eventId: rl('id', value), eventUpdateFields: { subject: 'x' } }));
		await refuses()('Event', BAD_PATH_SEGMENTS, (value) => eventParams('delete', { eventId: rl('list', value) }));
		await refuses()('Event', BAD_PATH_SEGMENTS, (value) => eventParams('respond', { eventId: rl('id', value), response: 'accept' }));
		await refuses()('Calendar', NON_EMPTY_BAD_SEGMENTS, (value) => eventParams('create', { calendarId: rl('id', value), subject: 's', start: '2030-01-01T09:00:00', end: '2030-01-01T10:00:00' }));
		await refuses()('Calendar', NON_EMPTY_BAD_SEGMENTS, (value) => eventParams('getAll', { calendarId: rl('id', value), start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' }));
	});

	it('end before start, bad dates, bad time zones, bad addresses, a made-up response', async () => {
		const create = (extra: INodeParameters) => eventParams('create', { subject: 's', start: '2030-01-01T09:00:00', end: '2030-01-01T10:00:00', ...extra });
		await refuses()('End', [{ label: 'end before start', value: '2030-01-01T08:59:59' }, { label: 'not a date', value: 'tomorrow' }, { label: 'February 30', value: '2030-02-30T10:00:00' }], (value) => create({ end: value }));
		await refuses()('End', [{ label: 'offset end before start in Berlin', value: '2030-01-01T07:00:00Z' }], (value) => create({ end: value, timeZone: 'Europe/Berlin' }));
		await refuses()('Start', [{ label: 'empty', value: '' }, { label: 'garbage', value: '2030-13-01' }], (value) => create({ start: value }));
		await refuses()('Time Zone', [{ label: 'header injection', value: 'UTC"\r\nX-Injected: 1' }, { label: 'quote', value: 'Europe/Berlin"' }], (value) => create({ timeZone: value }));
		await refuses()('Required Attendees', [{ label: 'no at', value: 'bob.contoso.com' }, { label: 'two in one', value: 'a@b.com c@d.com' }], (value) => create({ additionalFields: { requiredAttendees: value } }));
		await refuses()('Optional Attendees', [{ label: 'no domain dot', value: 'bob@contoso' }], (value) => create({ additionalFields: { optionalAttendees: value } }));
		await refuses()('Repeat Until', [{ label: 'before the start', value: '2029-12-31' }], (value) => create({ repeat: 'daily', repeatEnd: 'date', repeatUntil: value }));
		await refuses()('Occurrences', [{ label: 'zero', value: '0' }], (value) => create({ repeat: 'daily', repeatEnd: 'count', repeatCount: value }));
		await refuses()('Days of Week', [{ label: 'made-up day', value: 'someday' }], (value) => create({ repeat: 'weekly', repeatDays: [value] }));
		await refuses()('Subject', [{ label: 'lone surrogate', value: 'Plan \uD83D' }, { label: 'blank', value: ' ' }], (value) => create({ subject: value }));
		const view = (extra: INodeParameters) => eventParams('getAll', { start: '2030-01-02T00:00:00Z', end: '2030-01-03T00:00:00Z', ...extra });
		await refuses()('End', [{ label: 'view end before start', value: '2030-01-01T00:00:00Z' }, { label: 'view end equal to start', value: '2030-01-02T00:00:00Z' }], (value) => view({ end: value }));
		await refuses()('Time Zone', [{ label: 'header injection', value: 'UTC\r\nX-Injected: 1' }], (value) => view({ getAllOptions: { timeZone: value } }));
		await refuses()('Start', [{ label: 'no offset under a Windows zone', value: '2030-01-02T00:00:00' }], (value) => view({ start: value, getAllOptions: { timeZone: 'Pacific Standard Time' } }));
		await refuses()('Response', [{ label: 'path climbing', value: '../delete' }, { label: 'unknown', value: 'forward' }], (value) => eventParams('respond', { eventId: rl('id', 'AAMkAGV2ZW50LWlk='), response: value }));
	});

	afterAll(() => {
		process.stdout.write(`bad inputs tried by outlook-event: ${counter.tried}\n`);
		expect(counter.tried).toBe(BAD_PATH_SEGMENTS.length * 4 + NON_EMPTY_BAD_SEGMENTS.length * 2 + 22);
	});
});

describe('app-only', () => {
	it('creates, lists, updates and deletes events in Alice\'s mailbox by address', async () => {
		const appOnly = await startOutlookFixture({ authentication: 'clientCredentials' });
		try {
			const [created] = await appOnly.run(eventParams('create', { subject: 'App event', start: '2030-11-01T09:00:00', end: '2030-11-01T10:00:00' }));
			expect(appOnly.requests().map((r) => r.path)).toContain('/v1.0/users/alice%40contoso.onmicrosoft.com/calendar/events');
			const view = await appOnly.run(eventParams('getAll', { returnAll: true, start: '2030-11-01T00:00:00Z', end: '2030-11-02T00:00:00Z' }));
			expect(view.map((item) => item.json.subject)).toEqual(['App event']);
			const [updated] = await appOnly.run(eventParams('update', { eventId: rl('id', String(created.json.id)), eventUpdateFields: { location: 'Online' } }));
			expect(updated.json.location).toBe('Online');
			const [deleted] = await appOnly.run(eventParams('delete', { eventId: rl('id', String(created.json.id)) }));
			expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
		} finally {
			await appOnly.stop();
		}
	}, 60_000);
});
