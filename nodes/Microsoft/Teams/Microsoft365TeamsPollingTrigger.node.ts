import type { INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getConnection } from '../shared/connection';
import { toNodeApiError } from '../shared/errors';
import { credentialTypeOf } from '../shared/node/authentication';
import { pollOutput } from '../shared/node/deltaTrigger';
import { readParameter } from '../shared/node/parameters';
import { teamsAuthentication, teamsCredentials } from './descriptions/authentication';
import { listSearch } from './methods/listSearch';
import { eventProperties, readScope } from './trigger/events';
import { pollTeams, sampleTeams, type PollingState } from './trigger/polling';

/** "All my chats" has no cheap feed to poll (Graph offers it to subscriptions only): one chat here. */
const pollingEventProperties: INodeProperties[] = eventProperties.map((property) =>
	property.name === 'chatScope' ? { ...property, options: property.options?.filter((option) => 'value' in option && option.value === 'chat') } : property,
);

/**
 * The same events as Microsoft 365 Teams Trigger, read on n8n's poll schedule instead of Graph calling back: for
 * instances without a public HTTPS URL. A separate node type because n8n runs a webhook trigger's start node through
 * its poll method in test executions when it has one.
 */
export class Microsoft365TeamsPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Teams Polling Trigger',
		name: 'microsoft365TeamsPollingTrigger',
		icon: { light: 'file:microsoft365Teams.svg', dark: 'file:microsoft365Teams.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: 'Starts a workflow for each new Teams message, reply, chat, channel or team member, checked on a schedule — each once, none lost between polls; no public URL needed',
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-teams-trigger',
		defaults: { name: 'Teams Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: teamsCredentials,
		properties: [teamsAuthentication, ...pollingEventProperties],
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (readParameter(this, 'event', 0, '') === 'chatMessage' && readParameter(this, 'chatScope', 0, 'chat') !== 'chat') {
			throw new NodeOperationError(this.getNode(), '"Watch" All My Chats needs Microsoft 365 Teams Trigger (webhook)', { description: 'Choose one chat, or use the webhook trigger.' });
		}
		const conn = await getConnection(this, credentialTypeOf(this));
		const scope = readScope(this, conn);
		const staticData = this.getWorkflowStaticData('node');
		try {
			// "Fetch Test Event" shows recent items without touching the stored state.
			if (this.getMode() === 'manual') return pollOutput(await sampleTeams(this, conn, scope));
			const { changes, state } = await pollTeams(this, conn, scope, staticData.teams as PollingState | undefined);
			staticData.teams = state;
			return pollOutput(changes);
		} catch (error) {
			throw toNodeApiError(this.getNode(), error, { operation: `watch Teams (${scope.event})` });
		}
	}
}
