// @ts-check
'use strict';
/**
 * One end-to-end environment per n8n line: the sandbox, a fresh n8n user folder with the packed package
 * installed the community way, the server started, the owner set up and logged in.
 */
const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, nodeItems, nodeOutput, runError, tempUserFolder } = require('../../scripts/lib/n8n');
const { N8nApi } = require('../../scripts/lib/n8nApi');
const {
	startSandbox,
	seed,
	credentialData,
	certificateCredentialData,
	createSandboxCredentials,
	CREDENTIAL_NAMES,
	CERTIFICATE_CREDENTIAL_NAME,
} = require('../../scripts/lib/environment');
const { prepareWorkflow } = require('./workflows');
const { killChildrenOnExit } = require('../../scripts/lib/processes');
const { startFakeModel } = require('./fakeModel');

killChildrenOnExit();

const PACKAGE_NAME = 'n8n-nodes-microsoft-365';
const ROOT = path.resolve(__dirname, '..', '..');

/** The class a built file exports (the one n8n instantiates): the exported constructor named like the file. */
function exportedClass(file) {
	const exported = require(path.join(ROOT, file));
	const className = path.basename(file).replace(/\.(node|credentials)\.js$/, '');
	const candidate = exported[className] ?? Object.values(exported).find((value) => typeof value === 'function');
	if (typeof candidate !== 'function') throw new Error(`${file} exports no class named ${className}`);
	return candidate;
}

/** Node and credential type names our package declares (package.json's n8n block, read from dist). */
function declaredTypes() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return {
		credentialNames: pkg.n8n.credentials.map((file) => new (exportedClass(file))().name),
		// n8n names an installed community package's nodes `<package>.<node name>`.
		nodeNames: pkg.n8n.nodes.map((file) => `${PACKAGE_NAME}.${new (exportedClass(file))().description.name}`),
		nodeDescriptions: pkg.n8n.nodes.map((file) => new (exportedClass(file))().description),
	};
}

/**
 * @param {'1' | '2'} line
 * @param {string} tarball
 * @param {{ logCopy?: string, createN8n?: (caFile: string) => any }} [options] where `stop()` keeps n8n's log (default
 *   `artifacts/n8n-<line>.log`); `createN8n` makes what runs n8n in place of one N8nInstance (the queue-mode topology)
 */
