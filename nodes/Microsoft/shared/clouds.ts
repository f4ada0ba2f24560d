/**
 * Microsoft clouds: where to sign in, where Microsoft Graph lives, and which hosts may ever receive a token.
 * One source of truth for the credentials (their URL expressions are generated from these tables), the
 * shared transport (allow-list) and the tests.
 */

export type CloudName = 'global' | 'usGov' | 'usGovDod' | 'china' | 'custom';

export interface CloudHosts {
	/** Entra ID (login) base URL, no trailing slash. */
	loginUrl: string;
	/** Microsoft Graph base URL without version, no trailing slash. */
	graphUrl: string;
}

/** Documented hosts of each national cloud (Microsoft Learn: national cloud deployments). */
export const CLOUD_HOSTS: Record<Exclude<CloudName, 'custom'>, CloudHosts> = {
	global: { loginUrl: 'https://login.microsoftonline.com', graphUrl: 'https://graph.microsoft.com' },
	usGov: { loginUrl: 'https://login.microsoftonline.us', graphUrl: 'https://graph.microsoft.us' },
	usGovDod: { loginUrl: 'https://login.microsoftonline.us', graphUrl: 'https://dod-graph.microsoft.us' },
	china: { loginUrl: 'https://login.chinacloudapi.cn', graphUrl: 'https://microsoftgraph.chinacloudapi.cn' },
};

export const CLOUD_OPTIONS: Array<{ name: string; value: CloudName; description: string }> = [
	{ name: 'Global (Microsoft 365)', value: 'global', description: 'login.microsoftonline.com and graph.microsoft.com' },
	{ name: 'US Government (GCC High)', value: 'usGov', description: 'login.microsoftonline.us and graph.microsoft.us' },
	{ name: 'US Government (DoD)', value: 'usGovDod', description: 'login.microsoftonline.us and dod-graph.microsoft.us' },
	{ name: 'China (21Vianet)', value: 'china', description: 'login.chinacloudapi.cn and microsoftgraph.chinacloudapi.cn' },
	{ name: 'Custom (Proxy or Test Sandbox)', value: 'custom', description: 'Your own login and API base URLs (https only)' },
];

export interface CloudCredentialFields {
	cloud?: string;
	customLoginUrl?: string;
	customGraphUrl?: string;
}

/** Thrown for bad credential values; callers turn it into a NodeOperationError naming `field`. */
export class CredentialValueError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
		this.name = 'CredentialValueError';
	}
}

/** Normalises an https base URL typed by a user: trims, drops trailing slashes, refuses http and junk. */
export function parseHttpsBaseUrl(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new CredentialValueError(field, `"${field}" is empty: enter an https URL such as https://login.example.com`);
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new CredentialValueError(field, `"${field}" is not a valid URL: enter an https URL such as https://login.example.com`);
	}
	if (url.protocol !== 'https:') {
		throw new CredentialValueError(field, `"${field}" must use https:// — tokens are never sent over plain http`);
	}
	if (url.username || url.password || url.search || url.hash) {
		throw new CredentialValueError(field, `"${field}" must be a plain base URL without credentials, query or fragment`);
	}
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function resolveCloudHosts(fields: CloudCredentialFields): CloudHosts {
	const cloud = (fields.cloud || 'global') as CloudName;
	if (cloud === 'custom') {
		return {
			loginUrl: parseHttpsBaseUrl(fields.customLoginUrl, 'Custom Login URL'),
			graphUrl: parseHttpsBaseUrl(fields.customGraphUrl, 'Custom API URL'),
		};
	}
	const hosts = CLOUD_HOSTS[cloud as Exclude<CloudName, 'custom'>];
	if (!hosts) throw new CredentialValueError('Cloud', `Unknown cloud "${String(fields.cloud)}"`);
	return hosts;
}

/** `host[:port]` in lower case, the unit the allow-list compares. Default ports are dropped by URL. */
export function hostOf(url: string): string {
	return new URL(url).host.toLowerCase();
}

/** Hosts that may receive this credential's token: the cloud's login and Graph hosts plus configured resources. */
export function allowedHostsFor(hosts: CloudHosts, resourceUrls: string[] = []): Set<string> {
	return new Set([hosts.loginUrl, hosts.graphUrl, ...resourceUrls].map(hostOf));
}
