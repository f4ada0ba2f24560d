// @ts-check
'use strict';

/**
 * The data of the sandbox's Business Central: a tenant's environments (Production and Sandbox), their companies and,
 * per company, the standard API v2.0 entities (customers, vendors, items, contacts, salesQuotes, salesOrders,
 * salesInvoices, salesCreditMemos and purchaseInvoices with their lines, journals with journalLines) and one custom API
 * page (`api/contoso/sales/v1.0` → `deals`). Every record has a GUID `id` and an `@odata.etag` that changes on each
 * write; a document's totals are the sum of its lines (no tax).
 */

const crypto = require('node:crypto');

/**
 * @typedef {{ entity: string, fields: Record<string, string>, number?: string, lines?: { name: string, set: string }, actions?: string[] }} EntityDefinition
 *   entity: the entity type's name in `$metadata` (the API page's EntityName: customers → customer, companies → company);
 *   fields: name → Edm type; number: the prefix of numbers assigned on create; lines: the navigation to its lines;
 *   actions: bound actions Microsoft documents for the type (API v2.0 reference, "Bound Actions")
 */

/** Header fields every sales / purchase document shares. */
const SALES_DOCUMENT = { id: 'Edm.Guid', number: 'Edm.String', externalDocumentNumber: 'Edm.String', customerId: 'Edm.Guid', customerNumber: 'Edm.String', customerName: 'Edm.String', status: 'Edm.String', totalAmountExcludingTax: 'Edm.Decimal', totalAmountIncludingTax: 'Edm.Decimal', lastModifiedDateTime: 'Edm.DateTimeOffset' };
const DOCUMENT_LINE = { id: 'Edm.Guid', documentId: 'Edm.Guid', sequence: 'Edm.Int32', itemId: 'Edm.Guid', lineType: 'Edm.String', description: 'Edm.String', quantity: 'Edm.Decimal', unitPrice: 'Edm.Decimal', amountExcludingTax: 'Edm.Decimal', amountIncludingTax: 'Edm.Decimal' };