async function startEnvironment(line, tarball, { logCopy = path.join(__dirname, 'artifacts', `n8n-${line}.log`), createN8n } = {}) {
	const { sandbox, caFile } = await startSandbox({ port: 0 });
	// Our nodes as AI-agent tools (the `…Tool` variants n8n derives from `usableAsTool`): older n8n versions asked for this.
	/** @type {N8nInstance} */
	const n8n = createN8n ? createN8n(caFile) : new N8nInstance({ line, userFolder: tempUserFolder(`n8n-e2e-${line}-`), caFile, extraEnv: { N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true' } });
	const ctx = {
		line,
		sandbox,
		n8n,
		api: new N8nApi('http://127.0.0.1'),
		seed: seed(),
		/** @type {Record<string, { id: string, name: string, type: string, data: any }>} */
		credentials: {},
		credentialData: () => credentialData(sandbox),
		CREDENTIAL_NAMES,
		/** Sandbox control endpoints (`/_sandbox/*`) on its api host. */
		async sandboxRequest(method, urlPath, body) {
			const response = await fetch(`${sandbox.graphUrl}${urlPath}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (!response.ok) throw new Error(`sandbox ${method} ${urlPath} → ${response.status}: ${text}`);
			return text ? JSON.parse(text) : undefined;
		},
		async createCredentials() {
			ctx.credentials = await createSandboxCredentials(ctx.api, sandbox, { connect: false });
			return ctx.credentials;
		},
		/** @type {{ id: string, name: string, type: string, data: any } | undefined} */
		certificateCredential: undefined,
		/** The client-credentials credential signing in with the sandbox app's certificate (created once). */
		async createCertificateCredential() {
			if (!ctx.certificateCredential) {
				const type = 'microsoft365ClientCredentialsApi';
				const data = await certificateCredentialData(sandbox);
				const created = await ctx.api.createCredential({ name: CERTIFICATE_CREDENTIAL_NAME, type, data });
				ctx.certificateCredential = { id: created.id, name: CERTIFICATE_CREDENTIAL_NAME, type, data };
			}
			return ctx.certificateCredential;
		},
		/** @type {Awaited<ReturnType<typeof startFakeModel>> | undefined} */
		fakeModel: undefined,
		/** @type {{ id: string, name: string, type: string, data: any } | undefined} */
		openAiCredential: undefined,
		/** The fake chat model on loopback (test/e2e/fakeModel.js) and an OpenAI credential whose base URL is it (created once). */
		async createFakeModelCredential() {
			if (!ctx.fakeModel) ctx.fakeModel = await startFakeModel();
			if (!ctx.openAiCredential) {
				const name = 'Fake OpenAI model (loopback)';
				const data = { apiKey: 'sk-fake-model-key', url: ctx.fakeModel.url };
				const created = await ctx.api.createCredential({ name, type: 'openAiApi', data });
				ctx.openAiCredential = { id: created.id, name, type: 'openAiApi', data };
			}
			return { model: ctx.fakeModel, credential: ctx.openAiCredential };
		},
		/** Raw bytes of a sandbox driveItem (control route). */
		async sandboxContent(itemId) {
			const response = await fetch(`${sandbox.graphUrl}/_sandbox/drives/items/${encodeURIComponent(itemId)}/content`);
			if (!response.ok) throw new Error(`sandbox content of ${itemId} → ${response.status}: ${await response.text()}`);
			return Buffer.from(await response.arrayBuffer());
		},
		/** The drive ID of a seeded user's OneDrive (sandbox control route). */
		async driveIdOf(user) {
			return (await ctx.sandboxRequest('GET', `/_sandbox/drives/user/${encodeURIComponent(user)}`)).driveId;
		},
		/** A sandbox driveItem by drive-relative path (control route; no token involved). */
		async sandboxItem(driveId, itemPath) {
			return ctx.sandboxRequest('GET', `/_sandbox/drives/${encodeURIComponent(driveId)}/item?path=${encodeURIComponent(itemPath)}`);
		},
		/**
		 * Imports a workflow (placeholders filled, credentials pointed at ours; `credentials` overrides the
		 * credential used for a type); returns n8n's stored copy.
		 */
		async importWorkflow(workflow, { credentials = {} } = {}) {
			return ctx.api.createWorkflow(prepareWorkflow(workflow, { sandbox, credentials: { ...ctx.credentials, ...credentials } }));
		},
		/** Imports a workflow case and executes it with `n8n execute --id`; returns the parsed result. */
		async runWorkflow(workflow, options = {}) {
			const stored = await ctx.importWorkflow(workflow, options);
			const logged = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).length;
			const execution = await n8n.execute(stored.id);
			// What the sandbox refused during this run: the first thing to read when a run fails.
			const refused = (await ctx.sandboxRequest('GET', '/_sandbox/requests'))
				.slice(logged)
				.filter((/** @type {any} */ r) => r.status >= 400)
				.map((/** @type {any} */ r) => `${r.method} ${r.host} ${r.path}${r.query || ''} → ${r.status}`);
			return {
				...execution,
				refused,
				workflowId: stored.id,
				items: (nodeName) => {
					const items = nodeItems(execution.run, nodeName);
					if (!items) throw new Error(`node "${nodeName}" did not run; ${describeFailure(execution)}`);
					return items;
				},
				/** Binary metadata (`{ fileName, fileSize, mimeType, … }`) of each output item's `field`. */
				binaries: (nodeName, field = 'data') => {
					const items = nodeOutput(execution.run, nodeName);
					if (!items) throw new Error(`node "${nodeName}" did not run; ${describeFailure(execution)}`);
					return items.map((item) => item.binary?.[field]);
				},
				error: runError(execution.run),
			};
		},
		/** Stops n8n and the sandbox; keeps n8n's log (`logCopy`) and drops the user folder (E2E_KEEP=1 keeps it). */
		async stop() {
			await n8n.stop().catch(() => undefined);
			await ctx.fakeModel?.stop().catch(() => undefined);
			await sandbox.stop().catch(() => undefined);
			fs.mkdirSync(path.dirname(logCopy), { recursive: true });
			if (fs.existsSync(n8n.logFile)) fs.copyFileSync(n8n.logFile, logCopy);
			if (!process.env.E2E_KEEP) fs.rmSync(n8n.userFolder, { recursive: true, force: true });
		},
	};
	try {
		await n8n.prepare(tarball);
		await n8n.start();
		ctx.api = new N8nApi(n8n.baseUrl);
		await ctx.api.setupOwnerAndLogin();
	} catch (error) {
		await ctx.stop();
		throw error;
	}
	return ctx;
}

/** Why a run failed, for assertion messages: n8n's error, or the CLI output's end. */
function describeFailure(execution) {
	const error = runError(execution.run);
	const refused = execution.refused?.length ? `; the sandbox refused: ${execution.refused.join(' | ')}` : '';
	if (error) return `n8n error in node "${error.node}": ${error.message}${error.description ? ` (${error.description})` : ''}${refused}`;
	return `exit ${execution.code}${refused}; output: ${(execution.stdout + execution.stderr).split('\n').slice(-30).join('\n')}`;
}

module.exports = { startEnvironment, declaredTypes, describeFailure, PACKAGE_NAME };
