import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { authorizeUrlExpression, tokenUrlExpression } from '../nodes/Microsoft/shared/clouds';
import { DEFAULT_SERVICES, delegatedScopeExpression, GRAPH_SERVICES } from '../nodes/Microsoft/shared/scopes';
import { cloudFields } from './common/microsoftFields';

/** `prompt` values Entra understands; `none` sends no prompt (Entra's default behaviour). */
export const PROMPT_EXPRESSION = '={{ ($self.prompt && $self.prompt !== "none") ? "prompt=" + $self.prompt : "" }}';

/**
 * Delegated sign-in to Microsoft Graph (authorization code + refresh token). n8n runs the OAuth2
 * flow itself and only evaluates the hidden expressions below, which are generated from the shared
 * cloud and scope tables.
 */
export class Microsoft365OAuth2Api implements ICredentialType {
	name = 'microsoft365OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft 365 OAuth2 API';

	// This package's README section (n8n's "Docs" link in the credential dialog).
	documentationUrl = 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-oauth2-api-delegated-graph';

	icon = 'file:icons/Microsoft365.svg' as const;

	properties: INodeProperties[] = [
		...cloudFields,
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: 'common',
			description:
				'"common" for work, school and personal accounts, "organizations" for work/school only, "consumers" for personal only, or your directory (tenant) ID / verified domain for a single-tenant app',
		},
		{
			displayName: 'Services',
			name: 'services',
			type: 'multiOptions',
			options: GRAPH_SERVICES.map((service) => ({
				name: service.name,
				value: service.value,
				description: service.scopes.join(' '),
			})),
			default: DEFAULT_SERVICES,
			description: 'What n8n may access; each service adds its Microsoft Graph permissions. Reconnect after changing.',
		},
		{
			displayName: 'Additional Scopes',
			name: 'additionalScopes',
			type: 'string',
			default: '',
			placeholder: 'Notes.ReadWrite Group.Read.All',
			description: 'More delegated Graph permissions, separated by spaces or commas; added as typed',
		},
		{
			displayName: 'Prompt',
			name: 'prompt',
			type: 'options',
			description: 'What Microsoft shows when you click Connect; choose Consent after adding services',
			options: [
				{ name: 'None', value: 'none', description: 'Sign in silently when possible' },
				{ name: 'Select Account', value: 'select_account', description: 'Always let the user pick the account' },
				{ name: 'Consent', value: 'consent', description: 'Ask the user to consent again (after adding services)' },
				{ name: 'Login', value: 'login', description: 'Always ask for credentials' },
			],
			default: 'select_account',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: authorizeUrlExpression('common') },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: tokenUrlExpression('common') },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: delegatedScopeExpression() },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: PROMPT_EXPRESSION },
		// Entra expects client_id/client_secret in the token request body.
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];
}
