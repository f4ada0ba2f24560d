import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { approvalWebhook, approvalWebhooks } from '../shared/node/approval';
import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as channel from './actions/channel';
import * as channelMessage from './actions/channelMessage';
import * as chat from './actions/chat';
import * as chatMessage from './actions/chatMessage';
import * as meeting from './actions/meeting';
import * as member from './actions/member';
import * as task from './actions/task';
import type { TeamsRun } from './actions/common';
import * as team from './actions/team';
import { teamsAuthentication, teamsCredentials } from './descriptions/authentication';
import { listSearch } from './methods/listSearch';

const ROUTES: RouterSpec<TeamsRun> = {
	resources: { team, channel, channelMessage, chat, chatMessage, member, task, meeting },
	prepare(_itemIndex, conn) {
		return { conn };
	},
};

export class Microsoft365Teams implements INodeType {
	description: INodeTypeDescription = {
		// Told apart from n8n's built-in "Microsoft Teams" in the node panel.
		displayName: 'Microsoft 365 Teams',
		name: 'microsoft365Teams',
		icon: { light: 'file:microsoft365Teams.svg', dark: 'file:microsoft365Teams.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Teams, channels, chats and messages (text, HTML, mentions, Adaptive Cards), Planner tasks and meetings',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-teams',
		defaults: { name: 'Teams' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		// sendAndWait: the waiting URL that records an answer (GET shows a page, POST records).
		webhooks: approvalWebhooks,
		credentials: teamsCredentials,
		properties: [
			teamsAuthentication,
			resourceProperty(
				[
					{ name: 'Channel', value: 'channel' },
					{ name: 'Channel Message', value: 'channelMessage' },
					{ name: 'Chat', value: 'chat' },
					{ name: 'Chat Message', value: 'chatMessage' },
					{ name: 'Meeting', value: 'meeting' },
					{ name: 'Member', value: 'member' },
					{ name: 'Task (Planner)', value: 'task' },
					{ name: 'Team', value: 'team' },
				],
				'channelMessage',
			),
			operationDropdown('team', team, 'getAll'),
			operationDropdown('channel', channel, 'getAll'),
			operationDropdown('channelMessage', channelMessage, 'send'),
			operationDropdown('chat', chat, 'getAll'),
			operationDropdown('chatMessage', chatMessage, 'send'),
			operationDropdown('member', member, 'getAll'),
			operationDropdown('task', task, 'create'),
			operationDropdown('meeting', meeting, 'create'),
			...operationFields(team),
			...operationFields(channel),
			...operationFields(channelMessage),
			...operationFields(chat),
			...operationFields(chatMessage),
			...operationFields(member),
			...operationFields(task),
			...operationFields(meeting),
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
