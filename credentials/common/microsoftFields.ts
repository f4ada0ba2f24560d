/** Fields the three Microsoft 365 credentials share (names fixed by docs/ARCHITECTURE.md). */
import type { INodeProperties } from 'n8n-workflow';

import { CLOUD_OPTIONS } from '../../nodes/Microsoft/shared/clouds';

export const cloudFields: INodeProperties[] = [
	{
		displayName: 'Cloud',
		name: 'cloud',
		type: 'options',
		options: CLOUD_OPTIONS,
		default: 'global',
		description: 'The Microsoft cloud your organization and app registration live in',
	},
	{
		displayName: 'Custom Login URL',
		name: 'customLoginUrl',
		type: 'string',
		default: '',
		placeholder: 'https://login.example.com',
		description: 'Base URL of the Microsoft Entra ID (v2) login endpoint, https only',
		displayOptions: { show: { cloud: ['custom'] } },
	},
	{
		displayName: 'Custom API URL',
		name: 'customGraphUrl',
		type: 'string',
		default: '',
		placeholder: 'https://graph.example.com',
		description: 'Base URL of Microsoft Graph (without /v1.0), https only',
		displayOptions: { show: { cloud: ['custom'] } },
	},
];

/** Tenant of the credentials that need one specific directory (app-only, resource APIs); `why` says why. */
export function specificTenantField(why: string): INodeProperties {
	return {
		displayName: 'Tenant',
		name: 'tenant',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'contoso.onmicrosoft.com',
		description: `Your directory (tenant) ID or a verified domain; ${why}`,
	};
}

/** Dynamics / custom resource choice used by the app-only and tenant-specific credentials. */
export function resourceFields(withGraph: boolean): INodeProperties[] {
	const options = [
		...(withGraph ? [{ name: 'Microsoft Graph', value: 'graph' }] : []),
		{ name: 'Dataverse (Dynamics 365 Sales, Service, Power Apps)', value: 'dataverse' },
		{ name: 'Dynamics 365 Finance & Operations', value: 'financeOperations' },
		{ name: 'Dynamics 365 Business Central', value: 'businessCentral' },
		{ name: 'Custom Resource URI', value: 'custom' },
	];
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			options,
			default: withGraph ? 'graph' : 'dataverse',
			description: 'The API the token is for; one token covers one resource',
		},
		{
			displayName: 'Environment URL',
			name: 'environmentUrl',
			type: 'string',
			default: '',
			placeholder: 'https://org.crm.dynamics.com',
			description: 'Address of the Dynamics 365 environment (Dataverse: https://org.crm.dynamics.com, Finance & Operations: https://env.operations.dynamics.com)',
			displayOptions: { show: { resource: ['dataverse', 'financeOperations'] } },
		},
		{
			displayName: 'Business Central API URL',
			name: 'businessCentralUrl',
			type: 'string',
			default: '',
			placeholder: 'https://bc-proxy.example.com',
			description:
				"Custom cloud only: where Business Central's API is reached (a proxy or a test sandbox), https; empty uses https://api.businesscentral.dynamics.com. Tokens are sent only to this host.",
			displayOptions: { show: { resource: ['businessCentral'], cloud: ['custom'] } },
		},
		{
			displayName: 'Custom Resource URI',
			name: 'customResource',
			type: 'string',
			default: '',
			placeholder: 'https://api.contoso.com',
			description: 'https base URL of an Entra-protected API (its Application ID URI); tokens are sent only to this host',
			displayOptions: { show: { resource: ['custom'] } },
		},
	];
}
