/** Friendly repeat settings (daily / weekly on days / monthly, every N, until a date or N times) → Graph's patternedRecurrence. */
import type { IDataObject } from 'n8n-workflow';

import { InputValueError } from '../../shared/input';
import { parseTime } from './dateTime';

export type Frequency = 'daily' | 'weekly' | 'monthly';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

export interface RepeatSettings {
	frequency: Frequency;
	/** Every N days / weeks / months. */
	interval: unknown;
	/** Weekly: which days; empty = the start's weekday. */
	daysOfWeek?: string[];
	end: 'date' | 'count' | 'never';
	until?: unknown;
	count?: unknown;
	/** The series' first day (YYYY-MM-DD, the start's date in the event's time zone). */
	startDate: string;
	timeZone: string;
}

function wholeNumber(value: unknown, field: string, max: number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1 || number > max) {
		throw new InputValueError(field, `must be a whole number from 1 to ${max} (got "${String(value)}")`, 'Enter how many, e.g. 1.');
	}
	return number;
}

export function patternedRecurrence(settings: RepeatSettings): IDataObject {
	const interval = wholeNumber(settings.interval ?? 1, 'Repeat Every', 99);
	const startDay = new Date(`${settings.startDate}T00:00:00Z`);
	const pattern: IDataObject = { type: settings.frequency === 'monthly' ? 'absoluteMonthly' : settings.frequency, interval };
	if (settings.frequency === 'weekly') {
		const days = (settings.daysOfWeek ?? []).map((day) => String(day).toLowerCase());
		const unknown = days.find((day) => !WEEKDAYS.includes(day));
		if (unknown !== undefined) throw new InputValueError('Days of Week', `contains "${unknown}", which is not a weekday`, `Use ${WEEKDAYS.join(', ')}.`);
		pattern.daysOfWeek = days.length ? days : [WEEKDAYS[startDay.getUTCDay()]];
		pattern.firstDayOfWeek = 'sunday';
	}
	if (settings.frequency === 'monthly') pattern.dayOfMonth = startDay.getUTCDate();
	const range: IDataObject = { type: 'noEnd', startDate: settings.startDate, recurrenceTimeZone: settings.timeZone };
	if (settings.end === 'date') {
		const endDate = parseTime(settings.until, 'Repeat Until').wall.slice(0, 10);
		if (endDate < settings.startDate) {
			throw new InputValueError('Repeat Until', `(${endDate}) is before the first occurrence (${settings.startDate})`, 'Set a date on or after the start.');
		}
		Object.assign(range, { type: 'endDate', endDate });
	} else if (settings.end === 'count') {
		Object.assign(range, { type: 'numbered', numberOfOccurrences: wholeNumber(settings.count, 'Occurrences', 999) });
	}
	return { pattern, range };
}
