import { ServerError, ClientAuthError } from '@azure/msal-node';

import { describeSignInError, redact, SignInError, translateSignInError } from '../../nodes/Microsoft/shared/signInErrors';

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
