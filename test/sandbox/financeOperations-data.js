// @ts-check
'use strict';

/**
 * The data of the sandbox's Finance & Operations environment: its companies (legal entities), the public data
 * entities it serves under `/data` (keys with `dataAreaId`, enums, labels), their rows, ETags, and the `$metadata`
 * document generated from the same definitions.
 */

const NS = 'Microsoft.Dynamics.DataEntities';

/** Enums of the entities below: name → members (value order as in F&O). */
const ENUMS = {
	NoYes: ['No', 'Yes'],
	CustVendorBlocked: ['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never'],
	EcoResProductType: ['Item', 'Service'],
	SalesStatus: ['None', 'Backorder', 'Delivered', 'Invoiced', 'Canceled'],
};

/**
 * @typedef {{ type: string, label: string }} Field  type: Edm.String | Edm.Decimal | Edm.Int32 | Edm.Date | enum:<Name>
 * @typedef {{ set: string, type: string, label: string, keys: string[], fields: Record<string, Field>, companyScoped: boolean,
 *   navigation?: { name: string, target: string, on: string[] } }} EntityDefinition
 */

/** @type {EntityDefinition[]} */
const ENTITIES = [
	{
		set: 'LegalEntities',
		type: 'LegalEntity',
		label: 'Legal entities',
		keys: ['LegalEntityId'],
		companyScoped: false,
		fields: {
			LegalEntityId: { type: 'Edm.String', label: 'Company' },
			Name: { type: 'Edm.String', label: 'Name' },
			AddressCountryRegionId: { type: 'Edm.String', label: 'Country/region' },
		},
	},
	{
		set: 'CustomersV3',
		type: 'CustomerV3',
		label: 'Customers V3',
		keys: ['dataAreaId', 'CustomerAccount'],
		companyScoped: true,
		fields: {
			dataAreaId: { type: 'Edm.String', label: 'Company' },
			CustomerAccount: { type: 'Edm.String', label: 'Customer account' },
			OrganizationName: { type: 'Edm.String', label: 'Organization name' },
			CustomerGroupId: { type: 'Edm.String', label: 'Customer group' },
			SalesCurrencyCode: { type: 'Edm.String', label: 'Currency' },
			CreditLimit: { type: 'Edm.Decimal', label: 'Credit limit' },
			CreditLimitIsMandatory: { type: 'enum:NoYes', label: 'Mandatory credit limit' },
			OnHoldStatus: { type: 'enum:CustVendorBlocked', label: 'Customer on hold' },
			PrimaryContactEmail: { type: 'Edm.String', label: 'Email' },
		},
	},
	{
		set: 'VendorsV2',
		type: 'VendorV2',
		label: 'Vendors V2',
		keys: ['dataAreaId', 'VendorAccountNumber'],
		companyScoped: true,
		fields: {
			dataAreaId: { type: 'Edm.String', label: 'Company' },
			VendorAccountNumber: { type: 'Edm.String', label: 'Vendor account' },
			VendorOrganizationName: { type: 'Edm.String', label: 'Vendor name' },
			VendorGroupId: { type: 'Edm.String', label: 'Group' },
			CurrencyCode: { type: 'Edm.String', label: 'Currency' },
			OnHoldStatus: { type: 'enum:CustVendorBlocked', label: 'Vendor hold' },
		},
	},
	{
		set: 'ReleasedProductsV2',
		type: 'ReleasedProductV2',
		label: 'Released products V2',
		keys: ['dataAreaId', 'ItemNumber'],
		companyScoped: true,
		fields: {
			dataAreaId: { type: 'Edm.String', label: 'Company' },
			ItemNumber: { type: 'Edm.String', label: 'Item number' },
			ProductName: { type: 'Edm.String', label: 'Product name' },
			ProductType: { type: 'enum:EcoResProductType', label: 'Product type' },
			SalesPrice: { type: 'Edm.Decimal', label: 'Sales price' },
		},
	},
	{
		set: 'SalesOrderHeadersV2',
		type: 'SalesOrderHeaderV2',
		label: 'Sales order headers V2',
		keys: ['dataAreaId', 'SalesOrderNumber'],
		companyScoped: true,
		navigation: { name: 'SalesOrderLines', target: 'SalesOrderLines', on: ['dataAreaId', 'SalesOrderNumber'] },
		fields: {
			dataAreaId: { type: 'Edm.String', label: 'Company' },
			SalesOrderNumber: { type: 'Edm.String', label: 'Sales order' },
			OrderingCustomerAccountNumber: { type: 'Edm.String', label: 'Customer account' },
			CurrencyCode: { type: 'Edm.String', label: 'Currency' },
			SalesOrderStatus: { type: 'enum:SalesStatus', label: 'Status' },
			RequestedShippingDate: { type: 'Edm.Date', label: 'Requested ship date' },
		},
	},
	{
		set: 'SalesOrderLines',
		type: 'SalesOrderLine',
		label: 'Sales order lines',
		keys: ['dataAreaId', 'InventoryLotId'],
		companyScoped: true,
		fields: {
			dataAreaId: { type: 'Edm.String', label: 'Company' },
			InventoryLotId: { type: 'Edm.String', label: 'Lot ID' },
			SalesOrderNumber: { type: 'Edm.String', label: 'Sales order' },
			LineNumber: { type: 'Edm.Decimal', label: 'Line number' },
			ItemNumber: { type: 'Edm.String', label: 'Item number' },
			OrderedSalesQuantity: { type: 'Edm.Decimal', label: 'Quantity' },
			SalesPrice: { type: 'Edm.Decimal', label: 'Unit price' },
		},
	},
];

