/**
 * Microsoft sign-in (Entra ID) errors → what went wrong and what the user should change.
 * Entra answers `{ error, error_description: "AADSTS<code>: ...", error_codes: [...] }`; msal-node
 * wraps that in a ServerError. `describeSignInError` accepts a code ("7000215", "AADSTS7000215"),
 * an OAuth error word ("invalid_grant") or any text containing "AADSTS<code>".
 * `signInFailureKind` tells throttling and outages (retried by signIn.ts, never blamed on the credential) from
 * everything else.
 */
import type { RetryReport } from './retry';

export interface SignInErrorDescription {
	/** `AADSTS<number>` or the OAuth error word. */
	code: string;
	summary: string;
	fix: string;
}

const CONSENT_STEPS =
	'an admin must grant consent: Entra admin center → App registrations → your app → API permissions → ' +
	'"Grant admin consent for <your organization>"';

/** Throttling and outages: nothing in the credential is wrong, so the fix never sends the user to it. */
const THROTTLED_FIX =
	'wait a few minutes and run the workflow again; if it keeps happening, spread scheduled runs out and run fewer ' +
	'workflows (or n8n instances) with this app at the same time. The credential itself is fine';
const UNAVAILABLE_FIX =
	'run the workflow again in a few minutes; if it keeps failing, check Microsoft 365 service health ' +
	'(Microsoft 365 admin center → Health → Service health). The credential itself is fine';
const UNAVAILABLE = { summary: 'Microsoft\'s sign-in service is temporarily unavailable.', fix: UNAVAILABLE_FIX };

/** AADSTS codes of throttling (retried after Retry-After or a backoff). */
const THROTTLING_CODES = new Set(['90055', '50196']);
/** AADSTS codes Microsoft documents as transient ("temporarily unavailable", "try again"). */
const TRANSIENT_CODES = new Set(['90006', '90012', '90024', '90033', '90090']);

