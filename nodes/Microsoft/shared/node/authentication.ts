/** The Authentication field every node shows, and which credential type each choice uses. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { MicrosoftCredentialType } from '../credentialSettings';
import { readParameter, type NodeContext } from './parameters';

export type Authentication = 'oAuth2' | 'clientCredentials' | 'tenantOAuth2';

/** One table, read by every node: Authentication value → credential type. */
export const CREDENTIAL_TYPE_BY_AUTHENTICATION: Record<Authentication, MicrosoftCredentialType> = {
	oAuth2: 'microsoft365OAuth2Api',
	clientCredentials: 'microsoft365ClientCredentialsApi',
	tenantOAuth2: 'microsoft365TenantOAuth2Api',
};

const CHOICES: Record<Authentication, { name: string; description: string }> = {
	oAuth2: { name: 'OAuth2 (Delegated, Signed-In User)', description: 'Acts as the user who signed in' },
	clientCredentials: { name: 'Client Credentials (App-Only)', description: 'Acts as the app itself (unattended, needs admin-consented application permissions)' },
	tenantOAuth2: { name: 'Tenant OAuth2 (Delegated, Dynamics and Other APIs)', description: "Acts as the user who signed in to one tenant, for an API other than Graph" },
};

export interface AuthenticationOptions {
	/** The choices this node offers, the first is the default. */
	choices: Authentication[];
	/** Node-specific wording per choice (e.g. "My OneDrive is available"). */
	descriptions?: Partial<Record<Authentication, string>>;
	description?: string;
}

/** The node's Authentication field. */
export function authenticationProperty(options: AuthenticationOptions): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		description: options.description ?? 'OAuth2 acts as the signed-in user; Client Credentials acts as the app itself',
		options: options.choices.map((value) => ({
			name: CHOICES[value].name,
			value,
			description: options.descriptions?.[value] ?? CHOICES[value].description,
		})),
		default: options.choices[0],
	};
}

/** The node's `credentials` list: one credential per Authentication choice. */
export function credentialsFor(choices: Authentication[]): INodeCredentialDescription[] {
	return choices.map((value) => ({
		name: CREDENTIAL_TYPE_BY_AUTHENTICATION[value],
		required: true,
		displayOptions: { show: { authentication: [value] } },
	}));
}

export function authenticationOf(ctx: NodeContext, itemIndex = 0): Authentication {
	const value = readParameter(ctx, 'authentication', itemIndex, 'oAuth2');
	return typeof value === 'string' && value in CREDENTIAL_TYPE_BY_AUTHENTICATION ? (value as Authentication) : 'oAuth2';
}

export function credentialTypeOf(ctx: NodeContext, itemIndex = 0): MicrosoftCredentialType {
	return CREDENTIAL_TYPE_BY_AUTHENTICATION[authenticationOf(ctx, itemIndex)];
}
