// @ts-check
'use strict';

/**
 * Recurring events: validating `patternedRecurrence` input, writing it back in Graph's full form, and
 * expanding a series into occurrences for a time window. Expansion runs on the wall clock of the recurrence's
 * time zone (`range.recurrenceTimeZone`, else the start's zone), so a 09:00 meeting stays at 09:00 across DST.
 * Patterns: daily, weekly (interval, daysOfWeek, firstDayOfWeek), absoluteMonthly, relativeMonthly,
 * absoluteYearly, relativeYearly; ranges: endDate, numbered, noEnd. Cancelled occurrences are skipped (they
 * still count for `numbered`), changed ones (exceptions) take their new start/end/subject.
 */

const { httpError } = require('../router');
const { ianaZone, utcToLocal, localToUtc } = require('./calendar-timezones');

const DAY = 24 * 60 * 60 * 1000;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEXES = ['first', 'second', 'third', 'fourth', 'last'];
const PATTERNS = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
const RANGES = ['endDate', 'noEnd', 'numbered'];
const MAX_STEPS = 20000;

/** @param {string} message */
const invalid = (message) => httpError(400, 'ErrorInvalidRequest', `Invalid recurrence: ${message}`);

/** @param {unknown} value @param {string[]} members @param {string} name */
function member(value, members, name) {
	const found = typeof value === 'string' ? members.find((m) => m.toLowerCase() === value.toLowerCase()) : undefined;
	if (!found) throw invalid(`${name} must be one of ${members.join(', ')}.`);
	return found;
}

/** @param {unknown} value @param {string} name */
function dateValue(value, name) {
	if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw invalid(`${name} must be a date (YYYY-MM-DD).`);
	return value;
}

/**
 * Client recurrence JSON → the stored form (400 on anything Graph would refuse). null stays null.
 * @param {any} value @param {string} startTimeZone
 */
