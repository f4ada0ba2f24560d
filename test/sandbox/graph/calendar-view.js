// @ts-check
'use strict';

/**
 * `GET /calendarView`, `/calendars/{id}/calendarView`, `/calendar/calendarView`: the single events, occurrences
 * and exceptions overlapping `startDateTime`–`endDateTime` (both required: 400 ErrorInvalidParameter), series
 * expanded, sorted by start unless `$orderby`; `GET /events/{id}/instances` (a series' occurrences and
 * exceptions in the window); and `GET /calendarView/delta` (default calendar) with the window
 * given once on the first request and kept in the tokens. Later rounds return the instances of events changed
 * since (created/updated), removed instances and events that left the window as `@removed`, as the docs say.
 * `$select`, `$filter`, `$orderby`, `$search`, `$expand` are not supported on the delta (400).
 */

const { httpError } = require('../router');
const { mergeApplied } = require('./outlook-odata');
const { eventJson, occurrenceId } = require('./calendar-json');
const { expand, occurrenceOn } = require('./calendar-recurrence');
const { parseWindowValue } = require('./calendar-timezones');
const { findCalendar, viewOptions, eventList } = require('./calendar-routes');
const { isWellFormedId } = require('./outlook-store');

/**
 * @typedef {import('./outlook-store').Mailbox} Mailbox
 * @typedef {import('./outlook-store').CalendarEvent} CalendarEvent
 */

