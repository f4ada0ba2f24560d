/**
 * The sandbox's OneDrive / SharePoint model, driven with raw HTTPS requests and sandbox-minted tokens:
 * addressing, children paging, search, folders, names, uploads (simple + sessions with Graph's fragment
 * rules), downloads, delta, copy monitor, sharing links and /shares resolution, versions, permissions.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';

import { sandboxRequest, type SandboxHttpResponse } from '../sandbox/httpClient';

/* eslint-disable @typescript-eslint/no-var-requires, @typescript-eslint/no-explicit-any */
const { startSandbox, SEED } = require('../sandbox');
const { quickXorHash, QuickXorHash } = require('../sandbox/quickXorHash');

const FRAGMENT = 327680;
const ALICE = SEED.users.alice;
const BOB = SEED.users.bob;
const CONTOSO = SEED.tenants.contoso.id;

let sandbox: any;
let ca: string;
let alice: string;
let bob: string;
let app: string;
let aliceDrive: string;

interface CallOptions {
	token?: string | null;
	body?: unknown;
	raw?: Buffer | string;
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
	const full = url.startsWith('https://') ? url : `${sandbox.graphUrl}/v1.0${url}`;
	return sandboxRequest(full, { method, headers, body, ca });
}

/** Raw bytes of a GET (downloads). */
function getBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: any; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method: 'GET', headers, ca, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

/** Sends only the headers of a PUT and returns the early answer (no body is written). */
function putHeadersOnly(url: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method: 'PUT', headers, ca, agent: false }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
			req.destroy();
		});
		req.on('error', (error) => reject(error));
		req.flushHeaders();
	});
}

function shareId(url: string): string {
	return 'u!' + Buffer.from(url, 'utf8').toString('base64url');
}

function bytes(size: number, seed = 1): Buffer {
	const out = Buffer.alloc(size);
	let x = seed;
	for (let i = 0; i < size; i++) {
		x = (x * 1103515245 + 12345) >>> 0;
		out[i] = x >>> 24;
	}
	return out;
}

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	ca = sandbox.tls.ca;
	const scopes = ['Files.ReadWrite.All', 'Sites.ReadWrite.All'];
	alice = sandbox.issueToken({ tenant: CONTOSO, userId: ALICE.id, scopes });
	bob = sandbox.issueToken({ tenant: CONTOSO, userId: BOB.id, scopes });
	app = sandbox.issueToken({ tenant: CONTOSO, roles: ['Files.ReadWrite.All', 'Sites.ReadWrite.All'] });
	aliceDrive = sandbox.drives.driveIdOfUser(ALICE.userPrincipalName);
});

afterAll(async () => {
	await sandbox?.stop();
});

describe('quickXorHash', () => {
	it('matches published vectors', () => {
		expect(quickXorHash('')).toBe('AAAAAAAAAAAAAAAAAAAAAAAAAAA=');
		expect(quickXorHash('hello world')).toBe('aCgDG9jwBhDc4Q1yawMZAAAAAAA=');
		// vectors from rclone's test table (input base64 → hash)
		expect(quickXorHash(Buffer.from('Sg==', 'base64'))).toBe('SgAAAAAAAAAAAAAAAQAAAAAAAAA=');
		expect(quickXorHash(Buffer.from('tbQ=', 'base64'))).toBe('taAFAAAAAAAAAAAAAgAAAAAAAAA=');
		expect(quickXorHash(Buffer.from('qaApEj66lw==', 'base64'))).toBe('qQBFCiTgA11cAgAABwAAAAAAAAA=');
		expect(quickXorHash(Buffer.from('/aNzzCFPS/A=', 'base64'))).toBe('/RjFHJgRgicsAR4ACAAAAAAAAAA=');
	});

	it('equals a bit-by-bit reading of the published algorithm, also when fed in odd pieces', () => {
		// Reference: bit j of byte i lands on bit (11 i + j) mod 160; length XORed into bytes 12..19.
		const reference = (data: Buffer): string => {
			const bits = new Uint8Array(160);
			for (let i = 0; i < data.length; i++) for (let j = 0; j < 8; j++) if ((data[i] >> j) & 1) bits[(i * 11 + j) % 160] ^= 1;
			const out = Buffer.alloc(20);
			for (let p = 0; p < 160; p++) if (bits[p]) out[p >> 3] |= 1 << (p & 7);
			let length = BigInt(data.length);
			for (let i = 0; i < 8; i++) {
				out[12 + i] ^= Number(length & 0xffn);
				length >>= 8n;
			}
			return out.toString('base64');
		};
		for (const size of [1, 20, 159, 160, 161, 1000, 70001]) {
			const data = bytes(size, size);
			const streamed = new QuickXorHash();
			for (let at = 0, step = 7; at < size; at += step, step = step * 3 + 1) streamed.update(data.subarray(at, at + step));
			expect(streamed.digest()).toBe(reference(data));
			expect(quickXorHash(data)).toBe(reference(data));
		}
	});
});

