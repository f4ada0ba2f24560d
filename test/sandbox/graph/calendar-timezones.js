// @ts-check
'use strict';

/**
 * Time zones as Outlook names them: Windows names ("W. Europe Standard Time") and IANA names
 * ("Europe/Berlin"), both accepted in `dateTimeTimeZone.timeZone` and in `Prefer: outlook.timezone="…"`.
 * Windows names map to IANA through CLDR's windowsZones table (territory 001); conversion uses the ICU
 * data of Node's Intl. `dateTime` values are written like Graph writes them: `2026-03-10T15:00:00.0000000`.
 */

const { httpError } = require('../router');

/** CLDR windowsZones, territory "001" (a subset: the zones people use). */
const WINDOWS_TO_IANA = /** @type {Record<string, string>} */ ({
	'Dateline Standard Time': 'Etc/GMT+12',
	'UTC-11': 'Etc/GMT+11',
	'Hawaiian Standard Time': 'Pacific/Honolulu',
	'Alaskan Standard Time': 'America/Anchorage',
	'Pacific Standard Time': 'America/Los_Angeles',
	'US Mountain Standard Time': 'America/Phoenix',
	'Mountain Standard Time': 'America/Denver',
	'Central America Standard Time': 'America/Guatemala',
	'Central Standard Time': 'America/Chicago',
	'Canada Central Standard Time': 'America/Regina',
	'SA Pacific Standard Time': 'America/Bogota',
	'Eastern Standard Time': 'America/New_York',
	'Atlantic Standard Time': 'America/Halifax',
	'Newfoundland Standard Time': 'America/St_Johns',
	'E. South America Standard Time': 'America/Sao_Paulo',
	'Argentina Standard Time': 'America/Argentina/Buenos_Aires',
	'UTC': 'Etc/UTC',
	'GMT Standard Time': 'Europe/London',
	'Greenwich Standard Time': 'Atlantic/Reykjavik',
	'W. Europe Standard Time': 'Europe/Berlin',
	'Central Europe Standard Time': 'Europe/Budapest',
	'Romance Standard Time': 'Europe/Paris',
	'Central European Standard Time': 'Europe/Warsaw',
	'W. Central Africa Standard Time': 'Africa/Lagos',
	'GTB Standard Time': 'Europe/Bucharest',
	'FLE Standard Time': 'Europe/Kiev',
	'Israel Standard Time': 'Asia/Jerusalem',
	'South Africa Standard Time': 'Africa/Johannesburg',
	'Egypt Standard Time': 'Africa/Cairo',
	'Turkey Standard Time': 'Europe/Istanbul',
	'Russian Standard Time': 'Europe/Moscow',
	'Arabic Standard Time': 'Asia/Baghdad',
	'Arab Standard Time': 'Asia/Riyadh',
	'Arabian Standard Time': 'Asia/Dubai',
	'Iran Standard Time': 'Asia/Tehran',
	'Pakistan Standard Time': 'Asia/Karachi',
	'India Standard Time': 'Asia/Kolkata',
	'Nepal Standard Time': 'Asia/Kathmandu',
	'Bangladesh Standard Time': 'Asia/Dhaka',
	'SE Asia Standard Time': 'Asia/Bangkok',
	'China Standard Time': 'Asia/Shanghai',
	'Singapore Standard Time': 'Asia/Singapore',
	'Taipei Standard Time': 'Asia/Taipei',
	'Tokyo Standard Time': 'Asia/Tokyo',
	'Korea Standard Time': 'Asia/Seoul',
	'W. Australia Standard Time': 'Australia/Perth',
	'Cen. Australia Standard Time': 'Australia/Adelaide',
	'E. Australia Standard Time': 'Australia/Brisbane',
	'AUS Eastern Standard Time': 'Australia/Sydney',
	'New Zealand Standard Time': 'Pacific/Auckland',
	'Tonga Standard Time': 'Pacific/Tongatapu',
});

/** @type {Map<string, Intl.DateTimeFormat>} */
const formatters = new Map();

/**
 * The IANA zone for a Windows or IANA name, or null when unknown.
 * @param {string | undefined | null} name
 */
function ianaZone(name) {
	if (!name) return null;
	const trimmed = String(name).trim();
	if (/^(utc|etc\/utc|gmt|coordinated universal time|tzone:\/\/microsoft\/utc)$/i.test(trimmed)) return 'Etc/UTC';
	const windows = Object.keys(WINDOWS_TO_IANA).find((key) => key.toLowerCase() === trimmed.toLowerCase());
	if (windows) return WINDOWS_TO_IANA[windows];
	try {
		return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
	} catch {
		return null;
	}
}

