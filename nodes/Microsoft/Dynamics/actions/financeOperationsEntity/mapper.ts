/**
 * The Fields mapper of create / update from `/data/$metadata`: each property typed (numbers, true/false, dates), enum
 * properties as a list of their members (label where $metadata annotates one, value = the member name F&O's JSON
 * carries); the key fields required on create (dataAreaId is the Company), left out on update (they cannot change).
 */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { getConnection } from '../../../shared/connection';
import { credentialTypeOf } from '../../../shared/node/authentication';
import { locatorValue } from '../../../shared/node/parameters';
import { foEnumOf, foMetadata, type FoMetadata, type FoProperty } from './fo';

const NUMBERS = new Set(['Edm.Int16', 'Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double', 'Edm.Single', 'Edm.Byte']);

function fieldType(metadata: FoMetadata, property: FoProperty): FieldType {
	if (foEnumOf(metadata, property)) return 'options';
	if (NUMBERS.has(property.type)) return 'number';
	if (property.type === 'Edm.Boolean') return 'boolean';
	if (property.type === 'Edm.DateTimeOffset' || property.type === 'Edm.Date') return 'dateTime';
	return 'string';
}

export function foMapperField(metadata: FoMetadata, property: FoProperty, required: boolean): ResourceMapperField {
	const type = fieldType(metadata, property);
	const found = foEnumOf(metadata, property);
	return {
		id: property.name,
		displayName: property.label ? `${property.label} (${property.name})` : property.name,
		required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type,
		...(found ? { options: found.members.map((member) => ({ name: member.label && member.label !== member.name ? `${member.label} (${member.name})` : member.name, value: member.name })) } : {}),
	};
}

export async function getFinanceOperationsFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const set = locatorValue(this, 'foEntity');
	if (!set) return { fields: [], emptyFieldsNotice: 'Choose an entity first' };
	const operation = String(this.getCurrentNodeParameter('operation') ?? 'create');
	const conn = await getConnection(this, credentialTypeOf(this));
	const metadata = await foMetadata(this, conn);
	const entity = metadata.entities.get(set.trim());
	if (!entity) return { fields: [], emptyFieldsNotice: `"${set}" is not an entity set of this environment (names are case-sensitive)` };
	const fields = [...entity.properties.values()]
		.filter((property) => property.name !== 'dataAreaId' && (operation === 'create' || !entity.keys.includes(property.name)))
		.map((property) => foMapperField(metadata, property, operation === 'create' && entity.keys.includes(property.name)))
		.sort((a, b) => Number(b.required) - Number(a.required) || a.displayName.localeCompare(b.displayName));
	return { fields };
}
