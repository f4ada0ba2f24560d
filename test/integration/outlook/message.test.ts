/**
 * The Outlook node's message resource against the sandbox: send (inline and through a draft with upload
 * sessions, nothing sent when an attachment fails), reply / forward, get with attachments and MIME, get many with
 * filters and quoting, update, move, copy, delete, bad input refused before anything is sent, app-only.
 */
import type { IDataObject } from 'n8n-workflow';

import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { ALICE, BOB, rl, startOutlookFixture, type OutlookFixture } from './fixture';
import { binaryItem, graphAsApp, MIB, patternBytes } from './mailTestKit';

let env: OutlookFixture;
beforeAll(async () => {
	env = await startOutlookFixture();
});
afterAll(async () => env?.stop());
beforeEach(() => {
	env.clearRequests();
	env.sandbox.faults.reset();
});

/** Messages in a folder of a mailbox, read as the app. */
async function folderMessages(user: string, folder: string, subject?: string): Promise<IDataObject[]> {
	const response = await graphAsApp<{ value: IDataObject[] }>(env, 'GET', `/users/${user}/mailFolders/${folder}/messages?$top=1000`);
	expect(response.status).toBe(200);
	return response.body.value.filter((message) => subject === undefined || message.subject === subject);
}

function unique(label: string): string {
	return `${label} ${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

describe('send', () => {
	it('delivers to the recipients and keeps a copy in Sent Items (one request, no attachments)', async () => {
		const subject = unique('Hello Bob');
		const [out] = await env.run({ resource: 'message', operation: 'send', toRecipients: `Bob <${BOB.userPrincipalName}>`, subject, bodyContent: 'Hi!' });
		expect(out.json).toMatchObject({ sent: true, subject, to: [BOB.userPrincipalName], attachments: 0 });
		expect(await folderMessages(BOB.userPrincipalName, 'inbox', subject)).toHaveLength(1);
		expect(await folderMessages(ALICE.userPrincipalName, 'sentitems', subject)).toHaveLength(1);
		expect(env.requests().filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v1.0/me/sendMail']);
	});

	it('sends a 1 MB attachment inline in the same request', async () => {
		const subject = unique('Inline');
		const bytes = patternBytes(MIB, 'inline');
		const input = [await binaryItem(env, bytes, 'small.bin')];
		await env.run({ resource: 'message', operation: 'send', toRecipients: BOB.userPrincipalName, subject, attachments: 'data' }, { input });
		const [delivered] = await folderMessages(BOB.userPrincipalName, 'inbox', subject);
		const attachments = await graphAsApp<{ value: IDataObject[] }>(env, 'GET', `/users/${BOB.userPrincipalName}/messages/${String(delivered.id)}/attachments`);
		expect(attachments.body.value.map((a) => [a.name, a.size])).toEqual([['small.bin', MIB]]);
		expect(env.requests().filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v1.0/me/sendMail']);
	});

	it('sends a 5 MB attachment through a draft and an upload session (no token on the upload host), leaving no draft', async () => {
		const subject = unique('Large');
		const bytes = patternBytes(5 * MIB, 'large');
		const input = [await binaryItem(env, bytes, 'large.bin')];
		const [out] = await env.run({ resource: 'message', operation: 'send', toRecipients: BOB.userPrincipalName, subject, attachments: 'data' }, { input });
		expect(out.json).toMatchObject({ sent: true, attachments: 1 });
		const [delivered] = await folderMessages(BOB.userPrincipalName, 'inbox', subject);
		expect(delivered).toBeDefined();
		const list = await graphAsApp<{ value: IDataObject[] }>(env, 'GET', `/users/${BOB.userPrincipalName}/messages/${String(delivered.id)}/attachments`);
		const [attachment] = list.body.value;
		const content = await graphAsApp(env, 'GET', `/users/${BOB.userPrincipalName}/messages/${String(delivered.id)}/attachments/${String(attachment.id)}/$value`);
		expect(content.bytes.equals(bytes)).toBe(true);
		const uploads = env.requests().filter((r) => r.host === 'files');
		expect(uploads.length).toBeGreaterThan(1);
		expect(uploads.every((r) => !r.hasAuthorization)).toBe(true);
		expect(await folderMessages(ALICE.userPrincipalName, 'drafts', subject)).toHaveLength(0);
	});

	it('an attachment that cannot be uploaded sends nothing and removes the draft', async () => {
		const subject = unique('Broken');
		env.sandbox.faults.add({ method: 'PUT', path: '.*', host: 'files', status: 500, times: 100 });
		const input = [await binaryItem(env, patternBytes(4 * MIB, 'broken'), 'broken.bin')];
		const error = await env
			.run({ resource: 'message', operation: 'send', toRecipients: BOB.userPrincipalName, subject, attachments: 'data' }, { input })
			.catch((e: Error & { description?: string }) => e);
		expect((error as { description?: string }).description).toMatch(/Nothing was sent, and the draft this run created was deleted again/);
		expect(await folderMessages(BOB.userPrincipalName, 'inbox', subject)).toHaveLength(0);
		expect(await folderMessages(ALICE.userPrincipalName, 'drafts', subject)).toHaveLength(0);
	}, 60_000);

	it('refuses bad input naming the field before anything is sent', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ toRecipients: 'not an address' }, /"To" contains "not an address"/],
			[{ toRecipients: BOB.userPrincipalName, composeOptions: { ccRecipients: 'a@b' } }, /"CC" contains "a@b"/],
			[{ toRecipients: BOB.userPrincipalName, attachments: 'missing' }, /"Attachments": the item has no binary field "missing"/],
			[{ toRecipients: BOB.userPrincipalName, subject: 'cut \uD83D' }, /"Subject" contains a broken character/],
		];
		for (const [parameters, message] of cases) {
			env.clearRequests();
			await expect(env.run({ resource: 'message', operation: 'send', subject: 'x', ...parameters })).rejects.toThrow(message);
			expect(env.requests()).toHaveLength(0);
		}
	});
});

describe('read and organise', () => {
	let id = '';
	const subject = unique("Bob's report");

	beforeAll(async () => {
		const input = [await binaryItem(env, Buffer.from('report body'), 'report.txt', 'text/plain')];
		await env.run({ resource: 'message', operation: 'send', toRecipients: ALICE.userPrincipalName, subject, bodyContent: 'See attached', attachments: 'data' }, { input });
		const [received] = await folderMessages(ALICE.userPrincipalName, 'inbox', subject);
		id = String(received.id);
	});

	it('get: simplified, with the attachment and the MIME source as binary data', async () => {
		const [out] = await env.run({ resource: 'message', operation: 'get', messageId: rl('id', id), getOptions: { attachments: true, mime: true } });
		expect(out.json).toMatchObject({ id, subject, hasAttachments: true, isRead: false });
		expect(out.binary?.attachment_0).toMatchObject({ fileName: 'report.txt' });
		expect((await env.harness.binaryToBuffer(out.binary!.attachment_0)).toString()).toBe('report body');
		expect(out.binary?.message.mimeType).toBe('message/rfc822');
		expect((await env.harness.binaryToBuffer(out.binary!.message)).toString()).toMatch(/Subject: /);
	});

	it('get many: filters are quoted (an apostrophe in the subject), unread only, limit', async () => {
		const out = await env.run({ resource: 'message', operation: 'getAll', folderId: rl('id', 'inbox'), filters: { subjectContains: "Bob's report", readStatus: 'unread' }, returnAll: true });
		expect(out.map((item) => item.json.subject)).toContain(subject);
		const sent = env.requests().find((r) => r.path.endsWith('/messages'));
		expect(new URLSearchParams(sent!.query).get('$filter')).toContain("contains(subject,'Bob''s report')");
		const limited = await env.run({ resource: 'message', operation: 'getAll', folderId: rl('id', 'inbox'), returnAll: false, limit: 1 });
		expect(limited).toHaveLength(1);
	});

	it('update marks it read, and get many no longer lists it as unread', async () => {
		const [out] = await env.run({ resource: 'message', operation: 'update', messageId: rl('id', id), updateFields: { isRead: true, categories: 'Blue' } });
		expect(out.json).toMatchObject({ id, isRead: true, categories: ['Blue'] });
		const unread = await env.run({ resource: 'message', operation: 'getAll', folderId: rl('id', 'inbox'), filters: { readStatus: 'unread' }, returnAll: true });
		expect(unread.map((item) => item.json.id)).not.toContain(id);
	});

	it('copy and move into another folder, then delete', async () => {
		const [folder] = await env.run({ resource: 'folder', operation: 'create', displayName: unique('Filed') });
		const [copy] = await env.run({ resource: 'message', operation: 'copy', messageId: rl('id', id), destinationFolderId: rl('id', String(folder.json.id)) });
		expect(copy.json).toMatchObject({ subject, folderId: folder.json.id });
		const [moved] = await env.run({ resource: 'message', operation: 'move', messageId: rl('id', id), destinationFolderId: rl('id', 'archive') });
		expect(moved.json.subject).toBe(subject);
		const [deleted] = await env.run({ resource: 'message', operation: 'delete', messageId: rl('id', String(moved.json.id)) });
		expect(deleted.json).toEqual({ deleted: true, id: moved.json.id });
	});

	it('reply and forward (with an attachment: through a draft)', async () => {
		const [received] = await folderMessages(ALICE.userPrincipalName, 'inbox');
		const [reply] = await env.run({ resource: 'message', operation: 'reply', messageId: rl('id', String(received.id)), bodyContent: 'Thanks' });
		expect(reply.json).toMatchObject({ sent: true, action: 'reply' });
		const input = [await binaryItem(env, patternBytes(4 * MIB, 'fwd'), 'fwd.bin')];
		const [forward] = await env.run(
			{ resource: 'message', operation: 'forward', messageId: rl('id', String(received.id)), toRecipients: BOB.userPrincipalName, bodyContent: 'FYI', attachments: 'data' },
			{ input },
		);
		expect(forward.json).toMatchObject({ sent: true, action: 'forward', attachments: 1 });
	});

	it('message and folder IDs refuse every bad value before sending', async () => {
		const run = (parameters: Record<string, unknown>) => async (value: string) => await env.run(parameters as never, { input: [{ json: { v: value } }] });
		const common = { requests: () => env.requests(), clear: () => env.clearRequests() };
		const tried =
			(await expectEveryBadInputRefused({ field: 'Message', values: BAD_PATH_SEGMENTS, run: run({ resource: 'message', operation: 'get', messageId: rl('id', '={{ $json.v }}') }), ...common })) +
			(await expectEveryBadInputRefused({ field: 'Folder', values: BAD_PATH_SEGMENTS, run: run({ resource: 'folder', operation: 'get', folderId: rl('id', '={{ $json.v }}') }), ...common })) +
			(await expectEveryBadInputRefused({ field: 'User', values: BAD_PATH_SEGMENTS, run: run({ resource: 'message', operation: 'getAll', mailbox: 'user', mailboxUser: rl('id', '={{ $json.v }}') }), ...common }));
		expect(tried).toBe(BAD_PATH_SEGMENTS.length * 3);
	});
});

describe('app-only', () => {
	it('sends from and lists a mailbox picked by address; "My Mailbox" is refused with advice', async () => {
		const appEnv = await startOutlookFixture({ authentication: 'clientCredentials' });
		try {
			const subject = unique('App-only');
			await appEnv.run({ resource: 'message', operation: 'send', toRecipients: BOB.userPrincipalName, subject });
			const listed = await appEnv.run({ resource: 'message', operation: 'getAll', folderId: rl('id', 'sentitems'), returnAll: true });
			expect(listed.map((item) => item.json.subject)).toContain(subject);
			await expect(appEnv.run({ resource: 'message', operation: 'getAll', mailbox: 'me' })).rejects.toThrow(/"Mailbox" is "My Mailbox", which needs a signed-in user/);
		} finally {
			await appEnv.stop();
		}
	});
});
