/**
 * The Outlook trigger inside n8n-core's PollContext against the sandbox's mail delta: starts from now, a burst of
 * 250 messages emitted once each, a poll that fails midway repeated without loss or duplicates, an n8n restart
 * (static data serialised and reloaded), filters, several folders.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Microsoft365OutlookTrigger } from '../../../nodes/Microsoft/Outlook/Microsoft365OutlookTrigger.node';
import { ALICE, BOB, CONTOSO, SEED, startOutlookFixture, type OutlookFixture } from './fixture';

const trigger = new Microsoft365OutlookTrigger();
let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => env.sandbox.faults.reset());

async function poll(parameters: INodeParameters, staticData: IDataObject): Promise<INodeExecutionData[]> {
	const result = await env.harness.poll(trigger, { parameters: { authentication: 'oAuth2', mailbox: 'me', ...parameters }, staticData });
	return result?.[0] ?? [];
}

/** Bob sends `count` messages to Alice (as the app: Mail.Send for Bob's mailbox). */
async function bobSends(count: number, subject: string, folder?: string): Promise<void> {
	const token = env.sandbox.issueToken({ tenant: CONTOSO, appId: SEED.apps.singleTenant.clientId, roles: ['Mail.Send', 'Mail.ReadWrite'], lifetimeSeconds: 600 });
	for (let n = 1; n <= count; n++) {
		const response = await fetch(`${env.sandbox.graphUrl}/v1.0/users/${BOB.userPrincipalName}/sendMail`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ message: { subject: `${subject} ${n}`, toRecipients: [{ emailAddress: { address: ALICE.userPrincipalName } }] } }),
		});
		expect(response.status).toBe(202);
	}
	if (folder) {
		// Move what arrived into the folder (as Alice), as a mail rule would.
		const inbox = await env.graph<{ value: IDataObject[] }>('GET', `/me/mailFolders/inbox/messages?$top=1000`);
		for (const message of inbox.body.value.filter((m) => String(m.subject).startsWith(subject))) {
			expect((await env.graph('POST', `/me/messages/${String(message.id)}/move`, { destinationId: folder })).status).toBe(201);
		}
	}
}

const subjects = (items: INodeExecutionData[]) => items.map((item) => String(item.json.subject));

describe('Outlook trigger: new messages', () => {
	it('starts from now, then emits each new message once', async () => {
		const staticData: IDataObject = {};
		await bobSends(1, 'Before');
		expect(await poll({}, staticData)).toEqual([]);
		await bobSends(3, 'First');
		expect(subjects(await poll({}, staticData)).sort()).toEqual(['First 1', 'First 2', 'First 3']);
		expect(await poll({}, staticData)).toEqual([]);
	});

	it('a burst of 250 between two polls: every message exactly once', async () => {
		const staticData: IDataObject = {};
		await poll({}, staticData);
		await bobSends(250, 'Burst');
		const emitted = subjects(await poll({}, staticData));
		expect(emitted).toHaveLength(250);
		expect(new Set(emitted).size).toBe(250);
		expect(await poll({}, staticData)).toEqual([]);
	}, 60_000);

	it('a poll that fails midway is repeated: nothing lost, nothing twice (two folders)', async () => {
		const folder = await env.graph<IDataObject>('POST', '/me/mailFolders', { displayName: `Watched ${Date.now()}` });
		const folderId = String(folder.body.id);
		const parameters = { folders: ['inbox', folderId] };
		const staticData: IDataObject = {};
		await poll(parameters, staticData);
		await bobSends(2, 'ToInbox');
		await bobSends(2, 'ToFolder', folderId);
		// The second folder's delta fails once: the whole poll fails and stores nothing.
		env.sandbox.faults.add({ method: 'GET', path: `/mailFolders/${encodeURIComponent(folderId).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/messages/delta`, status: 500, times: 1 });
		const before = JSON.stringify(staticData);
		await expect(poll(parameters, staticData)).rejects.toThrow();
		expect(JSON.stringify(staticData)).toBe(before);
		expect(subjects(await poll(parameters, staticData)).sort()).toEqual(['ToFolder 1', 'ToFolder 2', 'ToInbox 1', 'ToInbox 2']);
		expect(await poll(parameters, staticData)).toEqual([]);
	});

	it('survives an n8n restart: the state is JSON in static data', async () => {
		const staticData: IDataObject = {};
		await poll({}, staticData);
		await bobSends(2, 'Restart');
		const restored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(subjects(await poll({}, restored)).sort()).toEqual(['Restart 1', 'Restart 2']);
		expect(await poll({}, restored)).toEqual([]);
	});

	it('filters: only unread messages from one sender with a subject', async () => {
		const staticData: IDataObject = {};
		const parameters = { filters: { from: BOB.userPrincipalName, subjectContains: 'invoice', unreadOnly: true } };
		await poll(parameters, staticData);
		await bobSends(1, 'Invoice');
		await bobSends(1, 'Newsletter');
		expect(subjects(await poll(parameters, staticData))).toEqual(['Invoice 1']);
	});
});