describe('groups', () => {
	it('lists groups with Group.Read.All and filters them with OData quoting', async () => {
		const reader = sandbox.issueToken({ tenant: CONTOSO, userId: ALICE.id, scopes: ['Group.Read.All', 'Files.ReadWrite.All'] });
		const all = await call('GET', '/groups?$select=id,displayName,groupTypes', { token: reader });
		expect(all.status).toBe(200);
		expect(all.json.value.map((g: any) => [g.displayName, g.groupTypes])).toEqual([['Marketing', ['Unified']], ['Marketing Approvers', []]]);
		const filtered = await call('GET', `/groups?$filter=${encodeURIComponent("startswith(displayName,'Marketing A')")}`, { token: reader });
		expect(filtered.json.value.map((g: any) => g.displayName)).toEqual(['Marketing Approvers']);
		const paged = await call('GET', '/groups?$top=1', { token: reader });
		expect(paged.json.value).toHaveLength(1);
		expect((await call('GET', paged.json['@odata.nextLink'], { token: reader })).json.value[0].displayName).toBe('Marketing Approvers');
		const one = await call('GET', `/groups/${all.json.value[1].id}`, { token: reader });
		expect(one.json.mailNickname).toBe('marketing-approvers');
		const noDrive = await call('GET', `/groups/${all.json.value[1].id}/drive`, { token: reader });
		expect(noDrive.status).toBe(404);
		const withoutScope = await call('GET', '/groups');
		expect(withoutScope.status).toBe(403);
	});
});

describe('drive addressing', () => {
	it('finds the same OneDrive through /me, /users/{upn}, /users/{id} and /drives/{id}', async () => {
		const me = await call('GET', '/me/drive');
		expect(me.status).toBe(200);
		expect(me.json).toMatchObject({ id: aliceDrive, driveType: 'business', owner: { user: { id: ALICE.id } } });
		expect(me.json.quota.total).toBeGreaterThan(me.json.quota.used);
		for (const url of [`/users/${ALICE.userPrincipalName}/drive`, `/users/${ALICE.id}/drive`, `/drives/${aliceDrive}`]) {
			const res = await call('GET', url, { token: app });
			expect(res.status).toBe(200);
			expect(res.json.id).toBe(aliceDrive);
		}
		expect(me.json.webUrl).toBe('https://contoso-my.sharepoint.com/personal/alice_contoso_onmicrosoft_com/Documents');
	});

	it('answers /me with app-only tokens like Graph', async () => {
		const res = await call('GET', '/me/drive', { token: app });
		expect(res.status).toBe(400);
		expect(res.json.error.message).toBe('/me request is only valid with delegated authentication flow.');
	});

	it('addresses sites by search, hostname:/path, id, and their drives', async () => {
		const search = await call('GET', '/sites?search=Marketing');
		expect(search.status).toBe(200);
		expect(search.json.value.map((s: any) => s.displayName)).toEqual(['Marketing']);
		const site = search.json.value[0];
		const byPath = await call('GET', '/sites/contoso.sharepoint.com:/sites/Marketing');
		expect(byPath.json.id).toBe(site.id);
		const byPathColon = await call('GET', '/sites/contoso.sharepoint.com:/sites/Marketing:/drives');
		expect(byPathColon.json.value.map((d: any) => d.name)).toEqual(['Documents', 'Reports']);
		const byId = await call('GET', `/sites/${encodeURIComponent(site.id)}`);
		expect(byId.json).toMatchObject({ id: site.id, webUrl: 'https://contoso.sharepoint.com/sites/Marketing' });
		const drive = await call('GET', `/sites/${site.id}/drive`);
		expect(drive.json).toMatchObject({ driveType: 'documentLibrary', name: 'Documents' });
		const root = await call('GET', '/sites/root');
		expect(root.json.siteCollection).toEqual({ hostname: 'contoso.sharepoint.com', root: {} });
		const missing = await call('GET', '/sites/contoso.sharepoint.com:/sites/Nope');
		expect(missing.status).toBe(404);
	});

	it('reaches a group drive and items through every prefix', async () => {
		const group = sandbox.drives.group(CONTOSO, 'Marketing');
		const groupDrive = await call('GET', `/groups/${group.id}/drive`);
		expect(groupDrive.status).toBe(200);
		const brief = await call('GET', `/groups/${group.id}/drive/root:/brief.txt`);
		expect(brief.json.name).toBe('brief.txt');
		const site = sandbox.drives.site(CONTOSO, 'Marketing');
		const viaSite = await call('GET', `/sites/${site.id}/drives/${groupDrive.json.id}/root:/Campaigns/plan.docx:`);
		expect(viaSite.json.name).toBe('plan.docx');
		const viaUser = await call('GET', `/users/${ALICE.userPrincipalName}/drive/root:/Documents/notes.txt:`, { token: app });
		expect(viaUser.json.parentReference).toMatchObject({ driveId: aliceDrive, path: `/drives/${aliceDrive}/root:/Documents` });
		const docs = await call('GET', '/me/drive/root:/Documents');
		const relative = await call('GET', `/drives/${aliceDrive}/items/${docs.json.id}:/notes.txt:`);
		expect(relative.json.id).toBe(viaUser.json.id);
		const relativeChildren = await call('GET', `/me/drive/items/${docs.json.id}:/:/children`);
		expect(relativeChildren.status).toBe(200);
		const children = await call('GET', '/me/drive/root:/Documents:/children');
		expect(children.json.value.map((i: any) => i.name)).toEqual(['notes.txt', 'report.xlsx']);
		const unknown = await call('GET', '/me/drive/root:/Documents/missing.txt');
		expect(unknown.status).toBe(404);
		expect(unknown.json.error.code).toBe('itemNotFound');
		const dotDot = await call('GET', '/me/drive/root:/Documents/..%2Fhello.txt');
		expect(dotDot.status).toBe(400);
	});

	it('returns driveItems with Graph property names (CSDL) and a real quickXorHash', async () => {
		const csdl = fs.readFileSync(path.join(__dirname, '../fixtures/msgraph/v1.0-subset.csdl'), 'utf8');
		const propertiesOf = (type: string) => {
			const block = new RegExp(`<(?:EntityType|ComplexType) Name="${type}"[^>]*>([\\s\\S]*?)</(?:EntityType|ComplexType)>`).exec(csdl);
			if (!block) throw new Error(`type ${type} is not in test/fixtures/msgraph/v1.0-subset.csdl`);
			return [...block[1].matchAll(/<(?:Navigation)?Property Name="([^"]+)"/g)].map((m) => m[1]);
		};
		const allowed = new Set(['id', ...propertiesOf('baseItem'), ...propertiesOf('driveItem'), '@microsoft.graph.downloadUrl']);
		const file = await call('GET', '/me/drive/root:/hello.txt');
		for (const key of Object.keys(file.json)) expect(allowed).toContain(key);
		for (const key of Object.keys(file.json.parentReference)) expect(propertiesOf('itemReference')).toContain(key);
		for (const key of Object.keys(file.json.file)) expect(propertiesOf('file')).toContain(key);
		expect(file.json.file.hashes.quickXorHash).toBe(quickXorHash('hello world'));
		expect(file.json.size).toBe(11);
		expect(file.json.eTag).toMatch(/^"\{[0-9A-F-]+\},\d+"$/);
		const driveKeys = new Set(['id', ...propertiesOf('baseItem'), ...propertiesOf('drive')]);
		const drive = await call('GET', '/me/drive');
		for (const key of Object.keys(drive.json)) expect(driveKeys).toContain(key);
		for (const key of Object.keys(drive.json.quota)) expect(propertiesOf('quota')).toContain(key);
	});
});

