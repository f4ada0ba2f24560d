/**
 * Turns Microsoft failures (Graph, OData resource APIs, Entra sign-in) into n8n errors a user can act on:
 * Microsoft's own message, its error code, a concrete fix where we know one, and the request ids Microsoft
 * support asks for. Nothing from the request (headers, token, credential) is ever copied into the error.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { BaseError, ExecutionBaseError, NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ResourceKind } from './clouds';
import { InputValueError } from './input';
import type { RetryReport } from './retry';
import { describeSignInError } from './signInErrors';

export interface HttpResponseLike {
	status: number;
	headers: Record<string, string | undefined>;
	body: unknown;
	retry?: RetryReport;
}

/** Which API answered: Microsoft Graph, or the credential's resource API (whose permissions work differently). */
export type ApiKind = ResourceKind;

export interface ErrorContext {
	itemIndex?: number;
	/** What the node was doing, e.g. "upload file"; prefixed to the description. */
	operation?: string;
	/** Permission the operation needs (e.g. "Files.ReadWrite.All"), named in 403 fixes. */
	requiredPermission?: string;
	/** Set by the transport from the connection and the URL: which API answered (default Graph). */
	api?: ApiKind;
	/** Set by the transport: app-only (client credentials) or delegated; undefined names both fixes. */
	appOnly?: boolean;
	/** The node's own advice by lower-case error code or HTTP status ("namealreadyexists", "409"), before the generic fix. */
	advice?: Record<string, string>;
}

/**
 * Removes secret VALUES from text that may reach the user or logs, and leaves prose alone ("the password: must
 * be set" and `"password": a user's password` keep every word):
 * - JWTs anywhere; `Bearer <token>` (not "Bearer token", nor a challenge's `Bearer realm="…"`);
 * - the quoted value of a secret name (`"client_secret":"abc"`, `password='x'`);
 * - a form / query value (`client_secret=abc&`, `?password=x`);
 * - an unquoted value after `name:` only when it looks like a secret (`client_secret: mT8Q~x.y`), not a word;
 * - `code=` query and fragment values (authorization codes).
 */
