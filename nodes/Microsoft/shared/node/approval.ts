/**
 * Approvals that wait (`sendAndWait`), for any node that can deliver a message (Outlook mail, Teams cards).
 * The node sends links to n8n's resume URL of this execution and node; the execution waits (with an optional
 * time limit) until an answer is posted. Mail security scanners and link previews open every link they see, so
 * a GET never records anything: it shows a page whose button POSTs the answer. The POST resumes the execution
 * once; afterwards n8n no longer routes that URL to the node, so a later click cannot answer again.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties, IWebhookDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { assertWellFormedText } from '../input';
import { showFor } from './descriptions';

export type ApprovalResponseType = 'approval' | 'choices' | 'freeText';

/** The two waiting webhooks (GET shows a page, POST records); registered by every node with a sendAndWait operation. */
export const approvalWebhooks: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** Question, answer type and time limit of a sendAndWait operation. */
export function approvalProperties(resource: string, operation = 'sendAndWait'): INodeProperties[] {
	const show = showFor(resource, operation);
	const when = (extra: Record<string, unknown[]>) => showFor(resource, operation, extra);
	return [
		{ displayName: 'Subject', name: 'approvalSubject', type: 'string', required: true, default: '', placeholder: 'e.g. Approval required: invoice 2026-113', description: 'Title of the question', displayOptions: show },
		{ displayName: 'Message', name: 'approvalMessage', type: 'string', typeOptions: { rows: 4 }, required: true, default: '', description: 'What the person is asked (plain text)', displayOptions: show },
		{
			displayName: 'Response Type',
			name: 'responseType',
			type: 'options',
			options: [
				{ name: 'Approval', value: 'approval', description: 'Approve, or approve / decline' },
				{ name: 'Choices', value: 'choices', description: 'One of several answers you name' },
				{ name: 'Free Text', value: 'freeText', description: 'A written reply in a form' },
			],
			default: 'approval',
			description: 'How the person answers',
			displayOptions: show,
		},
		{
			displayName: 'Approval Type',
			name: 'approvalType',
			type: 'options',
			options: [
				{ name: 'Approve Only', value: 'single' },
				{ name: 'Approve and Decline', value: 'double' },
			],
			default: 'double',
			description: 'Whether a Decline button is offered too',
			displayOptions: when({ responseType: ['approval'] }),
		},
		{ displayName: 'Approve Label', name: 'approveLabel', type: 'string', default: 'Approve', description: 'Text of the approve button', displayOptions: when({ responseType: ['approval'] }) },
		{ displayName: 'Decline Label', name: 'declineLabel', type: 'string', default: 'Decline', description: 'Text of the decline button', displayOptions: when({ responseType: ['approval'], approvalType: ['double'] }) },
		{ displayName: 'Choices', name: 'choices', type: 'string', default: '', placeholder: 'e.g. Yes, No, Later', description: 'The answers, separated by commas (one button each)', displayOptions: when({ responseType: ['choices'] }) },
		{ displayName: 'Limit Wait Time', name: 'limitWaitTime', type: 'boolean', default: false, description: 'Whether the workflow goes on unanswered after a time (the output then has no answer)', displayOptions: show },
		{ displayName: 'Wait (Hours)', name: 'waitHours', type: 'number', typeOptions: { minValue: 0.01 }, default: 24, description: 'How long to wait for an answer', displayOptions: when({ limitWaitTime: [true] }) },
	];
}

export interface ApprovalButton {
	label: string;
	/** Opens the confirmation page (GET); its button POSTs the answer. */
	url: string;
}

export interface ApprovalRequest {
	subject: string;
	message: string;
	responseType: ApprovalResponseType;
	buttons: ApprovalButton[];
}

type SigningContext = IExecuteFunctions & {
	getSignedResumeUrl?: (parameters: Record<string, string>) => string;
	/** n8n 1.x: without this call its waiting webhook does not check the signature (2.x always checks sendAndWait). */
	setSignatureValidationRequired?: () => void;
};

/**
 * The waiting URL of this execution and node, signed by n8n where it signs (late 1.x and 2.x), with `parameters`
 * in the query. A signed link is only worth its signature if n8n checks it: 1.x does so only for executions
 * marked with setSignatureValidationRequired (as n8n's own sendAndWait nodes do), otherwise a Decline link with
 * `answer=approve` typed into it would be accepted.
 */
function resumeUrl(ctx: IExecuteFunctions, parameters: Record<string, string>): string {
	const { getSignedResumeUrl: signed, setSignatureValidationRequired: requireSignature } = ctx as SigningContext;
	if (typeof signed === 'function') {
		if (typeof requireSignature === 'function') requireSignature.call(ctx);
		return signed.call(ctx, parameters);
	}
	const base = `${String(ctx.evaluateExpression('{{ $execution.resumeUrl }}', 0))}/${String(ctx.evaluateExpression('{{ $nodeId }}', 0))}`;
	const url = new URL(base);
	for (const [key, value] of Object.entries(parameters)) url.searchParams.set(key, value);
	return url.toString();
}

