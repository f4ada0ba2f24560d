// @ts-check
'use strict';

/**
 * Dataverse metadata from the one schema (dataverse-schema.js): the CSDL `$metadata` document (entity types with
 * keys, properties, lookups as `_x_value`, navigation properties, the actions and functions the sandbox answers,
 * entity sets) and `EntityDefinitions` (tables, `Attributes` with their typed casts and `OptionSet`, `Keys`,
 * `ManyToOneRelationships`, `OneToManyRelationships`, `ManyToManyRelationships`) with `$select`, `$filter` and
 * `$expand` as Dataverse supports them on metadata.
 */

const { httpError } = require('./router');
const { TABLES, ONE_TO_MANY, MANY_TO_MANY, tableByLogicalName, edmType, isLookup, navigationsOf, metadataId } = require('./dataverse-schema');
const { parseFilter, parseSelect, parseExpand, unknownProperty } = require('./dataverse-query');

/** @typedef {import('./dataverse-schema').Table} Table */
/** @typedef {import('./dataverse-schema').Column} Column */

/** Actions and functions (unbound unless `bound`), for the CSDL. */
const OPERATIONS = [
	{ kind: 'Function', name: 'WhoAmI', parameters: [], returns: 'mscrm.WhoAmIResponse' },
	{ kind: 'Function', name: 'RetrieveTotalRecordCount', parameters: [['EntityNames', 'Collection(Edm.String)']], returns: 'mscrm.RetrieveTotalRecordCountResponse' },
	{ kind: 'Function', name: 'RetrieveCurrentOrganization', parameters: [['AccessType', 'mscrm.EndpointAccessType']], returns: 'mscrm.RetrieveCurrentOrganizationResponse' },
	{ kind: 'Action', name: 'WinOpportunity', parameters: [['OpportunityClose', 'mscrm.opportunityclose'], ['Status', 'Edm.Int32']], returns: null },
	{ kind: 'Action', name: 'LoseOpportunity', parameters: [['OpportunityClose', 'mscrm.opportunityclose'], ['Status', 'Edm.Int32']], returns: null },
	{
		kind: 'Action', name: 'QualifyLead', bound: 'mscrm.lead',
		parameters: [['CreateAccount', 'Edm.Boolean'], ['CreateContact', 'Edm.Boolean'], ['CreateOpportunity', 'Edm.Boolean'], ['Status', 'Edm.Int32'],
			['OpportunityCustomerId', 'mscrm.crmbaseentity', true], ['SourceCampaignId', 'mscrm.crmbaseentity', true], ['SuppressDuplicateDetection', 'Edm.Boolean', true]],
		returns: 'Collection(mscrm.crmbaseentity)',
	},
];

/** Complex and enum types those operations use. */
const COMPLEX_TYPES = `
<ComplexType Name="WhoAmIResponse"><Property Name="BusinessUnitId" Type="Edm.Guid" Nullable="false"/><Property Name="UserId" Type="Edm.Guid" Nullable="false"/><Property Name="OrganizationId" Type="Edm.Guid" Nullable="false"/></ComplexType>
<ComplexType Name="EntityRecordCountCollection"><Property Name="Count" Type="Edm.Int32" Nullable="false"/><Property Name="IsReadOnly" Type="Edm.Boolean" Nullable="false"/><Property Name="Keys" Type="Collection(Edm.String)"/><Property Name="Values" Type="Collection(Edm.Int64)"/></ComplexType>
<ComplexType Name="RetrieveTotalRecordCountResponse"><Property Name="EntityRecordCountCollection" Type="mscrm.EntityRecordCountCollection"/></ComplexType>
<EnumType Name="EndpointAccessType"><Member Name="Default" Value="0"/><Member Name="Internet" Value="1"/><Member Name="Intranet" Value="2"/></EnumType>
<EnumType Name="OrganizationState"><Member Name="Enabled" Value="0"/><Member Name="Disabled" Value="1"/></EnumType>
<ComplexType Name="EndpointCollection"><Property Name="Count" Type="Edm.Int32" Nullable="false"/><Property Name="IsReadOnly" Type="Edm.Boolean" Nullable="false"/><Property Name="Keys" Type="Collection(Edm.String)"/><Property Name="Values" Type="Collection(Edm.String)"/></ComplexType>
<ComplexType Name="OrganizationDetail"><Property Name="OrganizationId" Type="Edm.Guid" Nullable="false"/><Property Name="FriendlyName" Type="Edm.String"/><Property Name="OrganizationVersion" Type="Edm.String"/><Property Name="EnvironmentId" Type="Edm.String"/><Property Name="Geo" Type="Edm.String"/><Property Name="TenantId" Type="Edm.String"/><Property Name="UrlName" Type="Edm.String"/><Property Name="UniqueName" Type="Edm.String"/><Property Name="Endpoints" Type="mscrm.EndpointCollection"/><Property Name="State" Type="mscrm.OrganizationState" Nullable="false"/></ComplexType>
<ComplexType Name="RetrieveCurrentOrganizationResponse"><Property Name="Detail" Type="mscrm.OrganizationDetail"/></ComplexType>`;

