/** Pickers: tables (display or logical name), a table's relationships, the environment's actions and functions. */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { credentialTypeOf } from '../../shared/node/authentication';
import { locatorValue } from '../../shared/node/parameters';
import { odataRequest } from '../../shared/transport';
import { dataverseBase } from '../helpers/dataverse';
import { listTables, tableDetails } from '../helpers/metadata';

async function connect(ctx: ILoadOptionsFunctions): Promise<MicrosoftConnection> {
	return await getConnection(ctx, credentialTypeOf(ctx));
}

function matches(filter: string | undefined, ...names: string[]): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return !wanted || names.some((name) => name.toLowerCase().includes(wanted));
}

export async function searchTables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const tables = await listTables(this, conn);
	const results: INodeListSearchItems[] = tables
		.filter((table) => matches(filter, table.displayName, table.logicalName, table.entitySetName))
		.map((table) => ({ name: `${table.displayName} (${table.logicalName})`, value: table.entitySetName }));
	return { results };
}

export async function searchRelationships(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const table = locatorValue(this, 'table');
	if (!table) return { results: [] };
	const conn = await connect(this);
	const details = await tableDetails(this, conn, table);
	const kinds = { ManyToOne: 'many-to-one', OneToMany: 'one-to-many', ManyToMany: 'many-to-many' } as const;
	const results = details.relationships
		.filter((relation) => matches(filter, relation.navigationProperty, relation.schemaName, relation.otherTable))
		.map((relation) => ({ name: `${relation.navigationProperty} → ${relation.otherTable} (${kinds[relation.kind]})`, value: relation.navigationProperty }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

export interface OperationEntry {
	name: string;
	kind: 'action' | 'function';
	boundTo?: string;
}

/** Actions and functions declared in a CSDL document (`<Action Name="…" IsBound="…">` with its first parameter's type). */
export function operationsOf(csdl: string): OperationEntry[] {
	const entries: OperationEntry[] = [];
	for (const match of csdl.matchAll(/<(Action|Function)\s+([^>]*?)(\/?)>([\s\S]*?)(?:<\/\1>|(?=<(?:Action|Function)\s))/g)) {
		const attributes = match[2];
		const name = /\bName="([^"]+)"/.exec(attributes)?.[1];
		if (!name) continue;
		const bound = /\bIsBound="true"/i.test(attributes);
		const bindingType = bound ? /<Parameter\s+[^>]*Type="(?:Collection\()?mscrm\.([A-Za-z0-9_]+)\)?"/.exec(match[4] ?? '')?.[1] : undefined;
		entries.push({ name, kind: match[1] === 'Action' ? 'action' : 'function', ...(bindingType ? { boundTo: bindingType } : {}) });
	}
	return entries;
}

export async function searchActions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await connect(this);
	const response = await odataRequest<Buffer>(this, conn, {
		url: `${dataverseBase(conn)}/$metadata`,
		headers: { Accept: 'application/xml' },
		encoding: 'arraybuffer',
		operation: 'read the environment\'s $metadata',
	});
	const csdl = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? '');
	const seen = new Set<string>();
	const results: INodeListSearchItems[] = [];
	for (const entry of operationsOf(csdl).sort((a, b) => a.name.localeCompare(b.name))) {
		if (!matches(filter, entry.name) || seen.has(`${entry.name}|${entry.boundTo ?? ''}`)) continue;
		seen.add(`${entry.name}|${entry.boundTo ?? ''}`);
		const kind = entry.kind === 'action' ? 'Action' : 'Function';
		results.push({ name: `${entry.name} (${kind}${entry.boundTo ? `, bound to ${entry.boundTo}` : ''})`, value: entry.name });
	}
	return { results };
}
