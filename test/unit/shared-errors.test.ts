import type { JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	networkCodeOf,
	readMicrosoftError,
	redactSecrets,
	parseBody,
	responseFromError,
	toNodeApiError,
} from '../../nodes/Microsoft/shared/errors';
import { testNode } from './shared-fakeContext';

const node = testNode;

const graphError = (code: string, message: string) => ({
	error: {
		code,
		message,
		innerError: { date: '2026-11-22T10:00:00', 'request-id': 'req-123', 'client-request-id': 'client-456' },
	},
});

function translate(status: number, body: unknown, headers: Record<string, string> = {}, context = {}) {
	const error = toNodeApiError(node, { status, headers, body }, context);
	expect(error).toBeInstanceOf(NodeApiError);
	return error as NodeApiError;
}

describe('Graph error translation', () => {
	it('uses Graph\'s message and puts code, fix and request ids in the description', () => {
		const error = translate(404, Buffer.from(JSON.stringify(graphError('itemNotFound', 'The resource could not be found.'))));
		expect(error.message).toBe('The resource could not be found.');
		expect(error.description).toContain('itemNotFound');
		expect(error.description).toContain('moved, renamed or deleted');
		expect(error.description).toContain('request-id req-123');
		expect(error.description).toContain('client-request-id client-456');
		expect(error.httpCode).toBe('404');
	});

	it('names the permission on 403', () => {
		const error = translate(403, graphError('accessDenied', 'Access denied'), {}, { requiredPermission: 'Files.ReadWrite.All' });
		expect(error.description).toContain('Files.ReadWrite.All');
		expect(error.description).toContain('admin consent');
	});

	it('gives Dynamics\' 403 fix for resource APIs: application user + security role, or the user\'s security role', () => {
		const denied = { error: { code: '0x80072560', message: 'The user is not a member of the organization.' } };
		for (const api of ['dataverse', 'financeOperations', 'businessCentral'] as const) {
			const app = translate(403, denied, {}, { api, appOnly: true }).description;
			expect(app).toContain('add the app registration as an application user in this environment');
			expect(app).toContain('security role');
			expect(app).not.toContain('API permissions');
			expect(app).not.toContain('signed-in user');
			const user = translate(403, denied, {}, { api, appOnly: false }).description;
			expect(user).toContain('the signed-in user lacks a security role in this environment');
			expect(user).not.toContain('application user');
			expect(user).not.toContain('admin consent');
		}
	});

	it('keeps Graph\'s consent wording for Graph 403s, whoever signed in', () => {
		for (const appOnly of [true, false, undefined]) {
			const description = translate(403, graphError('Authorization_RequestDenied', 'Insufficient privileges'), {}, { api: 'graph', appOnly })
				.description;
			expect(description).toContain('App registrations > API permissions');
			expect(description).toContain('grant admin consent');
			expect(description).not.toContain('security role');
		}
	});

	it('says what a name conflict means without naming a node\'s fields, and takes the node\'s advice first', () => {
		const error = translate(409, graphError('nameAlreadyExists', 'The specified item name already exists.'));
		expect(error.description).toMatch(/already exists/);
		expect(error.description).not.toMatch(/Replace|Rename|conflict behaviour/);
		const advised = toNodeApiError(node, { status: 409, headers: {}, body: graphError('nameAlreadyExists', 'exists') }, { advice: { namealreadyexists: 'Set "If Name Exists" to Replace.' } });
		expect(advised.description).toContain('Set "If Name Exists" to Replace.');
		const byStatus = toNodeApiError(node, { status: 501, headers: {}, body: graphError('notSupported', 'no') }, { advice: { '501': 'Watch the whole drive.' } });
		expect(byStatus.description).toContain('Watch the whole drive.');
	});

	it('explains quota, invalid token and throttling after retries', () => {
		expect(translate(507, graphError('quotaLimitReached', 'Insufficient Space Available')).description).toContain('quota');
		expect(translate(401, graphError('InvalidAuthenticationToken', 'Access token has expired.')).description).toContain('reconnect');
		const throttled = toNodeApiError(node, {
			status: 429,
			headers: { 'retry-after': '90' },
			body: graphError('TooManyRequests', 'Too many requests'),
			retry: { attempts: 5, waitedMs: 30000, stoppedBecause: 'budget', retryAfterMs: 90000 },
		});
		expect(throttled.description).toContain('retry after 90 seconds');
		expect(throttled.description).toContain('Tried 5 time(s)');
	});

	it('reads ids from headers when the body has none (OData / Dataverse)', () => {
		const error = translate(
			404,
			{ error: { code: '0x80040217', message: 'account With Id = 42 Does Not Exist' } },
			{ 'x-ms-service-request-id': 'dv-789' },
		);
		expect(error.message).toBe('account With Id = 42 Does Not Exist');
		expect(error.description).toContain('0x80040217');
		expect(error.description).toContain('request-id dv-789');
	});

	it('falls back to the status when the body is empty or not JSON', () => {
		expect(translate(502, undefined).message).toBe('Microsoft returned HTTP 502');
		expect(translate(500, '<html>oops</html>').message).toBe('<html>oops</html>');
	});

	it('translates Entra sign-in errors through describeSignInError', () => {
		const error = translate(400, {
			error: 'invalid_client',
			error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t\r\nCorrelation ID: c',
			trace_id: 'trace-1',
			correlation_id: 'corr-1',
		});
		expect(error.description).toContain('AADSTS7000215');
		expect(error.description).toContain('not the Secret ID');
		expect(error.description).toContain('trace-1');
	});
});

