import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { getConnection } from '../shared/connection';
import { toNodeApiError } from '../shared/errors';
import { credentialTypeOf } from '../shared/node/authentication';
import { outlookAuthentication, outlookCredentials } from './descriptions/authentication';
import { mailboxProperties } from './descriptions/mailbox';
import { resolveMailbox } from './helpers/mailbox';
import { loadOptions } from './methods/loadOptions';
import { listSearch } from './methods/listSearch';
import { sampleMessages } from './trigger/sample';
import { pollNewMessages, type MessageTriggerSettings } from './trigger/newMessages';

export class Microsoft365OutlookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Outlook Mail Trigger',
		name: 'microsoft365OutlookTrigger',
		icon: { light: 'file:microsoft365Outlook.svg', dark: 'file:microsoft365Outlook.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New message',
		description: 'Starts a workflow for every new message in chosen folders — each message once, none lost between polls',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-outlook-mail-trigger',
		defaults: { name: 'Outlook Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: outlookCredentials,
		properties: [
			outlookAuthentication,
			...mailboxProperties,
			{
				displayName: 'Folder Names or IDs',
				name: 'folders',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFolders', loadOptionsDependsOn: ['mailbox', 'mailboxUser.value'] },
				default: ['inbox'],
				description: 'Folders to watch (well-known ones such as Inbox work in every mailbox). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Include Subfolders',
				name: 'includeSubfolders',
				type: 'boolean',
				default: false,
				description: 'Whether messages arriving in folders below the chosen ones trigger too (up to 50 folders in all, as they are at activation)',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				options: [
					{ displayName: 'Categories', name: 'categories', type: 'string', default: '', description: 'Only messages with all of these categories, separated by commas' },
					{ displayName: 'From', name: 'from', type: 'string', default: '', placeholder: 'e.g. alice@contoso.com', description: 'Only messages from this address' },
					{ displayName: 'Has Attachments', name: 'hasAttachments', type: 'boolean', default: true, description: 'Whether only messages with attachments trigger' },
					{ displayName: 'Subject Contains', name: 'subjectContains', type: 'string', default: '', description: 'Only messages whose subject contains this text' },
					{ displayName: 'Unread Only', name: 'unreadOnly', type: 'boolean', default: true, description: 'Whether only messages still unread when the trigger sees them count' },
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{ displayName: 'Download Attachments', name: 'downloadAttachments', type: 'boolean', default: false, description: 'Whether file attachments are added as binary data (attachment_0, attachment_1, ...)' },
					{ displayName: 'Raw Output', name: 'raw', type: 'boolean', default: false, description: 'Whether to return the message as Graph returns it instead of the simplified form' },
				],
			},
		],
	};

	methods = { listSearch, loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const filters = this.getNodeParameter('filters', {}) as IDataObject;
			const options = this.getNodeParameter('options', {}) as IDataObject;
			const folders = (this.getNodeParameter('folders', ['inbox']) as string[]).map(String).filter(Boolean);
			const settings: MessageTriggerSettings = {
				mailboxPath: resolveMailbox(this).path,
				folders: folders.length ? folders : ['inbox'],
				includeSubfolders: this.getNodeParameter('includeSubfolders', false) as boolean,
				filters,
				downloadAttachments: options.downloadAttachments === true,
				raw: options.raw === true,
			};
			const conn = await getConnection(this, credentialTypeOf(this));
			if (this.getMode() === 'manual') return await sampleMessages(this, conn, settings);
			return await pollNewMessages(this, conn, settings);
		} catch (error) {
			throw toNodeApiError(this.getNode(), error, { operation: 'watch for new messages' });
		}
	}
}
