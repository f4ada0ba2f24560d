/**
 * Types for TypeScript tests importing the sandbox (`import { startSandbox, SEED } from '../sandbox'`).
 * The implementation is plain JavaScript (index.js); keep this file in step with it.
 */

export interface SandboxTenant {
	id: string;
	displayName: string;
	domains: string[];
}

export interface SandboxUser {
	id: string;
	tenant: string;
	userPrincipalName: string;
	displayName: string;
	givenName?: string | null;
	surname?: string | null;
	jobTitle?: string | null;
	mail?: string | null;
	officeLocation?: string | null;
	mobilePhone?: string | null;
	businessPhones?: string[];
	preferredLanguage?: string | null;
}

export interface SandboxApp {
	clientId: string;
	displayName?: string;
	homeTenant?: string;
	multiTenant?: boolean;
	secrets?: Array<{ id: string; value: string; expires: Date }>;
	certificates?: Array<{ pem: string }>;
	redirectUris?: string[];
	adminConsentTenants?: string[];
	applicationPermissions?: Record<string, string[]>;
}

export interface FaultSpec {
	method?: string;
	/** RegExp or regex source, tested against the raw pathname */
	path: string | RegExp;
	host?: 'api' | 'files' | 'any';
	status?: number;
	/** seconds ('1') or an HTTP date */
	retryAfter?: string | number;
	code?: string;
	message?: string;
	times?: number;
	reset?: boolean;
	delayMs?: number;
}

export interface RequestLogEntry {
	method: string;
	host: 'api' | 'files';
	path: string;
	query: string;
	hasAuthorization: boolean;
	/** 0 when the connection was reset by a fault */
	status: number | null;
	time: string;
	requestId: string;
	viaBatch: boolean;
}

export interface SandboxState {
	tenants: Map<string, SandboxTenant>;
	apps: Map<string, Required<Omit<SandboxApp, 'certificates'>> & { certificates: Array<{ pem: string; x5t: string; x5tS256: string }> }>;
	users: Map<string, SandboxUser>;
	requests: RequestLogEntry[];
	violations: Array<{ time: string; method: string; path: string; reason: string }>;
	consents: Map<string, Set<string>>;
	findTenant(idOrDomain: string): SandboxTenant | undefined;
	findUser(idOrUpn: string): SandboxUser | undefined;
	usersOfTenant(tenantId: string): SandboxUser[];
	revokeAllTokens(): void;
	[moduleKey: string]: unknown;
}

export interface Faults {
	add(spec: FaultSpec): { id: number; hits: number; remaining: number };
	reset(id?: number): void;
}

export interface SandboxTls {
	dir: string;
	caPath: string;
	ca: string;
	serverCert: string;
	serverKey: string;
	/** client certificate registered on SEED.apps.singleTenant */
	appCert: string;
	appKey: string;
}

export interface Sandbox {
	loginUrl: string;
	graphUrl: string;
	filesUrl: string;
	port: number;
	state: SandboxState;
	faults: Faults;
	tls: SandboxTls;
	router: unknown;
	/** Mints an access token (defaults: Contoso, the multi-tenant app, audience Graph; app-only unless userId is given). */
	issueToken(request?: { tenant?: string; appId?: string; userId?: string; scopes?: string[]; roles?: string[]; lifetimeSeconds?: number; audience?: string }): string;
	stop(): Promise<void>;
	/** helpers route modules attach (e.g. `drives` from graph/drives.js) */
	[extension: string]: unknown;
}

export interface SandboxOptions {
	port?: number;
	tenants?: SandboxTenant[];
	apps?: SandboxApp[];
	users?: SandboxUser[];
	tokenLifetimeSeconds?: number;
	modules?: Array<{ register(router: unknown, sandbox: Sandbox): void }>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

interface SeedApp {
	clientId: string;
	displayName: string;
	homeTenant: string;
	multiTenant: boolean;
	secretId: string;
	secret: string;
	adminConsentTenants: string[];
}

export const SEED: {
	tenants: { contoso: SandboxTenant; fabrikam: SandboxTenant };
	apps: { multiTenant: SeedApp; singleTenant: SeedApp; expiredSecret: SeedApp; noConsent: SeedApp };
	users: { alice: SandboxUser; bob: SandboxUser; carol: SandboxUser };
};
