import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../../shared/connection';
import { toNodeApiError } from '../../shared/errors';
import { INCLUDE_PRE_AUTHENTICATED_URLS, withoutPreAuthenticatedUrls } from '../../shared/output';
import { credentialTypeOf } from '../descriptions/authentication';
import { resolveDrive } from '../helpers/driveLocation';
import type { OneDriveResource, OperationModule } from './common';
import { OPERATIONS } from './operations';

type OperationResult = Awaited<ReturnType<OperationModule['execute']>>;

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return (
		typeof value.json === 'object' &&
		value.json !== null &&
		Object.keys(value).every((key) => key === 'json' || key === 'binary' || key === 'pairedItem')
	);
}

/** Output items paired with their input; pre-authenticated URLs removed unless the user asked for them. */
function toItems(result: OperationResult, itemIndex: number, keepDownloadUrls: boolean): INodeExecutionData[] {
	const list = (Array.isArray(result) ? result : [result]) as Array<IDataObject | INodeExecutionData>;
	const clean = (json: IDataObject) => (keepDownloadUrls ? json : withoutPreAuthenticatedUrls(json));
	return list.map((entry) =>
		isExecutionData(entry)
			? { ...entry, json: clean(entry.json), pairedItem: { item: itemIndex } }
			: { json: clean(entry), pairedItem: { item: itemIndex } },
	);
}

/**
 * Runs the chosen operation for every input item independently. With "continue on fail" a failed item
 * becomes `{ json: { error } }` and the others still run; every output item points at its input item.
 */
export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const connections = new Map<string, MicrosoftConnection>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as OneDriveResource;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const module = OPERATIONS[resource]?.[operation];
			if (!module) {
				throw new NodeOperationError(this.getNode(), `"Operation" "${operation}" is not supported for "${resource}"`, { itemIndex });
			}
			const credentialType = credentialTypeOf(this, itemIndex);
			let conn = connections.get(credentialType);
			if (!conn) {
				conn = await getConnection(this, credentialType, itemIndex);
				connections.set(credentialType, conn);
			}
			const drive = resolveDrive(this, itemIndex);
			const result = await module.execute.call(this, itemIndex, { conn, drive });
			const keepDownloadUrls = this.getNodeParameter(INCLUDE_PRE_AUTHENTICATED_URLS, itemIndex, false) === true;
			output.push(...toItems(result, itemIndex, keepDownloadUrls));
		} catch (error) {
			const nodeError = toNodeApiError(this.getNode(), error, { itemIndex });
			if (this.continueOnFail()) {
				output.push({
					json: { error: nodeError.message, ...(nodeError.description ? { description: nodeError.description } : {}) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw nodeError;
		}
	}
	return [output];
}