/** The standard API v2.0 entity sets (and the line sets reached through their documents). @type {Record<string, EntityDefinition>} */
const STANDARD = {
	customers: { entity: 'customer', number: 'C', fields: { id: 'Edm.Guid', number: 'Edm.String', displayName: 'Edm.String', type: 'Edm.String', email: 'Edm.String', phoneNumber: 'Edm.String', currencyCode: 'Edm.String', blocked: 'Edm.String', balance: 'Edm.Decimal', lastModifiedDateTime: 'Edm.DateTimeOffset' } },
	vendors: { entity: 'vendor', number: 'V', fields: { id: 'Edm.Guid', number: 'Edm.String', displayName: 'Edm.String', email: 'Edm.String', currencyCode: 'Edm.String', balance: 'Edm.Decimal', lastModifiedDateTime: 'Edm.DateTimeOffset' } },
	items: { entity: 'item', number: 'I', fields: { id: 'Edm.Guid', number: 'Edm.String', displayName: 'Edm.String', type: 'Edm.String', unitPrice: 'Edm.Decimal', inventory: 'Edm.Decimal', lastModifiedDateTime: 'Edm.DateTimeOffset' } },
	contacts: { entity: 'contact', number: 'CT', fields: { id: 'Edm.Guid', number: 'Edm.String', displayName: 'Edm.String', type: 'Edm.String', companyName: 'Edm.String', email: 'Edm.String', lastModifiedDateTime: 'Edm.DateTimeOffset' } },
	salesQuotes: {
		entity: 'salesQuote',
		number: 'SQ',
		lines: { name: 'salesQuoteLines', set: 'salesQuoteLines' },
		actions: ['makeInvoice', 'makeOrder', 'send'],
		fields: { ...SALES_DOCUMENT, documentDate: 'Edm.Date' },
	},
	salesOrders: {
		entity: 'salesOrder',
		number: 'SO',
		lines: { name: 'salesOrderLines', set: 'salesOrderLines' },
		actions: ['shipAndInvoice'],
		fields: { ...SALES_DOCUMENT, orderDate: 'Edm.Date' },
	},
	salesInvoices: {
		entity: 'salesInvoice',
		number: 'SI',
		lines: { name: 'salesInvoiceLines', set: 'salesInvoiceLines' },
		actions: ['cancelAndSend', 'cancel', 'makeCorrectiveCreditMemo', 'postAndSend', 'post', 'send'],
		fields: { ...SALES_DOCUMENT, invoiceDate: 'Edm.Date', orderId: 'Edm.Guid', orderNumber: 'Edm.String' },
	},
	salesCreditMemos: {
		entity: 'salesCreditMemo',
		number: 'SCM',
		lines: { name: 'salesCreditMemoLines', set: 'salesCreditMemoLines' },
		actions: ['cancelAndSend', 'cancel', 'postAndSend', 'post', 'send'],
		fields: { ...SALES_DOCUMENT, creditMemoDate: 'Edm.Date', invoiceId: 'Edm.Guid', invoiceNumber: 'Edm.String' },
	},
	purchaseInvoices: {
		entity: 'purchaseInvoice',
		number: 'PI',
		lines: { name: 'purchaseInvoiceLines', set: 'purchaseInvoiceLines' },
		actions: ['post'],
		fields: { id: 'Edm.Guid', number: 'Edm.String', vendorId: 'Edm.Guid', vendorNumber: 'Edm.String', vendorName: 'Edm.String', vendorInvoiceNumber: 'Edm.String', invoiceDate: 'Edm.Date', status: 'Edm.String', totalAmountExcludingTax: 'Edm.Decimal', totalAmountIncludingTax: 'Edm.Decimal', lastModifiedDateTime: 'Edm.DateTimeOffset' },
	},
	journals: {
		entity: 'journal',
		lines: { name: 'journalLines', set: 'journalLines' },
		actions: ['post'],
		fields: { id: 'Edm.Guid', code: 'Edm.String', displayName: 'Edm.String', lastModifiedDateTime: 'Edm.DateTimeOffset' },
	},
};

/** Line sets: reached as `{documents}({id})/{lines}`; `documentId` ties a line to its document. @type {Record<string, EntityDefinition>} */
const LINES = {
	salesQuoteLines: { entity: 'salesQuoteLine', fields: DOCUMENT_LINE },
	salesOrderLines: { entity: 'salesOrderLine', fields: DOCUMENT_LINE },
	salesInvoiceLines: { entity: 'salesInvoiceLine', fields: DOCUMENT_LINE },
	salesCreditMemoLines: { entity: 'salesCreditMemoLine', fields: DOCUMENT_LINE },
	purchaseInvoiceLines: { entity: 'purchaseInvoiceLine', fields: DOCUMENT_LINE },
	journalLines: { entity: 'journalLine', fields: { id: 'Edm.Guid', documentId: 'Edm.Guid', lineNumber: 'Edm.Int32', accountNumber: 'Edm.String', postingDate: 'Edm.Date', documentNumber: 'Edm.String', amount: 'Edm.Decimal', description: 'Edm.String' } },
};

/** The `companies` entity set: its type is `company` (Microsoft's $metadata; the API page's EntityName). @type {EntityDefinition} */
const COMPANIES = { entity: 'company', fields: { id: 'Edm.Guid', systemVersion: 'Edm.String', timestamp: 'Edm.Int64', name: 'Edm.String', displayName: 'Edm.String', businessProfileId: 'Edm.String' } };

/** Custom API pages: `api/{publisher}/{group}/{version}` → entity sets. */
const CUSTOM_APIS = {
	'contoso/sales/v1.0': {
		deals: { entity: 'deal', fields: { id: 'Edm.Guid', name: 'Edm.String', customerNumber: 'Edm.String', amount: 'Edm.Decimal', stage: 'Edm.String', lastModifiedDateTime: 'Edm.DateTimeOffset' } },
	},
};

