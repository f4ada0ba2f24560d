/**
 * App-only sign-in (client credentials) with msal-node: a client secret or a certificate.
 * Used by the client-credentials credential's `preAuthentication`; everything is validated before
 * msal-node is asked, so a bad field never causes a request. Throttled and transient sign-in failures
 * are retried with the shared retry policy (Retry-After, the same budget as every other request).
 */
import { createHash, createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import type {
	AuthenticationResult,
	ConfidentialClientApplication,
	Configuration,
	INetworkModule,
	NetworkRequestOptions,
	NetworkResponse,
} from '@azure/msal-node';

import { authorityUrl, CredentialValueError, hostOf } from './clouds';
import { readCredentialSettings, type CredentialSettings } from './credentialSettings';
import { runWithRetry, type RetryOptions } from './retry';
import { isTenantGuid } from './tenant';
import { signInFailureKind, translateSignInError } from './signInErrors';

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
/**
 * msal-node is large (hundreds of modules): it is loaded on the first app-only sign-in, not when n8n loads the
 * credential at start-up (the bench's P8 checks this).
 */
function msal(): typeof import('@azure/msal-node') {
	return require('@azure/msal-node') as typeof import('@azure/msal-node');
}

const RENEW_BEFORE_MS = 5 * 60 * 1000;
const MAX_CACHED = 100;

/**
 * msal-node's HTTP client, plus what msal keeps to itself: the status and headers (Retry-After) of each token
 * endpoint answer, by the correlation id of the request. Like msal's own client it uses Node's fetch and
 * parses JSON; a body that is not JSON (a gateway's error page) fails as msal's does.
 */
class TokenEndpointClient implements INetworkModule {
	readonly answers = new Map<string, { status: number; headers: Record<string, string> }>();

	async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		return await this.send<T>(url, 'GET', options, timeout);
	}

	async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
		return await this.send<T>(url, 'POST', options);
	}

	private async send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
		const correlationId = options?.correlationId ?? '';
		let response: Response;
		try {
			response = await fetch(url, {
				method,
				headers: options?.headers,
				body: method === 'POST' ? (options?.body ?? '') : undefined,
				signal: timeout ? AbortSignal.timeout(timeout) : undefined,
			});
		} catch (error) {
			const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
			const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : (error as Error).message;
			throw new (msal().AuthError)('network_error', correlationId, `Network request failed: ${detail}`);
		}
		const headers: Record<string, string> = {};
		response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
		if (method === 'POST' && correlationId) this.answers.set(correlationId, { status: response.status, headers });
		const text = await response.text();
		try {
			return { status: response.status, headers, body: JSON.parse(text) as T };
		} catch {
			throw new (msal().AuthError)('token_parsing_error', correlationId, `Failed to parse response: HTTP ${response.status} ${response.statusText}`.trim());
		}
	}
}

interface CachedClient {
	client: ConfidentialClientApplication;
	network: TokenEndpointClient;
}

/** Process-wide: repeated preAuthentication (tests, several credentials of one app) reuses a token. */
const tokenCache = new Map<string, AppOnlyToken>();
const clientCache = new Map<string, CachedClient>();

export function clearAppOnlyTokenCache(): void {
	tokenCache.clear();
	clientCache.clear();
}

function clientFor(key: string, signIn: AppOnlySignIn): CachedClient {
	let cached = clientCache.get(key);
	if (cached) return cached;
	const network = new TokenEndpointClient();
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
		system: { loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false }, networkClient: network },
	};
	cached = { client: new (msal().ConfidentialClientApplication)(config), network };
	if (clientCache.size >= MAX_CACHED) clientCache.clear();
	clientCache.set(key, cached);
	return cached;
}

/**
 * One sign-in as the shared retry policy sees it. A token request changes nothing, so it is always safe to repeat
 * (`idempotent`); throttling is presented to the policy as 429 and a temporary outage as 503, so both are retried
 * after Retry-After (or a backoff) within the policy's budget. Anything else (a wrong secret, an unknown app, a
 * network failure) is final at once.
 */
interface SignInAttempt {
	status: number;
	headers: Record<string, string | undefined>;
	result?: AuthenticationResult | null;
	error?: unknown;
	/** The token endpoint's real status, when it answered. */
	httpStatus?: number;
}

async function signInAttempt(key: string, signIn: AppOnlySignIn): Promise<SignInAttempt> {
	const correlationId = randomUUID();
	let network: TokenEndpointClient | undefined;
	try {
		const cached = clientFor(key, signIn);
		network = cached.network;
		// skipCache: msal's own cache would hand back a token the API already rejected.
		const result = await cached.client.acquireTokenByClientCredential({ scopes: signIn.settings.scopes, skipCache: true, correlationId });
		return { status: 200, headers: {}, result };
	} catch (error) {
		// A failed client is not reused: msal remembers a 429/5xx and would refuse the retry for Retry-After (60 s
		// without one) on its own, without asking Entra; the retry policy decides when to ask again.
		clientCache.delete(key);
		const answer = network?.answers.get(correlationId);
		const kind = signInFailureKind(error, answer?.status);
		return {
			status: kind === 'throttled' ? 429 : kind === 'unavailable' ? 503 : 400,
			headers: answer?.headers ?? {},
			error,
			httpStatus: answer?.status,
		};
	} finally {
		network?.answers.delete(correlationId);
	}
}

export interface AppOnlyTokenOptions {
	/** The token n8n had stored when it asked again (after a 401, or for a credential test). */
	rejectedToken?: string;
	/** Retry policy overrides (tests); production uses the shared DEFAULT_RETRY_POLICY. */
	retry?: RetryOptions;
}

/**
 * Returns an app-only token. `rejectedToken` is the token n8n had stored when it asked again: n8n only
 * asks with a stored token after a 401 (or for a credential test), so that token must not be served again.
 * Throttling (429, AADSTS90055, AADSTS50196) and outages (5xx, Entra's transient codes) are retried like any
 * throttled request; what is left is translated (signInErrors.ts), with what the retries did.
 */
export async function acquireAppOnlyToken(signIn: AppOnlySignIn, options: AppOnlyTokenOptions = {}): Promise<AppOnlyToken> {
	const key = cacheKey(signIn);
	const cached = tokenCache.get(key);
	if (cached && cached.accessToken !== options.rejectedToken && cached.expiresOn.getTime() - RENEW_BEFORE_MS > Date.now()) {
		return cached;
	}
	tokenCache.delete(key);
	const { response, report } = await runWithRetry(
		async () => await signInAttempt(key, signIn),
		{ method: 'POST', idempotent: true, replayable: true },
		// signInAttempt never throws; failures come back as answers.
		() => undefined,
		options.retry,
	);
	const secrets = [signIn.clientSecret, signIn.certificate?.privateKey];
	if (response.error !== undefined) {
		const error = response.error;
		const cause = isDiscoveryFailure(error) ? ((await discoveryError(signIn.authority)) ?? error) : error;
		throw translateSignInError(cause, secrets, { httpStatus: response.httpStatus, retry: report });
	}
	const result = response.result;
	if (!result?.accessToken) {
		throw translateSignInError(new Error('Microsoft returned no access token'), secrets);
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
