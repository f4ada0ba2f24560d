/**
 * The credentials' hidden `=`-expressions are what n8n's OAuth2 flow and credential test really use.
 * Each is evaluated here with n8n-workflow's own expression engine and compared to the TypeScript
 * builders the nodes use, for every cloud × tenant × service combination.
 */
import { Workflow, type INodeProperties } from 'n8n-workflow';

import { Microsoft365ClientCredentialsApi, TEST_PATHS } from '../../credentials/Microsoft365ClientCredentialsApi.credentials';
import { Microsoft365OAuth2Api } from '../../credentials/Microsoft365OAuth2Api.credentials';
import { Microsoft365TenantOAuth2Api } from '../../credentials/Microsoft365TenantOAuth2Api.credentials';
import { authorityUrl, authorizeUrl, NOT_HTTPS_PLACEHOLDER, tokenUrl } from '../../nodes/Microsoft/shared/clouds';
import { readCredentialSettings } from '../../nodes/Microsoft/shared/credentialSettings';
import { delegatedGraphScopes, GRAPH_SERVICES } from '../../nodes/Microsoft/shared/scopes';

const noNodeType = { description: { properties: [] } };
const workflow = new Workflow({
	nodes: [{ id: '1', name: 'Credential', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => noNodeType, getByNameAndVersion: () => noNodeType, getKnownTypes: () => ({}) } as never,
});

/** Evaluates an `=`-expression the way n8n resolves credential fields: `$self` is the credential data. */
function evaluate(expression: unknown, self: Record<string, unknown>): unknown {
	return workflow.expression.getParameterValue(
		expression as string,
		null,
		0,
		0,
		'Credential',
		[],
		'internal',
		{},
		undefined,
		false,
		self,
	);
}

/** Evaluates a credential test request's expression the way n8n does: over `$credentials`, not `$self`. */
function evaluateTestRequest(expression: unknown, credentials: Record<string, unknown>): unknown {
	expect(String(expression)).not.toContain('$self');
	return workflow.expression.getParameterValue(
		expression as string,
		null,
		0,
		0,
		'Credential',
		[],
		'internal',
		{ $credentials: credentials },
	);
}

function hidden(properties: INodeProperties[], name: string): string {
	const property = properties.find((p) => p.name === name);
	if (!property) throw new Error(`no property ${name}`);
	expect(property.type).toBe('hidden');
	return property.default as string;
}

const CUSTOM = { customLoginUrl: ' https://127.0.0.1:8443/ ', customGraphUrl: 'https://127.0.0.1:8443//' };
const CLOUDS = ['global', 'usGov', 'usGovDod', 'china', 'custom'];
const TENANTS = ['common', 'organizations', 'consumers', '6f1a9c2e-3b4d-4e5f-8a7b-1c2d3e4f5a6b', 'Contoso.OnMicrosoft.com', ' fabrikam.example '];
const SERVICE_SETS = [[], ['files'], GRAPH_SERVICES.map((s) => s.value), ['mail', 'teams']];
const EXTRA_SCOPES = ['', 'Notes.ReadWrite, Mail.Send  mail.send,Group.Read.All'];

describe('Microsoft 365 OAuth2 API expressions', () => {
	const properties = new Microsoft365OAuth2Api().properties;
	const authUrl = hidden(properties, 'authUrl');
	const accessTokenUrl = hidden(properties, 'accessTokenUrl');
	const scope = hidden(properties, 'scope');

	it('evaluates like the TypeScript builders for every cloud, tenant, service set and extra scopes', () => {
		let checked = 0;
		for (const cloud of CLOUDS)
			for (const tenant of TENANTS)
				for (const services of SERVICE_SETS)
					for (const additionalScopes of EXTRA_SCOPES) {
						const data = { cloud, tenant, services, additionalScopes, ...(cloud === 'custom' ? CUSTOM : {}) };
						const settings = readCredentialSettings('microsoft365OAuth2Api', data);
						expect(evaluate(authUrl, data)).toBe(authorizeUrl(settings.cloudHosts.loginUrl, settings.tenant));
						expect(evaluate(accessTokenUrl, data)).toBe(tokenUrl(settings.cloudHosts.loginUrl, settings.tenant));
						expect(evaluate(scope, data)).toBe(settings.scopes.join(' '));
						expect(settings.scopes).toEqual(delegatedGraphScopes(data));
						checked++;
					}
		expect(checked).toBe(CLOUDS.length * TENANTS.length * SERVICE_SETS.length * EXTRA_SCOPES.length);
	});

	it('never sends the connect flow to a custom login URL over plain http', () => {
		for (const customLoginUrl of ['http://login.example.test', ' HTTP://127.0.0.1:8443/ ', 'ftp://x', 'javascript:alert(1)', '']) {
			const data = { cloud: 'custom', tenant: 'contoso.onmicrosoft.com', customLoginUrl, customGraphUrl: 'https://127.0.0.1:8443' };
			for (const expression of [authUrl, accessTokenUrl]) {
				const url = new URL(evaluate(expression, data) as string);
				expect(url.protocol).toBe('https:');
				expect(url.host).toBe(new URL(NOT_HTTPS_PLACEHOLDER).host);
			}
			expect(() => readCredentialSettings('microsoft365OAuth2Api', data)).toThrow('Custom Login URL');
		}
		// https in any letter case stays as typed.
		const data = { cloud: 'custom', tenant: 'common', customLoginUrl: 'HTTPS://login.example.test/', customGraphUrl: 'https://g.example.test' };
		expect(evaluate(authUrl, data)).toBe('HTTPS://login.example.test/common/oauth2/v2.0/authorize');
	});

	it('uses common when Tenant is empty, like the node path', () => {
		const data = { cloud: 'global', tenant: '' };
		expect(evaluate(authUrl, data)).toBe('https://login.microsoftonline.com/common/oauth2/v2.0/authorize');
		expect(readCredentialSettings('microsoft365OAuth2Api', data).tenant).toBe('common');
	});

	it('builds the documented global URLs and bare Graph scopes', () => {
		const data = { cloud: 'global', tenant: 'contoso.onmicrosoft.com', services: ['files'], additionalScopes: '' };
		expect(evaluate(authUrl, data)).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize');
		expect(evaluate(accessTokenUrl, data)).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
		expect(evaluate(scope, data)).toBe('offline_access openid profile User.Read Files.ReadWrite.All Sites.Read.All');
	});

	it('prefixes Graph scopes with the national Graph host but keeps OpenID scopes and additional scopes as typed', () => {
		const data = { cloud: 'usGov', tenant: 'common', services: ['files'], additionalScopes: 'https://graph.microsoft.us/Notes.Read' };
		expect(evaluate(authUrl, data)).toBe('https://login.microsoftonline.us/common/oauth2/v2.0/authorize');
		expect(evaluate(scope, data)).toBe(
			'offline_access openid profile https://graph.microsoft.us/User.Read https://graph.microsoft.us/Files.ReadWrite.All ' +
				'https://graph.microsoft.us/Sites.Read.All https://graph.microsoft.us/Notes.Read',
		);
		const dod = evaluate(scope, { cloud: 'usGovDod', services: ['mail'] }) as string;
		expect(dod.split(' ')).toContain('https://dod-graph.microsoft.us/Mail.Send');
		const china = evaluate(scope, { cloud: 'china', services: ['calendar'] }) as string;
		expect(china.split(' ')).toContain('https://microsoftgraph.chinacloudapi.cn/Calendars.ReadWrite');
	});

	it('maps every service to its Graph permissions and drops case-insensitive duplicates', () => {
		const all = (evaluate(scope, { services: GRAPH_SERVICES.map((s) => s.value), additionalScopes: 'MAIL.SEND files.readwrite.all X.Y' }) as string).split(' ');
		for (const name of [
			'Files.ReadWrite.All', 'Sites.Read.All', 'Mail.ReadWrite', 'Mail.Send', 'Calendars.ReadWrite', 'Contacts.ReadWrite',
			'Team.ReadBasic.All', 'Channel.ReadBasic.All', 'ChannelMessage.Send', 'ChatMessage.Send', 'Chat.ReadWrite',
			'Tasks.ReadWrite', 'User.Read.All', 'User.Read', 'X.Y',
		]) {
			expect(all).toContain(name);
		}
		expect(all).not.toContain('MAIL.SEND');
		expect(all.filter((s) => s.toLowerCase() === 'mail.send')).toHaveLength(1);
	});

	it('sends prompt as an auth query parameter, and nothing for "none"', () => {
		const parameters = hidden(properties, 'authQueryParameters');
		expect(evaluate(parameters, { prompt: 'select_account' })).toBe('prompt=select_account');
		expect(evaluate(parameters, { prompt: 'consent' })).toBe('prompt=consent');
		expect(evaluate(parameters, { prompt: 'login' })).toBe('prompt=login');
		expect(evaluate(parameters, { prompt: 'none' })).toBe('');
		expect(hidden(properties, 'authentication')).toBe('body');
		expect(hidden(properties, 'grantType')).toBe('authorizationCode');
	});
});

describe('Microsoft 365 Tenant-Specific OAuth2 API expressions', () => {
	const properties = new Microsoft365TenantOAuth2Api().properties;
	const ENV: Record<string, string> = {
		global: 'https://Org.crm.dynamics.com/',
		usGov: 'https://org.crm.microsoftdynamics.us',
		usGovDod: 'https://org.crm.appsplatform.us',
		china: 'https://org.crm.dynamics.cn',
		custom: 'https://127.0.0.1:8443',
	};

	it('evaluates like readCredentialSettings for every cloud, resource and scope style', () => {
		let checked = 0;
		for (const cloud of CLOUDS)
			for (const resource of ['dataverse', 'financeOperations', 'businessCentral', 'custom'])
				for (const scopeStyle of ['default', 'userImpersonation']) {
					const data = {
						cloud,
						tenant: 'contoso.onmicrosoft.com',
						resource,
						scopeStyle,
						environmentUrl: cloud === 'global' && resource === 'financeOperations' ? 'https://env.operations.dynamics.com' : ENV[cloud],
						customResource: 'https://api.contoso.example/app/',
						...(cloud === 'custom' ? CUSTOM : {}),
					};
					if (resource === 'businessCentral' && cloud !== 'global' && cloud !== 'custom') {
						expect(() => readCredentialSettings('microsoft365TenantOAuth2Api', data)).toThrow(/Business Central/);
						continue;
					}
					const settings = readCredentialSettings('microsoft365TenantOAuth2Api', data);
					expect(evaluate(hidden(properties, 'authUrl'), data)).toBe(authorizeUrl(settings.cloudHosts.loginUrl, 'contoso.onmicrosoft.com'));
					expect(evaluate(hidden(properties, 'accessTokenUrl'), data)).toBe(tokenUrl(settings.cloudHosts.loginUrl, 'contoso.onmicrosoft.com'));
					expect(evaluate(hidden(properties, 'scope'), data)).toBe(settings.scopes.join(' '));
					checked++;
				}
		expect(checked).toBe(2 * (4 * 5 - 3));
	});

	it('asks for {resource}/.default or user_impersonation with offline_access', () => {
		const scope = hidden(properties, 'scope');
		const data = { tenant: 'contoso.onmicrosoft.com', environmentUrl: 'https://org.crm.dynamics.com/' };
		expect(evaluate(scope, data)).toBe('https://org.crm.dynamics.com/.default offline_access');
		expect(evaluate(scope, { ...data, scopeStyle: 'userImpersonation' })).toBe('https://org.crm.dynamics.com/user_impersonation offline_access');
		expect(evaluate(scope, { resource: 'businessCentral' })).toBe('https://api.businesscentral.dynamics.com/.default offline_access');
	});
});

describe('Microsoft 365 Client Credentials API test request', () => {
	const credential = new Microsoft365ClientCredentialsApi();
	const request = credential.test.request;

	it('targets the resource API for Graph, Dataverse and F&O, and sign-in metadata otherwise', () => {
		const base = { tenant: 'Contoso.onmicrosoft.com', clientId: '1d7c4a2b-8e9f-4a0b-9c1d-2e3f4a5b6c7d', clientSecret: 'x' };
		const cases = [
			{ cloud: 'global', resource: 'graph' },
			{ cloud: 'usGov', resource: 'graph' },
			{ cloud: 'china', resource: 'graph' },
			{ cloud: 'custom', resource: 'graph', ...CUSTOM },
			{ cloud: 'global', resource: 'dataverse', environmentUrl: 'https://org.crm4.dynamics.com' },
			{ cloud: 'usGovDod', resource: 'dataverse', environmentUrl: 'https://org.crm.appsplatform.us/' },
			{ cloud: 'global', resource: 'financeOperations', environmentUrl: 'https://env.operations.dynamics.com' },
			{ cloud: 'global', resource: 'businessCentral' },
			{ cloud: 'custom', resource: 'custom', customResource: 'https://api.contoso.example', ...CUSTOM },
		];
		for (const fields of cases) {
			const data = { ...base, ...fields };
			const settings = readCredentialSettings('microsoft365ClientCredentialsApi', data);
			const path = TEST_PATHS[settings.resource];
			if (path) {
				expect(evaluateTestRequest(request.baseURL, data)).toBe(settings.resourceUrl);
				expect(evaluateTestRequest(request.url, data)).toBe(path);
			} else {
				expect(evaluateTestRequest(request.baseURL, data)).toBe(authorityUrl(settings.cloudHosts.loginUrl, settings.tenant));
				expect(evaluateTestRequest(request.url, data)).toBe('/v2.0/.well-known/openid-configuration');
			}
			expect(settings.allowedHosts.has(new URL(evaluateTestRequest(request.baseURL, data) as string).host)).toBe(true);
			expect(settings.scopes).toEqual([`${settings.resourceUrl}/.default`]);
		}
	});

	it('sends the stored token as a Bearer header and keeps it in an expirable hidden field', () => {
		expect(credential.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.accessToken}}' });
		const token = credential.properties.find((p) => p.name === 'accessToken');
		expect(token?.type).toBe('hidden');
		expect(token?.typeOptions?.expirable).toBe(true);
		expect((credential as { extends?: string[] }).extends).toBeUndefined();
	});
});