describe('children, search, folders, names', () => {
	it('pages children with $top up to 1000 and opaque skip tokens', async () => {
		sandbox.drives.bulkFolder(aliceDrive, '/Big', 2500);
		const names: string[] = [];
		let url: string | undefined = '/me/drive/root:/Big:/children?$top=1000&$select=name';
		let pages = 0;
		while (url) {
			const res: SandboxHttpResponse = await call('GET', url);
			expect(res.status).toBe(200);
			names.push(...res.json.value.map((i: any) => i.name));
			for (const entry of res.json.value) expect(Object.keys(entry)).toEqual(['name']);
			url = res.json['@odata.nextLink'];
			if (url) expect(url.startsWith(sandbox.graphUrl)).toBe(true);
			pages += 1;
		}
		expect(pages).toBe(3);
		expect(names).toHaveLength(2500);
		expect(new Set(names).size).toBe(2500);
		const byDefault = await call('GET', '/me/drive/root:/Big:/children');
		expect(byDefault.json.value).toHaveLength(200);
		const tooMany = await call('GET', '/me/drive/root:/Big:/children?$top=1001');
		expect(tooMany.status).toBe(400);
		const badSelect = await call('GET', '/me/drive/root:/Big:/children?$select=nope');
		expect(badSelect.status).toBe(400);
		const forged = await call('GET', '/me/drive/root:/Documents:/children?$skiptoken=abc');
		expect(forged.status).toBe(400);
	});

	it('filters children to folders', async () => {
		const res = await call('GET', '/me/drive/root/children?$filter=folder%20ne%20null&$select=name,folder');
		expect(res.json.value.map((i: any) => i.name)).toEqual(['Big', 'Documents', 'Photos', 'Reports', 'Shared stuff & more']);
	});

	it("searches names with OData quoting ('' inside the literal)", async () => {
		const res = await call('GET', `/me/drive/root/search(q='${encodeURIComponent("it''s")}')`);
		expect(res.status).toBe(200);
		expect(res.json.value.map((i: any) => i.name)).toEqual(["it's here.txt"]);
		const scoped = await call('GET', "/me/drive/root:/Reports:/search(q='q1')");
		expect(scoped.json.value.map((i: any) => i.name)).toEqual(['q1.csv']);
		const unquoted = await call('GET', '/me/drive/root/search(q=notes)');
		expect(unquoted.status).toBe(400);
	});

	it('creates folders with fail / rename / replace conflict behaviour', async () => {
		const create = (name: string, behavior?: string) =>
			call('POST', '/me/drive/root/children', { body: { name, folder: {}, ...(behavior ? { '@microsoft.graph.conflictBehavior': behavior } : {}) } });
		const first = await create('Projects');
		expect(first.status).toBe(201);
		expect(first.json.folder).toEqual({ childCount: 0 });
		const again = await create('Projects');
		expect(again.status).toBe(409);
		expect(again.json.error.code).toBe('nameAlreadyExists');
		const renamed = await create('Projects', 'rename');
		expect(renamed.status).toBe(201);
		expect(renamed.json.name).toBe('Projects 1');
		const replaced = await create('projects', 'replace');
		expect(replaced.json.id).toBe(first.json.id);
		const file = await call('POST', '/me/drive/root/children', { body: { name: 'x.txt', file: {} } });
		expect(file.status).toBe(400);
	});

	it('refuses names OneDrive refuses', async () => {
		for (const name of ['a"b', 'a*b', 'a:b', 'a<b', 'a>b', 'a?b', 'a\\b', 'a|b', ' lead', 'trail ', 'CON', '']) {
			const res = await call('POST', '/me/drive/root/children', { body: { name, folder: {} } });
			expect({ name, status: res.status, code: res.json.error.code }).toEqual({ name, status: 400, code: 'invalidRequest' });
		}
		const slash = await call('PUT', `/me/drive/root:/${encodeURIComponent('a|b.txt')}:/content`, { raw: 'x' });
		expect(slash.status).toBe(400);
	});

	it('renames, moves, guards eTags and deletes', async () => {
		const folder = await call('POST', '/me/drive/root/children', { body: { name: 'Moves', folder: {} } });
		const put = await call('PUT', '/me/drive/root:/move-me.txt:/content', { raw: 'move me' });
		const stale = await call('PATCH', `/me/drive/items/${put.json.id}`, { body: { name: 'x.txt' }, headers: { 'if-match': '"{00000000-0000-0000-0000-000000000000},1"' } });
		expect(stale.status).toBe(412);
		const moved = await call('PATCH', `/me/drive/items/${put.json.id}`, {
			body: { name: 'moved.txt', parentReference: { id: folder.json.id } },
			headers: { 'if-match': put.json.eTag },
		});
		expect(moved.status).toBe(200);
		expect(moved.json).toMatchObject({ name: 'moved.txt', parentReference: { id: folder.json.id, path: `/drives/${aliceDrive}/root:/Moves` } });
		const clash = await call('POST', '/me/drive/root:/Moves:/children', { body: { name: 'Sub', folder: {} } });
		const intoClash = await call('PATCH', `/me/drive/items/${clash.json.id}`, { body: { name: 'moved.txt' } });
		expect(intoClash.status).toBe(409);
		const intoSelf = await call('PATCH', `/me/drive/items/${folder.json.id}`, { body: { parentReference: { id: clash.json.id } } });
		expect(intoSelf.status).toBe(400);
		const del = await call('DELETE', `/me/drive/items/${folder.json.id}`);
		expect(del.status).toBe(204);
		expect((await call('GET', `/me/drive/items/${put.json.id}`)).status).toBe(404);
		expect((await call('GET', '/me/drive/root:/Moves')).status).toBe(404);
	});
});

