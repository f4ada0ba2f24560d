/**
 * The sandbox's Dataverse actions and functions over raw HTTPS: WhoAmI, RetrieveTotalRecordCount and
 * RetrieveCurrentOrganization with parameter aliases, WinOpportunity / LoseOpportunity with an OpportunityClose,
 * and the bound QualifyLead creating the account, contact and opportunity asked for (also inside a change set).
 */
import { API, batchAnswers, batchBody, startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});

describe('sandbox Dataverse: functions', () => {
	it('WhoAmI, RetrieveTotalRecordCount and RetrieveCurrentOrganization', async () => {
		const me = await dv.get('WhoAmI');
		expect(me.json).toMatchObject({ OrganizationId: dv.sandbox.dataverse.environment.organizationId, BusinessUnitId: dv.sandbox.dataverse.environment.businessUnitId });
		const counts = await dv.get(`RetrieveTotalRecordCount(EntityNames=@p1)?@p1=${encodeURIComponent('["account","contact"]')}`);
		expect(counts.status).toBe(200);
		expect(counts.json.EntityRecordCountCollection).toEqual({ Count: 2, IsReadOnly: false, Keys: ['account', 'contact'], Values: [dv.sandbox.dataverse.rows('account').size, dv.sandbox.dataverse.rows('contact').size] });
		const inline = await dv.get(`RetrieveTotalRecordCount(EntityNames=${encodeURIComponent("['lead']")})`);
		expect(inline.json.EntityRecordCountCollection.Keys).toEqual(['lead']);
		const unknown = await dv.get(`RetrieveTotalRecordCount(EntityNames=@p1)?@p1=${encodeURIComponent('["nosuch"]')}`);
		expect(unknown.status).toBe(400);
		const org = await dv.get(`RetrieveCurrentOrganization(AccessType=@p1)?@p1=${encodeURIComponent("Microsoft.Dynamics.CRM.EndpointAccessType'Default'")}`);
		expect(org.json.Detail).toMatchObject({ OrganizationId: dv.sandbox.dataverse.environment.organizationId, TenantId: dv.sandbox.dataverse.environment.tenantId, State: 'Enabled' });
		expect(org.json.Detail.Endpoints.Keys).toEqual(['WebApplication', 'OrganizationService', 'OrganizationDataService']);
		expect((await dv.get(`RetrieveCurrentOrganization(AccessType=@p1)?@p1=${encodeURIComponent("'Sideways'")}`)).status).toBe(400);
		const wrongMethod = await dv.post('WhoAmI', {});
		expect(wrongMethod.status).toBe(404);
	});
});