describe('errors thrown by n8n helpers', () => {
	const axiosLike = () =>
		Object.assign(new Error('Request failed with status code 404'), {
			name: 'AxiosError',
			config: { headers: { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' } },
			response: {
				status: 404,
				headers: { 'request-id': 'hdr-req' },
				data: Buffer.from(JSON.stringify(graphError('itemNotFound', 'Item not found'))),
			},
		});

	it('finds the response inside NodeApiError → cause', () => {
		const wrapped = new NodeApiError(node, axiosLike() as unknown as JsonObject);
		const response = responseFromError(wrapped);
		expect(response?.status).toBe(404);
		expect(response?.headers['request-id']).toBe('hdr-req');
	});

	it('recovers status and body from an n8n 1.x NodeApiError, whose cause is lost', () => {
		const wrapped = new NodeApiError(node, axiosLike() as unknown as JsonObject);
		// n8n-workflow 1.x: ExecutionBaseError declares a `cause` field, which resets it after super().
		(wrapped as { cause?: unknown }).cause = undefined;
		const response = responseFromError(wrapped);
		expect(response?.status).toBe(404);
		expect(response?.headers).toEqual({});
		// the transport turns this back into a response, so Graph's code and message reach translation
		expect(parseBody(response?.body)).toEqual(graphError('itemNotFound', 'Item not found'));
	});

	it('never carries the Authorization header or token into the translated error', () => {
		const translated = toNodeApiError(node, new NodeApiError(node, axiosLike() as unknown as JsonObject));
		const serialised = JSON.stringify({ ...translated, message: translated.message, description: translated.description });
		expect(translated.message).toBe('Item not found');
		expect(serialised).not.toContain('eyJhbGci');
		expect(serialised).not.toContain('Bearer');
		expect((translated as NodeApiError).cause).toBeUndefined();
	});

	it('reports network errors by code', () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		expect(networkCodeOf(new NodeApiError(node, reset as unknown as JsonObject))).toBe('ECONNRESET');
		const translated = toNodeApiError(node, reset, { operation: 'list files' });
		expect(translated.message).toBe('Could not reach Microsoft: the connection was reset');
		expect(translated.description).toContain('While trying to list files');
		expect(translated.description).toContain('ECONNRESET');
	});

	it('passes finished NodeApiErrors through with their httpCode and description, redacted', () => {
		const translated = translate(404, graphError('itemNotFound', 'Item not found'));
		expect(toNodeApiError(node, translated, { operation: 'something else' })).toBe(translated);
		expect(translated.httpCode).toBe('404');
		expect(translated.description).toContain('itemNotFound');
		expect(translated.description).not.toContain('something else');

		const leaky = new NodeApiError(node, { message: 'x' } as JsonObject, {
			message: 'refused Bearer abc.def',
			description: 'sent client_secret=s3cr3t',
			httpCode: '400',
		});
		const passed = toNodeApiError(node, leaky) as NodeApiError;
		expect(passed).toBe(leaky);
		expect(passed.httpCode).toBe('400');
		expect(passed.message).toBe('refused Bearer [redacted]');
		expect(passed.description).toBe('sent client_secret=[redacted]');
	});

	it('passes a finished sign-in translation through instead of translating it again', () => {
		const once = toNodeApiError(node, new NodeApiError(node, new Error('AADSTS7000215: Invalid client secret provided.') as unknown as JsonObject));
		expect(once.description).toContain('AADSTS7000215');
		expect(toNodeApiError(node, once)).toBe(once);
	});

	it('passes our own NodeOperationErrors through, redacted', () => {
		const own = new NodeOperationError(node, 'bad value Bearer abc.def');
		const result = toNodeApiError(node, own);
		expect(result).toBe(own);
		expect(result.message).toBe('bad value Bearer [redacted]');
	});

	it('translates a sign-in failure thrown during preAuthentication', () => {
		const error = new Error(
			'AADSTS700016: Application with identifier \'abc\' was not found in the directory.\r\nTrace ID: 0b3b7a1e-1111-4222-8333-444455556666\r\nCorrelation ID: 9c8d7e6f-1111-4222-8333-444455556666',
		);
		const translated = toNodeApiError(node, new NodeApiError(node, error as unknown as JsonObject));
		expect(translated.description).toContain('AADSTS700016');
		expect(translated.description).toContain('Trace ID 0b3b7a1e-1111-4222-8333-444455556666, Correlation ID 9c8d7e6f-1111-4222-8333-444455556666');
	});
});

describe('redactSecrets', () => {
	it('removes bearer tokens, JWTs and secret parameters', () => {
		const text = redactSecrets(
			'Authorization: Bearer abc.def-ghi token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig client_secret=s3cr3t&x=1 "refresh_token":"rt-1" ?code=authcode',
		);
		expect(text).not.toMatch(/abc\.def|eyJhbGci|s3cr3t|rt-1|authcode/);
		expect(text).toContain('x=1');
	});
	it('keeps ordinary error text', () => {
		expect(redactSecrets('Error code: itemNotFound (HTTP 404).')).toBe('Error code: itemNotFound (HTTP 404).');
	});

	it.each([
		'Valid authentication methods: "password": a user\'s password, "clientSecret": the app\'s secret, "certificate": a PEM.',
		'the password: must be set',
		'The password: missing.',
		'Reset your password: https://aka.ms/sspr',
		'Minimum length of password: 8.',
		'The Bearer token was refused.',
		'WWW-Authenticate: Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"',
		'InvalidAuthenticationToken: Access token is empty.',
		'invalidToken: 0x1234abcd (a name that merely ends in "idToken")',
		'{"error":{"code":"itemNotFound","message":"The resource could not be found."}}',
	])('leaves prose intact: %s', (prose) => {
		expect(redactSecrets(prose)).toBe(prose);
	});

	it.each([
		['{"client_secret":"abc"}', '{"client_secret":"[redacted]"}'],
		['{"password": "a b c", "clientSecret": "mT8Q~x"}', '{"password": "[redacted]", "clientSecret": "[redacted]"}'],
		["{'accessToken': 'x'}", "{'accessToken': '[redacted]'}"],
		['{"certificatePrivateKey":"-----BEGIN PRIVATE KEY-----\\nMIIE\\"q"}', '{"certificatePrivateKey":"[redacted]"}'],
		['grant_type=client_credentials&client_secret=abc&scope=x', 'grant_type=client_credentials&client_secret=[redacted]&scope=x'],
		['POST /token?password=hunter2&user=a', 'POST /token?password=[redacted]&user=a'],
		['new_password=abc MY_CLIENT_SECRET=def', 'new_password=[redacted] MY_CLIENT_SECRET=[redacted]'],
		['client_secret: mT8Q~very.secret.value.', 'client_secret: [redacted].'],
		['userPassword: s3cret-1', 'userPassword: [redacted]'],
		['"refresh_token": 0.AAAA-bbb', '"refresh_token": [redacted]'],
		['Authorization: Bearer abc.def-ghi', 'Authorization: Bearer [redacted]'],
		['{"Authorization":"Bearer EwBwA8l6BAAU7p9QDpi"}', '{"Authorization":"Bearer [redacted]"}'],
		['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln end', 'token [token redacted] end'],
		['https://localhost/cb?state=s&code=0.AbC-d_e&session_state=x', 'https://localhost/cb?state=s&code=[redacted]&session_state=x'],
	])('redacts the value in %s', (input, expected) => {
		expect(redactSecrets(input)).toBe(expected);
	});

	it('is idempotent (errors are scrubbed again when passed through)', () => {
		const once = redactSecrets('client_secret=abc "password":"x" Bearer abc.def ?code=c client_secret: mT8Q~x.y');
		expect(redactSecrets(once)).toBe(once);
	});
});

describe('readMicrosoftError', () => {
	it('reads Graph inner error ids', () => {
		expect(readMicrosoftError(graphError('x', 'y'))).toMatchObject({ code: 'x', message: 'y', requestId: 'req-123', clientRequestId: 'client-456' });
	});
});
