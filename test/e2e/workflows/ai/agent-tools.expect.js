// @ts-check
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { describeFailure } = require('../../harness');

const OUTLOOK = 'n8n-nodes-microsoft-365.microsoft365Outlook';
const ONEDRIVE = 'n8n-nodes-microsoft-365.microsoft365OneDrive';
const TEAMS = 'n8n-nodes-microsoft-365.microsoft365Teams';
const REQUEST = 'n8n-nodes-microsoft-365.microsoft365Request';
const AGENT = '@n8n/n8n-nodes-langchain.agent';
const BOB = 'bob@contoso.onmicrosoft.com';
const ALICE = 'alice@contoso.onmicrosoft.com';

/**
 * n8n's AI Agent with n8n's OpenAI chat model pointed at the fake model on loopback (test/e2e/fakeModel.js), and
 * our four action nodes attached as tools (the `…Tool` variants n8n makes of `usableAsTool` nodes), their fields
 * filled by `$fromAI`. The fake model calls "Look up a colleague" (API Request, app-only GET /users/{email}), "Send
 * a mail" (Outlook), "Find a file" (OneDrive search) and "Post to a channel" (Teams), each with arguments it chose,
 * then answers. Proves: n8n offers the four tools with our operations' wording and the `$fromAI` fields as their
 * parameters; each call reached the sandbox with exactly the model's arguments (the user looked up, Bob's Inbox
 * holds the mail, the search asked for the model's words, the channel holds the post); each tool's result went back
 * to the model; the agent outputs the model's final answer.
 */
module.exports = {
	requires: [OUTLOOK, ONEDRIVE, TEAMS, REQUEST, AGENT],
	example: { needs: 'a chat-model credential of your own on "OpenAI Chat Model" (the e2e run scripts a fake model)' },
	async run(ctx, workflow) {
		const mark = `E2E agent ${ctx.line}.x ${crypto.randomUUID().slice(0, 8)}`;
		const { model, credential } = await ctx.createFakeModelCredential();
		const calls = [
			{ tool: 'Look_up_a_colleague', arguments: { email: BOB } },
			{ tool: 'Send_a_mail', arguments: { to: BOB, subject: `Q3 report ready (${mark})`, body: 'Hi Bob, the Q3 report is ready. Alice' } },
			{ tool: 'Find_a_file', arguments: { query: 'report' } },
			{ tool: 'Post_to_a_channel', arguments: { message: `${mark}: the Q3 report is in Alice's OneDrive.` } },
		];
		const answer = `Done: looked up Bob (Accountant), mailed him, found report.xlsx, posted in General (${mark}).`;
		model.script({ calls, answer });

		// The model node is given the fake model's credential here (not in the JSON): `npm run dev` imports the
		// example without one, and the user picks theirs.
		const withModel = structuredClone(workflow);
		withModel.nodes.find((/** @type {any} */ node) => node.name === 'OpenAI Chat Model').credentials = { openAiApi: { id: '', name: '' } };
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
		const result = await ctx.runWorkflow(withModel, { credentials: { openAiApi: credential } });
		assert.ok(result.ok, describeFailure(result));
		assert.deepEqual(result.items('AI Agent'), [{ output: answer }]);

		// What n8n offered the model: our three tools, described by the operation's action, parameters = $fromAI keys.
		assert.equal(model.requests.length, 5, `the model was asked ${model.requests.length} times`);
		const offered = Object.fromEntries(model.requests[0].tools.map((tool) => [tool.name, tool]));
		assert.deepEqual(Object.keys(offered).sort(), ['Find_a_file', 'Look_up_a_colleague', 'Post_to_a_channel', 'Send_a_mail']);
		assert.match(offered.Look_up_a_colleague.description, /^Send a request to a Microsoft API\b/);
		assert.deepEqual(Object.keys(offered.Look_up_a_colleague.parameters.properties), ['email']);
		assert.match(offered.Send_a_mail.description, /^Send a message\b/);
		assert.match(offered.Find_a_file.description, /^Search files\b/);
		assert.match(offered.Post_to_a_channel.description, /^Send a channel message\b/);
		assert.deepEqual(Object.keys(offered.Send_a_mail.parameters.properties).sort(), ['body', 'subject', 'to']);
		assert.equal(offered.Send_a_mail.parameters.properties.to.description, 'E-mail address of the person to write to');
		assert.deepEqual(Object.keys(offered.Find_a_file.parameters.properties), ['query']);
		assert.deepEqual(Object.keys(offered.Post_to_a_channel.parameters.properties), ['message']);

		// Each tool's result went back to the model, answering its call.
		const toolResults = model.requests[4].messages.filter((message) => message.role === 'tool');
		assert.deepEqual(toolResults.map((message) => message.tool_call_id), ['call_1', 'call_2', 'call_3', 'call_4']);
		const [lookedUp, mailed, found, posted] = toolResults.map((message) => String(message.content));
		assert.match(lookedUp, /"jobTitle":\s*"Accountant"/);
		assert.match(mailed, /"sent":\s*true/);
		assert.match(found, /report\.xlsx/);
		assert.match(posted, new RegExp(escapeRegExp(mark)));

		// The sandbox saw the calls with the model's arguments.
		const inbox = await ctx.sandboxRequest('GET', `/_sandbox/outlook/${encodeURIComponent(BOB)}/messages?${new URLSearchParams({ folder: 'inbox', subject: calls[1].arguments.subject })}`);
		assert.equal(inbox.length, 1, `Bob's Inbox has ${inbox.length} messages with the model's subject`);
		assert.equal(inbox[0].from.emailAddress.address, ALICE);
		assert.match(inbox[0].body.content, /Hi Bob, the Q3 report is ready\. Alice/);
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const lookups = requests.filter((/** @type {any} */ r) => r.method === 'GET' && r.path.startsWith('/v1.0/users/'));
		assert.deepEqual(lookups.map((/** @type {any} */ r) => decodeURIComponent(r.path)), [`/v1.0/users/${BOB}`]);
		const search = requests.filter((/** @type {any} */ r) => r.method === 'GET' && /\/root\/search\(q=/.test(r.path));
		assert.equal(search.length, 1, `search requests: ${search.map((/** @type {any} */ r) => r.path).join(' | ')}`);
		assert.equal(decodeURIComponent(search[0].path.replace(/^.*search\(q=/, '').replace(/\)$/, '')), "'report'");
		const { SEED } = ctx.seed;
		const channel = await ctx.sandboxRequest('GET', `/_sandbox/teams/${encodeURIComponent(SEED.teams.sales.id)}/channels/${encodeURIComponent(SEED.teams.sales.channels.general.id)}/messages`);
		const post = channel.find((/** @type {any} */ message) => String(message.body?.content).includes(mark));
		assert.ok(post, 'the channel holds no post with the mark');
		assert.equal(post.body.content, calls[3].arguments.message);
		assert.equal(post.from.user.id, SEED.users.alice.id);
	},
};

/** @param {string} text */
function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
