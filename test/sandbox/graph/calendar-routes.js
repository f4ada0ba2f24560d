// @ts-check
'use strict';

/**
 * Calendars and events: `GET|POST /calendars`, `GET|PATCH|DELETE /calendars/{id}`, `GET /calendar` (the default
 * one), `GET|POST /events` (default calendar), `/calendars/{id}/events`, `/calendar/events`,
 * `GET|PATCH|DELETE /events/{id}` (series masters, single events, and occurrence ids: PATCH makes an exception,
 * DELETE cancels the occurrence), `POST /events/{id}/accept|tentativelyAccept|decline` (202).
 * Lists: 10 a page by default ($top up to 1000, $skip), `$filter`, `$orderby`, `$select`; times in the zone of
 * `Prefer: outlook.timezone` (answered with `Preference-Applied`).
 */

const { httpError } = require('../router');
const { readObject, readJsonBody } = require('./outlook-access');
const { compileFilter, compileOrderBy, applySelect, pageBySkip, parsePrefer } = require('./outlook-odata');
const { EVENT_ENTITY, CALENDAR_ENTITY, eventJson, calendarJson, parseOccurrenceId } = require('./calendar-json');
const { occurrenceOn } = require('./calendar-recurrence');
const { preferredZone } = require('./calendar-timezones');
const { isWellFormedId } = require('./outlook-store');
const { bodyPreference } = require('./mail-messages');

const CAL = '(?:calendars/(?<calendarId>[^/]+)/|calendar/)?';
const EVENT = `${CAL}events/(?<eventId>[^/]+)`;

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('./outlook-store').CalendarEvent} CalendarEvent
 * @typedef {{ store: import('./outlook-store').OutlookStore, access: ReturnType<typeof import('./outlook-access').createAccess>,
 *   logic: ReturnType<typeof import('./calendar-events').createCalendarLogic> }} CalendarEnv
 */

const notFound = () => httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** @param {Mailbox} mailbox @param {string | undefined} id (undefined = the default calendar) */
function findCalendar(mailbox, id) {
	const calendar = mailbox.calendars.get(id ?? mailbox.defaultCalendarId);
	if (calendar) return calendar;
	if (!isWellFormedId(String(id))) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
	throw notFound();
}

/**
 * An event or an occurrence of a series by id.
 * @param {Mailbox} mailbox @param {string} id
 * @returns {{ event: CalendarEvent, instance: { dateKey: string, start: number, end: number, originalStart: number, exception: any } | null }}
 */