describe('content', () => {
	it('uploads with PUT, downloads through a 302 to the files host with Range, keeps versions', async () => {
		const first = await call('PUT', '/me/drive/root:/Documents/data.bin:/content', { raw: bytes(5000, 7) });
		expect(first.status).toBe(201);
		expect(first.json).toMatchObject({ name: 'data.bin', size: 5000, file: { hashes: { quickXorHash: quickXorHash(bytes(5000, 7)) } } });
		const second = await call('PUT', `/me/drive/items/${first.json.id}/content`, { raw: bytes(6000, 8) });
		expect(second.status).toBe(200);
		expect(second.json.id).toBe(first.json.id);
		const failing = await call('PUT', '/me/drive/root:/Documents/data.bin:/content?@microsoft.graph.conflictBehavior=fail', { raw: 'x' });
		expect(failing.status).toBe(409);
		const renamed = await call('PUT', '/me/drive/root:/Documents/data.bin:/content?@microsoft.graph.conflictBehavior=rename', { raw: 'x' });
		expect(renamed.json.name).toBe('data 1.bin');
		const missingParent = await call('PUT', '/me/drive/root:/Nope/data.bin:/content', { raw: 'x' });
		expect(missingParent.status).toBe(404);
		const empty = await call('PUT', '/me/drive/root:/Documents/empty.txt:/content', { raw: '' });
		expect(empty.json).toMatchObject({ size: 0, file: { hashes: { quickXorHash: quickXorHash('') } } });

		const redirect = await call('GET', `/me/drive/items/${first.json.id}/content`);
		expect(redirect.status).toBe(302);
		const location = String(redirect.headers.location);
		expect(location.startsWith(`${sandbox.filesUrl}/download/`)).toBe(true);
		const whole = await getBytes(location);
		expect(whole.status).toBe(200);
		expect(whole.body.equals(bytes(6000, 8))).toBe(true);
		const part = await getBytes(location, { range: 'bytes=100-199' });
		expect(part.status).toBe(206);
		expect(part.headers['content-range']).toBe('bytes 100-199/6000');
		expect(part.body.equals(bytes(6000, 8).subarray(100, 200))).toBe(true);
		const tail = await getBytes(location, { range: 'bytes=-10' });
		expect(tail.body.equals(bytes(6000, 8).subarray(5990))).toBe(true);
		const outside = await getBytes(location, { range: 'bytes=7000-' });
		expect(outside.status).toBe(416);
		const forged = await getBytes(location.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
		expect(forged.status).toBe(401);

		const versions = await call('GET', `/me/drive/items/${first.json.id}/versions`);
		expect(versions.json.value.map((v: any) => [v.id, v.size])).toEqual([['2.0', 6000], ['1.0', 5000]]);
		const old = await getBytes(versions.json.value[1]['@microsoft.graph.downloadUrl']);
		expect(old.body.equals(bytes(5000, 7))).toBe(true);
	});

	it('answers 401 and records a violation when a token is sent to the files host', async () => {
		const file = await call('GET', '/me/drive/root:/hello.txt');
		const before = sandbox.state.violations.length;
		const res = await getBytes(file.json['@microsoft.graph.downloadUrl'], { authorization: `Bearer ${alice}` });
		expect(res.status).toBe(401);
		expect(sandbox.state.violations.length).toBe(before + 1);
	});

	it('refuses files larger than the remaining quota with 507', async () => {
		const target = sandbox.drives.driveIdOfUser(BOB.userPrincipalName);
		sandbox.drives.setQuota(target, 200000);
		const used = (await call('GET', '/me/drive', { token: bob })).json.quota.used;
		const big = await call('PUT', '/me/drive/root:/big.bin:/content', { token: bob, raw: bytes(200000 - used + 1) });
		expect(big.status).toBe(507);
		expect(big.json.error.code).toBe('quotaLimitReached');
		const session = await call('POST', '/me/drive/root:/big2.bin:/createUploadSession', { token: bob, body: { item: { fileSize: 10_000_000 } } });
		expect(session.status).toBe(507);
		sandbox.drives.setQuota(target, 1024 ** 4);
	});
});

describe('upload sessions', () => {
	async function session(name: string, body: unknown = {}): Promise<string> {
		const res = await call('POST', `/me/drive/root:/Documents/${encodeURIComponent(name)}:/createUploadSession`, { body });
		expect(res.status).toBe(200);
		expect(res.json.nextExpectedRanges).toEqual(['0-']);
		expect(res.json.uploadUrl.startsWith(`${sandbox.filesUrl}/upload/`)).toBe(true);
		expect(Date.parse(res.json.expirationDateTime)).toBeGreaterThan(Date.now());
		return res.json.uploadUrl;
	}
	function fragment(url: string, data: Buffer, start: number, total: number) {
		return call('PUT', url, { token: null, raw: data, headers: { 'content-range': `bytes ${start}-${start + data.length - 1}/${total}` } });
	}

	it('uploads in fragments, enforcing size, overlap and gaps, and resumes after a failed fragment', async () => {
		const total = FRAGMENT * 3 + 1234;
		const data = bytes(total, 42);
		const url = await session('multi.bin', { item: { '@microsoft.graph.conflictBehavior': 'replace', name: 'multi.bin' } });

		const badSize = await fragment(url, data.subarray(0, FRAGMENT + 1), 0, total);
		expect(badSize.status).toBe(400);
		const gap = await fragment(url, data.subarray(FRAGMENT, FRAGMENT * 2), FRAGMENT, total);
		expect(gap.status).toBe(416);

		const one = await fragment(url, data.subarray(0, FRAGMENT), 0, total);
		expect(one.status).toBe(202);
		expect(one.json.nextExpectedRanges).toEqual([`${FRAGMENT}-${total - 1}`]);
		const overlap = await fragment(url, data.subarray(0, FRAGMENT), 0, total);
		expect(overlap.status).toBe(416);

		// An injected failure (core faults) on the next fragment: nothing is counted, the client resumes.
		sandbox.faults.add({ host: 'files', path: '^/upload/', method: 'PUT', status: 503, times: 1 });
		const failed = await fragment(url, data.subarray(FRAGMENT, FRAGMENT * 3), FRAGMENT, total);
		expect(failed.status).toBe(503);
		// A connection cut halfway through a fragment: the partial bytes do not count either.
		sandbox.drives.cutNextFragment({ afterBytes: 100000 });
		await expect(fragment(url, data.subarray(FRAGMENT, FRAGMENT * 3), FRAGMENT, total)).rejects.toThrow();
		const status = await call('GET', url, { token: null });
		expect(status.json.nextExpectedRanges).toEqual([`${FRAGMENT}-${total - 1}`]);

		const resumeAt = Number(status.json.nextExpectedRanges[0].split('-')[0]);
		const two = await fragment(url, data.subarray(resumeAt, FRAGMENT * 3), resumeAt, total);
		expect(two.status).toBe(202);
		const wrongTotal = await fragment(url, data.subarray(FRAGMENT * 3), FRAGMENT * 3, total + 1);
		expect(wrongTotal.status).toBe(400);
		const last = await fragment(url, data.subarray(FRAGMENT * 3), FRAGMENT * 3, total);
		expect(last.status).toBe(201);
		expect(last.json).toMatchObject({ name: 'multi.bin', size: total, file: { hashes: { quickXorHash: quickXorHash(data) } } });
		expect(sandbox.drives.contentOf(last.json.id).equals(data)).toBe(true);
		expect((await call('GET', url, { token: null })).status).toBe(404);
	});

	it('refuses fragments of 60 MiB or more before reading them', async () => {
		const url = await session('huge.bin');
		const length = 60 * 1024 * 1024;
		const status = await putHeadersOnly(url, { 'content-range': `bytes 0-${length - 1}/${length * 2}`, 'content-length': String(length) });
		expect(status).toBe(413);
	});

	it('cancels with DELETE and refuses a token on the upload URL', async () => {
		const url = await session('cancel.bin');
		const withToken = await call('PUT', url, { token: alice, raw: 'x', headers: { 'content-range': 'bytes 0-0/1' } });
		expect(withToken.status).toBe(401);
		const open = sandbox.drives.openUploadSessions();
		expect((await call('DELETE', url, { token: null })).status).toBe(204);
		expect(sandbox.drives.openUploadSessions()).toBe(open - 1);
		expect((await call('GET', url, { token: null })).status).toBe(404);
		expect((await call('GET', '/me/drive/root:/Documents/cancel.bin')).status).toBe(404);
	});

	it('honours conflictBehavior fail when the session is created', async () => {
		const res = await call('POST', '/me/drive/root:/hello.txt:/createUploadSession', { body: { item: { '@microsoft.graph.conflictBehavior': 'fail' } } });
		expect(res.status).toBe(409);
		expect(res.json.error.code).toBe('nameAlreadyExists');
		const badName = await call('POST', `/me/drive/root:/${encodeURIComponent('bad|name.txt')}:/createUploadSession`, { body: {} });
		expect(badName.status).toBe(400);
	});
});

describe('delta', () => {
	async function follow(url: string, token = alice): Promise<{ items: any[]; deltaLink: string; pages: number }> {
		const items: any[] = [];
		let next: string = url;
		let pages = 0;
		for (;;) {
			const res: SandboxHttpResponse = await call('GET', next, { token });
			expect(res.status).toBe(200);
			items.push(...res.json.value);
			pages += 1;
			if (res.json['@odata.deltaLink']) return { items, deltaLink: res.json['@odata.deltaLink'], pages };
			expect(typeof res.json['@odata.nextLink']).toBe('string');
			next = res.json['@odata.nextLink'];
		}
	}

	it('enumerates, then reports creates, updates and deletes once each', async () => {
		const drive = sandbox.drives.driveIdOfUser(BOB.userPrincipalName);
		const initial = await follow(`/drives/${drive}/root/delta?$top=3`, bob);
		expect(initial.pages).toBeGreaterThan(1);
		expect(initial.items[0].root).toEqual({});
		const names = initial.items.map((i) => i.name);
		expect(names).toEqual(expect.arrayContaining(['hello.txt', 'notes.txt', 'q1.csv']));
		expect(new Set(initial.items.map((i) => i.id)).size).toBe(initial.items.length);

		const latest = await call('GET', `/drives/${drive}/root/delta?token=latest`, { token: bob });
		expect(latest.json.value).toEqual([]);
		expect(latest.json['@odata.deltaLink']).toBeDefined();

		const created = await call('PUT', '/me/drive/root:/Documents/new.txt:/content', { token: bob, raw: 'new' });
		await call('PUT', '/me/drive/root:/hello.txt:/content', { token: bob, raw: 'hello again!!' });
		const gone = await call('GET', '/me/drive/root:/Documents/notes.txt', { token: bob });
		await call('DELETE', `/me/drive/items/${gone.json.id}`, { token: bob });

		const changes = await follow(latest.json['@odata.deltaLink'], bob);
		const byName = new Map(changes.items.map((i) => [i.name, i]));
		expect(byName.get('new.txt')?.id).toBe(created.json.id);
		expect(byName.get('hello.txt')?.size).toBe(13);
		expect(byName.get('notes.txt')).toMatchObject({ id: gone.json.id, deleted: { state: 'deleted' } });
		expect(changes.items.findIndex((i) => i.name === 'Documents')).toBeLessThan(changes.items.findIndex((i) => i.name === 'new.txt'));
		expect(byName.has('q1.csv')).toBe(false);

		const quiet = await follow(changes.deltaLink, bob);
		expect(quiet.items).toEqual([]);
	});

	it('answers 410 resyncRequired once with a Location, and 501 for a folder on a business drive', async () => {
		const latest = await call('GET', '/me/drive/root/delta?token=latest');
		sandbox.drives.requireResync(aliceDrive);
		const gone = await call('GET', latest.json['@odata.deltaLink']);
		expect(gone.status).toBe(410);
		expect(gone.json.error.code).toBe('resyncRequired');
		expect(String(gone.headers.location)).toContain('/delta');
		const restart = await call('GET', String(gone.headers.location));
		expect(restart.status).toBe(200);
		const again = await call('GET', latest.json['@odata.deltaLink']);
		expect(again.status).toBe(200);
		const folder = await call('GET', '/me/drive/root:/Documents:/delta');
		expect(folder.status).toBe(501);
		expect(folder.json.error.code).toBe('notSupported');
	});

	it('allows folder delta on OneDrive personal', async () => {
		const personal = sandbox.drives.personalDriveId();
		const res = await call('GET', `/drives/${personal}/root:/Personal:/delta`);
		expect(res.status).toBe(200);
		expect(res.json.value.map((i: any) => i.name)).toEqual(['Personal', 'todo.txt']);
	});
});

describe('copy', () => {
	it('answers 202 with an unauthenticated monitor on the files host that completes with resourceId', async () => {
		sandbox.drives.copyBehavior.pollsInProgress = 1;
		const source = await call('GET', '/me/drive/root:/Documents/report.xlsx');
		const target = await call('GET', '/me/drive/root:/Reports');
		const res = await call('POST', `/me/drive/items/${source.json.id}/copy`, { body: { parentReference: { driveId: aliceDrive, id: target.json.id }, name: 'copy.xlsx' } });
		expect(res.status).toBe(202);
		const monitor = String(res.headers.location);
		expect(monitor.startsWith(`${sandbox.filesUrl}/monitor/`)).toBe(true);
		const first = await call('GET', monitor, { token: null });
		expect(first.status).toBe(202);
		expect(first.json).toMatchObject({ status: 'inProgress' });
		const done = await call('GET', monitor, { token: null });
		expect(done.json).toMatchObject({ status: 'completed', percentageComplete: 100 });
		const copy = await call('GET', `/me/drive/items/${done.json.resourceId}`);
		expect(copy.json).toMatchObject({ name: 'copy.xlsx', size: source.json.size, file: { hashes: source.json.file.hashes } });
	});

	it('reports failed copies (name conflict, or the test switch)', async () => {
		sandbox.drives.copyBehavior.pollsInProgress = 0;
		const source = await call('GET', '/me/drive/root:/hello.txt');
		const conflict = await call('POST', `/me/drive/items/${source.json.id}/copy`, { body: {} });
		const conflictResult = await call('GET', String(conflict.headers.location), { token: null });
		expect(conflictResult.json).toMatchObject({ status: 'failed', error: { code: 'nameAlreadyExists' } });
		sandbox.drives.copyBehavior.fail = true;
		const failing = await call('POST', `/me/drive/items/${source.json.id}/copy`, { body: { name: 'other.txt' } });
		const failed = await call('GET', String(failing.headers.location), { token: null });
		expect(failed.json.status).toBe('failed');
		sandbox.drives.copyBehavior.fail = false;
		sandbox.drives.copyBehavior.pollsInProgress = 1;
	});
});

describe('sharing links and /shares', () => {
	it('creates links with Graph rules and returns an existing one with 200', async () => {
		const item = await call('GET', '/me/drive/root:/Documents/report.xlsx');
		const link = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'view', scope: 'organization' } });
		expect(link.status).toBe(201);
		expect(link.json).toMatchObject({ roles: ['read'], link: { type: 'view', scope: 'organization' } });
		expect(link.json.link.webUrl).toMatch(/^https:\/\/contoso-my\.sharepoint\.com\/:x:\/g\/personal\/alice_contoso_onmicrosoft_com\/\S+\?e=/);
		const same = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'view', scope: 'organization' } });
		expect(same.status).toBe(200);
		expect(same.json.id).toBe(link.json.id);
		const embed = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'embed' } });
		expect(embed.status).toBe(400);
		const password = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'edit', scope: 'anonymous', password: 'x' } });
		expect(password.status).toBe(400);
		const badType = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'share' } });
		expect(badType.status).toBe(400);
		const past = await call('POST', `/me/drive/items/${item.json.id}/createLink`, { body: { type: 'edit', expirationDateTime: '2000-01-01T00:00:00Z' } });
		expect(past.status).toBe(400);
		const permissions = await call('GET', `/me/drive/items/${item.json.id}/permissions`);
		expect(permissions.json.value.map((p: any) => p.id)).toContain(link.json.id);
	});

	it('resolves every URL form through /shares/{u!...}/driveItem', async () => {
		const notes = await call('GET', '/me/drive/root:/Documents/notes.txt');
		const site = sandbox.drives.site(CONTOSO, 'Marketing');
		const plan = await call('GET', `/sites/${site.id}/drive/root:/Campaigns/plan.docx`);
		const campaigns = await call('GET', `/sites/${site.id}/drive/root:/Campaigns`);
		const personal = sandbox.drives.personalDriveId();
		const todo = await call('GET', `/drives/${personal}/root:/Personal/todo.txt`);
		const businessLink = await call('POST', `/me/drive/items/${notes.json.id}/createLink`, { body: { type: 'edit', scope: 'organization' } });
		const personalLink = await call('POST', `/drives/${personal}/items/${todo.json.id}/createLink`, { body: { type: 'view', scope: 'anonymous', password: 'secret' } });
		expect(personalLink.status).toBe(201);
		expect(personalLink.json.hasPassword).toBe(true);
		expect(personalLink.json.link.webUrl).toMatch(/^https:\/\/1drv\.ms\/t\/s!/);
		const sharepointLink = await call('POST', `/sites/${site.id}/drive/items/${plan.json.id}/createLink`, { body: { type: 'view' } });
		expect(sharepointLink.json.link.webUrl).toMatch(/^https:\/\/contoso\.sharepoint\.com\/:w:\/s\/Marketing\//);

		const cases: Array<[string, string]> = [
			[notes.json.webUrl, notes.json.id],
			['https://contoso-my.sharepoint.com/personal/alice_contoso_onmicrosoft_com/Documents/Documents/notes.txt', notes.json.id],
			[businessLink.json.link.webUrl, notes.json.id],
			[plan.json.webUrl, plan.json.id],
			['https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents/Campaigns/plan.docx?web=1', plan.json.id],
			['https://contoso.sharepoint.com/sites/Marketing/Shared%20Documents/Forms/AllItems.aspx?id=%2Fsites%2FMarketing%2FShared%20Documents%2FCampaigns', campaigns.json.id],
			[sharepointLink.json.link.webUrl, plan.json.id],
			[todo.json.webUrl, todo.json.id],
			[`https://onedrive.live.com/redir?resid=${encodeURIComponent(todo.json.id)}`, todo.json.id],
			[personalLink.json.link.webUrl, todo.json.id],
		];
		for (const [url, expected] of cases) {
			const res = await call('GET', `/shares/${shareId(url)}/driveItem`);
			expect({ url, status: res.status, id: res.json?.id }).toEqual({ url, status: 200, id: expected });
		}
		const byToken = await call('GET', `/shares/${businessLink.json.shareId}/driveItem`);
		expect(byToken.json.id).toBe(notes.json.id);
		const sharedInfo = await call('GET', `/shares/${shareId(notes.json.webUrl)}`);
		expect(sharedInfo.json).toMatchObject({ name: 'notes.txt', owner: { user: { id: ALICE.id } } });
		const children = await call('GET', `/shares/${shareId(campaigns.json.webUrl)}/driveItem/children`);
		expect(children.json.value.map((i: any) => i.name)).toEqual(['plan.docx']);

		for (const url of ['https://evil.example.com/personal/alice/Documents/notes.txt', 'https://contoso-my.sharepoint.com/personal/alice_contoso_onmicrosoft_com/Documents/none.txt', 'https://1drv.ms/u/s!unknown']) {
			const res = await call('GET', `/shares/${shareId(url)}/driveItem`);
			expect({ url, status: res.status }).toEqual({ url, status: 404 });
		}
		const garbage = await call('GET', '/shares/not-a-share/driveItem');
		expect(garbage.status).toBe(400);
	});

	it('lets a colleague open an organization link but not the drive itself', async () => {
		const notes = await call('GET', '/me/drive/root:/Documents/notes.txt');
		const direct = await call('GET', `/drives/${aliceDrive}/items/${notes.json.id}`, { token: bob });
		expect(direct.status).toBe(403);
		const link = await call('POST', `/me/drive/items/${notes.json.id}/createLink`, { body: { type: 'view', scope: 'organization' } });
		const viaLink = await call('GET', `/shares/${shareId(link.json.link.webUrl)}/driveItem`, { token: bob });
		expect(viaLink.json.id).toBe(notes.json.id);
		const viaWebUrl = await call('GET', `/shares/${shareId(notes.json.webUrl)}/driveItem`, { token: bob });
		expect(viaWebUrl.status).toBe(403);
	});
});