/** The CSDL document. */
function buildCsdl() {
	const lines = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
		'<edmx:Reference Uri="http://vocabularies.odata.org/OData.Community.Display.V1.xml"><edmx:Include Namespace="OData.Community.Display.V1" Alias="Display"/></edmx:Reference>',
		'<edmx:DataServices>',
		'<Schema Namespace="Microsoft.Dynamics.CRM" Alias="mscrm" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
		'<EntityType Name="crmbaseentity" Abstract="true"/>',
	];
	for (const table of TABLES) {
		lines.push(`<EntityType Name="${table.logicalName}" BaseType="mscrm.crmbaseentity">`, `<Key><PropertyRef Name="${table.primaryId}"/></Key>`);
		for (const column of table.columns) {
			if (column.type === 'File') continue;
			const name = isLookup(column) ? `_${column.name}_value` : column.name;
			const extra = column.type === 'String' || column.type === 'Memo' ? ' Unicode="false"' : column.type === 'Money' || column.type === 'Decimal' ? ' Scale="Variable"' : '';
			lines.push(`<Property Name="${name}" Type="${edmType(column)}"${extra}/>`);
		}
		for (const column of table.columns.filter((item) => item.type === 'File')) lines.push(`<Property Name="${column.name}" Type="Edm.Guid"/>`);
		for (const nav of navigationsOf(table)) {
			if (nav.kind === 'single') {
				lines.push(`<NavigationProperty Name="${nav.name}" Type="mscrm.${nav.target}" Nullable="false" Partner="${nav.relationship.referencedNav}">`
					+ `<ReferentialConstraint Property="_${nav.attribute}_value" ReferencedProperty="${tableByLogicalName(nav.target)?.primaryId}"/></NavigationProperty>`);
			} else {
				const partner = nav.kind === 'collection' ? nav.relationship.referencingNav : nav.name;
				lines.push(`<NavigationProperty Name="${nav.name}" Type="Collection(mscrm.${nav.target})" Partner="${partner}"/>`);
			}
		}
		lines.push('</EntityType>');
	}
	lines.push(COMPLEX_TYPES.trim());
	for (const operation of OPERATIONS) {
		lines.push(`<${operation.kind} Name="${operation.name}"${operation.bound ? ' IsBound="true"' : ''}>`);
		if (operation.bound) lines.push(`<Parameter Name="entity" Type="${operation.bound}" Nullable="false"/>`);
		for (const [name, type, optional] of operation.parameters) lines.push(`<Parameter Name="${name}" Type="${type}" Nullable="${optional ? 'true' : 'false'}"/>`);
		if (operation.returns) lines.push(`<ReturnType Type="${operation.returns}" Nullable="false"/>`);
		lines.push(`</${operation.kind}>`);
	}
	lines.push('<EntityContainer Name="System">');
	for (const table of TABLES) {
		lines.push(`<EntitySet Name="${table.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${table.logicalName}">`);
		for (const nav of navigationsOf(table)) lines.push(`<NavigationPropertyBinding Path="${nav.name}" Target="${tableByLogicalName(nav.target)?.entitySetName}"/>`);
		lines.push('</EntitySet>');
	}
	for (const operation of OPERATIONS.filter((item) => !item.bound)) {
		lines.push(operation.kind === 'Function'
			? `<FunctionImport Name="${operation.name}" Function="Microsoft.Dynamics.CRM.${operation.name}" IncludeInServiceDocument="false"/>`
			: `<ActionImport Name="${operation.name}" Action="Microsoft.Dynamics.CRM.${operation.name}"/>`);
	}
	lines.push('</EntityContainer>', '</Schema>', '</edmx:DataServices>', '</edmx:Edmx>');
	return lines.join('\n');
}

