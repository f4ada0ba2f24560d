// @ts-nocheck
'use strict';

/**
 * P6: N messages arrive in Alice's Inbox between two polls. Our Outlook trigger and n8n's built-in Outlook
 * Trigger are active side by side (n8n's shortest poll interval is one minute); after both have made their
 * first poll, N messages are delivered at once; each trigger's next execution is read back and its items
 * counted (ours must emit N, each once). With `checkNextPoll`, the poll after that must emit nothing more.
 */

const path = require('node:path');
const { RUNTIME_DIR } = require('../../scripts/lib/runtime');
const { row } = require('../lib/report');

const ALICE = 'alice@contoso.onmicrosoft.com';

async function waitFor(what, probe, timeoutMs, intervalMs = 1000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

async function executionsOf(env, workflowId) {
	return (await env.api.listExecutions(workflowId)).filter((e) => e.finished || ['success', 'error', 'crashed'].includes(e.status));
}

async function emittedItems(env, executionId, nodeName) {
	const execution = await env.api.getExecution(executionId);
	const data = typeof execution.data === 'string' ? require(path.join(RUNTIME_DIR, 'n8n-2', 'node_modules', 'flatted')).parse(execution.data) : execution.data;
	return data?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

async function triggerRow(env, { count, checkNextPoll }) {
	const inboxId = env.sandbox.outlook.folder(ALICE, 'inbox').id;
	const poll = { item: [{ mode: 'everyMinute' }] };
	const workflows = {
		ours: { name: 'P6 ours', node: 'Ours', nodes: [{
			name: 'Ours', type: 'n8n-nodes-microsoft-365.microsoft365OutlookTrigger', typeVersion: 1, position: [0, 0],
			parameters: { authentication: 'oAuth2', mailbox: 'me', pollTimes: poll, folders: ['inbox'], includeSubfolders: false, filters: {}, options: {} },
			credentials: { microsoft365OAuth2Api: { id: env.credentials.microsoft365OAuth2Api.id, name: env.credentials.microsoft365OAuth2Api.name } },
		}] },
		builtIn: { name: 'P6 built-in', node: 'Built-in', nodes: [{
			name: 'Built-in', type: 'n8n-nodes-base.microsoftOutlookTrigger', typeVersion: 1, position: [0, 0],
			parameters: { pollTimes: poll, event: 'messageReceived', output: 'simple', filters: { foldersToInclude: [inboxId] }, options: {} },
			credentials: { microsoftOutlookOAuth2Api: { id: env.credentials.microsoftOutlookOAuth2Api.id, name: env.credentials.microsoftOutlookOAuth2Api.name } },
		}] },
	};
	const messageGets = () => env.sandbox.state.requests.filter((r) => r.method === 'GET' && r.status === 200 && /\/messages(\/delta)?$/i.test(r.path));
	const before = messageGets().length;
	const ids = {};
	for (const [side, workflow] of Object.entries(workflows)) {
		const stored = await env.api.createWorkflow({ name: workflow.name, nodes: workflow.nodes, connections: {} });
		ids[side] = stored.id;
	}
	try {
		for (const id of Object.values(ids)) await env.api.activateWorkflow(id);
		// Both activation polls: our delta request and the built-in's filtered message list.
		await waitFor('both triggers\' first polls', () => {
			const seen = messageGets().slice(before);
			return seen.some((r) => /\/delta$/i.test(r.path)) && seen.some((r) => !/\/delta$/i.test(r.path));
		}, 120000);
		const arrived = Date.now();
		for (let n = 1; n <= count; n++) {
			env.sandbox.outlook.seedMessage(ALICE, { subject: `Bench trigger ${String(n).padStart(5, '0')}`, body: 'Arrived between two polls.', receivedDateTime: new Date().toISOString() });
		}
		const counts = {};
		const durations = {};
		for (const [side, id] of Object.entries(ids)) {
			const [execution] = await waitFor(`an execution of ${workflows[side].name}`, async () => {
				const done = await executionsOf(env, id);
				return done.length ? done : undefined;
			}, 150000);
			const items = await emittedItems(env, execution.id, workflows[side].node);
			const messageIds = items.map((item) => item.json?.id);
			counts[side] = { items: items.length, unique: new Set(messageIds).size, status: execution.status };
			durations[side] = execution.stoppedAt && execution.startedAt ? (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000 : NaN;
		}
		if (checkNextPoll) {
			// One more poll of each (a minute later) must emit nothing: still one execution each.
			const polls = messageGets().length;
			await waitFor('the polls after', () => messageGets().length >= polls + 2, 150000);
			await new Promise((resolve) => setTimeout(resolve, 5000));
			for (const [side, id] of Object.entries(ids)) counts[side].executions = (await executionsOf(env, id)).length;
		}
		const ours = counts.ours;
		const builtIn = counts.builtIn;
		const once = ours.items === count && ours.unique === count && (ours.executions ?? 1) === 1;
		return row({
			id: 'P6', work: `${count} messages arrive between two trigger polls`,
			ours: `${ours.items} emitted (${ours.unique} distinct)${ours.executions === undefined ? '' : `, ${ours.executions} execution(s) over two polls`}`,
			reference: `built-in Outlook Trigger: ${builtIn.items} emitted (${builtIn.unique} distinct)${builtIn.executions === undefined ? '' : `, ${builtIn.executions} execution(s)`}`,
			ratio: `${ours.items}/${count} vs ${builtIn.items}/${count}`,
			target: 'ours emits N, each once; built-in count reported',
			pass: once,
			runs: { oursSeconds: [durations.ours], builtInSeconds: [durations.builtIn], afterArrival: [(Date.now() - arrived) / 1000] },
		});
	} finally {
		for (const id of Object.values(ids)) await env.api.deactivateWorkflow(id).catch(() => undefined);
	}
}

module.exports = { triggerRow };