const AADSTS: Record<string, { summary: string; fix: string }> = {
	'90055': {
		summary: 'Microsoft is throttling sign-ins for this tenant: too many token requests in a short time.',
		fix: THROTTLED_FIX,
	},
	'50196': {
		summary: 'Microsoft stopped what looks like a sign-in loop: the same token was requested too often in a short time.',
		fix: THROTTLED_FIX,
	},
	'90006': UNAVAILABLE,
	'90012': { summary: 'Microsoft\'s sign-in service timed out.', fix: UNAVAILABLE_FIX },
	'90024': UNAVAILABLE,
	'90033': { summary: 'Microsoft\'s directory service is temporarily unavailable.', fix: UNAVAILABLE_FIX },
	'90090': UNAVAILABLE,
	'50194': {
		summary: 'The app is registered for one organization only, but the credential signs in through "common" (any organization).',
		fix: 'use a tenant-specific credential: set Tenant to your directory (tenant) ID or domain, or change the app registration\'s Supported account types to multi-tenant',
	},
	'7000215': {
		summary: 'Microsoft rejected the client secret.',
		fix: 'paste the secret Value, not the Secret ID (Entra admin center → App registrations → your app → Certificates & secrets; the Value is shown only right after you create the secret, so create a new one if you no longer have it)',
	},
	'7000222': {
		summary: 'The client secret has expired.',
		fix: 'create a new client secret (App registrations → your app → Certificates & secrets → New client secret) and paste its Value into the credential',
	},
	'65001': {
		summary: 'The app has not been granted the permissions it asks for (consent missing).',
		fix: CONSENT_STEPS + '; for delegated sign-in a user can also consent when connecting with Prompt set to "Consent"',
	},
	'700016': {
		summary: 'No app with this Client ID exists in this tenant (or in this cloud).',
		fix: 'copy the Application (client) ID from the app registration\'s Overview page, check Tenant, and for a single-tenant app use the tenant where it is registered; check Cloud too (an app registered in the global cloud does not exist in US Government or China)',
	},
	'90002': {
		summary: 'Microsoft does not know this tenant.',
		fix: 'set Tenant to the Directory (tenant) ID shown on the app registration\'s Overview page or a verified domain of it, and check that Cloud matches where the tenant lives',
	},
	'700022': {
		summary: 'The sign-in asked for permissions of more than one resource API at once.',
		fix: 'request one resource per credential: for client credentials the scope is "{resource}/.default"; remove additional scopes that belong to another API (create a second credential for it)',
	},
	'70011': {
		summary: 'A requested scope is not valid.',
		fix: 'check Additional Scopes: use Graph permission names (Files.ReadWrite.All) or full URIs ending in a permission (https://org.crm.dynamics.com/user_impersonation); ".default" cannot be mixed with other scopes of the same API',
	},
	'50011': {
		summary: 'The redirect URI sent by n8n is not registered on the app.',
		fix: 'add n8n\'s OAuth Redirect URL (shown in the credential, e.g. https://<your n8n>/rest/oauth2-credential/callback) under App registrations → your app → Authentication → Web → Redirect URIs; it must match exactly',
	},
	'50020': {
		summary: 'The signed-in account belongs to another organization and the app does not accept it.',
		fix: 'sign in with an account of the app\'s organization, set Tenant to the organization the user belongs to, or make the app multi-tenant (Supported account types); guests must be invited to the tenant first',
	},
	'700027': {
		summary: 'Microsoft could not verify the certificate sign-in (the certificate is not the one registered on the app, or it has expired).',
		fix: 'upload the certificate (public part, .cer/.pem) under App registrations → your app → Certificates & secrets → Certificates, and paste the matching certificate and private key into the credential',
	},
	'50076': {
		summary: 'Multi-factor authentication is required.',
		fix: 'reconnect the credential in n8n and complete the MFA prompt; unattended app-only access needs the client-credentials credential instead',
	},
	'50079': {
		summary: 'The account must register for multi-factor authentication.',
		fix: 'sign in once at https://mysignins.microsoft.com to set up MFA, then reconnect the credential',
	},
	'53003': {
		summary: 'A Conditional Access policy blocked the sign-in.',
		fix: 'ask your Entra admin to allow this app, location or device in Conditional Access (Entra admin center → Sign-in logs shows which policy failed)',
	},
	'9002313': {
		summary: 'The sign-in request was malformed or not valid.',
		fix: 'check Cloud, Tenant and Client ID for stray spaces or a wrong cloud, then reconnect; if you use a custom login URL, check that it points to an Entra v2 endpoint',
	},
	'70008': {
		summary: 'The refresh token has expired or was revoked (inactivity, password change or an admin revoked sessions).',
		fix: 'reconnect the credential: open it in n8n and click "Reconnect" (Connect my account)',
	},
	'700082': {
		summary: 'The refresh token expired because it was not used for a long time.',
		fix: 'reconnect the credential: open it in n8n and click "Reconnect" (Connect my account)',
	},
	'50173': {
		summary: 'The refresh token is no longer valid because the password or sessions changed.',
		fix: 'reconnect the credential: open it in n8n and click "Reconnect" (Connect my account)',
	},
	'50126': {
		summary: 'The user name or password is wrong.',
		fix: 'reconnect and sign in with the correct account',
	},
	'50034': {
		summary: 'The user account does not exist in this tenant.',
		fix: 'sign in with an account of this organization, or set Tenant to the user\'s own organization',
	},
	'50058': {
		summary: 'Silent sign-in failed because no user is signed in.',
		fix: 'reconnect the credential and choose the account (Prompt: Select Account)',
	},
	'65004': {
		summary: 'The user declined to consent.',
		fix: 'reconnect and accept the permissions, or ask an admin to grant consent for the organization',
	},
	'90014': {
		summary: 'A required field is missing from the sign-in request.',
		fix: 'fill in Client ID and Client Secret (or certificate) in the credential and reconnect',
	},
	'500011': {
		summary: 'The resource (API) is not known in this tenant.',
		fix: 'check the Resource / environment URL (e.g. https://org.crm.dynamics.com) and that the service is enabled for the tenant',
	},
	'7000218': {
		summary: 'The token request has no client secret or certificate.',
		fix: 'enter the client secret Value or the certificate in the credential (a Web app registration needs one)',
	},
	'50059': {
		summary: 'No tenant could be determined for the sign-in.',
		fix: 'set Tenant to your directory (tenant) ID or a verified domain',
	},
	'700024': {
		summary: 'The certificate sign-in assertion is outside its valid time window.',
		fix: 'check the n8n server clock (it must be in sync) and that the certificate has not expired',
	},
	'1002016': {
		summary: 'The sign-in used an outdated TLS version.',
		fix: 'run n8n on a current Node.js version (TLS 1.2 or later)',
	},
};

