import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { approvalWebhook, approvalWebhooks } from '../shared/node/approval';
import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as attachment from './actions/attachment';
import * as calendar from './actions/calendar';
import * as contact from './actions/contact';
import * as draft from './actions/draft';
import * as event from './actions/event';
import * as folder from './actions/folder';
import * as message from './actions/message';
import type { OutlookRun } from './actions/common';
import { outlookAuthentication, outlookCredentials } from './descriptions/authentication';
import { mailboxProperties } from './descriptions/mailbox';
import { resolveMailbox } from './helpers/mailbox';
import { listSearch } from './methods/listSearch';

const ROUTES: RouterSpec<OutlookRun> = {
	resources: { message, folder, draft, attachment, calendar, event, contact },
	prepare(itemIndex, conn) {
		return { conn, mailbox: resolveMailbox(this, itemIndex) };
	},
};

export class Microsoft365Outlook implements INodeType {
	description: INodeTypeDescription = {
		// Told apart from n8n's built-in "Microsoft Outlook" in the node panel.
		displayName: 'Microsoft 365 Outlook Mail & Calendar',
		name: 'microsoft365Outlook',
		icon: { light: 'file:microsoft365Outlook.svg', dark: 'file:microsoft365Outlook.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send mail with attachments of any size, read and organise mail, calendars, events and contacts in your own, other or shared mailboxes',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-outlook-mail--calendar',
		defaults: { name: 'Outlook' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		// sendAndWait: the waiting URL that records an answer (GET shows a page, POST records).
		webhooks: approvalWebhooks,
		credentials: outlookCredentials,
		properties: [
			outlookAuthentication,
			resourceProperty(
				[
					{ name: 'Attachment', value: 'attachment' },
					{ name: 'Calendar', value: 'calendar' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Draft', value: 'draft' },
					{ name: 'Event', value: 'event' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Message', value: 'message' },
				],
				'message',
			),
			operationDropdown('message', message, 'send'),
			operationDropdown('folder', folder, 'getAll'),
			operationDropdown('draft', draft, 'create'),
			operationDropdown('attachment', attachment, 'add'),
			operationDropdown('calendar', calendar, 'getAll'),
			operationDropdown('event', event, 'create'),
			operationDropdown('contact', contact, 'getAll'),
			...mailboxProperties,
			...operationFields(message),
			...operationFields(folder),
			...operationFields(draft),
			...operationFields(attachment),
			...operationFields(calendar),
			...operationFields(event),
			...operationFields(contact),
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, ROUTES);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await approvalWebhook.call(this);
	}
}
