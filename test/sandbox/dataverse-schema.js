// @ts-check
'use strict';

/**
 * The one definition of the sandbox's Dataverse tables: columns (type, required level, create/update validity,
 * lengths, ranges, choices), primary id/name, alternate keys, change tracking, and the relationships between
 * tables. `$metadata` (CSDL), `EntityDefinitions`, row validation, queries and FetchXML are all derived from it.
 */

const { stableGuid } = require('./dataverse-auth');

/**
 * @typedef {'Uniqueidentifier' | 'String' | 'Memo' | 'Integer' | 'BigInt' | 'Decimal' | 'Money' | 'Double' | 'Boolean'
 *   | 'DateTime' | 'Picklist' | 'State' | 'Status' | 'Lookup' | 'Customer' | 'File' | 'Image'} AttributeType
 * @typedef {{ name: string, type: AttributeType, label: string, required?: 'None' | 'ApplicationRequired' | 'SystemRequired' | 'Recommended',
 *   create?: boolean, update?: boolean, maxLength?: number, min?: number, max?: number, precision?: number, dateOnly?: boolean,
 *   options?: Array<[number, string, number?]>, targets?: string[], attributeOf?: string, maxSizeKb?: number, computed?: boolean }} Column
 * @typedef {{ logicalName: string, entitySetName: string, schemaName: string, label: string, collectionLabel: string,
 *   primaryId: string, primaryName: string, changeTracking: boolean, custom: boolean, objectTypeCode: number, activity?: boolean,
 *   columns: Column[], keys: Array<{ name: string, label: string, columns: string[] }>, primaryImage?: string }} Table
 * @typedef {{ schemaName: string, referenced: string, referencing: string, attribute: string, referencedNav: string, referencingNav: string }} OneToMany
 * @typedef {{ schemaName: string, entity1: string, entity2: string, intersect: string, nav1: string, nav2: string }} ManyToMany
 */

const STATE_ACTIVE = /** @type {Array<[number, string, number?]>} */ ([[0, 'Active', 1], [1, 'Inactive', 2]]);
const STATUS_ACTIVE = /** @type {Array<[number, string, number?]>} */ ([[1, 'Active', 0], [2, 'Inactive', 1]]);

/** Columns every table has. @param {Array<[number, string, number?]>} [states] @param {Array<[number, string, number?]>} [statuses] */
const common = (states = STATE_ACTIVE, statuses = STATUS_ACTIVE) => /** @type {Column[]} */ ([
	{ name: 'statecode', type: 'State', label: 'Status', required: 'SystemRequired', create: false, options: states },
	{ name: 'statuscode', type: 'Status', label: 'Status Reason', options: statuses },
	{ name: 'createdon', type: 'DateTime', label: 'Created On', create: false, update: false },
	{ name: 'modifiedon', type: 'DateTime', label: 'Modified On', create: false, update: false },
	{ name: 'versionnumber', type: 'BigInt', label: 'Version Number', create: false, update: false },
]);
/** @param {string} name @param {string} label */
const id = (name, label) => /** @type {Column} */ ({ name, type: 'Uniqueidentifier', label, required: 'SystemRequired', update: false });