/** Companies (legal entities) of the environment. */
const COMPANIES = [
	{ LegalEntityId: 'USMF', Name: 'Contoso Entertainment System USA', AddressCountryRegionId: 'USA' },
	{ LegalEntityId: 'DEMF', Name: 'Contoso Entertainment System Germany', AddressCountryRegionId: 'DEU' },
	{ LegalEntityId: 'GBSI', Name: 'Contoso Consulting UK', AddressCountryRegionId: 'GBR' },
];

/** @param {EntityDefinition} entity @returns {Record<string, string>} schema for financeOperations-odata.js */
function schemaOf(entity) {
	/** @type {Record<string, string>} */
	const schema = {};
	for (const [name, field] of Object.entries(entity.fields)) {
		schema[name] = field.type.startsWith('enum:') ? `enum:${NS}.${field.type.slice(5)}` : field.type;
	}
	return schema;
}

class FinanceOperationsStore {
	constructor() {
		/** @type {Map<string, Map<string, Record<string, unknown>>>} entity set → key text → row */
		this.tables = new Map(ENTITIES.map((entity) => [entity.set, new Map()]));
		/** @type {number} */
		this.version = 5637144576;
		for (const company of COMPANIES) this.insert('LegalEntities', { ...company });
		const customers = [
			['usmf', 'US-001', 'Contoso Retail San Diego', 'USD', 50000],
			['usmf', 'US-002', "Contoso Retail Los Angeles", 'USD', 25000],
			['usmf', 'US-003', 'Forest Wholesales', 'USD', 0],
			['usmf', 'US-004', "O'Neil Cycles", 'USD', 10000],
			['usmf', 'US-005', 'Lamna Healthcare', 'USD', 75000],
			['demf', 'DE-001', 'Contoso Europe', 'EUR', 40000],
			['demf', 'DE-002', 'Tailspin Toys GmbH', 'EUR', 15000],
			['gbsi', 'GB-001', 'Alpine Ski House UK', 'GBP', 5000],
		];
		for (const [dataAreaId, account, name, currency, limit] of customers) {
			this.insert('CustomersV3', {
				dataAreaId, CustomerAccount: account, OrganizationName: name, CustomerGroupId: '30', SalesCurrencyCode: currency,
				CreditLimit: limit, CreditLimitIsMandatory: limit ? 'Yes' : 'No', OnHoldStatus: account === 'US-003' ? 'All' : 'No',
				PrimaryContactEmail: `${String(account).toLowerCase()}@example.com`,
			});
		}
		for (const [dataAreaId, account, name, currency] of [['usmf', 'US-101', 'Fabrikam Supplier', 'USD'], ['usmf', 'US-102', 'Litware Components', 'USD'], ['demf', 'DE-101', 'Wingtip Teile', 'EUR']]) {
			this.insert('VendorsV2', { dataAreaId, VendorAccountNumber: account, VendorOrganizationName: name, VendorGroupId: '10', CurrencyCode: currency, OnHoldStatus: 'No' });
		}
		for (const [dataAreaId, item, name, type, price] of [['usmf', 'D0001', 'MidRangeSpeaker2', 'Item', 250], ['usmf', 'D0002', 'Cabinet', 'Item', 120], ['usmf', 'S0001', 'Installation service', 'Service', 80], ['demf', 'D0001', 'MidRangeSpeaker2', 'Item', 230]]) {
			this.insert('ReleasedProductsV2', { dataAreaId, ItemNumber: item, ProductName: name, ProductType: type, SalesPrice: price });
		}
		this.insert('SalesOrderHeadersV2', { dataAreaId: 'usmf', SalesOrderNumber: '000001', OrderingCustomerAccountNumber: 'US-001', CurrencyCode: 'USD', SalesOrderStatus: 'Backorder', RequestedShippingDate: '2026-12-15' });
		this.insert('SalesOrderLines', { dataAreaId: 'usmf', InventoryLotId: '000001-1', SalesOrderNumber: '000001', LineNumber: 1, ItemNumber: 'D0001', OrderedSalesQuantity: 4, SalesPrice: 250 });
		this.insert('SalesOrderLines', { dataAreaId: 'usmf', InventoryLotId: '000001-2', SalesOrderNumber: '000001', LineNumber: 2, ItemNumber: 'D0002', OrderedSalesQuantity: 1, SalesPrice: 120 });
		this.insert('SalesOrderHeadersV2', { dataAreaId: 'demf', SalesOrderNumber: '000001', OrderingCustomerAccountNumber: 'DE-001', CurrencyCode: 'EUR', SalesOrderStatus: 'Invoiced', RequestedShippingDate: '2026-11-20' });
	}

