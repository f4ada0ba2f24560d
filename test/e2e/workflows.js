// @ts-check
'use strict';
/**
 * Workflow cases: every `workflows/<group>/<name>.json` is one case. An optional `<name>.expect.js` beside it
 * says what must hold:
 *
 *   module.exports = {
 *     requires: ['n8n-nodes-microsoft-365.microsoft365OneDrive'],   // node types; case skipped until listed
 *     lines: ['2'],                                                  // n8n lines to run on (default: all)
 *     expectFailure: false,                                          // the run must fail (default: succeed)
 *     certificateCredential: true,                                   // client-credentials nodes sign in with the app certificate
 *     async before(ctx) {},                                          // e.g. sandbox faults
 *     async run(ctx, workflow) {},                                   // instead of `n8n execute`: drive it yourself
 *     async check(ctx, result) {},                                   // assertions on the run
 *   };
 *
 * `ctx` is the per-line environment from harness.js; `result` is `{ ok, run, items(nodeName), error }`.
 * In workflow JSON, `%%GRAPH_URL%%`, `%%LOGIN_URL%%` and `%%FILES_URL%%` are replaced by the sandbox's URLs,
 * `%%ITEM_ID:alice@contoso.onmicrosoft.com:/hello.txt%%` by that seeded item's ID, `%%FINANCE_OPERATIONS_URL%%` and
 * `%%BUSINESS_CENTRAL_URL%%` by the sandbox's F&O environment and Business Central API URLs,
 * and each node's credential reference is pointed at the pre-created credential of that type.
 */
const fs = require('node:fs');
const path = require('node:path');

const WORKFLOWS_DIR = path.join(__dirname, 'workflows');

/** @returns {Array<{ id: string, file: string, workflow: any, expect: any }>} */
function loadCases() {
	const cases = [];
	for (const group of fs.readdirSync(WORKFLOWS_DIR).sort()) {
		const dir = path.join(WORKFLOWS_DIR, group);
		if (!fs.statSync(dir).isDirectory()) continue;
		for (const file of fs.readdirSync(dir).sort()) {
			if (!file.endsWith('.json')) continue;
			const base = file.slice(0, -'.json'.length);
			const expectFile = path.join(dir, `${base}.expect.js`);
			cases.push({
				id: `${group}/${base}`,
				file: path.join(dir, file),
				workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')),
				expect: fs.existsSync(expectFile) ? require(expectFile) : {},
			});
		}
	}
	return cases;
}

/** `%%ITEM_ID:<user>:<drive path>%%`: the driveItem ID of a seeded file, for pickers saved in list or ID mode. */
const ITEM_ID_PLACEHOLDER = /%%ITEM_ID:([^:%]+):([^%]+)%%/g;

/** Replaces the `%%…%%` placeholders in every string of a workflow. */
function fillPlaceholders(value, sandbox) {
	if (typeof value === 'string') {
		return value
			.replaceAll('%%GRAPH_URL%%', sandbox.graphUrl)
			.replaceAll('%%LOGIN_URL%%', sandbox.loginUrl)
			.replaceAll('%%FILES_URL%%', sandbox.filesUrl)
			.replaceAll('%%FINANCE_OPERATIONS_URL%%', String(sandbox.financeOperationsUrl))
			.replaceAll('%%BUSINESS_CENTRAL_URL%%', String(sandbox.businessCentralUrl))
			.replace(ITEM_ID_PLACEHOLDER, (_match, user, itemPath) => sandboxItemId(sandbox, user, itemPath));
	}
	if (Array.isArray(value)) return value.map((entry) => fillPlaceholders(entry, sandbox));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fillPlaceholders(entry, sandbox)]));
	}
	return value;
}

/** The sandbox runs in this process (e2e and `npm run dev`), so its drive helpers answer directly. */
function sandboxItemId(sandbox, user, itemPath) {
	if (!sandbox.drives) throw new Error(`%%ITEM_ID:${user}:${itemPath}%% needs the in-process sandbox`);
	const item = sandbox.drives.itemByPath(sandbox.drives.driveIdOfUser(user), itemPath);
	if (!item) throw new Error(`%%ITEM_ID%%: no item ${itemPath} in ${user}'s drive`);
	return item.id;
}

/**
 * The workflow ready to import: placeholders filled, credentials pointed at the pre-created ones, and node
 * types of this package renamed to how n8n names an installed community package's nodes.
 * @param {any} workflow
 * @param {{ sandbox: { graphUrl: string, loginUrl: string, filesUrl: string, financeOperationsUrl?: string, businessCentralUrl?: string, drives?: any }, credentials: Record<string, { id: string, name: string }> }} target credentials by type
 */
function prepareWorkflow(workflow, target) {
	const { sandbox, credentials } = target;
	const filled = fillPlaceholders(structuredClone(workflow), sandbox);
	for (const node of filled.nodes) {
		for (const type of Object.keys(node.credentials || {})) {
			const credential = credentials[type];
			if (!credential) throw new Error(`workflow "${filled.name}", node "${node.name}": no pre-created credential of type ${type}`);
			node.credentials[type] = { id: credential.id, name: credential.name };
		}
	}
	return filled;
}

module.exports = { loadCases, prepareWorkflow, fillPlaceholders, WORKFLOWS_DIR };
