/**
 * The one fixture of the Dynamics node's integration tests: a sandbox (its Dataverse environment on dataverseUrl) and a
 * harness with two sign-ins to it: tenant OAuth2 as Alice (delegated) and client credentials (app-only).
 */
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { Microsoft365DynamicsTrigger } from '../../../nodes/Microsoft/Dynamics/Microsoft365DynamicsTrigger.node';

import { createHarness, failureOf, type NodeFailure, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export { SEED };
export const ALICE = SEED.users.alice;
export const CONTOSO = SEED.tenants.contoso.id;
export const API = '/api/data/v9.2';

export type SignIn = 'delegated' | 'app';

const SIGN_IN: Record<SignIn, { authentication: string; credentialsFor: Record<string, string> }> = {
	delegated: { authentication: 'tenantOAuth2', credentialsFor: { microsoft365TenantOAuth2Api: 'microsoft365TenantOAuth2Api' } },
	app: { authentication: 'clientCredentials', credentialsFor: { microsoft365ClientCredentialsApi: 'microsoft365ClientCredentialsApi' } },
};

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface DynamicsSandbox extends Sandbox {
	dataverse: any;
}

export interface DynamicsFixture {
	sandbox: DynamicsSandbox;
	harness: Harness;
	node: Microsoft365Dynamics;
	trigger: Microsoft365DynamicsTrigger;

	run(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean; signIn?: SignIn }): Promise<INodeExecutionData[]>;
	fail(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; signIn?: SignIn }): Promise<NodeFailure>;
	poll(parameters: INodeParameters, staticData: IDataObject, signIn?: SignIn, mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[][] | null>;
	/** API requests the sandbox saw (sign-in left out) since the last `clearRequests()`. */
	apiCalls(): RequestLogEntry[];
	requests(): RequestLogEntry[];
	clearRequests(): void;
	stop(): Promise<void>;
}

export async function startDynamicsFixture(): Promise<DynamicsFixture> {
	const sandbox = (await startSandbox({ port: 0 })) as DynamicsSandbox;
	const app = SEED.apps.multiTenant;
	const dataverseToken = sandbox.issueToken({ tenant: CONTOSO, appId: app.clientId, userId: ALICE.id, scopes: ['user_impersonation'], audience: sandbox.dataverseUrl });
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const harness = createHarness({
		credentials: {
			microsoft365TenantOAuth2Api: {
				...cloud,
				clientId: app.clientId,
				clientSecret: app.secret,
				resource: 'dataverse',
				environmentUrl: sandbox.dataverseUrl,
				scopeStyle: 'userImpersonation',
				oauthTokenData: { access_token: dataverseToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
			microsoft365ClientCredentialsApi: { ...cloud, clientId: SEED.apps.singleTenant.clientId, authMethod: 'secret', clientSecret: SEED.apps.singleTenant.secret, resource: 'dataverse', environmentUrl: sandbox.dataverseUrl },
		},
	});
	const node = new Microsoft365Dynamics();
	const trigger = new Microsoft365DynamicsTrigger();

	const run: DynamicsFixture['run'] = async (parameters, options = {}) => {
		const signIn = SIGN_IN[options.signIn ?? 'delegated'];
		const out = await harness.execute(node, {
			parameters: { authentication: signIn.authentication, api: 'dataverse', ...parameters },
			credentialsFor: signIn.credentialsFor,
			input: options.input,
			continueOnFail: options.continueOnFail,
		});
		return out[0] ?? [];
	};
	return {
		sandbox,
		harness,
		node,
		trigger,

		run,
		fail: (parameters, options = {}) => failureOf(run(parameters, options)),
		async poll(parameters, staticData, signIn = 'delegated', mode = 'trigger') {
			return await harness.poll(trigger, {
				mode,
				parameters: { authentication: SIGN_IN[signIn].authentication, ...parameters },
				credentialsFor: SIGN_IN[signIn].credentialsFor,
				staticData,
			});
		},
		apiCalls() {
			return sandbox.state.requests.filter((entry) => !/\/oauth2\/v2\.0\/token$/.test(entry.path));
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

/** Input items from plain objects. */
export function items(...json: IDataObject[]): INodeExecutionData[] {
	return json.map((entry) => ({ json: entry }));
}

/** A table locator value by entity set name. */
export function table(name: string): INodeParameterResourceLocator {
	return { __rl: true, mode: 'id', value: name };
}

/** A logged request's query as an object. */
export function queryOf(entry: RequestLogEntry): Record<string, string> {
	return Object.fromEntries(new URLSearchParams(entry.query.replace(/^\?/, '')));
}

/** One fixture per test file: started before its tests, faults and the request log cleared before each test. */
export function useDynamicsFixture(): () => DynamicsFixture {
	let fixture: DynamicsFixture | undefined;
	beforeAll(async () => {
		fixture = await startDynamicsFixture();
	});
	afterAll(async () => {
		await fixture?.stop();
	});
	beforeEach(() => {
		fixture!.sandbox.faults.reset();
		fixture!.clearRequests();
	});
	return () => fixture!;
}
