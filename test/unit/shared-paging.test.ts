import { NodeApiError } from 'n8n-workflow';

import { graphGetAll, graphPages, odataGetAll, planPage } from '../../nodes/Microsoft/shared/paging';
import { fakeContext, testConnection } from './shared-fakeContext';

const items = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: String(from + i) }));

describe('planPage', () => {
	it('hands out all items and the next link when there is no limit', () => {
		expect(planPage({ value: items(0, 3), '@odata.nextLink': 'https://x/next' }, 0, undefined)).toEqual({
			items: items(0, 3),
			next: 'https://x/next',
		});
	});
	it('trims to the limit and drops the next link once it is reached', () => {
		expect(planPage({ value: items(0, 5), '@odata.nextLink': 'https://x/next' }, 8, 10)).toEqual({ items: items(0, 2) });
		expect(planPage({ value: items(0, 2), '@odata.nextLink': 'https://x/next' }, 8, 10)).toEqual({ items: items(0, 2) });
	});
	it('keeps going below the limit', () => {
		expect(planPage({ value: items(0, 2), '@odata.nextLink': 'https://x/n' }, 0, 10).next).toBe('https://x/n');
	});
	it('tolerates a page without value', () => {
		expect(planPage({}, 0, undefined)).toEqual({ items: [] });
	});
});

describe('graphPages', () => {
	const conn = testConnection();
	const next1 = 'https://graph.example.test/v1.0/me/drive/root/children?$top=2&$skiptoken=Paged%3DTRUE%26p_ID%3D2';
	const next2 = 'https://graph.example.test/v1.0/me/drive/root/children?$top=2&$skiptoken=Paged%3DTRUE%26p_ID%3D4';

	function threePages() {
		return fakeContext((options) => {
			if (options.url === 'https://graph.example.test/v1.0/me/drive/root/children') {
				return { status: 200, body: { value: items(0, 2), '@odata.nextLink': next1 } };
			}
			if (options.url === next1) return { status: 200, body: { value: items(2, 2), '@odata.nextLink': next2 } };
			if (options.url === next2) return { status: 200, body: { value: items(4, 1) } };
			return { status: 404, body: { error: { code: 'itemNotFound', message: `unexpected ${options.url}` } } };
		});
	}

	it('follows nextLinks exactly as given, sending $top only on the first request', async () => {
		const { ctx, authenticated } = threePages();
		const pages: unknown[][] = [];
		for await (const page of graphPages(ctx, conn, '/me/drive/root/children', { pageSize: 1000 })) pages.push(page);
		expect(pages).toEqual([items(0, 2), items(2, 2), items(4, 1)]);
		expect(authenticated.map((o) => o.url)).toEqual(['https://graph.example.test/v1.0/me/drive/root/children', next1, next2]);
		expect(authenticated[0].qs).toEqual({ $top: 1000 });
		expect(authenticated[1].qs).toBeUndefined();
	});

	it('stops at the limit without fetching another page, and asks only for what the limit needs', async () => {
		const { ctx, authenticated } = threePages();
		const all = await graphGetAll(ctx, conn, '/me/drive/root/children', { pageSize: 1000, limit: 3 });
		expect(all).toEqual(items(0, 3));
		expect(authenticated).toHaveLength(2);
		expect(authenticated[0].qs).toEqual({ $top: 3 });

		const exact = threePages();
		expect(await graphGetAll(exact.ctx, conn, '/me/drive/root/children', { limit: 2 })).toEqual(items(0, 2));
		expect(exact.authenticated).toHaveLength(1);
	});

	it('refuses a nextLink on a foreign host before sending anything there', async () => {
		const { ctx, authenticated } = fakeContext(() => ({
			status: 200,
			body: { value: items(0, 1), '@odata.nextLink': 'https://evil.example.com/v1.0/steal?$skiptoken=1' },
		}));
		const seen: unknown[] = [];
		const run = async () => {
			for await (const page of graphPages(ctx, conn, '/users')) seen.push(...page);
		};
		await expect(run()).rejects.toThrow(NodeApiError);
		await expect(
			(async () => {
				for await (const _ of graphPages(fakeContext(() => ({ status: 200, body: { value: [], '@odata.nextLink': 'http://graph.example.test/v1.0/x' } })).ctx, conn, '/users')) {
					// drain
				}
			})(),
		).rejects.toThrow(/not one of this credential's hosts/);
		expect(seen).toEqual(items(0, 1));
		expect(authenticated.map((o) => new URL(o.url).host)).toEqual(['graph.example.test']);
	});

	it('does not add $top to a resumed next or delta link', async () => {
		const { ctx, authenticated } = fakeContext(() => ({ status: 200, body: { value: [] } }));
		const deltaLink = 'https://graph.example.test/v1.0/drives/d1/root/delta?token=MzslMjM0OzE7MDsxOzA7';
		await graphGetAll(ctx, conn, deltaLink, { pageSize: 1000 });
		await graphGetAll(ctx, conn, next1, { pageSize: 1000 });
		expect(authenticated.map((o) => [o.url, o.qs])).toEqual([
			[deltaLink, undefined],
			[next1, undefined],
		]);
	});

	it('reports every page body (for delta links)', async () => {
		const { ctx } = fakeContext(() => ({ status: 200, body: { value: [], '@odata.deltaLink': 'https://graph.example.test/v1.0/delta?token=abc' } }));
		const bodies: unknown[] = [];
		await graphGetAll(ctx, conn, '/me/drive/root/delta', { onPage: (body) => bodies.push(body['@odata.deltaLink']) });
		expect(bodies).toEqual(['https://graph.example.test/v1.0/delta?token=abc']);
	});

	it('throws the translated Graph error of a failing page', async () => {
		const { ctx } = fakeContext(() => ({ status: 403, body: { error: { code: 'accessDenied', message: 'Access denied' } } }));
		await expect(graphGetAll(ctx, conn, '/users', { requiredPermission: 'User.Read.All' })).rejects.toMatchObject({
			message: 'Access denied',
			description: expect.stringContaining('User.Read.All'),
		});
	});
});

describe('odataPages', () => {
	it('uses Prefer odata.maxpagesize, OData headers and the resource URL', async () => {
		const conn = testConnection({
			resource: 'dataverse',
			resourceUrl: 'https://org.crm.dynamics.com',
			allowedHosts: new Set(['org.crm.dynamics.com', 'login.example.test']),
		});
		const next = 'https://org.crm.dynamics.com/api/data/v9.2/accounts?$skiptoken=%3Ccookie%20pagenumber=%222%22/%3E';
		const { ctx, authenticated } = fakeContext((options) =>
			options.url === next
				? { status: 200, body: { value: items(5000, 1) } }
				: { status: 200, body: { value: items(0, 5000), '@odata.nextLink': next } },
		);
		const all = await odataGetAll(ctx, conn, '/api/data/v9.2/accounts', { pageSize: 5000 });
		expect(all).toHaveLength(5001);
		expect(authenticated[0].url).toBe('https://org.crm.dynamics.com/api/data/v9.2/accounts');
		expect(authenticated[0].qs).toBeUndefined();
		expect(authenticated[0].headers).toMatchObject({ Prefer: 'odata.maxpagesize=5000', 'OData-Version': '4.0' });
		expect(authenticated[1].url).toBe(next);
	});
});
