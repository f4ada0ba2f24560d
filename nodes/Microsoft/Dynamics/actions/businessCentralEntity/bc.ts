/**
 * Business Central API (`{BC}/v2.0/{tenant}/{environment}/api/v2.0` or a custom API page `api/{publisher}/{group}/{version}`):
 * the API root from the credential and the node's fields (every segment encoded), the companies and the entity sets of a
 * root, its line sets and bound actions (`$metadata`, metadata.ts), read once per execution and used to refuse an unknown
 * Company, Entity Set or Action, or a line set without its Parent Document ID, naming the field before anything else is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../../shared/connection';
import { encodePathSegment, InputValueError } from '../../../shared/input';
import { locatorValue, readParameter, readText, type NodeContext } from '../../../shared/node/parameters';
import { odataGetAll } from '../../../shared/paging';
import { apiBaseUrl } from '../../../shared/resourceApi';
import { odataRequest } from '../../../shared/transport';
import { parseBcMetadata, type BcMetadata } from './metadata';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkBusinessCentral(conn: MicrosoftConnection): void {
	if (conn.resource !== 'businessCentral' || !conn.resourceUrl) {
		throw new InputValueError(
			'Credential',
			`signs in to ${conn.resource === 'graph' ? 'Microsoft Graph' : conn.resource}, not Business Central`,
			'Choose a Tenant OAuth2 or Client Credentials credential whose Resource is Business Central; nothing was sent.',
		);
	}
}

/** `{BC}/environments/v1.2`: the tenant's environments. */
export function environmentsUrl(conn: MicrosoftConnection): string {
	checkBusinessCentral(conn);
	return `${conn.resourceUrl}/environments/v1.2`;
}

/** The API root of the node's Environment and API fields. */
export function bcRoot(ctx: NodeContext, conn: MicrosoftConnection, itemIndex = 0): string {
	checkBusinessCentral(conn);
	const environment = locatorValue(ctx, 'bcEnvironment', itemIndex);
	const tenant = /^(common|organizations|consumers)$/i.test(conn.tenant) ? '' : `${encodePathSegment(conn.tenant, 'Credential Tenant')}/`;
	const kind = String(readParameter(ctx, 'bcApi', itemIndex, 'standard'));
	let api = 'v2.0';
	if (kind === 'custom') {
		api = (['Publisher', 'Group', 'Version'] as const)
			.map((part) => encodePathSegment(readText(ctx, `bc${part}`, `API ${part}`, itemIndex).trim(), `API ${part}`))
			.join('/');
	}
	return `${apiBaseUrl(conn)}/${tenant}${encodePathSegment(environment, 'Environment')}/api/${api}`;
}

const companiesCache = new WeakMap<object, Map<string, Promise<IDataObject[]>>>();
const metadataCache = new WeakMap<object, Map<string, Promise<BcMetadata>>>();

function cached<T>(cache: WeakMap<object, Map<string, Promise<T>>>, ctx: object, key: string, load: () => Promise<T>): Promise<T> {
	const byKey = cache.get(ctx) ?? new Map<string, Promise<T>>();
	cache.set(ctx, byKey);
	let pending = byKey.get(key);
	if (!pending) {
		pending = load();
		byKey.set(key, pending);
		pending.catch(() => byKey.delete(key));
	}
	return pending;
}

export async function listCompanies(ctx: MicrosoftContext, conn: MicrosoftConnection, root: string, itemIndex?: number): Promise<IDataObject[]> {
	return await cached(companiesCache, ctx, root, async () => await odataGetAll(ctx, conn, `${root}/companies`, { qs: { $select: 'id,name,displayName' }, operation: 'list the companies', itemIndex }));
}

/** The root's `$metadata`, read once per execution: entity sets, line sets, bound actions. */
export async function readBcMetadata(ctx: MicrosoftContext, conn: MicrosoftConnection, root: string, itemIndex?: number): Promise<BcMetadata> {
	return await cached(metadataCache, ctx, root, async () => {
		const response = await odataRequest<Buffer>(ctx, conn, { url: `${root}/$metadata`, headers: { Accept: 'application/xml' }, encoding: 'arraybuffer', operation: "read the API's $metadata", itemIndex });
		return parseBcMetadata(Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? ''));
	});
}

/** Entity sets below a company: the `company` entity type's navigation properties in the root's `$metadata`. */
export async function listEntitySets(ctx: MicrosoftContext, conn: MicrosoftConnection, root: string, itemIndex?: number): Promise<string[]> {
	return [...(await readBcMetadata(ctx, conn, root, itemIndex)).sets.keys()].sort();
}

export interface BcTarget {
	root: string;
	companyId: string;
	entitySet: string;
	/** `{root}/companies({id})/{set}`, or for lines `{root}/companies({id})/{documents}({parent})/{lines}` */
	setUrl: string;
	metadata: BcMetadata;
}

