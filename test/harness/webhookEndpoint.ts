/**
 * A webhook trigger served the way n8n serves it, for jest: a local HTTP server whose every request runs the
 * node's `webhook()` in a real WebhookContext, and activation / deactivation through its `webhookMethods` in a
 * real HookContext. Static data is loaded before and saved after each call, as n8n's live webhooks do, so it can
 * be JSON-copied to simulate a restart. What the node emits is collected in `emitted`.
 */
import type { ServerResponse } from 'node:http';

import type { IDataObject, INodeExecutionData, INodeParameters, INodeType, IWebhookResponseData } from 'n8n-workflow';

import type { Harness } from './harness';
import { startLocalServer, type LocalServer } from './localServer';

export interface WebhookEndpoint {
	/** The node's webhook URL (what the node subscribes with). */
	url: string;
	server: LocalServer;
	/** Items of each execution the webhook started, in order. */
	emitted: INodeExecutionData[][];
	/** The node's static data as n8n would have stored it. */
	staticData: IDataObject;
	/** Errors the webhook threw (n8n logs them; tests look). */
	errors: unknown[];
	/** checkExists, then create when it said false: n8n's activation. Returns whether create ran. */
	activate(): Promise<boolean>;
	deactivate(): Promise<void>;
	close(): Promise<void>;
}

function expressLike(res: ServerResponse) {
	const response = res as ServerResponse & Record<string, (...args: any[]) => unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any
	response.status = (code: number) => ((res.statusCode = code), response);
	response.type = (type: string) => (res.setHeader('Content-Type', type.includes('/') ? type : `text/${type}`), response);
	response.send = (body: string | Buffer) => (res.end(body), response);
	response.json = (body: unknown) => (res.setHeader('Content-Type', 'application/json'), res.end(JSON.stringify(body)), response);
	return response;
}

export async function startWebhookEndpoint(
	harness: Harness,
	node: INodeType,
	parameters: INodeParameters,
	options: { webhookId?: string; staticData?: IDataObject } = {},
): Promise<WebhookEndpoint> {
	const webhookId = options.webhookId ?? 'f0e1d2c3-b4a5-4697-8899-aabbccddeeff';
	let baseUrl = '';
	const endpoint: Partial<WebhookEndpoint> = { emitted: [], errors: [], staticData: options.staticData ?? {} };
	const server = await startLocalServer(async (req, res) => {
		const url = new URL(req.url, 'http://localhost');
		const text = req.body.toString('utf8');
		let body: unknown = {};
		if (text && String(req.headers['content-type'] ?? '').includes('json')) body = JSON.parse(text);
		const before = JSON.stringify(endpoint.staticData);
		const staticData = JSON.parse(before) as IDataObject;
		const context = harness.webhookContext(node, {
			request: { body, query: Object.fromEntries(url.searchParams), headers: req.headers },
			response: expressLike(res),
		}, { parameters, staticData, webhookBaseUrl: `${baseUrl}/webhook`, webhookId });
		try {
			const result: IWebhookResponseData = await node.webhook!.call(context);
			if (!result.noWebhookResponse && !res.writableEnded) res.end();
			if (result.workflowData) endpoint.emitted!.push(result.workflowData[0] ?? []);
			// Saved like n8n saves it after the call (in place, and only when the call changed it).
			if (JSON.stringify(staticData) !== before) {
				for (const key of Object.keys(endpoint.staticData!)) delete endpoint.staticData![key];
				Object.assign(endpoint.staticData!, JSON.parse(JSON.stringify(staticData)));
			}
		} catch (error) {
			endpoint.errors!.push(error);
			if (!res.headersSent) res.statusCode = 500;
			if (!res.writableEnded) res.end();
		}
	});
	baseUrl = server.url;
	const hook = () => harness.hookContext(node, { parameters, staticData: endpoint.staticData, webhookBaseUrl: `${baseUrl}/webhook`, webhookId });
	const methods = node.webhookMethods?.default;
	if (!methods) throw new Error('The node has no webhookMethods.default');
	return Object.assign(endpoint, {
		url: hook().getNodeWebhookUrl('default') ?? '',
		server,
		async activate() {
			const context = hook();
			if (await methods.checkExists.call(context)) return false;
			await methods.create.call(context);
			return true;
		},
		async deactivate() {
			await methods.delete.call(hook());
		},
		close: () => server.close(),
	}) as WebhookEndpoint;
}
