/**
 * A custom cloud may name Business Central's API host (the credential's `businessCentralUrl`: a proxy or the test
 * sandbox): the node path (readCredentialSettings) and the tenant OAuth2 credential's scope expression agree; empty, or
 * in another cloud, it is Microsoft's host.
 */
import { Workflow, type INodeProperties } from 'n8n-workflow';

import { Microsoft365TenantOAuth2Api } from '../../../credentials/Microsoft365TenantOAuth2Api.credentials';
import { readCredentialSettings } from '../../../nodes/Microsoft/shared/credentialSettings';

const noNodeType = { description: { properties: [] } };
const workflow = new Workflow({
	nodes: [{ id: '1', name: 'Credential', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	active: false,
	nodeTypes: { getByName: () => noNodeType, getByNameAndVersion: () => noNodeType, getKnownTypes: () => ({}) } as never,
});

function scopeExpression(): string {
	const property = new Microsoft365TenantOAuth2Api().properties.find((p: INodeProperties) => p.name === 'scope');
	return property!.default as string;
}

function evaluate(expression: string, self: Record<string, unknown>): unknown {
	return workflow.expression.getParameterValue(expression, null, 0, 0, 'Credential', [], 'internal', {}, undefined, false, self);
}

const CUSTOM = { cloud: 'custom', customLoginUrl: 'https://127.0.0.1:8443', customGraphUrl: 'https://127.0.0.1:8443', tenant: 'contoso.onmicrosoft.com', resource: 'businessCentral' };

describe('Business Central API URL of a custom cloud', () => {
	it('is the resource URL, the scope and the only extra host that may receive the token', () => {
		const data = { ...CUSTOM, businessCentralUrl: ' https://127.0.0.5:8443/ ' };
		const settings = readCredentialSettings('microsoft365TenantOAuth2Api', data);
		expect(settings.resourceUrl).toBe('https://127.0.0.5:8443');
		expect(settings.allowedHosts.has('127.0.0.5:8443')).toBe(true);
		expect(settings.allowedHosts.has('api.businesscentral.dynamics.com')).toBe(false);
		expect(evaluate(scopeExpression(), data)).toBe(settings.scopes.join(' '));
		expect(readCredentialSettings('microsoft365ClientCredentialsApi', data).scopes).toEqual(['https://127.0.0.5:8443/.default']);
	});

	it('empty, or in a Microsoft cloud, is https://api.businesscentral.dynamics.com; not https is refused naming the field', () => {
		expect(readCredentialSettings('microsoft365TenantOAuth2Api', { ...CUSTOM, businessCentralUrl: '' }).resourceUrl).toBe('https://api.businesscentral.dynamics.com');
		const global = { tenant: 'contoso.onmicrosoft.com', resource: 'businessCentral', businessCentralUrl: 'https://proxy.example.com' };
		expect(readCredentialSettings('microsoft365TenantOAuth2Api', global).resourceUrl).toBe('https://api.businesscentral.dynamics.com');
		expect(evaluate(scopeExpression(), global)).toBe('https://api.businesscentral.dynamics.com/.default offline_access');
		expect(() => readCredentialSettings('microsoft365TenantOAuth2Api', { ...CUSTOM, businessCentralUrl: 'http://127.0.0.5:8443' })).toThrow(/Business Central API URL/);
	});
});