function parseRecurrence(value, startTimeZone) {
	if (value === null || value === undefined) return null;
	const p = value.pattern;
	const r = value.range;
	if (!p || typeof p !== 'object' || !r || typeof r !== 'object') throw invalid('pattern and range are required.');
	const type = member(p.type, PATTERNS, 'pattern.type');
	const interval = p.interval ?? 1;
	if (!Number.isInteger(interval) || interval < 1 || interval > 999) throw invalid('pattern.interval must be a whole number from 1.');
	const daysOfWeek = Array.isArray(p.daysOfWeek) ? p.daysOfWeek.map((/** @type {unknown} */ d) => member(d, DAYS, 'pattern.daysOfWeek')) : [];
	if (['weekly', 'relativeMonthly', 'relativeYearly'].includes(type) && daysOfWeek.length === 0) throw invalid(`a ${type} pattern needs daysOfWeek.`);
	const dayOfMonth = p.dayOfMonth ?? 0;
	if (['absoluteMonthly', 'absoluteYearly'].includes(type) && (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 31)) throw invalid(`a ${type} pattern needs dayOfMonth 1–31.`);
	const month = p.month ?? 0;
	if (type.endsWith('Yearly') && (!Number.isInteger(month) || month < 1 || month > 12)) throw invalid(`a ${type} pattern needs month 1–12.`);
	const rangeType = member(r.type, RANGES, 'range.type');
	const startDate = dateValue(r.startDate, 'range.startDate');
	const endDate = rangeType === 'endDate' ? dateValue(r.endDate, 'range.endDate') : '0001-01-01';
	if (rangeType === 'endDate' && endDate < startDate) throw invalid('range.endDate is before range.startDate.');
	const count = rangeType === 'numbered' ? r.numberOfOccurrences : 0;
	if (rangeType === 'numbered' && (!Number.isInteger(count) || count < 1)) throw invalid('a numbered range needs numberOfOccurrences of 1 or more.');
	const zone = typeof r.recurrenceTimeZone === 'string' && r.recurrenceTimeZone ? r.recurrenceTimeZone : startTimeZone;
	if (!ianaZone(zone)) throw httpError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`);
	return {
		pattern: {
			type, interval, month, dayOfMonth, daysOfWeek,
			firstDayOfWeek: p.firstDayOfWeek === undefined ? 'sunday' : member(p.firstDayOfWeek, DAYS, 'pattern.firstDayOfWeek'),
			index: p.index === undefined ? 'first' : member(p.index, INDEXES, 'pattern.index'),
		},
		range: { type: rangeType, startDate, endDate, recurrenceTimeZone: zone, numberOfOccurrences: count },
	};
}

/** Graph's JSON of a stored recurrence. @param {any} recurrence */
function recurrenceJson(recurrence) {
	return recurrence ? structuredClone(recurrence) : null;
}

/** @param {string} date YYYY-MM-DD → day number */
const dayNumber = (date) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
/** @param {number} day */
const dateKey = (day) => new Date(day * DAY).toISOString().slice(0, 10);
/** @param {number} year @param {number} month 1-12 @param {number} dom */
const dayOf = (year, month, dom) => {
	const ms = Date.UTC(year, month - 1, dom);
	return new Date(ms).getUTCMonth() === month - 1 ? Math.floor(ms / DAY) : null;
};
/** Day of the index-th given weekday in a month (index last = the last one). @param {number} year @param {number} month @param {number} weekday @param {string} index */
function nthWeekday(year, month, weekday, index) {
	const days = [];
	for (let dom = 1; dom <= 31; dom += 1) {
		const day = dayOf(year, month, dom);
		if (day !== null && new Date(day * DAY).getUTCDay() === weekday) days.push(day);
	}
	return index === 'last' ? days[days.length - 1] : days[INDEXES.indexOf(index)] ?? null;
}

/**
 * Occurrence dates of a series, in order, as day numbers (local calendar of the recurrence's zone).
 * @param {any} recurrence @param {number} lastDay stop after this day
 */
function* occurrenceDays(recurrence, lastDay) {
	const { pattern, range } = recurrence;
	const start = dayNumber(range.startDate);
	const end = range.type === 'endDate' ? Math.min(dayNumber(range.endDate), lastDay) : lastDay;
	const weekdays = pattern.daysOfWeek.map((/** @type {string} */ d) => DAYS.indexOf(d));
	const startDate = new Date(start * DAY);
	let steps = 0;
	/** @param {number | null} day */
	const ok = (day) => day !== null && day >= start && day <= end;
	if (pattern.type === 'daily') {
		for (let day = start; day <= end && steps < MAX_STEPS; day += pattern.interval, steps += 1) yield day;
	} else if (pattern.type === 'weekly') {
		const first = DAYS.indexOf(pattern.firstDayOfWeek);
		const order = weekdays.map((/** @type {number} */ w) => (w - first + 7) % 7).sort((/** @type {number} */ a, /** @type {number} */ b) => a - b);
		for (let week = start - ((startDate.getUTCDay() - first + 7) % 7); week <= end && steps < MAX_STEPS; week += 7 * pattern.interval, steps += 1) {
			for (const offset of order) if (ok(week + offset)) yield week + offset;
		}
	} else {
		const yearly = pattern.type.endsWith('Yearly');
		const stepMonths = yearly ? 12 * pattern.interval : pattern.interval;
		let year = startDate.getUTCFullYear();
		let month = yearly ? pattern.month : startDate.getUTCMonth() + 1;
		for (; steps < MAX_STEPS; steps += 1) {
			const first = dayOf(year, month, 1);
			if (first === null || first > end) break;
			const candidates = pattern.type.startsWith('absolute')
				? [dayOf(year, month, pattern.dayOfMonth)]
				: weekdays.map((/** @type {number} */ w) => nthWeekday(year, month, w, pattern.index)).sort((/** @type {any} */ a, /** @type {any} */ b) => a - b);
			for (const day of candidates) if (ok(day)) yield /** @type {number} */ (day);
			month += stepMonths;
			while (month > 12) {
				month -= 12;
				year += 1;
			}
		}
	}
}

/**
 * Instances of a recurring event overlapping [from, to): `{ dateKey, start, end, originalStart, subject? }`.
 * @param {import('./outlook-store').CalendarEvent} event @param {number} from @param {number} to
 */
function expand(event, from, to) {
	const recurrence = event.recurrence;
	const zone = ianaZone(recurrence.range.recurrenceTimeZone) ?? 'Etc/UTC';
	const localStart = utcToLocal(event.start, zone);
	const timeOfDay = ((localStart % DAY) + DAY) % DAY;
	const duration = event.end - event.start;
	const lastDay = Math.floor((utcToLocal(to, zone)) / DAY) + 1;
	const out = [];
	let count = 0;
	for (const day of occurrenceDays(recurrence, lastDay)) {
		count += 1;
		if (recurrence.range.type === 'numbered' && count > recurrence.range.numberOfOccurrences) break;
		const key = dateKey(day);
		if (event.cancelled.has(key)) continue;
		const originalStart = localToUtc(day * DAY + timeOfDay, zone);
		const exception = event.exceptions.get(key);
		const start = exception?.start ?? originalStart;
		const end = exception?.end ?? originalStart + duration;
		if (start < to && end > from) out.push({ dateKey: key, start, end, originalStart, exception: exception ?? null });
	}
	return out;
}

/**
 * The occurrence a date key names, whether or not it is in any window (for GET/PATCH/DELETE of an
 * occurrence id); null when the series has no occurrence that day.
 * @param {import('./outlook-store').CalendarEvent} event @param {string} key
 */
function occurrenceOn(event, key) {
	const day = dayNumber(key);
	const zone = ianaZone(event.recurrence.range.recurrenceTimeZone) ?? 'Etc/UTC';
	const timeOfDay = ((utcToLocal(event.start, zone) % DAY) + DAY) % DAY;
	let count = 0;
	for (const candidate of occurrenceDays(event.recurrence, day)) {
		count += 1;
		if (event.recurrence.range.type === 'numbered' && count > event.recurrence.range.numberOfOccurrences) return null;
		if (candidate === day) {
			const originalStart = localToUtc(day * DAY + timeOfDay, zone);
			return { dateKey: key, originalStart, start: originalStart, end: originalStart + (event.end - event.start) };
		}
	}
	return null;
}

module.exports = { parseRecurrence, recurrenceJson, expand, occurrenceOn, DAYS };
