/**
 * The generic router of every action node: the item loop, one connection per credential type, the node's
 * own run context per item (a drive, a mailbox, ...), pairedItem, "continue on fail", and the one output rule
 * (no pre-authenticated URLs unless asked). A node is its operations plus `prepare`.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getConnection, type MicrosoftConnection } from '../connection';
import { toNodeApiError } from '../errors';
import { INCLUDE_PRE_AUTHENTICATED_URLS, withoutPreAuthenticatedUrls } from '../output';
import { credentialTypeOf } from './authentication';
import { operationProperty } from './descriptions';

export type OperationResult = IDataObject | IDataObject[] | INodeExecutionData | INodeExecutionData[];

/** What every run context has; nodes extend it (OneDrive adds the drive). */
export interface RunBase {
	conn: MicrosoftConnection;
}

/** One operation file: its dropdown entry, its fields and what it does for one input item. */
export interface OperationModule<Run extends RunBase = RunBase> {
	option: INodePropertyOptions;
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, run: Run): Promise<OperationResult>;
}

/** A resource's operations by value: `import * as file from './actions/file'` (its index exports one per line). */
export type ResourceOperations<Run extends RunBase> = Record<string, OperationModule<Run>>;

/** A resource's Operation dropdown: every operation's entry, alphabetical. */
export function operationDropdown<Run extends RunBase>(resource: string, operations: ResourceOperations<Run>, defaultOperation: string): INodeProperties {
	const options = Object.values(operations)
		.map((module) => module.option)
		.sort((a, b) => a.name.localeCompare(b.name));
	return operationProperty(resource, options, defaultOperation);
}

/** Every field of a resource's operations, in the order of its index. */
export function operationFields<Run extends RunBase>(operations: ResourceOperations<Run>): INodeProperties[] {
	return Object.values(operations).flatMap((module) => module.description);
}

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

export interface RouterSpec<Run extends RunBase> {
	/** resource value → its operations. */
	resources: Record<string, ResourceOperations<Run>>;
	/** The node's run context for one item from the connection (no request should be needed). */
	prepare(this: IExecuteFunctions, itemIndex: number, conn: MicrosoftConnection): Run | Promise<Run>;
}

/**
 * Runs the chosen operation for every input item independently. With "continue on fail" a failed item
 * becomes `{ json: { error, description } }` and the others still run; every output item points at its input.
 */
export async function route<Run extends RunBase>(this: IExecuteFunctions, spec: RouterSpec<Run>): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	const connections = new Map<string, MicrosoftConnection>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const operations = Object.hasOwn(spec.resources, resource) ? spec.resources[resource] : undefined;
			const module = operations && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
			if (!module) {
				throw new NodeOperationError(this.getNode(), `"Operation" "${operation}" is not supported for "${resource}"`, { itemIndex });
			}
			const credentialType = credentialTypeOf(this, itemIndex);
			let conn = connections.get(credentialType);
			if (!conn) {
				conn = await getConnection(this, credentialType, itemIndex);
				connections.set(credentialType, conn);
			}
			const run = await spec.prepare.call(this, itemIndex, conn);
			const result = await module.execute.call(this, itemIndex, run);
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
