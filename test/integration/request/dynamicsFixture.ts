/**
 * Sign-ins of the Request node's Finance & Operations and Business Central tests, on top of the Request fixture's
 * sandbox: app-only (client credentials, a real sign-in at the sandbox's Entra) and delegated (Alice's token held by a
 * tenant OAuth2 credential) for the sandbox's F&O environment and its Business Central (the custom cloud's Business
 * Central API URL).
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { failureOf, saveDynamicsSignIns, type NodeFailure } from '../../harness';
import { useRequestFixture, type RequestFixture } from './fixture';

export type DynamicsApi = 'financeOperationsApp' | 'financeOperationsDelegated' | 'businessCentralApp' | 'businessCentralDelegated';

const SIGN_IN: Record<DynamicsApi, { authentication: string; type: string }> = {
	financeOperationsApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi' },
	financeOperationsDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api' },
	businessCentralApp: { authentication: 'clientCredentials', type: 'microsoft365ClientCredentialsApi' },
	businessCentralDelegated: { authentication: 'tenantOAuth2', type: 'microsoft365TenantOAuth2Api' },
};

export interface DynamicsFixture extends RequestFixture {
	runAs(api: DynamicsApi, parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	failAs(api: DynamicsApi, parameters: INodeParameters, options?: { input?: INodeExecutionData[] }): Promise<NodeFailure>;
}

/** The Request fixture plus the four Dynamics sign-ins (started before the file's tests, stopped after them). */
export function useDynamicsFixture(): () => DynamicsFixture {
	const base = useRequestFixture();
	let fixture: DynamicsFixture | undefined;
	beforeAll(async () => {
		const f = base();
		await saveDynamicsSignIns(f.harness, f.sandbox, {
			financeOperationsApp: 'financeOperationsApp',
			financeOperationsDelegated: 'financeOperationsDelegated',
			businessCentralApp: 'businessCentralApp',
			businessCentralDelegated: 'businessCentralDelegated',
		});
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
			failAs: (api: DynamicsApi, parameters: INodeParameters, options: { input?: INodeExecutionData[] } = {}) => failureOf(runAs(api, parameters, options)),
		});
	});
	return () => fixture!;
}

/** The sandbox's API calls on a host (token requests left out), as `METHOD path` lines, `(batch)` for `$batch` parts. */
export function callsOn(f: RequestFixture, host: 'financeOperations' | 'businessCentral'): string[] {
	return f.requests().filter((entry) => entry.host === host).map((entry) => `${entry.method} ${entry.path}${entry.viaBatch ? ' (batch)' : ''}`);
}
