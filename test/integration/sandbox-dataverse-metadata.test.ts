/**
 * The sandbox's Dataverse metadata over raw HTTPS: the CSDL `$metadata` (entity types, keys, lookups, navigation
 * properties, actions and functions, entity sets) and `EntityDefinitions` (list with $select / $filter, one table
 * with Attributes, typed casts with OptionSet, Keys and the three relationship collections), all from one schema.
 */
import { startDataverse, type DataverseClient } from './sandbox-dataverse-client';

let dv: DataverseClient;
beforeAll(async () => {
	dv = await startDataverse();
});
afterAll(async () => {
	await dv?.stop();
});

describe('sandbox Dataverse: $metadata', () => {
	it('describes every table with its key, columns, lookups and navigation properties', async () => {
		const response = await dv.get('$metadata');
		expect(response.status).toBe(200);
		expect(String(response.headers['content-type'])).toMatch(/^application\/xml/);
		const csdl = response.text;
		for (const table of dv.sandbox.dataverse.tables) {
			expect(csdl).toContain(`<EntityType Name="${table.logicalName}" BaseType="mscrm.crmbaseentity">`);
			expect(csdl).toContain(`<EntitySet Name="${table.entitySetName}" EntityType="Microsoft.Dynamics.CRM.${table.logicalName}">`);
		}
		const account = /<EntityType Name="account"[\s\S]*?<\/EntityType>/.exec(csdl)?.[0] ?? '';
		expect(account).toContain('<Key><PropertyRef Name="accountid"/></Key>');
		expect(account).toContain('<Property Name="name" Type="Edm.String" Unicode="false"/>');
		expect(account).toContain('<Property Name="revenue" Type="Edm.Decimal" Scale="Variable"/>');
		expect(account).toContain('<Property Name="_primarycontactid_value" Type="Edm.Guid"/>');
		expect(account).toMatch(/<NavigationProperty Name="primarycontactid" Type="mscrm.contact"[^>]*><ReferentialConstraint Property="_primarycontactid_value" ReferencedProperty="contactid"\/>/);
		expect(account).toContain('<NavigationProperty Name="contact_customer_accounts" Type="Collection(mscrm.contact)" Partner="parentcustomerid_account"/>');
		expect(account).toContain('<NavigationProperty Name="accountleads_association" Type="Collection(mscrm.lead)"');
		const project = /<EntityType Name="cr0a1_project"[\s\S]*?<\/EntityType>/.exec(csdl)?.[0] ?? '';
		expect(project).toContain('<Property Name="cr0a1_image" Type="Edm.Binary"/>');
		expect(project).toContain('<Property Name="cr0a1_document" Type="Edm.Guid"/>');
		expect(project).toContain('<Property Name="cr0a1_startdate" Type="Edm.Date"/>');
	});

	it('declares the actions and functions the environment answers', async () => {
		const csdl = (await dv.get('$metadata')).text;
		expect(csdl).toMatch(/<Function Name="WhoAmI">\s*<ReturnType Type="mscrm.WhoAmIResponse"/);
		expect(csdl).toMatch(/<Function Name="RetrieveTotalRecordCount">\s*<Parameter Name="EntityNames" Type="Collection\(Edm.String\)"/);
		expect(csdl).toMatch(/<Function Name="RetrieveCurrentOrganization">\s*<Parameter Name="AccessType" Type="mscrm.EndpointAccessType"/);
		expect(csdl).toMatch(/<Action Name="WinOpportunity">\s*<Parameter Name="OpportunityClose" Type="mscrm.opportunityclose" Nullable="false"\/>\s*<Parameter Name="Status" Type="Edm.Int32"/);
		expect(csdl).toMatch(/<Action Name="QualifyLead" IsBound="true">\s*<Parameter Name="entity" Type="mscrm.lead" Nullable="false"\/>/);
		expect(csdl).toContain('<ReturnType Type="Collection(mscrm.crmbaseentity)" Nullable="false"/>');
		expect(csdl).toContain('<FunctionImport Name="WhoAmI" Function="Microsoft.Dynamics.CRM.WhoAmI" IncludeInServiceDocument="false"/>');
		expect(csdl).toContain('<ActionImport Name="WinOpportunity" Action="Microsoft.Dynamics.CRM.WinOpportunity"/>');
		expect(csdl).not.toContain('<ActionImport Name="QualifyLead"');
	});

	it('needs a Dataverse token', async () => {
		const response = await dv.request('GET', '$metadata', { headers: { authorization: '' } });
		expect(response.status).toBe(401);
		expect(String(response.headers['www-authenticate'])).toContain(`resource_id=${dv.sandbox.dataverseUrl}/`);
	});
});

