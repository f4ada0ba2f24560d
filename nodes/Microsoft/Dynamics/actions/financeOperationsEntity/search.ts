/** The Entity picker: entity sets of `/data/$metadata` (case-sensitive names) with their labels. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { getConnection } from '../../../shared/connection';
import { credentialTypeOf } from '../../../shared/node/authentication';
import { foMetadata } from './fo';

export async function searchFinanceOperationsEntities(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const conn = await getConnection(this, credentialTypeOf(this));
	const metadata = await foMetadata(this, conn);
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = [...metadata.entities.values()]
		.filter((entity) => !wanted || entity.set.toLowerCase().includes(wanted) || (entity.label ?? '').toLowerCase().includes(wanted))
		.sort((a, b) => a.set.localeCompare(b.set))
		.map((entity) => ({ name: entity.label ? `${entity.label} (${entity.set})` : entity.set, value: entity.set }));
	return { results };
}
