/**
 * The sandbox's Outlook model (graph/outlook.js), driven with raw HTTPS requests and sandbox-minted tokens:
 * mail folders, messages (paging, $filter / $orderby / $search rules, MIME), sending and delivery, attachments
 * and upload sessions, message and calendarView delta, calendars, events with recurrence, time zones and
 * meetings, contacts, permissions (shared mailboxes) and per-mailbox throttling.
 */
import * as https from 'node:https';

import { sandboxRequest, type SandboxHttpResponse } from '../sandbox/httpClient';
import { startSandbox, SEED, type Sandbox } from '../sandbox';

const ALICE = SEED.users.alice;
const BOB = SEED.users.bob;
const CAROL = SEED.users.carol;
const SUPPORT = SEED.mailboxes.support;
const OWN = ['Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'Contacts.ReadWrite'];
const SHARED = ['Mail.ReadWrite.Shared', 'Mail.Send.Shared', 'Calendars.ReadWrite.Shared'];

let sandbox: Sandbox;
let ca: string;
let alice: string;
let bob: string;
let app: string;

interface CallOptions {
	token?: string | null;
	body?: unknown;
	raw?: string | Buffer;
	headers?: Record<string, string>;
}

/** A Graph call (relative to /v1.0) or an absolute URL. */
async function call(method: string, url: string, options: CallOptions = {}): Promise<SandboxHttpResponse> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	const token = options.token === undefined ? alice : options.token;
	if (token) headers.authorization = `Bearer ${token}`;
	let body: string | Buffer | undefined;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['content-type'] = 'application/json';
	} else if (options.raw !== undefined) {
		body = options.raw;
	}
	if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
	return sandboxRequest(url.startsWith('https://') ? url : `${sandbox.graphUrl}/v1.0${url}`, { method, headers, body, ca });
}

const get = (url: string, options: CallOptions = {}) => call('GET', url, options);
const q = (value: string) => encodeURIComponent(value);

function expectError(res: SandboxHttpResponse, status: number, code: string): void {
	expect([res.status, res.json?.error?.code]).toEqual([status, code]);
	expect(res.json.error.innerError['request-id']).toEqual(expect.any(String));
	expect(res.json.error.innerError.date).toEqual(expect.any(String));
}

/** Follows @odata.nextLink to the end; returns all values and the number of pages. */
async function all(url: string, options: CallOptions = {}): Promise<{ values: any[]; pages: number; last: SandboxHttpResponse }> {
	const values: any[] = [];
	let next: string | undefined = url;
	let pages = 0;
	let last!: SandboxHttpResponse;
	while (next) {
		last = await get(next, options);
		expect(last.status).toBe(200);
		values.push(...last.json.value);
		next = last.json['@odata.nextLink'];
		if (next) expect(next.startsWith(sandbox.graphUrl)).toBe(true);
		pages += 1;
	}
	return { values, pages, last };
}

/** A delta round: follows nextLinks until the deltaLink. */
async function deltaRound(url: string, options: CallOptions = {}): Promise<{ values: any[]; pages: number; deltaLink: string }> {
	const values: any[] = [];
	let next: string | undefined = url;
	let pages = 0;
	for (;;) {
		const res = await get(next!, options);
		expect([res.status, res.status === 200 ? '' : res.text]).toEqual([200, '']);
		values.push(...res.json.value);
		pages += 1;
		if (res.json['@odata.deltaLink']) return { values, pages, deltaLink: res.json['@odata.deltaLink'] };
		next = res.json['@odata.nextLink'];
		expect(next).toEqual(expect.stringContaining('$skiptoken='));
	}
}

function bytes(size: number, seed = 7): Buffer {
	const out = Buffer.alloc(size);
	let x = seed;
	for (let i = 0; i < size; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	return out;
}

/** A PUT to a pre-authenticated URL (no Authorization). */
function put(url: string, body: Buffer, headers: Record<string, string>): Promise<SandboxHttpResponse> {
	return sandboxRequest(url, { method: 'PUT', body, ca, headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length), ...headers } });
}

