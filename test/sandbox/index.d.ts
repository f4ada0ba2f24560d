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
	host?: 'api' | 'files' | 'dataverse' | 'financeOperations' | 'businessCentral' | 'any';
	status?: number;
	/** seconds ('1') or an HTTP date */
	retryAfter?: string | number;
	code?: string;
	message?: string;
	times?: number;
	reset?: boolean;
	delayMs?: number;
	/** let the first N matching requests through */
	skip?: number;
}

export interface RequestLogEntry {
	method: string;
	host: 'api' | 'files' | 'dataverse' | 'financeOperations' | 'businessCentral';
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
	/** Faults of the Entra token endpoint (faults.js TokenFaults; HTTP: /_sandbox/token-faults). */
	tokenFaults?: {
		add(spec: {
			status?: number;
			aadsts?: number | null;
			error?: string;
			description?: string;
			retryAfter?: string | number;
			body?: string;
			tenant?: string;
			times?: number;
			delayMs?: number;
		}): { id: number; hits: number; remaining: number };
		reset(id?: number): void;
	};
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

/** Item JSON as Graph returns it (`driveItem`, `site`, ...); shapes are checked by sandbox-shapes.test.ts. */
export type GraphJson = Record<string, any>;

/** `sandbox.drives` (graph/drives.js): seed and inspect OneDrive / SharePoint state from tests. */
export interface SandboxDrives {
	/** OneDrive for Business drive id of a user (id or UPN); throws when the user has none. */
	driveIdOfUser(userIdOrUpn: string): string;
	/** the seeded OneDrive personal drive (Alice's; consumer URL forms) */
	personalDriveId(): string;
	/** a site of a tenant by name ('' = the root site); throws when unknown */
	site(tenantId: string, name: string): { id: string; tenantId: string; name: string; displayName: string; webUrl: string; driveIds: string[]; isRoot: boolean };
	/** a group (group-connected site) by display name; throws when unknown */
	group(tenantId: string, displayName: string): { id: string; tenantId: string; displayName: string; mailNickname: string; siteId: string; driveId: string };
	/** several folders and files at once (missing parents created); driveItem JSON by the path given */
	seed(driveId: string, spec: { files?: Record<string, Buffer | string>; folders?: string[] }): Record<string, GraphJson>;
	/** creates or replaces a file (missing folders are created) → driveItem JSON */
	addFile(driveId: string, path: string, content: Buffer | string): GraphJson;
	/** a file of `size` deterministic bytes, streamed to disk (benchmarks) */
	addLargeFile(driveId: string, path: string, size: number): Promise<GraphJson>;
	/** mkdir -p → driveItem JSON of the folder */
	addFolder(driveId: string, path: string): GraphJson;
	/** a folder with `count` small files item-00001.txt ... (paging tests) */
	bulkFolder(driveId: string, path: string, count: number): GraphJson;
	itemByPath(driveId: string, path: string): GraphJson | null;
	itemById(itemId: string): GraphJson | null;
	/** bytes of a file (small files) */
	contentOf(itemId: string): Buffer;
	deleteByPath(driveId: string, path: string): void;
	renameByPath(driveId: string, path: string, newName: string): GraphJson;
	/** the next delta request with a token on this drive answers 410 resyncRequired (once) */
	requireResync(driveId: string): void;
	setQuota(driveId: string, totalBytes: number): void;
	/** closes a drive to all app-only tokens and/or one principal (user id or app id) */
	denyAccess(driveId: string, rule: { appOnly?: boolean; principal?: string }): void;
	/** copy monitor: polls answered inProgress before the result, and whether the copy fails */
	copyBehavior: { pollsInProgress: number; fail: boolean; redirectWhenDone: boolean };
	/** cuts the connection after `afterBytes` of the next upload fragment (`times` fragments) */
	cutNextFragment(cut: { afterBytes: number; times?: number }): void;
	openUploadSessions(): number;
	/** `u!…` share id of a sharing URL */
	shareIdFor(url: string): string;
	/** the item a pasted URL names (what /shares resolves), or null */
	itemForUrl(url: string): GraphJson | null;
	listDrives(): Array<GraphJson & { siteId: string | null; tenantId: string }>;
	listSites(): Array<GraphJson & { tenantId: string; driveIds: string[] }>;
	/** the internal store (for tests that need more than the helpers) */
	store: unknown;
}

/** A row of the Dataverse `accounts` table (column → value). */
export type DataverseAccount = Record<string, string | number | null>;
/** A stored Dataverse row (column → value; lookups hold the target's id, customer lookups also `<column>@table`). */
export type DataverseRow = Record<string, any>;

/** A table of the sandbox's Dataverse schema (test/sandbox/dataverse-schema.js). */
export interface DataverseTableDefinition {
	logicalName: string;
	entitySetName: string;
	schemaName: string;
	label: string;
	collectionLabel: string;
	primaryId: string;
	primaryName: string;
	changeTracking: boolean;
	custom: boolean;
	objectTypeCode: number;
	primaryImage?: string;
	columns: Array<{
		name: string;
		type: 'Uniqueidentifier' | 'String' | 'Memo' | 'Integer' | 'BigInt' | 'Decimal' | 'Money' | 'Double' | 'Boolean' | 'DateTime' | 'Picklist' | 'State' | 'Status' | 'Lookup' | 'Customer' | 'File' | 'Image';
		label: string;
		required?: 'None' | 'ApplicationRequired' | 'SystemRequired' | 'Recommended';
		create?: boolean;
		update?: boolean;
		maxLength?: number;
		min?: number;
		max?: number;
		dateOnly?: boolean;
		options?: Array<[number, string, number?]>;
		targets?: string[];
		maxSizeKb?: number;
	}>;
	keys: Array<{ name: string; label: string; columns: string[] }>;
}

/** Counts of the requests that reached the Dataverse host over HTTP (`$batch` parts counted apart). */
export interface DataverseRequestCounts {
	/** HTTP requests to the Dataverse host (a `$batch` counts once) */
	total: number;
	byMethod: Record<string, number>;
	/** "POST /api/data/v9.2/$batch" → count */
	byRoute: Record<string, number>;
	/** requests run inside `$batch` payloads */
	inBatches: number;
}

/** `sandbox.dataverse` (dataverse.js, dataverse-control.js): the Dataverse environment on `dataverseUrl`. */
export interface SandboxDataverse {
	url: string;
	environment: {
		/** the tenant whose tokens the environment accepts (Contoso) */
		tenantId: string;
		organizationId: string;
		businessUnitId: string;
		environmentId: string;
		/** app ids (lower case) that have an application user; add or delete to change who may call */
		applicationUsers: Set<string>;
	};
	/** the schema's tables */
	tables: DataverseTableDefinition[];
	/** the internal store (rows per table, version clock, deletions, links, files) */
	store: unknown;
	/** the accounts table: id (lower case) → row */
	accounts: Map<string, DataverseAccount>;
	/** a table's rows by logical name or entity set name: id → stored row */
	rows(table: string): Map<string, DataverseRow>;
	/** adds one row as a create request would (checked; `nav@odata.bind` allowed) → its JSON */
	addRow(table: string, values: Record<string, unknown>): Record<string, unknown>;
	/** adds `count` rows fast, unchecked: primary name `${prefix} 00001`…, `values` (stored column names) fill the rest → ids */
	seed(table: string, count: number, options?: { prefix?: string; values?: Record<string, unknown> | ((n: number) => Record<string, unknown>) }): string[];
	/** a row's JSON (as GET returns it), or null */
	row(table: string, id: string): Record<string, unknown> | null;
	/** changes a row as an update would (checked; versioned and change-tracked) → its JSON */
	updateRow(table: string, id: string, values: Record<string, unknown>): Record<string, unknown>;
	/** deletes a row (change-tracked) → whether it existed */
	deleteRow(table: string, id: string): boolean;
	/** switches change tracking of a table on or off (overrides the schema) */
	setChangeTracking(table: string, enabled: boolean): void;
	/** every delta token issued so far (for one table or all) answers 0x80044352 from now on */
	expireDeltaTokens(table?: string): void;
	/** many-to-many links of a relationship as [entity1 id, entity2 id] */
	links(relationshipSchemaName: string): string[][];
	/** content of a file or image column, or null */
	file(table: string, id: string, column: string): { name: string; type: string; bytes: Buffer } | null;
	/** HTTP requests that reached the Dataverse host (not `$batch` parts), optionally by method / path */
	requests(filter?: { method?: string; path?: string | RegExp }): RequestLogEntry[];
	requestCounts(): DataverseRequestCounts;
	/** adds `count` accounts named `${prefix} 00001` ... (default prefix 'Bulk account') */
	addAccounts(count: number, prefix?: string): void;
	/** adds one account → its JSON (with `@odata.etag`) */
	addAccount(values: Record<string, unknown>): Record<string, unknown>;
	/** JSON of an account, or null */
	account(id: string): (Record<string, unknown> & DataverseAccount) | null;
}

/** A row of an F&O data entity (field → value, with `@odata.etag`). */
export type FinanceOperationsRow = Record<string, unknown>;

/** `sandbox.financeOperations` (financeOperations.js): the F&O environment on `financeOperationsUrl`. */
export interface SandboxFinanceOperations {
	url: string;
	environment: {
		/** the tenant whose tokens the environment accepts (Contoso) */
		tenantId: string;
		/** "Microsoft Entra ID applications": app id (lower case) → F&O user and default company; delete to refuse an app (401) */
		applications: Map<string, { userId: string; company: string }>;
		/** users (Entra object id) → F&O user and default company (Alice: usmf, Bob: demf) */
		users: Map<string, { userId: string; company: string }>;
		/** rows a page without `Prefer: odata.maxpagesize` (default 10,000, F&O's) */
		pageSize: number;
	};
	store: unknown;
	/** rows of an entity set, every company */
	rows(set: string): FinanceOperationsRow[];
	/** a row by its key values (e.g. { dataAreaId: 'usmf', CustomerAccount: 'US-001' }), or null */
	row(set: string, keys: Record<string, unknown>): FinanceOperationsRow | null;
	add(set: string, values: Record<string, unknown>): FinanceOperationsRow;
	/** `count` customers `${prefix}-00001` … in a company (default usmf, prefix BULK) */
	addCustomers(count: number, company?: string, prefix?: string): void;
	/** the next `times` requests under /data answer 429 with Retry-After */
	throttle(times?: number, retryAfter?: string): unknown;
}

/** A Business Central company of the sandbox. */
export interface BusinessCentralCompany {
	id: string;
	name: string;
	displayName: string;
	json(): Record<string, unknown>;
	table(set: string): Map<string, Record<string, unknown>>;
}

/** `sandbox.businessCentral` (businessCentral.js): Business Central on `businessCentralUrl`. */
export interface SandboxBusinessCentral {
	url: string;
	/** https://api.businesscentral.dynamics.com (the `aud` its tokens carry) */
	audience: string;
	tenantId: string;
	access: {
		/** app ids (lower case) registered in the environments ("Microsoft Entra applications") */
		applications: Set<string>;
		/** users (Entra object ids) of the environments */
		users: Set<string>;
		/** rows a page without `Prefer: odata.maxpagesize` (default 20,000) */
		pageSize: number;
	};
	environments: Map<string, { name: string; type: 'Production' | 'Sandbox'; countryCode: string; companies: Map<string, BusinessCentralCompany> }>;
	environment(name: string): { name: string; type: string; companies: Map<string, BusinessCentralCompany> } | null;
	/** a company by name ('CRONUS USA, Inc.', 'My Company') or id */
	company(environment: string, nameOrId: string): BusinessCentralCompany | null;
	/** `${url}/v2.0/${tenantId}/${environment}/api/${api}` (api: 'v2.0' or 'contoso/sales/v1.0') */
	apiUrl(environment?: string, api?: string): string;
	/** records of a set ('customers', 'salesInvoiceLines', 'contoso/sales/v1.0/deals', …) */
	records(company: BusinessCentralCompany, set: string): Array<Record<string, unknown>>;
	addCustomers(company: BusinessCentralCompany, count: number): void;
	/** changes a record behind the caller's back (new ETag) */
	touch(company: BusinessCentralCompany, set: string, id: string, changes?: Record<string, unknown>): Record<string, unknown>;
	/** the next `times` API requests answer 429 with Retry-After */
	throttle(times?: number, retryAfter?: string): unknown;
}

/** A mailbox as the Outlook helpers name it: user id, UPN / SMTP address, or a shared mailbox's address. */
export type MailboxName = string;
/** An address given to the Outlook helpers: `'x@y'` or `{ name, address }`. */
export type OutlookAddress = string | { name?: string; address: string };

/** What `sandbox.outlook.seedMessage(s)` puts into a mailbox (defaults: Inbox, unread, now, from sender@external.example). */
export interface OutlookMessageSpec {
	/** folder id, well-known name (inbox, sentitems, drafts, …) or display name */
	folder?: string;
	subject?: string;
	/** HTML unless bodyType is 'text' (plain text is wrapped in HTML otherwise) */
	body?: string;
	bodyType?: 'html' | 'text';
	from?: OutlookAddress;
	/** default: the mailbox itself */
	to?: OutlookAddress[];
	cc?: OutlookAddress[];
	bcc?: OutlookAddress[];
	isRead?: boolean;
	isDraft?: boolean;
	importance?: 'low' | 'normal' | 'high';
	categories?: string[];
	flag?: 'notFlagged' | 'flagged' | 'complete';
	/** ISO date-time; a burst ends at it (newest) */
	receivedDateTime?: string;
	attachments?: Array<{ name: string; contentType?: string; content?: Buffer | string; base64?: string; isInline?: boolean; contentId?: string }>;
	internetMessageHeaders?: Array<{ name: string; value: string }>;
}

/** A message as the helpers return it: Graph's message JSON plus a summary of its attachments. */
export type OutlookMessageJson = GraphJson & {
	id: string;
	subject: string;
	parentFolderId: string;
	attachments: Array<{ id: string; name: string; contentType: string; size: number; isInline: boolean }>;
};

/** An entry of the outbox: mail that left the tenant (only the recipients outside it are listed). */
export interface OutlookOutboxEntry {
	id: string;
	time: string;
	tenantId: string;
	/** the mailbox that sent it */
	mailbox: string;
	from: string;
	to: string[];
	cc: string[];
	bcc: string[];
	subject: string;
	internetMessageId: string;
	body: { contentType: string; content: string };
	attachments: Array<{ name: string; contentType: string; size: number; isInline: boolean }>;
}

/** `sandbox.outlook` (graph/outlook-api.js): seed and inspect mailboxes, calendars and contacts (also as /_sandbox/outlook/*). */
export interface SandboxOutlook {
	listMailboxes(): Array<ReturnType<SandboxOutlook['mailbox']>>;
	/** ids and well-known folder ids of a mailbox; throws when unknown */
	mailbox(mailbox: MailboxName): {
		id: string;
		address: string;
		displayName: string;
		kind: 'user' | 'shared';
		tenantId: string;
		/** well-known name (inbox, drafts, sentitems, deleteditems, junkemail, outbox, archive, conversationhistory, syncissues, msgfolderroot) → id */
		folders: Record<string, string>;
		defaultCalendarId: string;
		/** user ids with full access / send-as */
		fullAccess: string[];
		sendAs: string[];
	};
	/** mailFolder JSON by id, well-known name or display name, or null */
	folder(mailbox: MailboxName, folder: string): GraphJson | null;
	/** messages, newest first (all folders, or one) */
	messages(mailbox: MailboxName, folder?: string): OutlookMessageJson[];
	/** a message by id or exact subject (newest with it), optionally within one folder; null when none */
	message(mailbox: MailboxName, idOrSubject: string, folder?: string): OutlookMessageJson | null;
	seedMessage(mailbox: MailboxName, spec?: OutlookMessageSpec): OutlookMessageJson;
	/** `count` messages "{subject ?? 'Bulk message'} 00001"… one minute apart → ids, oldest first */
	seedMessages(mailbox: MailboxName, count: number, spec?: OutlookMessageSpec): string[];
	/** changes a message (it counts as updated for delta) */
	updateMessage(mailbox: MailboxName, id: string, changes: Partial<{ isRead: boolean; subject: string; categories: string[]; importance: string }>): OutlookMessageJson;
	/** removes a message for good (delta reports it removed) */
	deleteMessage(mailbox: MailboxName, id: string): void;
	/** bytes of an attachment by id or name */
	attachmentBytes(mailbox: MailboxName, messageId: string, attachmentIdOrName: string): Buffer;
	/** mail sent to recipients outside the tenant, oldest first */
	outbox(): OutlookOutboxEntry[];
	clearOutbox(): void;
	/** the next `times` (default 1) requests to the mailbox answer 429 ApplicationThrottled with Retry-After (default '1') */
	throttle(mailbox: MailboxName, options?: { times?: number; retryAfter?: string | number }): void;
	/** every delta and page token of the mailbox answers 410 SyncStateNotFound from now on */
	expireDeltaTokens(mailbox: MailboxName): void;
	/** grants (true) or removes (false) full access / send-as on a mailbox to a user */
	setMailboxPermission(mailbox: MailboxName, user: string, rights: { fullAccess?: boolean; sendAs?: boolean }): void;
	/** series masters and single events of all calendars (UTC) */
	events(mailbox: MailboxName): GraphJson[];
	/** an event by id or subject, or null */
	event(mailbox: MailboxName, idOrSubject: string): GraphJson | null;
	/** creates an event as its organizer (Graph event JSON; in-tenant attendees are invited) */
	seedEvent(mailbox: MailboxName, spec: GraphJson): GraphJson;
	contacts(mailbox: MailboxName): GraphJson[];
	/** a contact by id or displayName, or null */
	contact(mailbox: MailboxName, idOrName: string): GraphJson | null;
	seedContact(mailbox: MailboxName, fields: GraphJson): GraphJson;
	/** attachment upload sessions neither finished nor cancelled */
	openUploadSessions(): number;
	/** the internal store (for tests that need more than the helpers) */
	store: unknown;
}

/** A team as `sandbox.teams` summarises it. */
export interface TeamsTeamSummary {
	id: string;
	displayName: string;
	tenantId: string;
	isArchived: boolean;
	/** false while its creation operation runs */
	ready: boolean;
	generalChannelId: string;
	members: Array<{ userId: string; roles: string[] }>;
	channels: TeamsChannelSummary[];
}

export interface TeamsChannelSummary {
	id: string;
	teamId: string;
	displayName: string;
	membershipType: 'standard' | 'private' | 'shared';
	/** own members of a private or shared channel (empty for standard channels) */
	members: Array<{ userId: string; roles: string[] }>;
}

/** A message posted through the helpers: content rules as Graph's (mentions need <at id="N"> tags, cards <attachment id>). */
export interface TeamsMessageSpec {
	/** sender: user id or UPN */
	from: string;
	content: string;
	/** default 'html' */
	contentType?: 'text' | 'html';
	subject?: string | null;
	importance?: 'normal' | 'high' | 'urgent';
	mentions?: GraphJson[];
	attachments?: GraphJson[];
}

/** A notification or lifecycle notification the sandbox sent, with every attempt. */
export interface TeamsDelivery {
	id: string;
	kind: 'notification' | 'lifecycle';
	subscriptionId: string;
	url: string;
	changeType: string | null;
	lifecycleEvent: string | null;
	/** the notification's resource, e.g. teams('…')/channels('…')/messages('…') */
	resource: string | null;
	/** the POSTed JSON: { value: [ { subscriptionId, clientState, changeType, resource, resourceData, subscriptionExpirationDateTime, tenantId } ] } */
	body: { value: GraphJson[] };
	attempts: Array<{ time: string; status: number | null; error: string | null; durationMs: number }>;
	/** dropped: the subscription ended before a retry */
	state: 'pending' | 'delivered' | 'failed' | 'dropped';
	createdDateTime: string;
}

export interface TeamsDeliveryFilter {
	subscriptionId?: string;
	kind?: 'notification' | 'lifecycle';
	state?: TeamsDelivery['state'];
	changeType?: string;
	lifecycleEvent?: string;
}

export interface TeamsSubscriptionClock {
	/** cap of the lifetime granted to new and renewed subscriptions (ms); null: Graph's own maximum (4320 minutes) */
	maxLifetimeMs: number | null;
	/** how long before expiry reauthorizationRequired is sent (ms); null: 10 minutes or a quarter of the lifetime, whichever is shorter */
	reauthorizeBeforeMs: number | null;
}

export interface TeamsDeliverySettings {
	/** the validation handshake must be answered within this (default 10000) */
	validationTimeoutMs: number;
	/** a notification must be answered 2xx within this (default 3000) */
	timeoutMs: number;
	/** waits before each retry (default [1000, 2000, 4000, 8000]: 5 attempts) */
	retryDelaysMs: number[];
}

/** `sandbox.teams` (graph/teams-api.js): Teams, chats, Planner, online meetings and change-notification subscriptions. */
export interface SandboxTeams {
	listTeams(): TeamsTeamSummary[];
	/** by id or display name; throws when unknown */
	team(team: string): TeamsTeamSummary;
	channel(team: string, channel: string): TeamsChannelSummary;
	/** a ready team (no async operation) with General; announced as created */
	createTeam(spec: { displayName: string; owner: string; members?: string[]; description?: string; visibility?: 'private' | 'public' }): TeamsTeamSummary;
	archiveTeam(team: string, archived?: boolean): TeamsTeamSummary;
	addChannel(team: string, spec: { displayName: string; description?: string; membershipType?: 'standard' | 'private' | 'shared'; members?: Array<string | { user: string; roles?: string[] }> }): TeamsChannelSummary;
	/** adds a member (or sets their roles) of a team, or of a private/shared channel */
	addMember(team: string, user: string, roles?: string[], channel?: string): TeamsTeamSummary;
	removeMember(team: string, user: string, channel?: string): TeamsTeamSummary;
	/** every message and reply of a channel (chatMessage JSON), newest first */
	messages(team: string, channel: string): GraphJson[];
	message(team: string, channel: string, id: string): GraphJson | null;
	/** posts as a user (notifications follow); replyTo: id of a top-level message */
	postMessage(team: string, channel: string, spec: TeamsMessageSpec & { replyTo?: string }): GraphJson;
	/** `count` old messages "{content} 00001"… one minute apart, without notifications → ids, oldest first */
	seedMessages(team: string, channel: string, count: number, spec: { from: string; content?: string }): string[];
	editMessage(team: string, channel: string, id: string, change: { content: string; contentType?: 'text' | 'html' }): GraphJson;
	/** soft delete (changeType deleted) */
	deleteMessage(team: string, channel: string, id: string): GraphJson;
	/** chats (of a user), chat JSON with members */
	chats(user?: string): GraphJson[];
	/** by id or topic */
	chat(chat: string): GraphJson;
	/** oneOnOne (two users, no topic: the existing chat when there is one) or group */
	createChat(spec: { chatType?: 'oneOnOne' | 'group'; members: string[]; topic?: string }): GraphJson;
	chatMessages(chat: string): GraphJson[];
	postChatMessage(chat: string, spec: TeamsMessageSpec): GraphJson;
	plans(): Array<{ id: string; title: string; groupId: string; etag: string }>;
	/** plannerTask JSON with @odata.etag (of a plan, or all) */
	tasks(planId?: string): GraphJson[];
	task(idOrTitle: string): GraphJson | null;
	/** changes a task behind the node's back: its @odata.etag changes (stale If-Match → 412) */
	updateTask(id: string, changes: { title?: string; percentComplete?: number; priority?: number }): GraphJson;
	/** onlineMeeting JSON organised by a user */
	meetings(user: string): GraphJson[];
	/** application access policy: app-only /users/{id}/onlineMeetings for one user, or every user when omitted */
	grantMeetingPolicy(appId: string, user?: string): void;
	revokeMeetingPolicy(appId: string): void;
	/** live subscriptions (subscription JSON) */
	subscriptions(): GraphJson[];
	subscription(id: string): GraphJson | null;
	endedSubscriptions(): Array<{ id: string; resource: string; reason: 'expired' | 'deleted' | 'removed'; time: string }>;
	deliveries(filter?: TeamsDeliveryFilter): TeamsDelivery[];
	clearDeliveries(): void;
	/** resolves once `count` (default 1) matching deliveries finished (delivered, failed, dropped); rejects after timeoutMs (default 5000) */
	waitForDeliveries(filter?: TeamsDeliveryFilter, options?: { count?: number; timeoutMs?: number }): Promise<TeamsDelivery[]>;
	/** sends a lifecycle notification to the subscription's lifecycleNotificationUrl now */
	sendLifecycle(id: string, event: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): TeamsDelivery;
	/** subscriptionRemoved (when it has a lifecycle URL), then the subscription is gone */
	removeSubscription(id: string): TeamsDelivery | null;
	/** ends a subscription now, as if it had expired */
	expireSubscription(id: string): void;
	/** deletes all subscriptions, clears the logs, restores the clock and the delivery settings */
	resetSubscriptions(): void;
	validations(): Array<{ url: string; time: string; ok: boolean; reason: string | null; detail: string | null }>;
	/** lifetimes granted: maxLifetimeMs caps them (null: Graph's 4320 minutes); reauthorizeBeforeMs: when reauthorizationRequired goes out before expiry. Assigning merges. */
	get subscriptionClock(): TeamsSubscriptionClock;
	set subscriptionClock(value: Partial<TeamsSubscriptionClock>);
	/** handshake timeout (10 s), per-notification timeout (3 s), retry delays. Assigning merges. */
	get deliverySettings(): TeamsDeliverySettings;
	set deliverySettings(value: Partial<TeamsDeliverySettings>);
	/** POST /teams, archive, unarchive: operation inProgress for pollsInProgress polls or readyAfterMs (default 1 poll / 500 ms) */
	asyncTiming: { pollsInProgress: number; readyAfterMs: number };
	/** the internal stores (for tests that need more than the helpers) */
	store: unknown;
	planner: unknown;
	engine: unknown;
}

export interface Sandbox {
	loginUrl: string;
	graphUrl: string;
	filesUrl: string;
	/** https://127.0.0.3:<port>: the Dataverse environment (also its token audience, scope `${dataverseUrl}/.default`) */
	dataverseUrl: string;
	/** https://127.0.0.4:<port>: a Finance & Operations environment (`/data/…`; also its token audience, scope `${financeOperationsUrl}/.default`) */
	financeOperationsUrl: string;
	/** https://127.0.0.5:<port>: Business Central's API host (`/v2.0/{tenant}/{environment}/api/v2.0/…`); token audience https://api.businesscentral.dynamics.com */
	businessCentralUrl: string;
	port: number;
	/** Finance & Operations helpers (financeOperations.js) */
	financeOperations: SandboxFinanceOperations;
	/** Business Central helpers (businessCentral.js) */
	businessCentral: SandboxBusinessCentral;
	drives: SandboxDrives;
	dataverse: SandboxDataverse;
	/** Outlook mail, calendars and contacts (graph/outlook.js) */
	outlook: SandboxOutlook;
	/** Teams, chats, Planner, online meetings, change-notification subscriptions (graph/teams.js) */
	teams: SandboxTeams;
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
	/** shared mailboxes (no sign-in) of the Outlook routes */
	mailboxes: { support: { id: string; tenant: string; address: string; displayName: string } };
	/** Exchange mailbox permissions by address: Bob → Alice full access; support → Alice full access + send-as */
	mailboxPermissions: Array<{ mailbox: string; user: string; fullAccess: boolean; sendAs: boolean }>;
	/** Teams (graph/teams.js): the team id is its group id */
	teams: {
		sales: SeedTeam<'general' | 'deals' | 'leadership'>;
		engineering: SeedTeam<'general'>;
		fabrikam: SeedTeam<'general'>;
	};
	chats: {
		aliceBob: { id: string; chatType: 'oneOnOne' };
		falcon: { id: string; chatType: 'group'; topic: string };
	};
	planner: {
		salesPlan: {
			id: string;
			title: string;
			buckets: { todo: string; inProgress: string; done: string };
			tasks: { callNorthwind: string; forecast: string };
		};
	};
};

interface SeedTeam<C extends string> {
	id: string;
	tenant: string;
	displayName: string;
	channels: Record<C, { id: string; displayName: string }>;
}
