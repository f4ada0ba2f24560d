/**
 * Bad credential values are refused with an error naming the field, before any request: the
 * "no request" tests point the login URL at a local TCP listener that counts connections.
 */
import { createServer, type Server } from 'node:net';
import { generate } from 'selfsigned';

import { CredentialValueError } from '../../nodes/Microsoft/shared/clouds';
import { readCredentialSettings } from '../../nodes/Microsoft/shared/credentialSettings';
import { clearAppOnlyTokenCache, clientCredentialsPreAuthentication, readAppOnlySignIn, readClientCertificate } from '../../nodes/Microsoft/shared/signIn';
import { SignInError } from '../../nodes/Microsoft/shared/signInErrors';

const TENANT = '6f1a9c2e-3b4d-4e5f-8a7b-1c2d3e4f5a6b';
const CLIENT_ID = '1d7c4a2b-8e9f-4a0b-9c1d-2e3f4a5b6c7d';

function fieldOf(run: () => unknown): { field: string; message: string } {
	try {
		run();
	} catch (error) {
		if (error instanceof CredentialValueError) return { field: error.field, message: error.message };
		throw error;
	}
	throw new Error('expected a CredentialValueError');
}

describe('readCredentialSettings', () => {
	it.each([
		['contoso', 'Tenant', /not a tenant ID or domain/],
		['not a tenant!', 'Tenant', /Directory \(tenant\) ID/],
		['6f1a9c2e-3b4d-4e5f-8a7b', 'Tenant', /not a tenant ID/],
	])('refuses malformed tenant %p', (tenant, field, message) => {
		for (const type of ['microsoft365OAuth2Api', 'microsoft365ClientCredentialsApi', 'microsoft365TenantOAuth2Api']) {
			const error = fieldOf(() => readCredentialSettings(type, { tenant, environmentUrl: 'https://org.crm.dynamics.com' }));
			expect(error.field).toBe(field);
			expect(error.message).toMatch(message);
		}
	});

	it.each(['common', 'organizations', 'consumers', 'COMMON'])('refuses alias %p where one tenant is needed, says why', (tenant) => {
		expect(readCredentialSettings('microsoft365OAuth2Api', { tenant }).tenant).toBe(tenant.toLowerCase());
		for (const type of ['microsoft365ClientCredentialsApi', 'microsoft365TenantOAuth2Api']) {
			const error = fieldOf(() => readCredentialSettings(type, { tenant, environmentUrl: 'https://org.crm.dynamics.com' }));
			expect(error.field).toBe('Tenant');
			expect(error.message).toMatch(/need one specific tenant/);
		}
	});

	it('refuses http:// and malformed custom hosts', () => {
		const http = fieldOf(() =>
			readCredentialSettings('microsoft365OAuth2Api', { cloud: 'custom', customLoginUrl: 'http://127.0.0.1:8443', customGraphUrl: 'https://127.0.0.1:8443' }),
		);
		expect(http).toEqual({ field: 'Custom Login URL', message: expect.stringMatching(/must use https/) });
		const api = fieldOf(() =>
			readCredentialSettings('microsoft365OAuth2Api', { cloud: 'custom', customLoginUrl: 'https://127.0.0.1:8443', customGraphUrl: 'http://127.0.0.1:8443' }),
		);
		expect(api.field).toBe('Custom API URL');
		expect(fieldOf(() => readCredentialSettings('microsoft365OAuth2Api', { cloud: 'custom', customGraphUrl: 'https://x' })).field).toBe('Custom Login URL');
		expect(fieldOf(() => readCredentialSettings('microsoft365OAuth2Api', { cloud: 'mars' })).field).toBe('Cloud');
	});

	it('validates Dynamics environment URLs per cloud', () => {
		const base = { tenant: TENANT, resource: 'dataverse' };
		expect(readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, environmentUrl: 'https://ORG.crm4.dynamics.com/' }).resourceUrl).toBe(
			'https://org.crm4.dynamics.com',
		);
		expect(fieldOf(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, environmentUrl: 'https://evil.example.com' })).message).toMatch(
			/not a Dynamics 365 host of this cloud/,
		);
		expect(
			fieldOf(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, environmentUrl: 'https://org.crm.dynamics.com/api/data/v9.2' })).message,
		).toMatch(/remove "\/api\/data\/v9.2"/);
		expect(fieldOf(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, environmentUrl: 'http://org.crm.dynamics.com' })).field).toBe(
			'Environment URL',
		);
		expect(
			fieldOf(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, cloud: 'usGov', environmentUrl: 'https://org.crm.dynamics.cn' })).field,
		).toBe('Environment URL');
		expect(fieldOf(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...base, resource: 'graph' })).field).toBe('Resource');
	});

	it('puts exactly the login, Graph and resource hosts on the allow-list', () => {
		const settings = readCredentialSettings('microsoft365ClientCredentialsApi', {
			tenant: TENANT,
			resource: 'dataverse',
			environmentUrl: 'https://org.crm.dynamics.com',
		});
		expect([...settings.allowedHosts].sort()).toEqual(['graph.microsoft.com', 'login.microsoftonline.com', 'org.crm.dynamics.com']);
		expect(settings.appOnly).toBe(true);
		expect(settings.scopes).toEqual(['https://org.crm.dynamics.com/.default']);
		const delegated = readCredentialSettings('microsoft365OAuth2Api', { cloud: 'usGov' });
		expect([...delegated.allowedHosts].sort()).toEqual(['graph.microsoft.us', 'login.microsoftonline.us']);
		expect(delegated.appOnly).toBe(false);
		expect(delegated.resourceUrl).toBe('https://graph.microsoft.us');
	});
});

