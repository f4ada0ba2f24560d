/** The trigger: change tracking across polls (created, updated, deleted, watched columns), restart, expired token, modifiedon. */
import type { IDataObject } from 'n8n-workflow';

import { table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();

function events(out: Array<Array<{ json: IDataObject }>> | null): string[] {
	return (out?.[0] ?? []).map((item) => `${String(item.json.event)} ${String((item.json.row as IDataObject | undefined)?.name ?? item.json.id)}`);
}

describe('Dynamics trigger (change tracking)', () => {
	const params = { api: 'dataverse', table: table('accounts'), events: ['created', 'updated', 'deleted'], mode: 'changeTracking' };

	it('starts from now, then reports each create, update and delete once across polls and a restart', async () => {
		const dv = fixture().sandbox.dataverse;
		const staticData: IDataObject = {};
		expect(await fixture().poll(params, staticData)).toBeNull();
		const a = dv.addAccount({ name: 'Trig A' });
		const b = dv.addAccount({ name: 'Trig B' });
		expect(events(await fixture().poll(params, staticData)).sort()).toEqual(['created Trig A', 'created Trig B']);
		expect(await fixture().poll(params, staticData)).toBeNull();
		await fixture().run({ resource: 'row', operation: 'update', table: table('accounts'), rowId: a.accountid, columnsMode: 'json', columnsJson: { name: 'Trig A2' } });
		await fixture().run({ resource: 'row', operation: 'delete', table: table('accounts'), rowId: b.accountid });
		// A restart: static data as n8n stores it.
		const restarted = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(events(await fixture().poll(params, restarted))).toEqual(['updated Trig A2', `deleted ${String(b.accountid)}`]);
		expect(await fixture().poll(params, restarted)).toBeNull();
	});

	it('a failed poll stores nothing: the next poll reports the change once', async () => {
		const staticData: IDataObject = {};
		await fixture().poll(params, staticData);
		fixture().sandbox.dataverse.addAccount({ name: 'Trig Retry' });
		fixture().sandbox.faults.add({ host: 'dataverse', method: 'GET', path: '^/api/data/v9\\.2/accounts$', status: 500, times: 1 });
		await expect(fixture().poll(params, staticData)).rejects.toThrow();
		expect(events(await fixture().poll(params, staticData))).toEqual(['created Trig Retry']);
		expect(await fixture().poll(params, staticData)).toBeNull();
	});

	it('an expired token restarts cleanly from now', async () => {
		const staticData: IDataObject = {};
		await fixture().poll(params, staticData);
		fixture().sandbox.dataverse.expireDeltaTokens();
		// Changes while the token was expiring are not reported: watching restarts from now, without an error.
		fixture().sandbox.dataverse.addAccount({ name: 'Trig During Expiry' });
		expect(await fixture().poll(params, staticData)).toBeNull();
		fixture().sandbox.dataverse.addAccount({ name: 'Trig After Expiry' });
		expect(events(await fixture().poll(params, staticData))).toEqual(['created Trig After Expiry']);
	});

	it('"only when these columns change" skips updates of other columns', async () => {
		const staticData: IDataObject = {};
		const watch = { ...params, events: ['updated'], watchColumns: 'telephone1' };
		const row = fixture().sandbox.dataverse.addAccount({ name: 'Trig Watch', telephone1: '1' });
		await fixture().poll(watch, staticData);
		await fixture().run({ resource: 'row', operation: 'update', table: table('accounts'), rowId: row.accountid, columnsMode: 'json', columnsJson: { name: 'Trig Watch renamed' } });
		expect(await fixture().poll(watch, staticData)).toBeNull();
		await fixture().run({ resource: 'row', operation: 'update', table: table('accounts'), rowId: row.accountid, columnsMode: 'json', columnsJson: { telephone1: '2' } });
		expect(events(await fixture().poll(watch, staticData))).toEqual(['updated Trig Watch renamed']);
	});
});

describe('Dynamics trigger (modified on)', () => {
	it('reports created and updated rows of a table once each', async () => {
		const params = { api: 'dataverse', table: table('accounts'), events: ['created', 'updated'], mode: 'modifiedOn' };
		const staticData: IDataObject = {};
		expect(await fixture().poll(params, staticData)).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 1100));
		fixture().sandbox.dataverse.addAccount({ name: 'Mod A' });
		const first = events(await fixture().poll(params, staticData));
		expect(first).toEqual(['created Mod A']);
		expect(await fixture().poll(params, staticData)).toBeNull();
	});

	it('refuses "Row Deleted" without change tracking, naming the field', async () => {
		await expect(fixture().poll({ api: 'dataverse', table: table('accounts'), events: ['deleted'], mode: 'modifiedOn' }, {})).rejects.toThrow(/"Trigger On"/);
	});
});

describe('Dynamics trigger in manual mode ("Fetch test event")', () => {
	it('shows the most recently modified rows as a poll reports them, and remembers nothing', async () => {
		const dv = fixture().sandbox.dataverse;
		// Dataverse's times have whole seconds: a second apart, so the order is certain.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		dv.addAccount({ name: 'Sample Old' });
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const newest = dv.addAccount({ name: 'Sample New' });
		const staticData: IDataObject = {};
		const out = await fixture().poll({ api: 'dataverse', table: table('accounts'), events: ['created', 'updated', 'deleted'], mode: 'changeTracking' }, staticData, 'delegated', 'manual');
		const items = out?.[0] ?? [];
		expect(items.length).toBeGreaterThanOrEqual(2);
		expect(items.length).toBeLessThanOrEqual(5);
		expect(items[0].json).toMatchObject({ event: 'created', id: newest.accountid, table: 'accounts', row: { name: 'Sample New' } });
		const names = items.map((item) => String((item.json.row as IDataObject).name));
		expect(names.indexOf('Sample New')).toBeLessThan(names.indexOf('Sample Old'));
		expect(staticData).toEqual({});
		// Activated afterwards, the trigger still starts from now.
		expect(await fixture().poll({ api: 'dataverse', table: table('accounts'), events: ['created'], mode: 'changeTracking' }, staticData)).toBeNull();
	});

	it('Row Updated only: rows are reported as updates; Row Deleted only: nothing to show', async () => {
		dv().addAccount({ name: 'Sample Updated' });
		const updated = await fixture().poll({ api: 'dataverse', table: table('accounts'), events: ['updated'], mode: 'modifiedOn' }, {}, 'delegated', 'manual');
		expect((updated?.[0] ?? []).map((item) => item.json.event)).toEqual(expect.arrayContaining(['updated']));
		expect((updated?.[0] ?? []).every((item) => item.json.event === 'updated')).toBe(true);
		fixture().clearRequests();
		expect(await fixture().poll({ api: 'dataverse', table: table('accounts'), events: ['deleted'], mode: 'changeTracking' }, {}, 'delegated', 'manual')).toBeNull();
		expect(fixture().apiCalls()).toEqual([]);
	});

	function dv() {
		return fixture().sandbox.dataverse;
	}
});