/** Raw bytes of a GET. */
function getBytes(url: string, token: string): Promise<{ status: number; headers: any; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method: 'GET', headers: { authorization: `Bearer ${token}` }, ca, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

const to = (...addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	ca = sandbox.tls.ca;
	alice = sandbox.issueToken({ userId: ALICE.id, scopes: OWN });
	bob = sandbox.issueToken({ userId: BOB.id, scopes: OWN });
	app = sandbox.issueToken({ roles: ['Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'Contacts.ReadWrite'] });
});

afterAll(async () => {
	await sandbox?.stop();
});

describe('mail folders', () => {
	it('lists the top-level folders by name with Graph properties, hidden ones only when asked', async () => {
		const res = await get('/me/mailFolders');
		expect(res.status).toBe(200);
		expect(res.json.value.map((f: any) => f.displayName)).toEqual(['Archive', 'Conversation History', 'Deleted Items', 'Drafts', 'Inbox', 'Junk Email', 'Outbox', 'Sent Items']);
		const inbox = res.json.value.find((f: any) => f.displayName === 'Inbox');
		expect(Object.keys(inbox).sort()).toEqual(['childFolderCount', 'displayName', 'id', 'isHidden', 'parentFolderId', 'totalItemCount', 'unreadItemCount']);
		expect(inbox).toMatchObject({ totalItemCount: 3, unreadItemCount: 1, isHidden: false, childFolderCount: 0 });
		const hidden = await get('/me/mailFolders?includeHiddenFolders=true');
		expect(hidden.json.value.map((f: any) => f.displayName)).toContain('Sync Issues');
		const paged = await all('/me/mailFolders?$top=3');
		expect(paged.pages).toBe(3);
		expect(paged.values).toHaveLength(8);
		const root = await get('/me/mailFolders/msgfolderroot');
		expect(root.json.id).toBe(inbox.parentFolderId);
	});

	it('resolves well-known names case-insensitively, for /me and /users/{id|upn}', async () => {
		const ids = new Set<string>();
		for (const [url, token] of [['/me/mailFolders/inbox', alice], ['/me/mailFolders/INBOX', alice], [`/users/${ALICE.userPrincipalName}/mailFolders/Inbox`, app], [`/users/${ALICE.id}/mailFolders/inbox`, app]] as const) {
			const res = await get(url, { token });
			expect([url, res.status]).toEqual([url, 200]);
			ids.add(res.json.id);
		}
		expect(ids.size).toBe(1);
		const names = ['sentitems', 'drafts', 'deleteditems', 'archive', 'junkemail', 'outbox', 'conversationhistory', 'syncissues'];
		for (const name of names) expect((await get(`/me/mailFolders/${name}`)).status).toBe(200);
		expect((await get('/me/mailFolders/SentItems')).json.displayName).toBe('Sent Items');
	});

	it('creates, nests, renames and deletes folders; refuses duplicates and well-known deletions', async () => {
		const created = await call('POST', '/me/mailFolders', { body: { displayName: 'Projects' } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ displayName: 'Projects', childFolderCount: 0, totalItemCount: 0, isHidden: false });
		expectError(await call('POST', '/me/mailFolders', { body: { displayName: 'projects' } }), 409, 'ErrorFolderExists');
		const child = await call('POST', `/me/mailFolders/${created.json.id}/childFolders`, { body: { displayName: "Bob's things" } });
		expect(child.status).toBe(201);
		expect(child.json.parentFolderId).toBe(created.json.id);
		expect((await get(`/me/mailFolders/${created.json.id}`)).json.childFolderCount).toBe(1);
		const children = await get(`/me/mailFolders/${created.json.id}/childFolders`);
		expect(children.json.value.map((f: any) => f.displayName)).toEqual(["Bob's things"]);
		const renamed = await call('PATCH', `/me/mailFolders/${child.json.id}`, { body: { displayName: 'Renamed' } });
		expect([renamed.status, renamed.json.displayName]).toEqual([200, 'Renamed']);
		expectError(await call('POST', '/me/mailFolders', { body: { displayName: 'Inbox' } }), 409, 'ErrorFolderExists');
		expectError(await call('POST', '/me/mailFolders', { body: {} }), 400, 'ErrorInvalidRequest');
		expectError(await call('DELETE', '/me/mailFolders/inbox'), 400, 'ErrorDeleteDistinguishedFolder');
		expect((await call('DELETE', `/me/mailFolders/${created.json.id}`)).status).toBe(204);
		expectError(await get(`/me/mailFolders/${created.json.id}`), 404, 'ErrorItemNotFound');
		expectError(await get(`/me/mailFolders/${child.json.id}`), 404, 'ErrorItemNotFound');
		expectError(await get('/me/mailFolders/not%20an%20id!'), 400, 'ErrorInvalidIdMalformed');
	});
});

describe('messages', () => {
	it('lists a folder newest first, 10 a page, with $select', async () => {
		const res = await get('/me/mailFolders/inbox/messages');
		expect(res.status).toBe(200);
		expect(res.json.value.map((m: any) => m.subject)).toEqual(["Bob's expenses for March", 'Quarterly report', 'Welcome to Microsoft 365']);
		const report = res.json.value[1];
		expect(report).toMatchObject({ isRead: false, hasAttachments: true, importance: 'high', categories: ['Finance'], isDraft: false });
		expect(report.body.contentType).toBe('html');
		expect(report.from).toEqual({ emailAddress: { name: 'Northwind Reports', address: 'reports@northwind.example' } });
		expect(report['@odata.etag']).toBe(`W/"${report.changeKey}"`);
		const selected = await get('/me/mailFolders/inbox/messages?$select=subject,isRead');
		for (const m of selected.json.value) expect(Object.keys(m).sort()).toEqual(['@odata.etag', 'id', 'isRead', 'subject']);
		expectError(await get('/me/messages?$select=nope'), 400, 'RequestBroker--ParseUri');
		const everywhere = await get('/me/messages?$top=50');
		expect(everywhere.json.value.map((m: any) => m.subject)).toEqual(expect.arrayContaining(['Lunch on Friday?', 'Weekly update (draft)']));
	});

	it('pages with $top and $skip nextLinks to the end; $top above 1000 is refused', async () => {
		const folder = await call('POST', '/me/mailFolders', { body: { displayName: 'Bulk' } });
		const ids = sandbox.outlook.seedMessages(ALICE.userPrincipalName, 25, { folder: 'Bulk', subject: 'Burst' });
		expect(ids).toHaveLength(25);
		const byDefault = await get(`/me/mailFolders/${folder.json.id}/messages`);
		expect(byDefault.json.value).toHaveLength(10);
		expect(new URL(byDefault.json['@odata.nextLink']).searchParams.get('$skip')).toBe('10');
		const { values, pages } = await all(`/me/mailFolders/${folder.json.id}/messages?$top=7&$select=subject`);
		expect(pages).toBe(4);
		expect(values.map((m) => m.subject)).toEqual(Array.from({ length: 25 }, (_, i) => `Burst ${String(25 - i).padStart(5, '0')}`));
		// Asking for the default order (newest first) pages the same way.
		const ordered = await all(`/me/mailFolders/${folder.json.id}/messages?$top=7&$select=subject&$orderby=${q('receivedDateTime desc')}`);
		expect(ordered.pages).toBe(4);
		expect(ordered.values.map((m) => m.id)).toEqual(values.map((m) => m.id));
		expect((await get(`/me/mailFolders/${folder.json.id}/messages?$top=1000`)).json.value).toHaveLength(25);
		expect((await get('/me/messages?$top=1001')).status).toBe(400);
		expect((await get('/me/messages?$top=0')).status).toBe(400);
		expect((await call('DELETE', `/me/mailFolders/${folder.json.id}`)).status).toBe(204);
	});

	it('filters with the forms Exchange supports and OData quoting', async () => {
		const subjects = async (filter: string) => {
			const res = await get(`/me/messages?$filter=${q(filter)}&$select=subject`);
			expect([filter, res.status, res.status === 200 ? '' : res.text]).toEqual([filter, 200, '']);
			return res.json.value.map((m: any) => m.subject).sort();
		};
		expect(await subjects('isRead eq false')).toEqual(['Quarterly report']);
		expect(await subjects('hasAttachments eq true')).toEqual(['Quarterly report']);
		expect(await subjects(`from/emailAddress/address eq '${BOB.userPrincipalName.toUpperCase()}'`)).toEqual(["Bob's expenses for March"]);
		expect(await subjects('receivedDateTime ge 2026-02-01T00:00:00Z and receivedDateTime le 2026-03-02T23:59:59Z')).toEqual(["Bob's expenses for March", 'Quarterly report']);
		expect(await subjects("importance eq 'high'")).toEqual(['Quarterly report']);
		expect(await subjects("categories/any(c:c eq 'Travel')")).toEqual(["Bob's expenses for March"]);
		expect(await subjects("contains(subject,'report')")).toEqual(['Quarterly report']);
		expect(await subjects("subject eq 'Bob''s expenses for March'")).toEqual(["Bob's expenses for March"]);
		expect(await subjects("startswith(subject,'bob''s') or (isRead eq false and not (importance eq 'low'))")).toEqual(["Bob's expenses for March", 'Quarterly report']);
		expect(await subjects("flag/flagStatus eq 'flagged'")).toEqual(["Bob's expenses for March"]);
		expect(await subjects("contains(subject,'a&b #$top=1')")).toEqual([]);
		expectError(await get(`/me/messages?$filter=${q("endswith(subject,'x')")}`), 400, 'ErrorInvalidUrlQueryFilter');
		expectError(await get(`/me/messages?$filter=${q("toRecipients/any(r:r/emailAddress/address eq 'x@y.z')")}`), 400, 'ErrorInvalidUrlQueryFilter');
		expectError(await get(`/me/messages?$filter=${q("nope eq 'x'")}`), 400, 'ErrorInvalidUrlQueryFilter');
		expectError(await get(`/me/messages?$filter=${q("subject eq 'unterminated")}`), 400, 'BadRequest');
		expectError(await get(`/me/messages?$filter=${q("isRead eq 'false'")}`), 400, 'BadRequest');
		expectError(await get(`/me/messages?$filter=${q("receivedDateTime ge '2026-01-01'")}`), 400, 'BadRequest');
	});

	it('orders, and keeps Exchange\'s $filter + $orderby rule (InefficientFilter)', async () => {
		const ordered = await get('/me/mailFolders/inbox/messages?$orderby=receivedDateTime asc&$select=subject');
		expect(ordered.json.value.map((m: any) => m.subject)).toEqual(['Welcome to Microsoft 365', 'Quarterly report', "Bob's expenses for March"]);
		expectError(await get(`/me/messages?$filter=${q('isRead eq false')}&$orderby=${q('receivedDateTime desc')}`), 400, 'InefficientFilter');
		const fine = await get(`/me/mailFolders/inbox/messages?$filter=${q('receivedDateTime ge 2026-01-01T00:00:00Z and isRead eq true')}&$orderby=${q('receivedDateTime desc')}&$select=subject`);
		expect(fine.json.value.map((m: any) => m.subject)).toEqual(["Bob's expenses for March", 'Welcome to Microsoft 365']);
		const bySubject = await get('/me/mailFolders/inbox/messages?$orderby=subject&$select=subject');
		expect(bySubject.json.value.map((m: any) => m.subject)).toEqual(["Bob's expenses for March", 'Quarterly report', 'Welcome to Microsoft 365']);
		expectError(await get('/me/messages?$orderby=nope desc'), 400, 'RequestBroker--ParseUri');
	});

	it('searches subject, body and sender; $search refuses $filter and $orderby', async () => {
		const search = async (value: string) => (await get(`/me/messages?$search=${q(value)}&$select=subject`)).json.value.map((m: any) => m.subject);
		expect(await search('"expenses"')).toEqual(["Bob's expenses for March"]);
		expect(await search('"hotel"')).toEqual(["Bob's expenses for March"]);
		expect(await search('"from:northwind"')).toEqual(['Quarterly report']);
		expect(await search('"lunch friday"')).toEqual(['Lunch on Friday?']);
		expectError(await get(`/me/messages?$search=${q('"x"')}&$filter=${q('isRead eq false')}`), 400, 'SearchWithFilter');
		expectError(await get(`/me/messages?$search=${q('"x"')}&$orderby=subject`), 400, 'SearchWithOrderBy');
	});

	it('gets one message with attachments expanded, as text, and as MIME', async () => {
		const report = sandbox.outlook.message(ALICE.userPrincipalName, 'Quarterly report')!;
		const res = await get(`/me/messages/${report.id}?$expand=attachments`);
		expect(res.json.attachments).toHaveLength(1);
		expect(res.json.attachments[0]).toMatchObject({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'report-q1.csv', contentType: 'text/csv' });
		expect(Buffer.from(res.json.attachments[0].contentBytes, 'base64').toString()).toContain('jan,100');
		const text = await get(`/me/messages/${report.id}`, { headers: { prefer: 'outlook.body-content-type="text"' } });
		expect(text.json.body).toEqual({ contentType: 'text', content: 'Please find the Q1 numbers attached.' });
		expect(text.headers['preference-applied']).toBe('outlook.body-content-type="text"');
		const mime = await get(`/me/messages/${report.id}/$value`);
		expect(mime.status).toBe(200);
		expect(mime.headers['content-type']).toBe('message/rfc822');
		expect(mime.text).toMatch(/^From: "Northwind Reports" <reports@northwind\.example>\r\n/);
		expect(mime.text).toContain('Subject: Quarterly report\r\n');
		expect(mime.text).toContain('Content-Type: multipart/mixed; boundary=');
		expect(mime.text).toContain('filename="report-q1.csv"');
		expect(mime.text).toContain(Buffer.from('month,revenue\njan,100\nfeb,120\nmar,90\n').toString('base64'));
		expectError(await get('/me/messages/AAMkAAAAAAAAAAAAAAAAAAAA='), 404, 'ErrorItemNotFound');
		expectError(await get('/me/messages/bogus'), 400, 'ErrorInvalidIdMalformed');
	});

	it('updates flags, categories and read state; compose-time fields only on drafts', async () => {
		const welcome = sandbox.outlook.message(ALICE.userPrincipalName, 'Welcome to Microsoft 365')!;
		const res = await call('PATCH', `/me/messages/${welcome.id}`, { body: { isRead: false, categories: ['Red'], flag: { flagStatus: 'flagged' }, importance: 'low' } });
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ isRead: false, categories: ['Red'], flag: { flagStatus: 'flagged' }, importance: 'low' });
		expect(res.json.changeKey).not.toBe(welcome.changeKey);
		expectError(await call('PATCH', `/me/messages/${welcome.id}`, { body: { subject: 'changed' } }), 400, 'ErrorInvalidPropertyUpdateSentMessage');
		expectError(await call('PATCH', `/me/messages/${welcome.id}`, { body: { isread: true } }), 400, 'BadRequest');
		expectError(await call('PATCH', `/me/messages/${welcome.id}`, { body: { isRead: 'yes' } }), 400, 'BadRequest');
		await call('PATCH', `/me/messages/${welcome.id}`, { body: { isRead: true, categories: [], flag: { flagStatus: 'notFlagged' }, importance: 'normal' } });
	});

	it('creates drafts, moves (new id) and copies them, and deletes via Deleted Items', async () => {
		const draft = await call('POST', '/me/messages', { body: { subject: 'Plan', body: { contentType: 'text', content: 'x' }, toRecipients: to(BOB.userPrincipalName) } });
		expect(draft.status).toBe(201);
		expect(draft.json).toMatchObject({ isDraft: true, subject: 'Plan', parentFolderId: sandbox.outlook.mailbox(ALICE.id).folders.drafts });
		expect(draft.json.toRecipients).toEqual([{ emailAddress: { name: BOB.displayName, address: BOB.userPrincipalName } }]);
		const edited = await call('PATCH', `/me/messages/${draft.json.id}`, { body: { subject: 'Plan B', ccRecipients: to('x@external.example') } });
		expect(edited.json).toMatchObject({ subject: 'Plan B', ccRecipients: [{ emailAddress: { address: 'x@external.example' } }] });
		const moved = await call('POST', `/me/messages/${draft.json.id}/move`, { body: { destinationId: 'archive' } });
		expect(moved.status).toBe(201);
		expect(moved.json.id).not.toBe(draft.json.id);
		expect(moved.json.parentFolderId).toBe(sandbox.outlook.mailbox(ALICE.id).folders.archive);
		expectError(await get(`/me/messages/${draft.json.id}`), 404, 'ErrorItemNotFound');
		const copy = await call('POST', `/me/messages/${moved.json.id}/copy`, { body: { destinationId: 'inbox' } });
		expect([copy.status, copy.json.subject]).toEqual([201, 'Plan B']);
		expect((await get(`/me/messages/${moved.json.id}`)).status).toBe(200);
		expectError(await call('POST', `/me/messages/${moved.json.id}/move`, { body: {} }), 400, 'ErrorInvalidParameter');
		expectError(await call('POST', `/me/messages/${moved.json.id}/move`, { body: { destinationId: 'AQMkAAAAAAAAAAAAAAAA=' } }), 404, 'ErrorItemNotFound');
		expect((await call('DELETE', `/me/messages/${copy.json.id}`)).status).toBe(204);
		const deleted = sandbox.outlook.message(ALICE.userPrincipalName, 'Plan B', 'deleteditems')!;
		expect(deleted).not.toBeNull();
		expect((await call('DELETE', `/me/messages/${deleted.id}`)).status).toBe(204);
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'Plan B', 'deleteditems')).toBeNull();
		await call('DELETE', `/me/messages/${moved.json.id}`);
		const fresh = await call('POST', '/me/mailFolders/archive/messages', { body: { subject: 'In archive' } });
		expect([fresh.status, fresh.json.isDraft, fresh.json.parentFolderId]).toEqual([201, true, sandbox.outlook.mailbox(ALICE.id).folders.archive]);
	});
});

