/**
 * Dataverse Web API addressing: the environment's API base from the credential, entity-set URLs, row keys (a GUID or an
 * alternate key `name='v',other=1`, every value quoted or checked), the row ID a create answers with (`OData-EntityId`).
 */
import type { IDataObject } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment, encodeUriText, InputValueError } from '../../shared/input';
import { odataString } from '../../shared/odata';
import { apiBaseUrl } from '../../shared/resourceApi';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entity set, column and navigation names: Dataverse schema names are letters, digits and underscores. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The Dataverse Web API base of the credential's environment; refused when the credential is not for Dataverse. */
export function dataverseBase(conn: MicrosoftConnection): string {
	if (conn.resource !== 'dataverse' || !conn.resourceUrl) {
		throw new InputValueError(
			'Credential',
			`signs in to ${conn.resource === 'graph' ? 'Microsoft Graph' : conn.resource}, not Dataverse`,
			'Choose a Tenant OAuth2 or Client Credentials credential whose Resource is Dataverse and whose Environment URL is your environment (https://<org>.crm.dynamics.com).',
		);
	}
	return apiBaseUrl(conn);
}

/** A Dataverse schema name (entity set, column, relationship), checked: these go into URLs and queries unquoted. */
export function schemaName(value: string, field: string): string {
	const name = String(value ?? '').trim();
	if (!name) throw new InputValueError(field, 'is empty', `Enter the ${field.toLowerCase()}'s logical name, e.g. accounts or name.`);
	if (!NAME.test(name)) {
		throw new InputValueError(field, `"${name}" is not a Dataverse name (letters, digits and underscores only)`, `Use the logical name, e.g. ${field === 'Table' ? 'accounts' : 'name'}; nothing was sent.`);
	}
	return name;
}

/** `accounts` → `<base>/accounts`. */
export function entitySetUrl(base: string, entitySet: string): string {
	return `${base}/${encodePathSegment(schemaName(entitySet, 'Table'), 'Table')}`;
}

/** The key segment of one row: `(guid)` or an alternate key `(name='v',num=1)`. */
export function rowKey(key: RowKeyInput, field = 'Row ID'): string {
	if (typeof key === 'string') {
		const id = key.trim().replace(/^\{(.*)\}$/, '$1');
		if (!GUID.test(id)) throw new InputValueError(field, `"${key}" is not a row ID (a GUID such as 00000000-0000-0000-0000-000000000000)`, 'Enter the row\'s GUID, or address it by an alternate key; nothing was sent.');
		return `(${id.toLowerCase()})`;
	}
	const entries = Object.entries(key);
	if (!entries.length) throw new InputValueError('Alternate Key', 'has no columns', 'Add the key\'s columns and their values.');
	const parts = entries.map(([column, value]) => `${schemaName(column, 'Alternate Key Column')}=${keyLiteral(value, column)}`);
	return `(${encodeUriText(parts.join(',')).replace(/%3D/g, '=').replace(/%2C/g, ',')})`;
}

export type RowKeyInput = string | Record<string, unknown>;

/** A key value as an OData literal: text quoted, numbers and booleans as they are, GUIDs bare. */
function keyLiteral(value: unknown, column: string): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'boolean') return String(value);
	if (value === null || value === undefined || String(value) === '') {
		throw new InputValueError(`Alternate Key Column ${column}`, 'has no value', 'Give every key column a value.');
	}
	return odataString(String(value));
}

/** `<base>/accounts(<key>)`. */
export function rowUrl(base: string, entitySet: string, key: RowKeyInput, field?: string): string {
	return `${entitySetUrl(base, entitySet)}${rowKey(key, field)}`;
}

/** The row ID in an `OData-EntityId` header (`…/accounts(<guid>)`), if it has one. */
export function idFromEntityId(header: string | undefined): string | undefined {
	const match = /\(([0-9a-f-]{36})\)\s*$/i.exec(header ?? '');
	return match ? match[1].toLowerCase() : undefined;
}

/** A row with the OData annotations a workflow rarely wants (`@odata.context`) left out; `@odata.etag` is kept. */
export function cleanRow(row: unknown): IDataObject {
	if (!row || typeof row !== 'object') return {};
	const { ['@odata.context']: _context, ...rest } = row as IDataObject;
	return rest;
}

/** Merges Prefer values. */
export function prefer(...values: Array<string | false | undefined>): string | undefined {
	const list = values.filter((value): value is string => !!value);
	return list.length ? list.join(', ') : undefined;
}

/** `Prefer` asking for formatted values (choice labels, lookup names, formatted numbers) next to raw values. */
export const FORMATTED_VALUES = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"';
/** All annotations (formatted values, lookup logical names, navigation names). */
export const ALL_ANNOTATIONS = 'odata.include-annotations="*"';
