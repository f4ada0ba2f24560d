/**
 * Shared set-up of the OneDrive picker and trigger tests: a sandbox, a harness holding a delegated (Alice)
 * and an app-only credential for it, and a small Graph client for arranging data behind the node's back.
 */
import type { INodeParameterResourceLocator } from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox') as { startSandbox: (options?: object) => Promise<Sandbox> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SEED } = require('../sandbox/seed') as { SEED: Seed };

export interface Sandbox {
	loginUrl: string;
	graphUrl: string;
	filesUrl: string;
	state: { violations: unknown[]; requests: Array<{ method: string; host: string; path: string; query?: Record<string, string> }> };
	faults: { add(fault: object): void; reset(): void };
	/** The sandbox's drive helper API (test/sandbox/graph/drives.js). */
	drives: any;
	issueToken(request: { tenant?: string; appId?: string; userId?: string; scopes?: string[]; roles?: string[] }): string;
	stop(): Promise<void>;
}

interface Seed {
	tenants: { contoso: { id: string } };
	apps: { multiTenant: { clientId: string; secret: string } };
	users: { alice: { id: string; userPrincipalName: string }; bob: { id: string; userPrincipalName: string } };
}

export { SEED };

export const DELEGATED_SCOPES = ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'User.Read.All', 'Group.Read.All'];

export interface PickerWorld {
	sandbox: Sandbox;
	harness: Harness;
	/** Alice's delegated token, for arranging data with plain Graph calls. */
	aliceToken: string;
	graph<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
	stop(): Promise<void>;
}

export async function startPickerWorld(): Promise<PickerWorld> {
	const sandbox = await startSandbox({ port: 0 });
	const tenant = SEED.tenants.contoso.id;
	const app = SEED.apps.multiTenant;
	const aliceToken = sandbox.issueToken({ tenant, appId: app.clientId, userId: SEED.users.alice.id, scopes: DELEGATED_SCOPES });
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant };
	const harness = createHarness({
		credentials: {
			microsoft365OAuth2Api: {
				...cloud,
				clientId: app.clientId,
				clientSecret: app.secret,
				oauthTokenData: { access_token: aliceToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
			microsoft365ClientCredentialsApi: {
				...cloud,
				clientId: app.clientId,
				authMethod: 'secret',
				clientSecret: app.secret,
				resource: 'graph',
			},
		},
	});
	const graph = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
		const response = await fetch(`${sandbox.graphUrl}/v1.0${path}`, {
			method,
			headers: {
				Authorization: `Bearer ${aliceToken}`,
				...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
				...headers,
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
			redirect: 'manual',
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	};
	return {
		sandbox,
		harness,
		aliceToken,
		graph,
		async stop() {
			await harness.cleanup();
			await sandbox.stop();
		},
	};
}

export function rl(mode: string, value: string): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}
