/**
 * Request node, what it refuses and how it retries: URLs off the credential's hosts and paths with dot segments are
 * refused naming "URL" with nothing sent (not even a sign-in); bad headers and bodies likewise; Retry-After is
 * honoured, 429 storms are ridden out, a POST is never repeated after a 504; continue-on-fail keeps items paired.
 */
import { NodeOperationError } from 'n8n-workflow';

import { BAD_PATHS, expectEveryBadInputRefused } from '../../harness/badInput';
import { ALICE, apiCalls, items, useRequestFixture, type RequestFixture } from './fixture';

describe('Request node: refusals and retries', () => {
	const fixture = useRequestFixture();
	let f: RequestFixture;
	beforeEach(() => {
		f = fixture();
	});

	it('a URL outside the credential\'s hosts is refused naming "URL", before sign-in or any request', async () => {
		const graphHost = new URL(f.sandbox.graphUrl).host;
		const foreign = [
			{ label: 'another host', value: 'https://evil.example.com/v1.0/me' },
			{ label: 'plain http to Graph', value: `http://${graphHost}/v1.0/me` },
			{ label: 'the pre-authenticated files host', value: `${f.sandbox.filesUrl}/download/x` },
			{ label: 'Dataverse with a Graph credential', value: `${f.sandbox.dataverseUrl}/api/data/v9.2/WhoAmI` },
			{ label: 'credentials in the URL', value: `https://user:pw@${graphHost}/v1.0/me` },
			{ label: 'another scheme', value: 'file:///etc/passwd' },
			{ label: 'a line break', value: '/me\r\nX-Evil: 1' },
		];
		const count = await expectEveryBadInputRefused({
			field: 'URL',
			values: foreign,
			run: async (value) => await f.run('graphApp', { url: value }),
			requests: () => f.requests(),
			clear: () => f.clearRequests(),
		});
		expect(count).toBe(foreign.length);
		const error = await f.fail('graphApp', { url: 'https://evil.example.com/v1.0/me' });
		expect(error.message).toContain('points to host "evil.example.com"');
		expect(error.description).toContain(new URL(f.sandbox.graphUrl).host);
	});

	it('a path with "." or ".." segments in any spelling is refused naming "URL", nothing sent', async () => {
		const values = [
			...BAD_PATHS,
			{ label: 'parent after the API', value: '/me/../users' },
			{ label: 'climb out of the version', value: '../../_sandbox/requests' },
			{ label: 'encoded in a full URL', value: `${f.sandbox.graphUrl}/v1.0/%2e%2e/_sandbox/faults` },
			{ label: 'in path addressing', value: '/me/drive/root:/..:/children' },
			{ label: 'backslash', value: '/me\\..\\users' },
		];
		await expectEveryBadInputRefused({
			field: 'URL',
			values,
			run: async (value) => await f.run('graphApp', { url: value }),
			requests: () => f.requests(),
			clear: () => f.clearRequests(),
		});
	});

	it('headers with line breaks, invalid or reserved names, and bad JSON bodies are refused before anything is sent', async () => {
		const cases: Array<[string, Record<string, unknown>, RegExp]> = [
			['CR/LF header value', { headerParameters: { parameters: [{ name: 'X-Test', value: 'a\r\nAuthorization: Bearer x' }] } }, /"Header X-Test" contains a line break/],
			['header name with a space', { headerParameters: { parameters: [{ name: 'X Test', value: '1' }] } }, /"Header Name"/],
			['Authorization header', { headerParameters: { parameters: [{ name: 'authorization', value: 'Bearer stolen' }] } }, /"Header Name" "authorization" is set by the node/],
			['bad JSON', { method: 'POST', bodyType: 'json', jsonBody: '{ "subject": }' }, /"JSON Body" is not valid JSON/],
			['JSON that is not an object', { method: 'POST', bodyType: 'json', jsonBody: '"text"' }, /"JSON Body" must be a JSON object or array/],
			['missing binary field', { method: 'PUT', bodyType: 'binary', binaryPropertyName: 'file' }, /"Input Binary Field": the item has no binary field "file"/],
			['query name missing', { queryParameters: { parameters: [{ name: '', value: 'x' }] } }, /"Query Parameter Name" is empty/],
		];
		for (const [label, parameters, message] of cases) {
			f.clearRequests();
			const error = await f.fail('graphApp', { url: '/test_echo', ...parameters });
			expect([label, error instanceof NodeOperationError, error.message]).toEqual([label, true, expect.stringMatching(message)]);
			expect([label, f.requests()]).toEqual([label, []]);
		}
	});

	it('Retry-After is honoured: a throttled GET waits as asked, then succeeds', async () => {
		f.sandbox.faults.add({ path: '^/v1\\.0/me$', status: 429, retryAfter: '1', times: 1 });
		const started = Date.now();
		const [me] = await f.run('graphDelegated', { url: '/me' });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(me.json.userPrincipalName).toBe(ALICE.userPrincipalName);
		expect(f.requests().map((entry) => entry.status)).toEqual([429, 200]);
	});

	it('a 429 storm is ridden out within the retry budget; a POST answered 429 is sent again (nothing was applied)', async () => {
		f.sandbox.faults.add({ path: '^/v1\\.0/users$', status: 429, retryAfter: '0', times: 4 });
		const out = await f.run('graphApp', { url: '/users', pagination: 'limit', limit: 5 });
		expect(out).toHaveLength(5);
		expect(f.requests().filter((entry) => entry.path === '/v1.0/users').map((entry) => entry.status)).toEqual([429, 429, 429, 429, 200]);
		f.clearRequests();
		f.sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/test_echo$', status: 429, retryAfter: '0', times: 2 });
		const [echo] = await f.run('graphDelegated', { url: '/test_echo', method: 'POST', bodyType: 'json', jsonBody: '{"n":1}' });
		expect(echo.json.bodyText).toBe('{"n":1}');
		expect(apiCalls(f.requests())).toEqual(Array(3).fill('POST api /v1.0/test_echo'));
	});

	it('a POST answered 504 is never sent again (it may have been applied); a PUT is', async () => {
		f.sandbox.faults.add({ method: 'POST', path: '^/v1\\.0/me/sendMail$', status: 504 });
		const error = await f.fail('graphDelegated', {
			url: '/me/sendMail',
			method: 'POST',
			bodyType: 'json',
			jsonBody: JSON.stringify({ message: { subject: 'once', toRecipients: [{ emailAddress: { address: ALICE.userPrincipalName } }] } }),
		});
		expect(error.httpCode).toBe('504');
		expect(apiCalls(f.requests())).toEqual(['POST api /v1.0/me/sendMail']);
		f.clearRequests();
		f.sandbox.faults.add({ method: 'PUT', path: '^/v1\\.0/test_echo$', status: 504, times: 1 });
		const [echo] = await f.run('graphDelegated', { url: '/test_echo', method: 'PUT', bodyType: 'text', textBody: 'again' });
		expect(echo.json.bodyText).toBe('again');
		expect(apiCalls(f.requests())).toEqual(['PUT api /v1.0/test_echo', 'PUT api /v1.0/test_echo']);
	});

	it('a GET redirect is followed without the token only over https; a redirect without Location (n8n 1.x) is explained', async () => {
		const to = `${f.sandbox.filesUrl}/download/nothing-here`;
		const followed = await f.fail('graphDelegated', { url: '/test_redirect', queryParameters: { parameters: [{ name: 'to', value: to }] }, responseFormat: 'binary' });
		expect(followed.httpCode).toBe('401');
		expect(f.requests().filter((entry) => entry.host === 'files').map((entry) => entry.hasAuthorization)).toEqual([false]);
		f.clearRequests();
		const http = await f.fail('graphDelegated', { url: '/test_redirect', queryParameters: { parameters: [{ name: 'to', value: to.replace('https:', 'http:') }] } });
		expect(http.message).toMatch(/not https/);
		expect(f.requests().filter((entry) => entry.host === 'files')).toEqual([]);
		const missing = await f.fail('graphDelegated', { url: '/test_redirect', responseFormat: 'binary' });
		expect(missing.message).toBe('Microsoft answered with a redirect (HTTP 302), but n8n did not pass on where it leads');
		expect(missing.description).toMatch(/n8n 1\.x/);
		expect(f.sandbox.state.violations).toEqual([]);
	});

	it('continue on fail: each item succeeds or fails on its own and stays paired with its input', async () => {
		const input = items({ url: '/me' }, { url: 'https://evil.example.com/steal' }, { url: '/users/nobody@contoso.onmicrosoft.com' }, { url: '/me/../me' });
		const out = await f.run('graphDelegated', { url: '={{ $json.url }}' }, { input, continueOnFail: true });
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(out[0].json.userPrincipalName).toBe(ALICE.userPrincipalName);
		expect(out[1].json.error).toMatch(/"URL" points to host "evil\.example\.com"/);
		expect(out[2].json.error).toMatch(/does not exist/);
		expect(out[2].json.description).toMatch(/Request_ResourceNotFound \(HTTP 404\)/);
		expect(out[3].json.error).toMatch(/"URL" path segment/);
		expect(apiCalls(f.requests())).toEqual(['GET api /v1.0/me', 'GET api /v1.0/users/nobody@contoso.onmicrosoft.com']);
	});

	it('without continue on fail the first failing item stops the node with its error', async () => {
		const input = items({ url: '/me' }, { url: '/users/nobody@contoso.onmicrosoft.com' }, { url: '/me' });
		const error = await f.fail('graphDelegated', { url: '={{ $json.url }}' }, { input });
		expect(error.httpCode).toBe('404');
		expect(apiCalls(f.requests())).toEqual(['GET api /v1.0/me', 'GET api /v1.0/users/nobody@contoso.onmicrosoft.com']);
	});
});
