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
	{ name: 'Global (Microsoft 365)', value: 'global', description: 'Sign-in at login.microsoftonline.com, Graph at graph.microsoft.com' },
	{ name: 'US Government (GCC High)', value: 'usGov', description: 'Sign-in at login.microsoftonline.us, Graph at graph.microsoft.us' },
	{ name: 'US Government (DoD)', value: 'usGovDod', description: 'Sign-in at login.microsoftonline.us, Graph at dod-graph.microsoft.us' },
	{ name: 'China (21Vianet)', value: 'china', description: 'Sign-in at login.chinacloudapi.cn, Graph at microsoftgraph.chinacloudapi.cn' },
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

/**
 * Path prefixes that confine the token on a host, for base URLs with a path (a custom cloud behind a proxy,
 * `https://proxy.example.com/graph`): host → prefixes. A host that also serves a base URL without a path
 * gets no entry (any path on it is allowed); Microsoft's own clouds never have one.
 */
export function allowedPathPrefixesFor(hosts: CloudHosts, resourceUrls: string[] = []): Map<string, string[]> {
	const byHost = new Map<string, string[]>();
	for (const base of [hosts.loginUrl, hosts.graphUrl, ...resourceUrls]) {
		const url = new URL(base);
		const prefix = url.pathname.replace(/\/+$/, '');
		const host = url.host.toLowerCase();
		byHost.set(host, [...(byHost.get(host) ?? []), prefix]);
	}
	for (const [host, prefixes] of byHost) if (prefixes.includes('')) byHost.delete(host);
	return byHost;
}