describe('permissions', () => {
	it('denies drives the caller has no permission for with 403 accessDenied', async () => {
		const finance = sandbox.drives.site(CONTOSO, 'Finance');
		const asApp = await call('GET', `/sites/${finance.id}/drive/root/children`, { token: app });
		expect(asApp.status).toBe(403);
		expect(asApp.json.error.code).toBe('accessDenied');
		const asAlice = await call('GET', `/sites/${finance.id}/drive/root/children`);
		expect(asAlice.status).toBe(403);
		const asBob = await call('GET', `/sites/${finance.id}/drive/root/children`, { token: bob });
		expect(asBob.status).toBe(200);
		const othersDrive = await call('GET', `/users/${BOB.userPrincipalName}/drive/root/children`);
		expect(othersDrive.status).toBe(403);
		const otherTenant = await call('GET', `/users/${SEED.users.carol.userPrincipalName}/drive`, { token: app });
		expect(otherTenant.status).toBe(404);
		const noScopes = sandbox.issueToken({ tenant: CONTOSO, userId: ALICE.id, scopes: ['User.Read'] });
		const denied = await call('GET', '/me/drive', { token: noScopes });
		expect(denied.status).toBe(403);
		const readOnly = sandbox.issueToken({ tenant: CONTOSO, userId: ALICE.id, scopes: ['Files.Read.All'] });
		expect((await call('GET', '/me/drive/root', { token: readOnly })).status).toBe(200);
		expect((await call('PUT', '/me/drive/root:/ro.txt:/content', { token: readOnly, raw: 'x' })).status).toBe(403);
	});
});

