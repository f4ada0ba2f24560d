/**
 * The one fixture of the OneDrive node's integration tests (node, trigger, picker, hardening): a sandbox, a
 * harness holding a delegated (Alice) and an app-only credential on the sandbox's custom cloud, a small Graph
 * client for arranging data behind the node's back, and helpers to run the node.
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365OneDrive } from '../../../nodes/Microsoft/OneDrive/Microsoft365OneDrive.node';
import { createHarness, type BinaryMode, type Harness } from '../../harness';
import { SEED, startSandbox, type RequestLogEntry, type Sandbox } from '../../sandbox';

export { SEED };
export const ALICE = SEED.users.alice;
export const BOB = SEED.users.bob;
export const CONTOSO = SEED.tenants.contoso.id;

/** Scopes of Alice's delegated token (files, sites, and the user / group pickers). */
export const DELEGATED_SCOPES = ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'User.Read', 'User.Read.All', 'Group.Read.All'];

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The sandbox, with its drive helper API (test/sandbox/graph/drives.js) left untyped for brevity in tests. */
export interface OneDriveSandbox extends Sandbox {
	drives: any;
}

export interface OneDriveFixtureOptions {
	/** n8n binary data mode of the harness (default 'default': in memory). */
	binaryMode?: BinaryMode;
	/** Sign-in `run()` uses: delegated on "My OneDrive" (default), or app-only on Alice's drive picked by UPN. */
	authentication?: 'oAuth2' | 'clientCredentials';
}

export interface OneDriveFixture {
	sandbox: OneDriveSandbox;
	harness: Harness;
	node: Microsoft365OneDrive;
	/** Alice's OneDrive id. */
	driveId: string;
	/** Alice's delegated token, for arranging data with plain Graph calls. */
	aliceToken: string;
	/** Runs the OneDrive node once (the drive and sign-in of `options.authentication` unless given) → its output items. */
	run(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	/** Requests the sandbox saw (method, host, path, query, hasAuthorization, status). */
	requests(): RequestLogEntry[];
	clearRequests(): void;
	/** A plain Graph call as Alice (JSON in and out, redirects not followed). */
	graph<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
	stop(): Promise<void>;
}

export async function startOneDriveFixture(options: OneDriveFixtureOptions = {}): Promise<OneDriveFixture> {
	const { binaryMode = 'default', authentication = 'oAuth2' } = options;
	const sandbox = (await startSandbox({ port: 0 })) as OneDriveSandbox;
	const delegatedApp = SEED.apps.multiTenant;
	const appOnlyApp = SEED.apps.singleTenant;
	const aliceToken = sandbox.issueToken({
		tenant: CONTOSO,
		appId: delegatedApp.clientId,
		userId: ALICE.id,
		scopes: DELEGATED_SCOPES,
		lifetimeSeconds: 3600,
	});
	const cloud = { cloud: 'custom', customLoginUrl: sandbox.loginUrl, customGraphUrl: sandbox.graphUrl, tenant: CONTOSO };
	const harness = createHarness({
		binaryMode,
		credentials: {
			// App-only: the node signs in itself (msal-node, client secret) against the sandbox's Entra.
			microsoft365ClientCredentialsApi: {
				...cloud,
				clientId: appOnlyApp.clientId,
				authMethod: 'secret',
				clientSecret: appOnlyApp.secret,
				resource: 'graph',
			},
			microsoft365OAuth2Api: {
				...cloud,
				clientId: delegatedApp.clientId,
				clientSecret: delegatedApp.secret,
				oauthTokenData: { access_token: aliceToken, refresh_token: 'unused-refresh-token', token_type: 'Bearer' },
			},
		},
	});
	const node = new Microsoft365OneDrive();
	const driveId = sandbox.drives.driveIdOfUser(ALICE.userPrincipalName) as string;
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
		node,
		driveId,
		aliceToken,
		graph,
		async run(parameters, runOptions = {}) {
			const out = await harness.execute(node, {
				parameters:
					authentication === 'oAuth2'
						? { authentication, driveLocation: 'myDrive', ...parameters }
						: { authentication, driveLocation: 'userDrive', driveUser: rl('id', ALICE.userPrincipalName), ...parameters },
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

/** A resource-locator value (mode: 'list' | 'url' | 'path' | 'id'). */
export function rl(mode: string, value: string): INodeParameterResourceLocator {
	return { __rl: true, mode, value };
}

/** Deterministic bytes of any size (sha256 chain), so expected hashes come from independent code. */
export function patternBytes(size: number, seed = 'onedrive'): Buffer {
	const out = Buffer.allocUnsafe(size);
	const crypto = require('node:crypto') as typeof import('node:crypto');
	let block = crypto.createHash('sha256').update(seed).digest();
	for (let offset = 0; offset < size; offset += block.length) {
		block.copy(out, offset, 0, Math.min(block.length, size - offset));
		block = crypto.createHash('sha256').update(block).digest();
	}
	return out;
}
