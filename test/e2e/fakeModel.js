// @ts-check
'use strict';
/**
 * A small OpenAI-compatible chat model on loopback for the AI-agent e2e cases: n8n's "OpenAI Chat Model" node
 * (credential base URL `http://127.0.0.1:<port>/v1`) talks to it instead of OpenAI.
 *
 * It follows a script the test sets: each answer is the next scripted tool call (`{ tool, arguments }`), counted
 * by the tool results the conversation already holds, and once every call has its result, the final answer. A
 * scripted tool that n8n did not offer is answered 400 naming the tools that were offered, so the agent fails
 * with a readable reason. Every request is recorded (`requests`: the tools offered, the messages) for assertions.
 *
 *   const model = await startFakeModel();
 *   model.script({ calls: [{ tool: 'Send_a_mail', arguments: { to: 'bob@…', subject: '…' } }], answer: 'Sent.' });
 *   … run the workflow …  model.requests  …  await model.stop();
 */
const http = require('node:http');

const MODEL_ID = 'fake-tool-caller';

/**
 * @typedef {{ tool: string, arguments: Record<string, unknown> }} ScriptedCall
 * @typedef {{ calls: ScriptedCall[], answer: string }} Script
 * @typedef {{ name: string, description: string, parameters: any }} OfferedTool
 * @typedef {{ model: string, stream: boolean, tools: OfferedTool[], messages: any[] }} RecordedRequest
 */

/** @param {{ port?: number }} [options] */
async function startFakeModel({ port = 0 } = {}) {
	/** @type {Script} */
	let script = { calls: [], answer: 'Nothing to do.' };
	/** @type {RecordedRequest[]} */
	const requests = [];

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => send(res, 500, { error: { message: String(error?.message || error), type: 'server_error' } }));
	});

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async function handle(req, res) {
		const url = new URL(req.url || '/', 'http://127.0.0.1');
		if (req.method === 'GET' && url.pathname === '/v1/models') {
			return send(res, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 1767225600, owned_by: 'n8n-nodes-microsoft-365-tests' }] });
		}
		if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
			const body = JSON.parse(await readBody(req));
			/** @type {RecordedRequest} */
			const recorded = {
				model: body.model,
				stream: body.stream === true,
				tools: (body.tools || []).map((/** @type {any} */ t) => ({ name: t.function?.name, description: t.function?.description, parameters: t.function?.parameters })),
				messages: body.messages || [],
			};
			requests.push(recorded);
			const answered = recorded.messages.filter((m) => m.role === 'tool').length;
			const next = script.calls[answered];
			if (next && !recorded.tools.some((t) => t.name === next.tool)) {
				return send(res, 400, {
					error: { message: `the script calls tool "${next.tool}" but n8n offered ${JSON.stringify(recorded.tools.map((t) => t.name))}`, type: 'invalid_request_error' },
				});
			}
			const message = next
				? { role: 'assistant', content: null, tool_calls: [{ id: `call_${answered + 1}`, type: 'function', function: { name: next.tool, arguments: JSON.stringify(next.arguments) } }] }
				: { role: 'assistant', content: script.answer };
			const finishReason = next ? 'tool_calls' : 'stop';
			return recorded.stream ? sendStream(res, body.model, message, finishReason) : sendCompletion(res, body.model, message, finishReason);
		}
		return send(res, 404, { error: { message: `no route ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
	}

	await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		/** The base URL an OpenAI client is given (ends in /v1, as the OpenAI credential's "Base URL"). */
		url: `http://127.0.0.1:${address.port}/v1`,
		model: MODEL_ID,
		requests,
		/** @param {Script} next the calls to make, in order, and the final answer */
		script(next) {
			script = next;
			requests.length = 0;
		},
		async stop() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @param {http.IncomingMessage} req */
async function readBody(req) {
	const chunks = [];
	for await (const chunk of req) chunks.push(chunk);
	return Buffer.concat(chunks).toString('utf8');
}

/** @param {http.ServerResponse} res @param {number} status @param {unknown} body */
function send(res, status, body) {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(body));
}

const USAGE = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

/** @param {http.ServerResponse} res @param {string} model @param {any} message @param {string} finishReason */
function sendCompletion(res, model, message, finishReason) {
	send(res, 200, {
		id: `chatcmpl-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
		usage: USAGE,
	});
}

/** The same answer as server-sent events: one delta with everything, the finish, the usage, `[DONE]`. */
function sendStream(res, model, message, finishReason) {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const base = { id: `chatcmpl-${Date.now()}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model };
	const delta = message.tool_calls
		? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((/** @type {any} */ call, index) => ({ index, ...call })) }
		: { role: 'assistant', content: message.content };
	const events = [
		{ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] },
		{ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }] },
		{ ...base, choices: [], usage: USAGE },
	];
	for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`);
	res.end('data: [DONE]\n\n');
}

module.exports = { startFakeModel, MODEL_ID };
