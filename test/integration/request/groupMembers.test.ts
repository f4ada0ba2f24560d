/**
 * The README's example "members of a group, all pages": Send GET /groups/{id}/members with $select and $top and
 * "Return All Pages" (the sandbox's Marketing group holds Contoso's 47 users), paging by @odata.nextLink to the end or
 * to a limit; an unknown group is Graph's 404 translated.
 */
import { CONTOSO, CONTOSO_USER_COUNT, useRequestFixture, type RequestFixture } from './fixture';

const query = (...pairs: Array<[string, string]>) => ({ parameters: pairs.map(([name, value]) => ({ name, value })) });

describe('Request node: members of a group (README example)', () => {
	const fixture = useRequestFixture();
	let f: RequestFixture;
	let groupId: string;
	beforeEach(() => {
		f = fixture();
		groupId = f.sandbox.drives.group(CONTOSO, 'Marketing').id;
	});
	const pages = () => f.requests().filter((entry) => entry.path === `/v1.0/groups/${groupId}/members`);

	it('$top=999 and Return All Pages: one item per member from one request; $top=10: every page followed', async () => {
		const parameters = { url: `/groups/${groupId}/members`, pagination: 'all' };
		const all = await f.run('graphApp', { ...parameters, queryParameters: query(['$select', 'id,displayName,mail'], ['$top', '999']) });
		expect(all).toHaveLength(CONTOSO_USER_COUNT);
		expect(Object.keys(all[0].json).sort()).toEqual(['@odata.type', 'displayName', 'id', 'mail']);
		expect(pages()).toHaveLength(1);
		f.clearRequests();
		const paged = await f.run('graphApp', { ...parameters, queryParameters: query(['$select', 'id,userPrincipalName'], ['$top', '10']) });
		expect(paged).toHaveLength(CONTOSO_USER_COUNT);
		expect(new Set(paged.map((item) => item.json.id)).size).toBe(CONTOSO_USER_COUNT);
		expect(pages()).toHaveLength(Math.ceil(CONTOSO_USER_COUNT / 10));
		expect(pages().slice(1).every((entry) => new URLSearchParams(entry.query).get('$skiptoken'))).toBe(true);
		f.clearRequests();
		const limited = await f.run('graphApp', { url: `/groups/${groupId}/members`, pagination: 'limit', limit: 15, queryParameters: query(['$top', '10']) });
		expect(limited).toHaveLength(15);
		expect(pages()).toHaveLength(2);
	});

	it('an unknown group is Graph\'s 404, translated', async () => {
		const error = await f.fail('graphApp', { url: '/groups/00000000-0000-4000-8000-000000000000/members' });
		expect((error as { httpCode?: string }).httpCode).toBe('404');
		expect(error.message).toMatch(/does not exist/);
	});
});
