/**
 * Sign-ins of the Request node's Finance & Operations and Business Central tests, on top of the Request fixture's
 * sandbox: app-only (client credentials, a real sign-in at the sandbox's Entra) and delegated (Alice's token held by a
 * tenant OAuth2 credential) for the sandbox's F&O environment and its Business Central (the custom cloud's Business
 * Central API URL).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { ALICE, CONTOSO, SEED, useRequestFixture, type RequestFixture } from './fixture';

export type DynamicsApi = 'financeOperationsApp' | 'financeOperationsDelegated' | 'businessCentralApp' | 'businessCentralDelegated';

const SIGN_IN: Record<DynamicsApi, { authentication: string; type: string }> = {
	financeOperationsApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi' },
	financeOperationsDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api' },
	businessCentralApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi' },
	businessCentralDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api' },
};

export interface DynamicsFixture extends RequestFixture {
	runAs(api: DynamicsApi, parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	failAs(api: DynamicsApi, parameters: INodeParameters, options?: { input?: INodeExecutionData[] }): Promise<Error & { description?: string; httpCode?: string }>;
}

async function saveCredentials(f: RequestFixture): Promise<void> {
	const { sandbox } = f;
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const app = SEED.apps.singleTenant;
	const appOnly = { ...cloud, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret };
	const delegated = { ...cloud, clientId: SEED.apps.multiTenant.clientId, clientSecret: SEED.apps.multiTenant.secret };
	const token = (audience: string, scopes: string[]) => ({
		access_token: sandbox.issueToken({ appId: SEED.apps.multiTenant.clientId, userId: ALICE.id, scopes, audience }),
		refresh_token: 'unused-refresh-token',
		token_type: 'Bearer',
	});
	const helper = f.harness.credentialsHelper;
	await helper.save('financeOperationsApp', 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'financeOperations', environmentUrl: sandbox.financeOperationsUrl });
	await helper.save('financeOperationsDelegated', 'microsoft365TenantOAuth2Api', {
		...delegated,
		resource: 'financeOperations',
		environmentUrl: sandbox.financeOperationsUrl,
		scopeStyle: 'userImpersonation',
		oauthTokenData: token(sandbox.financeOperationsUrl, ['user_impersonation']),
	});
	await helper.save('businessCentralApp', 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'businessCentral', businessCentralUrl: sandbox.businessCentralUrl });
	await helper.save('businessCentralDelegated', 'microsoft365TenantOAuth2Api', {
		...delegated,
		resource: 'businessCentral',
		businessCentralUrl: sandbox.businessCentralUrl,
		scopeStyle: 'default',
		oauthTokenData: token(sandbox.businessCentral.audience, ['Financials.ReadWrite.All']),
	});
}

/** The Request fixture plus the four Dynamics sign-ins (started before the file's tests, stopped after them). */
export function useDynamicsFixture(): () => DynamicsFixture {
	const base = useRequestFixture();
	let fixture: DynamicsFixture | undefined;
	beforeAll(async () => {
		const f = base();
		await saveCredentials(f);
		const runAs: DynamicsFixture['runAs'] = async (api, parameters, options = {}) => {
			const out = await f.harness.execute(f.node, {
				parameters: { authentication: SIGN_IN[api].authentication, resource: 'request', ...parameters },
				credentialsFor: { [SIGN_IN[api].type]: api },
				input: options.input,
				continueOnFail: options.continueOnFail,
			});
			return out[0] ?? [];
		};
		fixture = Object.assign(Object.create(f) as RequestFixture, f, {
			runAs,
			async failAs(api: DynamicsApi, parameters: INodeParameters, options: { input?: INodeExecutionData[] } = {}) {
				const error = await runAs(api, parameters, options).then(
					(items) => new Error(`expected a failure, got ${JSON.stringify(items).slice(0, 500)}`),
					(caught: unknown) => caught as Error,
				);
				if (/^expected a failure/.test(error.message)) throw error;
				return error as Error & { description?: string; httpCode?: string };
			},
		});
	});
	return () => fixture!;
}

/** The sandbox's API calls on a host (token requests left out), as `METHOD path` lines, `(batch)` for `$batch` parts. */
export function callsOn(f: RequestFixture, host: 'financeOperations' | 'businessCentral'): string[] {
	return f.requests().filter((entry) => entry.host === host).map((entry) => `${entry.method} ${entry.path}${entry.viaBatch ? ' (batch)' : ''}`);
}
