/**
 * The shared layer's hardening rules, each against a scripted Microsoft: pagers that would loop, header
 * injection, broken Unicode, tokens outside a custom base path, picker page tokens, pre-authenticated
 * redirects, upload-session waits beyond the retry budget.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { graphGetAll, listPage, MAX_EMPTY_PAGES_IN_A_ROW } from '../../nodes/Microsoft/shared/paging';
import { fetchPreAuthenticated, MAX_REDIRECTS } from '../../nodes/Microsoft/shared/preAuthenticated';
import { graphRequest, isAllowedUrl } from '../../nodes/Microsoft/shared/transport';
import { uploadToSession } from '../../nodes/Microsoft/shared/uploadSession';
import { withoutPreAuthenticatedUrls } from '../../nodes/Microsoft/shared/output';
import { allowedPathPrefixesFor } from '../../nodes/Microsoft/shared/clouds';
import { fakeContext, testConnection } from './shared-fakeContext';

const conn = testConnection();
const BASE = 'https://graph.example.test/v1.0';
const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: String(from + i) }));

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a failure');
}

describe('pager: every loop ends', () => {
	it('stops when Microsoft hands back a next link it already gave', async () => {
		const loop = `${BASE}/me/drive/root/children?$skiptoken=A`;
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: { value: items(0, 2), '@odata.nextLink': loop } }));
		const error = await failure(graphGetAll(ctx, conn, '/me/drive/root/children'));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Microsoft returned the same next-page link twice');
		expect(authenticated).toHaveLength(2);
	});

	it('stops after a run of empty pages that keep pointing further', async () => {
		const { ctx, authenticated } = fakeContext((_options, call) => ({
			status: 200,
			body: { value: [], '@odata.nextLink': `${BASE}/me/drive/root/children?$skiptoken=${call}` },
		}));
		const error = await failure(graphGetAll(ctx, conn, '/me/drive/root/children'));
		expect(error.message).toBe(`Microsoft returned ${MAX_EMPTY_PAGES_IN_A_ROW} empty pages in a row`);
		expect(authenticated).toHaveLength(MAX_EMPTY_PAGES_IN_A_ROW);
	});

	it('has a page ceiling even when every page has items', async () => {
		const { ctx, authenticated } = fakeContext((_options, call) => ({
			status: 200,
			body: { value: items(call, 1), '@odata.nextLink': `${BASE}/x?$skiptoken=${call}` },
		}));
		const error = await failure(graphGetAll(ctx, conn, '/x', { maxPages: 7 }));
		expect(error.message).toBe('The listing has more than 7 pages');
		expect(authenticated).toHaveLength(7);
	});

	it('counts only kept items against the limit and stops there, even after fully filtered pages', async () => {
		// Pages 1-3 hold only folders, then files: the limit of 2 files ends paging on page 4.
		const { ctx, authenticated } = fakeContext((_options, call) => ({
			status: 200,
			body: {
				value: call <= 3 ? [{ id: `f${call}`, folder: {} }] : [{ id: `a${call}` }, { id: `b${call}` }, { id: `c${call}` }],
				'@odata.nextLink': `${BASE}/s?$skiptoken=${call}`,
			},
		}));
		const files = await graphGetAll(ctx, conn, '/s', { limit: 2, keep: (item) => item.folder === undefined });
		expect(files).toEqual([{ id: 'a4' }, { id: 'b4' }]);
		expect(authenticated).toHaveLength(4);
	});
});

describe('picker page tokens are bound to their listing', () => {
	const listing = '/me/drive/root/children';
	const page = { status: 200, body: { value: items(0, 1) } };

	it('follows a token that continues the same listing', async () => {
		const { ctx, authenticated } = fakeContext(() => page);
		await listPage(ctx, conn, listing, {}, `${BASE}/me/drive/root/children?$skiptoken=2`);
		expect(authenticated[0].url).toBe(`${BASE}/me/drive/root/children?$skiptoken=2`);
	});

	it.each([
		['another Graph path', `${BASE}/me/messages?$skiptoken=2`],
		['a relative path', '/users?$select=passwordProfile'],
		['another host', 'https://evil.example/v1.0/me/drive/root/children?$skiptoken=2'],
		['a dot-segment path that resolves elsewhere', `${BASE}/me/drive/root/children/../../../me/messages`],
		['not a URL', 'skiptoken=2'],
	])('refuses %s without sending anything', async (_label, token) => {
		const { ctx, authenticated } = fakeContext(() => page);
		const error = await failure(listPage(ctx, conn, listing, {}, token));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/page token does not belong to this list/);
		expect(authenticated).toHaveLength(0);
	});
});

describe('requests are checked before they are sent', () => {
	it('refuses CR/LF in a header value', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: {} }));
		const error = await failure(graphRequest(ctx, conn, { url: '/me', headers: { 'Content-Type': 'text/plain\r\nX-Evil: 1' } }));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/"Header Content-Type" contains a line break/);
		expect(authenticated).toHaveLength(0);
	});

	it('refuses broken Unicode in a query value with a clear error, not "URI malformed"', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: {} }));
		const error = await failure(graphRequest(ctx, conn, { url: '/users', qs: { $filter: "startswith(displayName,'\uD800')" } }));
		expect(error.message).toMatch(/"Query parameter "\$filter"" contains a broken character/);
		expect(authenticated).toHaveLength(0);
	});
});

describe('a custom base URL with a path confines the token to that path', () => {
	const prefixed = testConnection({
		graphUrl: 'https://proxy.example.test/graph',
		graphBaseUrl: 'https://proxy.example.test/graph/v1.0',
		allowedHosts: new Set(['proxy.example.test', 'login.example.test']),
		allowedPathPrefixes: allowedPathPrefixesFor({ loginUrl: 'https://login.example.test', graphUrl: 'https://proxy.example.test/graph' }),
	});

	it('allows paths below the prefix only', () => {
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/graph/v1.0/me')).toBe(true);
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/graph')).toBe(true);
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/admin/secrets')).toBe(false);
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/graphx/v1.0/me')).toBe(false);
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/graph/../admin')).toBe(false);
		expect(isAllowedUrl(prefixed, 'https://proxy.example.test/graph/%2e%2e/admin')).toBe(false);
		// A login host without a path stays unrestricted; Microsoft's clouds never get prefixes.
		expect(isAllowedUrl(prefixed, 'https://login.example.test/anything')).toBe(true);
		expect(allowedPathPrefixesFor({ loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com' }).size).toBe(0);
	});

	it('refuses a request outside the prefix before sending, naming the path', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: {} }));
		const error = await failure(graphRequest(ctx, prefixed, { url: 'https://proxy.example.test/admin/secrets' }));
		expect(error.message).toMatch(/Refused to send the Microsoft credential's token to path "\/admin\/secrets"/);
		expect(authenticated).toHaveLength(0);
	});
});

describe('pre-authenticated redirects', () => {
	it('follows an https redirect without a token and stops at http://', async () => {
		const { ctx, plain } = fakeContext((options) => {
			if (options.url === 'https://files.example.test/a') return { status: 302, headers: { location: 'https://files.example.test/b' } };
			if (options.url === 'https://files.example.test/b') return { status: 302, headers: { location: 'http://files.example.test/c' } };
			return { status: 200, body: 'leaked' };
		});
		const error = await failure(fetchPreAuthenticated(ctx, 'https://files.example.test/a', { encoding: 'arraybuffer' }));
		expect(error.message).toMatch(/not https/);
		expect(plain.map((o) => o.url)).toEqual(['https://files.example.test/a', 'https://files.example.test/b']);
		expect(plain.every((o) => o.disableFollowRedirect === true && !o.headers?.Authorization)).toBe(true);
	});

	it('stops after a bounded number of hops', async () => {
		const { ctx, plain } = fakeContext((_options, call) => ({ status: 302, headers: { location: `https://files.example.test/${call}` } }));
		const error = await failure(fetchPreAuthenticated(ctx, 'https://files.example.test/start'));
		expect(error.message).toMatch(`redirected more than ${MAX_REDIRECTS} times`);
		expect(plain).toHaveLength(MAX_REDIRECTS + 1);
	});

	it('returns the redirect itself when asked not to follow', async () => {
		const { ctx, plain } = fakeContext(() => ({ status: 303, headers: { location: 'https://graph.example.test/v1.0/drives/d/items/1' } }));
		const response = await fetchPreAuthenticated(ctx, 'https://files.example.test/monitor', { followRedirects: false });
		expect(response.status).toBe(303);
		expect(plain).toHaveLength(1);
	});
});

describe('upload sessions wait within the transport budget', () => {
	it('gives up at once when Retry-After is beyond the budget, and cancels the session', async () => {
		const waits: number[] = [];
		const { ctx, plain } = fakeContext((options) =>
			options.method === 'PUT' ? { status: 429, headers: { 'retry-after': '99999' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } : { status: 204 },
		);
		const executeCtx = Object.assign(ctx, { getExecutionCancelSignal: () => undefined }) as never;
		const error = await failure(
			uploadToSession(executeCtx, {
				uploadUrl: 'https://files.example.test/upload/1',
				source: Buffer.alloc(327_680 * 2),
				size: 327_680 * 2,
				fragmentSize: 327_680,
				retry: { sleep: async (ms) => void waits.push(ms) },
			}),
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).description).toMatch(/retry after 99999 seconds/);
		expect(waits).toEqual([]);
		expect(plain.map((o) => o.method)).toEqual(['PUT', 'DELETE']);
	});

	it('waits what Retry-After says when it fits, then resumes', async () => {
		const waits: number[] = [];
		let puts = 0;
		const { ctx } = fakeContext((options) => {
			if (options.method === 'PUT') {
				puts++;
				if (puts === 1) return { status: 429, headers: { 'retry-after': '2' } };
				return puts === 2 ? { status: 202, body: { nextExpectedRanges: ['327680-'] } } : { status: 201, body: { id: 'new' } };
			}
			return { status: 200, body: { nextExpectedRanges: ['0-'] } };
		});
		const executeCtx = Object.assign(ctx, { getExecutionCancelSignal: () => undefined }) as never;
		const result = await uploadToSession(executeCtx, {
			uploadUrl: 'https://files.example.test/upload/2',
			source: Buffer.alloc(327_680 * 2),
			size: 327_680 * 2,
			fragmentSize: 327_680,
			retry: { sleep: async (ms) => void waits.push(ms) },
		});
		expect(result.item).toEqual({ id: 'new' });
		expect(waits).toEqual([2000]);
	});
});

describe('pre-authenticated URLs stay out of output', () => {
	it('removes download URLs at any depth and keeps everything else', () => {
		const item = {
			id: '1',
			'@microsoft.graph.downloadUrl': 'https://files/secret',
			children: [{ id: '2', '@content.downloadUrl': 'https://files/secret2', name: 'x' }],
			webUrl: 'https://contoso/x',
		};
		expect(withoutPreAuthenticatedUrls(item)).toEqual({ id: '1', children: [{ id: '2', name: 'x' }], webUrl: 'https://contoso/x' });
		expect(item['@microsoft.graph.downloadUrl']).toBe('https://files/secret');
	});
});