/** A GUID derived from a text (stable seeded ids). @param {string} text */
function stableGuid(text) {
	const hex = crypto.createHash('sha256').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

class Company {
	/** @param {string} environment @param {string} name */
	constructor(environment, name) {
		this.id = stableGuid(`company|${environment}|${name}`);
		this.name = name;
		this.displayName = name;
		this.systemVersion = '24.0.16410.18056';
		this.timestamp = 1000;
		/** @type {Map<string, Map<string, Record<string, unknown>>>} entity set (standard, lines, or `{api}/{set}` for custom pages) → id → record */
		this.tables = new Map();
		/** @type {Map<string, number>} */
		this.counters = new Map();
	}

	/** @param {string} set */
	table(set) {
		let table = this.tables.get(set);
		if (!table) {
			table = new Map();
			this.tables.set(set, table);
		}
		return table;
	}

	etag() {
		this.timestamp += 1;
		// BC's ETags are weak and opaque: W/"JzE5OzE…Jw==" (a base64 text ending in the record's version).
		return `W/"${Buffer.from(`'19;${this.timestamp};'`).toString('base64')}"`;
	}

	/** @param {string} set @param {string | undefined} prefix */
	nextNumber(set, prefix) {
		const next = (this.counters.get(set) ?? 0) + 10;
		this.counters.set(set, next);
		return `${prefix ?? ''}${String(next).padStart(5, '0')}`;
	}

	/** Inserts a record (id, number, etag and lastModifiedDateTime filled in). @param {string} set @param {Record<string, unknown>} values @param {EntityDefinition} definition */
	insert(set, values, definition) {
		const id = String(values.id ?? crypto.randomUUID()).toLowerCase();
		/** @type {Record<string, unknown>} */
		const record = { '@odata.etag': this.etag(), id };
		for (const name of Object.keys(definition.fields)) if (name !== 'id') record[name] = values[name] ?? null;
		if ('number' in definition.fields && !record.number) record.number = this.nextNumber(set, definition.number);
		if ('lastModifiedDateTime' in definition.fields) record.lastModifiedDateTime = new Date().toISOString();
		this.table(set).set(id, record);
		return record;
	}

	/** A copy of every table, to roll back an atomic group. */
	snapshot() {
		return { tables: new Map([...this.tables].map(([set, rows]) => [set, new Map([...rows].map(([id, row]) => [id, { ...row }]))])), counters: new Map(this.counters) };
	}

	/** @param {{ tables: Map<string, Map<string, Record<string, unknown>>>, counters: Map<string, number> }} copy */
	restore(copy) {
		this.tables = copy.tables;
		this.counters = copy.counters;
	}

	json() {
		return { id: this.id, systemVersion: this.systemVersion, timestamp: this.timestamp, name: this.name, displayName: this.displayName, businessProfileId: '' };
	}
}

/** A line's amounts from quantity and unit price (the sandbox charges no tax). @param {number} quantity @param {number} unitPrice */
function lineAmounts(quantity, unitPrice) {
	const amount = Math.round((Number(quantity) || 0) * (Number(unitPrice) || 0) * 100) / 100;
	return { amountExcludingTax: amount, amountIncludingTax: amount };
}

/** A document's totals: the sum of its lines. @param {Company} company @param {string} set @param {unknown} documentId */
function documentTotals(company, set, documentId) {
	const lineSet = STANDARD[set]?.lines?.set;
	if (!lineSet || !('totalAmountIncludingTax' in STANDARD[set].fields)) return {};
	const lines = [...company.table(lineSet).values()].filter((line) => line.documentId === documentId);
	const sum = (/** @type {string} */ name) => Math.round(lines.reduce((total, line) => total + (Number(line[name]) || 0), 0) * 100) / 100;
	return { totalAmountExcludingTax: sum('amountExcludingTax'), totalAmountIncludingTax: sum('amountIncludingTax') };
}

/** CRONUS-like sample data for a company. @param {Company} company */
function seedCompany(company) {
	const customers = [
		['10000', 'Adatum Corporation', 'robert.townes@contoso.com'],
		['20000', 'Trey Research', 'helen.ray@contoso.com'],
		['30000', 'School of Fine Art', 'meagan.bond@contoso.com'],
		['40000', 'Alpine Ski House', 'ian.deberry@contoso.com'],
		['50000', 'Relecloud', 'jesse.homer@contoso.com'],
	].map(([number, displayName, email]) => company.insert('customers', { id: stableGuid(`${company.id}|customer|${number}`), number, displayName, email, type: 'Company', currencyCode: 'USD', blocked: ' ', balance: 0, phoneNumber: '' }, STANDARD.customers));
	for (const [number, displayName] of [['10000', 'Fabrikam, Inc.'], ['20000', 'First Up Consultants'], ['30000', 'Graphic Design Institute']]) {
		company.insert('vendors', { id: stableGuid(`${company.id}|vendor|${number}`), number, displayName, email: '', currencyCode: 'USD', balance: 0 }, STANDARD.vendors);
	}
	const items = [['1896-S', 'ATHENS Desk', 1000.8], ['1900-S', 'PARIS Guest Chair, black', 192.8], ['1906-S', 'ATHENS Mobile Pedestal', 281.4]].map(([number, displayName, unitPrice]) =>
		company.insert('items', { id: stableGuid(`${company.id}|item|${number}`), number, displayName, type: 'Inventory', unitPrice, inventory: 10 }, STANDARD.items),
	);
	company.insert('contacts', { id: stableGuid(`${company.id}|contact|CT000010`), number: 'CT000010', displayName: 'Robert Townes', type: 'Person', companyName: 'Adatum Corporation', email: 'robert.townes@contoso.com' }, STANDARD.contacts);
	const document = (/** @type {string} */ set, /** @type {string} */ key, /** @type {Record<string, unknown>} */ values, /** @type {Array<[Record<string, unknown>, number]>} */ lines) => {
		const definition = STANDARD[set];
		const record = company.insert(set, { id: stableGuid(`${company.id}|${key}`), status: 'Draft', ...values }, definition);
		lines.forEach(([item, quantity], index) => {
			const lineSet = /** @type {{ set: string }} */ (definition.lines).set;
			company.insert(lineSet, { id: stableGuid(`${company.id}|${key}|line|${index + 1}`), documentId: record.id, sequence: (index + 1) * 10000, itemId: item.id, lineType: 'Item', description: item.displayName, quantity, unitPrice: item.unitPrice, ...lineAmounts(quantity, Number(item.unitPrice)) }, LINES[lineSet]);
		});
		Object.assign(record, documentTotals(company, set, record.id));
		return record;
	};
	const adatum = { customerId: customers[0].id, customerNumber: '10000', customerName: 'Adatum Corporation' };
	const trey = { customerId: customers[1].id, customerNumber: '20000', customerName: 'Trey Research' };
	document('salesQuotes', 'quote|1001', { number: '1001', documentDate: '2026-11-01', ...adatum }, [[items[2], 1]]);
	document('salesOrders', 'order|101001', { number: '101001', orderDate: '2026-11-02', ...adatum }, [[items[0], 2]]);
	document('salesInvoices', 'invoice|102001', { number: '102001', invoiceDate: '2026-11-05', ...trey }, [[items[1], 1]]);
	const fabrikam = company.table('vendors').values().next().value;
	document('purchaseInvoices', 'purchaseinvoice|108001', { number: '108001', vendorId: fabrikam?.id, vendorNumber: '10000', vendorName: 'Fabrikam, Inc.', vendorInvoiceNumber: 'FAB-7001', invoiceDate: '2026-11-06' }, [[items[0], 3]]);
	const journal = company.insert('journals', { id: stableGuid(`${company.id}|journal|DEFAULT`), code: 'DEFAULT', displayName: 'Default Journal Batch' }, STANDARD.journals);
	company.insert('journalLines', { id: stableGuid(`${company.id}|journalline|1`), documentId: journal.id, lineNumber: 10000, accountNumber: '10100', postingDate: '2026-11-30', documentNumber: 'G00001', amount: 100, description: 'Opening entry' }, LINES.journalLines);
	company.insert('contoso/sales/v1.0/deals', { id: stableGuid(`${company.id}|deal|1`), name: 'Adatum renewal', customerNumber: '10000', amount: 12000, stage: 'Proposal' }, CUSTOM_APIS['contoso/sales/v1.0'].deals);
}

/** @param {string} tenantId */
function seedEnvironments(tenantId) {
	/** @type {Map<string, { name: string, type: 'Production' | 'Sandbox', countryCode: string, companies: Map<string, Company> }>} */
	const environments = new Map();
	for (const [name, type, companyNames] of /** @type {Array<[string, 'Production' | 'Sandbox', string[]]>} */ ([['Production', 'Production', ['CRONUS USA, Inc.', 'My Company']], ['Sandbox', 'Sandbox', ['CRONUS USA, Inc.']]])) {
		const companies = new Map();
		for (const companyName of companyNames) {
			const company = new Company(`${tenantId}|${name}`, companyName);
			seedCompany(company);
			companies.set(company.id, company);
		}
		environments.set(name.toLowerCase(), { name, type, countryCode: 'US', companies });
	}
	return environments;
}

/** @param {string} text */
const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * CSDL of an API (standard v2.0 or a custom page), shaped like Business Central's: one entity type per API page named
 * by its EntityName (`company`, `customer`, `salesInvoice`, `salesInvoiceLine`, …) keyed by id, the company's entity
 * sets as contained navigations of `company`, lines as contained navigations of their documents, and the bound actions
 * Microsoft documents, one overload per binding type (`<Action Name="post" IsBound="true">` with a `bindingParameter`).
 * @param {Record<string, EntityDefinition>} sets @param {boolean} standard
 */
function metadataXml(sets, standard) {
	const all = { companies: standard ? COMPANIES : { entity: 'company', fields: { id: 'Edm.Guid', name: 'Edm.String' } }, ...sets, ...(standard ? LINES : {}) };
	const typeOf = (/** @type {string} */ set) => `Microsoft.NAV.${/** @type {Record<string, EntityDefinition>} */ (all)[set].entity}`;
	const types = Object.entries(all).map(([set, definition]) => {
		const properties = Object.entries(definition.fields).map(([name, type]) => `<Property Name="${name}" Type="${type}"${name === 'id' ? ' Nullable="false"' : ''}/>`);
		const navigation = definition.lines ? `<NavigationProperty Name="${definition.lines.name}" Type="Collection(${typeOf(definition.lines.set)})" ContainsTarget="true"/>` : '';
		const companyNavigation = set === 'companies' ? Object.keys(sets).map((name) => `<NavigationProperty Name="${name}" Type="Collection(${typeOf(name)})" ContainsTarget="true"/>`).join('') : '';
		return `<EntityType Name="${xml(definition.entity)}"><Key><PropertyRef Name="id"/></Key>${properties.join('')}${navigation}${companyNavigation}</EntityType>`;
	});
	const actions = Object.entries(all).flatMap(([set, definition]) => (definition.actions ?? []).map((name) => `<Action Name="${name}" IsBound="true"><Parameter Name="bindingParameter" Type="${typeOf(set)}"/></Action>`));
	return (
		'<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
		`<Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types.join('')}${actions.join('')}` +
		'<EntityContainer Name="NAV"><EntitySet Name="companies" EntityType="Microsoft.NAV.company"/></EntityContainer></Schema></edmx:DataServices></edmx:Edmx>'
	);
}

module.exports = { STANDARD, LINES, COMPANIES, CUSTOM_APIS, Company, seedEnvironments, metadataXml, stableGuid, lineAmounts, documentTotals };
