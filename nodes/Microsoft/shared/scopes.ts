/**
 * Which permissions each credential asks for. One source of truth: the credentials' hidden `scope`
 * expressions are generated from these tables, and `readCredentialSettings` uses the same functions.
 */
import { CLOUD_HOSTS, type CloudName } from './clouds';

export interface GraphService {
	value: string;
	name: string;
	/** Delegated Microsoft Graph permissions, as named in the Graph permissions reference. */
	scopes: string[];
}

/** Services offered by the delegated credential; each maps to delegated Graph permissions. */
export const GRAPH_SERVICES: GraphService[] = [
	{ value: 'files', name: 'OneDrive and SharePoint Files', scopes: ['Files.ReadWrite.All', 'Sites.Read.All'] },
	{ value: 'mail', name: 'Outlook Mail', scopes: ['Mail.ReadWrite', 'Mail.Send'] },
	{ value: 'calendar', name: 'Outlook Calendar', scopes: ['Calendars.ReadWrite'] },
	{ value: 'contacts', name: 'Outlook Contacts', scopes: ['Contacts.ReadWrite'] },
	{
		value: 'sharedMailboxes',
		name: 'Outlook: Other and Shared Mailboxes',
		scopes: ['Mail.ReadWrite.Shared', 'Mail.Send.Shared', 'Calendars.ReadWrite.Shared', 'Contacts.ReadWrite.Shared'],
	},
	{
		value: 'teams',
		name: 'Teams',
		scopes: ['Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Send', 'ChatMessage.Send', 'Chat.ReadWrite'],
	},
	{ value: 'planner', name: 'Planner and To Do Tasks', scopes: ['Tasks.ReadWrite'] },
	{ value: 'users', name: 'Users (Read All Profiles)', scopes: ['User.Read.All'] },
];

export const DEFAULT_SERVICES = ['files'];

/** OpenID Connect scopes: never prefixed with a resource. `offline_access` gives a refresh token. */
export const OIDC_SCOPES = ['offline_access', 'openid', 'profile'];
/** Graph scopes every delegated sign-in asks for (who signed in). */
export const BASE_GRAPH_SCOPES = ['User.Read'];

/**
 * Graph scopes name the national Graph host (`https://graph.microsoft.us/Files.ReadWrite.All`);
 * global and custom clouds use bare names, which Entra (and the sandbox) read as Graph.
 */
export function graphScopePrefix(cloud: string | undefined): string {
	const name = (cloud || 'global') as CloudName;
	if (name === 'global' || name === 'custom') return '';
	const hosts = CLOUD_HOSTS[name as Exclude<CloudName, 'custom'>];
	return hosts ? `${hosts.graphUrl}/` : '';
}

/** Splits the "additional scopes" field on spaces and commas. */
export function splitScopes(text: unknown): string[] {
	return String(text ?? '')
		.split(/[\s,]+/)
		.filter((scope) => scope.length > 0);
}

/** Keeps the first of each scope; Entra compares scope names case-insensitively. */
export function uniqueScopes(scopes: string[]): string[] {
	const seen = new Set<string>();
	return scopes.filter((scope) => {
		const key = scope.toLowerCase();
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

export interface DelegatedScopeFields {
	cloud?: string;
	services?: unknown;
	additionalScopes?: unknown;
}

/** Scopes of the delegated Graph credential, in request order. */
export function delegatedGraphScopes(fields: DelegatedScopeFields): string[] {
	const prefix = graphScopePrefix(fields.cloud);
	const services = Array.isArray(fields.services) ? (fields.services as unknown[]).map(String) : [];
	const graphScopes = [...BASE_GRAPH_SCOPES];
	for (const service of GRAPH_SERVICES) {
		if (services.includes(service.value)) graphScopes.push(...service.scopes);
	}
	return uniqueScopes([
		...OIDC_SCOPES,
		...graphScopes.map((scope) => prefix + scope),
		...splitScopes(fields.additionalScopes),
	]);
}

export type ScopeStyle = 'default' | 'userImpersonation';

/** Delegated scopes for a non-Graph resource API (tenant-specific credential). */
export function resourceDelegatedScopes(resourceUrl: string, style: ScopeStyle | string | undefined): string[] {
	const permission = style === 'userImpersonation' ? 'user_impersonation' : '.default';
	return [`${resourceUrl}/${permission}`, 'offline_access'];
}

/** App-only: always `{resource}/.default` (one resource per token). */
export function appOnlyScopes(resourceUrl: string): string[] {
	return [`${resourceUrl}/.default`];
}

// ---------------------------------------------------------------------------------------------
// Expression twins (see clouds.ts for why). Keep them in step with the functions above; the unit
// tests evaluate both for every cloud × service combination.
// ---------------------------------------------------------------------------------------------

function serviceTableLiteral(): string {
	const table: Record<string, string[]> = {};
	for (const service of GRAPH_SERVICES) table[service.value] = service.scopes;
	return JSON.stringify(table);
}

function prefixTableLiteral(): string {
	const table: Record<string, string> = {};
	for (const cloud of Object.keys(CLOUD_HOSTS)) table[cloud] = graphScopePrefix(cloud);
	return JSON.stringify(table);
}

/** `={{ ... }}` for the delegated credential's hidden `scope` field (space separated). */
export function delegatedScopeExpression(): string {
	const body = [
		`const services = ${serviceTableLiteral()};`,
		`const prefix = ${prefixTableLiteral()}[$self.cloud || "global"] || "";`,
		`const chosen = Array.isArray($self.services) ? $self.services.map(String) : [];`,
		`const graph = ${JSON.stringify(BASE_GRAPH_SCOPES)};`,
		`Object.keys(services).forEach((name) => { if (chosen.includes(name)) services[name].forEach((s) => graph.push(s)); });`,
		`const all = ${JSON.stringify(OIDC_SCOPES)}.concat(graph.map((s) => prefix + s))` +
			`.concat(String($self.additionalScopes || "").split(/[\\s,]+/).filter((s) => s.length > 0));`,
		`const seen = [];`,
		`return all.filter((s) => { const k = s.toLowerCase(); if (seen.includes(k)) return false; seen.push(k); return true; }).join(" ");`,
	].join(' ');
	return `={{ (() => { ${body} })() }}`;
}

/** `={{ ... }}` for the tenant-specific credential's `scope`: `{resource}/.default offline_access` or user_impersonation. */
export function resourceScopeExpression(resourceUrlFragment: string): string {
	return (
		`={{ ${resourceUrlFragment} + "/" + ($self.scopeStyle === "userImpersonation" ? "user_impersonation" : ".default") + " offline_access" }}`
	);
}
