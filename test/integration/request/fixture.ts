/**
 * The one fixture of the Request node's integration tests: a sandbox with 45 more Contoso users (paging, batches), an
 * echo route on Graph (v1.0 and beta) that shows what arrived, and a harness holding four sign-ins on the sandbox's
 * custom cloud: delegated Graph (Alice), app-only Graph, app-only Dataverse and tenant OAuth2 Dataverse (Alice).
 */
import { createHash } from 'node:crypto';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Microsoft365Request } from '../../../nodes/Microsoft/Request/Microsoft365Request.node';
import { createHarness, failureOf, type NodeFailure, type BinaryMode, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export { SEED };
export const ALICE = SEED.users.alice;
export const CONTOSO = SEED.tenants.contoso.id;
export const API = '/api/data/v9.2';

/** The extra users: user01@contoso.onmicrosoft.com … user45@contoso.onmicrosoft.com. */
export const EXTRA_USERS = Array.from({ length: 45 }, (_, i) => {
	const n = String(i + 1).padStart(2, '0');
	return {
		id: `0000${n}00-0000-4000-8000-0000000000${n}`,
		tenant: CONTOSO,
		userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
		displayName: `User ${n}`,
		mail: `user${n}@contoso.onmicrosoft.com`,
	};
});
/** Contoso's users in the sandbox: Alice, Bob and the extra ones. */
export const CONTOSO_USER_COUNT = 2 + EXTRA_USERS.length;

/** Sign-ins the tests run the node with. */
export type Api = 'graphDelegated' | 'graphApp' | 'dataverseApp' | 'dataverseDelegated';

const SIGN_IN: Record<Api, { authentication: string; credentialsFor: Record<string, string> }> = {
	graphDelegated: { authentication: 'oAuth2', credentialsFor: { microsoft365OAuth2Api: 'microsoft365OAuth2Api' } },
	graphApp: { authentication: 'clientCredentials', credentialsFor: { microsoft365ClientCredentialsApi: 'microsoft365ClientCredentialsApi' } },
	dataverseApp: { authentication: 'clientCredentials', credentialsFor: { microsoft365ClientCredentialsApi: 'dataverseApp' } },
	dataverseDelegated: { authentication: 'tenantOAuth2', credentialsFor: { microsoft365TenantOAuth2Api: 'microsoft365TenantOAuth2Api' } },
};

interface RouteContext {
	method: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	readBody(): Promise<Buffer>;
	json(status: number, body: unknown, headers?: Record<string, string>): unknown;
	redirect(status: number, location: string): unknown;
	send(status: number, body: null): unknown;
}
type SandboxRouter = { add(method: string, path: string | RegExp, handler: (ctx: RouteContext) => unknown, options?: object): void };

/** What the echo route saw. */
export interface Echo {
	version: string;
	method: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	hadBearer: boolean;
	bodyText: string;
	bodySha256: string;
	bodyLength: number;
}

/** Test-only route on Graph: `/{v1.0|beta}/test_echo` answers with what it received (any method). */
const echoRoutes = {
	register(untypedRouter: unknown) {
		const router = untypedRouter as SandboxRouter;
		router.add('*', /^\/(v1\.0|beta)\/test_echo$/, async (ctx) => {
			const body = await ctx.readBody();
			const { authorization, ...headers } = ctx.headers;
			const echo: Echo = {
				version: /^\/(v1\.0|beta)\//.exec((ctx as unknown as { path: string }).path)![1],
				method: ctx.method,
				query: ctx.query,
				headers,
				hadBearer: /^Bearer \S+$/.test(authorization ?? ''),
				bodyText: body.toString('utf8'),
				bodySha256: createHash('sha256').update(body).digest('hex'),
				bodyLength: body.length,
			};
			return ctx.json(200, echo);
		});
		// A redirect to `?to=` (or, without it, a redirect whose Location is missing, as n8n 1.x hands it on).
		router.add('GET', '/v1.0/test_redirect', (ctx) => (ctx.query.to ? ctx.redirect(302, ctx.query.to) : ctx.send(302, null)));
	},
};

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface RequestSandbox extends Sandbox {
	drives: any;
}

export interface RequestFixture {
	sandbox: RequestSandbox;
	harness: Harness;
	node: Microsoft365Request;
	/** Runs the node once with the sign-in of `api` → its output items. */
	run(api: Api, parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	/** Runs and expects a failure → the error. */
	fail(api: Api, parameters: INodeParameters, options?: { input?: INodeExecutionData[] }): Promise<NodeFailure>;
	/** Requests the sandbox saw (sign-in included) since the last `clearRequests()`. */
	requests(): RequestLogEntry[];
	clearRequests(): void;
	stop(): Promise<void>;
}

export async function startRequestFixture(options: { binaryMode?: BinaryMode } = {}): Promise<RequestFixture> {
	const sandbox = (await startSandbox({ port: 0, users: [...Object.values(SEED.users), ...EXTRA_USERS], modules: [echoRoutes] })) as RequestSandbox;
	const delegatedApp = SEED.apps.multiTenant;
	const appOnlyApp = SEED.apps.singleTenant;
	const graphToken = sandbox.issueToken({
		tenant: CONTOSO,
		appId: delegatedApp.clientId,
		userId: ALICE.id,
		scopes: ['User.Read', 'User.Read.All', 'Files.ReadWrite.All', 'Mail.ReadWrite', 'Mail.Send'],
	});
	const dataverseToken = sandbox.issueToken({ tenant: CONTOSO, appId: delegatedApp.clientId, userId: ALICE.id, scopes: ['user_impersonation'], audience: sandbox.dataverseUrl });
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const appOnly = { ...cloud, clientId: appOnlyApp.clientId, authMethod: 'secret', clientSecret: appOnlyApp.secret };
	const harness = createHarness({
		binaryMode: options.binaryMode ?? 'default',
		credentials: {
			microsoft365OAuth2Api: {
				...cloud,
				clientId: delegatedApp.clientId,
				clientSecret: delegatedApp.secret,
				oauthTokenData: { access_token: graphToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
			microsoft365ClientCredentialsApi: { ...appOnly, resource: 'graph' },
			microsoft365TenantOAuth2Api: {
				...cloud,
				clientId: delegatedApp.clientId,
				clientSecret: delegatedApp.secret,
				resource: 'dataverse',
				environmentUrl: sandbox.dataverseUrl,
				scopeStyle: 'userImpersonation',
				oauthTokenData: { access_token: dataverseToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
		},
	});
	await harness.credentialsHelper.save('dataverseApp', 'microsoft365ClientCredentialsApi', { ...appOnly, resource: 'dataverse', environmentUrl: sandbox.dataverseUrl });
	const node = new Microsoft365Request();
	const run: RequestFixture['run'] = async (api, parameters, runOptions = {}) => {
		const out = await harness.execute(node, {
			parameters: { authentication: SIGN_IN[api].authentication, resource: 'request', ...parameters },
			credentialsFor: SIGN_IN[api].credentialsFor,
			input: runOptions.input,
			continueOnFail: runOptions.continueOnFail,
		});
		return out[0] ?? [];
	};
	return {
		sandbox,
		harness,
		node,
		run,
		fail: (api, parameters, runOptions = {}) => failureOf(run(api, parameters, runOptions)),
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

/** The API requests of the log (the sign-in's token requests left out), as `METHOD host path` lines. */
export function apiCalls(log: RequestLogEntry[]): string[] {
	return log.filter((entry) => !/\/oauth2\/v2\.0\/token$/.test(entry.path)).map((entry) => `${entry.method} ${entry.host} ${entry.path}${entry.viaBatch ? ' (batch)' : ''}`);
}

/**
 * One fixture for a test file: started before its tests, stopped after them, faults and the request log cleared
 * before each test. Returns a getter (the fixture exists only once `beforeAll` ran).
 */
export function useRequestFixture(): () => RequestFixture {
	let fixture: RequestFixture | undefined;
	beforeAll(async () => {
		fixture = await startRequestFixture();
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
