/**
 * A minimal stand-in for an n8n context for pure logic tests of the shared layer: records every request the
 * layer hands to n8n's helpers and answers from a script. Integration tests use the real harness instead.
 */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from '../../nodes/Microsoft/shared/connection';

export interface ScriptedResponse {
	status: number;
	headers?: Record<string, string>;
	body?: unknown;
}

export const testNode: INode = {
	id: 'n1',
	name: 'Microsoft',
	type: 'test.microsoft',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function testConnection(overrides: Partial<MicrosoftConnection> = {}): MicrosoftConnection {
	return {
		credentialType: 'microsoft365OAuth2Api',
		graphUrl: 'https://graph.example.test',
		graphBaseUrl: 'https://graph.example.test/v1.0',
		resource: 'graph',
		allowedHosts: new Set(['graph.example.test', 'login.example.test']),
		appOnly: false,
		tenant: 'common',
		...overrides,
	};
}

/** Answers like n8n's helpers: full response for 2xx, a thrown AxiosError-like error otherwise. */
export function fakeContext(answer: (options: IHttpRequestOptions, call: number) => ScriptedResponse) {
	const authenticated: IHttpRequestOptions[] = [];
	const plain: IHttpRequestOptions[] = [];
	const respond = (options: IHttpRequestOptions, call: number) => {
		const scripted = answer(options, call);
		const data = scripted.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body));
		if (scripted.status >= 300) {
			throw Object.assign(new Error(`Request failed with status code ${scripted.status}`), {
				response: { status: scripted.status, headers: scripted.headers ?? {}, data },
			});
		}
		return { statusCode: scripted.status, headers: scripted.headers ?? {}, body: data };
	};
	const ctx = {
		getNode: () => testNode,
		getCredentials: async () => ({}),
		helpers: {
			async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
				authenticated.push(options);
				return respond(options, authenticated.length);
			},
			async httpRequest(options: IHttpRequestOptions) {
				plain.push(options);
				return respond(options, plain.length);
			},
		},
	} as unknown as MicrosoftContext;
	return { ctx, authenticated, plain };
}
