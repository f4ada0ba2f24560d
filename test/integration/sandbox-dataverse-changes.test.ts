/**
 * The sandbox's Dataverse change tracking over raw HTTPS: the first `Prefer: odata.track-changes` request returns
 * rows and a deltaLink; following it returns created / updated rows and deleted ones as `$deletedEntity`, each change
 * once; paging of the initial load; expired and malformed tokens and a table without change tracking are refused.
 */
import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});

const track = (url: string, headers: Record<string, string> = {}) => dv.get(url, { prefer: 'odata.track-changes', ...headers });

describe('sandbox Dataverse: change tracking', () => {
	it('initial rows and deltaLink, then creates, updates and deletes once each', async () => {
		const initial = await track('contacts?$select=fullname,emailaddress1');
		expect(initial.status).toBe(200);
		expect(initial.headers['preference-applied']).toBe('odata.track-changes');
		expect(initial.json['@odata.context']).toBe(`${dv.base}/$metadata#contacts(fullname,emailaddress1)/$delta`);
		expect(initial.json.value).toHaveLength(dv.sandbox.dataverse.rows('contact').size);
		const deltaLink: string = initial.json['@odata.deltaLink'];
		expect(deltaLink).toMatch(new RegExp(`^${dv.base.replace(/[.]/g, '\\.')}/contacts\\?\\$select=fullname%2Cemailaddress1&\\$deltatoken=\\d+%21\\d\\d%2f\\d\\d%2f\\d{4}%20\\d\\d%3a\\d\\d%3a\\d\\d$`));

		const nothing = await track(deltaLink);
		expect(nothing.json.value).toEqual([]);

		const created = dv.sandbox.dataverse.addRow('contact', { firstname: 'New', lastname: 'Contact' });
		const existing = [...dv.sandbox.dataverse.rows('contact').values()].find((row) => row.firstname === 'Yvonne');
		await dv.patch(`contacts(${existing?.contactid})`, { emailaddress1: 'yvonne@contoso.example' }, { 'if-match': '*' });
		const doomed = dv.sandbox.dataverse.addRow('contact', { lastname: 'Doomed' });
		await dv.del(`contacts(${doomed.contactid})`);

		const changes = await track(nothing.json['@odata.deltaLink']);
		expect(changes.status).toBe(200);
		expect(changes.json.value).toEqual([
			expect.objectContaining({ contactid: created.contactid, fullname: 'New Contact' }),
			expect.objectContaining({ contactid: existing?.contactid, emailaddress1: 'yvonne@contoso.example' }),
			{ '@odata.context': `${dv.base}/$metadata#contacts/$deletedEntity`, id: doomed.contactid, reason: 'deleted' },
		]);
		expect(changes.json.value[0].lastname).toBeUndefined();
		const again = await track(changes.json['@odata.deltaLink']);
		expect(again.json.value).toEqual([]);
		// The first link still answers the same changes (tokens are not consumed).
		expect((await track(nothing.json['@odata.deltaLink'])).json.value).toHaveLength(3);
	});

	it('pages the initial load with odata.maxpagesize; the deltaLink comes with the last page', async () => {
		dv.sandbox.dataverse.seed('lead', 25, { prefix: 'Tracked lead' });
		const ids = new Set<string>();
		let url: string | undefined = 'leads?$select=fullname';
		let delta: string | undefined;
		let pages = 0;
		while (url) {
			const page: any = await track(url, { prefer: 'odata.track-changes,odata.maxpagesize=10' });
			pages += 1;
			for (const row of page.json.value) ids.add(row.leadid);
			url = page.json['@odata.nextLink'];
			delta = page.json['@odata.deltaLink'];
			if (url) expect(delta).toBeUndefined();
			if (pages === 1) dv.sandbox.dataverse.addRow('lead', { subject: 'During paging', lastname: 'Late' });
		}
		expect(pages).toBe(3);
		expect(ids.size).toBeGreaterThanOrEqual(25);
		const changes = await track(String(delta));
		expect(changes.json.value.map((row: any) => row.fullname)).toEqual(['Late']);
	});

	it('refuses a table without change tracking, other query options, expired and malformed tokens', async () => {
		const untracked = await track('cr0a1_timeentries?$select=cr0a1_name');
		expect(untracked.status).toBe(400);
		expect(untracked.json.error.message).toContain("Change tracking is not enabled for the entity 'cr0a1_timeentry'");
		dv.sandbox.dataverse.setChangeTracking('cr0a1_timeentry', true);
		expect((await track('cr0a1_timeentries?$select=cr0a1_name')).status).toBe(200);
		dv.sandbox.dataverse.setChangeTracking('cr0a1_timeentry', false);

		const filtered = await track("accounts?$select=name&$filter=name eq 'x'");
		expect(filtered.status).toBe(400);

		const initial = await track('accounts?$select=name');
		dv.sandbox.dataverse.expireDeltaTokens('account');
		const expired = await track(initial.json['@odata.deltaLink']);
		expect(expired.status).toBe(400);
		expect(expired.json.error).toEqual({ code: '0x80044352', message: 'Version stamp associated with the client has expired. Please perform a full sync.' });
		const fresh = await track('accounts?$select=name');
		expect((await track(fresh.json['@odata.deltaLink'])).status).toBe(200);
		const malformed = await track('accounts?$select=name&$deltatoken=garbage');
		expect(malformed.status).toBe(400);
		expect(malformed.json.error.code).toBe('0x80040203');
	});
});