const OAUTH_WORDS: Record<string, { summary: string; fix: string }> = {
	invalid_grant: AADSTS['70008'],
	consent_required: AADSTS['65001'],
	interaction_required: {
		summary: 'Microsoft needs the user to sign in again interactively (MFA, consent or a policy).',
		fix: 'reconnect the credential in n8n and complete every prompt',
	},
	unauthorized_client: {
		summary: 'The app is not allowed to use this kind of sign-in.',
		fix: 'check the Client ID and, for delegated sign-in, that the app registration has a Web platform with n8n\'s redirect URI',
	},
	temporarily_unavailable: UNAVAILABLE,
	server_error: UNAVAILABLE,
};

/** Returns the description for an AADSTS code, an OAuth error word, or text that contains either. */
export function describeSignInError(codeOrText: string | number | undefined | null): SignInErrorDescription | undefined {
	if (codeOrText === undefined || codeOrText === null) return undefined;
	const text = String(codeOrText).trim();
	const match = /^(?:AADSTS)?(\d{5,7})$/i.exec(text) ?? /AADSTS(\d{5,7})/i.exec(text);
	const known = match ? AADSTS[match[1]] : undefined;
	if (match && known) return { code: `AADSTS${match[1]}`, ...known };
	const word = /\b(invalid_grant|consent_required|interaction_required|unauthorized_client|temporarily_unavailable|server_error)\b/i.exec(text);
	if (word) {
		const key = word[1].toLowerCase();
		return { code: key, ...OAUTH_WORDS[key] };
	}
	return undefined;
}

/**
 * A sign-in failure ready to show to a user: Microsoft's own first line (which names the code but never
 * the secret), our summary and the fix, plus trace/correlation ids for a support ticket.
 */
export class SignInError extends Error {
	constructor(
		message: string,
		// Not named `code`: n8n 2.x shows only an error's (or its cause's) `code` instead of the message.
		readonly signInCode: string | undefined,
		readonly fix: string | undefined,
		readonly microsoftMessage: string | undefined,
		readonly traceIds: { traceId?: string; correlationId?: string } = {},
	) {
		super(message);
		this.name = 'SignInError';
	}
}

/** Microsoft's `error_description` up to its "Trace ID" line. */
function firstLine(description: string): string {
	return description.split(/\r?\n/)[0].trim();
}

function findId(text: string, label: string): string | undefined {
	return new RegExp(`${label}:\\s*([0-9a-f-]{36})`, 'i').exec(text)?.[1];
}

/** Removes any of the given secret strings from a text (defence in depth; Microsoft never echoes them). */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
	}
	return out;
}

interface MsalLikeError {
	errorCode?: unknown;
	errorMessage?: unknown;
	subError?: unknown;
	errorNo?: unknown;
	status?: unknown;
	message?: unknown;
}

function msalLike(error: unknown): MsalLikeError {
	return (typeof error === 'object' && error !== null ? error : { message: String(error) }) as MsalLikeError;
}

function errorText(e: MsalLikeError): string {
	return [e.errorMessage, e.message].filter((t): t is string => typeof t === 'string').join('\n');
}

/** AADSTS numbers of a failure: msal's `errorNo` (Entra's first error code), then any "AADSTS<n>" in its text. */
function aadstsCodes(e: MsalLikeError): string[] {
	const codes = typeof e.errorNo === 'string' || typeof e.errorNo === 'number' ? [String(e.errorNo)] : [];
	for (const match of errorText(e).matchAll(/AADSTS(\d{5,7})/gi)) codes.push(match[1]);
	return codes;
}

/**
 * - `throttled`: Entra asks us to slow down (HTTP 429, AADSTS90055, the AADSTS50196 loop guard);
 * - `unavailable`: Entra had a temporary problem (5xx, its documented transient codes, `temporarily_unavailable`);
 * - `other`: anything to fix in the credential, tenant or network; in particular every AADSTS code we explain
 *   (wrong secret 7000215, unknown app 700016, ...) whatever the HTTP status.
 * `httpStatus` is the token endpoint's status when known (msal's ServerError carries it for JSON answers only).
 */
export type SignInFailureKind = 'throttled' | 'unavailable' | 'other';

export function signInFailureKind(error: unknown, httpStatus?: number): SignInFailureKind {
	const e = msalLike(error);
	const status = httpStatus ?? (typeof e.status === 'number' ? e.status : undefined);
	const codes = aadstsCodes(e);
	if (codes.some((code) => THROTTLING_CODES.has(code))) return 'throttled';
	if (codes.some((code) => TRANSIENT_CODES.has(code))) return 'unavailable';
	if (codes.some((code) => AADSTS[code] !== undefined)) return 'other';
	if (status === 429) return 'throttled';
	if (status !== undefined && status >= 500 && status < 600) return 'unavailable';
	const errorCode = typeof e.errorCode === 'string' ? e.errorCode : '';
	return /^(temporarily_unavailable|server_error)$/.test(errorCode) ? 'unavailable' : 'other';
}

