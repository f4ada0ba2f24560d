import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { LOGIN_URL_FRAGMENT, resourceUrlFragment, tenantFragment } from '../nodes/Microsoft/shared/clouds';
import { clientCredentialsPreAuthentication } from '../nodes/Microsoft/shared/signIn';
import { cloudFields, resourceFields, specificTenantField } from './common/microsoftFields';

/** Where the credential test sends its request, per resource: a cheap call that needs a valid token. */
export const TEST_PATHS: Record<string, string> = {
	graph: '/v1.0/organization',
	dataverse: '/api/data/v9.2/WhoAmI',
	financeOperations: '/data/LegalEntities?$top=1',
};

/**
 * Business Central and custom APIs have no call that every app may make, so their test goes to the
 * tenant's sign-in metadata; the token acquisition that n8n runs before every test is the proof.
 */
// n8n resolves a credential test request over `$credentials` (field defaults are resolved over `$self`).
const overCredentials = (expression: string) => expression.replace(/\$self\b/g, '$credentials');
const TEST_BASE_URL = overCredentials(
	`={{ ${JSON.stringify(Object.keys(TEST_PATHS))}.includes($self.resource || "graph") ? ${resourceUrlFragment('graph')} ` +
		`: ${LOGIN_URL_FRAGMENT} + "/" + ${tenantFragment('common')} }}`,
);
const TEST_URL = overCredentials(
	`={{ ${JSON.stringify(TEST_PATHS)}[$self.resource || "graph"] || "/v2.0/.well-known/openid-configuration" }}`,
);

/**
 * App-only sign-in (OAuth2 client credentials) by msal-node with a client secret or a certificate.
 * Not an n8n OAuth2 credential: n8n calls `preAuthentication` when the hidden token is empty, after a
 * 401 and for the credential test, and stores the returned token.
 */
export class Microsoft365ClientCredentialsApi implements ICredentialType {
	name = 'microsoft365ClientCredentialsApi';

	displayName = 'Microsoft 365 Client Credentials API';

	// This package's README section (n8n's "Docs" link in the credential dialog).
	documentationUrl = 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-client-credentials-api-app-only';

	icon = 'file:icons/Microsoft365.svg' as const;

	properties: INodeProperties[] = [
		...cloudFields,
		specificTenantField('app-only sign-in needs one specific tenant'),
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Application (client) ID from the app registration\'s Overview page',
		},
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			description: 'How the app proves who it is: a client secret, or a certificate (recommended: nothing secret leaves n8n)',
			options: [
				{ name: 'Client Secret', value: 'secret' },
				{ name: 'Certificate', value: 'certificate' },
			],
			default: 'secret',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The secret\'s Value (not its Secret ID) from Certificates & secrets',
			displayOptions: { show: { authMethod: ['secret'] } },
		},
		{
			displayName: 'Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM certificate whose public part is uploaded to the app registration; its thumbprint is derived from it',
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
		{
			displayName: 'Private Key',
			name: 'certificatePrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'Unencrypted PEM private key of the certificate',
			displayOptions: { show: { authMethod: ['certificate'] } },
		},
		...resourceFields(true),
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await clientCredentialsPreAuthentication(credentials);
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: TEST_BASE_URL, url: TEST_URL },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Signed in, but the API refused the app (403). For Microsoft Graph an admin must grant consent for the application permissions ' +
						'(Entra admin center → App registrations → API permissions → Grant admin consent; this test reads /organization, which needs Organization.Read.All). ' +
						'For Dataverse or Finance & Operations, add the app as an application user with a security role in the environment.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Signed in, but the API did not accept the token (401). Check Resource / Environment URL and, for Dataverse, that the app is an application user of the environment.',
				},
			},
		],
	};
}
