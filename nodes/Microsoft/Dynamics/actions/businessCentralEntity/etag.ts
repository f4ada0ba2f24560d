/** If-Match for Business Central's PATCH and DELETE (both require it): the ETag the user gave, or the record's current one. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../../shared/connection';
import { assertHeaderValue } from '../../../shared/input';
import { odataRequest } from '../../../shared/transport';
import { BC_ADVICE } from './bc';

export async function ifMatchFor(ctx: IExecuteFunctions, conn: MicrosoftConnection, url: string, itemIndex: number): Promise<string> {
	const given = String(ctx.getNodeParameter('bcEtag', itemIndex, '') ?? '').trim();
	if (given) {
		assertHeaderValue('If-Match', given, 'ETag');
		return given;
	}
	const current = await odataRequest<IDataObject>(ctx, conn, { url, operation: 'read the record\'s ETag', advice: BC_ADVICE, itemIndex });
	return String(current.body?.['@odata.etag'] ?? '*');
}
