// @ts-check
'use strict';
const assert = require('node:assert/strict');

/**
 * Proves the harness can activate workflows on this n8n line (2.x: POST /activate, 1.x: PATCH active) — what
 * the trigger cases build on. The production webhook exists only while the workflow is active.
 */
module.exports = {
	example: { needs: 'press Execute workflow, then call its test webhook (docs/development.md)' },
	async run(ctx, workflow) {
		const stored = await ctx.importWorkflow(workflow);
		const url = `${ctx.n8n.baseUrl}/webhook/e2e-activation`;
		assert.equal((await fetch(url)).status, 404, 'the webhook answered before activation');
		await ctx.api.activateWorkflow(stored.id);
		// n8n registers the webhook shortly after activation returns.
		let status = 0;
		for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
			status = (await fetch(url)).status;
			if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
		}
		assert.equal(status, 200, 'the webhook of the activated workflow never answered');
	},
};
