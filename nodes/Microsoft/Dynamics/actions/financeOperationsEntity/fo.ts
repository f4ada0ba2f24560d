/**
 * Finance & Operations OData (`{environment}/data`): the credential's base, the entities of `/data/$metadata` (set
 * names are case-sensitive; keys include dataAreaId), key segments and filter literals typed from the metadata (strings
 * quoted, enums as `Namespace.Enum'Member'`), the Company (dataAreaId) check against LegalEntities.
 */
import type { IDataObject } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../../shared/connection';
import { encodePathSegment, InputValueError } from '../../../shared/input';
import { odataString } from '../../../shared/odata';
import { apiBaseUrl } from '../../../shared/resourceApi';
import { odataRequest } from '../../../shared/transport';

/** F&O entity, property and enum names: letters, digits and underscores. */
export const FO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `https://{env}.operations.dynamics.com/data`; refused when the credential is for another API. */
export function financeOperationsBase(conn: MicrosoftConnection): string {
	if (conn.resource !== 'financeOperations' || !conn.resourceUrl) {
		throw new InputValueError(
			'Credential',
			`signs in to ${conn.resource === 'graph' ? 'Microsoft Graph' : conn.resource}, not Finance & Operations`,
			'Choose a Tenant OAuth2 or Client Credentials credential whose Resource is Finance & Operations and whose Environment URL is your environment (https://<env>.operations.dynamics.com).',
		);
	}
	return apiBaseUrl(conn);
}

export interface FoProperty {
	name: string;
	type: string;
	label?: string;
}
export interface FoEntity {
	set: string;
	type: string;
	label?: string;
	keys: string[];
	properties: Map<string, FoProperty>;
}
/** A member of an F&O enum: its name (what JSON bodies and filter literals carry), number and label if annotated. */
export interface FoEnumMember {
	name: string;
	value?: string;
	label?: string;
}
export interface FoMetadata {
	namespace: string;
	entities: Map<string, FoEntity>;
	enums: Map<string, string[]>;
	enumMembers: Map<string, FoEnumMember[]>;
}

const attr = (text: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(text)?.[1];
const unescapeXml = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const labelOf = (body: string) => {
	const match = /<Annotation\s+Term="Org\.OData\.Core\.V1\.Description"\s+String="([^"]*)"/.exec(body);
	return match ? unescapeXml(match[1]) : undefined;
};

/** Entity sets with their type's keys and properties, and enum members, from a CSDL document. */
export function parseFoMetadata(csdl: string): FoMetadata {
	const namespace = /<Schema\s[^>]*Namespace="([^"]+)"/.exec(csdl)?.[1] ?? 'Microsoft.Dynamics.DataEntities';
	const types = new Map<string, { keys: string[]; properties: Map<string, FoProperty> }>();
	for (const match of csdl.matchAll(/<EntityType\s([^>]*?)>([\s\S]*?)<\/EntityType>/g)) {
		const name = attr(match[1], 'Name');
		if (!name) continue;
		const body = match[2];
		const keyBlock = /<Key>([\s\S]*?)<\/Key>/.exec(body)?.[1] ?? '';
		const keys = [...keyBlock.matchAll(/<PropertyRef\s+Name="([^"]+)"/g)].map((ref) => ref[1]);
		const properties = new Map<string, FoProperty>();
		for (const property of body.matchAll(/<Property\s([^>]*?)(?:\/>|>([\s\S]*?)<\/Property>)/g)) {
			const propertyName = attr(property[1], 'Name');
			if (propertyName) properties.set(propertyName, { name: propertyName, type: attr(property[1], 'Type') ?? 'Edm.String', label: labelOf(property[2] ?? '') });
		}
		types.set(name, { keys, properties });
	}
	const enums = new Map<string, string[]>();
	const enumMembers = new Map<string, FoEnumMember[]>();
	for (const match of csdl.matchAll(/<EnumType\s([^>]*?)>([\s\S]*?)<\/EnumType>/g)) {
		const name = attr(match[1], 'Name');
		if (!name) continue;
		const members: FoEnumMember[] = [];
		for (const member of match[2].matchAll(/<Member\s([^>]*?)(?:\/>|>([\s\S]*?)<\/Member>)/g)) {
			const memberName = attr(member[1], 'Name');
			if (memberName) members.push({ name: memberName, value: attr(member[1], 'Value'), label: labelOf(member[2] ?? '') });
		}
		enums.set(name, members.map((member) => member.name));
		enumMembers.set(name, members);
	}
	const entities = new Map<string, FoEntity>();
	for (const match of csdl.matchAll(/<EntitySet\s([^>]*?)(?:\/>|>([\s\S]*?)<\/EntitySet>)/g)) {
		const set = attr(match[1], 'Name');
		const typeName = (attr(match[1], 'EntityType') ?? '').split('.').pop() ?? '';
		const type = types.get(typeName);
		if (set && type) entities.set(set, { set, type: typeName, label: labelOf(match[2] ?? ''), ...type });
	}
	return { namespace, entities, enums, enumMembers };
}

