/**
 * The four Finance & Operations / Business Central sign-ins of the integration tests, saved in a harness's credential
 * store: app-only (client credentials, a real sign-in at the sandbox's Entra) and delegated (Alice's token held by a
 * tenant OAuth2 credential) for the sandbox's F&O environment and its Business Central (the custom cloud's Business
 * Central API URL). Callers name the four credentials.
 */
import { SEED, type Sandbox } from '../sandbox';
import type { Harness } from './harness';

export interface DynamicsSignInNames {
	financeOperationsApp: string;
	financeOperationsDelegated: string;
	businessCentralApp: string;
	businessCentralDelegated: string;
}

export async function saveDynamicsSignIns(harness: Harness, sandbox: Sandbox, names: DynamicsSignInNames): Promise<void> {
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: SEED.tenants.contoso.id };
	const app = SEED.apps.singleTenant;
	const appOnly = { ...cloud, clientId: app.clientId, authMethod: 'secret', clientSecret: app.secret };
	const delegated = { ...cloud, clientId: SEED.apps.multiTenant.clientId, clientSecret: SEED.apps.multiTenant.secret };
	const token = (audience: string, scopes: string[]) => ({
		access_token: sandbox.issueToken({ appId: SEED.apps.multiTenant.clientId, userId: SEED.users.alice.id, scopes, audience }),
		refresh_token: 'unused-refresh-token',
		token_type: 'Bearer',
	});
	const helper = harness.credentialsHelper;
	await helper.save(names.financeOperationsApp, 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'financeOperations', environmentUrl: sandbox.financeOperationsUrl });
	await helper.save(names.financeOperationsDelegated, 'microsoft365TenantOAuth2Api', {
		...delegated,
		resource: 'financeOperations',
		environmentUrl: sandbox.financeOperationsUrl,
		scopeStyle: 'userImpersonation',
		oauthTokenData: token(sandbox.financeOperationsUrl, ['user_impersonation']),
	});
	await helper.save(names.businessCentralApp, 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'businessCentral', businessCentralUrl: sandbox.businessCentralUrl });
	await helper.save(names.businessCentralDelegated, 'microsoft365TenantOAuth2Api', {
		...delegated,
		resource: 'businessCentral',
		businessCentralUrl: sandbox.businessCentralUrl,
		scopeStyle: 'default',
		oauthTokenData: token(sandbox.businessCentral.audience, ['Financials.ReadWrite.All']),
	});
}