describe('sending', () => {
	beforeEach(() => sandbox.outlook.clearOutbox());

	it('delivers sendMail to in-tenant inboxes (to/cc/bcc), keeps Sent Items, and logs external recipients', async () => {
		const res = await call('POST', '/me/sendMail', {
			body: {
				message: {
					subject: 'Status report', body: { contentType: 'html', content: '<p>All <b>green</b></p>' },
					toRecipients: to(BOB.userPrincipalName.toUpperCase()), ccRecipients: to(CAROL.userPrincipalName, 'partner@fabrikam.example'),
					bccRecipients: to(SUPPORT.address),
					attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'notes.txt', contentType: 'text/plain', contentBytes: Buffer.from('hello').toString('base64') }],
				},
			},
		});
		expect([res.status, res.text]).toEqual([202, '']);
		const atBob = sandbox.outlook.message(BOB.userPrincipalName, 'Status report', 'inbox')!;
		expect(atBob).toMatchObject({ isRead: false, isDraft: false, hasAttachments: true, bccRecipients: [] });
		expect(atBob.from).toEqual({ emailAddress: { name: ALICE.displayName, address: ALICE.userPrincipalName } });
		expect(sandbox.outlook.attachmentBytes(BOB.userPrincipalName, atBob.id, 'notes.txt').toString()).toBe('hello');
		expect(sandbox.outlook.message(SUPPORT.address, 'Status report', 'inbox')).not.toBeNull();
		const sent = sandbox.outlook.message(ALICE.userPrincipalName, 'Status report', 'sentitems')!;
		expect(sent).toMatchObject({ isRead: true, isDraft: false });
		expect(sent.bccRecipients).toEqual([{ emailAddress: { name: SUPPORT.displayName, address: SUPPORT.address } }]);
		expect(sandbox.outlook.outbox()).toEqual([expect.objectContaining({
			from: ALICE.userPrincipalName, to: [], cc: [CAROL.userPrincipalName, 'partner@fabrikam.example'], bcc: [], subject: 'Status report',
			attachments: [{ name: 'notes.txt', contentType: 'text/plain', size: 5, isInline: false }],
		})]);
		expect(sandbox.outlook.message(CAROL.userPrincipalName, 'Status report')).toBeNull();
	});

	it('honours saveToSentItems false and refuses non-boolean values and bad recipients', async () => {
		const message = { subject: 'No copy', toRecipients: to(BOB.userPrincipalName) };
		expect((await call('POST', '/me/sendMail', { body: { message, saveToSentItems: false } })).status).toBe(202);
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'No copy', 'sentitems')).toBeNull();
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'No copy', 'inbox')).not.toBeNull();
		expectError(await call('POST', '/me/sendMail', { body: { message, saveToSentItems: 'false' } }), 400, 'BadRequest');
		expectError(await call('POST', '/me/sendMail', { body: { message: { subject: 'x' } } }), 400, 'ErrorInvalidRecipients');
		expectError(await call('POST', '/me/sendMail', { body: { message: { subject: 'x', toRecipients: to('not-an-address') } } }), 400, 'ErrorInvalidRecipients');
		expectError(await call('POST', '/me/sendMail', { body: { message: { subject: 'x', toRecipients: [{ address: 'a@b.cd' }] } } }), 400, 'ErrorInvalidRecipients');
		expectError(await call('POST', '/me/sendMail', { body: {} }), 400, 'ErrorInvalidParameter');
		expectError(await call('POST', '/me/sendMail'), 400, 'BadRequest');
	});

	it('answers a request body above 4 MB with 413 before delivering anything', async () => {
		const big = Buffer.alloc(3.5 * 1024 * 1024, 1).toString('base64');
		const res = await call('POST', '/me/sendMail', {
			body: { message: { subject: 'Too big', toRecipients: to(BOB.userPrincipalName), attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'big.bin', contentBytes: big }] } },
		});
		expectError(res, 413, 'RequestEntityTooLarge');
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'Too big')).toBeNull();
	});

	it('sends drafts (202; the draft becomes the Sent Items copy) and only drafts', async () => {
		const draft = await call('POST', '/me/messages', { body: { subject: 'Draft to send', toRecipients: to(BOB.userPrincipalName, 'ext@external.example') } });
		const attach = await call('POST', `/me/messages/${draft.json.id}/attachments`, {
			body: { '@odata.type': '#microsoft.graph.fileAttachment', name: 'a.txt', contentBytes: Buffer.from('A').toString('base64') },
		});
		expect(attach.status).toBe(201);
		const sent = await call('POST', `/me/messages/${draft.json.id}/send`);
		expect([sent.status, sent.text]).toEqual([202, '']);
		expectError(await call('POST', `/me/messages/${draft.json.id}/send`), 404, 'ErrorItemNotFound');
		const copy = sandbox.outlook.message(ALICE.userPrincipalName, 'Draft to send', 'sentitems')!;
		expect(copy).toMatchObject({ isDraft: false, hasAttachments: true });
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'Draft to send', 'inbox')!.attachments.map((a) => a.name)).toEqual(['a.txt']);
		expect(sandbox.outlook.outbox().map((e) => e.to)).toEqual([['ext@external.example']]);
		expectError(await call('POST', `/me/messages/${copy.id}/send`), 400, 'ErrorInvalidOperation');
	});

	it('replies, replies to all and forwards (202), and creates reply / forward drafts (201)', async () => {
		const original = sandbox.outlook.message(ALICE.userPrincipalName, "Bob's expenses for March")!;
		expect((await call('POST', `/me/messages/${original.id}/reply`, { body: { comment: 'Approved.' } })).status).toBe(202);
		const reply = sandbox.outlook.message(BOB.userPrincipalName, "RE: Bob's expenses for March", 'inbox')!;
		expect(reply.body.content).toContain('Approved.');
		expect(reply.body.content).toContain('train 120 EUR');
		expect(reply.conversationId).toBe(original.conversationId);
		const group = sandbox.outlook.seedMessage(ALICE.userPrincipalName, {
			subject: 'Team question', from: BOB.userPrincipalName, to: [ALICE.userPrincipalName, 'ext1@external.example'], cc: ['ext2@external.example'],
		});
		expect((await call('POST', `/me/messages/${group.id}/replyAll`, { body: { comment: 'Yes' } })).status).toBe(202);
		expect(sandbox.outlook.outbox()).toEqual([expect.objectContaining({ subject: 'RE: Team question', to: ['ext1@external.example'], cc: ['ext2@external.example'] })]);
		expectError(await call('POST', `/me/messages/${original.id}/forward`, { body: { comment: 'FYI' } }), 400, 'ErrorInvalidRecipients');
		const report = sandbox.outlook.message(ALICE.userPrincipalName, 'Quarterly report')!;
		expect((await call('POST', `/me/messages/${report.id}/forward`, { body: { comment: 'FYI', toRecipients: to('auditor@external.example') } })).status).toBe(202);
		expect(sandbox.outlook.outbox()[1]).toMatchObject({ subject: 'FW: Quarterly report', to: ['auditor@external.example'], attachments: [expect.objectContaining({ name: 'report-q1.csv' })] });
		expectError(await call('POST', `/me/messages/${report.id}/reply`, { body: { comment: 'a', message: { body: { contentType: 'text', content: 'b' } } } }), 400, 'ErrorInvalidRequest');
		const created = await call('POST', `/me/messages/${original.id}/createReply`);
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ isDraft: true, subject: "RE: Bob's expenses for March", toRecipients: [{ emailAddress: { address: BOB.userPrincipalName } }] });
		expect(created.json.parentFolderId).toBe(sandbox.outlook.mailbox(ALICE.id).folders.drafts);
		const forward = await call('POST', `/me/messages/${report.id}/createForward`, { body: { toRecipients: to('x@external.example') } });
		expect(forward.status).toBe(201);
		expect(forward.json).toMatchObject({ subject: 'FW: Quarterly report', hasAttachments: true });
		const all = await call('POST', `/me/messages/${group.id}/createReplyAll`, { body: { message: { categories: ['Follow'] } } });
		expect(all.json.toRecipients.map((r: any) => r.emailAddress.address)).toEqual([BOB.userPrincipalName, 'ext1@external.example']);
		expect(all.json.categories).toEqual(['Follow']);
	});
});

