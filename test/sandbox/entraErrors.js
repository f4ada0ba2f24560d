// @ts-check
'use strict';

/**
 * Entra ID (v2 endpoint) errors with their real AADSTS codes, OAuth error names, HTTP statuses and
 * description texts, and the body shape Entra answers with.
 */

const crypto = require('node:crypto');

class EntraError extends Error {
	/**
	 * @param {number | null} aadsts the AADSTS number (null: an answer without one, e.g. an injected bare 429)
	 * @param {string} error OAuth error name (invalid_request, invalid_client, ...)
	 * @param {number} status HTTP status at the token endpoint
	 * @param {string} description text after "AADSTS<code>: "
	 */
	constructor(aadsts, error, status, description) {
		super(aadsts === null ? description : `AADSTS${aadsts}: ${description}`);
		this.aadsts = aadsts;
		this.error = error;
		this.status = status;
		this.description = description;
	}
}

/** Constructors for the errors the sandbox models, named by what went wrong. */
const entraErrors = {
	tenantNotFound: (/** @type {string} */ tenant) =>
		new EntraError(90002, 'invalid_request', 400, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
	appNotFound: (/** @type {string} */ clientId, /** @type {string} */ tenantLabel) =>
		new EntraError(700016, 'unauthorized_client', 400, `Application with identifier '${clientId}' was not found in the directory '${tenantLabel}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
	singleTenantOnCommon: (/** @type {string} */ clientId, /** @type {string} */ name) =>
		new EntraError(50194, 'invalid_request', 400, `Application '${clientId}'(${name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.`),
	noTenantForClientCredentials: () =>
		new EntraError(50059, 'invalid_request', 400, 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
	consumersNotAllowed: (/** @type {string} */ clientId) =>
		new EntraError(9002331, 'unauthorized_client', 400, `Application '${clientId}' is configured for use by Azure Active Directory users only. Please do not use the /consumers endpoint to serve this request.`),
	invalidSecret: (/** @type {string} */ clientId) =>
		new EntraError(7000215, 'invalid_client', 401, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
	expiredSecret: (/** @type {string} */ clientId) =>
		new EntraError(7000222, 'invalid_client', 401, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
	missingClientCredential: () =>
		new EntraError(7000218, 'invalid_client', 401, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
	badAssertion: (/** @type {string} */ detail) =>
		new EntraError(700027, 'invalid_client', 401, `Client assertion failed signature validation. ${detail}`),
	assertionTime: () =>
		new EntraError(700024, 'invalid_client', 400, 'Client assertion is not within its valid time range.'),
	multipleResources: (/** @type {string} */ scope) =>
		new EntraError(700022, 'invalid_scope', 400, `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
	invalidScope: (/** @type {string} */ scope) =>
		new EntraError(70011, 'invalid_scope', 400, `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' does not exist.`),
	missingScope: () =>
		new EntraError(70011, 'invalid_scope', 400, "The provided request must include a 'scope' input parameter."),
	clientCredentialsNeedDefault: (/** @type {string} */ scope) =>
		new EntraError(1002012, 'invalid_scope', 400, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
	resourceNotFound: (/** @type {string} */ resource, /** @type {string} */ tenantLabel) =>
		new EntraError(500011, 'invalid_resource', 400, `The resource principal named ${resource} was not found in the tenant named ${tenantLabel}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
	consentRequired: (/** @type {string} */ clientId, /** @type {string} */ name) =>
		new EntraError(65001, 'invalid_grant', 400, `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`),
	redirectMismatch: (/** @type {string} */ uri, /** @type {string} */ clientId) =>
		new EntraError(50011, 'invalid_request', 400, `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`),
	userNotInTenant: (/** @type {string} */ upn, /** @type {string} */ userTenant, /** @type {string} */ tenantLabel, /** @type {string} */ clientId, /** @type {string} */ name) =>
		new EntraError(50020, 'invalid_request', 400, `User account '${upn}' from identity provider 'https://sts.windows.net/${userTenant}/' does not exist in tenant '${tenantLabel}' and cannot access the application '${clientId}'(${name}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`),
	userNotFound: (/** @type {string} */ tenantLabel) =>
		new EntraError(50034, 'invalid_request', 400, `The user account {EUII Hidden} does not exist in the ${tenantLabel} directory. To sign into this application, the account must be added to the directory.`),
	missingParameter: (/** @type {string} */ name) =>
		new EntraError(900144, 'invalid_request', 400, `The request body must contain the following parameter: '${name}'.`),
	unsupportedGrant: (/** @type {string} */ grant) =>
		new EntraError(70003, 'unsupported_grant_type', 400, `The app requested an unsupported grant type '${grant}'.`),
	unsupportedResponseType: (/** @type {string} */ type) =>
		new EntraError(700054, 'unsupported_response_type', 400, `response_type '${type}' is not enabled for the application.`),
	invalidGrant: () => new EntraError(9002313, 'invalid_grant', 400, 'Invalid request. Request is malformed or invalid.'),
	codeRedeemed: () =>
		new EntraError(54005, 'invalid_grant', 400, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
	codeExpired: () =>
		new EntraError(70008, 'invalid_grant', 400, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
	refreshTokenUsed: () =>
		new EntraError(70000, 'invalid_grant', 400, "The provided value for the 'refresh_token' is not valid. The refresh token has already been redeemed."),
	pkceMismatch: () =>
		new EntraError(501481, 'invalid_grant', 400, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
	pkceMissing: () =>
		new EntraError(50148, 'invalid_grant', 400, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.'),
	clientMismatch: () =>
		new EntraError(70000, 'invalid_grant', 400, 'Provided grant is invalid or malformed. The grant was issued to a different client.'),
	// Throttling and outages (injected as token faults, see faults.js `TokenFaults`).
	tenantThrottled: () =>
		new EntraError(90055, 'temporarily_unavailable', 429, 'There are too many incoming requests. This exception is thrown for blocked tenants.'),
	loopDetected: () =>
		new EntraError(50196, 'invalid_grant', 400, 'The server terminated an operation because it encountered a loop while processing a request.'),
	serviceUnavailable: () => new EntraError(90006, 'temporarily_unavailable', 503, 'The service is temporarily unavailable.'),
	directoryUnavailable: () =>
		new EntraError(90033, 'temporarily_unavailable', 503, "The Microsoft Online Directory Service (MSODS) isn't available."),
	transientError: () => new EntraError(90024, 'server_error', 500, 'A transient error has occurred. Try again.'),
};

/** The error an injected token fault answers with: by its AADSTS code, else by its status; its own fields win. */
const TOKEN_FAULT_ERRORS = /** @type {Record<number, () => EntraError>} */ ({
	90055: entraErrors.tenantThrottled,
	50196: entraErrors.loopDetected,
	90006: entraErrors.serviceUnavailable,
	90033: entraErrors.directoryUnavailable,
	90024: entraErrors.transientError,
});
const TOKEN_FAULT_BY_STATUS = /** @type {Record<number, () => EntraError>} */ ({
	429: entraErrors.tenantThrottled,
	503: entraErrors.serviceUnavailable,
});

/**
 * @param {{ status?: number, aadsts?: number | null, error?: string, description?: string }} fault `aadsts: null`
 *   answers without an AADSTS code (as a bare throttling answer would)
 * @returns {EntraError}
 */
function tokenFaultError(fault) {
	const base =
		(typeof fault.aadsts === 'number' ? TOKEN_FAULT_ERRORS[fault.aadsts] : undefined)?.() ??
		TOKEN_FAULT_BY_STATUS[fault.status ?? 0]?.() ??
		entraErrors.transientError();
	const aadsts = fault.aadsts === undefined ? base.aadsts : fault.aadsts;
	return new EntraError(aadsts, fault.error ?? base.error, fault.status ?? base.status, fault.description ?? base.description);
}

/** Entra's timestamp format: "2026-11-22 05:11:15Z". */
function entraTimestamp(/** @type {Date} */ date = new Date()) {
	return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The JSON body Entra answers with.
 * @param {EntraError} error
 * @param {string} loginUrl
 * @param {string} correlationId the client's `client-request-id` when sent
 */
function entraErrorBody(error, loginUrl, correlationId) {
	const traceId = crypto.randomUUID();
	const timestamp = entraTimestamp();
	return {
		error: error.error,
		error_description: `${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
		...(error.aadsts === null ? {} : { error_codes: [error.aadsts] }),
		timestamp,
		trace_id: traceId,
		correlation_id: correlationId,
		...(error.aadsts === null ? {} : { error_uri: `${loginUrl}/error?code=${error.aadsts}` }),
	};
}

module.exports = { EntraError, entraErrors, entraErrorBody, entraTimestamp, tokenFaultError };
