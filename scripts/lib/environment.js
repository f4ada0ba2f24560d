// @ts-check
'use strict';
/**
 * The Microsoft 365 sandbox plus the three credentials pre-created in n8n against its seeded apps: the shared
 * setup of `npm run dev` and `npm run test:e2e`.
 */
const path = require('node:path');
const { ROOT } = require('./runtime');

const SANDBOX_DIR = path.join(ROOT, 'test', 'sandbox');

/** Starts the sandbox in this process; its CA file is what n8n must trust (NODE_EXTRA_CA_CERTS). */
async function startSandbox({ port = 0 } = {}) {
	const { ensureTls, CA_PATH } = require(path.join(SANDBOX_DIR, 'ca.js'));
	await ensureTls();
	const { startSandbox: start } = require(SANDBOX_DIR);
	const sandbox = await start({ port });
	return { sandbox, caFile: CA_PATH };
}

/**
 * Node reads NODE_EXTRA_CA_CERTS only at start, and this process talks to the sandbox too (OAuth2 consent,
 * `/_sandbox/*`). Resolves to true when this process already trusts the sandbox CA; otherwise re-runs the
 * same script with the CA trusted, waits for it and exits with its code (Ctrl-C reaches both through the
 * terminal's process group; this parent just waits).
 */
async function ensureProcessTrustsSandboxCa() {
	const { ensureTls, CA_PATH } = require(path.join(SANDBOX_DIR, 'ca.js'));
	await ensureTls();
	if (process.env.NODE_EXTRA_CA_CERTS === CA_PATH) return true;
	const { spawn } = require('node:child_process');
	const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
		stdio: 'inherit',
		env: { ...process.env, NODE_EXTRA_CA_CERTS: CA_PATH },
	});
	const ignore = () => undefined;
	process.on('SIGINT', ignore);
	process.on('SIGTERM', () => child.kill('SIGTERM'));
	const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
	process.exit(code);
}

/** Path of the sandbox CA (created on first use). */
async function sandboxCaFile() {
	const { ensureTls, CA_PATH } = require(path.join(SANDBOX_DIR, 'ca.js'));
	await ensureTls();
	return CA_PATH;
}

function seed() {
	return require(path.join(SANDBOX_DIR, 'seed.js'));
}

/** Names of the pre-created credentials, by credential type. */
const CREDENTIAL_NAMES = {
	microsoft365OAuth2Api: 'Sandbox: Microsoft 365 OAuth2 (alice@contoso)',
	microsoft365ClientCredentialsApi: 'Sandbox: Microsoft 365 Client Credentials (Contoso)',
	microsoft365TenantOAuth2Api: 'Sandbox: Microsoft 365 Tenant OAuth2 (Contoso)',
};

/**
 * Credential data (field names from docs/ARCHITECTURE.md) pointing at the sandbox through the `custom` cloud.
 * @param {{ loginUrl: string, graphUrl: string }} sandbox
 * @param {{ clientSecret?: string }} [overrides] e.g. a wrong secret
 */
function credentialData(sandbox, { clientSecret } = {}) {
	const { SEED } = seed();
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl };
	const multi = SEED.apps.multiTenant;
	const single = SEED.apps.singleTenant;
	const contoso = SEED.tenants.contoso.id;
	return {
		microsoft365OAuth2Api: {
			...cloud,
			tenant: contoso,
			clientId: multi.clientId,
			clientSecret: clientSecret ?? multi.secret,
			// Every service the package's nodes use, so one connected credential runs OneDrive, Outlook and Teams alike.
			services: ['files', 'mail', 'calendar', 'contacts', 'teams', 'planner'],
			additionalScopes: 'ChannelMessage.Read.All',
			prompt: 'select_account',
		},
		microsoft365ClientCredentialsApi: {
			...cloud,
			tenant: contoso,
			clientId: single.clientId,
			authMethod: 'secret',
			clientSecret: clientSecret ?? single.secret,
			resource: 'graph',
		},
		microsoft365TenantOAuth2Api: {
			...cloud,
			tenant: contoso,
			clientId: single.clientId,
			clientSecret: clientSecret ?? single.secret,
			// The sandbox's Graph is the only resource it serves: a custom resource URI exercises this credential.
			resource: 'custom',
			customResource: sandbox.graphUrl,
			scopeStyle: 'default',
		},
	};
}

/** Name of the extra client-credentials credential that signs in with the sandbox app's certificate. */
const CERTIFICATE_CREDENTIAL_NAME = 'Sandbox: Microsoft 365 Client Credentials, certificate (Contoso)';

/**
 * Client-credentials data that signs in with the certificate registered on the seeded single-tenant app
 * (test/sandbox/.state/tls/app.pem + app-key.pem) instead of its secret.
 * @param {{ loginUrl: string, graphUrl: string }} sandbox
 */
async function certificateCredentialData(sandbox) {
	const { ensureTls } = require(path.join(SANDBOX_DIR, 'ca.js'));
	const tls = await ensureTls();
	const { clientSecret: _secretNotUsed, ...base } = credentialData(sandbox).microsoft365ClientCredentialsApi;
	return { ...base, authMethod: 'certificate', certificate: tls.appCert, certificatePrivateKey: tls.appKey };
}

/**
 * Creates the three credentials over REST and connects the delegated one through n8n's real OAuth2 flow.
 * @param {import('./n8nApi').N8nApi} api
 * @returns {Promise<Record<string, { id: string, name: string, type: string, data: any }>>}
 */
async function createSandboxCredentials(api, sandbox, { connect = true } = {}) {
	const data = credentialData(sandbox);
	/** @type {Record<string, { id: string, name: string, type: string, data: any }>} */
	const created = {};
	for (const [type, name] of Object.entries(CREDENTIAL_NAMES)) {
		const credential = await api.createCredential({ name, type, data: data[type] });
		created[type] = { id: credential.id, name, type, data: data[type] };
	}
	if (connect) {
		for (const type of ['microsoft365OAuth2Api', 'microsoft365TenantOAuth2Api']) {
			const result = await api.connectOAuth2(created[type].id);
			if (!result.connected) throw new Error(`OAuth2 connect of ${type} failed (${result.status}): ${result.failure}`);
		}
	}
	return created;
}

module.exports = {
	startSandbox,
	ensureProcessTrustsSandboxCa,
	sandboxCaFile,
	seed,
	credentialData,
	certificateCredentialData,
	createSandboxCredentials,
	CREDENTIAL_NAMES,
	CERTIFICATE_CREDENTIAL_NAME,
};
