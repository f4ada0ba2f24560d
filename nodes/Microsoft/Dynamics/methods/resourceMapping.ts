/** The resource mapper's columns from the table's metadata: types, required columns, choices; read-only ones left out. */
import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { getConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { locatorValue } from '../../shared/node/parameters';
import { isMappable, type WriteKind } from '../helpers/columns';
import { tableDetails, type ColumnInfo } from '../helpers/metadata';

function fieldType(column: ColumnInfo): FieldType {
	switch (column.type) {
		case 'Integer':
		case 'BigInt':
		case 'Decimal':
		case 'Double':
		case 'Money':
			return 'number';
		case 'Boolean':
			return 'boolean';
		case 'DateTime':
			return 'dateTime';
		case 'Picklist':
		case 'State':
		case 'Status':
			return 'options';
		default:
			return 'string';
	}
}

export function mapperField(column: ColumnInfo, kind: WriteKind): ResourceMapperField {
	const type = fieldType(column);
	const lookup = column.targets?.length ? ` (lookup: ID of ${column.targets.map((target) => target.table).join(' / ')}${column.targets.length > 1 ? ', as table(id)' : ''})` : '';
	return {
		id: column.logicalName,
		displayName: `${column.displayName} (${column.logicalName})${lookup}`,
		required: kind === 'create' && column.required && column.type !== 'Owner',
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type,
		...(type === 'options' ? { options: (column.options ?? []).map((option) => ({ name: option.label, value: option.value as number })) } : {}),
	};
}

export async function getColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const table = locatorValue(this, 'table');
	if (!table) return { fields: [], emptyFieldsNotice: 'Choose a table first' };
	const operation = String(this.getCurrentNodeParameter('operation') ?? 'create');
	const upsertMode = String(this.getCurrentNodeParameter('upsertMode') ?? 'either');
	const kind: WriteKind = operation === 'update' || (operation === 'upsert' && upsertMode === 'updateOnly') ? 'update' : 'create';
	const conn = await getConnection(this, credentialTypeOf(this));
	const details = await tableDetails(this, conn, table);
	const fields = details.columns
		.filter((column) => isMappable(column, kind) && !column.isPrimaryId)
		.sort((a, b) => Number(b.required) - Number(a.required) || a.displayName.localeCompare(b.displayName))
		.map((column) => mapperField(column, kind));
	return { fields };
}
