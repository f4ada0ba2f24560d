/**
 * Event times typed by users → Graph's `{ dateTime, timeZone }` and calendar-view instants, checked before
 * anything is sent. A time without an offset ("2026-03-02T10:00") is a wall-clock time in the Time Zone; one
 * with an offset or Z is an instant. IANA zones (Europe/Berlin) are converted here; Windows names
 * (W. Europe Standard Time) are handed to Microsoft as given, which this code cannot convert.
 */
import { InputValueError } from '../../shared/input';

export interface ZonedTime {
	dateTime: string;
	timeZone: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const ZONE = /^[A-Za-z][A-Za-z0-9 ._+\-/()]{0,99}$/;
const DATE_HINT = 'Use a date and time such as 2026-03-02T10:00:00 (taken in the Time Zone) or 2026-03-02T10:00:00Z.';

/** Whether Intl knows the zone (IANA names and UTC); Windows names are not known. */
function isIanaZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** A time zone name (IANA or Windows), or `fallback` when empty; refused naming the field when it cannot be one. */
export function readTimeZone(value: unknown, field: string, fallback: string): string {
	const zone = String(value ?? '').trim() || fallback;
	if (!ZONE.test(zone)) {
		throw new InputValueError(field, `is not a time zone name ("${zone}")`, 'Use an IANA name such as Europe/Berlin or a Windows name such as W. Europe Standard Time.');
	}
	return zone;
}

function textOf(value: unknown): string {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	const luxon = value as { toISO?: () => string | null } | null;
	if (luxon && typeof luxon === 'object' && typeof luxon.toISO === 'function') return String(luxon.toISO() ?? 'Invalid DateTime');
	return String(value ?? '').trim();
}

/** `{ wall: 'YYYY-MM-DDTHH:mm:ss', offset? }`; a missing time is midnight. Refuses anything else naming the field. */
export function parseTime(value: unknown, field: string): { wall: string; offset?: string } {
	const text = textOf(value);
	const match = ISO.exec(text);
	const wall = match ? `${match[1]}-${match[2]}-${match[3]}T${match[4] ?? '00'}:${match[5] ?? '00'}:${match[6] ?? '00'}` : '';
	// Date.parse rolls 2026-02-30 over to March: the round trip catches it.
	if (!match || !Number.isFinite(Date.parse(`${wall}Z`)) || new Date(`${wall}Z`).toISOString().slice(0, 19) !== wall) {
		throw new InputValueError(field, text ? `is not a date and time ("${text}")` : 'is empty', DATE_HINT);
	}
	const offset = match[7]?.toUpperCase();
	return { wall, ...(offset ? { offset: offset === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') } : {}) };
}

/** The wall-clock time of an instant in an IANA zone. */
function wallIn(instant: number, zone: string): string {
	const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
	const part = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

/** The instant a wall-clock time in an IANA zone stands for. */
function instantIn(wall: string, zone: string): number {
	const asUtc = Date.parse(`${wall}Z`);
	let guess = asUtc;
	for (let round = 0; round < 3; round++) guess = asUtc - (Date.parse(`${wallIn(guess, zone)}Z`) - guess);
	return guess;
}

/** A user's time as Graph's dateTimeTimeZone in `zone` (an instant under a Windows zone is sent as UTC). */
export function toZonedTime(value: unknown, zone: string, field: string): ZonedTime {
	const { wall, offset } = parseTime(value, field);
	if (!offset) return { dateTime: wall, timeZone: zone };
	const instant = Date.parse(`${wall}${offset}`);
	return isIanaZone(zone) ? { dateTime: wallIn(instant, zone), timeZone: zone } : { dateTime: new Date(instant).toISOString().slice(0, 19), timeZone: 'UTC' };
}

/** A user's time as an instant (ISO, UTC); a time without an offset is taken in `zone`, which must then be IANA. */
export function toInstant(value: unknown, zone: string, field: string): string {
	const { wall, offset } = parseTime(value, field);
	if (offset) return new Date(Date.parse(`${wall}${offset}`)).toISOString();
	if (!isIanaZone(zone)) {
		throw new InputValueError(field, `has no offset and the time zone "${zone}" is not an IANA name`, 'Add an offset (e.g. 2026-03-02T10:00:00+01:00) or use an IANA time zone such as Europe/Berlin.');
	}
	return new Date(instantIn(wall, zone)).toISOString();
}

/** Start and end as Graph takes them; refuses an end before the start (naming "End") before anything is sent. */
export function eventTimes(start: unknown, end: unknown, zone: string, names = { start: 'Start', end: 'End' }): { start: ZonedTime; end: ZonedTime } {
	const from = toZonedTime(start, zone, names.start);
	const to = toZonedTime(end, zone, names.end);
	if (from.timeZone !== to.timeZone) {
		throw new InputValueError(names.end, `and "${names.start}" must both have an offset or both have none when the time zone is a Windows name ("${zone}")`, 'Give both times the same way, or use an IANA time zone such as Europe/Berlin.');
	}
	if (to.dateTime < from.dateTime) {
		throw new InputValueError(names.end, `(${to.dateTime}) is before "${names.start}" (${from.dateTime})`, 'Set an end at or after the start.');
	}
	return { start: from, end: to };
}