describe('attachments', () => {
	it('lists (with contentBytes), gets, downloads raw, adds under 3 MB and deletes', async () => {
		const draft = await call('POST', '/me/messages', { body: { subject: 'With files' } });
		const base = `/me/messages/${draft.json.id}/attachments`;
		const added = await call('POST', base, { body: { '@odata.type': '#microsoft.graph.fileAttachment', name: 'photo.png', contentBytes: bytes(1000).toString('base64') } });
		expect(added.status).toBe(201);
		expect(added.json).toMatchObject({ name: 'photo.png', contentType: 'image/png', size: 1000, isInline: false });
		const list = await get(base);
		expect(list.json.value).toHaveLength(1);
		expect(Buffer.from(list.json.value[0].contentBytes, 'base64').equals(bytes(1000))).toBe(true);
		const meta = await get(`${base}/${added.json.id}?$select=name,size`);
		expect(Object.keys(meta.json).filter((k) => !k.startsWith('@')).sort()).toEqual(['id', 'name', 'size']);
		const raw = await getBytes(`${sandbox.graphUrl}/v1.0${base}/${added.json.id}/$value`, alice);
		expect([raw.status, raw.headers['content-type'], raw.body.equals(bytes(1000))]).toEqual([200, 'image/png', true]);
		expect((await get(`/me/messages/${draft.json.id}`)).json.hasAttachments).toBe(true);
		expectError(await call('POST', base, { body: { '@odata.type': '#microsoft.graph.fileAttachment', name: 'big.bin', contentBytes: bytes(3 * 1024 * 1024).toString('base64') } }), 413, 'RequestEntityTooLarge');
		expectError(await call('POST', base, { body: { name: 'x', contentBytes: 'eA==' } }), 400, 'BadRequest');
		expectError(await call('POST', base, { body: { '@odata.type': '#microsoft.graph.fileAttachment', name: 'x', contentBytes: '***' } }), 400, 'BadRequest');
		expect((await call('DELETE', `${base}/${added.json.id}`)).status).toBe(204);
		expect((await get(base)).json.value).toEqual([]);
		expectError(await get(`${base}/${added.json.id}`), 404, 'ErrorItemNotFound');
	});

	it('uploads a 5 MB attachment through an upload session on the files host, in ranges of at most 4 MB', async () => {
		const draft = await call('POST', '/me/messages', { body: { subject: 'Large attachment', toRecipients: to(BOB.userPrincipalName) } });
		const session = await call('POST', `/me/messages/${draft.json.id}/attachments/createUploadSession`, {
			body: { AttachmentItem: { attachmentType: 'file', name: 'video.mp4', size: 5 * 1024 * 1024, contentType: 'video/mp4' } },
		});
		expect(session.status).toBe(201);
		expect(session.json.nextExpectedRanges).toEqual(['0-']);
		const uploadUrl: string = session.json.uploadUrl;
		expect(uploadUrl.startsWith(`${sandbox.filesUrl}/api/v2.0/Users('`)).toBe(true);
		expect(uploadUrl).toContain('/AttachmentSessions(');
		expect(sandbox.outlook.openUploadSessions()).toBe(1);
		const file = bytes(5 * 1024 * 1024, 3);
		const range = (start: number, end: number) => ({ 'content-range': `bytes ${start}-${end}/${file.length}` });

		const withToken = await put(uploadUrl, file.subarray(0, 1024), { ...range(0, 1023), authorization: `Bearer ${alice}` });
		expect(withToken.status).toBe(401);
		expect(sandbox.state.violations.pop()).toMatchObject({ reason: 'Authorization header sent to the files host' });
		expect((await put(uploadUrl, file.subarray(0, 4 * 1024 * 1024 + 1), range(0, 4 * 1024 * 1024))).status).toBe(413);
		expect((await put(uploadUrl.replace(/authtoken=[^&]+/, 'authtoken=forged'), file.subarray(0, 10), range(0, 9))).status).toBe(401);

		const first = await put(uploadUrl, file.subarray(0, 4 * 1024 * 1024), range(0, 4 * 1024 * 1024 - 1));
		expect(first.status).toBe(200);
		expect(first.json.nextExpectedRanges).toEqual([String(4 * 1024 * 1024)]);
		expect((await put(uploadUrl, file.subarray(0, 100), range(0, 99))).status).toBe(416);
		const last = await put(uploadUrl, file.subarray(4 * 1024 * 1024), range(4 * 1024 * 1024, file.length - 1));
		expect([last.status, last.text]).toEqual([201, '']);
		const attachmentId = /Attachments\('([^']+)'\)$/.exec(String(last.headers.location))?.[1];
		expect(attachmentId).toBeDefined();
		expect(sandbox.outlook.openUploadSessions()).toBe(0);
		const meta = await get(`/me/messages/${draft.json.id}/attachments/${attachmentId}?$select=name,size,contentType`);
		expect(meta.json).toMatchObject({ name: 'video.mp4', size: file.length, contentType: 'video/mp4' });
		const raw = await getBytes(`${sandbox.graphUrl}/v1.0/me/messages/${draft.json.id}/attachments/${attachmentId}/$value`, alice);
		expect(raw.body.equals(file)).toBe(true);
		expect((await call('POST', `/me/messages/${draft.json.id}/send`)).status).toBe(202);
		const delivered = sandbox.outlook.message(BOB.userPrincipalName, 'Large attachment', 'inbox')!;
		expect(sandbox.outlook.attachmentBytes(BOB.userPrincipalName, delivered.id, 'video.mp4').equals(file)).toBe(true);
	});

	it('refuses sessions under 3 MB or over 150 MB, and cancels with DELETE on the upload URL', async () => {
		const draft = await call('POST', '/me/messages', { body: { subject: 'Session rules' } });
		const create = (item: unknown) => call('POST', `/me/messages/${draft.json.id}/attachments/createUploadSession`, { body: { AttachmentItem: item } });
		expectError(await create({ attachmentType: 'file', name: 'small.txt', size: 1024 }), 400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize');
		expect((await create({ attachmentType: 'file', name: 'huge.bin', size: 151 * 1024 * 1024 })).status).toBe(400);
		expect((await create({ attachmentType: 'item', name: 'x', size: 4 * 1024 * 1024 })).status).toBe(400);
		const session = await create({ attachmentType: 'file', name: 'cancel.bin', size: 4 * 1024 * 1024 });
		expect(sandbox.outlook.openUploadSessions()).toBe(1);
		const cancelled = await sandboxRequest(session.json.uploadUrl, { method: 'DELETE', ca });
		expect(cancelled.status).toBe(204);
		expect(sandbox.outlook.openUploadSessions()).toBe(0);
		expect((await put(session.json.uploadUrl, Buffer.alloc(10), { 'content-range': 'bytes 0-9/4194304' })).status).toBe(404);
	});
});