/** @type {Table[]} */
const TABLES = [
	{
		logicalName: 'account', entitySetName: 'accounts', schemaName: 'Account', label: 'Account', collectionLabel: 'Accounts',
		primaryId: 'accountid', primaryName: 'name', changeTracking: true, custom: false, objectTypeCode: 1,
		keys: [{ name: 'account_accountnumber_key', label: 'Account Number Key', columns: ['accountnumber'] }],
		columns: [
			id('accountid', 'Account'),
			{ name: 'name', type: 'String', label: 'Account Name', required: 'ApplicationRequired', maxLength: 160 },
			{ name: 'accountnumber', type: 'String', label: 'Account Number', maxLength: 20 },
			{ name: 'telephone1', type: 'String', label: 'Main Phone', maxLength: 50 },
			{ name: 'emailaddress1', type: 'String', label: 'Email', maxLength: 100 },
			{ name: 'address1_city', type: 'String', label: 'Address 1: City', maxLength: 80 },
			{ name: 'description', type: 'Memo', label: 'Description', maxLength: 2000 },
			{ name: 'revenue', type: 'Money', label: 'Annual Revenue', min: 0, max: 100000000000000, precision: 2 },
			{ name: 'numberofemployees', type: 'Integer', label: 'Number of Employees', min: 0, max: 1000000000 },
			{ name: 'industrycode', type: 'Picklist', label: 'Industry', options: [[1, 'Accounting'], [2, 'Agriculture and Non-petrol Natural Resource Extraction'], [3, 'Broadcasting Printing and Publishing'], [4, 'Brokers'], [5, 'Building Supply Retail'], [6, 'Business Services'], [7, 'Consulting'], [8, 'Consumer Services']] },
			{ name: 'accountcategorycode', type: 'Picklist', label: 'Category', options: [[1, 'Preferred Customer'], [2, 'Standard']] },
			{ name: 'creditonhold', type: 'Boolean', label: 'Credit Hold', options: [[0, 'No'], [1, 'Yes']] },
			{ name: 'primarycontactid', type: 'Lookup', label: 'Primary Contact', targets: ['contact'] },
			{ name: 'originatingleadid', type: 'Lookup', label: 'Originating Lead', targets: ['lead'] },
			...common(),
		],
	},
	{
		logicalName: 'contact', entitySetName: 'contacts', schemaName: 'Contact', label: 'Contact', collectionLabel: 'Contacts',
		primaryId: 'contactid', primaryName: 'fullname', changeTracking: true, custom: false, objectTypeCode: 2, keys: [],
		columns: [
			id('contactid', 'Contact'),
			{ name: 'firstname', type: 'String', label: 'First Name', required: 'Recommended', maxLength: 50 },
			{ name: 'lastname', type: 'String', label: 'Last Name', required: 'ApplicationRequired', maxLength: 50 },
			{ name: 'fullname', type: 'String', label: 'Full Name', maxLength: 160, create: false, update: false, computed: true },
			{ name: 'emailaddress1', type: 'String', label: 'Email', maxLength: 100 },
			{ name: 'telephone1', type: 'String', label: 'Business Phone', maxLength: 50 },
			{ name: 'jobtitle', type: 'String', label: 'Job Title', maxLength: 100 },
			{ name: 'birthdate', type: 'DateTime', label: 'Birthday', dateOnly: true },
			{ name: 'gendercode', type: 'Picklist', label: 'Gender', options: [[1, 'Male'], [2, 'Female']] },
			{ name: 'preferredcontactmethodcode', type: 'Picklist', label: 'Preferred Method of Contact', options: [[1, 'Any'], [2, 'Email'], [3, 'Phone'], [4, 'Fax'], [5, 'Mail']] },
			{ name: 'donotemail', type: 'Boolean', label: 'Do not allow Emails', options: [[0, 'Allow'], [1, 'Do Not Allow']] },
			{ name: 'parentcustomerid', type: 'Customer', label: 'Company Name', targets: ['account', 'contact'] },
			{ name: 'originatingleadid', type: 'Lookup', label: 'Originating Lead', targets: ['lead'] },
			...common(),
		],
	},
	{
		logicalName: 'lead', entitySetName: 'leads', schemaName: 'Lead', label: 'Lead', collectionLabel: 'Leads',
		primaryId: 'leadid', primaryName: 'fullname', changeTracking: true, custom: false, objectTypeCode: 4, keys: [],
		columns: [
			id('leadid', 'Lead'),
			{ name: 'subject', type: 'String', label: 'Topic', required: 'ApplicationRequired', maxLength: 300 },
			{ name: 'firstname', type: 'String', label: 'First Name', required: 'Recommended', maxLength: 50 },
			{ name: 'lastname', type: 'String', label: 'Last Name', required: 'ApplicationRequired', maxLength: 50 },
			{ name: 'fullname', type: 'String', label: 'Name', maxLength: 160, create: false, update: false, computed: true },
			{ name: 'companyname', type: 'String', label: 'Company Name', maxLength: 100 },
			{ name: 'emailaddress1', type: 'String', label: 'Email', maxLength: 100 },
			{ name: 'telephone1', type: 'String', label: 'Business Phone', maxLength: 50 },
			{ name: 'estimatedvalue', type: 'Money', label: 'Est. Value', min: 0, max: 100000000000000, precision: 2 },
			{ name: 'leadqualitycode', type: 'Picklist', label: 'Rating', options: [[1, 'Hot'], [2, 'Warm'], [3, 'Cold']] },
			{ name: 'parentaccountid', type: 'Lookup', label: 'Parent Account for lead', targets: ['account'] },
			{ name: 'parentcontactid', type: 'Lookup', label: 'Parent Contact for lead', targets: ['contact'] },
			{ name: 'qualifyingopportunityid', type: 'Lookup', label: 'Qualifying Opportunity', targets: ['opportunity'] },
			...common(
				[[0, 'Open', 1], [1, 'Qualified', 3], [2, 'Disqualified', 4]],
				[[1, 'New', 0], [2, 'Contacted', 0], [3, 'Qualified', 1], [4, 'Lost', 2], [5, 'Cannot Contact', 2], [6, 'No Longer Interested', 2], [7, 'Canceled', 2]],
			),
		],
	},
	{
		logicalName: 'opportunity', entitySetName: 'opportunities', schemaName: 'Opportunity', label: 'Opportunity', collectionLabel: 'Opportunities',
		primaryId: 'opportunityid', primaryName: 'name', changeTracking: true, custom: false, objectTypeCode: 3, keys: [],
		columns: [
			id('opportunityid', 'Opportunity'),
			{ name: 'name', type: 'String', label: 'Topic', required: 'ApplicationRequired', maxLength: 300 },
			{ name: 'description', type: 'Memo', label: 'Description', maxLength: 2000 },
			{ name: 'estimatedvalue', type: 'Money', label: 'Est. Revenue', min: 0, max: 100000000000000, precision: 2 },
			{ name: 'estimatedclosedate', type: 'DateTime', label: 'Est. Close Date', dateOnly: true },
			{ name: 'actualvalue', type: 'Money', label: 'Actual Revenue', min: 0, max: 100000000000000, precision: 2 },
			{ name: 'actualclosedate', type: 'DateTime', label: 'Actual Close Date', dateOnly: true },
			{ name: 'closeprobability', type: 'Integer', label: 'Probability', min: 0, max: 100 },
			{ name: 'parentaccountid', type: 'Lookup', label: 'Account', targets: ['account'] },
			{ name: 'parentcontactid', type: 'Lookup', label: 'Contact', targets: ['contact'] },
			{ name: 'originatingleadid', type: 'Lookup', label: 'Originating Lead', targets: ['lead'] },
			...common(
				[[0, 'Open', 1], [1, 'Won', 3], [2, 'Lost', 4]],
				[[1, 'In Progress', 0], [2, 'On Hold', 0], [3, 'Won', 1], [4, 'Canceled', 2], [5, 'Out-Sold', 2]],
			),
		],
	},
	{
		logicalName: 'opportunityclose', entitySetName: 'opportunitycloses', schemaName: 'OpportunityClose', label: 'Opportunity Close', collectionLabel: 'Opportunity Close',
		primaryId: 'activityid', primaryName: 'subject', changeTracking: false, custom: false, objectTypeCode: 4208, activity: true, keys: [],
		columns: [
			id('activityid', 'Opportunity Close'),
			{ name: 'subject', type: 'String', label: 'Subject', maxLength: 200 },
			{ name: 'description', type: 'Memo', label: 'Description', maxLength: 2000 },
			{ name: 'actualrevenue', type: 'Money', label: 'Actual Revenue', min: 0, max: 100000000000000, precision: 2 },
			{ name: 'actualend', type: 'DateTime', label: 'Close Date', dateOnly: true },
			{ name: 'opportunityid', type: 'Lookup', label: 'Opportunity', targets: ['opportunity'] },
			...common([[0, 'Open', 1], [1, 'Completed', 2], [2, 'Canceled', 3]], [[1, 'Open', 0], [2, 'Completed', 1], [3, 'Canceled', 2]]),
		],
	},
	{
		logicalName: 'cr0a1_project', entitySetName: 'cr0a1_projects', schemaName: 'cr0a1_Project', label: 'Project', collectionLabel: 'Projects',
		primaryId: 'cr0a1_projectid', primaryName: 'cr0a1_name', changeTracking: true, custom: true, objectTypeCode: 10245, primaryImage: 'cr0a1_image',
		keys: [{ name: 'cr0a1_project_code_key', label: 'Project Code', columns: ['cr0a1_code'] }],
		columns: [
			id('cr0a1_projectid', 'Project'),
			{ name: 'cr0a1_name', type: 'String', label: 'Name', required: 'ApplicationRequired', maxLength: 100 },
			{ name: 'cr0a1_code', type: 'String', label: 'Project Code', required: 'ApplicationRequired', maxLength: 20 },
			{ name: 'cr0a1_budget', type: 'Money', label: 'Budget', min: 0, max: 1000000000, precision: 2 },
			{ name: 'cr0a1_hours', type: 'Decimal', label: 'Planned Hours', min: 0, max: 100000, precision: 2 },
			{ name: 'cr0a1_rating', type: 'Double', label: 'Rating', min: 0, max: 5, precision: 1 },
			{ name: 'cr0a1_startdate', type: 'DateTime', label: 'Start Date', dateOnly: true },
			{ name: 'cr0a1_kickoff', type: 'DateTime', label: 'Kick-off' },
			{ name: 'cr0a1_stage', type: 'Picklist', label: 'Stage', options: [[100000000, 'Idea'], [100000001, 'Planned'], [100000002, 'Active'], [100000003, 'Done']] },
			{ name: 'cr0a1_billable', type: 'Boolean', label: 'Billable', options: [[0, 'No'], [1, 'Yes']] },
			{ name: 'cr0a1_accountid', type: 'Lookup', label: 'Customer', targets: ['account'] },
			{ name: 'cr0a1_document', type: 'File', label: 'Document', maxSizeKb: 32768 },
			{ name: 'cr0a1_document_name', type: 'String', label: 'Document name', maxLength: 200, create: false, update: false, attributeOf: 'cr0a1_document' },
			{ name: 'cr0a1_image', type: 'Image', label: 'Image', maxSizeKb: 10240 },
			{ name: 'cr0a1_imageid', type: 'Uniqueidentifier', label: 'Image Id', create: false, update: false, attributeOf: 'cr0a1_image' },
			{ name: 'cr0a1_image_url', type: 'String', label: 'Image URL', maxLength: 200, create: false, update: false, attributeOf: 'cr0a1_image' },
			{ name: 'cr0a1_image_timestamp', type: 'BigInt', label: 'Image timestamp', create: false, update: false, attributeOf: 'cr0a1_image' },
			...common(),
		],
	},
	{
		logicalName: 'cr0a1_timeentry', entitySetName: 'cr0a1_timeentries', schemaName: 'cr0a1_TimeEntry', label: 'Time Entry', collectionLabel: 'Time Entries',
		primaryId: 'cr0a1_timeentryid', primaryName: 'cr0a1_name', changeTracking: false, custom: true, objectTypeCode: 10246, keys: [],
		columns: [
			id('cr0a1_timeentryid', 'Time Entry'),
			{ name: 'cr0a1_name', type: 'String', label: 'Name', required: 'ApplicationRequired', maxLength: 100 },
			{ name: 'cr0a1_minutes', type: 'Integer', label: 'Minutes', min: 0, max: 1440 },
			{ name: 'cr0a1_projectid', type: 'Lookup', label: 'Project', targets: ['cr0a1_project'] },
			...common(),
		],
	},
];