describe('sandbox Dataverse: EntityDefinitions', () => {
	it('lists tables with $select and filters them by LogicalName or EntitySetName', async () => {
		const all = await dv.get('EntityDefinitions?$select=LogicalName,EntitySetName,DisplayName,ChangeTrackingEnabled,PrimaryIdAttribute,PrimaryNameAttribute');
		expect(all.status).toBe(200);
		const names = all.json.value.map((entity: any) => entity.LogicalName);
		expect(names).toEqual(expect.arrayContaining(['account', 'contact', 'lead', 'opportunity', 'cr0a1_project', 'cr0a1_timeentry']));
		const project = all.json.value.find((entity: any) => entity.LogicalName === 'cr0a1_project');
		expect(project).toEqual({
			MetadataId: expect.stringMatching(/^[0-9a-f-]{36}$/), LogicalName: 'cr0a1_project', EntitySetName: 'cr0a1_projects',
			DisplayName: expect.objectContaining({ UserLocalizedLabel: expect.objectContaining({ Label: 'Project', LanguageCode: 1033 }) }),
			ChangeTrackingEnabled: true, PrimaryIdAttribute: 'cr0a1_projectid', PrimaryNameAttribute: 'cr0a1_name',
		});
		expect(all.json.value.find((entity: any) => entity.LogicalName === 'cr0a1_timeentry').ChangeTrackingEnabled).toBe(false);

		const bySet = await dv.get("EntityDefinitions?$select=LogicalName&$filter=EntitySetName eq 'opportunities'");
		expect(bySet.json.value.map((entity: any) => entity.LogicalName)).toEqual(['opportunity']);
		const custom = await dv.get('EntityDefinitions?$select=LogicalName&$filter=IsCustomEntity eq true and ChangeTrackingEnabled eq true');
		expect(custom.json.value.map((entity: any) => entity.LogicalName)).toEqual(['cr0a1_project']);
		const picker = await dv.get('EntityDefinitions?$select=LogicalName,EntitySetName,DisplayName,TableType&$filter=IsIntersect eq false and IsLogicalEntity eq false and IsPrivate eq false');
		expect(picker.json.value).toHaveLength(dv.sandbox.dataverse.tables.length);
		expect((await dv.get('EntityDefinitions?$top=5')).json.error).toEqual({ code: '0x0', message: 'The query parameter $top is not supported' });
		const bad = await dv.get('EntityDefinitions?$select=Nope');
		expect(bad.status).toBe(400);
		expect(bad.json.error.code).toBe('0x0');
	});

	it('one table with Attributes (type, required level, create/update validity, labels), Keys and relationships', async () => {
		const response = await dv.get("EntityDefinitions(LogicalName='account')?$select=LogicalName,PrimaryNameAttribute&$expand=Attributes($select=LogicalName,AttributeType,RequiredLevel,IsValidForCreate,IsValidForUpdate,DisplayName),Keys,ManyToOneRelationships,OneToManyRelationships,ManyToManyRelationships");
		expect(response.status).toBe(200);
		const account = response.json;
		expect(account.PrimaryNameAttribute).toBe('name');
		const attribute = (name: string) => account.Attributes.find((item: any) => item.LogicalName === name);
		expect(attribute('name')).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.StringAttributeMetadata', AttributeType: 'String', RequiredLevel: { Value: 'ApplicationRequired' }, IsValidForCreate: true, IsValidForUpdate: true });
		expect(attribute('name').DisplayName.UserLocalizedLabel.Label).toBe('Account Name');
		expect(attribute('createdon')).toMatchObject({ AttributeType: 'DateTime', IsValidForCreate: false, IsValidForUpdate: false });
		expect(attribute('accountid')).toMatchObject({ AttributeType: 'Uniqueidentifier', IsValidForCreate: true, IsValidForUpdate: false });
		expect(attribute('primarycontactid')).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.LookupAttributeMetadata', AttributeType: 'Lookup' });
		expect(attribute('industrycode').AttributeType).toBe('Picklist');
		expect(attribute('statecode')).toMatchObject({ AttributeType: 'State', IsValidForCreate: false });
		expect(account.Keys).toEqual([expect.objectContaining({ LogicalName: 'account_accountnumber_key', KeyAttributes: ['accountnumber'], EntityKeyIndexStatus: 'Active' })]);
		expect(account.ManyToOneRelationships).toEqual(expect.arrayContaining([expect.objectContaining({
			SchemaName: 'account_primary_contact', ReferencedEntity: 'contact', ReferencingEntity: 'account', ReferencingAttribute: 'primarycontactid',
			ReferencingEntityNavigationPropertyName: 'primarycontactid', ReferencedEntityNavigationPropertyName: 'account_primary_contact',
		})]));
		expect(account.OneToManyRelationships).toEqual(expect.arrayContaining([expect.objectContaining({ SchemaName: 'contact_customer_accounts', ReferencingEntity: 'contact', ReferencingEntityNavigationPropertyName: 'parentcustomerid_account' })]));
		expect(account.ManyToManyRelationships).toEqual([expect.objectContaining({ SchemaName: 'accountleads_association', Entity1LogicalName: 'account', Entity2LogicalName: 'lead', Entity1NavigationPropertyName: 'accountleads_association' })]);
	});

	it('Attributes with $filter, one attribute by name, and full metadata of lookups, files and images', async () => {
		const writable = await dv.get("EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName&$filter=IsValidForCreate eq true and AttributeType ne 'Lookup'");
		const names = writable.json.value.map((item: any) => item.LogicalName);
		expect(names).toContain('lastname');
		expect(names).not.toContain('fullname');
		expect(names).not.toContain('createdon');
		const picklists = await dv.get("EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName&$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist' and AttributeOf eq null");
		expect(picklists.json.value.map((item: any) => item.LogicalName)).toEqual(['industrycode', 'accountcategorycode']);
		const customer = await dv.get("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='parentcustomerid')");
		expect(customer.json).toMatchObject({ AttributeType: 'Customer', Targets: ['account', 'contact'] });
		const project = await dv.get("EntityDefinitions(LogicalName='cr0a1_project')?$expand=Attributes,Keys");
		const file = project.json.Attributes.find((item: any) => item.LogicalName === 'cr0a1_document');
		expect(file).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.FileAttributeMetadata', AttributeType: 'File', MaxSizeInKB: 32768 });
		const image = project.json.Attributes.find((item: any) => item.LogicalName === 'cr0a1_image');
		expect(image).toMatchObject({ '@odata.type': '#Microsoft.Dynamics.CRM.ImageAttributeMetadata', CanStoreFullImage: true, IsPrimaryImage: true });
		expect(project.json.Keys[0].KeyAttributes).toEqual(['cr0a1_code']);
		expect(project.json.PrimaryImageAttribute).toBe('cr0a1_image');
	});

	it('choice values through the typed casts with $expand=OptionSet', async () => {
		const picklists = await dv.get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)");
		expect(picklists.status).toBe(200);
		const industry = picklists.json.value.find((item: any) => item.LogicalName === 'industrycode');
		expect(industry.OptionSet.Options[0]).toMatchObject({ Value: 1, Label: { UserLocalizedLabel: { Label: 'Accounting' } } });
		expect(picklists.json.value.every((item: any) => item['@odata.type'] === '#Microsoft.Dynamics.CRM.PicklistAttributeMetadata')).toBe(true);

		const status = await dv.get("EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$expand=OptionSet");
		const qualified = status.json.value[0].OptionSet.Options.find((option: any) => option.Value === 3);
		expect(qualified).toMatchObject({ State: 1, Label: { UserLocalizedLabel: { Label: 'Qualified' } } });
		const booleans = await dv.get("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.BooleanAttributeMetadata?$select=LogicalName&$expand=OptionSet");
		expect(booleans.json.value[0].OptionSet).toMatchObject({ TrueOption: { Value: 1, Label: { UserLocalizedLabel: { Label: 'Do Not Allow' } } }, FalseOption: { Value: 0 } });

		const enums = await dv.get("EntityDefinitions(LogicalName='lead')/Attributes/Microsoft.Dynamics.CRM.EnumAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)");
		expect(enums.json.value.map((item: any) => item.LogicalName)).toEqual(['leadqualitycode', 'statecode', 'statuscode']);
		expect(enums.json.value.every((item: any) => Array.isArray(item.OptionSet.Options))).toBe(true);
		const multi = await dv.get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata?$select=LogicalName");
		expect(multi.json.value).toEqual([]);
		expect((await dv.get("EntityDefinitions(LogicalName='account')/Attributes/Microsoft.Dynamics.CRM.NoSuchAttributeMetadata")).status).toBe(400);

		// Without the cast, OptionSet is not a property of AttributeMetadata (as in Dataverse).
		const uncast = await dv.get("EntityDefinitions(LogicalName='account')/Attributes?$expand=OptionSet");
		expect(uncast.status).toBe(400);
		expect(uncast.json.error.message).toContain("Could not find a property named 'OptionSet'");
	});

	it('an unknown table is Dataverse\'s 404', async () => {
		const response = await dv.get("EntityDefinitions(LogicalName='nosuchtable')");
		expect(response.status).toBe(404);
		expect(response.json.error.code).toBe('0x80040217');
	});
});
