/**
 * Dynamics node, API Business Central, and where its token may go: a national cloud where Microsoft documents no
 * Business Central API host (US Government GCC High / DoD, China) is refused naming the credential's field before any
 * request (no sign-in, no API call); a custom cloud's Business Central API URL is the one extra host the token may reach,
 * so an `@odata.nextLink` pointing elsewhere is not followed with it.
 */
import type { INodeParameters } from 'n8n-workflow';

import { Microsoft365Dynamics } from '../../../nodes/Microsoft/Dynamics/Microsoft365Dynamics.node';
import { SEED } from '../../sandbox';
import { CONTOSO, locator, useFoBcFixture, type FoBcFixture } from './foBcFixture';

describe('Dynamics node: Business Central clouds and hosts', () => {
	const fixture = useFoBcFixture();
	let f: FoBcFixture;
	const node = new Microsoft365Dynamics();
	const getMany: INodeParameters = { api: 'businessCentral', resource: 'businessCentralEntity', operation: 'getAll', returnAll: true, bcEnvironment: locator('Production'), bcCompany: locator('CRONUS USA, Inc.'), bcEntitySet: locator('customers') };

	beforeEach(() => {
		f = fixture();
		f.sandbox.faults.reset();
	});

	it.each([
		['usGov', 'microsoft365ClientCredentialsApi', 'clientCredentials'],
		['usGovDod', 'microsoft365ClientCredentialsApi', 'clientCredentials'],
		['china', 'microsoft365TenantOAuth2Api', 'tenantOAuth2'],
	])('cloud %s (%s): refused naming the Resource field, nothing is sent', async (cloud, type, authentication) => {
		const name = `bc-${cloud}`;
		const app = SEED.apps.singleTenant;
		await f.harness.credentialsHelper.save(name, type, {
			cloud,
			tenant: CONTOSO,
			clientId: app.clientId,
			clientSecret: app.secret,
			authMethod: 'secret',
			resource: 'businessCentral',
			// Only a custom cloud may name its own Business Central host: ignored here.
			businessCentralUrl: f.sandbox.businessCentralUrl,
			scopeStyle: 'default',
			oauthTokenData: { access_token: 'unused', refresh_token: 'unused', token_type: 'Bearer' },
		});
		f.clearRequests();
		const error = await f.harness
			.execute(node, { parameters: { authentication, ...getMany }, credentialsFor: { [type]: name } })
			.then(() => new Error('expected a failure'), (caught: unknown) => caught as Error & { description?: string });
		expect(error.constructor.name).toBe('NodeOperationError');
		expect(`${error.message} ${(error as { description?: string }).description ?? ''}`).toMatch(/^Credential field "Resource": Business Central is documented for the global cloud only[\s\S]*correct "Resource"/);
		expect(f.requests()).toEqual([]);
	});

	it('an @odata.nextLink on another host is not followed with the token (the custom cloud allows its Business Central API URL only)', async () => {
		const company = f.sandbox.businessCentral.company('Production', 'My Company')!;
		f.sandbox.businessCentral.addCustomers(company, 5);
		const access = f.sandbox.businessCentral.access as { pageSize: number; nextLinkOrigin?: string };
		access.pageSize = 2;
		access.nextLinkOrigin = f.sandbox.filesUrl;
		try {
			f.clearRequests();
			const error = await f.fail('bcApp', { ...getMany, bcCompany: locator(company.id) });
			expect(`${error.message} ${(error as { description?: string }).description ?? ''}`).toMatch(/next-page link on "127\.0\.0\.2:\d+", which is not one of this credential's hosts[\s\S]*without following the link/);
			expect(f.requests().filter((entry) => entry.host === 'files')).toEqual([]);
			expect(f.sandbox.state.violations).toEqual([]);
			expect(f.calls('businessCentral').filter((call) => call.endsWith('/customers'))).toHaveLength(1);
		} finally {
			access.pageSize = 20_000;
			access.nextLinkOrigin = undefined;
		}
	});
});