	/** @param {string} set */
	entity(set) {
		return ENTITIES.find((entity) => entity.set === set);
	}

	/** The key text of a row ("dataAreaId='usmf',CustomerAccount='US-001'", company in lower case). @param {EntityDefinition} entity @param {Record<string, unknown>} values */
	keyOf(entity, values) {
		return entity.keys.map((key) => `${key}=${JSON.stringify(String(values[key] ?? '').toLowerCase())}`).join(',');
	}

	/** @param {string} set @param {Record<string, unknown>} values */
	insert(set, values) {
		const entity = /** @type {EntityDefinition} */ (this.entity(set));
		/** @type {Record<string, unknown>} */
		const row = { ...values, '@odata.etag': this.nextEtag() };
		/** @type {Map<string, Record<string, unknown>>} */ (this.tables.get(set)).set(this.keyOf(entity, row), row);
		return row;
	}

	/** @returns {string} */
	nextEtag() {
		this.version += 1;
		return `W/"${Buffer.from(`1,${this.version}`).toString('base64')}"`;
	}

	/** A copy of every table, for rolling back a change set. */
	snapshot() {
		return new Map([...this.tables].map(([set, rows]) => [set, new Map([...rows].map(([key, row]) => [key, { ...row }]))]));
	}

	/** @param {Map<string, Map<string, Record<string, unknown>>>} copy */
	restore(copy) {
		this.tables = copy;
	}
}

/** @param {string} text */
const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The CSDL document of `/data/$metadata`: entity types with keys, enums with members, labels as Core.Description annotations. */
function metadataXml() {
	const label = (/** @type {string} */ text) => `<Annotation Term="Org.OData.Core.V1.Description" String="${xml(text)}"/>`;
	const types = ENTITIES.map((entity) => {
		const properties = Object.entries(entity.fields).map(([name, field]) => {
			const type = field.type.startsWith('enum:') ? `${NS}.${field.type.slice(5)}` : field.type;
			const nullable = entity.keys.includes(name) ? ' Nullable="false"' : '';
			return `<Property Name="${name}" Type="${type}"${nullable}>${label(field.label)}</Property>`;
		});
		const navigation = entity.navigation
			? `<NavigationProperty Name="${entity.navigation.name}" Type="Collection(${NS}.${/** @type {EntityDefinition} */ (ENTITIES.find((e) => e.set === entity.navigation?.target)).type})"/>`
			: '';
		return `<EntityType Name="${entity.type}"><Key>${entity.keys.map((key) => `<PropertyRef Name="${key}"/>`).join('')}</Key>${properties.join('')}${navigation}${label(entity.label)}</EntityType>`;
	});
	const enums = Object.entries(ENUMS).map(([name, members]) => `<EnumType Name="${name}">${members.map((member, value) => `<Member Name="${member}" Value="${value}"/>`).join('')}</EnumType>`);
	const sets = ENTITIES.map((entity) => {
		const binding = entity.navigation ? `<NavigationPropertyBinding Path="${entity.navigation.name}" Target="${entity.navigation.target}"/>` : '';
		return `<EntitySet Name="${entity.set}" EntityType="${NS}.${entity.type}">${binding}${label(entity.label)}</EntitySet>`;
	});
	return (
		'<?xml version="1.0" encoding="utf-8"?>' +
		'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
		`<Schema Namespace="${NS}" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types.join('')}${enums.join('')}` +
		`<EntityContainer Name="Resources">${sets.join('')}</EntityContainer></Schema>` +
		'</edmx:DataServices></edmx:Edmx>'
	);
}

module.exports = { FinanceOperationsStore, ENTITIES, ENUMS, COMPANIES, NS, schemaOf, metadataXml };
