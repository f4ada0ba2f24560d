// @ts-check
'use strict';
/**
 * `npm run dev`'s examples: every workflow case under workflows/ whose node types exist, imported so that a user can
 * press "Execute workflow" in the editor. What the e2e run does around a case in code, an example gets at import:
 *
 * - `%%MARK%%`, `%%SUBJECT%%` and `%%TOKEN%%` (names a case makes unique per run) become "example <6 letters>";
 * - a case's `example.setup(ctx, mark)` makes what else it needs: credentials beyond the three (returned as
 *   `credentials`, by type, like `runWorkflow`'s override) and values for its own placeholders (`placeholders`,
 *   e.g. `{ INVITE_ID }` of an invitation it makes in the sandbox);
 * - a case with `example.needs` cannot run by pressing Execute alone (a trigger to activate, a mail to answer, a
 *   picker to use, a credential of the user's own): the text says what to do, and docs/development.md repeats it
 *   under the example's id (test/e2e/dev-examples.js checks both).
 *
 * Used by scripts/dev.js and by the dev-examples check of the e2e suite.
 */
const crypto = require('node:crypto');
const { loadCases, prepareWorkflow } = require('./workflows');
const { seed, credentialData, certificateCredentialData, CERTIFICATE_CREDENTIAL_NAME } = require('../../scripts/lib/environment');

/** Placeholders every case may use for "unique per run": one value per imported example. */
const RUN_PLACEHOLDERS = ['MARK', 'SUBJECT', 'TOKEN'];

/**
 * @typedef {{ id: string, name: string, workflowId: string, needs?: string, expectFailure: boolean, startNode?: string }} ImportedExample
 */

/**
 * Imports every example whose node types n8n lists. `credentials`: the three pre-created ones by type.
 * @param {{ api: import('../../scripts/lib/n8nApi').N8nApi, sandbox: any, credentials: Record<string, { id: string, name: string, type: string, data: any }> }} env
 * @returns {Promise<{ imported: ImportedExample[], certificateCredential: { id: string, name: string, type: string, data: any } }>}
 */
async function importExamples({ api, sandbox, credentials }) {
	const certificateType = 'microsoft365ClientCredentialsApi';
	const certificateData = await certificateCredentialData(sandbox);
	const certificate = await api.createCredential({ name: CERTIFICATE_CREDENTIAL_NAME, type: certificateType, data: certificateData });
	const certificateCredential = { id: certificate.id, name: CERTIFICATE_CREDENTIAL_NAME, type: certificateType, data: certificateData };
	// What a case's hooks may use (the part of the e2e harness's ctx they need); hooks cache credentials on it.
	const ctx = {
		api,
		sandbox,
		seed: seed(),
		credentials,
		credentialData: () => credentialData(sandbox),
		/** Sandbox control routes (`/_sandbox/*`), as the e2e harness's. @param {string} method @param {string} urlPath @param {unknown} [body] */
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
	};
	const nodeTypes = await api.nodeTypeNames();
	/** @type {ImportedExample[]} */
	const imported = [];
	for (const example of loadCases()) {
		const missing = (example.expect.requires || []).filter((/** @type {string} */ type) => !nodeTypes.has(type));
		if (missing.length > 0) continue;
		const hooks = example.expect.example ?? {};
		const mark = `example ${crypto.randomBytes(4).toString('base64url').slice(0, 6)}`;
		const made = hooks.setup ? await hooks.setup(ctx, mark) : {};
		const values = { ...Object.fromEntries(RUN_PLACEHOLDERS.map((name) => [name, mark])), ...made.placeholders };
		let text = JSON.stringify(example.workflow);
		for (const [name, value] of Object.entries(values)) text = text.replaceAll(`%%${name}%%`, JSON.stringify(String(value)).slice(1, -1));
		const own = example.expect.certificateCredential ? { [certificateType]: certificateCredential } : {};
		const workflow = prepareWorkflow(JSON.parse(text), { sandbox, credentials: { ...credentials, ...own, ...made.credentials } });
		const left = JSON.stringify(workflow).match(/%%[A-Z_]+(:[^%]*)?%%/);
		if (left) throw new Error(`example ${example.id}: placeholder ${left[0]} is not filled (add it to its example.setup)`);
		const stored = await api.createWorkflow(workflow).catch((error) => {
			throw new Error(`example ${example.id}: n8n refused the import: ${error instanceof Error ? error.message : error}`);
		});
		imported.push({
			id: example.id,
			name: stored.name,
			workflowId: stored.id,
			...(hooks.needs ? { needs: hooks.needs } : {}),
			expectFailure: Boolean(example.expect.expectFailure),
			startNode: startNodeOf(stored),
		});
	}
	return { imported, certificateCredential };
}

/**
 * The node "Execute workflow" starts from: the manual trigger, else the trigger no connection leads to.
 * @param {{ nodes: Array<{ name: string, type: string }>, connections?: Record<string, Record<string, any[]>> }} workflow
 */
function startNodeOf(workflow) {
	const manual = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (manual) return manual.name;
	const targets = new Set(Object.values(workflow.connections ?? {}).flatMap((outputs) => Object.values(outputs).flat(2).map((link) => link?.node)));
	return workflow.nodes.find((node) => !targets.has(node.name) && /trigger|webhook/i.test(node.type))?.name;
}

module.exports = { importExamples, RUN_PLACEHOLDERS };