/** @type {OneToMany[]} */
const ONE_TO_MANY = [
	['account_primary_contact', 'contact', 'account', 'primarycontactid', 'account_primary_contact', 'primarycontactid'],
	['contact_customer_accounts', 'account', 'contact', 'parentcustomerid', 'contact_customer_accounts', 'parentcustomerid_account'],
	['contact_customer_contacts', 'contact', 'contact', 'parentcustomerid', 'contact_customer_contacts', 'parentcustomerid_contact'],
	['account_originating_lead', 'lead', 'account', 'originatingleadid', 'account_originating_lead', 'originatingleadid'],
	['contact_originating_lead', 'lead', 'contact', 'originatingleadid', 'contact_originating_lead', 'originatingleadid'],
	['opportunity_originating_lead', 'lead', 'opportunity', 'originatingleadid', 'opportunity_originating_lead', 'originatingleadid'],
	['lead_parent_account', 'account', 'lead', 'parentaccountid', 'lead_parent_account', 'parentaccountid'],
	['lead_parent_contact', 'contact', 'lead', 'parentcontactid', 'lead_parent_contact', 'parentcontactid'],
	['lead_qualifying_opportunity', 'opportunity', 'lead', 'qualifyingopportunityid', 'lead_qualifying_opportunity', 'qualifyingopportunityid'],
	['opportunity_parent_account', 'account', 'opportunity', 'parentaccountid', 'opportunity_parent_account', 'parentaccountid'],
	['opportunity_parent_contact', 'contact', 'opportunity', 'parentcontactid', 'opportunity_parent_contact', 'parentcontactid'],
	['Opportunity_OpportunityClose', 'opportunity', 'opportunityclose', 'opportunityid', 'Opportunity_OpportunityClose', 'opportunityid'],
	['cr0a1_account_cr0a1_project', 'account', 'cr0a1_project', 'cr0a1_accountid', 'cr0a1_account_cr0a1_project', 'cr0a1_accountid'],
	['cr0a1_project_cr0a1_timeentry', 'cr0a1_project', 'cr0a1_timeentry', 'cr0a1_projectid', 'cr0a1_project_cr0a1_timeentry', 'cr0a1_projectid'],
].map(([schemaName, referenced, referencing, attribute, referencedNav, referencingNav]) => ({ schemaName, referenced, referencing, attribute, referencedNav, referencingNav }));