/** One `$metadata` read per execution (the document is large in a real environment). */
const metadataCache = new WeakMap<object, Promise<FoMetadata>>();

export async function foMetadata(ctx: MicrosoftContext, conn: MicrosoftConnection, itemIndex?: number): Promise<FoMetadata> {
	let pending = metadataCache.get(ctx);
	if (!pending) {
		pending = odataRequest<Buffer>(ctx, conn, {
			url: `${financeOperationsBase(conn)}/$metadata`,
			headers: { Accept: 'application/xml' },
			encoding: 'arraybuffer',
			operation: "read the environment's $metadata",
			itemIndex,
		}).then((response) => parseFoMetadata(Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '')));
		metadataCache.set(ctx, pending);
		pending.catch(() => metadataCache.delete(ctx));
	}
	return await pending;
}

/** The entity the Entity field names; unknown (or wrongly cased) → an error naming the field, nothing else sent. */
export function findEntity(metadata: FoMetadata, set: string): FoEntity {
	const name = set.trim();
	if (!name || !FO_NAME.test(name)) {
		throw new InputValueError('Entity', name ? `"${name}" is not an entity set name` : 'is empty', 'Pick the entity from the list or enter its public collection name, e.g. CustomersV3; nothing was sent.');
	}
	const entity = metadata.entities.get(name);
	if (entity) return entity;
	const other = [...metadata.entities.keys()].find((candidate) => candidate.toLowerCase() === name.toLowerCase());
	throw new InputValueError(
		'Entity',
		`"${name}" is not an entity set of this environment`,
		other ? `Entity set names are case-sensitive: use "${other}". Nothing was sent.` : 'Pick the entity from the list (names are case-sensitive, e.g. CustomersV3); nothing was sent.',
	);
}

/** A property of the entity, checked (unknown → an error naming `field`). */
export function findProperty(entity: FoEntity, name: string, field: string): FoProperty {
	const property = entity.properties.get(name.trim());
	if (!property) throw new InputValueError(field, `"${name}" is not a field of ${entity.set}`, `Use one of its fields (case-sensitive), e.g. ${[...entity.properties.keys()].slice(0, 4).join(', ')}; nothing was sent.`);
	return property;
}

const NUMERIC = new Set(['Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single', 'Edm.Byte']);

/** A value as an OData literal of the property's type: strings quoted/escaped, numbers checked, enums qualified. */
export function foLiteral(metadata: FoMetadata, property: FoProperty, value: unknown, field: string): string {
	const text = String(value ?? '').trim();
	if (NUMERIC.has(property.type)) {
		if (!/^-?\d+(\.\d+)?$/.test(text)) throw new InputValueError(field, `"${text}" is not a number (${property.name} is ${property.type})`, 'Enter a number; nothing was sent.');
		return text;
	}
	if (property.type === 'Edm.Boolean') {
		if (!/^(true|false)$/i.test(text)) throw new InputValueError(field, `"${text}" is not true or false`, 'Enter true or false; nothing was sent.');
		return text.toLowerCase();
	}
	if (property.type === 'Edm.DateTimeOffset' || property.type === 'Edm.Date') {
		if (Number.isNaN(Date.parse(text))) throw new InputValueError(field, `"${text}" is not a date`, 'Enter an ISO date, e.g. 2026-01-31T00:00:00Z; nothing was sent.');
		return property.type === 'Edm.Date' ? text.slice(0, 10) : new Date(text).toISOString();
	}
	if (property.type === 'Edm.Guid') {
		if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) throw new InputValueError(field, `"${text}" is not a GUID`, 'Enter a GUID; nothing was sent.');
		return text;
	}
	if (foEnumOf(metadata, property)) return `${property.type}${odataString(foEnumMember(metadata, property, value, field))}`;
	return odataString(String(value ?? ''));
}

/** The enum a property is typed with (`Microsoft.Dynamics.DataEntities.NoYes` → NoYes and its members), if any. */
export function foEnumOf(metadata: FoMetadata, property: FoProperty): { name: string; members: FoEnumMember[] } | undefined {
	if (!property.type.startsWith(`${metadata.namespace}.`)) return undefined;
	const name = property.type.slice(metadata.namespace.length + 1);
	const members = metadata.enumMembers.get(name);
	return members ? { name, members } : undefined;
}

