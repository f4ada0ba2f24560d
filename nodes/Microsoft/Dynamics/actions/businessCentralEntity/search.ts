/** Pickers: the tenant's environments, an environment's companies, the entity sets (and line sets) of the chosen API, an entity set's bound actions. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../../../shared/connection';
import { credentialTypeOf } from '../../../shared/node/authentication';
import { locatorValue } from '../../../shared/node/parameters';
import { odataRequest } from '../../../shared/transport';
import { bcRoot, environmentsUrl, listCompanies, readBcMetadata } from './bc';
import { actionsOf } from './metadata';

const matches = (filter: string | undefined, ...names: string[]) => {
	const wanted = (filter ?? '').trim().toLowerCase();
	return !wanted || names.some((name) => name.toLowerCase().includes(wanted));
};

export async function searchBusinessCentralEnvironments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const response = await odataRequest<IDataObject>(this, conn, { url: environmentsUrl(conn), operation: 'list the environments' });
	const environments = Array.isArray(response.body?.value) ? (response.body.value as IDataObject[]) : [];
	const results = environments
		.filter((environment) => matches(filter, String(environment.name)))
		.map((environment) => ({ name: `${String(environment.name)} (${String(environment.type ?? '')})`, value: String(environment.name) }));
	return { results };
}

export async function searchBusinessCentralCompanies(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	if (!locatorValue(this, 'bcEnvironment')) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const companies = await listCompanies(this, conn, bcRoot(this, conn));
	const results = companies
		.filter((company) => matches(filter, String(company.name), String(company.displayName ?? '')))
		.map((company) => ({ name: String(company.displayName || company.name), value: String(company.id) }));
	return { results };
}

export async function searchBusinessCentralEntitySets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	if (!locatorValue(this, 'bcEnvironment')) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const metadata = await readBcMetadata(this, conn, bcRoot(this, conn));
	const sets = [...metadata.sets.keys()].map((name) => ({ name, value: name }));
	// Line sets reached only through their document: the Parent Document ID field asks for the document.
	const lines = [...metadata.lineSets.values()].filter((line) => !metadata.sets.has(line.name)).map((line) => ({ name: `${line.name} (lines of ${line.parentSet})`, value: line.name }));
	const results = [...sets, ...lines].filter((entry) => matches(filter, entry.value)).sort((a, b) => a.value.localeCompare(b.value));
	return { results };
}

export async function searchBusinessCentralActions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const entitySet = locatorValue(this, 'bcEntitySet');
	if (!locatorValue(this, 'bcEnvironment') || !entitySet) return { results: [] };
	const conn = await getConnection(this, credentialTypeOf(this));
	const metadata = await readBcMetadata(this, conn, bcRoot(this, conn));
	return { results: actionsOf(metadata, entitySet).filter((name) => matches(filter, name)).map((name) => ({ name, value: name })) };
}
