// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');
const { NODE_TYPE, dataverseCredential } = require('./support');

/**
 * Real n8n, app-only on Dataverse: a created account read back by its ID; 1,000 rows created in bulk mode in ONE
 * $batch request (each output item carries its row's ID); FetchXML over 5,200 seeded rows reads both pages through
 * the paging cookie. Then the table picker and the column mapping (resource mapper) over n8n's REST API.
 */
module.exports = {
	requires: [NODE_TYPE, 'n8n-nodes-base.code'],
	// npm run dev: the example runs with the same Dataverse credential (FetchXML reads whatever accounts there are).
	example: { setup: async (ctx) => ({ credentials: await dataverseCredential(ctx) }) },
	async run(ctx, workflow) {
		const mark = crypto.randomUUID().slice(0, 8);
		const credentials = await dataverseCredential(ctx);
		await ctx.sandboxRequest('POST', '/_sandbox/dataverse/tables/account/seed', { count: 5200, prefix: `E2E Seed ${mark}` });
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(JSON.parse(JSON.stringify(workflow).replaceAll('%%MARK%%', mark)), { credentials });
		assert.ok(result.ok, describeFailure(result));

		const [created] = result.items('Create Account');
		assert.match(String(created.id), /^[0-9a-f-]{36}$/);
		assert.equal(created.name, `E2E Dynamics ${mark}`);
		const [read] = result.items('Get Account');
		assert.deepEqual({ name: read.name, accountnumber: read.accountnumber, id: read.accountid }, { name: `E2E Dynamics ${mark}`, accountnumber: `E2E-${mark}`, id: created.id });

		const bulk = result.items('Bulk Create');
		assert.equal(bulk.length, 1000);
		assert.ok(bulk.every((item) => /^[0-9a-f-]{36}$/.test(String(item.id))), 'every bulk item has its row ID');
		assert.equal(new Set(bulk.map((item) => item.id)).size, 1000);
		// Each answer is its own item's row: spot checks through the sandbox's control route (no token).
		for (const n of [0, 1, 499, 998, 999]) {
			const row = await ctx.sandboxRequest('GET', `/_sandbox/dataverse/tables/account/rows/${bulk[n].id}`);
			assert.equal(row.name, `E2E Bulk ${mark} ${n}`);
		}

		const fetched = result.items('FetchXML');
		assert.equal(fetched.length, 5200);
		assert.equal(new Set(fetched.map((item) => item.accountid)).size, 5200);

		const requests = (await ctx.sandboxRequest('GET', '/_sandbox/requests')).filter((/** @type {any} */ r) => r.host === 'dataverse' && !r.viaBatch);
		const batches = requests.filter((/** @type {any} */ r) => r.method === 'POST' && r.path === '/api/data/v9.2/$batch');
		assert.equal(batches.length, 1, `bulk create of 1,000 rows took ${batches.length} $batch requests`);
		const fetches = requests.filter((/** @type {any} */ r) => r.method === 'GET' && r.path === '/api/data/v9.2/accounts' && /fetchXml=/.test(r.query));
		assert.equal(fetches.length, 2, 'FetchXML over 5,200 rows is two pages');

		// The table picker and the column mapping as the editor calls them.
		const credential = credentials.microsoft365ClientCredentialsApi;
		const tables = await ctx.api.resourceLocatorSearch({
			nodeType: NODE_TYPE,
			nodeVersion: 1,
			parameter: 'table',
			methodName: 'searchTables',
			filter: 'contact',
			currentNodeParameters: { authentication: 'clientCredentials', api: 'dataverse', resource: 'row', operation: 'create' },
			credentials: { microsoft365ClientCredentialsApi: credential },
		});
		const results = tables.results ?? tables.data?.results ?? [];
		assert.ok(results.some((/** @type {any} */ entry) => entry.value === 'contacts'), `picker results: ${JSON.stringify(results).slice(0, 500)}`);
		const projectId = await ctx.api.personalProjectId();
		const mapper = await ctx.api.request('POST', '/rest/dynamic-node-parameters/resource-mapper-fields', {
			path: 'parameters.columns',
			nodeTypeAndVersion: { name: NODE_TYPE, version: 1 },
			methodName: 'getColumns',
			currentNodeParameters: { authentication: 'clientCredentials', api: 'dataverse', resource: 'row', operation: 'create', table: { __rl: true, mode: 'list', value: 'contacts' } },
			credentials: { microsoft365ClientCredentialsApi: credential },
			projectId,
		});
		const fields = mapper.fields ?? mapper.data?.fields ?? [];
		const ids = fields.map((/** @type {any} */ field) => field.id);
		assert.ok(ids.includes('lastname') && ids.includes('parentcustomerid'), `mapper fields: ${ids.join(', ')}`);
		assert.ok(!ids.includes('createdon'), 'read-only columns are left out');
	},
};