/**
 * An enum value as F&O's member name — the form its JSON bodies carry (`"OnHoldStatus": "All"`) and filter literals
 * qualify (`Microsoft.Dynamics.DataEntities.CustVendorBlocked'All'`). Accepted: the member name (any case), its label,
 * its number, or the qualified literal; anything else is refused naming `field`.
 */
export function foEnumMember(metadata: FoMetadata, property: FoProperty, value: unknown, field: string): string {
	const found = foEnumOf(metadata, property);
	const text = String(value ?? '').trim();
	if (!found) return text;
	const qualified = new RegExp(`^${property.type.replace(/\./g, '\\.')}'(.*)'$`).exec(text);
	const wanted = (qualified ? qualified[1] : text).toLowerCase();
	const member =
		found.members.find((candidate) => candidate.name.toLowerCase() === wanted) ??
		found.members.find((candidate) => candidate.label !== undefined && candidate.label.toLowerCase() === wanted) ??
		found.members.find((candidate) => candidate.value !== undefined && candidate.value === wanted);
	if (!member) {
		throw new InputValueError(field, `"${text}" is not a value of ${found.name}`, `Use one of: ${found.members.map((candidate) => candidate.name).join(', ')}; nothing was sent.`);
	}
	return member.name;
}

/**
 * A record to write with its enum values as member names (labels, numbers and qualified literals converted); every
 * field checked against the entity first (unknown → an error naming `field`).
 */
export function foRecordBody(metadata: FoMetadata, entity: FoEntity, record: IDataObject, field: string): IDataObject {
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(record)) {
		if (name.startsWith('@')) {
			body[name] = value;
			continue;
		}
		const property = findProperty(entity, name, field);
		body[name] = value === null || value === undefined || value === '' || !foEnumOf(metadata, property) ? value : foEnumMember(metadata, property, value, `${field}: ${name}`);
	}
	return body;
}

/** `(dataAreaId='usmf',CustomerAccount='US-001')`: every key field of the entity, each value typed and encoded. */
export function foKeySegment(metadata: FoMetadata, entity: FoEntity, values: Record<string, unknown>): string {
	const parts = entity.keys.map((key) => {
		const value = values[key];
		if (value === undefined || value === null || String(value).trim() === '') {
			const hint = key === 'dataAreaId' ? 'Set Company to the legal entity (e.g. usmf).' : `Add "${key}" under Key Fields.`;
			throw new InputValueError(key === 'dataAreaId' ? 'Company' : `Key Fields: ${key}`, `is missing: ${entity.set} is keyed by ${entity.keys.join(', ')}`, `${hint} Nothing was sent.`);
		}
		const property = entity.properties.get(key) ?? { name: key, type: 'Edm.String' };
		return `${key}=${encodePathSegment(foLiteral(metadata, property, value, `Key Fields: ${key}`), `Key Fields: ${key}`)}`;
	});
	return `(${parts.join(',')})`;
}

/** Companies known to be there, per execution. */
const companyCache = new WeakMap<object, Map<string, boolean>>();

/** The Company (dataAreaId) in lower case, checked against LegalEntities: an unknown one is refused naming the field. */
export async function checkedCompany(ctx: MicrosoftContext, conn: MicrosoftConnection, company: string, itemIndex: number): Promise<string> {
	const id = company.trim().toLowerCase();
	if (!/^[a-z0-9_-]{1,8}$/.test(id)) throw new InputValueError('Company', `"${company}" is not a company ID`, 'Enter the legal entity ID (dataAreaId), e.g. usmf; nothing was sent.');
	const known = companyCache.get(ctx) ?? new Map<string, boolean>();
	companyCache.set(ctx, known);
	if (!known.has(id)) {
		const response = await odataRequest<IDataObject>(ctx, conn, {
			url: `${financeOperationsBase(conn)}/LegalEntities`,
			qs: { $filter: `LegalEntityId eq ${odataString(id.toUpperCase())}`, $select: 'LegalEntityId' },
			operation: 'check the company',
			itemIndex,
		});
		known.set(id, Array.isArray(response.body?.value) && response.body.value.length > 0);
	}
	if (!known.get(id)) throw new InputValueError('Company', `"${company}" is not a legal entity of this environment`, 'Enter the ID of one of its legal entities (dataAreaId, e.g. usmf); nothing was sent.');
	return id;
}
