/**
 * App-only sign-in (client credentials) with msal-node: a client secret or a certificate.
 * Used by the client-credentials credential's `preAuthentication`; everything is validated before
 * msal-node is asked, so a bad field never causes a request.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';

import { authorityUrl, CredentialValueError, hostOf } from './clouds';
import { readCredentialSettings, type CredentialSettings } from './credentialSettings';
import { isTenantGuid } from './tenant';
import { translateSignInError } from './signInErrors';

export interface ClientCertificate {
	/** Lower-case hex SHA-256 of the certificate DER (Entra's `x5t#S256`). */
	thumbprintSha256: string;
	/** PKCS#8 PEM private key. */
	privateKey: string;
	/** The PEM certificate (sent as `x5c`, enables subject-name/issuer auth). */
	x5c: string;
}

export interface AppOnlySignIn {
	settings: CredentialSettings;
	clientId: string;
	authority: string;
	clientSecret?: string;
	certificate?: ClientCertificate;
}

export interface AppOnlyToken {
	accessToken: string;
	expiresOn: Date;
}

function requireText(value: unknown, field: string, hint: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new CredentialValueError(field, `"${field}" is empty: ${hint}`);
	return text;
}

/** Parses the PEM certificate + private key pair; messages never echo the key. */
export function readClientCertificate(certificatePem: unknown, privateKeyPem: unknown): ClientCertificate {
	const certText = requireText(
		certificatePem,
		'Certificate',
		'paste the PEM certificate (-----BEGIN CERTIFICATE----- ...) whose public part is uploaded to the app registration',
	);
	const keyText = requireText(
		privateKeyPem,
		'Private Key',
		'paste the PEM private key (-----BEGIN PRIVATE KEY----- ...) that belongs to the certificate',
	);
	let certificate: X509Certificate;
	try {
		certificate = new X509Certificate(certText);
	} catch {
		throw new CredentialValueError(
			'Certificate',
			'"Certificate" is not a PEM certificate: paste the whole text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----',
		);
	}
	let privateKey: string;
	let keyObject: ReturnType<typeof createPrivateKey>;
	try {
		keyObject = createPrivateKey(keyText);
		privateKey = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
	} catch {
		throw new CredentialValueError(
			'Private Key',
			'"Private Key" is not an unencrypted PEM private key: paste the text from -----BEGIN PRIVATE KEY----- (or BEGIN RSA PRIVATE KEY) ' +
				'to its END line; remove a passphrase first (openssl pkey -in key.pem -out key-nopass.pem)',
		);
	}
	if (!certificate.checkPrivateKey(keyObject)) {
		throw new CredentialValueError('Private Key', '"Private Key" does not belong to "Certificate": paste the key the certificate was made with');
	}
	if (Date.parse(certificate.validTo) < Date.now()) {
		throw new CredentialValueError(
			'Certificate',
			`"Certificate" expired on ${certificate.validTo}: create a new certificate, upload its public part to the app registration and paste it here`,
		);
	}
	const thumbprintSha256 = certificate.fingerprint256.replace(/:/g, '').toLowerCase();
	return { thumbprintSha256, privateKey, x5c: certificate.toString() };
}

/** Validates every field of a client-credentials credential. Sends nothing. */
export function readAppOnlySignIn(raw: object): AppOnlySignIn {
	const fields = raw as Record<string, unknown>;
	const settings = readCredentialSettings('microsoft365ClientCredentialsApi', raw);
	const clientId = requireText(fields.clientId, 'Client ID', 'copy the Application (client) ID from the app registration\'s Overview page');
	if (!isTenantGuid(clientId)) {
		throw new CredentialValueError(
			'Client ID',
			'"Client ID" is not a GUID: copy the Application (client) ID from the app registration\'s Overview page (not the object ID or the app name)',
		);
	}
	const authority = authorityUrl(settings.cloudHosts.loginUrl, settings.tenant);
	if ((fields.authMethod ?? 'secret') === 'certificate') {
		return { settings, clientId, authority, certificate: readClientCertificate(fields.certificate, fields.certificatePrivateKey) };
	}
	if (fields.authMethod !== undefined && fields.authMethod !== 'secret') {
		throw new CredentialValueError('Authentication', `Unknown authentication "${String(fields.authMethod)}": choose Client Secret or Certificate`);
	}
	// Secrets are used as typed except surrounding whitespace, which copy/paste often adds.
	const clientSecret = requireText(
		fields.clientSecret,
		'Client Secret',
		'paste the secret Value (not the Secret ID) from App registrations → your app → Certificates & secrets',
	);
	return { settings, clientId, authority, clientSecret };
}