export function redactSecrets(text: string): string {
	// snake_case as OAuth sends them, camelCase as n8n stores credentials.
	const keys =
		'(?:client_secret|clientSecret|client_assertion|clientAssertion|access_token|accessToken|refresh_token|' +
		'refreshToken|id_token|idToken|password|privateKey|secretText)';
	// A name starts a word or a camelCase part (`new_password`, `userPassword`, `certificatePrivateKey`), so
	// `invalidToken` does not hide an `idToken`.
	const isName = (whole: string, offset: number): boolean => {
		const before = whole[offset - 1] ?? '';
		return !/[A-Za-z0-9]/.test(before) || (/[A-Z]/.test(whole[offset]) && /[a-z0-9]/.test(before));
	};
	// An unquoted word is a secret when it is token-shaped (a digit or a symbol secrets and tokens are made of)
	// and not a URL, or too long to be a word. Sentence punctuation at its end is kept.
	const redactUnquoted = (prefix: string, candidate: string): string => {
		const core = candidate.replace(/[.,;:!?)\]]+$/, '');
		const secret =
			!/^[a-z][a-z0-9+.-]*:\/\//i.test(core) && ((core.length >= 6 && /[0-9~+/=_.-]/.test(core)) || core.length >= 24);
		return secret ? `${prefix}[redacted]${candidate.slice(core.length)}` : prefix + candidate;
	};
	return (
		text
			.replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[token redacted]')
			// RFC 7235 token68 ending there; `realm=` / `authorization_uri=` are challenge parameters, not tokens.
			.replace(/\b(Bearer\s+)([A-Za-z0-9._~+/-]+=*)(?=$|[\s"',;)\]}])/gi, (match, prefix: string, token: string) =>
				/^[a-z][a-z_]{0,29}=$/i.test(token) ? match : redactUnquoted(prefix, token),
			)
			// A quoted value: `"client_secret":"abc"`, `password='x'`.
			.replace(
				new RegExp(`(${keys}["']?\\s*[=:]\\s*)(?:"((?:[^"\\\\]|\\\\.)+)"|'((?:[^'\\\\]|\\\\.)+)')`, 'gi'),
				(match: string, prefix: string, doubleQuoted: string | undefined, _single: unknown, offset: number, whole: string) =>
					!isName(whole, offset) ? match : doubleQuoted !== undefined ? `${prefix}"[redacted]"` : `${prefix}'[redacted]'`,
			)
			// A form / query value: `client_secret=abc&`, `?password=x`.
			.replace(new RegExp(`(${keys}=)[^\\s"'&,}]+`, 'gi'), (match: string, prefix: string, offset: number, whole: string) =>
				isName(whole, offset) ? `${prefix}[redacted]` : match,
			)
			// An unquoted value after a colon, only when it looks like a secret.
			.replace(
				new RegExp(`(${keys}["']?\\s*:\\s*)(?!["'\\[])([^\\s"'&,}]+)`, 'gi'),
				(match: string, prefix: string, candidate: string, offset: number, whole: string) =>
					isName(whole, offset) ? redactUnquoted(prefix, candidate) : match,
			)
			.replace(/([?&#]code=)[^\s&"']+/g, '$1[redacted]')
	);
}

/** Response body as an object when it is JSON (Buffer, string or object), else the text, else undefined. */
export function parseBody(body: unknown): unknown {
	if (body === undefined || body === null) return undefined;
	let text: string;
	if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (body instanceof ArrayBuffer) text = Buffer.from(body).toString('utf8');
	else if (typeof body === 'string') text = body;
	else return body;
	if (!text.trim()) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Lower-cased header map from axios/Headers/plain objects; arrays are joined. */
export function normalizeHeaders(headers: unknown): Record<string, string> {
	const result: Record<string, string> = {};
	if (!headers || typeof headers !== 'object') return result;
	let entries: Array<[string, unknown]>;
	if (typeof Headers !== 'undefined' && headers instanceof Headers) {
		entries = [];
		headers.forEach((value, key) => entries.push([key, value]));
	} else if (Array.isArray(headers)) {
		// fetch's HeadersInit as [name, value] pairs (the Graph client may pass these)
		entries = headers as Array<[string, unknown]>;
	} else if (typeof (headers as { toJSON?: unknown }).toJSON === 'function') {
		// axios' AxiosHeaders
		entries = Object.entries((headers as { toJSON(): Record<string, unknown> }).toJSON());
	} else {
		entries = Object.entries(headers as Record<string, unknown>);
	}
	for (const [key, value] of entries) {
		if (value === undefined || value === null || typeof value === 'function') continue;
		result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

interface MicrosoftErrorDetails {
	code?: string;
	message?: string;
	requestId?: string;
	clientRequestId?: string;
	date?: string;
	signIn?: { code: string; summary: string; fix: string };
}

const SIGN_IN_HINT = /AADSTS\d+|\b(invalid_grant|consent_required|interaction_required|unauthorized_client|temporarily_unavailable)\b/i;

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value ? value : undefined;
}

/** Reads Graph `{error:{code,message,innerError}}`, OData `{error:{code,message}}` (F&O: `innererror.message`) and Entra token errors. */
export function readMicrosoftError(body: unknown, headers: Record<string, string | undefined> = {}): MicrosoftErrorDetails {
	const parsed = parseBody(body);
	const root = asRecord(parsed);
	const details: MicrosoftErrorDetails = {};
	const error = asRecord(root?.error);
	if (error) {
		details.code = str(error.code);
		details.message = str(error.message) ?? str(asRecord(error.message)?.value);
		const inner = asRecord(error.innerError) ?? asRecord(error.innererror);
		details.requestId = str(inner?.['request-id']);
		details.clientRequestId = str(inner?.['client-request-id']);
		details.date = str(inner?.date);
		// Finance & Operations says only "An error has occurred." and puts what went wrong in innererror.message.
		const innerMessage = str(inner?.message);
		if (innerMessage && (!details.message || /^An error has occurred\.?$/i.test(details.message))) details.message = innerMessage;
	} else if (root && typeof root.error === 'string') {
		// Entra token endpoint: { error, error_description, error_codes, trace_id, correlation_id }
		details.code = root.error;
		details.message = str(root.error_description);
		details.requestId = str(root.trace_id);
		details.clientRequestId = str(root.correlation_id);
	} else if (typeof parsed === 'string') {
		details.message = parsed.slice(0, 500);
	}
	details.requestId ??= headers['request-id'] ?? headers['x-ms-service-request-id'] ?? headers['x-ms-request-id'];
	details.clientRequestId ??= headers['client-request-id'];
	details.date ??= headers.date;
	// Entra token errors carry AADSTS codes or OAuth error words (invalid_grant ...); Graph errors never do.
	const signInText = [details.message, details.code].filter(Boolean).join(' ');
	if (SIGN_IN_HINT.test(signInText)) details.signIn = describeSignInError(signInText);
	return details;
}

function secondsText(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

const DYNAMICS_APIS: ReadonlySet<ApiKind> = new Set(['dataverse', 'financeOperations', 'businessCentral']);

/**
 * 403 fix by API: Graph permissions are Entra API permissions (+ admin consent for apps); Dynamics
 * environments (Dataverse, F&O, Business Central) authorise by the environment's own users and security
 * roles, so consent in Entra alone never helps there.
 */
function forbiddenFix(context: ErrorContext): string {
	const { api = 'graph', appOnly } = context;
	const permission = context.requiredPermission ? ` (${context.requiredPermission})` : '';
	if (api === 'graph') {
		return `The account or app lacks permission${permission}. Delegated credential: add the matching service or scope and reconnect. Client credentials: add the application permission in Microsoft Entra (App registrations > API permissions) and grant admin consent.`;
	}
	let delegated: string;
	let app: string;
	if (DYNAMICS_APIS.has(api)) {
		delegated = 'Delegated credential: the signed-in user lacks a security role in this environment that allows the operation; ask an environment admin to assign one.';
		app = 'Client credentials: add the app registration as an application user in this environment and give it a security role that allows the operation (admin consent in Microsoft Entra alone is not enough).';
	} else {
		delegated = 'Delegated credential: the signed-in user needs access in this API\'s own permission settings.';
		app = 'Client credentials: grant the app this API\'s application permission in Microsoft Entra (with admin consent) and any access the API itself requires.';
	}
	if (appOnly === undefined) return `The account or app lacks permission${permission}. ${delegated} ${app}`;
	return appOnly ? `The app lacks permission${permission}. ${app}` : `The signed-in user lacks permission${permission}. ${delegated}`;
}

/** A concrete next step for known Graph / OData codes and statuses. */
export function fixFor(status: number, code: string | undefined, context: ErrorContext, retry?: RetryReport): string | undefined {
	const c = (code ?? '').toLowerCase();
	const advice = context.advice?.[c] ?? context.advice?.[String(status)];
	if (advice) return advice;
	if (status === 429 || c === 'toomanyrequests' || c === 'activitylimitreached') {
		const after = retry?.retryAfterMs !== undefined ? ` Microsoft asks to retry after ${secondsText(retry.retryAfterMs)}.` : '';
		const tried = retry ? ` Tried ${retry.attempts} time(s).` : '';
		return `Microsoft is throttling this account or app.${after}${tried} Run the workflow later, process fewer items per run, or spread runs out.`;
	}
	if (c === 'itemnotfound' || c === 'erroritemnotfound' || c === 'resourcenotfound' || c === 'request_resourcenotfound' || status === 404) {
		return 'Check the ID or path: the item may have been moved, renamed or deleted, or the signed-in account cannot see it.';
	}
	if (c === 'namealreadyexists' || (status === 409 && c !== 'resyncrequired')) {
		return 'Something with this name already exists, or it was changed at the same time: use another name, or read it again and retry.';
	}
	if (c === 'quotalimitreached' || status === 507) {
		return 'The storage quota is full: free up space in the drive or mailbox, or ask an admin to raise the quota.';
	}
	if (c === 'invalidauthenticationtoken' || c === 'unauthenticated' || status === 401) {
		return 'The token was refused: reconnect the credential. If it keeps failing, check that the credential\'s cloud matches your tenant\'s cloud and that the app registration still exists.';
	}
	if (c === 'accessdenied' || c === 'erroraccessdenied' || c === 'authorization_requestdenied' || c === 'forbidden' || status === 403) {
		return forbiddenFix(context);
	}
	if (c === 'resyncrequired' || status === 410) {
		return 'The change-tracking token expired: start a full sync again.';
	}
	if (c === 'preconditionfailed' || status === 412) {
		return 'The item changed since it was read (ETag mismatch): read it again and retry.';
	}
	if (c === 'notsupported' || status === 501) {
		return 'This account type or API does not support this operation.';
	}
	if (status === 503 || status === 504) {
		const tried = retry ? ` Tried ${retry.attempts} time(s).` : '';
		return `Microsoft's service was unavailable.${tried} Try again later.`;
	}
	return undefined;
}

/** Builds a NodeApiError from an HTTP error response. */
export function responseToNodeApiError(node: INode, response: HttpResponseLike, context: ErrorContext = {}): NodeApiError {
	const details = readMicrosoftError(response.body, response.headers);
	const message = redactSecrets(
		details.signIn?.summary ?? details.message ?? `Microsoft returned HTTP ${response.status}`,
	);
	const parts: string[] = [];
	if (context.operation) parts.push(`While trying to ${context.operation}.`);
	if (details.signIn) parts.push(`Sign-in error ${details.signIn.code}: to fix, ${details.signIn.fix}.`);
	else {
		if (details.code) parts.push(`Error code: ${details.code} (HTTP ${response.status}).`);
		else parts.push(`HTTP ${response.status}.`);
		const fix = fixFor(response.status, details.code, context, response.retry);
		if (fix) parts.push(fix);
	}
	const ids: string[] = [];
	if (details.requestId) ids.push(`request-id ${details.requestId}`);
	if (details.clientRequestId) ids.push(`client-request-id ${details.clientRequestId}`);
	if (details.date) ids.push(`date ${details.date}`);
	if (ids.length) parts.push(`For Microsoft support: ${ids.join(', ')}.`);
	const description = redactSecrets(parts.join(' '));
	// Only these sanitised fields travel with the error; n8n shows and stores them.
	const errorResponse: JsonObject = {
		httpCode: String(response.status),
		message,
		description,
		...(details.code ? { code: details.code } : {}),
		...(details.requestId ? { requestId: details.requestId } : {}),
		...(details.clientRequestId ? { clientRequestId: details.clientRequestId } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: String(response.status),
		itemIndex: context.itemIndex,
	});
}

/** Finds the HTTP response inside an error thrown by n8n's helpers (NodeApiError → AxiosError → response). */
export function responseFromError(error: unknown): (HttpResponseLike & { headers: Record<string, string> }) | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = asRecord((current as Record<string, unknown>).response);
		const status = candidate?.status ?? candidate?.statusCode;
		if (candidate && typeof status === 'number') {
			return {
				status,
				headers: normalizeHeaders(candidate.headers),
				body: candidate.data !== undefined ? candidate.data : candidate.body,
			};
		}
		current = (current as { cause?: unknown }).cause;
	}
	return responseFromN8nV1Error(error);
}

/**
 * n8n 1.x wraps a failed request in a NodeApiError whose `cause` is lost (a class field declared after
 * `super()` resets it), so the response survives only as `httpCode` and, for object bodies (our Buffers),
 * `context.data`. Response headers (request-id, Retry-After) are gone; retry falls back to backoff.
 */
function responseFromN8nV1Error(error: unknown): (HttpResponseLike & { headers: Record<string, string> }) | undefined {
	const record = asRecord(error);
	const httpCode = record?.httpCode;
	if (typeof httpCode !== 'string' || !/^[1-5]\d\d$/.test(httpCode)) return undefined;
	return { status: Number(httpCode), headers: {}, body: asRecord(record?.context)?.data };
}

/** The HTTP status an error carries (NodeApiError's httpCode, a raw response's status), if any. The one reader. */
export function httpStatusOf(error: unknown): number | undefined {
	const e = error as { httpCode?: unknown; status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
	const value = e?.httpCode ?? e?.status ?? e?.statusCode ?? e?.response?.status;
	const status = typeof value === 'string' ? Number.parseInt(value, 10) : typeof value === 'number' ? value : NaN;
	return Number.isFinite(status) ? status : undefined;
}

/** The network error code (ECONNRESET, ETIMEDOUT, ...) anywhere in the cause chain. */
export function networkCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const record = current as { code?: unknown; response?: unknown; cause?: unknown; errors?: unknown };
		if (record.response) return undefined;
		if (typeof record.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(record.code)) return record.code;
		if (Array.isArray(record.errors) && record.errors.length) current = record.errors[0];
		else current = record.cause;
	}
	return undefined;
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ETIMEDOUT: 'the connection timed out',
	ECONNABORTED: 'the request timed out',
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved',
};

function messageChain(error: unknown): string {
	const messages: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current; depth++) {
		if (current instanceof Error || (typeof current === 'object' && 'message' in (current as object))) {
			const text = String((current as { message?: unknown }).message ?? '');
			if (text && !messages.includes(text)) messages.push(text);
			const description = (current as { description?: unknown }).description;
			if (typeof description === 'string' && description && !messages.includes(description)) messages.push(description);
		} else if (typeof current === 'string') messages.push(current);
		current = (current as { cause?: unknown }).cause;
	}
	return messages.join(' — ');
}

/**
 * An n8n error a node built on purpose (its message, description and httpCode are final), as opposed to
 * n8n's helpers wrapping a raw failure (`new NodeApiError(node, axiosError)`), whose cause still needs
 * translating. A string message is wrapped by n8n in its own OperationalError, which is not a raw failure.
 */
function isFinishedNodeError(error: unknown): error is NodeApiError | NodeOperationError {
	if (!(error instanceof NodeApiError || error instanceof NodeOperationError)) return false;
	const cause = (error as { cause?: unknown }).cause;
	return !(cause instanceof Error) || cause instanceof BaseError || cause instanceof ExecutionBaseError;
}

function scrubNodeError<T extends NodeApiError | NodeOperationError>(error: T): T {
	error.message = redactSecrets(error.message);
	if (error.description) error.description = redactSecrets(error.description);
	error.messages = error.messages.map(redactSecrets);
	return error;
}

/**
 * Any failure → an n8n error, so every caller can use it blindly: an HTTP response (or n8n's wrapper of
 * one) becomes a translated NodeApiError; finished n8n errors (ours or any node's) pass through unchanged
 * apart from secret scrubbing; sign-in failures get their AADSTS fix; network errors say what happened.
 * Never carries request options or credentials along.
 */
export function toNodeApiError(
	node: INode,
	error: unknown,
	context: ErrorContext = {},
): NodeApiError | NodeOperationError {
	if (error && typeof error === 'object' && 'status' in error && 'headers' in error && !(error instanceof Error)) {
		return responseToNodeApiError(node, error as HttpResponseLike, context);
	}
	if (isFinishedNodeError(error)) return scrubNodeError(error);
	if (error instanceof InputValueError) {
		return new NodeOperationError(node, redactSecrets(error.message), { description: error.hint, itemIndex: context.itemIndex });
	}
	const response = responseFromError(error);
	if (response) return responseToNodeApiError(node, response, context);
	const text = redactSecrets(messageChain(error) || 'Unknown error');
	const signIn = SIGN_IN_HINT.test(text) ? describeSignInError(text) : undefined;
	if (signIn) {
		const message = signIn.summary;
		const traceId = /Trace ID:?\s*([0-9a-f-]{36})/i.exec(text)?.[1];
		const correlationId = /Correlation ID:?\s*([0-9a-f-]{36})/i.exec(text)?.[1];
		const ids = traceId ? ` For Microsoft support: Trace ID ${traceId}${correlationId ? `, Correlation ID ${correlationId}` : ''}.` : '';
		const description = redactSecrets(`Sign-in error ${signIn.code}: to fix, ${signIn.fix}.${ids}`);
		return new NodeApiError(node, { message, description } as JsonObject, { message, description, itemIndex: context.itemIndex });
	}
	const code = networkCodeOf(error);
	// n8n rewrites messages that contain a raw error code, so the code goes into the description only.
	const message = code ? `Could not reach Microsoft: ${NETWORK_WORDS[code] ?? 'network error'}` : text;
	const description = [
		context.operation ? `While trying to ${context.operation}.` : '',
		code ? `Network error ${code}: ${text}. Check the network, proxy and the credential's cloud / custom URLs.` : '',
	]
		.filter(Boolean)
		.join(' ');
	return new NodeApiError(node, { message, ...(description ? { description } : {}) } as JsonObject, {
		message,
		description: description || undefined,
		itemIndex: context.itemIndex,
	});
}