describe('client-credentials field validation', () => {
	let pair: { cert: string; key: string };
	let otherKey: string;
	let expired: { cert: string; key: string };

	beforeAll(async () => {
		const a = await generate([{ name: 'commonName', value: 'n8n test app' }], { keySize: 2048 });
		const b = await generate([{ name: 'commonName', value: 'other' }], { keySize: 2048 });
		const year = 365 * 24 * 3600 * 1000;
		const old = await generate([{ name: 'commonName', value: 'old' }], {
			keySize: 2048,
			notBeforeDate: new Date(Date.now() - 2 * year),
			notAfterDate: new Date(Date.now() - year),
		});
		pair = { cert: a.cert, key: a.private };
		otherKey = b.private;
		expired = { cert: old.cert, key: old.private };
	});

	const base = { tenant: TENANT, clientId: CLIENT_ID };

	it('refuses an empty or blank secret, naming Client Secret and the Value', () => {
		for (const clientSecret of ['', '   ', undefined]) {
			const error = fieldOf(() => readAppOnlySignIn({ ...base, authMethod: 'secret', clientSecret }));
			expect(error.field).toBe('Client Secret');
			expect(error.message).toMatch(/secret Value \(not the Secret ID\)/);
		}
	});

	it('refuses a client ID that is not a GUID', () => {
		expect(fieldOf(() => readAppOnlySignIn({ ...base, clientId: 'my app', clientSecret: 's' })).field).toBe('Client ID');
		expect(fieldOf(() => readAppOnlySignIn({ ...base, clientId: '', clientSecret: 's' })).field).toBe('Client ID');
	});

	it('derives the SHA-256 thumbprint from the PEM certificate and normalises the key', () => {
		const certificate = readClientCertificate(pair.cert, pair.key);
		expect(certificate.thumbprintSha256).toMatch(/^[0-9a-f]{64}$/);
		const der = Buffer.from(pair.cert.replace(/-----[^-]+-----|\s/g, ''), 'base64');
		expect(certificate.thumbprintSha256).toBe(require('node:crypto').createHash('sha256').update(der).digest('hex'));
		expect(certificate.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
		expect(certificate.x5c).toMatch(/^-----BEGIN CERTIFICATE-----/);
	});

	it('refuses unparsable, mismatched or expired certificates without echoing the key', () => {
		const garbage = fieldOf(() => readClientCertificate('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----', pair.key));
		expect(garbage.field).toBe('Certificate');
		const badKey = fieldOf(() => readClientCertificate(pair.cert, 'SECRET-KEY-MATERIAL-123'));
		expect(badKey.field).toBe('Private Key');
		expect(badKey.message).not.toContain('SECRET-KEY-MATERIAL-123');
		expect(fieldOf(() => readClientCertificate(pair.cert, otherKey)).message).toMatch(/does not belong/);
		expect(fieldOf(() => readClientCertificate(expired.cert, expired.key)).message).toMatch(/expired/);
		expect(fieldOf(() => readClientCertificate('', pair.key)).field).toBe('Certificate');
	});

	describe('no request is sent for bad input', () => {
		let server: Server;
		let connections = 0;
		let loginUrl = '';

		beforeAll(async () => {
			server = createServer((socket) => {
				connections++;
				socket.destroy();
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			const address = server.address();
			loginUrl = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		});
		afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
		beforeEach(() => {
			connections = 0;
			clearAppOnlyTokenCache();
		});

		const custom = () => ({ ...base, cloud: 'custom', customLoginUrl: loginUrl, customGraphUrl: loginUrl, clientSecret: 'a-secret-value' });

		it.each([
			['malformed tenant', { tenant: 'contoso' }, 'Tenant'],
			['tenant alias', { tenant: 'organizations' }, 'Tenant'],
			['http:// custom host', { customLoginUrl: 'http://127.0.0.1:1' }, 'Custom Login URL'],
			['empty secret', { clientSecret: '' }, 'Client Secret'],
			['unparsable PEM', { authMethod: 'certificate', certificate: 'not pem', certificatePrivateKey: 'x' }, 'Certificate'],
		])('%s → error naming the field, no connection', async (_name, override, field) => {
			await expect(clientCredentialsPreAuthentication({ ...custom(), ...override })).rejects.toMatchObject({ field });
			expect(connections).toBe(0);
		});

		it('does connect when the fields are valid (the listener can see requests)', async () => {
			const error = await clientCredentialsPreAuthentication(custom()).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(SignInError);
			expect((error as Error).message).not.toContain('a-secret-value');
			expect(connections).toBeGreaterThan(0);
		});
	});
});
