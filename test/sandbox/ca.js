// @ts-check
'use strict';

/**
 * The sandbox's local certificate authority, generated once into test/sandbox/.state/ (git-ignored):
 *   ca.pem / ca-key.pem        the CA clients trust through NODE_EXTRA_CA_CERTS
 *   server.pem / server-key.pem the HTTPS certificate (SANs 127.0.0.1 … 127.0.0.5, localhost, and Microsoft's
 *                              own host names in MICROSOFT_HOST_NAMES, so `npm run bench` can route n8n's built-in
 *                              nodes to the sandbox)
 *   app.pem / app-key.pem      the client certificate registered on the seeded single-tenant app
 * Files are written to a temporary folder and renamed into place, so parallel jest workers never see a
 * half-written set. `node test/sandbox/ca.js` ensures the files and prints the CA path.
 */

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const selfsigned = require('selfsigned');

const STATE_DIR = path.join(__dirname, '.state');
const TLS_DIR = path.join(STATE_DIR, 'tls');
const FILES = ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem', 'app.pem', 'app-key.pem'];
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
/** Host names n8n's built-in Microsoft nodes are fixed to; the bench routes them to the sandbox (bench/lib/microsoft-hosts.js). */
const MICROSOFT_HOST_NAMES = ['graph.microsoft.com', 'login.microsoftonline.com', '*.crm.dynamics.com'];
/** The Finance & Operations (127.0.0.4) and Business Central (127.0.0.5) hosts; an older certificate without them is remade. */
const EXTRA_HOST_ADDRESSES = ['127.0.0.4', '127.0.0.5'];

/** @typedef {{ dir: string, caPath: string, ca: string, serverCert: string, serverKey: string, appCert: string, appKey: string }} SandboxTls */

/** @returns {SandboxTls} */
function readTls() {
	const read = (/** @type {string} */ name) => fs.readFileSync(path.join(TLS_DIR, name), 'utf8');
	return {
		dir: TLS_DIR,
		caPath: path.join(TLS_DIR, 'ca.pem'),
		ca: read('ca.pem'),
		serverCert: read('server.pem'),
		serverKey: read('server-key.pem'),
		appCert: read('app.pem'),
		appKey: read('app-key.pem'),
	};
}

function isComplete() {
	if (!FILES.every((name) => fs.existsSync(path.join(TLS_DIR, name)))) return false;
	// Regenerate a month before the server certificate expires.
	const cert = new crypto.X509Certificate(fs.readFileSync(path.join(TLS_DIR, 'server.pem')));
	return new Date(cert.validTo).getTime() > Date.now() + YEAR_MS / 12 && hasMicrosoftHostNames(cert);
}

/** A server certificate made before the Microsoft host names were added lacks them: it is remade (same CA). */
function hasMicrosoftHostNames(/** @type {crypto.X509Certificate} */ cert) {
	const names = String(cert.subjectAltName ?? '').split(', ');
	return MICROSOFT_HOST_NAMES.every((name) => names.includes(`DNS:${name}`)) && EXTRA_HOST_ADDRESSES.every((ip) => names.includes(`IP Address:${ip}`));
}

/** The CA and app certificate of an existing set (kept when only the server certificate is remade), else undefined. */
function existingCaAndApp() {
	const names = ['ca.pem', 'ca-key.pem', 'app.pem', 'app-key.pem'];
	if (!names.every((name) => fs.existsSync(path.join(TLS_DIR, name)))) return undefined;
	const read = (/** @type {string} */ name) => fs.readFileSync(path.join(TLS_DIR, name), 'utf8');
	const ca = new crypto.X509Certificate(read('ca.pem'));
	if (new Date(ca.validTo).getTime() < Date.now() + YEAR_MS) return undefined;
	return { ca: { cert: read('ca.pem'), private: read('ca-key.pem') }, app: { cert: read('app.pem'), private: read('app-key.pem') } };
}

async function generateInto(/** @type {string} */ dir) {
	const now = new Date(Date.now() - 60 * 60 * 1000);
	// Keep a valid CA (clients already trust it) and the app certificate (registered on the seeded app).
	const kept = existingCaAndApp();
	const ca = kept?.ca ?? await selfsigned.generate([{ name: 'commonName', value: 'n8n-nodes-microsoft-365 sandbox CA' }], {
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate: now,
		notAfterDate: new Date(now.getTime() + 10 * YEAR_MS),
		extensions: [
			{ name: 'basicConstraints', cA: true, critical: true },
			{ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
		],
	});
	const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate: now,
		notAfterDate: new Date(now.getTime() + 2 * YEAR_MS),
		ca: { key: ca.private, cert: ca.cert },
		extensions: [
			{ name: 'basicConstraints', cA: false },
			{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
			{ name: 'extKeyUsage', serverAuth: true },
			{
				name: 'subjectAltName',
				altNames: [
					{ type: 7, ip: '127.0.0.1' },
					{ type: 7, ip: '127.0.0.2' },
					{ type: 7, ip: '127.0.0.3' },
					...EXTRA_HOST_ADDRESSES.map((ip) => ({ type: 7, ip })),
					{ type: 2, value: 'localhost' },
					...MICROSOFT_HOST_NAMES.map((value) => ({ type: 2, value })),
				],
			},
		],
	});
	// Entra accepts self-signed client certificates; this one stands for a customer's app certificate.
	const app = kept?.app ?? await selfsigned.generate([{ name: 'commonName', value: 'n8n sandbox app certificate' }], {
		keySize: 2048,
		algorithm: 'sha256',
		notBeforeDate: now,
		notAfterDate: new Date(now.getTime() + 2 * YEAR_MS),
	});
	const contents = {
		'ca.pem': ca.cert,
		'ca-key.pem': ca.private,
		'server.pem': server.cert,
		'server-key.pem': server.private,
		'app.pem': app.cert,
		'app-key.pem': app.private,
	};
	for (const [name, text] of Object.entries(contents)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o600 });
}

/** Ensures the CA, server and app certificates exist; returns their PEM texts and the CA path. */
async function ensureTls() {
	if (isComplete()) return readTls();
	fs.mkdirSync(STATE_DIR, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(STATE_DIR, 'tls-tmp-'));
	try {
		await generateInto(tmp);
		if (isComplete()) return readTls(); // another process finished first
		fs.rmSync(TLS_DIR, { recursive: true, force: true });
		try {
			fs.renameSync(tmp, TLS_DIR);
		} catch (error) {
			if (!isComplete()) throw error; // lost a race: fine when the winner's set is complete
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return readTls();
}

/** Path of the CA file without generating anything (for NODE_EXTRA_CA_CERTS). */
const CA_PATH = path.join(TLS_DIR, 'ca.pem');

module.exports = { ensureTls, CA_PATH, STATE_DIR, MICROSOFT_HOST_NAMES };

if (require.main === module) {
	ensureTls().then(
		(tls) => process.stdout.write(`${tls.caPath}\n`),
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(1);
		},
	);
}
