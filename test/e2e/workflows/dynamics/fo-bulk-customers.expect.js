// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE } = require('./support');
const { appOnlyCredential } = require('../resourceCredentials');

/** The credential this case signs in with (microsoft365ClientCredentialsApi of the sandbox's F&O environment). @returns {Promise<Record<string, { id: string, name: string }>>} */
async function caseCredential(ctx) {
	return await appOnlyCredential(ctx, 'Sandbox: Microsoft 365 Client Credentials (Contoso F&O bulk)', { resource: 'financeOperations', environmentUrl: ctx.sandbox.financeOperationsUrl });
}

const account = (/** @type {string} */ mark, /** @type {number} */ n) => `E2EB-${mark}-${String(n).padStart(3, '0')}`;

/**
 * Real n8n, app-only on Finance & Operations, bulk mode: 150 customers created through $batch (100 a POST; one part
 * throttled with 429 + Retry-After and sent again alone), put on hold through the Fields mapper (an enum member) in
 * atomic change sets, found by an enum condition, deleted in $batch POSTs of 75. Every record written exactly once.
 * Then the Fields mapper over n8n's REST API lists the enum's members.
 */
module.exports = {
	requires: [NODE_TYPE, 'n8n-nodes-base.code'],
	example: { setup: async (ctx) => ({ credentials: await caseCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = crypto.randomUUID().slice(0, 8);
		const credentials = await caseCredential(ctx);
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		await ctx.sandboxRequest('POST', '/_sandbox/faults', { host: 'financeOperations', method: 'POST', path: '^/data/CustomersV3$', status: 429, retryAfter: '1', times: 1 });
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials });
		assert.ok(result.ok, describeFailure(result));

		const created = result.items('Bulk Create');
		assert.equal(created.length, 150);
		created.forEach((item, n) => {
			assert.deepEqual({ account: item.CustomerAccount, company: item.dataAreaId, hold: item.OnHoldStatus }, { account: account(mark, n), company: 'usmf', hold: n % 3 === 0 ? 'All' : 'No' }, `created item ${n}`);
		});
		const held = result.items('Bulk Put On Hold');
		assert.equal(held.length, 150);
		assert.ok(held.every((item, n) => item.updated === true && item.OnHoldStatus === 'Invoice' && item.CreditLimit === n), `update outputs: ${JSON.stringify(held.slice(0, 2))}`);
		const found = result.items('Find On Hold');
		assert.deepEqual(found.map((item) => [item.CustomerAccount, item.OnHoldStatus, item.CreditLimit]), created.map((_, n) => [account(mark, n), 'Invoice', n]));
		const deleted = result.items('Bulk Delete');
		assert.equal(deleted.length, 150);
		assert.ok(deleted.every((item) => item.deleted === true));

		const requests = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => r.host === 'financeOperations');
		const parts = (/** @type {string} */ method) => requests.filter((/** @type {any} */ r) => r.viaBatch && r.method === method).map((/** @type {any} */ r) => r.status);
		const creates = parts('POST');
		assert.deepEqual([creates.length, creates.filter((status) => status === 201).length, creates.filter((status) => status === 429).length], [151, 150, 1], 'each customer created once, the throttled part sent again');
		assert.deepEqual(parts('PATCH'), Array(150).fill(204));
		assert.deepEqual(parts('DELETE'), Array(150).fill(204));
		const posts = requests.filter((/** @type {any} */ r) => !r.viaBatch && r.method === 'POST' && r.path === '/data/$batch');
		// create: 100 + 50, then the throttled part alone; update: 100 + 50; delete: 75 + 75.
		assert.equal(posts.length, 7, `$batch POSTs: ${posts.length}`);
		assert.equal(requests.filter((/** @type {any} */ r) => !r.viaBatch && /^\/data\/CustomersV3/.test(r.path) && r.method !== 'GET').length, 0, 'no write outside $batch');

		// The Fields mapper as the editor calls it: enum fields list their members.
		const projectId = await ctx.api.personalProjectId();
		const mapper = await ctx.api.request('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			path: 'parameters.foColumns',
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			methodName: 'getFinanceOperationsFields',
			currentNodeParameters: { authentication: 'clientCredentials', api: 'financeOperations', resource: 'financeOperationsEntity', operation: 'create', foEntity: { __rl: true, mode: 'id', value: 'CustomersV3' } },
			credentials: credentials,
			projectId,
		});
		const fields = mapper.fields ?? mapper.data?.fields ?? [];
		const onHold = fields.find((/** @type {any} */ field) => field.id === 'OnHoldStatus');
		assert.deepEqual(onHold && { type: onHold.type, values: onHold.options.map((/** @type {any} */ option) => option.value) }, { type: 'options', values: ['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never'] }, `mapper fields: ${JSON.stringify(fields).slice(0, 500)}`);
	},
};