describe('message delta', () => {
	it('pages the first round, then reports created, updated and removed messages with $select kept', async () => {
		const folder = await call('POST', '/me/mailFolders', { body: { displayName: 'Delta' } });
		const ids = sandbox.outlook.seedMessages(ALICE.userPrincipalName, 5, { folder: 'Delta', subject: 'Delta' });
		const first = await deltaRound(`/me/mailFolders/${folder.json.id}/messages/delta?$select=subject,isRead`, { headers: { prefer: 'odata.maxpagesize=2' } });
		expect(first.pages).toBe(3);
		expect(first.values.map((m) => m.subject).sort()).toEqual(['Delta 00001', 'Delta 00002', 'Delta 00003', 'Delta 00004', 'Delta 00005']);
		for (const m of first.values) expect(Object.keys(m).sort()).toEqual(['@odata.etag', 'id', 'isRead', 'subject']);
		const page = await get(`/me/mailFolders/${folder.json.id}/messages/delta`, { headers: { prefer: 'odata.maxpagesize=2' } });
		expect(page.headers['preference-applied']).toBe('odata.maxpagesize=2');

		const quiet = await deltaRound(first.deltaLink);
		expect(quiet.values).toEqual([]);

		const added = sandbox.outlook.seedMessage(ALICE.userPrincipalName, { folder: 'Delta', subject: 'Delta new' });
		expect((await call('PATCH', `/me/messages/${ids[0]}`, { body: { isRead: true } })).status).toBe(200);
		expect((await call('DELETE', `/me/messages/${ids[1]}`)).status).toBe(204);
		const moved = await call('POST', `/me/messages/${ids[2]}/move`, { body: { destinationId: 'inbox' } });
		const second = await deltaRound(quiet.deltaLink);
		expect(second.values).toEqual(expect.arrayContaining([
			expect.objectContaining({ id: added.id, subject: 'Delta new', isRead: false }),
			expect.objectContaining({ id: ids[0], subject: 'Delta 00001', isRead: true }),
			{ '@odata.type': '#microsoft.graph.message', id: ids[1], '@removed': { reason: 'deleted' } },
			{ '@odata.type': '#microsoft.graph.message', id: ids[2], '@removed': { reason: 'deleted' } },
		]));
		expect(second.values).toHaveLength(4);
		expect(second.values.map((m) => m.id)).not.toContain(moved.json.id);
		for (const m of second.values.filter((v) => !v['@removed'])) expect(Object.keys(m).sort()).toEqual(['@odata.etag', 'id', 'isRead', 'subject']);
		expect((await deltaRound(second.deltaLink)).values).toEqual([]);
	});

	it('filters rounds by changeType and receivedDateTime, refuses what delta does not support', async () => {
		const folder = await call('POST', '/me/mailFolders', { body: { displayName: 'Delta types' } });
		const [one, two] = sandbox.outlook.seedMessages(ALICE.userPrincipalName, 2, { folder: 'Delta types', subject: 'Typed', receivedDateTime: '2026-05-01T10:00:00Z' });
		const base = `/me/mailFolders/${folder.json.id}/messages/delta`;
		const created = await deltaRound(`${base}?changeType=created`);
		expect(created.values).toHaveLength(2);
		sandbox.outlook.updateMessage(ALICE.userPrincipalName, one, { isRead: true });
		const fresh = sandbox.outlook.seedMessage(ALICE.userPrincipalName, { folder: 'Delta types', subject: 'Typed new' });
		sandbox.outlook.deleteMessage(ALICE.userPrincipalName, two);
		expect((await deltaRound(created.deltaLink)).values.map((m) => m.id)).toEqual([fresh.id]);
		// the burst was received at 09:59 and 10:00 (Typed 00002, deleted since)
		const since = await deltaRound(`${base}?$filter=${q('receivedDateTime ge 2026-05-01T09:59:30Z')}`);
		expect(since.values.map((m) => m.subject)).toEqual(['Typed new']);
		const all = await deltaRound(`${base}?$filter=${q('receivedDateTime gt 2026-05-01T09:58:59Z')}&$orderby=${q('receivedDateTime desc')}`);
		expect(all.values.map((m) => m.subject)).toEqual(['Typed new', 'Typed 00001']);
		// "from now": times are compared with their milliseconds (the JSON shows whole seconds, as Graph's)
		const fromNow = await deltaRound(`/me/mailFolders/inbox/messages/delta?$filter=${q(`receivedDateTime ge ${new Date().toISOString()}`)}&$select=subject,receivedDateTime`);
		expect(fromNow.values).toEqual([]);
		expect((await call('POST', '/me/sendMail', { token: bob, body: { message: { subject: 'Just now', toRecipients: to(ALICE.userPrincipalName) } } })).status).toBe(202);
		const arrived = await deltaRound(fromNow.deltaLink);
		expect(arrived.values.map((m) => m.subject)).toEqual(['Just now']);
		expect(arrived.values[0].receivedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expectError(await get(`${base}?$filter=${q('isRead eq false')}`), 400, 'ErrorInvalidUrlQueryFilter');
		expect((await get(`${base}?$search=${q('"x"')}`)).status).toBe(400);
		expect((await get(`${base}?changeType=moved`)).status).toBe(400);
	});

	it('answers 410 SyncStateNotFound for unknown and expired tokens', async () => {
		expectError(await get('/me/mailFolders/inbox/messages/delta?$deltatoken=garbage'), 410, 'SyncStateNotFound');
		expectError(await get('/me/mailFolders/inbox/messages/delta?$skiptoken=garbage'), 410, 'SyncStateNotFound');
		const round = await deltaRound('/me/mailFolders/inbox/messages/delta');
		const paging = await get('/me/mailFolders/inbox/messages/delta', { headers: { prefer: 'odata.maxpagesize=1' } });
		sandbox.outlook.expireDeltaTokens(ALICE.userPrincipalName);
		const expired = await get(round.deltaLink);
		expectError(expired, 410, 'SyncStateNotFound');
		expect(expired.headers.location).toBe(`${sandbox.graphUrl}/v1.0/me/mailFolders/inbox/messages/delta`);
		expectError(await get(paging.json['@odata.nextLink']), 410, 'SyncStateNotFound');
		const drafts = await deltaRound('/me/mailFolders/drafts/messages/delta');
		expectError(await get(drafts.deltaLink.replace('/drafts/', '/inbox/')), 410, 'SyncStateNotFound');
	});
});

describe('calendars', () => {
	it('lists, creates, renames and deletes calendars; the default one is /calendar', async () => {
		const list = await get('/me/calendars');
		expect(list.json.value.map((c: any) => [c.name, c.isDefaultCalendar])).toEqual([['Calendar', true]]);
		const byDefault = await get('/me/calendar');
		expect(byDefault.json).toMatchObject({ id: list.json.value[0].id, owner: { name: ALICE.displayName, address: ALICE.userPrincipalName }, isRemovable: false });
		const created = await call('POST', '/me/calendars', { body: { name: 'Holidays' } });
		expect([created.status, created.json.isDefaultCalendar]).toEqual([201, false]);
		expectError(await call('POST', '/me/calendars', { body: { name: 'holidays' } }), 409, 'ErrorFolderExists');
		expect((await call('PATCH', `/me/calendars/${created.json.id}`, { body: { name: 'Vacation', color: 'lightBlue' } })).json).toMatchObject({ name: 'Vacation', color: 'lightBlue' });
		const event = await call('POST', `/me/calendars/${created.json.id}/events`, {
			body: { subject: 'Beach', start: { dateTime: '2026-07-01T00:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-07-02T00:00:00', timeZone: 'UTC' }, isAllDay: true },
		});
		expect(event.status).toBe(201);
		expect((await get(`/me/calendars/${created.json.id}/events`)).json.value.map((e: any) => e.subject)).toEqual(['Beach']);
		expect((await get('/me/events?$top=100')).json.value.map((e: any) => e.subject)).not.toContain('Beach');
		expectError(await get(`/me/calendar/events/${event.json.id}`), 404, 'ErrorItemNotFound');
		expectError(await call('DELETE', `/me/calendars/${byDefault.json.id}`), 400, 'ErrorDeleteDistinguishedFolder');
		expect((await call('DELETE', `/me/calendars/${created.json.id}`)).status).toBe(204);
		expectError(await get(`/me/calendars/${created.json.id}`), 404, 'ErrorItemNotFound');
		expectError(await get(`/me/events/${event.json.id}`), 404, 'ErrorItemNotFound');
	});

	it('expands daily and weekly series in calendarView, keeping wall-clock time across DST', async () => {
		const view = await all('/me/calendarView?startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-04-01T00:00:00Z&$top=100&$select=subject,start,end,type,seriesMasterId');
		const subjects = view.values.map((e) => e.subject);
		expect(subjects.filter((s) => s === 'Daily stand-up')).toHaveLength(10);
		const sync = view.values.filter((e) => e.subject === 'Team sync');
		expect(sync.map((e) => e.start.dateTime)).toEqual([
			'2026-03-02T08:00:00.0000000', '2026-03-09T08:00:00.0000000', '2026-03-16T08:00:00.0000000', '2026-03-23T08:00:00.0000000', '2026-03-30T07:00:00.0000000',
		]);
		expect(sync.every((e) => e.type === 'occurrence' && e.start.timeZone === 'UTC')).toBe(true);
		const standups = view.values.filter((e) => e.subject === 'Daily stand-up');
		expect(standups[0].start.dateTime).toBe('2026-03-02T16:45:00.0000000');
		expect(standups[9].start.dateTime).toBe('2026-03-11T15:45:00.0000000');
		expect(view.values.find((e) => e.subject === 'Dentist')).toMatchObject({ type: 'singleInstance', seriesMasterId: null });
		const starts = view.values.map((e) => e.start.dateTime);
		expect([...starts].sort()).toEqual(starts);
		const calendarScoped = await get(`/me/calendars/${sandbox.outlook.mailbox(ALICE.id).defaultCalendarId}/calendarView?startDateTime=2026-03-10T00:00:00Z&endDateTime=2026-03-11T00:00:00Z`);
		expect(calendarScoped.json.value.map((e: any) => e.subject).sort()).toEqual(['Daily stand-up', 'Dentist']);
	});

	it('requires both window bounds', async () => {
		expectError(await get('/me/calendarView?startDateTime=2026-03-01T00:00:00Z'), 400, 'ErrorInvalidParameter');
		expectError(await get('/me/calendarView'), 400, 'ErrorInvalidParameter');
		expectError(await get('/me/calendarView?startDateTime=yesterday&endDateTime=today'), 400, 'ErrorInvalidParameter');
		expect((await get('/me/calendarview?startdatetime=2026-03-01T00:00:00Z&enddatetime=2026-03-02T00:00:00Z')).status).toBe(200);
	});

	it('converts times for Prefer: outlook.timezone (Windows and IANA names) and reads the window in that zone', async () => {
		const window = 'startDateTime=2026-03-09T00:00:00&endDateTime=2026-03-10T00:00:00';
		const sync = async (zone: string) => {
			const res = await get(`/me/calendarView?${window}&$filter=${q("subject eq 'Team sync'")}`, { headers: { prefer: `outlook.timezone="${zone}"` } });
			expect([zone, res.status]).toEqual([zone, 200]);
			expect(res.headers['preference-applied']).toBe(`outlook.timezone="${zone}"`);
			return res.json.value.map((e: any) => [e.start.dateTime, e.start.timeZone]);
		};
		expect(await sync('W. Europe Standard Time')).toEqual([['2026-03-09T09:00:00.0000000', 'W. Europe Standard Time']]);
		expect(await sync('Europe/Berlin')).toEqual([['2026-03-09T09:00:00.0000000', 'Europe/Berlin']]);
		expect(await sync('UTC')).toEqual([['2026-03-09T08:00:00.0000000', 'UTC']]);
		// the window is read in the preferred zone: Tokyo's 9 March holds the 08:00 UTC meeting (17:00 there)
		expect(await sync('Asia/Tokyo')).toEqual([['2026-03-09T17:00:00.0000000', 'Asia/Tokyo']]);
		expect(await sync('Hawaiian Standard Time')).toEqual([]);
		const pacific = await get(`/me/calendarView?${window}`, { headers: { prefer: 'outlook.timezone="Pacific Standard Time"' } });
		expect(pacific.json.value.map((e: any) => [e.subject, e.start.dateTime])).toEqual([['Team sync', '2026-03-09T01:00:00.0000000'], ['Daily stand-up', '2026-03-09T08:45:00.0000000']]);
		expectError(await get(`/me/calendarView?${window}`, { headers: { prefer: 'outlook.timezone="Mars Standard Time"' } }), 400, 'TimeZoneNotSupportedException');
	});

	it('lists the instances of a series in a window', async () => {
		const master = sandbox.outlook.event(ALICE.userPrincipalName, 'Daily stand-up')!;
		const res = await get(`/me/events/${master.id}/instances?startDateTime=2026-03-05T00:00:00Z&endDateTime=2026-03-08T00:00:00Z&$select=start,type,seriesMasterId`);
		expect(res.json.value.map((e: any) => [e.start.dateTime, e.type, e.seriesMasterId])).toEqual([
			['2026-03-05T16:45:00.0000000', 'occurrence', master.id], ['2026-03-06T16:45:00.0000000', 'occurrence', master.id], ['2026-03-07T16:45:00.0000000', 'occurrence', master.id],
		]);
		expectError(await get(`/me/events/${master.id}/instances`), 400, 'ErrorInvalidParameter');
	});

	it('reads, changes and cancels single occurrences by id', async () => {
		const view = await get('/me/calendarView?startDateTime=2026-03-16T00:00:00Z&endDateTime=2026-03-17T00:00:00Z');
		const occurrence = view.json.value.find((e: any) => e.subject === 'Team sync');
		const master = sandbox.outlook.event(ALICE.userPrincipalName, 'Team sync')!;
		expect(occurrence.seriesMasterId).toBe(master.id);
		expect((await get(`/me/events/${occurrence.id}`)).json).toMatchObject({ id: occurrence.id, type: 'occurrence', originalStart: '2026-03-16T08:00:00Z' });
		const moved = await call('PATCH', `/me/events/${occurrence.id}`, { body: { subject: 'Team sync (moved)', start: { dateTime: '2026-03-16T11:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-16T11:30:00', timeZone: 'UTC' } } });
		expect(moved.json).toMatchObject({ type: 'exception', subject: 'Team sync (moved)', start: { dateTime: '2026-03-16T11:00:00.0000000' } });
		const next = await get('/me/calendarView?startDateTime=2026-03-23T00:00:00Z&endDateTime=2026-03-24T00:00:00Z');
		const later = next.json.value.find((e: any) => e.seriesMasterId === master.id);
		expect((await call('DELETE', `/me/events/${later.id}`)).status).toBe(204);
		expectError(await get(`/me/events/${later.id}`), 404, 'ErrorItemNotFound');
		const after = await get('/me/calendarView?startDateTime=2026-03-16T00:00:00Z&endDateTime=2026-03-24T00:00:00Z&$top=50&$select=subject');
		expect(after.json.value.map((e: any) => e.subject)).toContain('Team sync (moved)');
		expect(after.json.value.map((e: any) => e.subject)).not.toContain('Team sync');
		const masterJson = await get(`/me/events/${master.id}?$select=cancelledOccurrences,type`);
		expect(masterJson.json.cancelledOccurrences).toHaveLength(1);
	});

	it('creates, filters, updates and deletes events; validates times and recurrence', async () => {
		const created = await call('POST', '/me/events', {
			body: {
				subject: 'Planning', body: { contentType: 'text', content: 'Agenda' },
				start: { dateTime: '2026-04-20T14:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-04-20T15:00:00', timeZone: 'Pacific Standard Time' },
				location: { displayName: 'Room 7' }, isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness',
			},
		});
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({
			subject: 'Planning', type: 'singleInstance', isOrganizer: true, originalStartTimeZone: 'Pacific Standard Time',
			start: { dateTime: '2026-04-20T21:00:00.0000000', timeZone: 'UTC' }, location: { displayName: 'Room 7' }, onlineMeetingProvider: 'teamsForBusiness',
		});
		expect(created.json.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
		const found = await get(`/me/events?$filter=${q("startswith(subject,'plan')")}&$select=subject`);
		expect(found.json.value.map((e: any) => e.subject)).toEqual(['Planning']);
		const ordered = await get(`/me/events?$orderby=${q('start/dateTime desc')}&$select=subject&$top=3`);
		expect(ordered.json.value[0].subject).toBe('Planning');
		const patched = await call('PATCH', `/me/events/${created.json.id}`, { body: { subject: 'Planning v2', end: { dateTime: '2026-04-20T16:00:00', timeZone: 'Pacific Standard Time' } } });
		expect(patched.json).toMatchObject({ subject: 'Planning v2', end: { dateTime: '2026-04-20T23:00:00.0000000' } });
		expectError(await call('PATCH', `/me/events/${created.json.id}`, { body: { end: { dateTime: '2026-04-20T10:00:00', timeZone: 'Pacific Standard Time' } } }), 400, 'ErrorCalendarEndDateIsEarlierThanStartDate');
		expectError(await call('POST', '/me/events', { body: { subject: 'x', start: { dateTime: '2026-04-20T14:00:00', timeZone: 'Nowhere/City' }, end: { dateTime: '2026-04-20T15:00:00', timeZone: 'UTC' } } }), 400, 'TimeZoneNotSupportedException');
		expect((await call('POST', '/me/events', { body: { subject: 'x', start: { dateTime: '2026-04-20T14:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-04-20T15:00:00', timeZone: 'UTC' }, recurrence: { pattern: { type: 'weekly' }, range: { type: 'noEnd', startDate: '2026-04-20' } } } })).status).toBe(400);
		expectError(await call('POST', '/me/events', { body: { subject: 'x', start: { dateTime: '2026-04-20T14:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-04-20T15:00:00', timeZone: 'UTC' }, colour: 'red' } }), 400, 'BadRequest');
		expect((await call('DELETE', `/me/events/${created.json.id}`)).status).toBe(204);
		expectError(await get(`/me/events/${created.json.id}`), 404, 'ErrorItemNotFound');
	});

	it('invites attendees, who accept or decline; organizers cancel', async () => {
		sandbox.outlook.clearOutbox();
		const created = await call('POST', '/me/events', {
			body: {
				subject: 'Budget review', start: { dateTime: '2026-05-04T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-05-04T10:00:00', timeZone: 'UTC' },
				attendees: [{ emailAddress: { address: BOB.userPrincipalName }, type: 'required' }, { emailAddress: { address: 'cfo@external.example', name: 'CFO' }, type: 'optional' }, { emailAddress: { address: SUPPORT.address }, type: 'optional' }],
			},
		});
		expect(created.status).toBe(201);
		expect(created.json.attendees.map((a: any) => [a.emailAddress.address, a.status.response])).toEqual([[BOB.userPrincipalName, 'none'], ['cfo@external.example', 'none'], [SUPPORT.address, 'none']]);
		const bobsCopy = sandbox.outlook.event(BOB.userPrincipalName, 'Budget review')!;
		expect(bobsCopy).toMatchObject({ isOrganizer: false, responseStatus: { response: 'notResponded' }, iCalUId: created.json.iCalUId, organizer: { emailAddress: { address: ALICE.userPrincipalName } } });
		const request = sandbox.outlook.message(BOB.userPrincipalName, 'Budget review', 'inbox')!;
		expect(request).toMatchObject({ '@odata.type': '#microsoft.graph.eventMessageRequest', meetingMessageType: 'meetingRequest', startDateTime: { dateTime: '2026-05-04T09:00:00.0000000', timeZone: 'UTC' } });
		expect(sandbox.outlook.outbox()).toEqual([expect.objectContaining({ subject: 'Budget review', to: ['cfo@external.example'] })]);
		expectError(await call('POST', `/me/events/${created.json.id}/accept`, { body: {} }), 400, 'ErrorInvalidRequest');

		const accepted = await call('POST', `/me/events/${bobsCopy.id}/accept`, { token: bob, body: { comment: 'See you', sendResponse: true } });
		expect([accepted.status, accepted.text]).toEqual([202, '']);
		expect((await get(`/me/events/${bobsCopy.id}`, { token: bob })).json.responseStatus.response).toBe('accepted');
		expect((await get(`/me/events/${created.json.id}`)).json.attendees[0].status.response).toBe('accepted');
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'Accepted: Budget review', 'inbox')).toMatchObject({
			'@odata.type': '#microsoft.graph.eventMessageResponse', meetingMessageType: 'meetingAccepted', responseType: 'accepted',
		});
		const supportCopy = sandbox.outlook.event(SUPPORT.address, 'Budget review')!;
		const appDecline = await call('POST', `/users/${SUPPORT.address}/events/${supportCopy.id}/decline`, { token: app, body: { sendResponse: false } });
		expect(appDecline.status).toBe(202);
		expect(sandbox.outlook.event(SUPPORT.address, 'Budget review')).toBeNull();
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'Declined: Budget review')).toBeNull();
		expect((await get(`/me/events/${created.json.id}`)).json.attendees[2].status.response).toBe('declined');

		await call('PATCH', `/me/events/${created.json.id}`, { body: { subject: 'Budget review (moved)', start: { dateTime: '2026-05-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-05-05T10:00:00', timeZone: 'UTC' } } });
		expect((await get(`/me/events/${bobsCopy.id}`, { token: bob })).json).toMatchObject({ subject: 'Budget review (moved)', start: { dateTime: '2026-05-05T09:00:00.0000000' }, responseStatus: { response: 'accepted' } });
		expect((await call('DELETE', `/me/events/${created.json.id}`)).status).toBe(204);
		expect((await get(`/me/events/${bobsCopy.id}`, { token: bob })).json.isCancelled).toBe(true);
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'Canceled: Budget review (moved)', 'inbox')).toMatchObject({ meetingMessageType: 'meetingCancelled' });
	});
});

