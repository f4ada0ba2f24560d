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
import { pollEventChanges, type EventChange } from './trigger/eventChanges';
import { pollNewMessages, type MessageTriggerSettings } from './trigger/newMessages';

export class Microsoft365OutlookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Outlook Mail Trigger',
		name: 'microsoft365OutlookTrigger',
		icon: { light: 'file:microsoft365Outlook.svg', dark: 'file:microsoft365Outlook.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["triggerOn"] === "eventChanged" ? "Calendar event changed" : "New message" }}',
		description: 'Starts a workflow for every new message in chosen folders, or every created, updated or cancelled calendar event — each once, none lost between polls',
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
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'options',
				options: [
					{ name: 'New Message', value: 'newMessage', description: 'A message arrives in one of the chosen folders' },
					{ name: 'Calendar Event Changed', value: 'eventChanged', description: 'An event of the default calendar is created, updated or cancelled' },
				],
				default: 'newMessage',
				description: 'What starts the workflow',
			},
			{
				displayName: 'Changes',
				name: 'eventChanges',
				type: 'multiOptions',
				options: [
					{ name: 'Cancelled or Deleted', value: 'cancelled' },
					{ name: 'Created', value: 'created' },
					{ name: 'Updated', value: 'updated' },
				],
				default: ['created', 'updated', 'cancelled'],
				description: 'Which changes to events trigger (events from 30 days before activation to a year after)',
				displayOptions: { show: { triggerOn: ['eventChanged'] } },
			},
			{
				displayName: 'Folder Names or IDs',
				name: 'folders',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFolders', loadOptionsDependsOn: ['mailbox', 'mailboxUser.value'] },
				default: ['inbox'],
				displayOptions: { show: { triggerOn: ['newMessage'] } },
				description: 'Folders to watch (well-known ones such as Inbox work in every mailbox). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Include Subfolders',
				name: 'includeSubfolders',
				type: 'boolean',
				default: false,
				description: 'Whether messages arriving in folders below the chosen ones trigger too (up to 50 folders in all, as they are at activation)',
				displayOptions: { show: { triggerOn: ['newMessage'] } },
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add filter',
				default: {},
				displayOptions: { show: { triggerOn: ['newMessage'] } },
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
			if (this.getNodeParameter('triggerOn', 'newMessage') === 'eventChanged') {
				const changes = this.getNodeParameter('eventChanges', ['created', 'updated', 'cancelled']) as EventChange[];
				return await pollEventChanges(this, conn, { mailboxPath: settings.mailboxPath, changes, raw: settings.raw });
			}
			if (this.getMode() === 'manual') return await sampleMessages(this, conn, settings);
			return await pollNewMessages(this, conn, settings);
		} catch (error) {
			throw toNodeApiError(this.getNode(), error, { operation: 'watch for new messages' });
		}
	}
}
