/** Entra tenant identifiers: what a credential may name, and why some are refused. */
import { CredentialValueError } from './clouds';

export const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers'] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A verified domain: labels of letters, digits and hyphens, at least one dot (contoso.onmicrosoft.com).
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isTenantGuid(value: string): boolean {
	return GUID.test(value);
}

/**
 * Returns the tenant as it goes into the login URL path.
 * `allowAliases` is false for app-only and resource sign-in, which need one real tenant.
 */
export function validateTenant(value: unknown, options: { allowAliases: boolean; field?: string }): string {
	const field = options.field ?? 'Tenant';
	const tenant = typeof value === 'string' ? value.trim() : '';
	if (!tenant) {
		throw new CredentialValueError(
			field,
			`"${field}" is empty: enter your directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com`,
		);
	}
	const lower = tenant.toLowerCase();
	if ((MULTI_TENANT_ALIASES as readonly string[]).includes(lower)) {
		if (options.allowAliases) return lower;
		throw new CredentialValueError(
			field,
			`"${field}" cannot be "${lower}" here: app-only and resource sign-in need one specific tenant. ` +
				'Enter your Directory (tenant) ID from the app registration\'s Overview page, or a verified domain.',
		);
	}
	if (GUID.test(tenant) || DOMAIN.test(tenant)) return lower;
	throw new CredentialValueError(
		field,
		`"${field}" is not a tenant ID or domain: use the Directory (tenant) ID (a GUID) from the app ` +
			'registration\'s Overview page, or a verified domain such as contoso.onmicrosoft.com' +
			(options.allowAliases ? ', or common / organizations / consumers' : ''),
	);
}
