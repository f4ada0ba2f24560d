import { ServerError, ClientAuthError } from '@azure/msal-node';

import {
	describeSignInError,
	redact,
	SignInError,
	signInFailureKind,
	translateSignInError,
} from '../../nodes/Microsoft/shared/signInErrors';

describe('describeSignInError', () => {
	it.each([
		['50194', /tenant-specific credential: set Tenant to your directory/],
		['7000215', /paste the secret Value, not the Secret ID/],
		['7000222', /create a new client secret/],
		['65001', /an admin must grant consent: Entra admin center → App registrations → your app → API permissions → "Grant admin consent/],
		['700016', /Application \(client\) ID/],
		['90002', /Directory \(tenant\) ID/],
		['700022', /one resource per credential/],
		['70011', /Additional Scopes/],
		['50011', /rest\/oauth2-credential\/callback/],
		['50020', /another organization|multi-tenant/],
		['700027', /upload the certificate/],
		['50076', /MFA/],
		['50079', /set up MFA/],
		['53003', /Conditional Access/],
		['9002313', /reconnect|Cloud, Tenant/],
		['70008', /reconnect the credential/],
	])('AADSTS%s has a concrete fix', (code, fix) => {
		for (const input of [code, `AADSTS${code}`, Number(code), `invalid_client: AADSTS${code}: Something happened.\r\nTrace ID: x`]) {
			const description = describeSignInError(input);
			expect(description?.code).toBe(`AADSTS${code}`);
			expect(description?.fix).toMatch(fix);
			expect(description?.summary.length).toBeGreaterThan(10);
		}
	});

	it('maps invalid_grant (refresh token expired) to reconnect, and leaves unknown codes alone', () => {
		expect(describeSignInError('invalid_grant')?.fix).toMatch(/reconnect/i);
		expect(describeSignInError('AADSTS1234567: unheard of, invalid_grant')?.code).toBe('invalid_grant');
		expect(describeSignInError('AADSTS1234567')).toBeUndefined();
		expect(describeSignInError('all fine')).toBeUndefined();
		expect(describeSignInError(undefined)).toBeUndefined();
	});
});

describe('translateSignInError', () => {
	const description =
		"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '1d7c4a2b-8e9f-4a0b-9c1d-2e3f4a5b6c7d'.\r\n" +
		'Trace ID: 0b8e5a1c-1111-4d2e-9f3a-222222222222\r\nCorrelation ID: 7c9d1e2f-3333-4a5b-8c6d-444444444444\r\nTimestamp: 2026-11-22 05:00:00Z';

	it('turns a msal ServerError into the code, the fix, Microsoft\'s line and the trace ids', () => {
		// Shaped as msal-node 7 builds it from Entra's token error body (validateTokenResponse).
		const msalText = `Error(s): 7000215 - Timestamp: 2026-11-22 05:00:00Z - Description: ${description} - Correlation ID: 7c9d1e2f-3333-4a5b-8c6d-444444444444 - Trace ID: 0b8e5a1c-1111-4d2e-9f3a-222222222222`;
		const error = translateSignInError(new ServerError('invalid_client', '7c9d1e2f-3333-4a5b-8c6d-444444444444', msalText, '', 7000215 as never, 401));
		expect(error).toBeInstanceOf(SignInError);
		expect(error.signInCode).toBe('AADSTS7000215');
		// n8n 2.x would show a bare `code` instead of the message and its fix.
		expect(Object.keys(error)).not.toContain('code');
		expect(error.message).toMatch(/^Microsoft sign-in failed \(AADSTS7000215\): Microsoft rejected the client secret\. To fix: paste the secret Value, not the Secret ID/);
		expect(error.message).toContain('Microsoft said: "AADSTS7000215: Invalid client secret provided.');
		expect(error.message).toContain('Trace ID 0b8e5a1c-1111-4d2e-9f3a-222222222222');
		expect(error.traceIds.correlationId).toBe('7c9d1e2f-3333-4a5b-8c6d-444444444444');
	});

	it('never shows a secret even if it appeared in an error text', () => {
		const secret = 'mT8Q~very.secret.value';
		const error = translateSignInError(new Error(`request failed for client_secret=${secret} AADSTS7000222: expired`), [secret]);
		expect(error.message).not.toContain(secret);
		expect(error.signInCode).toBe('AADSTS7000222');
		expect(redact(`a ${secret} b`, [secret])).toBe('a [redacted] b');
	});

	it('explains network failures and unknown errors without inventing a code', () => {
		const network = translateSignInError(new ClientAuthError('network_error', 'corr', 'connect ECONNREFUSED 127.0.0.1:1'));
		expect(network.message).toMatch(/could not be reached/);
		const unknown = translateSignInError(new ServerError('weird', 'corr', 'Error(s): 1234567 - Timestamp: x - Description: AADSTS1234567: Nobody knows. - Correlation ID: corr'));
		expect(unknown.message).toBe('Microsoft sign-in failed: AADSTS1234567: Nobody knows. Check Cloud, Tenant, Client ID and the secret or certificate.');
		expect(unknown.fix).toBeUndefined();
	});
});

/** Advice to check a secret, certificate or other credential field; throttling and outages must never give it. */
const CREDENTIAL_ADVICE = /secret|certificate|Client ID|(?:set|check|Cloud,) Tenant|reconnect/i;

/** A msal ServerError as msal-node 7 builds it from an Entra error body with this HTTP status. */
function entraServerError(status: number, error: string, aadsts: number | undefined, text: string): ServerError {
	const description = `${aadsts ? `AADSTS${aadsts}: ` : ''}${text}\r\nTrace ID: 0b8e5a1c-1111-4d2e-9f3a-222222222222\r\nCorrelation ID: 7c9d1e2f-3333-4a5b-8c6d-444444444444`;
	const msalText = `Error(s): ${aadsts ?? 'Not Available'} - Timestamp: 2026-11-22 05:00:00Z - Description: ${description} - Correlation ID: 7c9d1e2f-3333-4a5b-8c6d-444444444444 - Trace ID: 0b8e5a1c-1111-4d2e-9f3a-222222222222`;
	return new ServerError(error, '7c9d1e2f-3333-4a5b-8c6d-444444444444', msalText, '', aadsts as never, status);
}

describe('throttling and transient sign-in failures', () => {
	it.each([
		['90055', /throttling sign-ins/],
		['50196', /sign-in loop/],
		['90006', /temporarily unavailable/],
		['90012', /timed out/],
		['90024', /temporarily unavailable/],
		['90033', /directory service is temporarily unavailable/],
		['90090', /temporarily unavailable/],
	])('AADSTS%s says to wait and retry later, never to check the credential', (code, summary) => {
		const description = describeSignInError(`AADSTS${code}: whatever Microsoft says`);
		expect(description?.code).toBe(`AADSTS${code}`);
		expect(description?.summary).toMatch(summary);
		expect(description?.fix).toMatch(/wait a few minutes|in a few minutes/);
		expect(description?.fix).toMatch(/The credential itself is fine/);
		expect(description?.fix).not.toMatch(CREDENTIAL_ADVICE);
	});

	it('the loop guard wins over its OAuth word (invalid_grant would say "reconnect")', () => {
		expect(describeSignInError('invalid_grant: AADSTS50196: The server terminated an operation because it encountered a loop')?.code).toBe('AADSTS50196');
		expect(describeSignInError('temporarily_unavailable')?.fix).toMatch(/in a few minutes/);
	});

	it.each([
		['429 AADSTS90055', 'throttled', entraServerError(429, 'temporarily_unavailable', 90055, 'There are too many incoming requests.'), undefined],
		['400 AADSTS50196', 'throttled', entraServerError(400, 'invalid_grant', 50196, 'Loop detected.'), undefined],
		['429 without a code', 'throttled', entraServerError(429, 'temporarily_unavailable', undefined, 'Too many requests.'), undefined],
		['503 AADSTS90006', 'unavailable', entraServerError(503, 'temporarily_unavailable', 90006, 'Unavailable.'), undefined],
		['500 with an unknown code', 'unavailable', entraServerError(500, 'server_error', 1234567, 'Nobody knows.'), undefined],
		['a non-JSON 502 (status from the transport)', 'unavailable', new ClientAuthError('token_parsing_error', 'corr', 'Failed to parse response'), 502],
		['401 wrong secret', 'other', entraServerError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), undefined],
		['a wrong secret even with a 5xx status', 'other', entraServerError(503, 'invalid_client', 7000215, 'Invalid client secret provided.'), undefined],
		['400 unknown app', 'other', entraServerError(400, 'unauthorized_client', 700016, 'Application not found.'), undefined],
		['400 with an unknown code', 'other', entraServerError(400, 'invalid_request', 1234567, 'Nobody knows.'), undefined],
		['a network failure', 'other', new ClientAuthError('network_error', 'corr', 'connect ECONNREFUSED 127.0.0.1:1'), undefined],
	])('signInFailureKind: %s → %s', (_name, kind, error, httpStatus) => {
		expect(signInFailureKind(error, httpStatus)).toBe(kind);
	});

	it('a throttled sign-in names the retries and Microsoft\'s wait, and not the secret', () => {
		const error = translateSignInError(entraServerError(429, 'temporarily_unavailable', 90055, 'There are too many incoming requests.'), [], {
			httpStatus: 429,
			retry: { attempts: 3, waitedMs: 2000, stoppedBecause: 'budget', retryAfterMs: 300_000 },
		});
		expect(error.signInCode).toBe('AADSTS90055');
		expect(error.message).toMatch(
			/^Microsoft sign-in failed \(AADSTS90055\): Microsoft is throttling sign-ins for this tenant: too many token requests in a short time\. Tried 3 times\. Microsoft asked to wait 300 seconds, longer than n8n waits within one run\. To fix: wait a few minutes/,
		);
		expect(error.message).toContain('Microsoft said: "AADSTS90055: There are too many incoming requests."');
		expect(error.message).toContain('Trace ID 0b8e5a1c-1111-4d2e-9f3a-222222222222');
		expect(error.message).not.toMatch(CREDENTIAL_ADVICE);
	});

	it('a 429 or 5xx without a known code is throttling / an outage, never a credential mistake', () => {
		const throttled = translateSignInError(entraServerError(429, 'temporarily_unavailable', undefined, 'Too many requests.'));
		expect(throttled.message).toMatch(/^Microsoft sign-in failed \(temporarily_unavailable\): Microsoft is throttling sign-ins \(HTTP 429\)/);
		expect(throttled.message).not.toMatch(CREDENTIAL_ADVICE);

		const outage = translateSignInError(entraServerError(503, 'server_error', 1234567, 'Nobody knows.'), [], { retry: { attempts: 5, waitedMs: 9000, stoppedBecause: 'attempts' } });
		expect(outage.signInCode).toBe('AADSTS1234567');
		expect(outage.message).toMatch(/temporarily unavailable \(HTTP 503\)\. Tried 5 times\. To fix: run the workflow again in a few minutes/);
		expect(outage.message).not.toMatch(CREDENTIAL_ADVICE);

		const gatewayPage = translateSignInError(new ClientAuthError('token_parsing_error', 'corr', 'Failed to parse response: HTTP 502 Bad Gateway'), [], { httpStatus: 502 });
		expect(gatewayPage.message).toMatch(/temporarily unavailable \(HTTP 502\)/);
		expect(gatewayPage.message).not.toMatch(CREDENTIAL_ADVICE);
	});

	it('a wrong secret keeps the secret advice, whatever the status', () => {
		const error = translateSignInError(entraServerError(401, 'invalid_client', 7000215, 'Invalid client secret provided.'), [], { httpStatus: 401, retry: { attempts: 1, waitedMs: 0 } });
		expect(error.message).toMatch(/paste the secret Value, not the Secret ID/);
		expect(error.message).not.toMatch(/Tried/);
	});
});