describe('calendarView delta', () => {
	it('returns the window first, then created, updated and removed instances; 410 after expiry', async () => {
		const window = 'startDateTime=2026-06-01T00:00:00Z&endDateTime=2026-06-08T00:00:00Z';
		const first = await deltaRound(`/me/calendarView/delta?${window}`, { headers: { prefer: 'odata.maxpagesize=2' } });
		expect(first.values.map((e) => e.subject)).toEqual(['Team sync']);
		const created = await call('POST', '/me/events', { body: { subject: 'June kickoff', start: { dateTime: '2026-06-02T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-06-02T11:00:00', timeZone: 'UTC' } } });
		const outside = await call('POST', '/me/events', { body: { subject: 'Far away', start: { dateTime: '2026-09-02T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-09-02T11:00:00', timeZone: 'UTC' } } });
		const second = await deltaRound(first.deltaLink);
		expect(second.values.filter((e) => !e['@removed']).map((e) => e.subject)).toEqual(['June kickoff']);
		expect(second.values.filter((e) => e['@removed']).map((e) => e.id)).toEqual([outside.json.id]);
		await call('PATCH', `/me/events/${created.json.id}`, { body: { subject: 'June kickoff!' } });
		const occurrence = first.values[0];
		expect((await call('DELETE', `/me/events/${occurrence.id}`)).status).toBe(204);
		const both = await get(second.deltaLink, { headers: { prefer: 'odata.maxpagesize=1, outlook.timezone="Pacific Standard Time"' } });
		expect(both.headers['preference-applied']).toBe('outlook.timezone="Pacific Standard Time", odata.maxpagesize=1');
		const third = await deltaRound(second.deltaLink, { headers: { prefer: 'outlook.timezone="Pacific Standard Time"' } });
		expect(third.values).toEqual(expect.arrayContaining([
			expect.objectContaining({ id: created.json.id, subject: 'June kickoff!', start: { dateTime: '2026-06-02T03:00:00.0000000', timeZone: 'Pacific Standard Time' } }),
			{ '@odata.type': '#microsoft.graph.event', id: occurrence.id, '@removed': { reason: 'deleted' } },
		]));
		expect((await call('DELETE', `/me/events/${created.json.id}`)).status).toBe(204);
		const fourth = await deltaRound(third.deltaLink);
		expect(fourth.values).toEqual([{ '@odata.type': '#microsoft.graph.event', id: created.json.id, '@removed': { reason: 'deleted' } }]);
		expectError(await get('/me/calendarView/delta'), 400, 'ErrorInvalidParameter');
		expect((await get(`/me/calendarView/delta?${window}&$select=subject`)).status).toBe(400);
		sandbox.outlook.expireDeltaTokens(ALICE.userPrincipalName);
		expectError(await get(fourth.deltaLink), 410, 'SyncStateNotFound');
	});
});

