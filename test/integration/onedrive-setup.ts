/**
 * Shared setup for the OneDrive node's integration tests: a sandbox, a harness with a delegated
 * (Alice) credential on the sandbox's custom cloud, and small helpers to run the node.
 */
import type { INodeExecutionData, INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { Microsoft365OneDrive } from '../../nodes/Microsoft/OneDrive/Microsoft365OneDrive.node';
import { createHarness, type Harness } from '../harness';
import type { BinaryMode } from '../harness';

// The sandbox is plain CommonJS JavaScript without type declarations.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSandbox, SEED } = require('../sandbox');

export const ALICE = SEED.users.alice as { id: string; userPrincipalName: string };
export const BOB = SEED.users.bob as { id: string; userPrincipalName: string };
export const CONTOSO = SEED.tenants.contoso.id as string;

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface OneDriveEnv {
	sandbox: any;
	harness: Harness;
	node: Microsoft365OneDrive;
	/** Alice's OneDrive id. */
	driveId: string;
	run(parameters: INodeParameters, options?: { input?: INodeExecutionData[]; continueOnFail?: boolean }): Promise<INodeExecutionData[]>;
	/** Requests the sandbox saw (method, host, path, query, hasAuthorization, status). */
	requests(): Array<{ method: string; host: string; path: string; query: string; hasAuthorization: boolean; status: number }>;
	clearRequests(): void;
	stop(): Promise<void>;
}

export async function startOneDriveEnv(
	binaryMode: BinaryMode = 'default',
	authentication: 'oAuth2' | 'clientCredentials' = 'oAuth2',
): Promise<OneDriveEnv> {
	const sandbox = await startSandbox({ port: 0 });
	const token = sandbox.issueToken({
		tenant: CONTOSO,
		appId: SEED.apps.multiTenant.clientId,
		userId: ALICE.id,
		scopes: ['Files.ReadWrite.All', 'Sites.ReadWrite.All', 'User.Read'],
		lifetimeSeconds: 3600,
	});
	const harness = createHarness({
		binaryMode,
		credentials: {
			// App-only: the node signs in itself (msal-node, client secret) against the sandbox's Entra.
			microsoft365ClientCredentialsApi: {
				cloud: 'custom',
				customLoginUrl: sandbox.loginUrl,
				customGraphUrl: sandbox.graphUrl,
				tenant: CONTOSO,
				clientId: SEED.apps.singleTenant.clientId,
				authMethod: 'secret',
				clientSecret: SEED.apps.singleTenant.secret,
				resource: 'graph',
			},
			microsoft365OAuth2Api: {
				cloud: 'custom',
				customLoginUrl: sandbox.loginUrl,
				customGraphUrl: sandbox.graphUrl,
				tenant: CONTOSO,
				clientId: SEED.apps.multiTenant.clientId,
				clientSecret: SEED.apps.multiTenant.secret,
				oauthTokenData: { access_token: token, token_type: 'Bearer' },
			},
		},
	});
	const node = new Microsoft365OneDrive();
	const driveId = sandbox.drives.driveIdOfUser(ALICE.userPrincipalName, sandbox.state) as string;
	return {
		sandbox,
		harness,
		node,
		driveId,
		async run(parameters, options = {}) {
			const out = await harness.execute(node, {
				parameters:
					authentication === 'oAuth2'
						? { authentication, driveLocation: 'myDrive', ...parameters }
						: { authentication, driveLocation: 'userDrive', driveUser: rl('id', ALICE.userPrincipalName), ...parameters },
				input: options.input,
				continueOnFail: options.continueOnFail,
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

/** A resource-locator value. */
export function rl(mode: 'list' | 'url' | 'path' | 'id', value: string): INodeParameterResourceLocator {
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
