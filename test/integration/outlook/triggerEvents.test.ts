/** The Outlook trigger's calendar mode against the sandbox's calendarView delta: created, updated, cancelled, each once. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Microsoft365OutlookTrigger } from '../../../nodes/Microsoft/Outlook/Microsoft365OutlookTrigger.node';
import { startOutlookFixture, type OutlookFixture } from './fixture';

const trigger = new Microsoft365OutlookTrigger();
let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture();
});
afterAll(async () => env?.stop());

async function poll(staticData: IDataObject, changes = ['created', 'updated', 'cancelled']): Promise<INodeExecutionData[]> {
	const result = await env.harness.poll(trigger, {
		parameters: { authentication: 'oAuth2', mailbox: 'me', triggerOn: 'eventChanged', eventChanges: changes },
		staticData,
	});
	return result?.[0] ?? [];
}

const summary = (items: INodeExecutionData[]) => items.map((item) => `${String(item.json.change)} ${String(item.json.subject ?? item.json.id)}`);

function inDays(days: number, hour: number): string {
	const date = new Date(Date.now() + days * 24 * 3600_000);
	date.setUTCHours(hour, 0, 0, 0);
	return date.toISOString().slice(0, 19);
}

describe('Outlook trigger: calendar event changed', () => {
	it('starts from now, then reports created, updated and cancelled once each', async () => {
		const staticData: IDataObject = {};
		expect(await poll(staticData)).toEqual([]);
		const created = await env.graph<IDataObject>('POST', '/me/events', {
			subject: 'Planning',
			start: { dateTime: inDays(3, 9), timeZone: 'UTC' },
			end: { dateTime: inDays(3, 10), timeZone: 'UTC' },
		});
		expect(created.status).toBe(201);
		expect(summary(await poll(staticData))).toEqual(['created Planning']);
		expect(await poll(staticData)).toEqual([]);
		expect((await env.graph('PATCH', `/me/events/${String(created.body.id)}`, { subject: 'Planning (moved)' })).status).toBe(200);
		expect(summary(await poll(staticData))).toEqual(['updated Planning (moved)']);
		expect((await env.graph('DELETE', `/me/events/${String(created.body.id)}`)).status).toBe(204);
		const cancelled = await poll(staticData);
		expect(cancelled.map((item) => item.json.change)).toEqual(['cancelled']);
		expect(cancelled[0].json.id).toBe(created.body.id);
		expect(await poll(staticData)).toEqual([]);
	});

	it('an event that existed before watching is reported updated, never created; filters by change', async () => {
		const existing = await env.graph<IDataObject>('POST', '/me/events', {
			subject: 'Older',
			start: { dateTime: inDays(5, 13), timeZone: 'UTC' },
			end: { dateTime: inDays(5, 14), timeZone: 'UTC' },
		});
		const staticData: IDataObject = {};
		await poll(staticData, ['created']);
		await env.graph('PATCH', `/me/events/${String(existing.body.id)}`, { subject: 'Older (changed)' });
		expect(await poll(staticData, ['created'])).toEqual([]);
		const all: IDataObject = {};
		await poll(all);
		await env.graph('PATCH', `/me/events/${String(existing.body.id)}`, { subject: 'Older (changed again)' });
		expect(summary(await poll(all))).toEqual(['updated Older (changed again)']);
	});
});
