/**
 * Reading a Business Central `$metadata` (pure, no sandbox): company sets, line sets and bound actions from CSDL written
 * the way Business Central writes it — attributes in any order, the same action name bound to several types, a line set
 * that is also a company-level set (then it is addressed at company level unless a Parent Document ID is given).
 */
import { actionsOf, parseBcMetadata } from '../../../nodes/Microsoft/Dynamics/actions/businessCentralEntity/metadata';

const CSDL = `<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EntityType Name="company"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.Guid" Nullable="false"/>
    <NavigationProperty Name="salesInvoices" Type="Collection(Microsoft.NAV.salesInvoice)" ContainsTarget="true"/>
    <NavigationProperty ContainsTarget="true" Type="Collection(Microsoft.NAV.salesInvoiceLine)" Name="salesInvoiceLines"/>
    <NavigationProperty Name="purchaseInvoices" Type="Collection(Microsoft.NAV.purchaseInvoice)" ContainsTarget="true"/>
    <NavigationProperty Name="customers" Type="Collection(Microsoft.NAV.customer)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="salesInvoice"><Key><PropertyRef Name="id"/></Key>
    <NavigationProperty Name="customer" Type="Microsoft.NAV.customer"/>
    <NavigationProperty Name="salesInvoiceLines" Type="Collection(Microsoft.NAV.salesInvoiceLine)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="purchaseInvoice"><Key><PropertyRef Name="id"/></Key>
    <NavigationProperty Name="purchaseInvoiceLines" Type="Collection(Microsoft.NAV.purchaseInvoiceLine)" ContainsTarget="true"/>
  </EntityType>
  <EntityType Name="customer"><Key><PropertyRef Name="id"/></Key><NavigationProperty Name="picture" Type="Collection(Microsoft.NAV.picture)"/></EntityType>
  <Action Name="post" IsBound="true"><Parameter Name="bindingParameter" Type="Microsoft.NAV.salesInvoice"/></Action>
  <Action IsBound="true" Name="cancel"><Parameter Type="Microsoft.NAV.salesInvoice" Name="bindingParameter"/></Action>
  <Action Name="post" IsBound="true"><Parameter Name="bindingParameter" Type="Microsoft.NAV.purchaseInvoice"/></Action>
  <Action Name="unbound"><Parameter Name="x" Type="Edm.String"/></Action>
  <EntityContainer Name="NAV"><EntitySet Name="companies" EntityType="Microsoft.NAV.company"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>`;

describe('Business Central $metadata reading', () => {
	const metadata = parseBcMetadata(CSDL);

	it('company sets with their types; line sets with the document set that contains them', () => {
		expect([...metadata.sets]).toEqual([['salesInvoices', 'salesInvoice'], ['salesInvoiceLines', 'salesInvoiceLine'], ['purchaseInvoices', 'purchaseInvoice'], ['customers', 'customer']]);
		expect([...metadata.lineSets.values()]).toEqual([{ name: 'purchaseInvoiceLines', parentSet: 'purchaseInvoices' }, { name: 'salesInvoiceLines', parentSet: 'salesInvoices' }]);
		expect(metadata.namespace).toBe('Microsoft.NAV');
	});

	it('bound actions per entity set, overloads kept apart; unbound actions and sets without actions give none', () => {
		expect(actionsOf(metadata, 'salesInvoices')).toEqual(['cancel', 'post']);
		expect(actionsOf(metadata, 'purchaseInvoices')).toEqual(['post']);
		expect(actionsOf(metadata, 'customers')).toEqual([]);
		expect(actionsOf(metadata, 'nope')).toEqual([]);
	});

	it('a document whose companies set names an undeclared type: the type with the most contained sets is the company', () => {
		const odd = parseBcMetadata(CSDL.replace('EntityType="Microsoft.NAV.company"', 'EntityType="Microsoft.NAV.companie"'));
		expect([...odd.sets.keys()]).toEqual(['salesInvoices', 'salesInvoiceLines', 'purchaseInvoices', 'customers']);
	});
});