/** Hash of everything that decides which token Entra issues; the secret itself is never kept. */
function cacheKey(signIn: AppOnlySignIn): string {
	const credentialPart = signIn.clientSecret
		? `secret:${createHash('sha256').update(signIn.clientSecret).digest('hex')}`
		: `cert:${signIn.certificate?.thumbprintSha256}`;
	return createHash('sha256')
		.update([signIn.authority, signIn.clientId, credentialPart, ...signIn.settings.scopes].join('\n'))
		.digest('hex');
}

/** Tokens are reused until this long before they expire. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;
const MAX_CACHED = 100;

/** Process-wide: repeated preAuthentication (tests, several credentials of one app) reuses a token. */
const tokenCache = new Map<string, AppOnlyToken>();
const clientCache = new Map<string, ConfidentialClientApplication>();

export function clearAppOnlyTokenCache(): void {
	tokenCache.clear();
	clientCache.clear();
}

function clientFor(key: string, signIn: AppOnlySignIn): ConfidentialClientApplication {
	let client = clientCache.get(key);
	if (client) return client;
	const config: Configuration = {
		auth: {
			clientId: signIn.clientId,
			authority: signIn.authority,
			clientSecret: signIn.clientSecret,
			clientCertificate: signIn.certificate,
			// Without this msal-node asks login.microsoftonline.com for instance discovery; a custom login host
			// (proxy, sandbox) must be trusted as it is. National clouds are in msal's own list of known hosts.
			knownAuthorities: signIn.settings.cloud === 'custom' ? [hostOf(signIn.settings.cloudHosts.loginUrl)] : undefined,
		},
		system: { loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false } },
	};
	client = new ConfidentialClientApplication(config);
	if (clientCache.size >= MAX_CACHED) clientCache.clear();
	clientCache.set(key, client);
	return client;
}

/**
 * Returns an app-only token. `rejectedToken` is the token n8n had stored when it asked again: n8n only
 * asks with a stored token after a 401 (or for a credential test), so that token must not be served again.
 */
export async function acquireAppOnlyToken(signIn: AppOnlySignIn, options: { rejectedToken?: string } = {}): Promise<AppOnlyToken> {
	const key = cacheKey(signIn);
	const cached = tokenCache.get(key);
	if (cached && cached.accessToken !== options.rejectedToken && cached.expiresOn.getTime() - RENEW_BEFORE_MS > Date.now()) {
		return cached;
	}
	tokenCache.delete(key);
	let result;
	try {
		// skipCache: msal's own cache would hand back a token the API already rejected.
		result = await clientFor(key, signIn).acquireTokenByClientCredential({ scopes: signIn.settings.scopes, skipCache: true });
	} catch (error) {
		clientCache.delete(key);
		const cause = isDiscoveryFailure(error) ? ((await discoveryError(signIn.authority)) ?? error) : error;
		throw translateSignInError(cause, [signIn.clientSecret, signIn.certificate?.privateKey]);
	}
	if (!result?.accessToken) {
		throw translateSignInError(new Error('Microsoft returned no access token'), [signIn.clientSecret]);
	}
	const token: AppOnlyToken = {
		accessToken: result.accessToken,
		expiresOn: result.expiresOn ?? new Date(Date.now() + 60 * 60 * 1000),
	};
	if (tokenCache.size >= MAX_CACHED) tokenCache.clear();
	tokenCache.set(key, token);
	return token;
}

function isDiscoveryFailure(error: unknown): boolean {
	const code = (error as { errorCode?: unknown } | null)?.errorCode;
	return code === 'endpoints_resolution_error' || code === 'openid_config_error';
}

/**
 * msal-node reports a failed OpenID-configuration lookup only as "endpoints_resolution_error", hiding
 * Entra's reason (an unknown tenant answers AADSTS90002 there). Ask once more to show that reason.
 * The request goes to the cloud's own login host and carries no secret.
 */
async function discoveryError(authority: string): Promise<Error | undefined> {
	try {
		const response = await fetch(`${authority}/v2.0/.well-known/openid-configuration`, {
			signal: AbortSignal.timeout(10_000),
		});
		if (response.ok) return undefined;
		const body = (await response.json()) as { error?: unknown; error_description?: unknown };
		if (typeof body.error_description !== 'string') return undefined;
		return Object.assign(new Error(body.error_description), { errorCode: typeof body.error === 'string' ? body.error : '' });
	} catch {
		return undefined;
	}
}

/** The client-credentials credential's `preAuthentication`: validate, then sign in. */
export async function clientCredentialsPreAuthentication(raw: object): Promise<{ accessToken: string }> {
	const signIn = readAppOnlySignIn(raw);
	const stored = (raw as Record<string, unknown>).accessToken;
	const token = await acquireAppOnlyToken(signIn, { rejectedToken: typeof stored === 'string' && stored ? stored : undefined });
	return { accessToken: token.accessToken };
}
