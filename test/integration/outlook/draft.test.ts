/**
 * The Draft resource of the Outlook node inside n8n-core against the sandbox: create (fields, attachments
 * inline and through an upload session, the draft removed again when an attachment fails), get (by ID and by
 * Outlook link), update (PATCH of the filled-in fields only), send (a 5 MB attachment reaches Bob's Inbox; the
 * send is never repeated), delete, the Drafts picker, bad IDs refused before anything is sent, and app-only on
 * Alice's mailbox by address.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { ALICE, BOB, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { attachmentBytes, attachmentsOf, binaryItem, graphAsApp, listSearch, MIB, patternBytes, requestLines } from './mailTestKit';

let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture();
}, 60_000);
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
});

const FROM_INPUT = '={{ $json.v }}';

function draftParams(operation: string, extra: INodeParameters = {}): INodeParameters {
	return { resource: 'draft', operation, ...extra };
}

async function createDraft(extra: INodeParameters = {}, input?: Parameters<OutlookFixture['run']>[1]): Promise<IDataObject> {
	const out = await env.run(draftParams('create', { subject: 'Quarterly numbers', bodyContent: 'Draft body', ...extra }), input);
	expect(out).toHaveLength(1);
	return out[0].json;
}

async function draftsFolder(): Promise<IDataObject[]> {
	const response = await env.graph('GET', '/me/mailFolders/drafts/messages?$select=id,subject,isDraft&$top=100');
	expect(response.status).toBe(200);
	return response.body.value as IDataObject[];
}

describe('create', () => {
	it('saves a draft in Drafts with recipients, subject, HTML body and options, and sends nothing', async () => {
		const draft = await createDraft({
			toRecipients: `Bob <${BOB.userPrincipalName}>`,
			subject: 'Budget — draft',
			bodyContentType: 'HTML',
			bodyContent: '<p>Hello <b>Bob</b></p>',
			composeOptions: { ccRecipients: ALICE.userPrincipalName, importance: 'high', categories: 'Finance, Q3' },
		});
		expect(draft).toMatchObject({ subject: 'Budget — draft', isDraft: true, to: [expect.stringContaining(BOB.userPrincipalName)], importance: 'high' });
		const stored = await env.graph('GET', `/me/messages/${encodeURIComponent(String(draft.id))}`);
		expect(stored.body).toMatchObject({
			isDraft: true,
			importance: 'high',
			categories: ['Finance', 'Q3'],
			body: { contentType: 'html', content: expect.stringContaining('<b>Bob</b>') },
			ccRecipients: [{ emailAddress: { address: ALICE.userPrincipalName } }],
		});
		expect((await draftsFolder()).map((m) => m.id)).toContain(draft.id);
		expect(env.requests().filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([expect.stringMatching(/\/me\/messages$/)]);
	});

	it('creates a draft without recipients (they can be added later)', async () => {
		const draft = await createDraft({ subject: 'No one yet' });
		expect(draft).toMatchObject({ subject: 'No one yet', isDraft: true });
	});

	it('attaches a small file inline and a 4 MB file through an upload session, bytes intact, no token on the upload host', async () => {
		const small = patternBytes(20_000, 'small');
		const large = patternBytes(4 * MIB + 123, 'large');
		const item = await binaryItem(env, small, 'notes.txt', 'text/plain');
		item.binary!.report = (await binaryItem(env, large, 'report.pdf', 'application/pdf')).binary!.data;
		const draft = await createDraft({ subject: 'With files', attachments: 'data, report' }, { input: [item] });
		const sent = requestLines(env);
		expect(draft.hasAttachments).toBe(true);
		expect(draft.attachments).toEqual([
			expect.objectContaining({ name: 'notes.txt', contentType: 'text/plain', id: expect.any(String) }),
			expect.objectContaining({ name: 'report.pdf', contentType: 'application/pdf', id: expect.any(String) }),
		]);
		expect(JSON.stringify(draft)).not.toContain('contentBytes');
		const stored = await attachmentsOf(env, String(draft.id));
		expect(stored.map((a) => a.name).sort()).toEqual(['notes.txt', 'report.pdf']);
		const byName = Object.fromEntries(stored.map((a) => [a.name, String(a.id)]));
		expect((await attachmentBytes(env, String(draft.id), byName['notes.txt'])).equals(small)).toBe(true);
		expect((await attachmentBytes(env, String(draft.id), byName['report.pdf'])).equals(large)).toBe(true);
		expect(sent.filter((line) => /^POST api .*\/attachments$/.test(line))).toHaveLength(1);
		expect(sent.filter((line) => /^POST api .*\/attachments\/createUploadSession$/.test(line))).toHaveLength(1);
		expect(env.requests().filter((r) => r.host === 'files').every((r) => !r.hasAuthorization)).toBe(true);
		expect(env.sandbox.state.violations).toHaveLength(0);
	});

	it('deletes the draft again when an attachment fails for good, and says so', async () => {
		const before = (await draftsFolder()).length;
		env.sandbox.faults.add({ host: 'files', method: 'PUT', path: '.', status: 400, code: 'invalidRequest', message: 'broken chunk' });
		const item = await binaryItem(env, patternBytes(4 * MIB, 'broken'), 'broken.bin');
		const error = await createDraft({ subject: 'Never kept', attachments: 'data' }, { input: [item] }).catch((e: unknown) => e);
		expect(error).toMatchObject({ message: expect.stringContaining('broken chunk'), description: expect.stringContaining('the draft this run created was deleted again') });
		expect(await draftsFolder()).toHaveLength(before);
		expect((await draftsFolder()).some((m) => m.subject === 'Never kept')).toBe(false);
	});

	it('refuses a missing binary field naming "Attachments" before anything is sent', async () => {
		await expect(createDraft({ attachments: 'nope' })).rejects.toThrow(/^"Attachments": the item has no binary field "nope"/);
		expect(env.requests()).toHaveLength(0);
	});
});

describe('get', () => {
	it('reads a draft by ID (simplified) and by Outlook on the web link (raw)', async () => {
		const draft = await createDraft({ subject: 'Read me', toRecipients: BOB.userPrincipalName });
		const byId = await env.run(draftParams('get', { draftId: rl('id', String(draft.id)) }));
		expect(byId[0].json).toMatchObject({ id: draft.id, subject: 'Read me', isDraft: true, to: [expect.stringContaining(BOB.userPrincipalName)] });
		const link = `https://outlook.office.com/mail/drafts/id/${encodeURIComponent(String(draft.id))}`;
		const byLink = await env.run(draftParams('get', { draftId: rl('url', link), output: 'raw' }));
		expect(byLink[0].json).toMatchObject({ id: draft.id, subject: 'Read me', body: expect.objectContaining({ content: expect.stringContaining('Draft body') }) });
	});

	it('an unknown draft ID is Microsoft\'s 404, named in the error', async () => {
		await expect(env.run(draftParams('get', { draftId: rl('id', 'AAMkAGUnknownDraftId=') }))).rejects.toMatchObject({ httpCode: expect.stringMatching(/^(400|404)$/) });
	});
});

describe('update', () => {
	it('changes only the filled-in fields with one PATCH', async () => {
		const draft = await createDraft({ subject: 'Old subject', bodyContent: 'Keep this body', toRecipients: ALICE.userPrincipalName });
		env.clearRequests();
		const out = await env.run(draftParams('update', { draftId: rl('id', String(draft.id)), subject: 'New subject', toRecipients: BOB.userPrincipalName }));
		expect(requestLines(env)).toEqual([expect.stringMatching(/^PATCH api \/v1\.0\/me\/messages\/[^/]+$/)]);
		expect(out[0].json).toMatchObject({ id: draft.id, subject: 'New subject', to: [expect.stringContaining(BOB.userPrincipalName)] });
		const stored = await env.graph('GET', `/me/messages/${encodeURIComponent(String(draft.id))}`);
		expect(stored.body).toMatchObject({ subject: 'New subject', body: { content: expect.stringContaining('Keep this body') }, toRecipients: [{ emailAddress: { address: BOB.userPrincipalName } }] });
	});

	it('refuses an update with nothing filled in, before anything is sent', async () => {
		await expect(env.run(draftParams('update', { draftId: rl('id', 'AAMkAGAnyDraft=') }))).rejects.toThrow(/^Nothing to update/);
		expect(env.requests()).toHaveLength(0);
	});
});

describe('send', () => {
	it('sends a draft with a 5 MB attachment: it leaves Drafts and arrives in Bob\'s Inbox with the attachment', async () => {
		const bytes = patternBytes(5 * MIB, 'five');
		const subject = `Five megabytes ${Date.now()}`;
		const draft = await createDraft({ subject, toRecipients: BOB.userPrincipalName, attachments: 'data' }, { input: [await binaryItem(env, bytes, 'five.bin')] });
		env.clearRequests();
		const out = await env.run(draftParams('send', { draftId: rl('id', String(draft.id)) }));
		expect(out[0].json).toEqual({ sent: true, id: draft.id });
		expect(env.requests().map((r) => `${r.method} ${r.path}`)).toEqual([expect.stringMatching(/^POST \/v1\.0\/me\/messages\/[^/]+\/send$/)]);
		expect((await draftsFolder()).map((m) => m.id)).not.toContain(draft.id);

		const inbox = await graphAsApp(env, 'GET', `/users/${BOB.userPrincipalName}/mailFolders/inbox/messages?$select=id,subject,hasAttachments,from&$top=100`);
		expect(inbox.status).toBe(200);
		const received = (inbox.body.value as IDataObject[]).find((m) => m.subject === subject);
		expect(received).toMatchObject({ hasAttachments: true, from: { emailAddress: { address: ALICE.userPrincipalName } } });
		const receivedId = encodeURIComponent(String(received!.id));
		const attachments = await graphAsApp(env, 'GET', `/users/${BOB.userPrincipalName}/messages/${receivedId}/attachments?$select=id,name`);
		expect(attachments.body.value).toEqual([expect.objectContaining({ name: 'five.bin' })]);
		const content = await graphAsApp(env, 'GET', `/users/${BOB.userPrincipalName}/messages/${receivedId}/attachments/${encodeURIComponent(attachments.body.value[0].id)}/$value`);
		expect(content.bytes.equals(bytes)).toBe(true);
	});

	it('never repeats the send after it may have reached Microsoft (504): one POST, the error is reported', async () => {
		const draft = await createDraft({ subject: 'Maybe sent', toRecipients: BOB.userPrincipalName });
		env.clearRequests();
		env.sandbox.faults.add({ method: 'POST', path: '/send$', status: 504, times: 1 });
		await expect(env.run(draftParams('send', { draftId: rl('id', String(draft.id)) }))).rejects.toMatchObject({ httpCode: '504' });
		expect(env.requests().filter((r) => /\/send$/.test(r.path))).toHaveLength(1);
	});
});

describe('delete', () => {
	it('deletes a draft and answers { deleted: true, id }', async () => {
		const draft = await createDraft({ subject: 'Throw away' });
		const out = await env.run(draftParams('delete', { draftId: rl('id', String(draft.id)) }));
		expect(out[0].json).toEqual({ deleted: true, id: draft.id });
		expect((await draftsFolder()).map((m) => m.id)).not.toContain(draft.id);
		expect(env.requests().filter((r) => r.method === 'DELETE')).toHaveLength(1);
	});
});

describe('the Drafts picker', () => {
	it('lists drafts only, searchable by subject', async () => {
		const draft = await createDraft({ subject: 'Pickable zebra draft' });
		env.clearRequests();
		const all = await listSearch(env, 'searchDrafts', {});
		const found = await listSearch(env, 'searchDrafts', {}, 'zebra');
		expect(env.requests().map((r) => r.path)).toEqual([expect.stringMatching(/\/me\/mailFolders\/drafts\/messages$/), expect.stringMatching(/\/me\/mailFolders\/drafts\/messages$/)]);
		expect(all.results.map((r) => r.value)).toContain(draft.id);
		expect(found.results.map((r) => r.value)).toEqual([draft.id]);
		const drafts = new Set((await draftsFolder()).map((m) => m.id));
		expect(all.results.every((r) => drafts.has(r.value as string))).toBe(true);
	});
});

describe('bad draft IDs', () => {
	it('every draft operation refuses every bad "Draft" value (from an expression) before sending anything', async () => {
		let tried = 0;
		for (const operation of ['get', 'update', 'send', 'delete']) {
			tried += await expectEveryBadInputRefused({
				field: 'Draft',
				values: BAD_PATH_SEGMENTS,
				run: async (value) => await env.run(draftParams(operation, { draftId: rl('id', FROM_INPUT), subject: 'x' }), { input: [{ json: { v: value } }] }),
				requests: () => env.requests(),
				clear: () => env.clearRequests(),
			}).catch((error: Error) => {
				throw new Error(`${operation}: ${error.message}`);
			});
		}
		expect(tried).toBe(4 * BAD_PATH_SEGMENTS.length);
	});
});

describe('app-only on Alice\'s mailbox by address', () => {
	let app: OutlookFixture;
	beforeAll(async () => {
		app = await startOutlookFixture({ authentication: 'clientCredentials' });
	}, 60_000);
	afterAll(async () => app?.stop());

	it('creates, reads, updates and deletes a draft in /users/{address}', async () => {
		const [created] = await app.run(draftParams('create', { subject: 'From the app', toRecipients: BOB.userPrincipalName }));
		const id = String(created.json.id);
		const inDrafts = await app.graph('GET', '/me/mailFolders/drafts/messages?$select=id&$top=100');
		expect((inDrafts.body.value as IDataObject[]).map((m) => m.id)).toContain(id);
		const [read] = await app.run(draftParams('get', { draftId: rl('id', id) }));
		expect(read.json).toMatchObject({ id, subject: 'From the app' });
		const [updated] = await app.run(draftParams('update', { draftId: rl('id', id), subject: 'Changed by the app' }));
		expect(updated.json).toMatchObject({ id, subject: 'Changed by the app' });
		const [deleted] = await app.run(draftParams('delete', { draftId: rl('id', id) }));
		expect(deleted.json).toEqual({ deleted: true, id });
		const nodeCalls = app.requests().filter((r) => r.path.startsWith('/v1.0/') && !r.path.startsWith('/v1.0/me/'));
		expect(nodeCalls).toHaveLength(4);
		for (const call of nodeCalls) expect(decodeURIComponent(call.path)).toMatch(new RegExp(`^/v1\\.0/users/${ALICE.userPrincipalName.replace(/\./g, '\\.')}/messages`));
	});
});
