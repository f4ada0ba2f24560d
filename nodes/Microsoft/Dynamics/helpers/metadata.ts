/**
 * Dataverse table metadata (`EntityDefinitions`): the tables (picker), one table's columns, keys, relationships and
 * choice values (resource mapper, table get, lookups and choice labels in writes). Read once per execution and table.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../shared/connection';
import { InputValueError } from '../../shared/input';
import { odataString } from '../../shared/odata';
import { odataGetAll } from '../../shared/paging';
import { odataRequest } from '../../shared/transport';
import { dataverseBase, schemaName } from './dataverse';

export interface TableInfo {
	logicalName: string;
	entitySetName: string;
	displayName: string;
	primaryIdAttribute: string;
	primaryNameAttribute?: string;
	changeTrackingEnabled?: boolean;
	isCustom?: boolean;
}

export interface ChoiceOption {
	value: number | boolean;
	label: string;
}

export interface ColumnInfo {
	logicalName: string;
	displayName: string;
	/** Dataverse's AttributeType: String, Memo, Integer, BigInt, Decimal, Double, Money, Boolean, DateTime, Picklist, State, Status, Lookup, Customer, Owner, Uniqueidentifier, Virtual, ... */
	type: string;
	/** AttributeTypeName.Value, e.g. MultiSelectPicklistType, FileType, ImageType. */
	typeName?: string;
	required: boolean;
	validForCreate: boolean;
	validForUpdate: boolean;
	validForRead: boolean;
	isPrimaryId?: boolean;
	/** Set for columns that only describe another one (e.g. `…name` of a lookup). */
	attributeOf?: string;
	options?: ChoiceOption[];
	/** Lookups: navigation property and target entity set per target table. */
	targets?: Array<{ table: string; entitySet?: string; navigationProperty: string }>;
}

export interface RelationshipInfo {
	schemaName: string;
	kind: 'ManyToOne' | 'OneToMany' | 'ManyToMany';
	/** The navigation property on this table that follows the relationship. */
	navigationProperty: string;
	/** The table on the other side. */
	otherTable: string;
	referencingAttribute?: string;
}

export interface TableDetails extends TableInfo {
	columns: ColumnInfo[];
	keys: Array<{ logicalName: string; displayName: string; columns: string[] }>;
	relationships: RelationshipInfo[];
}

const TABLE_SELECT = 'LogicalName,EntitySetName,DisplayName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled,IsCustomEntity';

function label(value: unknown): string {
	const record = value as { UserLocalizedLabel?: { Label?: string }; LocalizedLabels?: Array<{ Label?: string }> } | undefined;
	return record?.UserLocalizedLabel?.Label ?? record?.LocalizedLabels?.[0]?.Label ?? '';
}

function toTable(raw: IDataObject): TableInfo {
	return {
		logicalName: String(raw.LogicalName),
		entitySetName: String(raw.EntitySetName ?? ''),
		displayName: label(raw.DisplayName) || String(raw.LogicalName),
		primaryIdAttribute: String(raw.PrimaryIdAttribute ?? `${String(raw.LogicalName)}id`),
		...(raw.PrimaryNameAttribute ? { primaryNameAttribute: String(raw.PrimaryNameAttribute) } : {}),
		...(typeof raw.ChangeTrackingEnabled === 'boolean' ? { changeTrackingEnabled: raw.ChangeTrackingEnabled } : {}),
		...(typeof raw.IsCustomEntity === 'boolean' ? { isCustom: raw.IsCustomEntity } : {}),
	};
}

/** Per-execution cache: metadata is read once per run of the node, not once per item. */
const CACHE = new WeakMap<object, Map<string, Promise<unknown>>>();

function cached<T>(ctx: MicrosoftContext, key: string, load: () => Promise<T>): Promise<T> {
	const scope = typeof (ctx as IExecuteFunctions).getInputData === 'function' ? (ctx as IExecuteFunctions).getInputData() : undefined;
	if (!scope) return load();
	let map = CACHE.get(scope);
	if (!map) CACHE.set(scope, (map = new Map()));
	let value = map.get(key) as Promise<T> | undefined;
	if (!value) {
		value = load();
		map.set(key, value);
		// A failed read is not remembered: the next item asks again.
		value.catch(() => map!.delete(key));
	}
	return value;
}

