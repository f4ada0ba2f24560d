/** Addressing one F&O record: entity from $metadata, Company checked, every key field present, cross-company for another company. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../../shared/connection';
import { encodePathSegment, InputValueError } from '../../../shared/input';
import { checkedCompany, financeOperationsBase, findEntity, foKeySegment, foMetadata, type FoEntity, type FoMetadata } from './fo';
import { readCompany, readEntityName, readKeyValues } from './fields';

/** F&O's answers → what to do (ErrorContext.advice, by status). */
export const FO_ADVICE: Record<string, string> = {
	'404': 'No record with these key values in this company (or the entity set name is spelt differently; names are case-sensitive): check the Company and Key Fields, or turn on Cross-Company.',
	'412': 'The record changed since it was read: read it again and repeat the change.',
	'400': 'Finance & Operations refused the request: its message names the field or value; check field names (case-sensitive), enum values and the Company.',
};

export interface FoTarget {
	metadata: FoMetadata;
	entity: FoEntity;
	/** `{base}/{Set}` */
	setUrl: string;
	company: string;
}

/** The entity (and the checked Company) of this item. */
export async function foTarget(ctx: IExecuteFunctions, conn: MicrosoftConnection, itemIndex: number): Promise<FoTarget> {
	const base = financeOperationsBase(conn);
	const name = readEntityName.call(ctx, itemIndex);
	const metadata = await foMetadata(ctx, conn, itemIndex);
	const entity = findEntity(metadata, name);
	const typed = readCompany.call(ctx, itemIndex);
	const company = typed ? await checkedCompany(ctx, conn, typed, itemIndex) : '';
	return { metadata, entity, setUrl: `${base}/${encodePathSegment(entity.set, 'Entity')}`, company };
}

/** `{base}/{Set}(keys)` and `cross-company=true` (a key of another company is only found with it). */
export async function foRecordUrl(ctx: IExecuteFunctions, conn: MicrosoftConnection, itemIndex: number): Promise<FoTarget & { url: string; qs: IDataObject }> {
	const target = await foTarget(ctx, conn, itemIndex);
	const values = readKeyValues.call(ctx, itemIndex, target.company);
	for (const name of Object.keys(values)) {
		if (!target.entity.keys.includes(name)) {
			throw new InputValueError(`Key Fields: ${name}`, `is not a key field of ${target.entity.set}`, `Its key is ${target.entity.keys.join(', ')} (dataAreaId is the Company); nothing was sent.`);
		}
	}
	const url = `${target.setUrl}${foKeySegment(target.metadata, target.entity, values)}`;
	return { ...target, url, qs: target.entity.keys.includes('dataAreaId') ? { 'cross-company': 'true' } : {} };
}