/** Is `pathname` (already normalised by URL) at or below one of the prefixes? */
export function isUnderPathPrefix(pathname: string, prefixes: string[]): boolean {
	return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

// ---------------------------------------------------------------------------------------------
// URL builders and their n8n-expression twins.
//
// The OAuth2 connect flow in n8n cannot run our code: it only evaluates the credential's hidden
// `=`-expressions over `$self`. The expressions below are generated from the same tables as the
// TypeScript builders, and unit tests evaluate them with n8n's engine against these functions.
// ---------------------------------------------------------------------------------------------

/** Entra v2 endpoints of one tenant. `loginUrl` is a normalised base URL (see resolveCloudHosts). */
export function authorityUrl(loginUrl: string, tenant: string): string {
	return `${loginUrl}/${encodeURIComponent(tenant)}`;
}
export function authorizeUrl(loginUrl: string, tenant: string): string {
	return `${authorityUrl(loginUrl, tenant)}/oauth2/v2.0/authorize`;
}
export function tokenUrl(loginUrl: string, tenant: string): string {
	return `${authorityUrl(loginUrl, tenant)}/oauth2/v2.0/token`;
}

/** A JavaScript object literal of `{ cloud: value }`, embedded in generated expressions. */
function cloudTableLiteral(pick: (hosts: CloudHosts) => string): string {
	const table: Record<string, string> = {};
	for (const [cloud, hosts] of Object.entries(CLOUD_HOSTS)) table[cloud] = pick(hosts);
	return JSON.stringify(table);
}

/** What a custom URL that is not https turns into in the OAuth2 flow: a host that cannot resolve. */
export const NOT_HTTPS_PLACEHOLDER = 'https://custom-url-must-start-with-https.invalid';

/**
 * Expression fragment (no `{{ }}`) for a base URL: the cloud's documented host, or for `custom` the
 * user's URL trimmed of whitespace and trailing slashes (the node path additionally validates it). n8n's
 * OAuth2 connect flow runs only this expression, so a custom URL that is not https becomes an unresolvable
 * placeholder there: the browser and the code exchange never talk to it over plain http.
 */
function baseUrlFragment(pick: (hosts: CloudHosts) => string, customField: keyof CloudCredentialFields): string {
	const custom = `String($self.${customField} || "").trim().replace(/\\/+$/, "")`;
	return (
		`(${cloudTableLiteral(pick)}[$self.cloud || "global"] || ` +
		`(/^https:\\/\\//i.test(${custom}) ? ${custom} : ${JSON.stringify(NOT_HTTPS_PLACEHOLDER)}))`
	);
}

export const LOGIN_URL_FRAGMENT = baseUrlFragment((h) => h.loginUrl, 'customLoginUrl');
export const GRAPH_URL_FRAGMENT = baseUrlFragment((h) => h.graphUrl, 'customGraphUrl');

/** Tenant as it enters the URL; `fallback` is the default for an empty field (delegated: common). */
export function tenantFragment(fallback: string): string {
	return `encodeURIComponent(String($self.tenant || ${JSON.stringify(fallback)}).trim().toLowerCase())`;
}

/** `={{ ... }}` expressions for the OAuth2 credentials' hidden authUrl / accessTokenUrl. */
export function authorizeUrlExpression(tenantFallback: string): string {
	return `={{ ${LOGIN_URL_FRAGMENT} + "/" + ${tenantFragment(tenantFallback)} + "/oauth2/v2.0/authorize" }}`;
}
export function tokenUrlExpression(tenantFallback: string): string {
	return `={{ ${LOGIN_URL_FRAGMENT} + "/" + ${tenantFragment(tenantFallback)} + "/oauth2/v2.0/token" }}`;
}

// ---------------------------------------------------------------------------------------------
// Resource APIs other than Graph (Dynamics 365). Their URLs become token audiences and join the
// allow-list, so they are validated per cloud.
// ---------------------------------------------------------------------------------------------

export type ResourceKind = 'graph' | 'dataverse' | 'financeOperations' | 'businessCentral' | 'custom';

/**
 * Business Central's API host; Microsoft documents it for the global cloud only. A custom cloud may name its own
 * (the credential's `businessCentralUrl`: a proxy or the test sandbox); empty, it uses Microsoft's.
 */
export const BUSINESS_CENTRAL_URL: Partial<Record<CloudName, string>> = {
	global: 'https://api.businesscentral.dynamics.com',
	custom: 'https://api.businesscentral.dynamics.com',
};

/**
 * Host suffixes of Dataverse / Finance & Operations environments per cloud (Dataverse global discovery
 * service: commercial and GCC *.dynamics.com, GCC High *.microsoftdynamics.us, DoD *.appsplatform.us,
 * China *.dynamics.cn). `custom` accepts any https host (proxies, the sandbox).
 */
export const ENVIRONMENT_HOST_SUFFIXES: Record<Exclude<CloudName, 'custom'>, string[]> = {
	global: ['.dynamics.com'],
	usGov: ['.microsoftdynamics.us', '.dynamics.com'],
	usGovDod: ['.appsplatform.us', '.microsoftdynamics.us'],
	china: ['.dynamics.cn'],
};

/** A Dynamics environment URL: https origin only (`https://org.crm.dynamics.com`), host checked per cloud. */
export function parseEnvironmentUrl(value: unknown, cloud: CloudName, field = 'Environment URL'): string {
	const base = parseHttpsBaseUrl(value, field);
	const url = new URL(base);
	if (url.pathname !== '/' && url.pathname !== '') {
		throw new CredentialValueError(
			field,
			`"${field}" must be the environment's address only, such as https://org.crm.dynamics.com — remove "${url.pathname}"`,
		);
	}
	if (cloud !== 'custom') {
		const suffixes = ENVIRONMENT_HOST_SUFFIXES[cloud];
		if (!suffixes.some((suffix) => url.hostname.endsWith(suffix))) {
			throw new CredentialValueError(
				field,
				`"${field}" host ${url.hostname} is not a Dynamics 365 host of this cloud (expected *${suffixes.join(' or *')}); ` +
					'check the URL and the Cloud setting',
			);
		}
	}
	return url.origin;
}

/**
 * Expression fragment for the resource URL (no validation; the node path validates with
 * readCredentialSettings). `fallback` is the resource when the field is empty.
 */
export function resourceUrlFragment(fallback: ResourceKind): string {
	const trim = (field: string) => `String($self.${field} || "").trim().replace(/\\/+$/, "")`;
	return (
		`({ "graph": ${GRAPH_URL_FRAGMENT}, ` +
		`"dataverse": ${trim('environmentUrl')}.toLowerCase(), "financeOperations": ${trim('environmentUrl')}.toLowerCase(), ` +
		`"businessCentral": ($self.cloud === "custom" && ${trim('businessCentralUrl')}) || ${JSON.stringify(BUSINESS_CENTRAL_URL)}[$self.cloud || "global"] || "", ` +
		`"custom": ${trim('customResource')} })[$self.resource || ${JSON.stringify(fallback)}]`
	);
}