/** Outlook's answer to a zone it does not know. @param {string} name */
function unsupportedZone(name) {
	return httpError(400, 'TimeZoneNotSupportedException', `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`);
}

/** The IANA zone of a name, or 400 TimeZoneNotSupportedException. @param {string} name */
function requireZone(name) {
	const zone = ianaZone(name);
	if (!zone) throw unsupportedZone(name);
	return zone;
}

/** Offset of a zone at an instant, in ms (local = utc + offset). @param {string} zone @param {number} utcMs */
function offsetMs(zone, utcMs) {
	let format = formatters.get(zone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
		});
		formatters.set(zone, format);
	}
	/** @type {Record<string, number>} */
	const parts = {};
	for (const part of format.formatToParts(new Date(utcMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
	const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
	return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone ("local ms" = the wall time read as if it were UTC). In a DST gap
 * the time is moved forward, in an overlap the first instant wins, as Exchange does.
 * @param {number} localMs @param {string} zone
 */
function localToUtc(localMs, zone) {
	let guess = localMs - offsetMs(zone, localMs);
	for (let i = 0; i < 3; i += 1) {
		const next = localMs - offsetMs(zone, guess);
		if (next === guess) break;
		guess = next;
	}
	return guess;
}

/** Wall time of an instant in a zone, as "local ms". @param {number} utcMs @param {string} zone */
function utcToLocal(utcMs, zone) {
	return utcMs + offsetMs(zone, utcMs);
}

/** `YYYY-MM-DDTHH:mm:ss.0000000` of a local-ms value. @param {number} localMs */
function formatLocal(localMs) {
	return `${new Date(localMs).toISOString().slice(0, 19)}.0000000`;
}

/**
 * `{ dateTime, timeZone }` → instant. A trailing Z or offset in dateTime is ignored like Outlook does;
 * the zone decides.
 * @param {any} value @param {string} field for messages
 */
function parseDateTimeTimeZone(value, field) {
	if (!value || typeof value !== 'object' || typeof value.dateTime !== 'string') {
		throw httpError(400, 'ErrorInvalidRequest', `The ${field} property needs { dateTime, timeZone }.`);
	}
	const zone = requireZone(value.timeZone ?? 'UTC');
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/.exec(value.dateTime);
	if (!m) throw httpError(400, 'ErrorInvalidRequest', `Cannot convert the literal '${value.dateTime}' to the expected type 'Edm.DateTimeOffset'.`);
	const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
	return localToUtc(local, zone);
}

/**
 * An instant as Graph's dateTimeTimeZone in the zone asked for (its name echoed as given).
 * @param {number} utcMs @param {{ name: string, iana: string }} zone
 */
function toDateTimeTimeZone(utcMs, zone) {
	return { dateTime: formatLocal(utcToLocal(utcMs, zone.iana)), timeZone: zone.name };
}

/** The zone of `Prefer: outlook.timezone` (UTC when absent; 400 when unknown). @param {Map<string, string>} prefs */
function preferredZone(prefs) {
	const name = prefs.get('outlook.timezone');
	if (name === undefined || name === '') return { name: 'UTC', iana: 'Etc/UTC', asked: false };
	return { name, iana: requireZone(name), asked: true };
}

/**
 * Query time window values (`startDateTime` / `endDateTime`): ISO text; without an offset it is read in the
 * preferred zone (UTC by default), like Graph.
 * @param {string} value @param {string} zone @param {string} name
 */
function parseWindowValue(value, zone, name) {
	if (/(?:Z|[+-]\d{2}:?\d{2})$/.test(value)) {
		const ms = Date.parse(value);
		if (!Number.isNaN(ms)) return ms;
	} else {
		const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(value);
		if (m) return localToUtc(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)), zone);
	}
	throw httpError(400, 'ErrorInvalidParameter', `The value '${value}' of parameter '${name}' is invalid.`);
}

module.exports = {
	WINDOWS_TO_IANA, ianaZone, requireZone, unsupportedZone, offsetMs, localToUtc, utcToLocal, formatLocal,
	parseDateTimeTimeZone, toDateTimeTimeZone, preferredZone, parseWindowValue,
};
