// @ts-check
'use strict';

/** Minimal JWS (compact JWT) signing and verification with node:crypto: RS256 and PS256 only. */

const crypto = require('node:crypto');

/** @param {Buffer | string} data */
function base64url(data) {
	return Buffer.from(data).toString('base64url');
}

/**
 * @param {Record<string, unknown>} header
 * @param {Record<string, unknown>} payload
 * @param {crypto.KeyObject | string} privateKey
 */
function signJwt(header, payload, privateKey) {
	const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
	const signature = crypto.sign('sha256', Buffer.from(input), keyOptions(String(header.alg), privateKey));
	return `${input}.${signature.toString('base64url')}`;
}

/**
 * @typedef {{ header: Record<string, any>, payload: Record<string, any>, signingInput: string, signature: Buffer }} DecodedJwt
 * @param {string} token
 * @returns {DecodedJwt | null} null when the token is not a well-formed compact JWS
 */
function decodeJwt(token) {
	const parts = typeof token === 'string' ? token.split('.') : [];
	if (parts.length !== 3) return null;
	try {
		const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') return null;
		return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
	} catch {
		return null;
	}
}

/**
 * @param {DecodedJwt} decoded
 * @param {crypto.KeyObject | string} publicKey
 */
function verifyJwtSignature(decoded, publicKey) {
	const alg = String(decoded.header.alg);
	if (alg !== 'RS256' && alg !== 'PS256') return false;
	try {
		return crypto.verify('sha256', Buffer.from(decoded.signingInput), keyOptions(alg, publicKey, true), decoded.signature);
	} catch {
		return false;
	}
}

/**
 * @param {string} alg
 * @param {crypto.KeyObject | string} key
 * @param {boolean} [verifying]
 * @returns {crypto.KeyLike | crypto.SignKeyObjectInput | crypto.VerifyKeyObjectInput}
 */
function keyOptions(alg, key, verifying = false) {
	if (alg === 'PS256') {
		return {
			key: typeof key !== 'string' ? key : verifying ? crypto.createPublicKey(key) : crypto.createPrivateKey(key),
			padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
			// Signers use a salt as long as the digest; accept any salt length when verifying.
			saltLength: verifying ? crypto.constants.RSA_PSS_SALTLEN_AUTO : crypto.constants.RSA_PSS_SALTLEN_DIGEST,
		};
	}
	if (alg !== 'RS256') throw new Error(`unsupported JWS alg ${alg}`);
	return key;
}

/** Certificate thumbprints as Entra and JWS headers name them (base64url of the DER hash). */
function certificateThumbprints(/** @type {string} */ pem) {
	const der = new crypto.X509Certificate(pem).raw;
	return {
		x5tS256: crypto.createHash('sha256').update(der).digest('base64url'),
		x5t: crypto.createHash('sha1').update(der).digest('base64url'),
		sha1Hex: crypto.createHash('sha1').update(der).digest('hex').toUpperCase(),
		sha256Hex: crypto.createHash('sha256').update(der).digest('hex').toUpperCase(),
	};
}

module.exports = { base64url, signJwt, decodeJwt, verifyJwtSignature, certificateThumbprints };
