// @ts-check
'use strict';
/**
 * End-to-end tests against real n8n (run through `npm run test:e2e`, which installs n8n, builds and packs the
 * package and sets E2E_N8N_LINES / E2E_TARBALL). Per n8n line: package loads, credential tests, the OAuth2
 * connect flow, every workflow case under workflows/, and the browser check.
 */
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startEnvironment, declaredTypes, describeFailure, PACKAGE_NAME } = require('./harness');
const { loadCases } = require('./workflows');
const { definePickerTests, defineOutlookPickerTests, defineTeamsPickerTests } = require('./pickers');
const { screenshotEditor, chromiumPath, pickFromResourceLocator } = require('../../scripts/lib/browser');
const { defineDevExamplesSuite } = require('./devExamples');

const LINES = (process.env.E2E_N8N_LINES || '2,1').split(',').filter(Boolean);
const TARBALL = process.env.E2E_TARBALL || '';
const ARTIFACTS = path.join(__dirname, 'artifacts');
/**
 * E2E_ONLY=<regex> runs only the workflow cases whose id (`group/name`) matches (for quick iterations): the
 * picker tests over REST (except the Teams ones when `teams/pickers` matches) and the browser checks are skipped then.
 */
const ONLY = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : undefined;
const CASES = loadCases().filter((testCase) => !ONLY || ONLY.test(testCase.id));