describe('sandbox.drives helpers', () => {
	it('seeds files and folders and finds them by path', () => {
		const created = sandbox.drives.seed(aliceDrive, { folders: ['/Helpers/Empty'], files: { '/Helpers/Deep/a.txt': 'a', '/Helpers/b.bin': Buffer.from([1, 2, 3]) } });
		expect(created['/Helpers/Empty'].folder).toEqual({ childCount: 0 });
		expect(sandbox.drives.itemByPath(aliceDrive, '/Helpers/Deep/a.txt').id).toBe(created['/Helpers/Deep/a.txt'].id);
		expect([...sandbox.drives.contentOf(created['/Helpers/b.bin'].id)]).toEqual([1, 2, 3]);
		expect(sandbox.drives.itemByPath(aliceDrive, '/Helpers/none')).toBeNull();
	});
});

describe('/_sandbox/drives control routes', () => {
	it('seeds and inspects drives over HTTP', async () => {
		const plain = (method: string, p: string, body?: unknown) => call(method, `${sandbox.graphUrl}/_sandbox/drives${p}`, { token: null, body });
		const user = await plain('GET', `/user/${ALICE.userPrincipalName}`);
		expect(user.json.driveId).toBe(aliceDrive);
		const added = await plain('POST', `/${aliceDrive}/files`, { path: '/Seeded/a.txt', text: 'seeded' });
		expect(added.status).toBe(201);
		expect(added.json.file.hashes.quickXorHash).toBe(quickXorHash('seeded'));
		const large = await plain('POST', `/${aliceDrive}/files`, { path: '/Seeded/large.bin', size: 3 * 1024 * 1024 + 5 });
		expect(large.json.size).toBe(3 * 1024 * 1024 + 5);
		const download = await getBytes((await call('GET', `/me/drive/items/${large.json.id}`)).json['@microsoft.graph.downloadUrl']);
		expect(download.body.length).toBe(3 * 1024 * 1024 + 5);
		expect(quickXorHash(download.body)).toBe(large.json.file.hashes.quickXorHash);
		const found = await plain('GET', `/${aliceDrive}/item?path=${encodeURIComponent('/Seeded/a.txt')}`);
		expect(found.json.id).toBe(added.json.id);
		expect((await plain('POST', `/${aliceDrive}/bulk`, { path: '/Seeded/Many', count: 30 })).json.folder.childCount).toBe(30);
		expect((await plain('DELETE', `/${aliceDrive}/item?path=${encodeURIComponent('/Seeded/a.txt')}`)).status).toBe(204);
		expect((await plain('GET', `/${aliceDrive}/item?path=${encodeURIComponent('/Seeded/a.txt')}`)).status).toBe(404);
		expect((await plain('POST', `/${aliceDrive}/resync`)).status).toBe(204);
		const latest = await call('GET', '/me/drive/root/delta?token=latest');
		expect(latest.status).toBe(200);
		expect((await call('GET', latest.json['@odata.deltaLink'])).status).toBe(410);
		const drives = await plain('GET', '');
		expect(drives.json.map((d: any) => d.driveType)).toEqual(expect.arrayContaining(['business', 'documentLibrary', 'personal']));
	});
});
