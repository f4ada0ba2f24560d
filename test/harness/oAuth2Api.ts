/**
 * Our own description of n8n's built-in `oAuth2Api` credential type (which lives in n8n-nodes-base,
 * not installed here). Only the fields n8n-core's OAuth2 request path reads are described, so that
 * `extends: ['oAuth2Api']` in our credential classes merges the same way it does inside n8n.
 */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

const properties: INodeProperties[] = [
	{
		displayName: 'Grant Type',
		name: 'grantType',
		type: 'options',
		options: [
			{ name: 'Authorization Code', value: 'authorizationCode' },
			{ name: 'Client Credentials', value: 'clientCredentials' },
			{ name: 'PKCE', value: 'pkce' },
		],
		default: 'authorizationCode',
	},
	{ displayName: 'Authorization URL', name: 'authUrl', type: 'string', default: '', required: true },
	{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '', required: true },
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
	},
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
	{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'string', default: '' },
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Body', value: 'body' },
			{ name: 'Header', value: 'header' },
		],
		default: 'header',
	},
	{ displayName: 'Ignore SSL Issues', name: 'ignoreSSLIssues', type: 'boolean', default: false },
];

export const oAuth2ApiType: ICredentialType = {
	name: 'oAuth2Api',
	displayName: 'OAuth2 API',
	properties,
};
