// @ts-check
'use strict';

/**
 * What a person needs to point something at a running sandbox: its URLs and CA, the seeded tenants, apps
 * (client IDs and secrets, the certificate) and users. Printed by `npm run sandbox` and `npm run dev`.
 */

const { SEED } = require('./seed');
const { certificateThumbprints } = require('./jwt');

/**
 * @param {{ loginUrl: string, graphUrl: string, filesUrl: string, financeOperationsUrl?: string, businessCentralUrl?: string, tls: { caPath: string, dir: string, appCert: string } }} sandbox
 * @returns {string[]}
 */
function sandboxSummary(sandbox) {
	const thumbprint = certificateThumbprints(sandbox.tls.appCert).sha1Hex;
	return [
		`  login URL : ${sandbox.loginUrl}   (Entra: /{tenant}/oauth2/v2.0/authorize | token)`,
		`  Graph URL : ${sandbox.graphUrl}   (/v1.0/...)`,
		`  files URL : ${sandbox.filesUrl}   (pre-authenticated, no Authorization header)`,
		...(sandbox.financeOperationsUrl ? [`  F&O URL   : ${sandbox.financeOperationsUrl}   (Finance & Operations: /data/...; Environment URL of an F&O credential)`] : []),
		...(sandbox.businessCentralUrl ? [`  BC URL    : ${sandbox.businessCentralUrl}   (Business Central: /v2.0/{tenant}/{environment}/api/v2.0/...; Custom cloud's Business Central API URL)`] : []),
		`  CA        : ${sandbox.tls.caPath}   (NODE_EXTRA_CA_CERTS)`,
		'Tenants:',
		...Object.values(SEED.tenants).map((t) => `  ${t.displayName.padEnd(10)} ${t.id}  ${t.domains.join(', ')}`),
		'Apps:',
		...Object.entries(SEED.apps).map(([name, app]) => `  ${name.padEnd(14)} ${app.clientId}  secret ${app.secret}${app.multiTenant ? '  (multi-tenant)' : ''}`),
		`  singleTenant certificate: ${sandbox.tls.dir}/app.pem + app-key.pem (SHA-1 thumbprint ${thumbprint})`,
		'Users:',
		...Object.values(SEED.users).map((u) => `  ${u.userPrincipalName}`),
	];
}

module.exports = { sandboxSummary };
