/**
 * Where the Request node sends (nodes/Microsoft/Request/helpers/target.ts): the base URL per API, how a path joins
 * it, and what is refused naming "URL" — hosts off the credential, paths outside a custom base path, dot segments.
 */
import { InputValueError } from '../../../nodes/Microsoft/shared/input';
import { apiBaseUrl, withQuery } from '../../../nodes/Microsoft/shared/resourceApi';
import { resolveUserUrl } from '../../../nodes/Microsoft/Request/helpers/target';
import { testConnection } from '../shared-fakeContext';

const graph = testConnection();
const dataverse = testConnection({
	credentialType: 'microsoft365ClientCredentialsApi',
	resource: 'dataverse',
	resourceUrl: 'https://org.crm.dynamics.test',
	allowedHosts: new Set(['graph.example.test', 'login.example.test', 'org.crm.dynamics.test']),
});
/** A custom cloud behind a proxy: the token is confined below /graph on that host. */
const proxied = testConnection({
	graphUrl: 'https://proxy.example.test/graph',
	graphBaseUrl: 'https://proxy.example.test/graph/v1.0',
	allowedHosts: new Set(['proxy.example.test']),
	allowedPathPrefixes: new Map([['proxy.example.test', ['/graph', '/login']]]),
});

function refusal(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputValueError);
		return (error as InputValueError).message;
	}
	throw new Error('not refused');
}

describe('Request node: API base URLs', () => {
	it('follows the credential: Graph by version, Dataverse Web API, F&O OData, Business Central, custom', () => {
		expect(apiBaseUrl(graph)).toBe('https://graph.example.test/v1.0');
		expect(apiBaseUrl(graph, 'beta')).toBe('https://graph.example.test/beta');
		expect(apiBaseUrl(dataverse)).toBe('https://org.crm.dynamics.test/api/data/v9.2');
		expect(apiBaseUrl({ ...dataverse, resource: 'financeOperations', resourceUrl: 'https://env.operations.dynamics.test' })).toBe('https://env.operations.dynamics.test/data');
		expect(apiBaseUrl({ ...dataverse, resource: 'businessCentral', resourceUrl: 'https://api.businesscentral.dynamics.com' })).toBe('https://api.businesscentral.dynamics.com/v2.0');
		expect(apiBaseUrl({ ...dataverse, resource: 'custom', resourceUrl: 'https://api.contoso.test/v3' })).toBe('https://api.contoso.test/v3');
	});
});

describe('Request node: resolveUserUrl', () => {
	const base = apiBaseUrl(graph);

	it('joins relative paths to the base, a versioned path to the host, and keeps full URLs and queries', () => {
		expect(resolveUserUrl(graph, '/me/messages', base)).toBe('https://graph.example.test/v1.0/me/messages');
		expect(resolveUserUrl(graph, ' me/messages?$top=5 ', base)).toBe('https://graph.example.test/v1.0/me/messages?$top=5');
		expect(resolveUserUrl(graph, '/beta/me', base)).toBe('https://graph.example.test/beta/me');
		expect(resolveUserUrl(graph, "/users('a b')#frag", base)).toBe("https://graph.example.test/v1.0/users('a%20b')");
		expect(resolveUserUrl(graph, 'https://GRAPH.example.test/v1.0/me', base)).toBe('https://graph.example.test/v1.0/me');
		expect(resolveUserUrl(dataverse, 'accounts', apiBaseUrl(dataverse))).toBe('https://org.crm.dynamics.test/api/data/v9.2/accounts');
		expect(resolveUserUrl(dataverse, '/api/data/v9.1/WhoAmI', apiBaseUrl(dataverse))).toBe('https://org.crm.dynamics.test/api/data/v9.1/WhoAmI');
		expect(resolveUserUrl(proxied, '/me', apiBaseUrl(proxied))).toBe('https://proxy.example.test/graph/v1.0/me');
	});

	it('refuses other hosts, plain http, user info and paths outside a custom base path, naming "URL"', () => {
		expect(refusal(() => resolveUserUrl(graph, 'https://evil.example.test/v1.0/me', base))).toBe('"URL" points to host "evil.example.test", which may not receive this credential\'s token');
		expect(refusal(() => resolveUserUrl(graph, 'http://graph.example.test/v1.0/me', base))).toMatch(/^"URL" must use https:\/\//);
		expect(refusal(() => resolveUserUrl(graph, 'https://a:b@graph.example.test/v1.0/me', base))).toMatch(/user name or password/);
		expect(refusal(() => resolveUserUrl(proxied, 'https://proxy.example.test/other/me', base))).toMatch(/outside the credential's base path/);
		expect(refusal(() => resolveUserUrl(graph, 'javascript:alert(1)', base))).toMatch(/^"URL" must use https/);
	});

	it('refuses dot segments in every spelling, control characters and empty values before building a URL', () => {
		for (const value of ['/me/../users', '..', '/%2e%2e/x', '/me/%252e%252e/x', '/\uFF0E\uFF0E/x', 'a\\..\\b', '/root:/..:/children', 'https://graph.example.test/v1.0/%2E%2E/x', '/x/./y']) {
			expect([value, refusal(() => resolveUserUrl(graph, value, base))]).toEqual([value, expect.stringMatching(/^"URL" path segment is or contains/)]);
		}
		expect(refusal(() => resolveUserUrl(proxied, '/../../login/x', apiBaseUrl(proxied)))).toMatch(/^"URL" path segment/);
		expect(refusal(() => resolveUserUrl(graph, '/me\tx', base))).toMatch(/control character/);
		expect(refusal(() => resolveUserUrl(graph, '  ', base))).toBe('"URL" is empty');
		expect(refusal(() => resolveUserUrl(graph, '/me/\uD800', base))).toMatch(/broken character/);
	});
});

describe('Request node: withQuery', () => {
	it('appends encoded values (spaces as %20, & and # kept inside the value) and keeps $ in names', () => {
		expect(withQuery('https://g.test/v1.0/users', { $filter: "displayName eq 'Tom & Jerry#1'", $top: 5 })).toBe(
			"https://g.test/v1.0/users?$filter=displayName%20eq%20%27Tom%20%26%20Jerry%231%27&$top=5",
		);
		expect(withQuery('https://g.test/v1.0/users?$select=id', { $top: 1 })).toBe('https://g.test/v1.0/users?$select=id&$top=1');
		expect(withQuery('https://g.test/x', {})).toBe('https://g.test/x');
	});
});
