import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { getConnection } from '../shared/connection';
import { toNodeApiError } from '../shared/errors';
import { credentialTypeOf } from '../shared/node/authentication';
import { teamsAuthentication, teamsCredentials } from './descriptions/authentication';
import { listSearch } from './methods/listSearch';
import { eventProperties, readScope } from './trigger/events';
import { receiveNotifications } from './trigger/notifications';
import { createSubscription, deleteSubscription, subscriptionExists } from './trigger/subscription';

/**
 * Graph change notifications (webhooks). n8n runs a webhook trigger's start node through its trigger or poll
 * method in test executions when it has one, so renewal cannot be a timer here: Graph's own lifecycle
 * notifications drive it (see trigger/notifications.ts), and activation or a restart re-checks the subscription.
 * Instances without a public URL use Microsoft 365 Teams Polling Trigger.
 */
export class Microsoft365TeamsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Teams Trigger',
		name: 'microsoft365TeamsTrigger',
		icon: { light: 'file:microsoft365Teams.svg', dark: 'file:microsoft365Teams.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description: 'Starts a workflow the moment a Teams message, reply, chat, channel or team member is new (Graph change notifications, renewed for as long as the workflow is active)',
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-teams-trigger',
		defaults: { name: 'Teams Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: teamsCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: "Microsoft calls this workflow's webhook URL, so n8n must be reachable over public HTTPS (set WEBHOOK_URL). Without that, use Microsoft 365 Teams Polling Trigger.",
				name: 'webhookNotice',
				type: 'notice',
				default: '',
			},
			teamsAuthentication,
			...eventProperties,
		],
	};

	methods = { listSearch };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				try {
					const conn = await getConnection(this, credentialTypeOf(this));
					return await subscriptionExists(this, conn, readScope(this, conn));
				} catch (error) {
					throw toNodeApiError(this.getNode(), error, { operation: 'check the Teams subscription' });
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				try {
					const conn = await getConnection(this, credentialTypeOf(this));
					await createSubscription(this, conn, readScope(this, conn));
					return true;
				} catch (error) {
					throw toNodeApiError(this.getNode(), error, { operation: 'subscribe to Teams changes' });
				}
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				try {
					const conn = await getConnection(this, credentialTypeOf(this));
					return await deleteSubscription(this, conn);
				} catch (error) {
					throw toNodeApiError(this.getNode(), error, { operation: 'delete the Teams subscription' });
				}
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		let conn: Awaited<ReturnType<typeof getConnection>> | undefined;
		const connection = async () => (conn ??= await getConnection(this, credentialTypeOf(this)));
		return await receiveNotifications(this, connection, () => readScope(this, conn!));
	}
}
