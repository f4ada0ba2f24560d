// @ts-check
'use strict';

/**
 * Confidential-client authentication at the token endpoint: a client secret (form or HTTP Basic) or a
 * JWT client assertion signed with a certificate registered on the app (x5t#S256 + PS256, or the
 * legacy x5t + RS256), with aud = the token endpoint, iss = sub = client id, and a valid time range.
 */

const crypto = require('node:crypto');
const { entraErrors } = require('./entraErrors');
const { decodeJwt, verifyJwtSignature } = require('./jwt');

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const CLOCK_SKEW_SECONDS = 300;

/**
 * @param {URLSearchParams} form
 * @param {{ user: string, password: string } | null} basic
 * @param {import('./state').App} app
 * @param {{ loginUrl: string, tenantMatches: (segment: string) => boolean }} context
 */
function authenticateClient(form, basic, app, context) {
	const assertion = form.get('client_assertion');
	if (assertion) return verifyAssertion(form, assertion, app, context);
	const secret = form.get('client_secret') ?? basic?.password;
	if (!secret) throw entraErrors.missingClientCredential();
	const match = app.secrets.find((candidate) => timingSafeEqual(candidate.value, secret));
	if (!match) throw entraErrors.invalidSecret(app.clientId);
	if (match.expires.getTime() <= Date.now()) throw entraErrors.expiredSecret(app.clientId);
	return { method: 'secret' };
}

/**
 * @param {URLSearchParams} form @param {string} assertion @param {import('./state').App} app
 * @param {{ loginUrl: string, tenantMatches: (segment: string) => boolean }} context
 */
function verifyAssertion(form, assertion, app, context) {
	if (form.get('client_assertion_type') !== JWT_BEARER) throw entraErrors.missingParameter('client_assertion_type');
	const decoded = decodeJwt(assertion);
	if (!decoded) throw entraErrors.badAssertion('The client assertion is not a well-formed JWT.');
	const { header, payload } = decoded;
	const x5tS256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : null;
	const x5t = typeof header.x5t === 'string' ? header.x5t : null;
	const certificate = app.certificates.find((cert) => (x5tS256 ? cert.x5tS256 === x5tS256 : x5t !== null && cert.x5t === x5t));
	if (!certificate) {
		throw entraErrors.badAssertion(`The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${x5tS256 ?? x5t ?? ''}', Found key 'Start=..., End=...', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`);
	}
	// Entra pairs PS256 with the SHA-256 thumbprint; RS256 works with either header.
	const alg = header.alg;
	if (alg !== 'RS256' && !(alg === 'PS256' && x5tS256)) throw entraErrors.badAssertion(`Unsupported signing algorithm '${String(alg)}'.`);
	const publicKey = new crypto.X509Certificate(certificate.pem).publicKey;
	if (!verifyJwtSignature(decoded, publicKey)) throw entraErrors.badAssertion('Invalid signature.');

	const clientId = app.clientId.toLowerCase();
	if (String(payload.iss ?? '').toLowerCase() !== clientId || String(payload.sub ?? '').toLowerCase() !== clientId) {
		throw entraErrors.badAssertion("The 'iss' and 'sub' claims must both be the application (client) id.");
	}
	if (!audienceIsTokenEndpoint(payload.aud, context)) {
		throw entraErrors.badAssertion(`Invalid audience '${String(payload.aud)}': it must be the token endpoint.`);
	}
	const now = Math.floor(Date.now() / 1000);
	if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_SECONDS < now) throw entraErrors.assertionTime();
	if (typeof payload.nbf === 'number' && payload.nbf - CLOCK_SKEW_SECONDS > now) throw entraErrors.assertionTime();
	return { method: 'certificate' };
}

/** aud must be this login host's token endpoint for the same tenant (v2 or v1 path). */
function audienceIsTokenEndpoint(/** @type {unknown} */ aud, /** @type {{ loginUrl: string, tenantMatches: (segment: string) => boolean }} */ context) {
	if (typeof aud !== 'string') return false;
	let url;
	try {
		url = new URL(aud);
	} catch {
		return false;
	}
	if (url.origin !== new URL(context.loginUrl).origin) return false;
	const match = /^\/([^/]+)\/oauth2\/(?:v2\.0\/)?token\/?$/.exec(url.pathname);
	return match !== null && context.tenantMatches(decodeURIComponent(match[1]));
}

/** Constant-time comparison of two strings of possibly different length. */
function timingSafeEqual(/** @type {string} */ a, /** @type {string} */ b) {
	const left = crypto.createHash('sha256').update(a).digest();
	const right = crypto.createHash('sha256').update(b).digest();
	return crypto.timingSafeEqual(left, right);
}

module.exports = { authenticateClient, JWT_BEARER };
