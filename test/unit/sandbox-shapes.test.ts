/**
 * The sandbox answers with Graph's real property names: every property it returns for the entities in
 * the table below must exist on that entity type in Microsoft's published CSDL (base types and nested
 * complex types included), and where Graph's documentation has a sample response, the sandbox returns
 * the same properties with the same JSON types.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSandbox, SEED, type Sandbox } from '../sandbox';
import { sandboxRequest } from '../sandbox/httpClient';

const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'msgraph');

interface CsdlType {
	name: string;
	baseType: string | null;
	/** property name → full type name (e.g. `Collection(microsoft.graph.verifiedDomain)`) */
	properties: Map<string, string>;
}

/** A small regex parse of the CSDL: schemas (namespace + alias), entity and complex types, properties. */
function parseCsdl(xml: string): Map<string, CsdlType> {
	const types = new Map<string, CsdlType>();
	const aliases = new Map<string, string>();
	const schemaPattern = /<Schema\b([^>]*)>([\s\S]*?)<\/Schema>/g;
	const schemas: Array<{ namespace: string; body: string }> = [];
	for (const match of xml.matchAll(schemaPattern)) {
		const namespace = /Namespace="([^"]+)"/.exec(match[1])?.[1] ?? '';
		const alias = /Alias="([^"]+)"/.exec(match[1])?.[1];
		if (alias) aliases.set(alias, namespace);
		schemas.push({ namespace, body: match[2] });
	}
	const qualify = (name: string): string => {
		const collection = /^Collection\((.+)\)$/.exec(name);
		if (collection) return `Collection(${qualify(collection[1])})`;
		const dot = name.lastIndexOf('.');
		const prefix = name.slice(0, dot);
		return aliases.has(prefix) ? `${aliases.get(prefix)}.${name.slice(dot + 1)}` : name;
	};
	const typePattern = /<(EntityType|ComplexType)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
	for (const schema of schemas) {
		for (const match of schema.body.matchAll(typePattern)) {
			const name = /\bName="([^"]+)"/.exec(match[2])?.[1];
			if (!name) continue;
			const base = /\bBaseType="([^"]+)"/.exec(match[2])?.[1];
			const properties = new Map<string, string>();
			for (const prop of (match[4] ?? '').matchAll(/<(?:Property|NavigationProperty)\b[^>]*?\bName="([^"]+)"[^>]*?\bType="([^"]+)"/g)) {
				properties.set(prop[1], qualify(prop[2]));
			}
			types.set(`${schema.namespace}.${name}`, { name, baseType: base ? qualify(base) : null, properties });
		}
	}
	return types;
}

const csdl = parseCsdl(fs.readFileSync(path.join(SHARED, 'v1.0-Prod.csdl'), 'utf8'));
const samples: Array<{ request: { url: string; method: string }; response: { statusCode: number; body: any } }> = JSON.parse(
	fs.readFileSync(path.join(SHARED, 'doc-samples.v1.0.json'), 'utf8'),
).mocks;

/** Property name → type, over a type and all its base types. */
function propertiesOf(typeName: string): Map<string, string> {
	const all = new Map<string, string>();
	let current: string | null = typeName;
	while (current) {
		const type = csdl.get(current);
		if (!type) throw new Error(`type ${current} is not in the CSDL`);
		for (const [name, propertyType] of type.properties) if (!all.has(name)) all.set(name, propertyType);
		current = type.baseType;
	}
	return all;
}