function secondsText(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

/** "Tried 3 times. Microsoft asked to wait 600 seconds, longer than n8n waits." */
function retryNote(retry: RetryReport | undefined): string {
	if (!retry) return '';
	const parts: string[] = [];
	if (retry.attempts > 1) parts.push(`Tried ${retry.attempts} times.`);
	if (retry.retryAfterMs !== undefined) {
		parts.push(`Microsoft asked to wait ${secondsText(retry.retryAfterMs)}${retry.stoppedBecause === 'budget' ? ', longer than n8n waits within one run' : ''}.`);
	}
	return parts.length ? ` ${parts.join(' ')}` : '';
}

export interface SignInFailureContext {
	/** The token endpoint's HTTP status, when known. */
	httpStatus?: number;
	/** What the retry loop did before giving up. */
	retry?: RetryReport;
}

/**
 * Turns a msal-node (or raw token endpoint) failure into a SignInError.
 * `secrets` are stripped from every text that ends up in the message. Throttling and outages get their own
 * explanation (wait, retry later, spread runs) and are never blamed on the secret or certificate.
 */
export function translateSignInError(
	error: unknown,
	secrets: Array<string | undefined> = [],
	context: SignInFailureContext = {},
): SignInError {
	if (error instanceof SignInError) return error;
	const e = msalLike(error);
	const errorCode = typeof e.errorCode === 'string' ? e.errorCode : '';
	const text = redact(errorText(e), secrets);
	const aadsts = typeof e.errorNo === 'string' || typeof e.errorNo === 'number' ? String(e.errorNo) : undefined;
	const kind = signInFailureKind(error, context.httpStatus);
	const status = context.httpStatus ?? (typeof e.status === 'number' ? e.status : undefined);
	// msal-node joins Entra's fields with " - " ("... - Description: AADSTS...\r\nTrace ID: ... - Correlation ID: ...").
	const microsoftLine = /AADSTS\d+:[^\r\n]*/.exec(text)?.[0].split(/\s-\s(?:Correlation ID|Trace ID|Timestamp):/)[0].trim();
	let description =
		(aadsts ? describeSignInError(aadsts) : undefined) ?? describeSignInError(text) ?? describeSignInError(errorCode);
	if (kind !== 'other' && (!description || description.code === errorCode)) {
		// Throttling or an outage without a code we know (or only the OAuth word): say so, with the status.
		const code = (microsoftLine && /^AADSTS\d+/.exec(microsoftLine)?.[0]) || errorCode || `HTTP ${status ?? '?'}`;
		const httpText = status ? ` (HTTP ${status})` : '';
		description =
			kind === 'throttled'
				? { code, summary: `Microsoft is throttling sign-ins${httpText}: too many token requests in a short time.`, fix: THROTTLED_FIX }
				: { code, summary: `Microsoft's sign-in service is temporarily unavailable${httpText}.`, fix: UNAVAILABLE_FIX };
	}
	const traceIds = { traceId: findId(text, 'Trace ID'), correlationId: findId(text, 'Correlation ID') };
	const ids = traceIds.traceId ? ` (Trace ID ${traceIds.traceId}${traceIds.correlationId ? `, Correlation ID ${traceIds.correlationId}` : ''})` : '';

	if (description) {
		const message =
			`Microsoft sign-in failed (${description.code}): ${description.summary}${retryNote(context.retry)} To fix: ${description.fix}.` +
			(microsoftLine ? ` Microsoft said: "${microsoftLine}"` : '') +
			ids;
		return new SignInError(message, description.code, description.fix, microsoftLine, traceIds);
	}
	if (/network|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|certificate|self[- ]signed/i.test(`${errorCode} ${text}`)) {
		return new SignInError(
			`Microsoft sign-in failed: the login server could not be reached (${errorCode || 'network error'}). ` +
				'To fix: check Cloud (and the custom login URL), the n8n server\'s network/proxy, and that its TLS certificate is trusted.',
			errorCode || undefined,
			undefined,
			undefined,
		);
	}
	const shown = microsoftLine ?? (firstLine(text) || errorCode || 'unknown error');
	return new SignInError(
		`Microsoft sign-in failed: ${shown.replace(/\.$/, '')}${ids}. Check Cloud, Tenant, Client ID and the secret or certificate.`,
		errorCode || undefined,
		undefined,
		microsoftLine,
		traceIds,
	);
}
