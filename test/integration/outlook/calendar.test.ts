/**
 * The Calendar resource of the Outlook node inside n8n-core against the sandbox: create, get (Simplified, Raw,
 * Selected Fields with $select), Get Many (all, limit), update, delete, the calendar picker, bad IDs and names
 * refused before anything is sent, and app-only on Alice's mailbox by address.
 */
import type { IDataObject } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS } from '../../harness/badInput';
import { badInputRunner, graphList, withOutlookFixture } from './calendarTestKit';
import { ALICE, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { listSearch, requestLines } from './mailTestKit';

let env: OutlookFixture;
withOutlookFixture((fixture) => (env = fixture));

async function createCalendar(name: string, color = 'lightGreen'): Promise<IDataObject> {
	const out = await env.run({ resource: 'calendar', operation: 'create', calendarName: name, color });
	expect(out).toHaveLength(1);
	return out[0].json;
}

async function calendarsOfAlice(): Promise<IDataObject[]> {
	return await graphList(env, '/me/calendars');
}

describe('create', () => {
	it('creates a calendar with name and colour and returns it simplified', async () => {
		const created = await createCalendar('Projects 2030', 'lightTeal');
		expect(created).toEqual(expect.objectContaining({ name: 'Projects 2030', color: 'lightTeal', isDefaultCalendar: false }));
		expect(typeof created.id).toBe('string');
		expect(requestLines(env)).toEqual([expect.stringMatching(/^POST api \/v1\.0\/me\/calendars$/)]);
		const stored = (await calendarsOfAlice()).find((calendar) => calendar.id === created.id);
		expect(stored).toEqual(expect.objectContaining({ name: 'Projects 2030', color: 'lightTeal' }));
	});

	it('refuses an empty or broken name before sending anything', async () => {
		await expect(env.run({ resource: 'calendar', operation: 'create', calendarName: '   ' })).rejects.toThrow(/^"Name" is empty/);
		await expect(env.run({ resource: 'calendar', operation: 'create', calendarName: 'Team \uD83D' })).rejects.toThrow(/^"Name" contains a broken character/);
		expect(env.requests()).toHaveLength(0);
	});
});

describe('get', () => {
	it('reads one calendar: Simplified asks only for what it shows, Raw for everything, Selected Fields for the chosen ones', async () => {
		const created = await createCalendar('Read me');
		env.clearRequests();
		const [simple] = await env.run({ resource: 'calendar', operation: 'get', calendarId: rl('list', String(created.id)) });
		expect(simple.json).toEqual(expect.objectContaining({ id: created.id, name: 'Read me', color: 'lightGreen', isDefaultCalendar: false }));
		expect(decodeURIComponent(env.requests()[0].query)).toContain('$select=id,name,color,isDefaultCalendar,canEdit,owner');

		const [raw] = await env.run({ resource: 'calendar', operation: 'get', calendarId: rl('id', String(created.id)), output: 'raw' });
		expect(raw.json).toEqual(expect.objectContaining({ id: created.id, name: 'Read me', changeKey: expect.any(String) }));
		expect(env.requests()[1].query).toBe('');

		const [fields] = await env.run({ resource: 'calendar', operation: 'get', calendarId: rl('id', String(created.id)), output: 'fields', fields: ['name'] });
		expect(fields.json).toEqual({ id: created.id, name: 'Read me' });
		expect(decodeURIComponent(env.requests()[2].query)).toContain('$select=id,name');
	});

	it('a calendar that does not exist fails with Microsoft\'s answer', async () => {
		await expect(env.run({ resource: 'calendar', operation: 'get', calendarId: rl('id', 'AAMkAGNvbnRvc28tbm90LWEtY2FsZW5kYXI=') })).rejects.toThrow();
		expect(env.requests()).toHaveLength(1);
	});
});

describe('picker', () => {
	it('lists the calendars (default first) and filters by name', async () => {
		await createCalendar('Picker Holidays');
		const all = await listSearch(env, 'searchCalendars', {});
		expect(all.results[0]).toEqual({ name: 'Calendar (default)', value: expect.any(String) });
		expect(all.results.map((entry) => entry.name)).toContain('Picker Holidays');
		const found = await listSearch(env, 'searchCalendars', {}, 'holi');
		expect(found.results.map((entry) => entry.name)).toEqual(['Picker Holidays']);
	});
});

describe('getAll', () => {
	it('lists every calendar, the default one among them; a limit asks for no more than it needs', async () => {
		await createCalendar('List A');
		await createCalendar('List B');
		env.clearRequests();
		const all = (await env.run({ resource: 'calendar', operation: 'getAll', returnAll: true })).map((item) => item.json);
		const names = all.map((calendar) => calendar.name);
		expect(names).toEqual(expect.arrayContaining(['Calendar', 'List A', 'List B']));
		expect(all.find((calendar) => calendar.name === 'Calendar')?.isDefaultCalendar).toBe(true);
		expect(all.length).toBe((await calendarsOfAlice()).length);
		expect(decodeURIComponent(env.requests()[0].query)).toContain('$top=1000');

		env.clearRequests();
		const two = await env.run({ resource: 'calendar', operation: 'getAll', returnAll: false, limit: 2 });
		expect(two).toHaveLength(2);
		expect(env.requests()).toHaveLength(1);
		expect(decodeURIComponent(env.requests()[0].query)).toContain('$top=2');
	});

	it('follows every page to the end', async () => {
		// More calendars than one page of 1,000: the node must follow @odata.nextLink until there is none.
		const { store } = env.sandbox.outlook;
		const mailbox = store.findMailbox(ALICE.id);
		const before = (await calendarsOfAlice()).length;
		for (let index = 0; index < 1001 - before + 5; index++) store.addCalendar(mailbox, `Bulk ${String(index).padStart(4, '0')}`);
		env.clearRequests();
		const all = await env.run({ resource: 'calendar', operation: 'getAll', returnAll: true });
		expect(all.length).toBeGreaterThan(1000);
		expect(new Set(all.map((item) => item.json.id)).size).toBe(all.length);
		const pages = env.requests().filter((r) => r.path.endsWith('/calendars')).length;
		expect(all.length).toBe((await calendarsOfAlice()).length);
		expect(pages).toBe(2);
	}, 60_000);
});

describe('update and delete', () => {
	it('renames and recolours; an empty Update Fields is refused', async () => {
		const created = await createCalendar('Old name');
		env.clearRequests();
		const [updated] = await env.run({ resource: 'calendar', operation: 'update', calendarId: rl('id', String(created.id)), calendarUpdateFields: { name: 'New name', color: 'lightRed' } });
		expect(updated.json).toEqual(expect.objectContaining({ id: created.id, name: 'New name', color: 'lightRed' }));
		expect(requestLines(env)).toEqual([expect.stringMatching(/^PATCH api \/v1\.0\/me\/calendars\//)]);
		expect((await calendarsOfAlice()).find((calendar) => calendar.id === created.id)?.name).toBe('New name');

		env.clearRequests();
		await expect(env.run({ resource: 'calendar', operation: 'update', calendarId: rl('id', String(created.id)), calendarUpdateFields: {} })).rejects.toThrow(/"Update Fields" is empty/);
		expect(env.requests()).toHaveLength(0);
	});

	it('the default calendar is not deleted, and the error says why', async () => {
		const defaultId = String((await calendarsOfAlice()).find((calendar) => calendar.isDefaultCalendar)?.id);
		const error = await env.run({ resource: 'calendar', operation: 'delete', calendarId: rl('id', defaultId) }).catch((caught: Error & { description?: string }) => caught);
		expect(error).toBeInstanceOf(Error);
		expect((error as { description?: string }).description).toContain("mailbox's default calendar");
		expect((await calendarsOfAlice()).some((calendar) => calendar.id === defaultId)).toBe(true);
	});

	it('deletes a calendar and returns { deleted, id }', async () => {
		const created = await createCalendar('Short-lived');
		const [out] = await env.run({ resource: 'calendar', operation: 'delete', calendarId: rl('list', String(created.id)) });
		expect(out.json).toEqual({ deleted: true, id: created.id });
		expect((await calendarsOfAlice()).some((calendar) => calendar.id === created.id)).toBe(false);
	});
});

describe('bad input', () => {
	const counter = { tried: 0 };
	it('every Calendar ID is refused before sending, whatever the operation', async () => {
		const refuses = badInputRunner(env, counter);
		await refuses('Calendar', BAD_PATH_SEGMENTS, (value) => ({ resource: 'calendar', operation: 'get', calendarId: rl('id', value) }));
		await refuses('Calendar', BAD_PATH_SEGMENTS, (value) => ({ resource: 'calendar', operation: 'update', calendarId: rl('id', value), calendarUpdateFields: { name: 'x' } }));
		await refuses('Calendar', BAD_PATH_SEGMENTS, (value) => ({ resource: 'calendar', operation: 'delete', calendarId: rl('list', value) }));
		await refuses('Name', [{ label: 'lone surrogate', value: '\uDC00' }, { label: 'blank', value: '  ' }], (value) => ({ resource: 'calendar', operation: 'create', calendarName: value }));
		expect(counter.tried).toBe(BAD_PATH_SEGMENTS.length * 3 + 2);
	});
});

describe('app-only', () => {
	it('creates, lists and deletes calendars in Alice\'s mailbox by address', async () => {
		const appOnly = await startOutlookFixture({ authentication: 'clientCredentials' });
		try {
			const [created] = await appOnly.run({ resource: 'calendar', operation: 'create', calendarName: 'App calendar' });
			expect(created.json.name).toBe('App calendar');
			expect(appOnly.requests().some((r) => /^\/v1\.0\/users\/alice%40contoso\.onmicrosoft\.com\/calendars$/i.test(r.path))).toBe(true);
			const listed = await appOnly.run({ resource: 'calendar', operation: 'getAll', returnAll: true });
			expect(listed.map((item) => item.json.name)).toEqual(expect.arrayContaining(['Calendar', 'App calendar']));
			const [deleted] = await appOnly.run({ resource: 'calendar', operation: 'delete', calendarId: rl('id', String(created.json.id)) });
			expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
		} finally {
			await appOnly.stop();
		}
	}, 60_000);
});