/** Every property name in `value` that its CSDL type does not define, as JSON paths. */
function unknownProperties(value: Record<string, unknown>, typeName: string, at: string): string[] {
	const derived = typeof value['@odata.type'] === 'string' ? String(value['@odata.type']).replace(/^#/, '') : null;
	const properties = propertiesOf(derived && csdl.has(derived) ? derived : typeName);
	const problems: string[] = [];
	for (const [key, child] of Object.entries(value)) {
		if (key.startsWith('@') || key.includes('@odata.') || key.includes('@microsoft.graph.')) continue; // annotations
		const propertyType = properties.get(key);
		if (!propertyType) {
			problems.push(`${at}.${key}`);
			continue;
		}
		const elementType = /^Collection\((.+)\)$/.exec(propertyType)?.[1] ?? propertyType;
		if (!csdl.has(elementType) || child === null || typeof child !== 'object') continue;
		const children = Array.isArray(child) ? child : [child];
		children.forEach((item, index) => {
			if (item && typeof item === 'object') problems.push(...unknownProperties(item as Record<string, unknown>, elementType, Array.isArray(child) ? `${at}.${key}[${index}]` : `${at}.${key}`));
		});
	}
	return problems;
}

const hasDrives = fs.existsSync(path.join(__dirname, '..', 'sandbox', 'graph', 'drives.js'));

interface ShapeCase {
	path: string;
	type: string;
	collection?: boolean;
	token: 'delegated' | 'app';
	/** doc sample URL whose response properties the sandbox must also return (same JSON types) */
	sample?: string;
	exactSample?: boolean;
}

const cases: ShapeCase[] = [
	{ path: '/v1.0/me', type: 'microsoft.graph.user', token: 'delegated', sample: 'https://graph.microsoft.com/v1.0/me', exactSample: true },
	{ path: '/v1.0/users', type: 'microsoft.graph.user', collection: true, token: 'app' },
	{ path: '/v1.0/users?$select=id,accountEnabled,userType,usageLocation,createdDateTime', type: 'microsoft.graph.user', collection: true, token: 'app' },
	{ path: `/v1.0/users/${SEED.users.bob.id}`, type: 'microsoft.graph.user', token: 'app' },
	{ path: '/v1.0/organization', type: 'microsoft.graph.organization', collection: true, token: 'app' },
	{ path: '/v1.0/servicePrincipals', type: 'microsoft.graph.servicePrincipal', collection: true, token: 'app' },
	...(hasDrives
		? ([
				{ path: '/v1.0/me/drive', type: 'microsoft.graph.drive', token: 'delegated', sample: 'https://graph.microsoft.com/v1.0/me/drive' },
				{ path: '/v1.0/me/drive/root', type: 'microsoft.graph.driveItem', token: 'delegated' },
				{ path: '/v1.0/me/drive/root/children', type: 'microsoft.graph.driveItem', collection: true, token: 'delegated' },
				{ path: '/v1.0/me/drive/root:/hello.txt', type: 'microsoft.graph.driveItem', token: 'delegated' },
				{ path: '/v1.0/me/drive/root/delta', type: 'microsoft.graph.driveItem', collection: true, token: 'delegated' },
				{ path: '/v1.0/me/drive/root:/hello.txt:/versions', type: 'microsoft.graph.driveItemVersion', collection: true, token: 'delegated' },
				// beforeAll creates a sharing link on this file, so the collection is not empty
				{ path: '/v1.0/me/drive/root:/Documents/report.xlsx:/permissions', type: 'microsoft.graph.permission', collection: true, token: 'delegated' },
				{ path: '/v1.0/sites?search=Marketing', type: 'microsoft.graph.site', collection: true, token: 'delegated' },
				{ path: '/v1.0/sites/root', type: 'microsoft.graph.site', token: 'delegated' },
			] satisfies ShapeCase[])
		: []),
];

let sandbox: Sandbox;
const tokens: Record<ShapeCase['token'], string> = { delegated: '', app: '' };

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	tokens.delegated = sandbox.issueToken({ userId: SEED.users.alice.id, scopes: ['User.Read', 'Files.ReadWrite.All', 'Sites.ReadWrite.All'] });
	tokens.app = sandbox.issueToken({ roles: ['User.Read.All', 'Organization.Read.All', 'Application.Read.All', 'Files.ReadWrite.All'] });
	if (hasDrives) {
		const link = await sandboxRequest(`${sandbox.graphUrl}/v1.0/me/drive/root:/Documents/report.xlsx:/createLink`, {
			method: 'POST',
			ca: sandbox.tls.ca,
			headers: { authorization: `Bearer ${tokens.delegated}`, 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'view', scope: 'organization' }),
		});
		if (link.status !== 201 && link.status !== 200) throw new Error(`createLink answered ${link.status}: ${link.text}`);
	}
});
afterAll(async () => {
	await sandbox.stop();
});

describe('CSDL parsing', () => {
	it('finds user with its base types and organization.verifiedDomains as a collection of a complex type', () => {
		const user = propertiesOf('microsoft.graph.user');
		expect(user.get('userPrincipalName')).toBe('Edm.String');
		expect(user.get('id')).toBe('Edm.String'); // from microsoft.graph.entity
		expect(user.get('deletedDateTime')).toBe('Edm.DateTimeOffset'); // from directoryObject
		expect(propertiesOf('microsoft.graph.organization').get('verifiedDomains')).toBe('Collection(microsoft.graph.verifiedDomain)');
		expect(unknownProperties({ id: 'x', notAGraphProperty: 1 }, 'microsoft.graph.user', '$')).toEqual(['$.notAGraphProperty']);
		expect(unknownProperties({ verifiedDomains: [{ name: 'a', bogus: true }] }, 'microsoft.graph.organization', '$')).toEqual(['$.verifiedDomains[0].bogus']);
	});
});

describe.each(cases)('$path', (shape) => {
	it(`returns only properties of ${shape.type}`, async () => {
		const res = await sandboxRequest(`${sandbox.graphUrl}${shape.path}`, { ca: sandbox.tls.ca, headers: { authorization: `Bearer ${tokens[shape.token]}` } });
		expect(res.status).toBe(200);
		const items: Array<Record<string, unknown>> = shape.collection ? res.json.value : [res.json];
		expect(items.length).toBeGreaterThan(0);
		const problems = items.flatMap((item, index) => unknownProperties(item, shape.type, shape.collection ? `$.value[${index}]` : '$'));
		expect(problems).toEqual([]);

		if (shape.sample) {
			const sample = samples.find((mock) => mock.request.method === 'GET' && mock.request.url === shape.sample && mock.response.statusCode === 200);
			expect(sample).toBeDefined();
			const sampleBody = sample!.response.body as Record<string, unknown>;
			const keys = (value: Record<string, unknown>) => Object.keys(value).filter((key) => !key.startsWith('@')).sort();
			if (shape.exactSample) expect(keys(items[0])).toEqual(keys(sampleBody));
			for (const key of keys(sampleBody)) {
				expect([key, items[0][key] === null ? 'null' : Array.isArray(items[0][key]) ? 'array' : typeof items[0][key]]).toEqual([
					key,
					expect.stringMatching(sampleBody[key] === null || typeof sampleBody[key] === 'string' ? /^(null|string)$/ : Array.isArray(sampleBody[key]) ? /^array$/ : new RegExp(`^${typeof sampleBody[key]}$`)),
				]);
			}
		}
	});
});