/** Query parameter by name, case-insensitive (Graph's docs spell startdatetime both ways). @param {Record<string, string>} query @param {string} name */
function param(query, name) {
	return Object.entries(query).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/** The window of a calendarView request (400 when a bound is missing or unreadable). @param {import('../router').Context} ctx @param {string} zone */
function windowOf(ctx, zone) {
	const start = param(ctx.query, 'startDateTime');
	const end = param(ctx.query, 'endDateTime');
	if (!start || !end) {
		throw httpError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
	}
	return { from: parseWindowValue(start, zone, 'StartDateTime'), to: parseWindowValue(end, zone, 'EndDateTime') };
}

/**
 * Instances of one event in a window: the event itself (single) or its occurrences (series).
 * @param {CalendarEvent} event @param {number} from @param {number} to
 */
function instancesOf(event, from, to) {
	/** @type {Array<{ id: string, event: CalendarEvent, instance: ReturnType<typeof expand>[number] | null }>} */
	const out = [];
	if (event.recurrence) for (const instance of expand(event, from, to)) out.push({ id: occurrenceId(event.id, instance.dateKey), event, instance });
	else if (event.start < to && event.end > from) out.push({ id: event.id, event, instance: null });
	return out;
}

/**
 * @param {import('../router').Router} router
 * @param {import('./calendar-routes').CalendarEnv & { delta: ReturnType<typeof import('./outlook-delta').createDeltaEngine> }} env
 */
function registerCalendarView(router, env) {
	const { store, access, delta } = env;

	access.route(router, 'GET', 'calendarView/delta', 'calendars.read', ({ ctx, mailbox }) => {
		const { zone, bodyType, headers } = viewOptions(ctx);
		const { size, headers: pageHeaders } = delta.pageSize(ctx);
		const restartBase = `${ctx.sandbox.graphUrl}${ctx.path}`;
		const link = (/** @type {string} */ query) => `${restartBase}?${query}`;
		const render = (/** @type {import('./outlook-delta').DeltaEntry} */ entry) => {
			const current = entry.removed ? undefined : mailbox.events.get(entry.payload.eventId);
			const instance = current && entry.payload.dateKey ? liveInstance(current, entry.payload.dateKey) : null;
			if (!current || (entry.payload.dateKey && !instance)) return { '@odata.type': '#microsoft.graph.event', id: entry.id, '@removed': { reason: 'deleted' } };
			return eventJson(current, { zone, bodyType, instance });
		};
		const how = { link, render, context: `${ctx.sandbox.graphUrl}/v1.0/$metadata#Collection(event)` };
		const allHeaders = mergeApplied(headers, pageHeaders);

		if (ctx.query.$skiptoken !== undefined) {
			const { key, offset } = delta.resume(ctx.query.$skiptoken, mailbox, undefined);
			return ctx.json(200, delta.page(ctx, key, offset, size, how), allHeaders);
		}
		/** @type {Record<string, any>} */
		let state;
		/** @type {import('./outlook-delta').DeltaEntry[]} */
		let entries;
		if (ctx.query.$deltatoken !== undefined) {
			state = delta.deltaState(ctx.query.$deltatoken, mailbox, undefined);
			entries = changesSince(mailbox, state);
		} else {
			for (const option of ['$select', '$filter', '$orderby', '$search', '$expand']) {
				if (ctx.query[option] !== undefined) throw httpError(400, 'ErrorInvalidUrlQuery', `The query parameter '${option}' is not supported on calendarView delta.`);
			}
			const { from, to } = windowOf(ctx, zone.iana);
			state = { from, to };
			entries = defaultEvents(mailbox).flatMap((event) => instancesOf(event, from, to))
				.sort((a, b) => (a.instance?.start ?? a.event.start) - (b.instance?.start ?? b.event.start))
				.map(({ id, event, instance }) => ({ id, removed: false, payload: { eventId: event.id, dateKey: instance?.dateKey ?? null } }));
		}
		const key = delta.store({ entries, mailboxId: mailbox.id, generation: mailbox.syncGeneration, state: { from: state.from, to: state.to, s: store.seq } });
		return ctx.json(200, delta.page(ctx, key, 0, size, how), allHeaders);
	});

	access.route(router, 'GET', '(?:calendars/(?<calendarId>[^/]+)/|calendar/)?calendarView', 'calendars.read', (call) => {
		const { ctx, mailbox } = call;
		const calendar = findCalendar(mailbox, call.params.calendarId);
		const { zone, bodyType, headers } = viewOptions(ctx);
		const { from, to } = windowOf(ctx, zone.iana);
		const items = [...mailbox.events.values()].filter((e) => e.calendarId === calendar.id)
			.flatMap((event) => instancesOf(event, from, to))
			.map(({ event, instance }) => eventJson(event, { zone, bodyType, instance }));
		const startOf = (/** @type {any} */ e) => e.start.dateTime;
		return eventList(ctx, items, `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/calendarView`,
			(a, b) => startOf(a).localeCompare(startOf(b)) || a.id.localeCompare(b.id), headers);
	});

	access.route(router, 'GET', '(?:calendars/(?<calendarId>[^/]+)/|calendar/)?events/(?<eventId>[^/]+)/instances', 'calendars.read', (call) => {
		const { ctx, mailbox } = call;
		const event = mailbox.events.get(call.params.eventId);
		if (!event) {
			if (!isWellFormedId(call.params.eventId)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
			throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
		}
		const { zone, bodyType, headers } = viewOptions(ctx);
		const { from, to } = windowOf(ctx, zone.iana);
		const items = instancesOf(event, from, to).map(({ instance }) => eventJson(event, { zone, bodyType, instance }));
		return eventList(ctx, items, `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/events('${event.id}')/instances`,
			(a, b) => a.start.dateTime.localeCompare(b.start.dateTime) || a.id.localeCompare(b.id), headers);
	});

	/** @param {Mailbox} mailbox */
	const defaultEvents = (mailbox) => [...mailbox.events.values()].filter((e) => e.calendarId === mailbox.defaultCalendarId);

	/** @param {CalendarEvent} event @param {string} dateKey */
	function liveInstance(event, dateKey) {
		if (!event.recurrence || event.cancelled.has(dateKey)) return null;
		const found = occurrenceOn(event, dateKey);
		if (!found) return null;
		const exception = event.exceptions.get(dateKey) ?? null;
		return { ...found, start: exception?.start ?? found.start, end: exception?.end ?? found.end, exception };
	}

	/**
	 * Entries for a later round: instances (in the window) of events changed since the token, removed entries for
	 * cancelled occurrences, for deleted events' instances, and for changed events now outside the window.
	 * @param {Mailbox} mailbox @param {Record<string, any>} state
	 */
	function changesSince(mailbox, state) {
		const { from, to, s: since } = state;
		/** @type {Array<import('./outlook-delta').DeltaEntry & { seq: number }>} */
		const changes = [];
		for (const event of defaultEvents(mailbox)) {
			if (event.changeSeq <= since) continue;
			const instances = instancesOf(event, from, to);
			for (const { id, instance } of instances) changes.push({ id, removed: false, seq: event.changeSeq, payload: { eventId: event.id, dateKey: instance?.dateKey ?? null } });
			for (const [dateKey, seq] of event.cancelled) if (seq > since) changes.push({ id: occurrenceId(event.id, dateKey), removed: true, seq });
			if (instances.length === 0) changes.push({ id: event.id, removed: true, seq: event.changeSeq });
		}
		for (const { event, seq } of mailbox.eventTombstones) {
			if (seq <= since || event.calendarId !== mailbox.defaultCalendarId) continue;
			const instances = instancesOf(event, from, to);
			if (instances.length === 0) changes.push({ id: event.id, removed: true, seq });
			for (const { id } of instances) changes.push({ id, removed: true, seq });
		}
		return changes.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...entry }) => entry);
	}
}

module.exports = { registerCalendarView, windowOf, instancesOf };
