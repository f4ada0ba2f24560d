/**
 * The one fixture of the Outlook node's integration tests: a sandbox, a harness holding a delegated (Alice) and an
 * app-only credential on the sandbox's custom cloud, a plain Graph client for arranging mail behind the node's back,
 * and helpers to run the node.
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365Outlook } from '../../../nodes/Microsoft/Outlook/Microsoft365Outlook.node';
import { createHarness, type BinaryMode, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export { SEED };
export const ALICE = SEED.users.alice;
export const BOB = SEED.users.bob;
export const CONTOSO = SEED.tenants.contoso.id;

/** Scopes of Alice's delegated token: her own and shared mail, calendars, contacts, the user picker. */
export const DELEGATED_SCOPES = [
	'Mail.ReadWrite', 'Mail.Send', 'Mail.ReadWrite.Shared', 'Mail.Send.Shared', 'Calendars.ReadWrite', 'Calendars.ReadWrite.Shared',
	'Contacts.ReadWrite', 'User.Read', 'User.Read.All',
];

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The sandbox with its Outlook helper API (test/sandbox/graph/outlook*.js) left untyped for brevity in tests. */
export interface OutlookSandbox extends Sandbox {
	outlook: any;
}

export interface OutlookFixtureOptions {
	binaryMode?: BinaryMode;
	/** Sign-in `run()` uses: delegated on "My Mailbox" (default), or app-only on Alice's mailbox by address. */
	authentication?: 'oAuth2' | 'clientCredentials';
}

export interface OutlookFixture {
	sandbox: OutlookSandbox;
	harness: Harness;
	node: Microsoft365Outlook;
	aliceToken: string;
	/** Runs the Outlook node once (mailbox and sign-in of `options.authentication` unless given) → its output items. */
	run(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	requests(): RequestLogEntry[];
	clearRequests(): void;
	/** A plain Graph call as Alice (JSON in and out). */
	graph<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
	stop(): Promise<void>;
}

export async function startOutlookFixture(options: OutlookFixtureOptions = {}): Promise<OutlookFixture> {
	const { binaryMode = 'default', authentication = 'oAuth2' } = options;
	const sandbox = (await startSandbox({ port: 0 })) as OutlookSandbox;
	const delegatedApp = SEED.apps.multiTenant;
	const appOnlyApp = SEED.apps.singleTenant;
	const aliceToken = sandbox.issueToken({ tenant: CONTOSO, appId: delegatedApp.clientId, userId: ALICE.id, scopes: DELEGATED_SCOPES, lifetimeSeconds: 3600 });
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const harness = createHarness({
		binaryMode,
		credentials: {
			microsoft365ClientCredentialsApi: { ...cloud, clientId: appOnlyApp.clientId, authMethod: 'secret', clientSecret: appOnlyApp.secret, resource: 'graph' },
			microsoft365OAuth2Api: {
				...cloud,
				clientId: delegatedApp.clientId,
				clientSecret: delegatedApp.secret,
				oauthTokenData: { access_token: aliceToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
		},
	});
	const node = new Microsoft365Outlook();
	const graph = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
		const response = await fetch(`${sandbox.graphUrl}/v1.0${path}`, {
			method,
			headers: { Authorization: `Bearer ${aliceToken}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
			body: body === undefined ? undefined : JSON.stringify(body),
			redirect: 'manual',
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON (e.g. a MIME source)
		}
		return { status: response.status, body: parsed as any };
	};
	return {
		sandbox,
		harness,
		node,
		aliceToken,
		graph,
		async run(parameters, runOptions = {}) {
			const out = await harness.execute(node, {
				parameters:
					authentication === 'oAuth2'
						? { authentication, mailbox: 'me', ...parameters }
						: { authentication, mailbox: 'user', mailboxUser: rl('id', ALICE.userPrincipalName), ...parameters },
				input: runOptions.input,
				continueOnFail: runOptions.continueOnFail,
			});
			return out[0] ?? [];
		},
		requests() {
			return sandbox.state.requests;
		},
		clearRequests() {
			sandbox.state.requests.length = 0;
		},
		async stop() {
			await harness.cleanup();
			await sandbox.stop();
		},
	};
}

/** A resource-locator value (mode: 'list' | 'url' | 'id'). */
export function rl(mode: string, value: string): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}