/** @type {ManyToMany[]} */
const MANY_TO_MANY = [
	{ schemaName: 'accountleads_association', entity1: 'account', entity2: 'lead', intersect: 'accountleads', nav1: 'accountleads_association', nav2: 'accountleads_association' },
	{ schemaName: 'cr0a1_project_contact', entity1: 'cr0a1_project', entity2: 'contact', intersect: 'cr0a1_project_contact', nav1: 'cr0a1_project_contact', nav2: 'cr0a1_project_contact' },
];

const byLogical = new Map(TABLES.map((table) => [table.logicalName, table]));
const bySet = new Map(TABLES.map((table) => [table.entitySetName, table]));

/** @param {string} name */
const tableByLogicalName = (name) => byLogical.get(name);
/** @param {string} set */
const tableBySet = (set) => bySet.get(set);
/** @param {Table} table @param {string} name */
const columnOf = (table, name) => table.columns.find((column) => column.name === name);

/** The OData type of a column's value. @param {Column} column */
function edmType(column) {
	switch (column.type) {
		case 'Uniqueidentifier': case 'Lookup': case 'Customer': case 'File': return 'Edm.Guid';
		case 'String': case 'Memo': return 'Edm.String';
		case 'Integer': case 'Picklist': case 'State': case 'Status': return 'Edm.Int32';
		case 'BigInt': return 'Edm.Int64';
		case 'Decimal': case 'Money': return 'Edm.Decimal';
		case 'Double': return 'Edm.Double';
		case 'Boolean': return 'Edm.Boolean';
		case 'DateTime': return column.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
		case 'Image': return 'Edm.Binary';
		default: return 'Edm.String';
	}
}

