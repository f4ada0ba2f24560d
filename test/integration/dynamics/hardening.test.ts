/** Bad input from expressions (past the editor's checks) refused before anything is sent (not even a sign-in), naming the field. */
import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { CONTOSO, items, SEED, table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();

describe('Dynamics bad input', () => {
	const checks = (field: string, run: (value: string) => Promise<unknown>) => ({ field, values: BAD_PATH_SEGMENTS, run, requests: () => fixture().requests(), clear: () => fixture().clearRequests() });

	it('Row ID: empty, dot segments, broken text and non-GUIDs are refused', async () => {
		const values = [...BAD_PATH_SEGMENTS, { label: 'not a GUID', value: 'abc' }, { label: 'key injection', value: "00000000-0000-0000-0000-000000000000)/x('" }];
		await expectEveryBadInputRefused({ ...checks('Row ID', (value) => fixture().run({ resource: 'row', operation: 'get', table: table('accounts'), rowId: '={{ $json.v }}' }, { input: items({ v: value }) })), values });
	});

	it('Table: anything but a Dataverse name is refused', async () => {
		const values = [...BAD_PATH_SEGMENTS, { label: 'path', value: 'accounts/../systemusers' }, { label: 'query', value: 'accounts?$top=1' }];
		await expectEveryBadInputRefused({ ...checks('Table', (value) => fixture().run({ resource: 'row', operation: 'getAll', table: table('={{ $json.v }}'), returnAll: true }, { input: items({ v: value }) })), values });
	});

	it('columns JSON that is not an object and conditions of the wrong type are refused', async () => {
		const values = [{ label: 'array', value: '[1]' }, { label: 'broken', value: '{"name":' }, { label: 'bad key', value: '{"name) eq 1":"x"}' }];
		await expectEveryBadInputRefused({ field: 'Columns (JSON)', values, run: (value) => fixture().run({ resource: 'row', operation: 'create', table: table('accounts'), columnsMode: 'json', columnsJson: '={{ $json.v }}' }, { input: items({ v: value }) }), requests: () => fixture().requests(), clear: () => fixture().clearRequests() });
		const numbers = [{ label: 'text', value: 'ten' }, { label: 'injection', value: '1 or 1 eq 1' }];
		await expectEveryBadInputRefused({
			field: 'Condition on revenue',
			values: numbers,
			run: (value) => fixture().run({ resource: 'row', operation: 'getAll', table: table('accounts'), returnAll: true, conditions: { condition: [{ column: 'revenue', operator: 'gt', value: '={{ $json.v }}', valueType: 'number' }] } }, { input: items({ v: value }) }),
			requests: () => fixture().requests(),
			clear: () => fixture().clearRequests(),
		});
	});

	it('an environment URL on a host that is not Dynamics 365 is refused before any token is asked for or sent', async () => {
		const f = fixture();
		await f.harness.credentialsHelper.save('foreignEnv', 'microsoft365ClientCredentialsApi', {
			cloud: 'global',
			tenant: CONTOSO,
			clientId: SEED.apps.singleTenant.clientId,
			authMethod: 'secret',
			clientSecret: SEED.apps.singleTenant.secret,
			resource: 'dataverse',
			environmentUrl: 'https://contoso.crm.dynamics.com.evil.example',
		});
		f.clearRequests();
		const error = await f.harness
			.execute(f.node, {
				parameters: { authentication: 'clientCredentials', api: 'dataverse', resource: 'row', operation: 'getAll', table: table('accounts'), returnAll: true },
				credentialsFor: { microsoft365ClientCredentialsApi: 'foreignEnv' },
			})
			.then(() => undefined, (caught: unknown) => caught as Error);
		expect(error?.message).toMatch(/Environment URL/);
		expect(error?.message).toMatch(/not a Dynamics 365 host/);
		expect(f.requests().length).toBe(0);
	});

	it('an unknown table and a wrong value type are Dataverse errors translated with the fix', async () => {
		const unknown = await fixture().fail({ resource: 'row', operation: 'getAll', table: table('nosuchtables'), returnAll: true });
		expect(unknown.description).toMatch(/0x8006088a/);
		expect(unknown.description).toMatch(/entity set name/);
		const wrongType = await fixture().fail({ resource: 'row', operation: 'create', table: table('accounts'), columnsMode: 'json', columnsJson: { numberofemployees: 'many' } });
		expect(wrongType.message).toMatch(/numberofemployees|many/);
	});
});