function findEvent(mailbox, id) {
	const event = mailbox.events.get(id);
	if (event) return { event, instance: null };
	const occurrence = parseOccurrenceId(id);
	const master = occurrence ? mailbox.events.get(occurrence.masterId) : undefined;
	if (occurrence && master?.recurrence && !master.cancelled.has(occurrence.dateKey)) {
		const found = occurrenceOn(master, occurrence.dateKey);
		if (found) {
			const exception = master.exceptions.get(occurrence.dateKey) ?? null;
			return { event: master, instance: { ...found, start: exception?.start ?? found.start, end: exception?.end ?? found.end, exception } };
		}
	}
	if (!isWellFormedId(id)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
	throw notFound();
}

/** The zone and body format a request asks for, and the Preference-Applied header. @param {import('../router').Context} ctx */
function viewOptions(ctx) {
	const zone = preferredZone(parsePrefer(ctx.headers.prefer));
	const { bodyType, headers } = bodyPreference(ctx);
	const applied = [headers['preference-applied'], zone.asked ? `outlook.timezone="${zone.name}"` : undefined].filter(Boolean).join(', ');
	/** @type {Record<string, string>} */
	const out = applied ? { 'preference-applied': applied } : {};
	return { zone, bodyType, headers: out };
}

/**
 * Filters, orders, selects and pages event JSON for a list answer.
 * @param {import('../router').Context} ctx @param {Record<string, any>[]} items @param {string} context @param {(a: any, b: any) => number} defaultOrder
 * @param {Record<string, string>} headers
 */
function eventList(ctx, items, context, defaultOrder, headers) {
	let list = items;
	if (ctx.query.$filter !== undefined) {
		const filter = compileFilter(ctx.query.$filter, EVENT_ENTITY);
		list = list.filter((e) => filter.test(e));
	}
	list.sort(ctx.query.$orderby !== undefined ? compileOrderBy(ctx.query.$orderby, EVENT_ENTITY).comparator : defaultOrder);
	const { slice, nextLink } = pageBySkip(ctx, list);
	/** @type {Record<string, any>} */
	const body = { '@odata.context': context, value: slice.map((e) => applySelect(e, ctx.query.$select, EVENT_ENTITY)) };
	if (nextLink) body['@odata.nextLink'] = nextLink;
	return ctx.json(200, body, headers);
}

/** @param {import('../router').Router} router @param {CalendarEnv} env */
function registerCalendarRoutes(router, env) {
	const { store, access, logic } = env;
	const calendarContext = (/** @type {import('./outlook-access').Call} */ call) => `${call.ctx.sandbox.graphUrl}/v1.0/$metadata#users('${call.mailbox.id}')/calendars`;
	const eventContext = (/** @type {import('./outlook-access').Call} */ call) => `${call.ctx.sandbox.graphUrl}/v1.0/$metadata#users('${call.mailbox.id}')/events`;

	// ---- calendars ----
	access.route(router, 'GET', 'calendars', 'calendars.read', (call) => {
		const { ctx, mailbox } = call;
		let list = [...mailbox.calendars.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name)).map((c) => calendarJson(c, mailbox));
		if (ctx.query.$filter !== undefined) {
			const filter = compileFilter(ctx.query.$filter, CALENDAR_ENTITY);
			list = list.filter((c) => filter.test(c));
		}
		const { slice, nextLink } = pageBySkip(ctx, list);
		/** @type {Record<string, any>} */
		const body = { '@odata.context': calendarContext(call), value: slice.map((c) => applySelect(c, ctx.query.$select, CALENDAR_ENTITY)) };
		if (nextLink) body['@odata.nextLink'] = nextLink;
		return ctx.json(200, body);
	});
	access.route(router, 'POST', 'calendars', 'calendars.write', async (call) => {
		const body = await readObject(call.ctx);
		if (typeof body.name !== 'string' || body.name.trim() === '') throw httpError(400, 'ErrorInvalidRequest', 'The name property is required to create a calendar.');
		assertFreeCalendarName(call.mailbox, body.name, null);
		const calendar = store.addCalendar(call.mailbox, body.name, { color: typeof body.color === 'string' ? body.color : 'auto' });
		return call.ctx.json(201, { '@odata.context': `${calendarContext(call)}/$entity`, ...calendarJson(calendar, call.mailbox) });
	});
	access.route(router, 'GET', '(?:calendars/(?<calendarId>[^/]+)|calendar)', 'calendars.read', (call) => {
		const calendar = findCalendar(call.mailbox, call.params.calendarId);
		return call.ctx.json(200, { '@odata.context': `${calendarContext(call)}/$entity`, ...applySelect(calendarJson(calendar, call.mailbox), call.ctx.query.$select, CALENDAR_ENTITY) });
	});
	access.route(router, 'PATCH', '(?:calendars/(?<calendarId>[^/]+)|calendar)', 'calendars.write', async (call) => {
		const calendar = findCalendar(call.mailbox, call.params.calendarId);
		const body = await readObject(call.ctx);
		if (body.name !== undefined) {
			if (typeof body.name !== 'string' || body.name.trim() === '') throw httpError(400, 'ErrorInvalidRequest', 'name cannot be empty.');
			assertFreeCalendarName(call.mailbox, body.name, calendar.id);
			calendar.name = body.name;
		}
		if (typeof body.color === 'string') calendar.color = body.color;
		calendar.changeKey = store.changeKey();
		return call.ctx.json(200, { '@odata.context': `${calendarContext(call)}/$entity`, ...calendarJson(calendar, call.mailbox) });
	});
	access.route(router, 'DELETE', 'calendars/(?<calendarId>[^/]+)', 'calendars.write', (call) => {
		const calendar = findCalendar(call.mailbox, call.params.calendarId);
		if (calendar.isDefault) throw httpError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
		for (const event of [...call.mailbox.events.values()]) if (event.calendarId === calendar.id) store.removeEvent(call.mailbox, event);
		call.mailbox.calendars.delete(calendar.id);
		return call.ctx.send(204, null);
	});

	/** @param {Mailbox} mailbox @param {string} name @param {string | null} self */
	function assertFreeCalendarName(mailbox, name, self) {
		if ([...mailbox.calendars.values()].some((c) => c.id !== self && c.name.toLowerCase() === name.toLowerCase())) {
			throw httpError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
		}
	}

	// ---- events ----
	access.route(router, 'GET', `${CAL}events`, 'calendars.read', (call) => {
		const { ctx, mailbox } = call;
		const calendar = findCalendar(mailbox, call.params.calendarId);
		const { zone, bodyType, headers } = viewOptions(ctx);
		const items = [...mailbox.events.values()].filter((e) => e.calendarId === calendar.id).map((e) => eventJson(e, { zone, bodyType }));
		return eventList(ctx, items, eventContext(call), (a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime) || a.id.localeCompare(b.id), headers);
	});

	access.route(router, 'POST', `${CAL}events`, 'calendars.write', async (call) => {
		const { ctx, mailbox } = call;
		const calendar = findCalendar(mailbox, call.params.calendarId);
		const fields = logic.eventFields(await readObject(ctx), mailbox, null);
		const event = store.addEvent(mailbox, calendar.id, /** @type {any} */ (fields));
		logic.invite(mailbox, event);
		const { zone, bodyType, headers } = viewOptions(ctx);
		return ctx.json(201, { '@odata.context': `${eventContext(call)}/$entity`, ...eventJson(event, { zone, bodyType }) }, headers);
	});

	access.route(router, 'GET', EVENT, 'calendars.read', (call) => {
		const { event, instance } = inCalendar(call);
		const { zone, bodyType, headers } = viewOptions(call.ctx);
		const json = applySelect(eventJson(event, { zone, bodyType, instance }), call.ctx.query.$select, EVENT_ENTITY);
		return call.ctx.json(200, { '@odata.context': `${eventContext(call)}/$entity`, ...json }, headers);
	});

	access.route(router, 'PATCH', EVENT, 'calendars.write', async (call) => {
		const { ctx, mailbox } = call;
		const { event, instance } = inCalendar(call);
		const body = await readObject(ctx);
		if (instance) {
			const fields = logic.eventFields(body, mailbox, { ...event, start: instance.start, end: instance.end, recurrence: null });
			if ('recurrence' in fields && fields.recurrence) throw httpError(400, 'ErrorInvalidRequest', 'An occurrence cannot have its own recurrence.');
			const previous = event.exceptions.get(instance.dateKey);
			event.exceptions.set(instance.dateKey, {
				subject: fields.subject ?? previous?.subject, start: fields.start ?? instance.start, end: fields.end ?? instance.end, seq: store.next(),
			});
			store.touchEvent(event);
		} else {
			Object.assign(event, logic.eventFields(body, mailbox, event));
			store.touchEvent(event);
			logic.propagate(mailbox, event);
		}
		const { zone, bodyType, headers } = viewOptions(ctx);
		const fresh = findEvent(mailbox, instance ? call.params.eventId : event.id);
		return ctx.json(200, { '@odata.context': `${eventContext(call)}/$entity`, ...eventJson(fresh.event, { zone, bodyType, instance: fresh.instance }) }, headers);
	});

	access.route(router, 'DELETE', EVENT, 'calendars.write', (call) => {
		const { mailbox } = call;
		const { event, instance } = inCalendar(call);
		if (instance) {
			event.cancelled.set(instance.dateKey, store.next());
			store.touchEvent(event);
		} else {
			store.removeEvent(mailbox, event);
			logic.cancel(mailbox, event);
		}
		return call.ctx.send(204, null);
	});

	for (const [action, response] of /** @type {const} */ ([['accept', 'accepted'], ['tentativelyAccept', 'tentativelyAccepted'], ['decline', 'declined']])) {
		access.route(router, 'POST', `${EVENT}/${action}`, 'calendars.write', async (call) => {
			const { event } = inCalendar(call);
			logic.respond(call.mailbox, event, response, (await readJsonBody(call.ctx)) ?? {});
			return call.ctx.send(202, null);
		});
	}

	/** The event of the path, checked against the calendar named in it. @param {import('./outlook-access').Call} call */
	function inCalendar(call) {
		const found = findEvent(call.mailbox, call.params.eventId);
		if (call.params.calendarId !== undefined || /\/calendar\/events\//i.test(call.ctx.path)) {
			const calendar = findCalendar(call.mailbox, call.params.calendarId);
			if (found.event.calendarId !== calendar.id) throw notFound();
		}
		return found;
	}
}

module.exports = { registerCalendarRoutes, findCalendar, findEvent, viewOptions, eventList };
