/**
 * Business Central API (`{BC}/v2.0/{tenant}/{environment}/api/v2.0` or a custom API page `api/{publisher}/{group}/{version}`):
 * the API root from the credential and the node's fields (every segment encoded), the companies and the entity sets of a
 * root (company navigations in `$metadata`), both read once per execution and used to refuse an unknown Company or
 * Entity Set naming the field before anything else is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../../shared/connection';
import { encodePathSegment, InputValueError } from '../../../shared/input';
import { locatorValue, readParameter, readText, type NodeContext } from '../../../shared/node/parameters';
import { odataGetAll } from '../../../shared/paging';
import { apiBaseUrl } from '../../../shared/resourceApi';
import { odataRequest } from '../../../shared/transport';

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
const setsCache = new WeakMap<object, Map<string, Promise<string[]>>>();

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

/** Entity sets below a company: the `company` entity type's navigation properties in the root's `$metadata`. */
export async function listEntitySets(ctx: MicrosoftContext, conn: MicrosoftConnection, root: string, itemIndex?: number): Promise<string[]> {
	return await cached(setsCache, ctx, root, async () => {
		const response = await odataRequest<Buffer>(ctx, conn, { url: `${root}/$metadata`, headers: { Accept: 'application/xml' }, encoding: 'arraybuffer', operation: "read the API's $metadata", itemIndex });
		const csdl = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
		// The type of the `companies` set (Microsoft.NAV.company), whose navigation properties are the company's entity sets.
		const typeName = /<EntitySet\s+Name="companies"\s+EntityType="(?:[^"]*\.)?([^".]+)"/.exec(csdl)?.[1] ?? 'company';
		const types = [...csdl.matchAll(/<EntityType\s+Name="([^"]+)"[^>]*>([\s\S]*?)<\/EntityType>/g)];
		const contained = (body: string) => (body.match(/<NavigationProperty\s[^>]*ContainsTarget="true"/g) ?? []).length;
		// When the set names a type the document does not declare, the type holding the most contained sets is the company.
		const company = (types.find((match) => match[1] === typeName) ?? [...types].sort((a, b) => contained(b[2]) - contained(a[2]))[0])?.[2] ?? '';
		return [...company.matchAll(/<NavigationProperty\s+Name="([^"]+)"/g)].map((match) => match[1]).sort();
	});
}

export interface BcTarget {
	root: string;
	companyId: string;
	entitySet: string;
	/** `{root}/companies({id})/{set}` */
	setUrl: string;
}

/** The Company (ID or name) and Entity Set of this item, both checked against the environment. */
export async function bcTarget(ctx: IExecuteFunctions, conn: MicrosoftConnection, itemIndex: number): Promise<BcTarget> {
	const root = bcRoot(ctx, conn, itemIndex);
	const company = locatorValue(ctx, 'bcCompany', itemIndex);
	const entitySet = locatorValue(ctx, 'bcEntitySet', itemIndex);
	if (!company) throw new InputValueError('Company', 'is empty', 'Pick the company or enter its ID; nothing was sent.');
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entitySet)) throw new InputValueError('Entity Set', entitySet ? `"${entitySet}" is not an entity set name` : 'is empty', 'Pick it from the list or enter its name, e.g. customers; nothing was sent.');
	const companies = await listCompanies(ctx, conn, root, itemIndex);
	const found = companies.find((entry) => String(entry.id).toLowerCase() === company.toLowerCase() || entry.name === company);
	if (!found) throw new InputValueError('Company', `"${company}" is not a company of this environment`, `Pick it from the list or use one of: ${companies.map((entry) => String(entry.name)).join(', ')}; nothing was sent.`);
	const sets = await listEntitySets(ctx, conn, root, itemIndex);
	if (!sets.includes(entitySet)) {
		const other = sets.find((name) => name.toLowerCase() === entitySet.toLowerCase());
		throw new InputValueError('Entity Set', `"${entitySet}" is not an entity set of this API`, other ? `Names are case-sensitive: use "${other}"; nothing was sent.` : `Use one of: ${sets.join(', ')}; nothing was sent.`);
	}
	const companyId = String(found.id);
	return { root, companyId, entitySet, setUrl: `${root}/companies(${encodePathSegment(companyId, 'Company')})/${encodePathSegment(entitySet, 'Entity Set')}` };
}

/** `{setUrl}({id})`, the Record ID checked as a GUID. */
export function bcRecordUrl(ctx: IExecuteFunctions, target: BcTarget, itemIndex: number): string {
	const id = readText(ctx, 'bcRecordId', 'Record ID', itemIndex).trim();
	if (!GUID.test(id)) throw new InputValueError('Record ID', id ? `"${id}" is not a record ID (a GUID)` : 'is empty', 'Enter the record\'s id (a GUID, e.g. from Get Many); nothing was sent.');
	return `${target.setUrl}(${encodePathSegment(id.toLowerCase(), 'Record ID')})`;
}

export const BC_ADVICE: Record<string, string> = {
	request_entitychanged: 'The record changed since its ETag was read: read it again (Get) and repeat the change with its new @odata.etag, or leave ETag empty to apply the change to the current version.',
	badrequest_notfound: 'No such record in this company: check the Record ID, the Company and the Entity Set.',
	noenvironment: 'The environment does not exist in this tenant: pick it from the Environment list.',
};
