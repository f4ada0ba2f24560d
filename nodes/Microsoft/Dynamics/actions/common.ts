/** What the Dynamics node's operations share: the run context (connection and the environment's Web API base). */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import type { OperationModule, RunBase } from '../../shared/node/router';
import { dataverseBase } from '../helpers/dataverse';

export { readLimit, returnAllProperties, showFor } from '../../shared/node/descriptions';

export interface DynamicsRun extends RunBase {
	/** `https://<org>.crm.dynamics.com/api/data/v9.2` of the credential's environment. */
	base: string;
}
export type DynamicsOperation = OperationModule<DynamicsRun>;

export function prepareRun(this: IExecuteFunctions, itemIndex: number, conn: MicrosoftConnection): DynamicsRun {
	// Finance & Operations and Business Central operations find their own base (and check the credential) from conn.
	const api = this.getNodeParameter('api', itemIndex, 'dataverse') as string;
	return { conn, base: api === 'dataverse' ? dataverseBase(conn) : '' };
}

/** Dataverse's error codes → what to do (ErrorContext.advice, by lower-case code). */
export const DATAVERSE_ADVICE: Record<string, string> = {
	'0x80040217': 'The row does not exist, or the signed-in user or app cannot see it: check the Row ID or alternate key and the table.',
	'0x80060882': 'The row changed since it was read (its ETag no longer matches): read it again, or leave the ETag empty to overwrite.',
	'0x80040237': 'A row with this ID or key already exists: use Update or Upsert, or another key.',
	'0x8006088a': 'Dataverse does not know this table or path: use the entity set name (the plural Web API name, e.g. accounts) or pick the table from the list.',
	'0x80048d19': 'Dataverse refused the $batch request; if it persists, lower the Batch Size.',
	'0x80041102': 'The FetchXML names a table or column this environment does not have.',
	'0x80040203': 'Dataverse refused a value: check the column and the value mapped to it.',
	'0x0': 'Dataverse refused the request: the message names the column or value it could not use; check the column names (logical names) and value types.',
	'0x80072560': 'Give the signed-in user a security role in this environment, or add the app as an application user with a security role (Power Platform admin center > Environment > Settings > Users + permissions > Application users).',
	'0x80048306': 'Change tracking is not enabled for this table: turn on "Track changes" in the table\'s properties (Power Apps > Tables > the table > Properties > Advanced options), or use the trigger\'s "Modified On" mode.',
};
