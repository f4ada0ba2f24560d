/** Alternate keys, relationships ($ref), file and image columns, and bound / unbound actions. */
import type { IDataObject } from 'n8n-workflow';

import { items, table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();
const PROJECTS = table('cr0a1_projects');
const locator = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Dynamics alternate keys and relationships', () => {
	it('upserts by an alternate key (quoted value), then gets and updates by it', async () => {
		const key = { columns: [{ column: 'cr0a1_code', value: "P-O'1" }] };
		const [created] = await fixture().run({ resource: 'row', operation: 'upsert', table: PROJECTS, addressBy: 'key', alternateKey: key, columnsMode: 'json', columnsJson: { cr0a1_name: 'Keyed' } });
		expect(created.json.cr0a1_code).toBe("P-O'1");
		await fixture().run({ resource: 'row', operation: 'upsert', table: PROJECTS, addressBy: 'key', alternateKey: key, columnsMode: 'json', columnsJson: { cr0a1_name: 'Keyed again' } });
		const [read] = await fixture().run({ resource: 'row', operation: 'get', table: PROJECTS, addressBy: 'key', alternateKey: key });
		expect(read.json).toMatchObject({ cr0a1_name: 'Keyed again', cr0a1_projectid: created.json.id });
		const rows = [...fixture().sandbox.dataverse.rows('cr0a1_project').values()].filter((row: IDataObject) => row.cr0a1_code === "P-O'1");
		expect(rows.length).toBe(1);
	});

	it('associates and disassociates a many-to-many relationship through $ref, and sets a lookup (many-to-one)', async () => {
		const account = fixture().sandbox.dataverse.addRow('account', { name: 'Assoc Co' });
		const lead = fixture().sandbox.dataverse.addRow('lead', { lastname: 'Assoc', subject: 'Interested' });
		const link = { resource: 'row', table: table('accounts'), rowId: account.accountid, relationship: locator('accountleads_association'), relatedTable: table('leads'), relatedRowId: lead.leadid };
		const [out] = await fixture().run({ ...link, operation: 'associate' });
		expect(out.json).toMatchObject({ associated: true, relationship: 'accountleads_association' });
		expect(fixture().sandbox.dataverse.links('accountleads_association')).toContainEqual([account.accountid, lead.leadid]);
		await fixture().run({ ...link, operation: 'disassociate' });
		expect(fixture().sandbox.dataverse.links('accountleads_association')).not.toContainEqual([account.accountid, lead.leadid]);
		const contact = fixture().sandbox.dataverse.addRow('contact', { lastname: 'Lookup' });
		await fixture().run({ resource: 'row', operation: 'associate', table: table('contacts'), rowId: contact.contactid, relationship: locator('parentcustomerid_account'), relatedTable: table('accounts'), relatedRowId: account.accountid });
		const [read] = await fixture().run({ resource: 'row', operation: 'get', table: table('contacts'), rowId: contact.contactid, options: { select: '_parentcustomerid_value' } });
		expect(read.json._parentcustomerid_value).toBe(account.accountid);
	});

	it('refuses a relationship the table does not have, naming it, before writing', async () => {
		const account = fixture().sandbox.dataverse.addRow('account', { name: 'No Rel' });
		const error = await fixture().fail({ resource: 'row', operation: 'associate', table: table('accounts'), rowId: account.accountid, relationship: locator('no_such_relationship'), relatedTable: table('leads'), relatedRowId: account.accountid });
		expect(error.message).toMatch(/"Relationship" "no_such_relationship" is not a relationship of table account/);
		expect(fixture().apiCalls().filter((entry) => entry.method !== 'GET').length).toBe(0);
	});
});

describe('Dynamics file and image columns', () => {
	it('uploads an input binary into a file column after create and downloads it with get', async () => {
		const bytes = Buffer.from('%PDF-1.4 project plan \u00e9', 'utf8');
		const binary = await fixture().harness.prepareBinary(bytes, 'plan é.pdf', 'application/pdf');
		const [created] = await fixture().run(
			{ resource: 'row', operation: 'create', table: PROJECTS, columnsMode: 'json', columnsJson: { cr0a1_name: 'With file', cr0a1_code: 'F-1' }, options: { fileColumn: 'cr0a1_document', binaryProperty: 'data' } },
			{ input: [{ json: {}, binary: { data: binary } }] },
		);
		expect(created.json.fileUploaded).toBe(true);
		const [read] = await fixture().run({ resource: 'row', operation: 'get', table: PROJECTS, rowId: String(created.json.id), options: { downloadFile: 'cr0a1_document', binaryProperty: 'file' } });
		expect(read.binary?.file.fileName).toBe('plan é.pdf');
		expect((await fixture().harness.binaryToBuffer(read.binary!.file)).equals(bytes)).toBe(true);
	});

	it('a missing binary field is refused naming the field, and file upload is refused in bulk mode before anything is sent', async () => {
		const error = await fixture().fail({ resource: 'row', operation: 'create', table: PROJECTS, columnsMode: 'json', columnsJson: { cr0a1_name: 'x', cr0a1_code: 'F-2' }, options: { fileColumn: 'cr0a1_document', binaryProperty: 'nope' } });
		expect(error.message).toMatch(/"Input Binary Field"/);
		fixture().clearRequests();
		const bulk = await fixture().fail({ resource: 'row', operation: 'create', table: PROJECTS, columnsMode: 'json', columnsJson: { cr0a1_name: 'x', cr0a1_code: 'F-3' }, bulk: true, options: { fileColumn: 'cr0a1_document' } }, { input: items({}, {}) });
		expect(bulk.message).toMatch(/"Upload File Into Column" cannot be used in bulk mode/);
		expect(fixture().apiCalls().length).toBe(0);
	});
});

describe('Dynamics actions', () => {
	it('runs a bound action (QualifyLead) with JSON parameters and an unbound one (WinOpportunity)', async () => {
		const lead = fixture().sandbox.dataverse.addRow('lead', { lastname: 'Qualify', subject: 'Big deal', companyname: 'Qualified Co' });
		const [qualified] = await fixture().run({
			resource: 'action',
			operation: 'execute',
			actionName: locator('QualifyLead'),
			actionKind: 'action',
			boundTo: 'row',
			table: table('leads'),
			rowId: lead.leadid,
			parameters: { CreateAccount: true, CreateContact: false, CreateOpportunity: true, Status: 3 },
		});
		expect(JSON.stringify(qualified.json)).toMatch(/accountid|opportunityid/);
		const opportunity = fixture().sandbox.dataverse.addRow('opportunity', { name: 'To win' });
		const [won] = await fixture().run({
			resource: 'action',
			operation: 'execute',
			actionName: locator('WinOpportunity'),
			actionKind: 'action',
			parameters: { Status: 3, OpportunityClose: { subject: 'Won', 'opportunityid@odata.bind': `/opportunities(${String(opportunity.opportunityid)})` } },
		});
		expect(won.json).toEqual({ success: true });
		expect(fixture().sandbox.dataverse.row('opportunity', opportunity.opportunityid).statecode).toBe(1);
	});

	it('the action picker lists actions and functions from $metadata', async () => {
		const context = fixture().harness.loadOptionsContext(fixture().node, { parameters: { authentication: 'tenantOAuth2', api: 'dataverse' } });
		const { results } = await fixture().node.methods.listSearch.searchActions.call(context, '');
		const names = results.map((entry) => entry.name);
		expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^QualifyLead \(Action, bound to lead\)$/), expect.stringMatching(/^WhoAmI \(Function\)$/), expect.stringMatching(/^WinOpportunity \(Action\)$/)]));
	});
});