/** Every table with an entity set (the Web API can address it), by display name. */
export async function listTables(ctx: MicrosoftContext, conn: MicrosoftConnection): Promise<TableInfo[]> {
	return await cached(ctx, `tables|${conn.resourceUrl}`, async () => {
		const rows = await odataGetAll(ctx, conn, `${dataverseBase(conn)}/EntityDefinitions`, { qs: { $select: TABLE_SELECT }, operation: 'list Dataverse tables' });
		return rows
			.map(toTable)
			.filter((table) => table.entitySetName)
			.sort((a, b) => a.displayName.localeCompare(b.displayName));
	});
}

/** The table behind an entity set name (`accounts` → account); unknown names are refused naming "Table". */
export async function tableOf(ctx: MicrosoftContext, conn: MicrosoftConnection, entitySet: string, itemIndex?: number): Promise<TableInfo> {
	const name = schemaName(entitySet, 'Table');
	return await cached(ctx, `table|${conn.resourceUrl}|${name.toLowerCase()}`, async () => {
		const response = await odataRequest<{ value?: IDataObject[] }>(ctx, conn, {
			url: `${dataverseBase(conn)}/EntityDefinitions`,
			qs: { $select: TABLE_SELECT, $filter: `EntitySetName eq ${odataString(name)}` },
			itemIndex,
			operation: `read the metadata of table ${name}`,
		});
		const raw = response.body?.value?.[0];
		if (!raw) throw new InputValueError('Table', `"${name}" is not a table of this environment`, 'Pick the table from the list, or enter its entity set name (the plural Web API name, e.g. accounts, contacts); nothing was sent.');
		return toTable(raw);
	});
}

const COLUMN_SELECT = 'LogicalName,AttributeType,AttributeTypeName,DisplayName,RequiredLevel,IsValidForCreate,IsValidForUpdate,IsValidForRead,IsPrimaryId,AttributeOf';
const RELATION_SELECT = 'SchemaName,ReferencingAttribute,ReferencedEntity,ReferencingEntity,ReferencingEntityNavigationPropertyName,ReferencedEntityNavigationPropertyName';
const MANY_SELECT = 'SchemaName,Entity1LogicalName,Entity2LogicalName,Entity1NavigationPropertyName,Entity2NavigationPropertyName';

/** Columns, keys, relationships and choice values of one table (entity set name). */
export async function tableDetails(ctx: MicrosoftContext, conn: MicrosoftConnection, entitySet: string, itemIndex?: number): Promise<TableDetails> {
	const table = await tableOf(ctx, conn, entitySet, itemIndex);
	return await cached(ctx, `details|${conn.resourceUrl}|${table.logicalName}`, async () => {
		const base = `${dataverseBase(conn)}/EntityDefinitions(LogicalName=${odataString(table.logicalName)})`;
		const response = await odataRequest<IDataObject>(ctx, conn, {
			url: base,
			qs: {
				$select: TABLE_SELECT,
				$expand: `Attributes($select=${COLUMN_SELECT}),Keys($select=LogicalName,DisplayName,KeyAttributes),ManyToOneRelationships($select=${RELATION_SELECT}),OneToManyRelationships($select=${RELATION_SELECT}),ManyToManyRelationships($select=${MANY_SELECT})`,
			},
			itemIndex,
			operation: `read the columns of table ${table.logicalName}`,
		});
		const raw = response.body ?? {};
		const manyToOne = (raw.ManyToOneRelationships as IDataObject[] | undefined) ?? [];
		const oneToMany = (raw.OneToManyRelationships as IDataObject[] | undefined) ?? [];
		const manyToMany = (raw.ManyToManyRelationships as IDataObject[] | undefined) ?? [];
		const choices = await choiceValues(ctx, conn, base, itemIndex);
		const tables = manyToOne.length ? await listTables(ctx, conn).catch(() => [] as TableInfo[]) : [];
		const setOf = (logical: string) => tables.find((entry) => entry.logicalName === logical)?.entitySetName;
		const columns: ColumnInfo[] = ((raw.Attributes as IDataObject[] | undefined) ?? []).map((attribute) => {
			const logicalName = String(attribute.LogicalName);
			const targets = manyToOne
				.filter((relation) => relation.ReferencingAttribute === logicalName && relation.ReferencingEntityNavigationPropertyName)
				.map((relation) => ({
					table: String(relation.ReferencedEntity),
					entitySet: setOf(String(relation.ReferencedEntity)),
					navigationProperty: String(relation.ReferencingEntityNavigationPropertyName),
				}));
			const requiredLevel = String((attribute.RequiredLevel as IDataObject | undefined)?.Value ?? 'None');
			return {
				logicalName,
				displayName: label(attribute.DisplayName) || logicalName,
				type: String(attribute.AttributeType ?? 'String'),
				typeName: (attribute.AttributeTypeName as IDataObject | undefined)?.Value as string | undefined,
				required: requiredLevel === 'SystemRequired' || requiredLevel === 'ApplicationRequired',
				validForCreate: attribute.IsValidForCreate !== false,
				validForUpdate: attribute.IsValidForUpdate !== false,
				validForRead: attribute.IsValidForRead !== false,
				isPrimaryId: attribute.IsPrimaryId === true,
				...(attribute.AttributeOf ? { attributeOf: String(attribute.AttributeOf) } : {}),
				...(choices.has(logicalName) ? { options: choices.get(logicalName) } : {}),
				...(targets.length ? { targets } : {}),
			};
		});
		const relationships: RelationshipInfo[] = [
			...manyToOne.map((relation) => ({
				schemaName: String(relation.SchemaName),
				kind: 'ManyToOne' as const,
				navigationProperty: String(relation.ReferencingEntityNavigationPropertyName ?? ''),
				otherTable: String(relation.ReferencedEntity),
				referencingAttribute: String(relation.ReferencingAttribute ?? ''),
			})),
			...oneToMany.map((relation) => ({
				schemaName: String(relation.SchemaName),
				kind: 'OneToMany' as const,
				navigationProperty: String(relation.ReferencedEntityNavigationPropertyName ?? ''),
				otherTable: String(relation.ReferencingEntity),
				referencingAttribute: String(relation.ReferencingAttribute ?? ''),
			})),
			...manyToMany.map((relation) => {
				const first = relation.Entity1LogicalName === table.logicalName;
				return {
					schemaName: String(relation.SchemaName),
					kind: 'ManyToMany' as const,
					navigationProperty: String((first ? relation.Entity1NavigationPropertyName : relation.Entity2NavigationPropertyName) ?? ''),
					otherTable: String(first ? relation.Entity2LogicalName : relation.Entity1LogicalName),
				};
			}),
		].filter((relation) => relation.navigationProperty);
		const keys = ((raw.Keys as IDataObject[] | undefined) ?? []).map((key) => ({
			logicalName: String(key.LogicalName),
			displayName: label(key.DisplayName) || String(key.LogicalName),
			columns: ((key.KeyAttributes as string[] | undefined) ?? []).map(String),
		}));
		return { ...toTable({ ...raw, EntitySetName: raw.EntitySetName ?? table.entitySetName }), columns, keys, relationships };
	});
}

