/** Event times and repeat settings: wall-clock vs offset times, IANA vs Windows zones, DST, refusals naming the field. */
import { eventTimes, parseTime, readTimeZone, toInstant, toZonedTime } from '../../../nodes/Microsoft/Outlook/helpers/dateTime';
import { patternedRecurrence } from '../../../nodes/Microsoft/Outlook/helpers/recurrence';

describe('times', () => {
	it('a time without an offset is a wall-clock time in the zone; date only is midnight', () => {
		expect(toZonedTime('2030-03-04T09:00', 'Europe/Berlin', 'Start')).toEqual({ dateTime: '2030-03-04T09:00:00', timeZone: 'Europe/Berlin' });
		expect(toZonedTime('2030-03-04', 'UTC', 'Start')).toEqual({ dateTime: '2030-03-04T00:00:00', timeZone: 'UTC' });
	});

	it('an instant is converted into an IANA zone (DST both sides), or sent as UTC under a Windows name', () => {
		expect(toZonedTime('2030-01-15T09:00:00Z', 'Europe/Berlin', 'Start').dateTime).toBe('2030-01-15T10:00:00');
		expect(toZonedTime('2030-07-15T09:00:00+0000', 'Europe/Berlin', 'Start').dateTime).toBe('2030-07-15T11:00:00');
		expect(toZonedTime(new Date('2030-07-15T09:00:00Z'), 'America/New_York', 'Start').dateTime).toBe('2030-07-15T05:00:00');
		expect(toZonedTime({ toISO: () => '2030-07-15T09:00:00.000+02:00' }, 'UTC', 'Start').dateTime).toBe('2030-07-15T07:00:00');
		expect(toZonedTime('2030-07-15T09:00:00+02:00', 'W. Europe Standard Time', 'Start')).toEqual({ dateTime: '2030-07-15T07:00:00', timeZone: 'UTC' });
	});

	it('calendar view bounds: a wall-clock time in an IANA zone becomes the right instant (also on DST days)', () => {
		expect(toInstant('2030-07-01T11:30:00', 'Europe/Berlin', 'Start')).toBe('2030-07-01T09:30:00.000Z');
		expect(toInstant('2030-03-31T12:00:00', 'Europe/Berlin', 'Start')).toBe('2030-03-31T10:00:00.000Z');
		expect(toInstant('2030-03-31T01:00:00', 'Europe/Berlin', 'Start')).toBe('2030-03-31T00:00:00.000Z');
		expect(() => toInstant('2030-07-01T11:30:00', 'Pacific Standard Time', 'Start')).toThrow(/^"Start" has no offset/);
	});

	it('refuses bad dates, an end before the start and odd zone names, naming the field', () => {
		expect(() => parseTime('2030-02-30', 'Start')).toThrow(/^"Start" is not a date and time/);
		expect(() => parseTime('', 'End')).toThrow(/^"End" is empty/);
		expect(() => eventTimes('2030-01-01T10:00', '2030-01-01T09:59', 'UTC')).toThrow(/^"End" \(2030-01-01T09:59:00\) is before "Start"/);
		expect(() => eventTimes('2030-01-01T10:00Z', '2030-01-01T11:00', 'Pacific Standard Time')).toThrow(/^"End" and "Start" must both have an offset/);
		expect(eventTimes('2030-01-01T10:00', '2030-01-01T10:00', 'UTC').end.dateTime).toBe('2030-01-01T10:00:00');
		expect(() => readTimeZone('UTC"\r\nX: 1', 'Time Zone', 'UTC')).toThrow(/^"Time Zone" is not a time zone name/);
		expect(readTimeZone('', 'Time Zone', 'Europe/Paris')).toBe('Europe/Paris');
	});
});

describe('repeat settings → patternedRecurrence', () => {
	const base = { interval: 1, end: 'never' as const, startDate: '2030-04-03', timeZone: 'Europe/Berlin' };

	it('weekly without days repeats on the start\'s weekday; monthly on its day of month', () => {
		expect(patternedRecurrence({ ...base, frequency: 'weekly' }).pattern).toEqual({ type: 'weekly', interval: 1, daysOfWeek: ['wednesday'], firstDayOfWeek: 'sunday' });
		expect(patternedRecurrence({ ...base, frequency: 'monthly', interval: 2 }).pattern).toEqual({ type: 'absoluteMonthly', interval: 2, dayOfMonth: 3 });
	});

	it('ends on a date, after a count, or never', () => {
		expect(patternedRecurrence({ ...base, frequency: 'daily', end: 'date', until: '2030-04-30T00:00:00' }).range).toEqual({ type: 'endDate', startDate: '2030-04-03', endDate: '2030-04-30', recurrenceTimeZone: 'Europe/Berlin' });
		expect(patternedRecurrence({ ...base, frequency: 'daily', end: 'count', count: '4' }).range).toEqual(expect.objectContaining({ type: 'numbered', numberOfOccurrences: 4 }));
		expect(patternedRecurrence({ ...base, frequency: 'daily' }).range).toEqual(expect.objectContaining({ type: 'noEnd' }));
	});

	it('refuses what Outlook would refuse, naming the field', () => {
		expect(() => patternedRecurrence({ ...base, frequency: 'daily', interval: 0 })).toThrow(/^"Repeat Every"/);
		expect(() => patternedRecurrence({ ...base, frequency: 'weekly', daysOfWeek: ['funday'] })).toThrow(/^"Days of Week" contains "funday"/);
		expect(() => patternedRecurrence({ ...base, frequency: 'daily', end: 'date', until: '2030-04-02' })).toThrow(/^"Repeat Until" \(2030-04-02\) is before/);
		expect(() => patternedRecurrence({ ...base, frequency: 'daily', end: 'count', count: 1.5 })).toThrow(/^"Occurrences"/);
	});
});