/** A Dataverse Label (English only). @param {string} text @param {string} owner */
function label(text, owner) {
	const localized = { Label: text, LanguageCode: 1033, IsManaged: true, MetadataId: metadataId('label', owner), HasChanged: null };
	return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

const TYPE_NAMES = /** @type {Record<string, [string, string]>} */ ({
	Uniqueidentifier: ['UniqueidentifierType', 'UniqueIdentifierAttributeMetadata'], String: ['StringType', 'StringAttributeMetadata'],
	Memo: ['MemoType', 'MemoAttributeMetadata'], Integer: ['IntegerType', 'IntegerAttributeMetadata'], BigInt: ['BigIntType', 'BigIntAttributeMetadata'],
	Decimal: ['DecimalType', 'DecimalAttributeMetadata'], Money: ['MoneyType', 'MoneyAttributeMetadata'], Double: ['DoubleType', 'DoubleAttributeMetadata'],
	Boolean: ['BooleanType', 'BooleanAttributeMetadata'], DateTime: ['DateTimeType', 'DateTimeAttributeMetadata'], Picklist: ['PicklistType', 'PicklistAttributeMetadata'],
	State: ['StateType', 'StateAttributeMetadata'], Status: ['StatusType', 'StatusAttributeMetadata'], Lookup: ['LookupType', 'LookupAttributeMetadata'],
	Customer: ['CustomerType', 'LookupAttributeMetadata'], File: ['FileType', 'FileAttributeMetadata'], Image: ['ImageType', 'ImageAttributeMetadata'],
});

/** Attribute casts Dataverse has that match no column of the schema (an empty list), or several (Enum: choices). */
const EXTRA_CASTS = new Set(['EnumAttributeMetadata', 'MultiSelectPicklistAttributeMetadata', 'EntityNameAttributeMetadata', 'ManagedPropertyAttributeMetadata', 'ImageAttributeMetadata', 'FileAttributeMetadata']);

/** The metadata class of a column (for `@odata.type` and typed casts). @param {Column} column */
const metadataClass = (column) => TYPE_NAMES[column.type][1];

/** @param {Table} table @param {Column} column */
function optionSetOf(table, column) {
	const owner = `${table.logicalName}.${column.name}`;
	/** @param {[number, string, number?]} option */
	const option = ([value, text, extra]) => {
		/** @type {Record<string, unknown>} */
		const out = { Value: value, Color: null, IsManaged: !table.custom, ExternalValue: null, ParentValues: [], Label: label(text, `${owner}.${value}`), Description: label('', `${owner}.${value}.d`) };
		if (column.type === 'State') Object.assign(out, { DefaultStatus: extra, InvariantName: text });
		if (column.type === 'Status') Object.assign(out, { State: extra, TransitionData: null });
		return out;
	};
	const options = column.options ?? [];
	/** @type {Record<string, unknown>} */
	const set = {
		MetadataId: metadataId('optionset', owner), HasChanged: null, IsCustomOptionSet: table.custom, IsGlobal: false, IsManaged: !table.custom,
		Name: `${table.logicalName}_${column.name}`, ExternalTypeName: null, DisplayName: label(column.label, `${owner}.set`), Description: label('', `${owner}.set.d`),
		OptionSetType: column.type === 'Boolean' ? 'Boolean' : column.type,
	};
	if (column.type === 'Boolean') Object.assign(set, { FalseOption: option(options[0]), TrueOption: option(options[1]) });
	else set.Options = options.map(option);
	return set;
}

/** AttributeMetadata of a column. @param {Table} table @param {Column} column */
function attributeJson(table, column) {
	const [typeName, cls] = TYPE_NAMES[column.type];
	const required = column.required ?? 'None';
	/** @type {Record<string, unknown>} */
	const json = {
		'@odata.type': `#Microsoft.Dynamics.CRM.${cls}`,
		MetadataId: metadataId('attribute', table.logicalName, column.name),
		HasChanged: null,
		LogicalName: column.name,
		SchemaName: column.name.replace(/^cr0a1_(\w)/, (_, first) => `cr0a1_${first.toUpperCase()}`).replace(/^(\w)/, (first) => (table.custom ? first : first.toUpperCase())),
		EntityLogicalName: table.logicalName,
		AttributeType: column.type,
		AttributeTypeName: { Value: typeName },
		AttributeOf: column.attributeOf ?? null,
		DisplayName: label(column.label, `${table.logicalName}.${column.name}`),
		Description: label('', `${table.logicalName}.${column.name}.d`),
		RequiredLevel: { Value: required, CanBeChanged: required !== 'SystemRequired', ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
		IsPrimaryId: column.name === table.primaryId,
		IsPrimaryName: column.name === table.primaryName,
		IsCustomAttribute: table.custom && column.name.startsWith('cr0a1_'),
		IsValidForCreate: column.create !== false,
		IsValidForUpdate: column.update !== false,
		IsValidForRead: true,
		IsValidODataAttribute: true,
		IsLogical: Boolean(column.computed),
		SourceType: column.computed ? 1 : 0,
	};
	if (column.type === 'String' || column.type === 'Memo') Object.assign(json, { MaxLength: column.maxLength, Format: column.type === 'Memo' ? 'TextArea' : 'Text', FormatName: { Value: column.type === 'Memo' ? 'TextArea' : 'Text' } });
	if (['Integer', 'BigInt', 'Decimal', 'Money', 'Double'].includes(column.type)) Object.assign(json, { MinValue: column.min ?? null, MaxValue: column.max ?? null, Precision: column.precision ?? null });
	if (column.type === 'DateTime') Object.assign(json, { Format: column.dateOnly ? 'DateOnly' : 'DateAndTime', DateTimeBehavior: { Value: column.dateOnly ? 'DateOnly' : 'UserLocal' } });
	if (isLookup(column)) json.Targets = column.targets;
	if (column.type === 'File') json.MaxSizeInKB = column.maxSizeKb;
	if (column.type === 'Image') Object.assign(json, { MaxSizeInKB: column.maxSizeKb, CanStoreFullImage: true, IsPrimaryImage: table.primaryImage === column.name, MaxHeight: 144, MaxWidth: 144 });
	if (['Picklist', 'State', 'Status', 'Boolean'].includes(column.type)) json.DefaultFormValue = column.type === 'Picklist' ? -1 : undefined;
	return json;
}

/** @param {import('./dataverse-schema').OneToMany} relationship */
function oneToManyJson(relationship) {
	return {
		MetadataId: metadataId('relationship', relationship.schemaName), SchemaName: relationship.schemaName, RelationshipType: 'OneToManyRelationship',
		IsCustomRelationship: relationship.schemaName.startsWith('cr0a1_'), IsValidForAdvancedFind: true,
		ReferencedAttribute: tableByLogicalName(relationship.referenced)?.primaryId, ReferencedEntity: relationship.referenced,
		ReferencingAttribute: relationship.attribute, ReferencingEntity: relationship.referencing,
		ReferencedEntityNavigationPropertyName: relationship.referencedNav, ReferencingEntityNavigationPropertyName: relationship.referencingNav,
		CascadeConfiguration: { Assign: 'NoCascade', Delete: 'RemoveLink', Merge: 'NoCascade', Reparent: 'NoCascade', Share: 'NoCascade', Unshare: 'NoCascade' },
	};
}

/** @param {import('./dataverse-schema').ManyToMany} relationship */
function manyToManyJson(relationship) {
	return {
		MetadataId: metadataId('relationship', relationship.schemaName), SchemaName: relationship.schemaName, RelationshipType: 'ManyToManyRelationship',
		IsCustomRelationship: relationship.schemaName.startsWith('cr0a1_'), IsValidForAdvancedFind: true,
		Entity1LogicalName: relationship.entity1, Entity2LogicalName: relationship.entity2, IntersectEntityName: relationship.intersect,
		Entity1IntersectAttribute: tableByLogicalName(relationship.entity1)?.primaryId, Entity2IntersectAttribute: tableByLogicalName(relationship.entity2)?.primaryId,
		Entity1NavigationPropertyName: relationship.nav1, Entity2NavigationPropertyName: relationship.nav2,
	};
}

/** @param {Table} table */
function keysJson(table) {
	return table.keys.map((key) => ({
		MetadataId: metadataId('key', table.logicalName, key.name), LogicalName: key.name, SchemaName: key.name, EntityLogicalName: table.logicalName,
		KeyAttributes: key.columns, DisplayName: label(key.label, `${table.logicalName}.${key.name}`), EntityKeyIndexStatus: 'Active', IsManaged: false,
	}));
}

/** EntityMetadata without its collections. @param {Table} table */
function entityJson(table) {
	return {
		MetadataId: metadataId('entity', table.logicalName), HasChanged: null,
		LogicalName: table.logicalName, SchemaName: table.schemaName, EntitySetName: table.entitySetName, LogicalCollectionName: table.entitySetName,
		CollectionSchemaName: `${table.schemaName}s`, ObjectTypeCode: table.objectTypeCode,
		DisplayName: label(table.label, table.logicalName), DisplayCollectionName: label(table.collectionLabel, `${table.logicalName}.c`),
		Description: label('', `${table.logicalName}.d`),
		PrimaryIdAttribute: table.primaryId, PrimaryNameAttribute: table.primaryName, PrimaryImageAttribute: table.primaryImage ?? null,
		IsCustomEntity: table.custom, IsActivity: Boolean(table.activity), IsIntersect: false, IsManaged: !table.custom,
		IsLogicalEntity: false, IsPrivate: false, TableType: 'Standard', IsAuditEnabled: { Value: false, CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyauditsettings' },
		OwnershipType: 'UserOwned', ChangeTrackingEnabled: table.changeTracking, IsValidForAdvancedFind: true, IsBPFEntity: false,
		CanCreateAttributes: { Value: true, CanBeChanged: false, ManagedPropertyLogicalName: 'cancreateattributes' },
	};
}

/** The collections of a table an `$expand` (or a path) can name. @param {Table} table */
const collectionsOf = (table) => ({
	Attributes: () => table.columns.map((column) => ({ json: attributeJson(table, column), column, table })),
	Keys: () => keysJson(table).map((json) => ({ json })),
	ManyToOneRelationships: () => ONE_TO_MANY.filter((item) => item.referencing === table.logicalName).map((item) => ({ json: oneToManyJson(item) })),
	OneToManyRelationships: () => ONE_TO_MANY.filter((item) => item.referenced === table.logicalName).map((item) => ({ json: oneToManyJson(item) })),
	ManyToManyRelationships: () => MANY_TO_MANY.filter((item) => item.entity1 === table.logicalName || item.entity2 === table.logicalName).map((item) => ({ json: manyToManyJson(item) })),
});

/**
 * Applies `$select` and `$filter` of metadata (properties resolved on the JSON itself; filtering on a nested
 * value such as `DisplayName` is not supported, as in Dataverse) to items.
 * @template {{ json: Record<string, unknown> }} T
 * @param {T[]} items @param {Record<string, string>} options @param {string} typeName
 * @returns {T[]}
 */
function shape(items, options, typeName) {
	for (const option of Object.keys(options)) {
		if (option.startsWith('$') && !['$select', '$filter', '$expand'].includes(option)) throw httpError(400, '0x0', `The query parameter ${option} is not supported`);
	}
	/** @param {string} name */
	const resolve = (name) => {
		if (!items.some((item) => Object.prototype.hasOwnProperty.call(item.json, name)) && items.length > 0) throw unknownProperty(typeName, name);
		return { type: 'any', get: (/** @type {any} */ json) => json[name] };
	};
	let out = items;
	if (options.$filter) {
		const predicate = parseFilter(options.$filter, resolve);
		out = out.filter((item) => predicate(item.json));
	}
	const select = options.$select ? parseSelect(options.$select, resolve) : null;
	return out.map((item) => ({ ...item, json: select ? pick(item.json, select) : { ...item.json } }));
}

/** Keeps the selected properties (and `@odata.type`, `MetadataId`, as Dataverse does). @param {Record<string, unknown>} json @param {string[]} select */
function pick(json, select) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [key, value] of Object.entries(json)) if (select.includes(key) || key === 'MetadataId' || key === '@odata.type') out[key] = value;
	return out;
}

/**
 * @param {import('./router').Router} router
 * @param {import('./dataverse').DataverseKit} kit
 */
function registerMetadata(router, kit) {
	const { host, authorised, reply, base } = kit;
	const csdl = buildCsdl();

	router.add('GET', /^\/api\/data\/v9\.2\/\$metadata$/, authorised((ctx) =>
		ctx.send(200, csdl, { 'content-type': 'application/xml', 'odata-version': '4.0' }),
	), { host });

	router.add('GET', /^\/api\/data\/v9\.2\/?$/, authorised((ctx) => reply(ctx, 200, {
		'@odata.context': `${base}/$metadata`,
		value: TABLES.map((table) => ({ name: table.entitySetName, kind: 'EntitySet', url: table.entitySetName })),
	})), { host });

	router.add('GET', /^\/api\/data\/v9\.2\/EntityDefinitions$/, authorised((ctx) => {
		const items = shape(TABLES.map((table) => ({ json: entityJson(table), table })), ctx.query, 'Microsoft.Dynamics.CRM.EntityMetadata');
		return reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#EntityDefinitions${ctx.query.$select ? `(${ctx.query.$select})` : ''}`,
			value: items.map((item) => withExpansions(item.json, item.table, ctx.query.$expand)),
		});
	}), { host });

	const single = /^\/api\/data\/v9\.2\/EntityDefinitions\((?<key>[^)]*)\)(?:\/(?<collection>Attributes|Keys|ManyToOneRelationships|OneToManyRelationships|ManyToManyRelationships)(?:\((?<item>[^)]*)\))?(?:\/Microsoft\.Dynamics\.CRM\.(?<cast>\w+))?)?$/;
	router.add('GET', single, authorised((ctx) => {
		const table = tableFromKey(ctx.params.key);
		const { collection, item, cast } = ctx.params;
		if (!collection) {
			const [entity] = shape([{ json: entityJson(table) }], { $select: ctx.query.$select ?? '' }, 'Microsoft.Dynamics.CRM.EntityMetadata');
			return reply(ctx, 200, { '@odata.context': `${base}/$metadata#EntityDefinitions/$entity`, ...withExpansions(entity.json, table, ctx.query.$expand) });
		}
		/** @type {Array<{ json: Record<string, unknown>, column?: Column, table?: Table }>} */
		let items = collectionsOf(table)[/** @type {'Attributes'} */ (collection)]();
		if (cast) {
			const known = Object.values(TYPE_NAMES).some(([, cls]) => cls === cast) || EXTRA_CASTS.has(cast);
			if (collection !== 'Attributes' || !known) throw httpError(400, '0x0', `The type 'Microsoft.Dynamics.CRM.${cast}' is not a subtype of the collection's item type.`);
			items = items.filter((entry) => entry.column && (metadataClass(entry.column) === cast || (cast === 'EnumAttributeMetadata' && ['Picklist', 'State', 'Status'].includes(entry.column.type))));
		}
		if (item) {
			const wanted = /^LogicalName='([^']*)'$/.exec(item)?.[1] ?? item.toLowerCase();
			const found = items.find((entry) => entry.json.LogicalName === wanted || entry.json.MetadataId === wanted);
			if (!found) throw httpError(404, '0x80040217', `Could not find attribute with LogicalName = '${wanted}' on entity '${table.logicalName}'.`);
			const [shaped] = shape([found], { $select: ctx.query.$select ?? '' }, 'Microsoft.Dynamics.CRM.AttributeMetadata');
			return reply(ctx, 200, { '@odata.context': `${base}/$metadata#EntityDefinitions('${table.logicalName}')/${collection}/$entity`, ...withOptionSet(shaped, ctx.query.$expand, cast) });
		}
		const shaped = shape(items, ctx.query, `Microsoft.Dynamics.CRM.${cast ?? 'AttributeMetadata'}`);
		return reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#EntityDefinitions('${table.logicalName}')/${collection}${cast ? `/Microsoft.Dynamics.CRM.${cast}` : ''}`,
			value: shaped.map((entry) => withOptionSet(entry, ctx.query.$expand, cast)),
		});
	}), { host });
}

