/**
 * Reads and validates a Microsoft credential's fields for the node path (no request is sent).
 * The OAuth2 connect flow cannot run our code, so nodes validate here before any token is used;
 * the same tables drive the credentials' hidden expressions.
 */
import {
	allowedHostsFor,
	BUSINESS_CENTRAL_URL,
	CredentialValueError,
	parseEnvironmentUrl,
	parseHttpsBaseUrl,
	resolveCloudHosts,
	type CloudHosts,
	type CloudName,
	type ResourceKind,
} from './clouds';
import { appOnlyScopes, delegatedGraphScopes, resourceDelegatedScopes } from './scopes';
import { validateTenant } from './tenant';

export const MICROSOFT_CREDENTIAL_TYPES = [
	'microsoft365OAuth2Api',
	'microsoft365ClientCredentialsApi',
	'microsoft365TenantOAuth2Api',
] as const;
export type MicrosoftCredentialType = (typeof MICROSOFT_CREDENTIAL_TYPES)[number];

export interface CredentialSettings {
	type: MicrosoftCredentialType;
	cloud: CloudName;
	cloudHosts: CloudHosts;
	/** Lower-case tenant as it goes into the login URL (may be common/organizations/consumers for delegated Graph). */
	tenant: string;
	/** Which API the token is for. */
	resource: ResourceKind;
	/** Base URL of that API and the token audience (Graph: the cloud's Graph URL, no version). */
	resourceUrl: string;
	/** Scopes the token is requested with. */
	scopes: string[];
	/** True for client credentials (no signed-in user: `/me` does not exist). */
	appOnly: boolean;
	/** `host[:port]` values that may receive the token (login, Graph, the resource). */
	allowedHosts: Set<string>;
}

const RESOURCE_KINDS: ResourceKind[] = ['graph', 'dataverse', 'financeOperations', 'businessCentral', 'custom'];

function readCloud(value: unknown): CloudName {
	const cloud = (typeof value === 'string' && value ? value : 'global') as CloudName;
	if (!['global', 'usGov', 'usGovDod', 'china', 'custom'].includes(cloud)) {
		throw new CredentialValueError('Cloud', `Unknown cloud "${String(value)}": choose one of the listed clouds`);
	}
	return cloud;
}

/** Resolves the resource API's base URL for app-only and tenant-specific credentials. */
export function resolveResourceUrl(
	resource: ResourceKind,
	cloud: CloudName,
	hosts: CloudHosts,
	raw: Record<string, unknown>,
): string {
	switch (resource) {
		case 'graph':
			return hosts.graphUrl;
		case 'dataverse':
		case 'financeOperations':
			return parseEnvironmentUrl(raw.environmentUrl, cloud, 'Environment URL');
		case 'businessCentral': {
			if (cloud === 'custom' && typeof raw.businessCentralUrl === 'string' && raw.businessCentralUrl.trim()) {
				return parseHttpsBaseUrl(raw.businessCentralUrl, 'Business Central API URL');
			}
			const url = BUSINESS_CENTRAL_URL[cloud];
			if (!url) {
				throw new CredentialValueError(
					'Resource',
					'Business Central is documented for the global cloud only: choose the Global cloud, or "Custom Resource" with your deployment\'s API URL',
				);
			}
			return url;
		}
		case 'custom':
			return parseHttpsBaseUrl(raw.customResource, 'Custom Resource URI');
	}
}

function readResource(value: unknown, allowed: ResourceKind[], fallback: ResourceKind): ResourceKind {
	const resource = (typeof value === 'string' && value ? value : fallback) as ResourceKind;
	if (!allowed.includes(resource)) {
		throw new CredentialValueError('Resource', `Unknown resource "${String(value)}": choose one of ${allowed.join(', ')}`);
	}
	return resource;
}

/**
 * Validates `rawCredentialData` (as returned by `getCredentials`) of one of our three types.
 * Throws CredentialValueError naming the field to fix; never sends a request.
 */
export function readCredentialSettings(type: string, rawCredentialData: object): CredentialSettings {
	const raw = rawCredentialData as Record<string, unknown>;
	if (!(MICROSOFT_CREDENTIAL_TYPES as readonly string[]).includes(type)) {
		throw new CredentialValueError('Credential', `"${type}" is not a Microsoft 365 credential type`);
	}
	const cloud = readCloud(raw.cloud);
	const cloudHosts = resolveCloudHosts({
		cloud,
		customLoginUrl: raw.customLoginUrl as string | undefined,
		customGraphUrl: raw.customGraphUrl as string | undefined,
	});

	if (type === 'microsoft365OAuth2Api') {
		const tenant = validateTenant(raw.tenant || 'common', { allowAliases: true });
		return {
			type,
			cloud,
			cloudHosts,
			tenant,
			resource: 'graph',
			resourceUrl: cloudHosts.graphUrl,
			scopes: delegatedGraphScopes({ cloud, services: raw.services, additionalScopes: raw.additionalScopes }),
			appOnly: false,
			allowedHosts: allowedHostsFor(cloudHosts),
		};
	}

	const tenant = validateTenant(raw.tenant, { allowAliases: false });
	if (type === 'microsoft365ClientCredentialsApi') {
		const resource = readResource(raw.resource, RESOURCE_KINDS, 'graph');
		const resourceUrl = resolveResourceUrl(resource, cloud, cloudHosts, raw);
		return {
			type,
			cloud,
			cloudHosts,
			tenant,
			resource,
			resourceUrl,
			scopes: appOnlyScopes(resourceUrl),
			appOnly: true,
			allowedHosts: allowedHostsFor(cloudHosts, [resourceUrl]),
		};
	}

	const resource = readResource(raw.resource, RESOURCE_KINDS.filter((r) => r !== 'graph'), 'dataverse');
	const resourceUrl = resolveResourceUrl(resource, cloud, cloudHosts, raw);
	return {
		type: 'microsoft365TenantOAuth2Api',
		cloud,
		cloudHosts,
		tenant,
		resource,
		resourceUrl,
		scopes: resourceDelegatedScopes(resourceUrl, raw.scopeStyle as string | undefined),
		appOnly: false,
		allowedHosts: allowedHostsFor(cloudHosts, [resourceUrl]),
	};
}
