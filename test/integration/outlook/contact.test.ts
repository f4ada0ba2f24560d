/**
 * The Contact resource of the Outlook node inside n8n-core against the sandbox: create (names, addresses,
 * phones, company, birthday), get (output shapes), Get Many (every page to the end, a limit, a name search
 * with an OData-quoted value), update (PATCH once), delete, the contact picker, bad input refused before
 * anything is sent, and app-only on Alice's mailbox by address.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS } from '../../harness/badInput';
import { badInputRunner, graphList, withOutlookFixture } from './calendarTestKit';
import { ALICE, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { listSearch, requestLines } from './mailTestKit';

let env: OutlookFixture;
withOutlookFixture((fixture) => (env = fixture));

function contactParams(operation: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'contact', operation, ...extra };
}

async function createContact(givenName: string, extra: INodeParameters = {}): Promise<IDataObject> {
	const out = await env.run(contactParams('create', { givenName, ...extra }));
	expect(out).toHaveLength(1);
	return out[0].json;
}

async function aliceContact(id: string): Promise<IDataObject> {
	const response = await env.graph('GET', `/me/contacts/${encodeURIComponent(id)}`);
	expect(response.status).toBe(200);
	return response.body as IDataObject;
}

describe('create and get', () => {
	it('creates a contact with addresses, phones, company and birthday and returns it simplified', async () => {
		const created = await createContact('Dana', {
			surname: 'Scully',
			contactFields: {
				emailAddresses: 'dana@fbi.example, Dana Home <dana@home.example>',
				businessPhones: '+1 202 555 0100, +1 202 555 0101',
				mobilePhone: '+1 202 555 0199',
				companyName: 'FBI',
				jobTitle: 'Special Agent',
				birthday: '1964-02-23',
				categories: 'Work',
				personalNotes: 'Trust no one',
			},
		});
		expect(created).toEqual(
			expect.objectContaining({
				givenName: 'Dana',
				surname: 'Scully',
				emails: ['dana@fbi.example', 'Dana Home <dana@home.example>'],
				businessPhones: ['+1 202 555 0100', '+1 202 555 0101'],
				mobilePhone: '+1 202 555 0199',
				companyName: 'FBI',
				jobTitle: 'Special Agent',
				categories: ['Work'],
			}),
		);
		expect(requestLines(env)).toEqual([expect.stringMatching(/^POST api \/v1\.0\/me\/contacts$/)]);
		const stored = await aliceContact(String(created.id));
		expect(stored).toEqual(expect.objectContaining({ personalNotes: 'Trust no one', birthday: expect.stringMatching(/^1964-02-23T00:00:00/) }));
		expect(stored.emailAddresses).toEqual([expect.objectContaining({ address: 'dana@fbi.example' }), { address: 'dana@home.example', name: 'Dana Home' }]);
	});

	it('get: Simplified, Raw and Selected Fields ($select sent)', async () => {
		const created = await createContact('Fox', { surname: 'Mulder' });
		env.clearRequests();
		const [simple] = await env.run(contactParams('get', { contactId: rl('list', String(created.id)) }));
		expect(simple.json).toEqual(expect.objectContaining({ id: created.id, givenName: 'Fox', surname: 'Mulder' }));
		expect(decodeURIComponent(env.requests()[0].query)).toContain('$select=id,displayName,givenName,surname');
		const [raw] = await env.run(contactParams('get', { contactId: rl('id', String(created.id)), output: 'raw' }));
		expect(raw.json).toEqual(expect.objectContaining({ id: created.id, givenName: 'Fox', changeKey: expect.any(String) }));
		const [fields] = await env.run(contactParams('get', { contactId: rl('id', String(created.id)), output: 'fields', fields: ['surname'] }));
		expect(fields.json).toEqual({ id: created.id, surname: 'Mulder' });
	});
});

describe('getAll', () => {
	it('follows every page to the end; a limit asks for no more than it needs', async () => {
		for (let index = 0; index < 1003; index++) env.sandbox.outlook.seedContact(ALICE.id, { givenName: `Bulk${String(index).padStart(4, '0')}` });
		const total = (await graphList(env, '/me/contacts')).length;
		env.clearRequests();
		const all = await env.run(contactParams('getAll', { returnAll: true }));
		expect(all).toHaveLength(total);
		expect(new Set(all.map((item) => item.json.id)).size).toBe(total);
		expect(env.requests()).toHaveLength(2);
		expect(new URLSearchParams(env.requests()[0].query).get('$top')).toBe('1000');
		env.clearRequests();
		const three = await env.run(contactParams('getAll', { returnAll: false, limit: 3 }));
		expect(three).toHaveLength(3);
		expect(env.requests()).toHaveLength(1);
	}, 60_000);

	it('searches names by their start, the text OData-quoted', async () => {
		await createContact('Miles', { surname: "O'Brien", contactFields: { displayName: "Miles O'Brien" } });
		await createContact('Keiko', { surname: "O'Brien", contactFields: { displayName: "Keiko O'Brien" } });
		await createContact('Odo', { contactFields: { displayName: 'Odo' } });
		env.clearRequests();
		const found = await env.run(contactParams('getAll', { returnAll: true, nameStartsWith: "Miles O'B" }));
		expect(found.map((item) => item.json.displayName)).toEqual(["Miles O'Brien"]);
		expect(new URLSearchParams(env.requests()[0].query).get('$filter')).toBe("startswith(displayName,'Miles O''B')");
		const injected = await env.run(contactParams('getAll', { returnAll: true, nameStartsWith: "x') or true or startswith(displayName,'" }));
		expect(injected).toHaveLength(0);
	});
});

describe('update and delete', () => {
	it('update sends one PATCH with only the changed fields', async () => {
		const created = await createContact('Walter', { surname: 'Skinner' });
		env.clearRequests();
		const [updated] = await env.run(contactParams('update', { contactId: rl('id', String(created.id)), contactUpdateFields: { jobTitle: 'Assistant Director', emailAddresses: 'walter@fbi.example' } }));
		expect(updated.json).toEqual(expect.objectContaining({ id: created.id, givenName: 'Walter', jobTitle: 'Assistant Director', emails: ['walter@fbi.example'] }));
		expect(requestLines(env)).toEqual([expect.stringMatching(/^PATCH api \/v1\.0\/me\/contacts\//)]);
		await expect(env.run(contactParams('update', { contactId: rl('id', String(created.id)), contactUpdateFields: {} }))).rejects.toThrow(/"Update Fields" is empty/);
		expect(env.requests()).toHaveLength(1);
	});

	it('delete returns { deleted, id } and the contact is gone', async () => {
		const created = await createContact('Alex');
		const [out] = await env.run(contactParams('delete', { contactId: rl('list', String(created.id)) }));
		expect(out.json).toEqual({ deleted: true, id: created.id });
		expect((await env.graph('GET', `/me/contacts/${encodeURIComponent(String(created.id))}`)).status).toBe(404);
	});
});

describe('picker', () => {
	it('lists contacts by name with their address and searches the start of the name', async () => {
		await createContact('Zelda', { surname: 'Picker', contactFields: { displayName: 'Zelda Picker', emailAddresses: 'zelda@example.com' } });
		const found = await listSearch(env, 'searchContacts', {}, 'Zelda');
		expect(found.results).toEqual([{ name: 'Zelda Picker (zelda@example.com)', value: expect.any(String) }]);
		const first = await listSearch(env, 'searchContacts', {});
		expect(first.results.length).toBeGreaterThan(0);
	});
});

describe('bad input: refused before anything is sent', () => {
	it('every Contact ID, bad addresses, broken text, a bad birthday', async () => {
		const counter = { tried: 0 };
		const refuses = badInputRunner(env, counter);
		await refuses('Contact', BAD_PATH_SEGMENTS, (value) => contactParams('get', { contactId: rl('id', value) }));
		await refuses('Contact', BAD_PATH_SEGMENTS, (value) => contactParams('update', { contactId: rl('id', value), contactUpdateFields: { jobTitle: 'x' } }));
		await refuses('Contact', BAD_PATH_SEGMENTS, (value) => contactParams('delete', { contactId: rl('list', value) }));
		await refuses('Email Addresses', [{ label: 'no at', value: 'dana.fbi.example' }, { label: 'space inside', value: 'dana @fbi.example' }], (value) => contactParams('create', { givenName: 'D', contactFields: { emailAddresses: value } }));
		await refuses('Given Name', [{ label: 'blank', value: '  ' }, { label: 'lone surrogate', value: 'D\uD800' }], (value) => contactParams('create', { givenName: value }));
		await refuses('Birthday', [{ label: 'not a date', value: 'soon' }], (value) => contactParams('create', { givenName: 'D', contactFields: { birthday: value } }));
		await refuses('Name Starts With', [{ label: 'lone surrogate', value: 'Mi\uDC00' }], (value) => contactParams('getAll', { nameStartsWith: value }));
		expect(counter.tried).toBe(BAD_PATH_SEGMENTS.length * 3 + 6);
	});
});

describe('app-only', () => {
	it('creates, finds, updates and deletes contacts in Alice\'s mailbox by address', async () => {
		const appOnly = await startOutlookFixture({ authentication: 'clientCredentials' });
		try {
			const [created] = await appOnly.run(contactParams('create', { givenName: 'Appy', contactFields: { displayName: 'Appy McApp' } }));
			expect(appOnly.requests().map((r) => r.path)).toContain('/v1.0/users/alice%40contoso.onmicrosoft.com/contacts');
			const found = await appOnly.run(contactParams('getAll', { returnAll: true, nameStartsWith: 'Appy' }));
			expect(found.map((item) => item.json.id)).toEqual([created.json.id]);
			const [updated] = await appOnly.run(contactParams('update', { contactId: rl('id', String(created.json.id)), contactUpdateFields: { companyName: 'Contoso' } }));
			expect(updated.json.companyName).toBe('Contoso');
			const [deleted] = await appOnly.run(contactParams('delete', { contactId: rl('id', String(created.json.id)) }));
			expect(deleted.json).toEqual({ deleted: true, id: created.json.id });
		} finally {
			await appOnly.stop();
		}
	}, 60_000);
});