/** `LogicalName='account'` or a MetadataId. @param {string} key */
function tableFromKey(key) {
	const logical = /^LogicalName='([^']*)'$/.exec(key)?.[1];
	const table = logical !== undefined ? tableByLogicalName(logical) : TABLES.find((item) => metadataId('entity', item.logicalName) === key.toLowerCase());
	if (!table) throw httpError(404, '0x80040217', `Could not find entity with ${logical !== undefined ? `LogicalName = '${logical}'` : `MetadataId = '${key}'`}.`);
	return table;
}

/**
 * `$expand=Attributes($select=...;$filter=...),Keys,...` on an entity.
 * @param {Record<string, unknown>} json @param {Table} table @param {string | undefined} expand
 */
function withExpansions(json, table, expand) {
	if (!expand) return json;
	const out = { ...json };
	const collections = collectionsOf(table);
	for (const { name, options } of parseExpand(expand)) {
		if (!(name in collections)) throw unknownProperty('Microsoft.Dynamics.CRM.EntityMetadata', name);
		if (options.$expand) throw httpError(400, '0x0', `Could not find a property named '${options.$expand.split(/[(,]/)[0]}' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'. Cast to a derived type (e.g. Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata) to expand OptionSet.`);
		out[name] = shape(collections[/** @type {'Keys'} */ (name)](), options, 'Microsoft.Dynamics.CRM.MetadataBase').map((entry) => entry.json);
	}
	return out;
}

/**
 * `$expand=OptionSet` / `GlobalOptionSet` on a typed cast of choice columns (Picklist, State, Status, Boolean).
 * @param {{ json: Record<string, unknown>, column?: Column, table?: Table }} entry @param {string | undefined} expand @param {string | undefined} cast
 */
function withOptionSet(entry, expand, cast) {
	if (!expand) return entry.json;
	const out = { ...entry.json };
	for (const { name, options } of parseExpand(expand)) {
		const choice = entry.column && ['Picklist', 'State', 'Status', 'Boolean'].includes(entry.column.type);
		if ((name !== 'OptionSet' && name !== 'GlobalOptionSet') || !cast || !choice || !entry.column || !entry.table) {
			throw unknownProperty(`Microsoft.Dynamics.CRM.${cast ?? 'AttributeMetadata'}`, name);
		}
		if (name === 'GlobalOptionSet') {
			out.GlobalOptionSet = null;
			continue;
		}
		const set = optionSetOf(entry.table, entry.column);
		out.OptionSet = options.$select ? pick(set, parseSelect(options.$select, (prop) => ({ type: 'any', get: () => prop }))) : set;
	}
	return out;
}

module.exports = { registerMetadata, buildCsdl, entityJson, attributeJson, OPERATIONS };
