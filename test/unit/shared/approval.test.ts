/**
 * The approval webhook (shared/node/approval.ts) as n8n calls it for the waiting URL: a GET (a person, a mail
 * scanner or a link preview) never records an answer; the page's POST does, once per answer kind; unknown
 * answers are refused. Real resumption in n8n is proven end to end (test/e2e, outlook/send-and-wait).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { WAIT_INDEFINITELY } from 'n8n-workflow';

import { approvalMailHtml, approvalWebhook, readApprovalRequest, waitForAnswer } from '../../../nodes/Microsoft/shared/node/approval';

function webhookContext(method: 'GET' | 'POST', query: IDataObject, parameters: IDataObject, body: IDataObject = {}): IWebhookFunctions {
	return {
		getRequestObject: () => ({ method, query }),
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getBodyData: () => body,
	} as unknown as IWebhookFunctions;
}

const approval = { approvalSubject: 'Invoice 113', approvalMessage: 'Pay <b>1,200 €</b>?', responseType: 'approval', approvalType: 'double', approveLabel: 'Approve', declineLabel: 'Decline' };

describe('approval webhook', () => {
	it('a GET shows a confirmation page with a POST form and records nothing (scanners, previews)', async () => {
		for (const answer of ['approve', 'decline']) {
			const result = await approvalWebhook.call(webhookContext('GET', { answer, signature: 's' }, approval));
			expect(result.workflowData).toBeUndefined();
			expect(String(result.webhookResponse)).toMatch(/<form method="POST">/);
			expect(String(result.webhookResponse)).toContain(answer === 'approve' ? 'Approve' : 'Decline');
			// The message is escaped, never rendered as HTML.
			expect(String(result.webhookResponse)).toContain('Pay &lt;b&gt;1,200 €&lt;/b&gt;?');
		}
	});

	it('a POST resumes with the answer: approve, decline', async () => {
		const approved = await approvalWebhook.call(webhookContext('POST', { answer: 'approve' }, approval));
		expect(approved.workflowData?.[0][0].json.data).toMatchObject({ approved: true });
		expect(String((approved.workflowData?.[0][0].json.data as IDataObject).answeredAt)).toMatch(/^\d{4}-\d\d-\d\dT/);
		const declined = await approvalWebhook.call(webhookContext('POST', { answer: 'decline' }, approval));
		expect(declined.workflowData?.[0][0].json.data).toMatchObject({ approved: false });
	});

	it('choices and free text', async () => {
		const choices = { ...approval, responseType: 'choices', choices: 'Yes, No, Later' };
		const chosen = await approvalWebhook.call(webhookContext('POST', { answer: '2' }, choices));
		expect(chosen.workflowData?.[0][0].json.data).toMatchObject({ choice: 'Later' });
		const text = { ...approval, responseType: 'freeText' };
		const page = await approvalWebhook.call(webhookContext('GET', { answer: 'reply' }, text));
		expect(String(page.webhookResponse)).toMatch(/<textarea name="response" required>/);
		const replied = await approvalWebhook.call(webhookContext('POST', { answer: 'reply' }, text, { response: 'Only half, please' }));
		expect(replied.workflowData?.[0][0].json.data).toMatchObject({ text: 'Only half, please' });
	});

	it('refuses answers that were not offered, without resuming', async () => {
		const cases: Array<[IDataObject, IDataObject, IDataObject?]> = [
			[{ answer: 'maybe' }, approval],
			[{}, approval],
			[{ answer: '7' }, { ...approval, responseType: 'choices', choices: 'Yes, No' }],
			[{ answer: 'x1' }, { ...approval, responseType: 'choices', choices: 'Yes, No' }],
			[{ answer: 'reply' }, { ...approval, responseType: 'freeText' }, {}],
		];
		for (const [query, parameters, body] of cases) {
			const result = await approvalWebhook.call(webhookContext('POST', query, parameters, body));
			expect(result.workflowData).toBeUndefined();
		}
	});
});

describe('the question', () => {
	function executeContext(parameters: IDataObject, signed: boolean) {
		const waits: Date[] = [];
		const ctx = {
			getNodeParameter: (name: string, _index: number, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getNode: () => ({ name: 'Outlook' }),
			evaluateExpression: (expression: string) => (expression.includes('resumeUrl') ? 'http://n8n.example/webhook-waiting/42' : 'node-1'),
			putExecutionToWait: async (date: Date) => void waits.push(date),
			...(signed ? { getSignedResumeUrl: (p: Record<string, string>) => `http://n8n.example/webhook-waiting/42/node-1?answer=${p.answer}&signature=abc` } : {}),
		};
		return { ctx: ctx as never, waits };
	}

	it('builds one link per answer, signed where n8n signs, plain resume URL otherwise', () => {
		const signed = readApprovalRequest.call(executeContext(approval, true).ctx);
		expect(signed.buttons.map((b) => [b.label, b.url])).toEqual([
			['Approve', 'http://n8n.example/webhook-waiting/42/node-1?answer=approve&signature=abc'],
			['Decline', 'http://n8n.example/webhook-waiting/42/node-1?answer=decline&signature=abc'],
		]);
		const plain = readApprovalRequest.call(executeContext({ ...approval, approvalType: 'single' }, false).ctx);
		expect(plain.buttons.map((b) => b.url)).toEqual(['http://n8n.example/webhook-waiting/42/node-1?answer=approve']);
		const html = approvalMailHtml(signed);
		expect(html).toContain('href="http://n8n.example/webhook-waiting/42/node-1?answer=approve&amp;signature=abc"');
		expect(html).toContain('Pay &lt;b&gt;1,200 €&lt;/b&gt;?');
	});

	it('waits without a limit, or until the limit', async () => {
		const open = executeContext(approval, true);
		await waitForAnswer.call(open.ctx);
		expect(open.waits[0]).toEqual(WAIT_INDEFINITELY);
		const limited = executeContext({ ...approval, limitWaitTime: true, waitHours: 2 }, true);
		const before = Date.now();
		await waitForAnswer.call(limited.ctx);
		expect(Math.round((limited.waits[0].getTime() - before) / 60_000)).toBe(120);
	});

	it('refuses an empty subject and empty choices before sending', () => {
		expect(() => readApprovalRequest.call(executeContext({ ...approval, approvalSubject: ' ' }, true).ctx)).toThrow('"Subject" is empty');
		expect(() => readApprovalRequest.call(executeContext({ ...approval, responseType: 'choices', choices: ' , ' }, true).ctx)).toThrow('"Choices" is empty');
	});
});