describe('sandbox Dataverse: actions', () => {
	it('WinOpportunity closes the opportunity as won with an OpportunityClose; a second close is refused', async () => {
		const deal = dv.sandbox.dataverse.addRow('opportunity', { name: 'Big deal', estimatedvalue: 50000 });
		const won = await dv.post('WinOpportunity', { Status: 3, OpportunityClose: { subject: 'Won it', actualrevenue: 48000, 'opportunityid@odata.bind': `/opportunities(${deal.opportunityid})` } });
		expect(won.status).toBe(204);
		expect(dv.sandbox.dataverse.row('opportunity', String(deal.opportunityid))).toMatchObject({ statecode: 1, statuscode: 3, actualvalue: 48000 });
		const close = [...dv.sandbox.dataverse.rows('opportunityclose').values()].find((row) => row.opportunityid === deal.opportunityid);
		expect(close).toMatchObject({ subject: 'Won it', actualrevenue: 48000 });
		const again = await dv.post('WinOpportunity', { Status: 3, OpportunityClose: { subject: 'Again', 'opportunityid@odata.bind': `/opportunities(${deal.opportunityid})` } });
		expect(again.status).toBe(400);
		const wrongStatus = dv.sandbox.dataverse.addRow('opportunity', { name: 'Other deal' });
		const bad = await dv.post('WinOpportunity', { Status: 4, OpportunityClose: { subject: 'x', 'opportunityid@odata.bind': `/opportunities(${wrongStatus.opportunityid})` } });
		expect(bad.status).toBe(400);
		expect(bad.json.error.code).toBe('0x80040203');
		const missing = await dv.post('WinOpportunity', { Status: 3, OpportunityClose: { subject: 'x', 'opportunityid@odata.bind': '/opportunities(00000000-0000-4000-8000-000000000000)' } });
		expect(missing.status).toBe(404);
		const lost = await dv.post('LoseOpportunity', { Status: 5, OpportunityClose: { subject: 'Lost', 'opportunityid@odata.bind': `/opportunities(${wrongStatus.opportunityid})` } });
		expect(lost.status).toBe(204);
		expect(dv.sandbox.dataverse.row('opportunity', String(wrongStatus.opportunityid))).toMatchObject({ statecode: 2, statuscode: 5 });
	});

	it('QualifyLead creates what is asked for, links it to the lead and qualifies the lead', async () => {
		const lead = dv.sandbox.dataverse.addRow('lead', { subject: 'Wants 50 bikes', firstname: 'Lena', lastname: 'Lead', companyname: 'Bikes Ltd', emailaddress1: 'lena@bikes.example', estimatedvalue: 9000 });
		const response = await dv.post(`leads(${lead.leadid})/Microsoft.Dynamics.CRM.QualifyLead`, { CreateAccount: true, CreateContact: true, CreateOpportunity: true, Status: 3 });
		expect(response.status).toBe(200);
		expect(response.json['@odata.context']).toBe(`${dv.base}/$metadata#Collection(Microsoft.Dynamics.CRM.crmbaseentity)`);
		const types = response.json.value.map((item: any) => item['@odata.type']);
		expect(types).toEqual(['#Microsoft.Dynamics.CRM.account', '#Microsoft.Dynamics.CRM.contact', '#Microsoft.Dynamics.CRM.opportunity']);
		const [accountRef, contactRef, opportunityRef] = response.json.value;
		expect(dv.sandbox.dataverse.row('account', accountRef.accountid)).toMatchObject({ name: 'Bikes Ltd', _originatingleadid_value: lead.leadid });
		expect(dv.sandbox.dataverse.row('contact', contactRef.contactid)).toMatchObject({ fullname: 'Lena Lead', _parentcustomerid_value: accountRef.accountid });
		expect(dv.sandbox.dataverse.row('opportunity', opportunityRef.opportunityid)).toMatchObject({ name: 'Wants 50 bikes', _parentaccountid_value: accountRef.accountid, estimatedvalue: 9000 });
		expect(dv.sandbox.dataverse.row('lead', String(lead.leadid))).toMatchObject({ statecode: 1, statuscode: 3, _qualifyingopportunityid_value: opportunityRef.opportunityid });
		const again = await dv.post(`leads(${lead.leadid})/Microsoft.Dynamics.CRM.QualifyLead`, { CreateAccount: false, CreateContact: false, CreateOpportunity: false, Status: 3 });
		expect(again.status).toBe(400);
		expect(again.json.error.message).toContain('already closed');

		const onlyContact = dv.sandbox.dataverse.addRow('lead', { subject: 'Just a contact', lastname: 'Solo' });
		const some = await dv.post(`leads(${onlyContact.leadid})/Microsoft.Dynamics.CRM.QualifyLead`, { CreateAccount: false, CreateContact: true, CreateOpportunity: false, Status: 3 });
		expect(some.json.value.map((item: any) => item['@odata.type'])).toEqual(['#Microsoft.Dynamics.CRM.contact']);
		const noParameters = await dv.post(`leads(${onlyContact.leadid})/Microsoft.Dynamics.CRM.QualifyLead`, {});
		expect(noParameters.status).toBe(400);
	});

	it('an action inside a change set is undone with the set', async () => {
		const lead = dv.sandbox.dataverse.addRow('lead', { subject: 'Batch qualify', lastname: 'Batch', companyname: 'Batch Co' });
		const accountsBefore = dv.sandbox.dataverse.rows('account').size;
		const response = await dv.request('POST', '$batch', {
			raw: batchBody('b', [[
				{ method: 'POST', url: `${API}/leads(${lead.leadid})/Microsoft.Dynamics.CRM.QualifyLead`, body: { CreateAccount: true, CreateContact: false, CreateOpportunity: false, Status: 3 }, contentId: '1' },
				{ method: 'POST', url: 'accounts', body: { name: 'x', nosuch: 1 }, contentId: '2' },
			]]),
			headers: { 'content-type': 'multipart/mixed; boundary=b' },
		});
		expect(batchAnswers(response.text).map((answer) => answer.status)).toEqual([400]);
		expect(dv.sandbox.dataverse.rows('account').size).toBe(accountsBefore);
		expect(dv.sandbox.dataverse.row('lead', String(lead.leadid))?.statecode).toBe(0);
	});
});
