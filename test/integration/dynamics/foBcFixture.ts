/**
 * Fixture of the Dynamics node's Finance & Operations and Business Central tests: a sandbox and a harness with four
 * sign-ins — app-only (client credentials, a real sign-in at the sandbox's Entra) and delegated (Alice's token held by a
 * tenant OAuth2 credential) for the F&O environment and for Business Central (the custom cloud's Business Central API URL).
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { createHarness, failureOf, saveDynamicsSignIns, type Harness, type NodeFailure } from '../../harness';
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
	fail(signIn: SignIn, parameters: INodeParameters, options?: { input?: INodeExecutionData[] }): Promise<NodeFailure>;
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
		const harness = createHarness({});
		await saveDynamicsSignIns(harness, sandbox, {
			financeOperationsApp: 'foApp',
			financeOperationsDelegated: 'foDelegated',
			businessCentralApp: 'bcApp',
			businessCentralDelegated: 'bcDelegated',
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
			fail: (signIn, parameters, options = {}) => failureOf(run(signIn, parameters, options)),
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
