/**
 * The Business Central API root a URL is under (nodes/Microsoft/Request/helpers/businessCentralBatch.ts): the batch
 * endpoint is `{root}/$batch`, with or without the tenant segment, for the standard API and custom API pages; and how
 * F&O's `/data/…` and Business Central's `/v2.0/…` paths join the host (helpers/target.ts).
 */
import { businessCentralApiRoot } from '../../../nodes/Microsoft/Request/helpers/businessCentralBatch';
import { resolveUserUrl } from '../../../nodes/Microsoft/Request/helpers/target';
import { apiBaseUrl } from '../../../nodes/Microsoft/shared/resourceApi';
import { testConnection } from '../shared-fakeContext';

const bc = testConnection({
	credentialType: 'microsoft365ClientCredentialsApi',
	resource: 'businessCentral',
	resourceUrl: 'https://bc.example.test',
	allowedHosts: new Set(['login.example.test', 'graph.example.test', 'bc.example.test']),
});
const fo = testConnection({
	credentialType: 'microsoft365ClientCredentialsApi',
	resource: 'financeOperations',
	resourceUrl: 'https://env.operations.example.test',
	allowedHosts: new Set(['login.example.test', 'graph.example.test', 'env.operations.example.test']),
});
const V2 = 'https://bc.example.test/v2.0';

describe('Request node: Business Central API roots', () => {
	it('names the root of the standard API and of custom API pages, with or without the tenant', () => {
		expect(businessCentralApiRoot(bc, `${V2}/contoso.example/Production/api/v2.0/companies(1)/customers?$top=1`)).toBe(`${V2}/contoso.example/Production/api/v2.0`);
		expect(businessCentralApiRoot(bc, `${V2}/Production/api/v2.0/companies`)).toBe(`${V2}/Production/api/v2.0`);
		expect(businessCentralApiRoot(bc, `${V2}/t/Sandbox/api/contoso/sales/v1.0/companies(1)/deals`)).toBe(`${V2}/t/Sandbox/api/contoso/sales/v1.0`);
		expect(businessCentralApiRoot(bc, `${V2}/t/Sandbox/api/microsoft/automation/beta/companies`)).toBe(`${V2}/t/Sandbox/api/microsoft/automation/beta`);
	});

	it('names none for a URL without anything below an API root, or off the credential\'s base', () => {
		expect(businessCentralApiRoot(bc, `${V2}/t/Production`)).toBeUndefined();
		expect(businessCentralApiRoot(bc, `${V2}/t/Production/api/v2.0`)).toBeUndefined();
		expect(businessCentralApiRoot(bc, 'https://bc.example.test/environments/v1.2')).toBeUndefined();
		expect(businessCentralApiRoot(bc, 'https://other.example.test/v2.0/t/Production/api/v2.0/companies')).toBeUndefined();
	});

	it('/v2.0/… (Business Central) and /data/… (F&O) join the host; other paths join the API base', () => {
		expect(resolveUserUrl(bc, '/v2.0/t/Production/api/v2.0/companies', apiBaseUrl(bc))).toBe(`${V2}/t/Production/api/v2.0/companies`);
		expect(resolveUserUrl(bc, 't/Production/api/v2.0/companies', apiBaseUrl(bc))).toBe(`${V2}/t/Production/api/v2.0/companies`);
		expect(resolveUserUrl(fo, '/data/CustomersV3', apiBaseUrl(fo))).toBe('https://env.operations.example.test/data/CustomersV3');
		expect(resolveUserUrl(fo, 'CustomersV3', apiBaseUrl(fo))).toBe('https://env.operations.example.test/data/CustomersV3');
		expect(resolveUserUrl(fo, 'DataEntities', apiBaseUrl(fo))).toBe('https://env.operations.example.test/data/DataEntities');
	});
});