/** Is this a lookup column (its value is `_name_value`)? @param {Column} column */
const isLookup = (column) => column.type === 'Lookup' || column.type === 'Customer';

/**
 * Navigation properties of a table: single-valued (the lookup side) and collection-valued (the other side of
 * a one-to-many, and both sides of a many-to-many).
 * @param {Table} table
 * @returns {Array<{ name: string, kind: 'single', target: string, attribute: string, relationship: OneToMany }
 *   | { name: string, kind: 'collection', target: string, attribute: string, relationship: OneToMany }
 *   | { name: string, kind: 'manyToMany', target: string, relationship: ManyToMany }>}
 */
function navigationsOf(table) {
	/** @type {any[]} */
	const out = [];
	for (const relationship of ONE_TO_MANY) {
		if (relationship.referencing === table.logicalName) out.push({ name: relationship.referencingNav, kind: 'single', target: relationship.referenced, attribute: relationship.attribute, relationship });
		if (relationship.referenced === table.logicalName) out.push({ name: relationship.referencedNav, kind: 'collection', target: relationship.referencing, attribute: relationship.attribute, relationship });
	}
	for (const relationship of MANY_TO_MANY) {
		if (relationship.entity1 === table.logicalName) out.push({ name: relationship.nav1, kind: 'manyToMany', target: relationship.entity2, relationship });
		else if (relationship.entity2 === table.logicalName) out.push({ name: relationship.nav2, kind: 'manyToMany', target: relationship.entity1, relationship });
	}
	return out;
}

/** @param {Table} table @param {string} name */
const navigationOf = (table, name) => navigationsOf(table).find((nav) => nav.name === name);

/** Stable metadata ids (MetadataId) for tables, columns, keys, relationships and labels. @param {...string} parts */
const metadataId = (...parts) => stableGuid(`metadata|${parts.join('|')}`);

module.exports = { TABLES, ONE_TO_MANY, MANY_TO_MANY, tableByLogicalName, tableBySet, columnOf, edmType, isLookup, navigationsOf, navigationOf, metadataId };
