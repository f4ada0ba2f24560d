// @ts-nocheck
'use strict';

/**
 * P4: N Dataverse rows created (accounts) by our Dynamics node in bulk mode, by n8n's built-in Dataverse node (the
 * target's reference) and by its Dynamics CRM node (one request per row each). Skipped with "node not available"
 * until the package declares the Dynamics node. Every side is counted the same way: requests on the wire to the
 * sandbox's Dataverse host (sign-in is on another host), and the rows that really exist in the sandbox afterwards.
 */

const { runInServer, chain, requestsSince } = require('../lib/n8n-bench');
const { median } = require('../lib/common');
const { alternate, fmt, row } = require('../lib/report');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365Dynamics';
const TARGET = '≤ 2 requests besides sign-in (bulk); ≤ 0.1× built-in Dataverse node';

async function dataverseRow(env, { count, runs }) {
	const work = `create ${count} Dataverse rows`;
	if (!(await env.api.nodeTypeNames()).has(NODE_TYPE)) {
		return row({ id: 'P4', work, ours: 'node not available (microsoft365Dynamics not in the package yet)', reference: '', ratio: '', target: TARGET, pass: null });
	}
	// Our tenant-specific credential with Dataverse as its resource, connected through n8n's OAuth2 flow.
	const multi = env.seed.apps.multiTenant;
	const data = {
		cloud: 'custom', customLoginUrl: env.sandbox.loginUrl, customGraphUrl: env.sandbox.graphUrl, tenant: env.seed.tenants.contoso.id,
		clientId: multi.clientId, clientSecret: multi.secret, resource: 'dataverse', environmentUrl: env.sandbox.dataverseUrl, scopeStyle: 'userImpersonation',
	};
	const created = await env.api.createCredential({ name: 'Bench: Tenant OAuth2 (Dataverse)', type: 'microsoft365TenantOAuth2Api', data });
	const connected = await env.api.connectOAuth2(created.id);
	if (!connected.connected) throw new Error(`connecting the Dataverse credential: ${connected.failure}`);
	const oursCredential = { microsoft365TenantOAuth2Api: { id: created.id, name: 'Bench: Tenant OAuth2 (Dataverse)' } };

	let round = 0;
	const measure = async (label, node) => {
		const prefix = `Bench account ${++round} `;
		const names = {
			name: 'Rows', type: 'n8n-nodes-base.code', typeVersion: 2,
			parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { name: '${prefix}' + (i + 1) } }));` },
		};
		const from = env.sandbox.state.requests.length;
		const result = await runInServer(env, chain(`P4 ${label}`, [names, node]));
		// The sandbox also logs each $batch part (viaBatch); only requests on the wire count.
		const requests = requestsSince(env, from).filter((r) => r.host === 'dataverse' && !r.viaBatch).length;
		const items = result.items(node.name);
		const failedItems = items.filter((item) => item.json?.error);
		const stored = [...env.sandbox.dataverse.rows('account').values()].filter((account) => String(account.name ?? '').startsWith(prefix)).length;
		const failure = result.error
			?? (items.length !== count ? `${items.length} items out` : undefined)
			?? (failedItems.length ? `${failedItems.length} rows failed: ${JSON.stringify(failedItems[0].json.error).slice(0, 200)}` : undefined)
			?? (stored !== count ? `${stored} of ${count} rows exist in the sandbox afterwards` : undefined);
		return { ok: !failure, failure, seconds: result.seconds(node.name), requests, stored };
	};
	const sides = await alternate(runs, {
		ours: () => measure('ours', {
			name: 'Ours', type: NODE_TYPE, typeVersion: 1,
			parameters: {
				authentication: 'tenantOAuth2', api: 'dataverse', resource: 'row', operation: 'create',
				table: { __rl: true, mode: 'id', value: 'accounts' }, columnsMode: 'json', columnsJson: '={{ JSON.stringify({ name: $json.name }) }}', bulk: true,
			},
			credentials: oursCredential,
		}),
		builtIn: () => measure('built-in', {
			name: 'Built-in', type: 'n8n-nodes-base.microsoftDataverse', typeVersion: 1,
			parameters: { resource: 'row', operation: 'create', entitySet: { __rl: true, mode: 'id', value: 'accounts' }, inputMode: 'json', fieldsJson: '={{ JSON.stringify({ name: $json.name }) }}' },
			credentials: { microsoftDataverseOAuth2Api: { id: '', name: '' } },
			onError: 'continueRegularOutput',
		}),
		dynamicsCrm: () => measure('Dynamics CRM', {
			name: 'Dynamics CRM', type: 'n8n-nodes-base.microsoftDynamicsCrm', typeVersion: 1,
			parameters: { resource: 'account', operation: 'create', name: '={{ $json.name }}', additionalFields: {}, options: {} },
			credentials: { microsoftDynamicsOAuth2Api: { id: '', name: '' } },
			onError: 'continueRegularOutput',
		}),
	});
	const oursOk = sides.ours.every((r) => r.ok);
	const builtInOk = sides.builtIn.every((r) => r.ok);
	const ours = median(sides.ours.map((r) => r.seconds));
	const builtIn = median(sides.builtIn.map((r) => r.seconds));
	const crmOk = sides.dynamicsCrm.every((r) => r.ok);
	const crm = median(sides.dynamicsCrm.map((r) => r.seconds));
	const requests = Math.max(...sides.ours.map((r) => r.requests));
	const requestsOf = (list) => Math.max(...list.map((r) => r.requests));
	const crmText = crmOk ? `Dynamics CRM node ${fmt(crm, 2)} s, ${requestsOf(sides.dynamicsCrm)} requests (ours ${fmt(ours / crm, 3)}×)` : `Dynamics CRM node failed: ${String(sides.dynamicsCrm.find((r) => !r.ok).failure).slice(0, 120)}`;
	return row({
		id: 'P4', work,
		ours: oursOk ? `${fmt(ours, 2)} s, ${requests} Dataverse requests, ${count} rows stored` : `failed: ${sides.ours.find((r) => !r.ok).failure}`,
		reference: `${builtInOk ? `built-in Dataverse ${fmt(builtIn, 2)} s, ${requestsOf(sides.builtIn)} requests, ${count} rows stored` : `built-in Dataverse failed: ${String(sides.builtIn.find((r) => !r.ok).failure).slice(0, 160)}`}; ${crmText}`,
		ratio: builtInOk ? `${fmt(ours / builtIn, 3)}× built-in` : '–',
		target: TARGET,
		// No reference time is no pass: the ratio is the target.
		pass: oursOk && builtInOk && requests <= 2 && ours / builtIn <= 0.1,
		runs: { ours: sides.ours.map((r) => r.seconds), builtIn: sides.builtIn.map((r) => r.seconds), dynamicsCrm: sides.dynamicsCrm.map((r) => r.seconds) },
	});
}

module.exports = { dataverseRow };
