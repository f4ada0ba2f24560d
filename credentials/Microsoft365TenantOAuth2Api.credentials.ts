import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { authorizeUrlExpression, resourceUrlFragment, tokenUrlExpression } from '../nodes/Microsoft/shared/clouds';
import { resourceScopeExpression } from '../nodes/Microsoft/shared/scopes';
import { cloudFields, resourceFields, specificTenantField } from './common/microsoftFields';

/**
 * Delegated sign-in against one tenant for a resource API that is not Graph (Dataverse, Finance &
 * Operations, Business Central, any Entra-protected API). The tenant is required: resource APIs
 * belong to one organization, and `common` cannot tell Entra which one.
 */
export class Microsoft365TenantOAuth2Api implements ICredentialType {
	name = 'microsoft365TenantOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Microsoft 365 Tenant-Specific OAuth2 API';

	// This package's README section (n8n's "Docs" link in the credential dialog).
	documentationUrl = 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-tenant-specific-oauth2-api-delegated-other-apis';

	icon = 'file:icons/Microsoft365.svg' as const;

	properties: INodeProperties[] = [
		...cloudFields,
		specificTenantField('common, organizations and consumers are not accepted'),
		...resourceFields(false),
		{
			displayName: 'Scope Style',
			name: 'scopeStyle',
			type: 'options',
			description: 'Which permissions to ask for: all delegated permissions of the app registration (.default), or user_impersonation only',
			options: [
				{
					name: 'Default ({resource}/.default)',
					value: 'default',
					description: 'All delegated permissions configured on the app registration for this resource',
				},
				{
					name: 'User Impersonation ({resource}/user_impersonation)',
					value: 'userImpersonation',
					description: 'Dataverse and Dynamics APIs that expose the user_impersonation permission',
				},
			],
			default: 'default',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'authorizationCode' },
		// The fallback "organizations" only shapes the URL while Tenant is still empty; the node path refuses it.
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: authorizeUrlExpression('organizations') },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: tokenUrlExpression('organizations') },
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: resourceScopeExpression(resourceUrlFragment('dataverse')) },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'body' },
	];
}
