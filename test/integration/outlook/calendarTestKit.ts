/**
 * Helpers the calendar, event and contact tests share: Graph as another user (Bob's view of his own mailbox),
 * and the bad-input runner with the value arriving from the previous node as `{{ $json.v }}`.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { expectEveryBadInputRefused, type BadInputCase } from '../../harness/badInput';
import { CONTOSO, SEED, startOutlookFixture, type OutlookFixture } from './fixture';

/** One delegated fixture for a test file: started once, stopped at the end, request log and faults cleared before each test. */
export function withOutlookFixture(use: (env: OutlookFixture) => void): void {
	let env: OutlookFixture | undefined;
	beforeAll(async () => {
		env = await startOutlookFixture();
		use(env);
	}, 60_000);
	afterAll(async () => env?.stop());
	beforeEach(() => {
		env?.clearRequests();
		env?.sandbox.faults.reset();
	});
}

/** How a bad value reaches a field in real workflows: an expression over the input item. */
export const FROM_INPUT = '={{ $json.v }}';

/** Graph as a seeded user with delegated scopes (JSON in and out). */
export async function graphAs<T = any>(
	env: OutlookFixture,
	userId: string,
	scopes: string[],
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
	const token = env.sandbox.issueToken({ tenant: CONTOSO, appId: SEED.apps.multiTenant.clientId, userId, scopes, lifetimeSeconds: 600 });
	const response = await fetch(`${env.sandbox.graphUrl}/v1.0${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * A runner for one field: each bad value arrives through `{{ $json.v }}`, must fail naming the field, with no
 * request sent. Returns how many values were tried (added to `counter.tried`).
 */
export function badInputRunner(env: OutlookFixture, counter: { tried: number }) {
	return async (field: string, values: BadInputCase['values'], parameters: (value: string) => INodeParameters): Promise<void> => {
		counter.tried += await expectEveryBadInputRefused({
			field,
			values,
			run: async (value) => await env.run(parameters(FROM_INPUT), { input: [{ json: { v: value } as IDataObject }] }),
			requests: () => env.requests(),
			clear: () => env.clearRequests(),
		});
	};
}

/** Every item of a Graph listing as Alice, following @odata.nextLink to the end. */
export async function graphList(env: OutlookFixture, path: string, headers: Record<string, string> = {}): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	let next: string | undefined = `${env.sandbox.graphUrl}/v1.0${path}`;
	while (next) {
		const response: Response = await fetch(next, { headers: { Authorization: `Bearer ${env.aliceToken}`, ...headers } });
		expect(response.status).toBe(200);
		const body = (await response.json()) as IDataObject;
		items.push(...((body.value as IDataObject[]) ?? []));
		next = body['@odata.nextLink'] as string | undefined;
	}
	return items;
}
