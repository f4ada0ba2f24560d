/**
 * Dynamics node, API Finance & Operations: enum fields offered by their members in the Fields mapper and written as
 * F&O's member names (filters as `Namespace.Enum'Member'`); service-protection throttling (429 + Retry-After) waited
 * out by a single write without writing twice; an environment URL outside the cloud's Dynamics hosts refused naming
 * the field before any request (not even a sign-in); F&O hosts of a national cloud.
 */
import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { parseFoMetadata } from '../../../nodes/Microsoft/Dynamics/actions/financeOperationsEntity/fo';
import { foMapperField } from '../../../nodes/Microsoft/Dynamics/actions/financeOperationsEntity/mapper';
import { readCredentialSettings } from '../../../nodes/Microsoft/shared/credentialSettings';
import { SEED } from '../../sandbox';
import { CONTOSO, locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

const customers = locator('CustomersV3');

describe('Dynamics node: Finance & Operations enums, throttling and hosts', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	beforeEach(() => {
		f = fixture();
		f.sandbox.faults.reset();
	});

	it('the Fields mapper types each field from $metadata and lists enum members; key fields required on create, left out on update', async () => {
		const node = new Microsoft365Dynamics();
		const fieldsFor = async (operation: string) => {
			const context = f.harness.loadOptionsContext(node, { parameters: { authentication: 'clientCredentials', api: 'financeOperations', resource: 'financeOperationsEntity', operation, foEntity: customers }, credentialsFor: { microsoft365ClientCredentialsApi: 'foApp' } });
			return (await node.methods.resourceMapping.getFinanceOperationsFields.call(context)).fields;
		};
		const create = await fieldsFor('create');
		const byId = new Map(create.map((field) => [field.id, field]));
		expect(byId.get('OnHoldStatus')).toMatchObject({ type: 'options', displayName: 'Customer on hold (OnHoldStatus)', options: ['No', 'Invoice', 'All', 'Payment', 'Requisition', 'Never'].map((name) => ({ name, value: name })) });
		expect(byId.get('CreditLimitIsMandatory')?.options?.map((option) => option.value)).toEqual(['No', 'Yes']);
		expect(byId.get('CreditLimit')?.type).toBe('number');
		expect(byId.get('CustomerAccount')).toMatchObject({ type: 'string', required: true });
		expect(byId.has('dataAreaId')).toBe(false);
		const update = await fieldsFor('update');
		expect(update.map((field) => field.id)).not.toContain('CustomerAccount');
		expect(update.map((field) => field.id)).toContain('OnHoldStatus');
	});

	it('enum member labels annotated in $metadata are shown, the member name is the value', () => {
		const metadata = parseFoMetadata(
			'<Schema Namespace="Microsoft.Dynamics.DataEntities"><EntityType Name="T"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.String"/><Property Name="Blocked" Type="Microsoft.Dynamics.DataEntities.CustVendorBlocked"/></EntityType>' +
				'<EnumType Name="CustVendorBlocked"><Member Name="No" Value="0"/><Member Name="All" Value="2"><Annotation Term="Org.OData.Core.V1.Description" String="All transactions"/></Member></EnumType>' +
				'<EntityContainer Name="C"><EntitySet Name="Ts" EntityType="Microsoft.Dynamics.DataEntities.T"/></EntityContainer></Schema>',
		);
		const property = metadata.entities.get('Ts')!.properties.get('Blocked')!;
		expect(foMapperField(metadata, property, false).options).toEqual([{ name: 'No', value: 'No' }, { name: 'All transactions (All)', value: 'All' }]);
	});

	it('mapped enum values (member, label-case, number) are written as member names; a condition on an enum uses the qualified literal', async () => {
		const [created] = await f.run('foApp', {
			resource: 'financeOperationsEntity', operation: 'create', foEntity: customers, foFieldsMode: 'mapper',
			foColumns: { mappingMode: 'defineBelow', value: { CustomerAccount: 'EN-001', OrganizationName: 'Enum Mapped', CustomerGroupId: '30', OnHoldStatus: 'invoice', CreditLimitIsMandatory: '1', CreditLimit: 250 }, matchingColumns: [], schema: [] },
		});
		expect(created.json).toMatchObject({ CustomerAccount: 'EN-001', OnHoldStatus: 'Invoice', CreditLimitIsMandatory: 'Yes', CreditLimit: 250 });
		const row = f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'EN-001' });
		expect([row?.OnHoldStatus, row?.CreditLimitIsMandatory]).toEqual(['Invoice', 'Yes']);

		await f.run('foApp', {
			resource: 'financeOperationsEntity', operation: 'update', foEntity: customers, foCompany: 'usmf', foFieldsMode: 'mapper',
			foKeyFields: { fields: [{ name: 'CustomerAccount', value: 'EN-001' }] },
			foColumns: { mappingMode: 'defineBelow', value: { OnHoldStatus: "Microsoft.Dynamics.DataEntities.CustVendorBlocked'Payment'" }, matchingColumns: [], schema: [] },
		});
		expect(f.sandbox.financeOperations.row('CustomersV3', { dataAreaId: 'usmf', CustomerAccount: 'EN-001' })?.OnHoldStatus).toBe('Payment');

		f.clearRequests();
		const found = await f.run('foApp', {
			resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foSelect: 'CustomerAccount',
			foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OnHoldStatus', operator: 'eq', value: 'payment' }, { field: 'CreditLimitIsMandatory', operator: 'eq', value: '1' }] },
		});
		expect(found.map((item) => item.json.CustomerAccount)).toEqual(['EN-001']);
		const sent = f.requests().find((entry) => entry.path === '/data/CustomersV3');
		expect(new URLSearchParams(sent!.query).get('$filter')).toBe("(OnHoldStatus eq Microsoft.Dynamics.DataEntities.CustVendorBlocked'Payment' and CreditLimitIsMandatory eq Microsoft.Dynamics.DataEntities.NoYes'Yes')");

		f.clearRequests();
		const bad = await f.fail('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OnHoldStatus', operator: 'eq', value: 'Sometimes' }] } });
		expect(bad.message).toMatch(/"Conditions: OnHoldStatus" "Sometimes" is not a value of CustVendorBlocked/);
		expect(`${bad.message} ${bad.description}`).toMatch(/No, Invoice, All/);
		const notText = await f.fail('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, returnAll: true, foFilterMode: 'conditions', foConditions: { conditions: [{ field: 'OnHoldStatus', operator: 'contains', value: 'Inv' }] } });
		expect(notText.message).toMatch(/"Conditions: OnHoldStatus" is an enum: "contains" does not apply/);
		expect(f.requests().filter((entry) => entry.path === '/data/CustomersV3').length).toBe(0);
	});

	it('throttled by service protection (429 + Retry-After): the read and the create wait and succeed; the record is written once', async () => {
		f.sandbox.financeOperations.throttle(1, '1');
		const started = Date.now();
		const listed = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'getAll', foEntity: customers, limit: 2, returnAll: false });
		expect(listed.length).toBe(2);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(f.requests().filter((entry) => entry.host === 'financeOperations').map((entry) => entry.status)[0]).toBe(429);

		f.clearRequests();
		f.sandbox.faults.add({ host: 'financeOperations', method: 'POST', path: '^/data/CustomersV3$', status: 429, retryAfter: '1', times: 1 });
		const [created] = await f.run('foApp', { resource: 'financeOperationsEntity', operation: 'create', foEntity: customers, foFields: JSON.stringify({ CustomerAccount: 'TH-001', OrganizationName: 'Throttled Ltd', CustomerGroupId: '30' }) });
		expect(created.json).toMatchObject({ CustomerAccount: 'TH-001' });
		const posts = f.requests().filter((entry) => entry.host === 'financeOperations' && entry.method === 'POST');
		expect(posts.map((entry) => entry.status)).toEqual([429, 201]);
		expect(f.sandbox.financeOperations.rows('CustomersV3').filter((row) => row.CustomerAccount === 'TH-001').length).toBe(1);
	});

	async function refusal(name: string, cloud: string, environmentUrl: string): Promise<Error | undefined> {
		await f.harness.credentialsHelper.save(name, 'microsoft365ClientCredentialsApi', {
			cloud, tenant: CONTOSO, clientId: SEED.apps.singleTenant.clientId, authMethod: 'secret', clientSecret: SEED.apps.singleTenant.secret,
			resource: 'financeOperations', environmentUrl,
		});
		f.clearRequests();
		return await f.harness
			.execute(new Microsoft365Dynamics(), {
				parameters: { authentication: 'clientCredentials', api: 'financeOperations', resource: 'financeOperationsEntity', operation: 'create', foEntity: customers, foFields: '{ "CustomerAccount": "X-1" }' },
				credentialsFor: { microsoft365ClientCredentialsApi: name },
			})
			.then(() => undefined, (caught: unknown) => caught as Error);
	}

	it('an environment URL on a host outside the cloud\'s Dynamics hosts is refused naming the field; nothing is sent, not even a sign-in', async () => {
		const foreign = await refusal('foForeign', 'global', 'https://contoso.operations.dynamics.com.evil.example');
		expect(foreign?.constructor.name).toBe('NodeOperationError');
		expect(foreign?.message).toMatch(/Environment URL/);
		expect(foreign?.message).toMatch(/not a Dynamics 365 host/);
		expect(f.requests().length).toBe(0);
		// The sandbox's own F&O host is no Dynamics host of the global cloud either: no token reaches it.
		const sandboxHost = await refusal('foSandboxGlobal', 'global', f.sandbox.financeOperationsUrl);
		expect(sandboxHost?.message).toMatch(/Environment URL/);
		expect(f.requests().length).toBe(0);
	});

	it('national clouds: an F&O host of another cloud is refused naming the field; China\'s *.dynamics.cn environment signs in at China\'s login host with the environment as the only resource host', async () => {
		const wrongCloud = await refusal('foUsGovCn', 'usGov', 'https://contoso.operations.dynamics.cn');
		expect(wrongCloud?.message).toMatch(/Environment URL.*not a Dynamics 365 host of this cloud/);
		const global = await refusal('foChinaCom', 'china', 'https://contoso.operations.dynamics.com');
		expect(global?.message).toMatch(/expected \*\.dynamics\.cn/);
		expect(f.requests().length).toBe(0);

		const china = readCredentialSettings('microsoft365ClientCredentialsApi', { cloud: 'china', tenant: CONTOSO, clientId: 'x', authMethod: 'secret', clientSecret: 'y', resource: 'financeOperations', environmentUrl: 'https://Contoso.Operations.Dynamics.cn/' });
		expect(china.resourceUrl).toBe('https://contoso.operations.dynamics.cn');
		expect(china.scopes).toEqual(['https://contoso.operations.dynamics.cn/.default']);
		expect(china.cloudHosts.loginUrl).toBe('https://login.chinacloudapi.cn');
		expect([...china.allowedHosts]).toContain('contoso.operations.dynamics.cn');
		expect([...china.allowedHosts].some((host) => /dynamics\.com|microsoftonline\.com/.test(host))).toBe(false);
		const gcc = readCredentialSettings('microsoft365ClientCredentialsApi', { cloud: 'usGov', tenant: CONTOSO, clientId: 'x', authMethod: 'secret', clientSecret: 'y', resource: 'financeOperations', environmentUrl: 'https://contoso.operations.microsoftdynamics.us' });
		expect(gcc.scopes).toEqual(['https://contoso.operations.microsoftdynamics.us/.default']);
		expect(gcc.cloudHosts.loginUrl).toBe('https://login.microsoftonline.us');
	});
});