const GUID_HINT = "a GUID, e.g. from Get Many";

/** The Parent Document ID of a line set (GUID), or '' when empty. */
function readParentId(ctx: IExecuteFunctions, itemIndex: number): string {
	const parent = String(ctx.getNodeParameter('bcParentId', itemIndex, '') ?? '').trim();
	if (parent && !GUID.test(parent)) throw new InputValueError('Parent Document ID', `"${parent}" is not a document ID (${GUID_HINT})`, "Enter the id of the document whose lines these are; nothing was sent.");
	return parent.toLowerCase();
}

/** The Company (ID or name) and Entity Set of this item, both checked against the environment. */
export async function bcTarget(ctx: IExecuteFunctions, conn: MicrosoftConnection, itemIndex: number): Promise<BcTarget> {
	const root = bcRoot(ctx, conn, itemIndex);
	const company = locatorValue(ctx, 'bcCompany', itemIndex);
	const entitySet = locatorValue(ctx, 'bcEntitySet', itemIndex);
	const parentId = readParentId(ctx, itemIndex);
	if (!company) throw new InputValueError('Company', 'is empty', 'Pick the company or enter its ID; nothing was sent.');
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entitySet)) throw new InputValueError('Entity Set', entitySet ? `"${entitySet}" is not an entity set name` : 'is empty', 'Pick it from the list or enter its name, e.g. customers; nothing was sent.');
	const companies = await listCompanies(ctx, conn, root, itemIndex);
	const found = companies.find((entry) => String(entry.id).toLowerCase() === company.toLowerCase() || entry.name === company);
	if (!found) throw new InputValueError('Company', `"${company}" is not a company of this environment`, `Pick it from the list or use one of: ${companies.map((entry) => String(entry.name)).join(', ')}; nothing was sent.`);
	const metadata = await readBcMetadata(ctx, conn, root, itemIndex);
	const companyId = String(found.id);
	const companyUrl = `${root}/companies(${encodePathSegment(companyId, 'Company')})`;
	const line = metadata.lineSets.get(entitySet);
	if (line && (parentId || !metadata.sets.has(entitySet))) {
		// Lines are reached through their document: {documents}({parent})/{lines}.
		if (!parentId) throw new InputValueError('Parent Document ID', `is empty: ${entitySet} are lines of ${line.parentSet}`, `Enter the id of the ${line.parentSet} record whose lines these are (${GUID_HINT}); nothing was sent.`);
		const setUrl = `${companyUrl}/${encodePathSegment(line.parentSet, 'Entity Set')}(${encodePathSegment(parentId, 'Parent Document ID')})/${encodePathSegment(entitySet, 'Entity Set')}`;
		return { root, companyId, entitySet, setUrl, metadata };
	}
	if (!metadata.sets.has(entitySet)) {
		const names = [...metadata.sets.keys(), ...metadata.lineSets.keys()].sort();
		const other = names.find((name) => name.toLowerCase() === entitySet.toLowerCase());
		throw new InputValueError('Entity Set', `"${entitySet}" is not an entity set of this API`, other ? `Names are case-sensitive: use "${other}"; nothing was sent.` : `Use one of: ${names.join(', ')}; nothing was sent.`);
	}
	if (parentId) throw new InputValueError('Parent Document ID', `is set, but ${entitySet} are not lines of a document`, 'Clear Parent Document ID, or choose a line entity set such as salesInvoiceLines; nothing was sent.');
	return { root, companyId, entitySet, setUrl: `${companyUrl}/${encodePathSegment(entitySet, 'Entity Set')}`, metadata };
}

/** The Record ID (a GUID), checked before anything is sent. */
export function readRecordId(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = readText(ctx, 'bcRecordId', 'Record ID', itemIndex).trim();
	if (!GUID.test(id)) throw new InputValueError('Record ID', id ? `"${id}" is not a record ID (a GUID)` : 'is empty', 'Enter the record\'s id (a GUID, e.g. from Get Many); nothing was sent.');
	return id.toLowerCase();
}

/** `{setUrl}({id})` */
export function bcRecordUrl(target: BcTarget, id: string): string {
	return `${target.setUrl}(${encodePathSegment(id, 'Record ID')})`;
}

export const BC_ADVICE: Record<string, string> = {
	request_entitychanged: 'The record changed since its ETag was read: read it again (Get) and repeat the change with its new @odata.etag, or leave ETag empty to apply the change to the current version.',
	badrequest_notfound: 'No such record in this company: check the Record ID, the Company and the Entity Set.',
	noenvironment: 'The environment does not exist in this tenant: pick it from the Environment list.',
	application_dialogexception: 'Business Central refused this in its business logic (the message says why, e.g. the document is not a draft or has no lines): fix the record and try again.',
};
