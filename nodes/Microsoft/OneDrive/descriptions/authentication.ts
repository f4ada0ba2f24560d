import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialDescription,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

export type OneDriveAuthentication = 'oAuth2' | 'clientCredentials';
export type OneDriveCredentialType = 'microsoft365OAuth2Api' | 'microsoft365ClientCredentialsApi';

/** Which credential type each Authentication value uses (one table, read by nodes and helpers). */
export const CREDENTIAL_TYPE_BY_AUTHENTICATION: Record<OneDriveAuthentication, OneDriveCredentialType> = {
	oAuth2: 'microsoft365OAuth2Api',
	clientCredentials: 'microsoft365ClientCredentialsApi',
};

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	description: 'OAuth2 acts as the signed-in user; Client Credentials acts as the app itself (unattended, needs admin-consented application permissions)',
	options: [
		{
			name: 'OAuth2 (Delegated, Signed-In User)',
			value: 'oAuth2',
			description: 'Acts as the user who signed in; "My OneDrive" is available',
		},
		{
			name: 'Client Credentials (App-Only)',
			value: 'clientCredentials',
			description: "Acts as the app itself; pick a user's, group's or site's drive",
		},
	],
	default: 'oAuth2',
};

/** The node's `credentials` list: one credential per Authentication value. */
export const oneDriveCredentials: INodeCredentialDescription[] = [
	{
		name: 'microsoft365OAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
	{
		name: 'microsoft365ClientCredentialsApi',
		required: true,
		displayOptions: { show: { authentication: ['clientCredentials'] } },
	},
];

export type AnyOneDriveContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

function isLoadOptions(ctx: AnyOneDriveContext): ctx is ILoadOptionsFunctions {
	return typeof (ctx as ILoadOptionsFunctions).getCurrentNodeParameter === 'function';
}

/**
 * Reads a top-level node parameter from any of our contexts: execute (per item), poll, or list search
 * (where the editor's current, unsaved values are what matter).
 */
export function readParameter(ctx: AnyOneDriveContext, name: string, itemIndex = 0, fallback?: unknown): unknown {
	if (isLoadOptions(ctx)) {
		const current = ctx.getCurrentNodeParameter(name);
		return current === undefined ? fallback : current;
	}
	if ('getInputData' in ctx && typeof (ctx as IExecuteFunctions).getInputData === 'function') {
		return (ctx as IExecuteFunctions).getNodeParameter(name, itemIndex, fallback);
	}
	return (ctx as IPollFunctions).getNodeParameter(name, fallback);
}

export function authenticationOf(ctx: AnyOneDriveContext, itemIndex = 0): OneDriveAuthentication {
	const value = readParameter(ctx, 'authentication', itemIndex, 'oAuth2');
	return value === 'clientCredentials' ? 'clientCredentials' : 'oAuth2';
}

export function credentialTypeOf(ctx: AnyOneDriveContext, itemIndex = 0): OneDriveCredentialType {
	return CREDENTIAL_TYPE_BY_AUTHENTICATION[authenticationOf(ctx, itemIndex)];
}