for (const line of LINES) {
	describe(`n8n ${line}.x`, { concurrency: 1 }, () => {
		/** @type {Awaited<ReturnType<typeof startEnvironment>>} */
		let ctx;

		before(async () => {
			assert.ok(TARBALL && fs.existsSync(TARBALL), 'E2E_TARBALL must point at the packed package: run `npm run test:e2e`');
			ctx = await startEnvironment(/** @type {'1' | '2'} */ (line), TARBALL);
		}, { timeout: 600000 });

		after(async () => {
			if (ctx) await ctx.stop();
		});

		it('lists every node and credential type the package declares', async () => {
			const declared = declaredTypes();
			const nodeTypes = await ctx.api.nodeTypeNames();
			const credentialTypes = await ctx.api.credentialTypeNames();
			assert.ok(declared.credentialNames.length > 0, 'package.json declares no credentials');
			for (const name of declared.credentialNames) assert.ok(credentialTypes.has(name), `n8n does not list credential type ${name}`);
			for (const name of declared.nodeNames) assert.ok(nodeTypes.has(name), `n8n does not list node type ${name}`);
			// The package is a real install, not a symlink into the working tree.
			const installed = path.join(ctx.n8n.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-microsoft-365');
			assert.equal(fs.lstatSync(installed).isSymbolicLink(), false);
			// n8n lazy-loads it (node classes load on first use) from the metadata the build wrote, which must say
			// what the classes say.
			const known = JSON.parse(fs.readFileSync(path.join(installed, 'dist', 'known', 'nodes.json'), 'utf8'));
			assert.deepEqual(Object.keys(known).map((name) => `${PACKAGE_NAME}.${name}`).sort(), [...declared.nodeNames].sort());
			const published = JSON.parse(fs.readFileSync(path.join(installed, 'dist', 'types', 'nodes.json'), 'utf8'));
			for (const description of declared.nodeDescriptions) {
				const entry = published.find((type) => type.name === description.name);
				assert.ok(entry, `dist/types/nodes.json lacks ${description.name}`);
				// n8n's loader adds its own fields (Poll Times on a polling trigger): compare ours.
				const ours = new Set(description.properties.map((property) => property.name));
				const publishedOurs = entry.properties.filter((property) => ours.has(property.name));
				assert.deepEqual(publishedOurs, JSON.parse(JSON.stringify(description.properties)), `dist/types/nodes.json is stale for ${description.name}`);
			}
		});

		it('creates the three credentials against the sandbox', async () => {
			const created = await ctx.createCredentials();
			assert.deepEqual(Object.keys(created).sort(), ['microsoft365ClientCredentialsApi', 'microsoft365OAuth2Api', 'microsoft365TenantOAuth2Api']);
		});

		it('credential test: client credentials with the right secret is OK', async () => {
			const credential = requireCredential(ctx, 'microsoft365ClientCredentialsApi');
			const result = await ctx.api.testCredential(credential);
			assert.equal(result.status, 'OK', `n8n said: ${result.message}`);
		});

		it('credential test: client credentials with a wrong secret names the problem', async () => {
			const credential = requireCredential(ctx, 'microsoft365ClientCredentialsApi');
			const result = await ctx.api.testCredential({ ...credential, data: { ...credential.data, clientSecret: 'not-the-secret-value' } });
			assert.equal(result.status, 'Error');
			// AADSTS7035 / 7000215 "invalid client secret": the message must say which value to paste.
			assert.match(result.message, /secret/i);
			assert.doesNotMatch(result.message, /not-the-secret-value/, 'the secret must not appear in the message');
		});

		it('credential test: client credentials with the app certificate is OK', async () => {
			const credential = await ctx.createCertificateCredential();
			assert.equal(credential.data.authMethod, 'certificate');
			assert.equal(credential.data.clientSecret, undefined, 'a certificate credential must not carry a secret');
			const result = await ctx.api.testCredential(credential);
			assert.equal(result.status, 'OK', `n8n said: ${result.message}`);
		});

		it('credential test: a certificate with a key that is not its own names the problem', async () => {
			const credential = await ctx.createCertificateCredential();
			const { generateKeyPairSync } = require('node:crypto');
			const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
			const result = await ctx.api.testCredential({ ...credential, data: { ...credential.data, certificatePrivateKey: otherKey } });
			assert.equal(result.status, 'Error');
			assert.match(result.message, /certificate|key|assertion|signature/i);
			assert.doesNotMatch(result.message, /PRIVATE KEY/, 'the key must not appear in the message');
		});

		it('delegated OAuth2: n8n connects through the sandbox sign-in and stores a token', async () => {
			const credential = requireCredential(ctx, 'microsoft365OAuth2Api');
			await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
			const flow = await ctx.api.connectOAuth2(credential.id);
			const authorize = new URL(flow.authorizeUrl);
			assert.equal(authorize.origin, new URL(ctx.sandbox.loginUrl).origin);
			assert.equal(authorize.pathname, `/${ctx.seed.SEED.tenants.contoso.id}/oauth2/v2.0/authorize`);
			assert.match(authorize.searchParams.get('scope') || '', /offline_access/);
			assert.equal(new URL(flow.callbackUrl).origin, ctx.n8n.baseUrl);
			assert.ok(flow.connected, `n8n's callback reported: ${flow.failure}`);
			const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
			const exchange = requests.find((r) => r.method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(r.path));
			assert.ok(exchange, 'n8n never called the token endpoint');
			assert.equal(exchange.status, 200, 'the code exchange failed');
			const stored = await ctx.api.getCredential(credential.id);
			assert.ok(stored.data?.oauthTokenData, 'n8n stored no oauthTokenData');
		});

		if (!ONLY) definePickerTests(() => ctx);
		if (!ONLY) defineOutlookPickerTests(() => ctx);
		// The Teams pickers also run with E2E_ONLY=teams/ (quick iterations on the Teams cases).
		if (!ONLY || ONLY.test('teams/pickers')) defineTeamsPickerTests(() => ctx);

		for (const testCase of CASES) {
			const allowedLines = testCase.expect.lines;
			const skipLine = allowedLines && !allowedLines.includes(line) ? `not run on n8n ${line}.x` : false;
			it(`workflow ${testCase.id}`, { skip: skipLine, timeout: 300000 }, async (t) => {
				const required = testCase.expect.requires || [];
				if (required.length > 0) {
					const nodeTypes = await ctx.api.nodeTypeNames();
					const missing = required.filter((/** @type {string} */ name) => !nodeTypes.has(name));
					if (missing.length > 0) return t.skip(`node types not in the package yet: ${missing.join(', ')}`);
				}
				assert.ok(Object.keys(ctx.credentials).length > 0, 'credentials were not created (see the earlier test)');
				if (testCase.expect.before) await testCase.expect.before(ctx);
				try {
					// A case may drive the workflow itself (activate a trigger, call a webhook, …).
					if (testCase.expect.run) return await testCase.expect.run(ctx, testCase.workflow, t); // t: a case may skip itself
					const credentials = testCase.expect.certificateCredential ? { microsoft365ClientCredentialsApi: await ctx.createCertificateCredential() } : {};
					const result = await ctx.runWorkflow(testCase.workflow, { credentials });
					if (testCase.expect.expectFailure) assert.equal(result.ok, false, 'the workflow was expected to fail');
					else assert.ok(result.ok, describeFailure(result));
					if (testCase.expect.check) await testCase.expect.check(ctx, result);
				} finally {
					if (testCase.expect.after) await testCase.expect.after(ctx);
				}
			});
		}

		it('browser: logs into the editor and saves a screenshot', { skip: browserSkipReason(), timeout: 180000 }, async () => {
			const file = path.join(ARTIFACTS, `n8n-${line}-editor.png`);
			await screenshotEditor({ baseUrl: ctx.n8n.baseUrl, outFile: file });
			assert.ok(fs.statSync(file).size > 10000, 'screenshot is suspiciously small');
		});

		it('browser: the OneDrive file picker lists sandbox files and a pick is saved', { skip: browserSkipReason(), timeout: 180000 }, async (t) => {
			const nodeTypes = await ctx.api.nodeTypeNames();
			if (!nodeTypes.has('n8n-nodes-microsoft-365.microsoft365OneDrive')) return t.skip('OneDrive node not in the package');
			assert.ok(ctx.credentials.microsoft365OAuth2Api, 'credentials were not created (see the earlier test)');
			const pickerCase = loadCases().find((testCase) => testCase.id === 'oneDrive/picker-modes');
			assert.ok(pickerCase, 'workflow oneDrive/picker-modes is missing');
			const stored = await ctx.importWorkflow(pickerCase.workflow);
			// Starts at hello.txt; browse into Documents/ the way a user types it, pick notes.txt.
			const picked = await pickFromResourceLocator({
				baseUrl: ctx.n8n.baseUrl,
				workflowId: stored.id,
				nodeName: 'From List',
				parameter: 'fileId',
				search: 'Documents/',
				pick: 'Documents/notes.txt',
				outDir: ARTIFACTS,
				prefix: `n8n-${line}`,
			});
			assert.ok(picked.listed.includes('Documents/notes.txt') && picked.listed.includes('Documents/report.xlsx'), `the list showed ${JSON.stringify(picked.listed)}`);
			assert.equal(picked.shown, 'Documents/notes.txt');
			for (const file of picked.screenshots) assert.ok(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
			const notes = await ctx.sandboxItem(await ctx.driveIdOf('alice@contoso.onmicrosoft.com'), '/Documents/notes.txt');
			const saved = await ctx.api.request('GET', `/rest/workflows/${encodeURIComponent(stored.id)}`);
			const fileId = saved.nodes.find((/** @type {any} */ node) => node.name === 'From List').parameters.fileId;
			assert.deepEqual({ mode: fileId.mode, value: fileId.value }, { mode: 'list', value: notes.id });
		});
	});
}

// npm run dev's examples, each run as the editor runs it, in their own n8n 2.x (test/e2e/devExamples.js; E2E_ONLY=dev-examples/<id>).
if (LINES.includes('2')) defineDevExamplesSuite({ tarball: TARBALL, only: ONLY });

function requireCredential(ctx, type) {
	const credential = ctx.credentials[type];
	assert.ok(credential, `credential ${type} was not created (see the earlier test)`);
	return credential;
}

/** In CI Chromium is installed by .ci/run, so a missing browser is a failure there, a skip elsewhere. */
function browserSkipReason() {
	if (ONLY) return 'E2E_ONLY is set (workflow cases only)';
	if (chromiumPath()) return false;
	if (process.env.CI) return false;
	return 'Chromium not installed (apt-get install -y chromium)';
}
