// @ts-check
'use strict';

/** `npm run sandbox [-- --port 8443]`: a standalone sandbox until Ctrl-C. */

const { startSandbox } = require('./index');
const { SEED } = require('./seed');
const { certificateThumbprints } = require('./jwt');

async function main() {
	const portArg = process.argv.indexOf('--port');
	const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.SANDBOX_PORT ?? 8443);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${process.argv[portArg + 1]}`);
	const sandbox = await startSandbox({ port });
	const thumbprint = certificateThumbprints(sandbox.tls.appCert).sha1Hex;
	const lines = [
		'Microsoft 365 sandbox running',
		`  login URL : ${sandbox.loginUrl}   (Entra: /{tenant}/oauth2/v2.0/authorize | token)`,
		`  Graph URL : ${sandbox.graphUrl}   (/v1.0/...)`,
		`  files URL : ${sandbox.filesUrl}   (pre-authenticated, no Authorization header)`,
		`  CA        : ${sandbox.tls.caPath}   (NODE_EXTRA_CA_CERTS)`,
		'',
		'Tenants:',
		...Object.values(SEED.tenants).map((t) => `  ${t.displayName.padEnd(10)} ${t.id}  ${t.domains.join(', ')}`),
		'Apps:',
		...Object.entries(SEED.apps).map(([name, app]) => `  ${name.padEnd(14)} ${app.clientId}  secret ${app.secret}${app.multiTenant ? '  (multi-tenant)' : ''}`),
		`  singleTenant certificate: ${sandbox.tls.dir}/app.pem + app-key.pem (SHA-1 thumbprint ${thumbprint})`,
		'Users:',
		...Object.values(SEED.users).map((u) => `  ${u.userPrincipalName}`),
		'',
		'Ctrl-C stops it.',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
	const stop = () => {
		sandbox.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
