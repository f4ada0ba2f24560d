import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as channel from './actions/channel';
import type { TeamsRun } from './actions/common';
import * as team from './actions/team';
import { teamsAuthentication, teamsCredentials } from './descriptions/authentication';
import { listSearch } from './methods/listSearch';

const ROUTES: RouterSpec<TeamsRun> = {
	resources: { team, channel },
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
		credentials: teamsCredentials,
		properties: [
			teamsAuthentication,
			resourceProperty(
				[
					{ name: 'Channel', value: 'channel' },
					{ name: 'Team', value: 'team' },
				],
				'channel',
			),
			operationDropdown('team', team, 'getAll'),
			operationDropdown('channel', channel, 'getAll'),
			...operationFields(team),
			...operationFields(channel),
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, ROUTES);
	}
}
