// @ts-check
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { describeFailure } = require('../../harness');
const { inNodeEditor } = require('../../../../scripts/lib/browser');
const { nodeItems } = require('../../../../scripts/lib/n8n');
const { ARTIFACTS, browserSkipReason, keepForDocs } = require('../../browserPicks');
const { NODE_TYPE, dataverseCredential } = require('./support');

/** The sandbox's custom table "Project" (test/sandbox/dataverse-schema.js): required, optional and read-only columns. */
const REQUIRED = ['Name (cr0a1_name)', 'Project Code (cr0a1_code)'];
const OPTIONAL = ['Budget (cr0a1_budget)', 'Stage (cr0a1_stage)', 'Start Date (cr0a1_startdate)', 'Billable (cr0a1_billable)'];
const READ_ONLY = 'cr0a1_document_name';

/**
 * The Dynamics node's main picker in the editor, with Chromium (app-only credential on the sandbox's Dataverse): in
 * "Create Row" the Table picker, typed "project", lists the sandbox's custom table Project; once it is picked, the
 * column mapping (resource mapper) loads that table's columns from its metadata: the required Name and Project Code
 * as fields, the others (Budget, Stage, …) in its "add column" list, read-only columns nowhere. Name and Project
 * Code are typed in, the workflow saved (table and mapped columns stored) and run: the row exists in the sandbox.
 * Screenshots: test/e2e/artifacts/n8n-<line>-dataverse-columns-*.png (docs/screenshots/dataverse-columns.png with
 * E2E_DOCS_SCREENSHOTS=1, from n8n 2.x).
 */
module.exports = {
	requires: [NODE_TYPE],
	example: {
		needs: 'open "Create Row", pick a table and fill in its columns',
		setup: async (ctx) => ({ credentials: await dataverseCredential(ctx) }),
	},
	async run(ctx, workflow, t) {
		const skip = browserSkipReason();
		if (skip) return t.skip(skip);
		const credentials = await dataverseCredential(ctx);
		const stored = await ctx.importWorkflow(workflow, { credentials });
		const code = `BR-${ctx.line}-${Date.now().toString(36)}`;
		const name = `Browser project ${ctx.line}x`;
		const prefix = `n8n-${ctx.line}-dataverse-columns`;
		const seen = await inNodeEditor({ baseUrl: ctx.n8n.baseUrl, workflowId: stored.id, nodeName: 'Create Row', outDir: ARTIFACTS, prefix }, async (editor) => {
			const { page } = editor;
			const tablePick = await editor.pick({ parameter: 'table', search: 'project', pick: 'Project (cr0a1_project)', onList: () => editor.shot('table-list') });
			const fields = page.locator('[data-test-id="mapping-fields-container"]');
			await waitForText(fields, REQUIRED[1]);
			const fieldText = await fields.innerText();
			// The rest of the columns: the mapper's "add column" list (a dropdown menu on 2.x, a select on 1.x: found by text).
			await page.locator('[data-test-id="add-fields-select"]').click();
			await page.getByText(OPTIONAL[0], { exact: true }).first().waitFor({ timeout: 15000 });
			/** @type {string[]} */
			const addable = [];
			for (const label of OPTIONAL) if (await page.getByText(label, { exact: true }).first().isVisible()) addable.push(label);
			const readOnlyShown = await page.getByText(READ_ONLY).count();
			const screenshots = [await editor.shot('mapper')];
			// Escape closes the list; should the editor take it for "close the node", the node is opened again.
			await page.keyboard.press('Escape');
			await page.getByText(OPTIONAL[0], { exact: true }).first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
			if (!(await fields.isVisible())) await editor.openNode();
			await fields.waitFor({ timeout: 15000 });
			// The two required columns, typed as a user does.
			assert.equal(await fields.locator('[data-test-id="parameter-input-field"]').count(), REQUIRED.length, 'the mapper shows the required columns as fields');
			await fillField(page, fields, 0, name);
			await fillField(page, fields, 1, code);
			screenshots.push(await editor.shot('mapper-filled'));
			await editor.save();
			return { tablePick, fieldText, addable, readOnlyShown, screenshots };
		});
		assert.ok(seen.tablePick.listed.includes('Project (cr0a1_project)'), `the table picker showed ${JSON.stringify(seen.tablePick.listed)}`);
		assert.equal(seen.tablePick.shown, 'Project (cr0a1_project)');
		for (const label of REQUIRED) assert.ok(seen.fieldText.includes(label), `the mapper's fields lack ${label}: ${seen.fieldText}`);
		assert.deepEqual(seen.addable, OPTIONAL, 'the "add column" list shows the optional columns');
		assert.ok(!seen.fieldText.includes(READ_ONLY) && seen.readOnlyShown === 0, 'a read-only column is offered');
		for (const file of seen.screenshots) assert.ok(fs.statSync(file).size > 10000, `${file} is suspiciously small`);
		if (ctx.line === '2') keepForDocs(seen.screenshots[0], 'dataverse-columns');

		const saved = await ctx.api.request('GET', `/rest/workflows/${encodeURIComponent(stored.id)}`);
		const parameters = saved.nodes.find((/** @type {any} */ node) => node.name === 'Create Row').parameters;
		assert.deepEqual({ mode: parameters.table.mode, value: parameters.table.value }, { mode: 'list', value: 'cr0a1_projects' });
		assert.deepEqual(parameters.columns.value, { cr0a1_name: name, cr0a1_code: code });
		const execution = await ctx.n8n.execute(stored.id);
		assert.ok(execution.ok, describeFailure(execution));
		const [created] = nodeItems(execution.run, 'Create Row');
		const row = await ctx.sandboxRequest('GET', `/_sandbox/dataverse/tables/cr0a1_project/rows/${encodeURIComponent(created.id)}`);
		assert.deepEqual({ name: row.cr0a1_name, code: row.cr0a1_code }, { name, code });
	},
};

/** Waits until `locator`'s text contains `text` (the mapper loads its fields after the table is picked). */
async function waitForText(locator, text, timeoutMs = 30000) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const shown = await locator.innerText().catch(() => '');
		if (shown.includes(text)) return;
		if (Date.now() > end) throw new Error(`"${text}" did not appear; shown: ${shown.slice(0, 500)}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

/**
 * Types `value` into the `index`-th field of the mapper (the required columns come first, by display name), as a user
 * does. `parameter-input-field` is the input itself or its wrapper, depending on the field's component.
 */
async function fillField(page, fields, index, value) {
	const field = fields.locator('[data-test-id="parameter-input-field"]').nth(index);
	const isInput = await field.evaluate((element) => element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement);
	const input = isInput ? field : field.locator('input, textarea').first();
	await input.click();
	await input.pressSequentially(value, { delay: 20 });
	await page.keyboard.press('Tab');
}