/** Choice (picklist, state, status, multi-select, yes/no) values of a table's columns, by column. */
async function choiceValues(ctx: MicrosoftContext, conn: MicrosoftConnection, base: string, itemIndex?: number): Promise<Map<string, ChoiceOption[]>> {
	const result = new Map<string, ChoiceOption[]>();
	const casts = ['PicklistAttributeMetadata', 'MultiSelectPicklistAttributeMetadata', 'StateAttributeMetadata', 'StatusAttributeMetadata', 'BooleanAttributeMetadata'];
	for (const cast of casts) {
		const expand = cast === 'PicklistAttributeMetadata' || cast === 'MultiSelectPicklistAttributeMetadata' ? 'OptionSet($select=Options),GlobalOptionSet($select=Options)' : 'OptionSet';
		let rows: IDataObject[];
		try {
			const response = await odataRequest<{ value?: IDataObject[] }>(ctx, conn, {
				url: `${base}/Attributes/Microsoft.Dynamics.CRM.${cast}`,
				qs: { $select: 'LogicalName', $expand: expand },
				itemIndex,
				operation: 'read choice values',
			});
			rows = response.body?.value ?? [];
		} catch {
			// An environment that cannot list one kind of choice still gets the others.
			continue;
		}
		for (const row of rows) {
			const set = ((row.OptionSet as IDataObject | undefined) ?? (row.GlobalOptionSet as IDataObject | undefined)) ?? {};
			const options: ChoiceOption[] = [];
			if (cast === 'BooleanAttributeMetadata') {
				const trueOption = set.TrueOption as IDataObject | undefined;
				const falseOption = set.FalseOption as IDataObject | undefined;
				options.push({ value: true, label: label(trueOption?.Label) || 'Yes' }, { value: false, label: label(falseOption?.Label) || 'No' });
			} else {
				const list = ((set.Options as IDataObject[] | undefined) ?? ((row.GlobalOptionSet as IDataObject | undefined)?.Options as IDataObject[] | undefined)) ?? [];
				for (const option of list) options.push({ value: Number(option.Value), label: label(option.Label) || String(option.Value) });
			}
			result.set(String(row.LogicalName), options);
		}
	}
	return result;
}