describe('contacts', () => {
	it('lists, filters, creates, updates and deletes contacts', async () => {
		const list = await get('/me/contacts');
		expect(list.json.value.map((c: any) => c.displayName)).toEqual(['Dana Dobbs', "Erin O'Neil"]);
		const quoted = await get(`/me/contacts?$filter=${q("startswith(displayName,'Erin O''N')")}&$select=displayName,emailAddresses`);
		expect(quoted.json.value).toEqual([expect.objectContaining({ displayName: "Erin O'Neil", emailAddresses: [{ name: "Erin O'Neil", address: 'erin.oneil@contoso.example' }] })]);
		expect(Object.keys(quoted.json.value[0]).sort()).toEqual(['@odata.etag', 'displayName', 'emailAddresses', 'id']);
		const byMail = await get(`/me/contacts?$filter=${q("emailAddresses/any(a:a/address eq 'DANA@fabrikam.example')")}`);
		expect(byMail.json.value.map((c: any) => c.displayName)).toEqual(['Dana Dobbs']);
		const created = await call('POST', '/me/contacts', { body: { givenName: 'Frank', surname: 'Fisher', emailAddresses: [{ address: 'frank@external.example' }], businessPhones: ['+1 555 0100'] } });
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({ displayName: 'Frank Fisher', emailAddresses: [{ name: 'frank@external.example', address: 'frank@external.example' }] });
		expect((await call('PATCH', `/me/contacts/${created.json.id}`, { body: { jobTitle: 'Engineer' } })).json).toMatchObject({ jobTitle: 'Engineer', givenName: 'Frank' });
		expect((await get(`/me/contacts/${created.json.id}`)).json.jobTitle).toBe('Engineer');
		expectError(await call('POST', '/me/contacts', { body: { nickname: 'x' } }), 400, 'BadRequest');
		expect((await all('/me/contacts?$top=1')).pages).toBe(3);
		expect((await call('DELETE', `/me/contacts/${created.json.id}`)).status).toBe(204);
		expectError(await get(`/me/contacts/${created.json.id}`), 404, 'ErrorItemNotFound');
	});
});

describe('permissions', () => {
	it('needs Mail scopes / roles: 403 ErrorAccessDenied otherwise; /me with an app token is a 400', async () => {
		const userOnly = sandbox.issueToken({ userId: ALICE.id, scopes: ['User.Read'] });
		expectError(await get('/me/messages', { token: userOnly }), 403, 'ErrorAccessDenied');
		const reader = sandbox.issueToken({ userId: ALICE.id, scopes: ['Mail.Read', 'Calendars.Read', 'Contacts.Read'] });
		expect((await get('/me/messages', { token: reader })).status).toBe(200);
		expectError(await call('PATCH', `/me/messages/${sandbox.outlook.message(ALICE.id, 'Lunch on Friday?')!.id}`, { token: reader, body: { isRead: true } }), 403, 'ErrorAccessDenied');
		expectError(await call('POST', '/me/sendMail', { token: reader, body: { message: { toRecipients: to(BOB.userPrincipalName) } } }), 403, 'ErrorAccessDenied');
		expectError(await call('POST', '/me/calendars', { token: reader, body: { name: 'x' } }), 403, 'ErrorAccessDenied');
		expectError(await call('POST', '/me/contacts', { token: reader, body: { givenName: 'x' } }), 403, 'ErrorAccessDenied');
		expect((await get('/me/calendar', { token: reader })).status).toBe(200);
		const res = await get('/me/messages', { token: app });
		expect([res.status, res.json.error.message]).toEqual([400, '/me request is only valid with delegated authentication flow.']);
		const appReader = sandbox.issueToken({ roles: ['Mail.Read'] });
		expect((await get(`/users/${BOB.userPrincipalName}/messages`, { token: appReader })).status).toBe(200);
		expectError(await call('POST', `/users/${BOB.userPrincipalName}/sendMail`, { token: appReader, body: { message: { toRecipients: to(ALICE.userPrincipalName) } } }), 403, 'ErrorAccessDenied');
		expectError(await get('/users/nobody@contoso.onmicrosoft.com/messages', { token: app }), 404, 'ErrorInvalidUser');
		expectError(await get(`/users/${CAROL.userPrincipalName}/messages`, { token: app }), 404, 'ErrorInvalidUser');
		expect((await get('/me/messages', { token: undefined, headers: {} })).status).toBe(200);
		expectError(await get('/me/messages', { token: null }), 401, 'InvalidAuthenticationToken');
	});

	it('opens another mailbox only with a .Shared scope and a mailbox permission', async () => {
		const shared = sandbox.issueToken({ userId: ALICE.id, scopes: [...OWN, ...SHARED] });
		expectError(await get(`/users/${BOB.userPrincipalName}/messages`), 403, 'ErrorAccessDenied');
		const bobs = await get(`/users/${BOB.userPrincipalName}/mailFolders/inbox/messages`, { token: shared });
		expect(bobs.status).toBe(200);
		expect(bobs.json.value.map((m: any) => m.subject)).toContain('Quarterly report');
		expect((await get(`/users/${BOB.id}/calendar`, { token: shared })).status).toBe(200);
		const bobShared = sandbox.issueToken({ userId: BOB.id, scopes: [...OWN, ...SHARED] });
		expectError(await get(`/users/${ALICE.userPrincipalName}/messages`, { token: bobShared }), 403, 'ErrorAccessDenied');
		expect((await get(`/users/${SUPPORT.address}/mailFolders/inbox/messages`, { token: shared })).json.value.map((m: any) => m.subject)).toContain('Order #1001: where is my parcel?');
		expectError(await get(`/users/${SUPPORT.address}/messages`, { token: bobShared }), 403, 'ErrorAccessDenied');
		sandbox.outlook.setMailboxPermission(SUPPORT.address, BOB.userPrincipalName, { fullAccess: true });
		expect((await get(`/users/${SUPPORT.address}/messages`, { token: bobShared })).status).toBe(200);
		sandbox.outlook.setMailboxPermission(SUPPORT.address, BOB.userPrincipalName, { fullAccess: false });
		expectError(await get(`/users/${SUPPORT.address}/messages`, { token: bobShared }), 403, 'ErrorAccessDenied');
	});

	it('sends as a shared mailbox with send-as, never as a mailbox with full access only', async () => {
		sandbox.outlook.clearOutbox();
		const shared = sandbox.issueToken({ userId: ALICE.id, scopes: [...OWN, ...SHARED] });
		const viaPath = await call('POST', `/users/${SUPPORT.address}/sendMail`, { token: shared, body: { message: { subject: 'From support', toRecipients: to(BOB.userPrincipalName) } } });
		expect(viaPath.status).toBe(202);
		expect(sandbox.outlook.message(SUPPORT.address, 'From support', 'sentitems')).not.toBeNull();
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'From support', 'inbox')!.from).toEqual({ emailAddress: { name: SUPPORT.displayName, address: SUPPORT.address } });
		const viaFrom = await call('POST', '/me/sendMail', { token: shared, body: { message: { subject: 'As support', from: { emailAddress: { address: SUPPORT.address } }, toRecipients: to(BOB.userPrincipalName) } } });
		expect(viaFrom.status).toBe(202);
		expect(sandbox.outlook.message(BOB.userPrincipalName, 'As support', 'inbox')!.from!.emailAddress.address).toBe(SUPPORT.address);
		expectError(await call('POST', `/users/${BOB.userPrincipalName}/sendMail`, { token: shared, body: { message: { subject: 'As Bob', toRecipients: to(CAROL.userPrincipalName) } } }), 403, 'ErrorSendAsDenied');
		expectError(await call('POST', '/me/sendMail', { token: shared, body: { message: { subject: 'As Bob', from: { emailAddress: { address: BOB.userPrincipalName } }, toRecipients: to(CAROL.userPrincipalName) } } }), 403, 'ErrorSendAsDenied');
		expectError(await call('POST', `/users/${SUPPORT.address}/sendMail`, { body: { message: { subject: 'x', toRecipients: to(BOB.userPrincipalName) } } }), 403, 'ErrorAccessDenied');
		expect(sandbox.outlook.outbox()).toEqual([]);
		const appSend = await call('POST', `/users/${BOB.id}/sendMail`, { token: app, body: { message: { subject: 'Daemon', toRecipients: to(ALICE.userPrincipalName) } } });
		expect(appSend.status).toBe(202);
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'Daemon', 'inbox')!.from!.emailAddress.address).toBe(BOB.userPrincipalName);
	});
});