/** Reads and checks the question (item 0, as n8n's own sendAndWait does) and builds its links. */
export function readApprovalRequest(this: IExecuteFunctions): ApprovalRequest {
	const get = (name: string, fallback: unknown = '') => this.getNodeParameter(name, 0, fallback);
	const subject = assertWellFormedText(String(get('approvalSubject')).trim(), 'Subject');
	const message = assertWellFormedText(String(get('approvalMessage')).trim(), 'Message');
	if (!subject) throw new NodeOperationError(this.getNode(), '"Subject" is empty', { description: 'Enter the title of the question.' });
	const responseType = String(get('responseType', 'approval')) as ApprovalResponseType;
	const answers: Array<{ label: string; value: string }> = [];
	if (responseType === 'approval') {
		answers.push({ label: String(get('approveLabel', 'Approve')) || 'Approve', value: 'approve' });
		if (get('approvalType', 'double') === 'double') answers.push({ label: String(get('declineLabel', 'Decline')) || 'Decline', value: 'decline' });
	} else if (responseType === 'choices') {
		const choices = String(get('choices')).split(',').map((choice) => choice.trim()).filter(Boolean);
		if (!choices.length) throw new NodeOperationError(this.getNode(), '"Choices" is empty', { description: 'Enter the answers, separated by commas.' });
		choices.forEach((choice, index) => answers.push({ label: assertWellFormedText(choice, 'Choices'), value: String(index) }));
	} else {
		answers.push({ label: 'Reply', value: 'reply' });
	}
	return { subject, message, responseType, buttons: answers.map(({ label, value }) => ({ label, url: resumeUrl(this, { answer: value }) })) };
}

/** Puts the execution to wait until answered or until the limit. */
export async function waitForAnswer(this: IExecuteFunctions): Promise<void> {
	const limited = this.getNodeParameter('limitWaitTime', 0, false) as boolean;
	const hours = Number(this.getNodeParameter('waitHours', 0, 24));
	await this.putExecutionToWait(limited ? new Date(Date.now() + hours * 3600_000) : WAIT_INDEFINITELY);
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const PAGE_STYLE =
	'body{font-family:Segoe UI,Helvetica,Arial,sans-serif;background:#f5f6f8;margin:0;padding:40px 16px;color:#222}' +
	'main{max-width:520px;margin:auto;background:#fff;border-radius:8px;padding:28px;box-shadow:0 1px 4px rgba(0,0,0,.1)}' +
	'button{background:#0f6cbd;color:#fff;border:0;border-radius:4px;padding:10px 22px;font-size:15px;cursor:pointer}' +
	'textarea{width:100%;min-height:120px;margin:12px 0;font:inherit}';

function page(title: string, body: string): string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** The answer a link stands for, from its query (`answer`), or undefined when it is not one of ours. */
function answerOf(this: IWebhookFunctions): string | undefined {
	const query = this.getRequestObject().query as IDataObject;
	return typeof query.answer === 'string' ? query.answer : undefined;
}

/** What the answer means, from the node's settings: { approved } / { choice } / { text }. */
function answerData(this: IWebhookFunctions, answer: string, body: IDataObject): IDataObject | undefined {
	const responseType = this.getNodeParameter('responseType', 'approval') as ApprovalResponseType;
	if (responseType === 'approval') return answer === 'approve' || answer === 'decline' ? { approved: answer === 'approve' } : undefined;
	if (responseType === 'choices') {
		const choices = String(this.getNodeParameter('choices', '')).split(',').map((choice) => choice.trim()).filter(Boolean);
		const choice = choices[Number(answer)];
		return choice !== undefined && /^\d+$/.test(answer) ? { choice } : undefined;
	}
	const text = typeof body.response === 'string' ? body.response : undefined;
	return text !== undefined ? { text } : undefined;
}

/**
 * The node's `webhook()` for its waiting URL: GET → a page asking to confirm (free text: a form); POST → the
 * answer resumes the execution with `{ data: { approved | choice | text, answeredAt } }`.
 */
export async function approvalWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const answer = answerOf.call(this);
	const subject = String(this.getNodeParameter('approvalSubject', ''));
	const responseType = this.getNodeParameter('responseType', 'approval') as ApprovalResponseType;
	if (answer === undefined) return { webhookResponse: page('Not an answer', '<p>This link does not carry an answer.</p>') };
	if (request.method !== 'POST') {
		// Scanners and previews stop here: nothing is recorded until the button is pressed.
		const label = responseType === 'freeText' ? 'Send reply' : responseType === 'choices' ? String(this.getNodeParameter('choices', '')).split(',').map((c) => c.trim())[Number(answer)] ?? answer : answer === 'approve' ? String(this.getNodeParameter('approveLabel', 'Approve')) : String(this.getNodeParameter('declineLabel', 'Decline'));
		const field = responseType === 'freeText' ? '<textarea name="response" required></textarea>' : '';
		const form = `<h2>${escapeHtml(subject)}</h2><p>${escapeHtml(String(this.getNodeParameter('approvalMessage', '')))}</p><form method="POST">${field}<button type="submit">${escapeHtml(label)}</button></form>`;
		return { webhookResponse: page(subject, form) };
	}
	const data = answerData.call(this, answer, (this.getBodyData() ?? {}) as IDataObject);
	if (!data) return { webhookResponse: page('Not an answer', '<p>This answer is not one of the choices offered.</p>') };
	return {
		webhookResponse: page('Answer recorded', '<h2>Thank you</h2><p>Your answer was recorded. You can close this page.</p>'),
		workflowData: [[{ json: { data: { ...data, answeredAt: new Date().toISOString() } } }]],
	};
}

/** An HTML mail body: the message and one button-styled link per answer. */
export function approvalMailHtml(request: ApprovalRequest): string {
	const buttons = request.buttons
		.map((button) => `<a href="${escapeHtml(button.url)}" style="display:inline-block;background:#0f6cbd;color:#ffffff;text-decoration:none;border-radius:4px;padding:10px 22px;margin:4px 8px 4px 0">${escapeHtml(button.label)}</a>`)
		.join('');
	const paragraphs = escapeHtml(request.message).replace(/\n/g, '<br>');
	return `<div style="font-family:Segoe UI,Helvetica,Arial,sans-serif"><h2>${escapeHtml(request.subject)}</h2><p>${paragraphs}</p><p>${buttons}</p><p style="color:#888;font-size:12px">Each button opens a page where you confirm your answer; only the first answer counts.</p></div>`;
}
