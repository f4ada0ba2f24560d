/**
 * Fixture of the Dynamics node's Finance & Operations and Business Central tests: a sandbox and a harness with four
 * sign-ins — app-only (client credentials, a real sign-in at the sandbox's Entra) and delegated (Alice's token held by a
 * tenant OAuth2 credential) for the F&O environment and for Business Central (the custom cloud's Business Central API URL).
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { createHarness, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export const ALICE = SEED.users.alice;
export const CONTOSO = SEED.tenants.contoso.id;

export type SignIn = 'foApp' | 'foDelegated' | 'bcApp' | 'bcDelegated';
const TYPE: Record<SignIn, { authentication: string; type: string; api: string }> = {
	foApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi', api: 'financeOperations' },
	foDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api', api: 'financeOperations' },
	bcApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi', api: 'businessCentral' },
	bcDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api', api: 'businessCentral' },
};

export interface FoBcFixture {
	sandbox: Sandbox;
	harness: Harness;
	run(signIn: SignIn, parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	fail(signIn: SignIn, parameters: INodeParameters, options?: { input?: INodeExecutionData[] }): Promise<Error & { description?: string; httpCode?: string }>;
	/** API calls on a host since the last clearRequests(), as `METHOD path`. */
	calls(host: 'financeOperations' | 'businessCentral'): string[];
	requests(): RequestLogEntry[];
	clearRequests(): void;
}

export function locator(value: string, mode = 'id'): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}

export function useFoBcFixture(): () => FoBcFixture {
	let fixture: FoBcFixture | undefined;
	let stop: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		const sandbox = await startSandbox({ port: 0 });
		const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
		const app = SEED.apps.singleTenant;
		const appOnly = { ...cloud, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret };
		const delegated = { ...cloud, clientId: SEED.apps.multiTenant.clientId, clientSecret: SEED.apps.multiTenant.secret };
		const token = (audience: string, scopes: string[]) => ({
			access_token: sandbox.issueToken({ appId: SEED.apps.multiTenant.clientId, userId: ALICE.id, scopes, audience }),
			refresh_token: 'unused-refresh-token',
			token_type: 'Bearer',
		});
		const harness = createHarness({});
		const helper = harness.credentialsHelper;
		await helper.save('foApp', 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'financeOperations', environmentUrl: sandbox.financeOperationsUrl });
		await helper.save('foDelegated', 'microsoft365TenantOAuth2Api', {
			...delegated,
			resource: 'financeOperations',
			environmentUrl: sandbox.financeOperationsUrl,
			scopeStyle: 'userImpersonation',
			oauthTokenData: token(sandbox.financeOperationsUrl, ['user_impersonation']),
		});
		await helper.save('bcApp', 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'businessCentral', businessCentralUrl: sandbox.businessCentralUrl });
		await helper.save('bcDelegated', 'microsoft365TenantOAuth2Api', {
			...delegated,
			resource: 'businessCentral',
			businessCentralUrl: sandbox.businessCentralUrl,
			scopeStyle: 'default',
			oauthTokenData: token(sandbox.businessCentral.audience, ['Financials.ReadWrite.All']),
		});
		const node = new Microsoft365Dynamics();
		const run: FoBcFixture['run'] = async (signIn, parameters, options = {}) => {
			const sign = TYPE[signIn];
			const out = await harness.execute(node, {
				parameters: { authentication: sign.authentication, api: sign.api, ...parameters },
				credentialsFor: { [sign.type]: signIn },
				input: options.input,
				continueOnFail: options.continueOnFail,
			});
			return out[0] ?? [];
		};
		fixture = {
			sandbox,
			harness,
			run,
			async fail(signIn, parameters, options = {}) {
				const error = await run(signIn, parameters, options).then(
					(items) => new Error(`expected a failure, got ${JSON.stringify(items).slice(0, 500)}`),
					(caught: unknown) => caught as Error,
				);
				if (/^expected a failure/.test(error.message)) throw error;
				return error as Error & { description?: string; httpCode?: string };
			},
			calls(host) {
				return sandbox.state.requests.filter((entry) => entry.host === host).map((entry) => `${entry.method} ${entry.path}`);
			},
			requests: () => sandbox.state.requests,
			clearRequests() {
				sandbox.state.requests.length = 0;
			},
		};
		stop = async () => {
			await harness.cleanup();
			await sandbox.stop();
		};
	});
	afterAll(async () => {
		await stop?.();
	});
	beforeEach(() => {
		fixture?.clearRequests();
	});
	return () => fixture!;
}