describe('$batch', () => {
	it('runs Outlook requests inside a batch, with per-request throttling', async () => {
		sandbox.outlook.throttle(BOB.userPrincipalName, { times: 1, retryAfter: '2' });
		const res = await call('POST', '/$batch', {
			token: app,
			body: {
				requests: [
					{ id: '1', method: 'GET', url: `/users/${ALICE.id}/mailFolders/inbox/messages?$select=subject&$top=1` },
					{ id: '2', method: 'GET', url: `/users/${BOB.id}/messages?$top=1` },
					{ id: '3', method: 'POST', url: `/users/${ALICE.id}/mailFolders`, headers: { 'content-type': 'application/json' }, body: { displayName: 'From batch' } },
				],
			},
		});
		expect(res.status).toBe(200);
		const byId = Object.fromEntries(res.json.responses.map((r: any) => [r.id, r]));
		expect(byId['1'].status).toBe(200);
		expect(byId['1'].body.value).toHaveLength(1);
		expect([byId['2'].status, byId['2'].body.error.code, byId['2'].headers['retry-after']]).toEqual([429, 'ApplicationThrottled', '2']);
		expect([byId['3'].status, byId['3'].body.displayName]).toEqual([201, 'From batch']);
		expect(sandbox.outlook.folder(ALICE.userPrincipalName, 'From batch')).not.toBeNull();
	});
});

describe('throttling', () => {
	it('answers the next N requests to one mailbox with 429 ApplicationThrottled and Retry-After', async () => {
		sandbox.outlook.throttle(ALICE.userPrincipalName, { times: 2, retryAfter: '3' });
		const first = await get('/me/messages?$top=1');
		expectError(first, 429, 'ApplicationThrottled');
		expect(first.headers['retry-after']).toBe('3');
		expect(first.json.error.message).toBe('Application is over its MailboxConcurrency limit.');
		expect((await get('/me/messages?$top=1', { token: bob })).status).toBe(200);
		expectError(await get(`/users/${ALICE.id}/calendar`, { token: app }), 429, 'ApplicationThrottled');
		expect((await get('/me/messages?$top=1')).status).toBe(200);
		const control = await sandboxRequest(`${sandbox.graphUrl}/_sandbox/outlook/${BOB.userPrincipalName}/throttle`, {
			method: 'POST', ca, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ times: 1, retryAfter: 5 }),
		});
		expect(control.status).toBe(204);
		const throttled = await get('/me/contacts', { token: bob });
		expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '5']);
	});
});

describe('control routes (/_sandbox/outlook)', () => {
	const control = (method: string, path: string, body?: unknown) => sandboxRequest(`${sandbox.graphUrl}/_sandbox/outlook${path}`, {
		method, ca, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
	});

	it('seeds and reads messages, attachments, events and contacts, and the outbox', async () => {
		const mailboxes = await control('GET', '/mailboxes');
		expect(mailboxes.json.map((m: any) => m.address)).toEqual([ALICE.userPrincipalName, BOB.userPrincipalName, CAROL.userPrincipalName, SUPPORT.address]);
		expect((await control('GET', `/${ALICE.id}`)).json.folders.inbox).toBe(sandbox.outlook.mailbox(ALICE.id).folders.inbox);
		const seeded = await control('POST', `/${CAROL.userPrincipalName}/messages`, {
			subject: 'Via control', from: 'x@external.example', attachments: [{ name: 'a.bin', base64: Buffer.from([1, 2, 3]).toString('base64') }, { name: 'b.txt', content: 'bee' }],
		});
		expect(seeded.status).toBe(201);
		expect(seeded.json).toMatchObject({ subject: 'Via control', hasAttachments: true, isRead: false });
		const found = await control('GET', `/${CAROL.userPrincipalName}/messages?folder=inbox&subject=${q('Via control')}`);
		expect(found.json.map((m: any) => m.id)).toEqual([seeded.json.id]);
		const content = await control('GET', `/${CAROL.userPrincipalName}/messages/${seeded.json.id}/attachments/a.bin/content`);
		expect(content.text).toBe('\u0001\u0002\u0003');
		const burst = await control('POST', `/${CAROL.userPrincipalName}/messages`, { count: 3, subject: 'Burst', folder: 'archive' });
		expect(burst.json.ids).toHaveLength(3);
		expect((await control('GET', `/${CAROL.userPrincipalName}/folders/archive`)).json.totalItemCount).toBe(3);
		expect((await control('PATCH', `/${CAROL.userPrincipalName}/messages/${seeded.json.id}`, { isRead: true })).json.isRead).toBe(true);
		expect((await control('DELETE', `/${CAROL.userPrincipalName}/messages/${seeded.json.id}`)).status).toBe(204);
		expect((await control('GET', `/${CAROL.userPrincipalName}/messages/${seeded.json.id}`)).status).toBe(404);
		const event = await control('POST', `/${CAROL.userPrincipalName}/events`, { subject: 'Seeded', start: { dateTime: '2026-08-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-08-01T11:00:00', timeZone: 'UTC' } });
		expect(event.status).toBe(201);
		expect((await control('GET', `/${CAROL.userPrincipalName}/events?subject=Seeded`)).json).toHaveLength(1);
		expect((await control('POST', `/${CAROL.userPrincipalName}/contacts`, { displayName: 'Gus' })).json.displayName).toBe('Gus');
		expect((await control('GET', `/${CAROL.userPrincipalName}/contacts`)).json).toHaveLength(3);
		sandbox.outlook.clearOutbox();
		const carol = sandbox.issueToken({ tenant: SEED.tenants.fabrikam.id, userId: CAROL.id, scopes: OWN });
		expect((await call('POST', '/me/sendMail', { token: carol, body: { message: { subject: 'Cross-tenant', toRecipients: to(ALICE.userPrincipalName) } } })).status).toBe(202);
		expect(sandbox.outlook.message(ALICE.userPrincipalName, 'Cross-tenant')).toBeNull();
		expect((await control('GET', '/outbox')).json).toEqual([expect.objectContaining({ from: CAROL.userPrincipalName, to: [ALICE.userPrincipalName], subject: 'Cross-tenant' })]);
		expect((await control('DELETE', '/outbox')).status).toBe(204);
		expect((await control('GET', '/outbox')).json).toEqual([]);
		expect((await control('POST', '/nobody@nowhere.example/throttle', {})).status).toBe(400);
		expect((await control('GET', '/upload-sessions')).json).toEqual({ open: 0 });
	});
});
