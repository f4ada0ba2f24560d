/**
 * The one fixture of the Teams node's integration tests: a sandbox, a harness holding a delegated (Alice) and an
 * app-only credential on the sandbox's custom cloud, and helpers to run the node.
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365Teams } from '../../../nodes/Microsoft/Teams/Microsoft365Teams.node';
import { createHarness, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export { SEED };
export const ALICE = SEED.users.alice;
export const BOB = SEED.users.bob;
export const CONTOSO = SEED.tenants.contoso.id;
/* eslint-disable @typescript-eslint/no-explicit-any */
export const SALES = (SEED as any).teams.sales;
export const PLAN = (SEED as any).planner.salesPlan;
export const CHATS = (SEED as any).chats;

/** Scopes of Alice's delegated token: what the node's operations need. */
export const DELEGATED_SCOPES = [
	'User.Read', 'User.Read.All', 'Team.ReadBasic.All', 'Team.Create', 'TeamSettings.ReadWrite.All', 'Channel.ReadBasic.All', 'Channel.Create',
	'ChannelSettings.ReadWrite.All', 'Channel.Delete.All', 'ChannelMessage.Send', 'ChannelMessage.Read.All', 'ChannelMessage.ReadWrite',
	'Chat.ReadWrite', 'Chat.Create', 'TeamMember.ReadWrite.All', 'ChannelMember.ReadWrite.All', 'Tasks.ReadWrite', 'Group.ReadWrite.All',
	'OnlineMeetings.ReadWrite',
];

export interface TeamsFixture {
	sandbox: Sandbox & { teams: any };
	harness: Harness;
	node: Microsoft365Teams;
	run(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	requests(): RequestLogEntry[];
	clearRequests(): void;
	stop(): Promise<void>;
}

export async function startTeamsFixture(authentication: 'oAuth2' | 'clientCredentials' = 'oAuth2'): Promise<TeamsFixture> {
	const sandbox = (await startSandbox({ port: 0 })) as Sandbox & { teams: any };
	const delegatedApp = SEED.apps.multiTenant;
	const appOnlyApp = SEED.apps.singleTenant;
	const aliceToken = sandbox.issueToken({ tenant: CONTOSO, appId: delegatedApp.clientId, userId: ALICE.id, scopes: DELEGATED_SCOPES, lifetimeSeconds: 3600 });
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const harness = createHarness({
		credentials: {
			microsoft365ClientCredentialsApi: { ...cloud, clientId: appOnlyApp.clientId, authMethod: 'secret', clientSecret: appOnlyApp.secret, resource: 'graph' },
			microsoft365OAuth2Api: { ...cloud, clientId: delegatedApp.clientId, clientSecret: delegatedApp.secret, oauthTokenData: { access_token: aliceToken, refresh_token: 'unused', token_type: 'Bearer' } },
		},
	});
	const node = new Microsoft365Teams();
	return {
		sandbox,
		harness,
		node,
		async run(parameters, options = {}) {
			const out = await harness.execute(node, { parameters: { authentication, ...parameters }, input: options.input, continueOnFail: options.continueOnFail });
			return out[0] ?? [];
		},
		requests: () => sandbox.state.requests,
		clearRequests: () => void (sandbox.state.requests.length = 0),
		async stop() {
			await harness.cleanup();
			await sandbox.stop();
		},
	};
}

export function rl(mode: string, value: string): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}
