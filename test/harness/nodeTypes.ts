/**
 * n8n-workflow's INodeTypes for a harness workflow: the node under test (plain or versioned) plus the
 * harness's own input node, which feeds the test's items to the node under test the way a previous
 * node does in n8n.
 */
import {
	NodeHelpers,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

export const PACKAGE_PREFIX = 'n8n-nodes-microsoft-365';
export const INPUT_NODE_TYPE = 'harness.input';
export const INPUT_NODE_NAME = 'Input';

export type AnyNodeType = INodeType | IVersionedNodeType;

/** A node type with no parameters, inputs or outputs: for throw-away workflows that only host a context. */
export function bareNodeType(name: string, displayName: string): INodeType {
	return {
		description: { displayName, name, group: [], version: 1, description: '', defaults: {}, inputs: [], outputs: [], properties: [] },
	};
}

function isVersioned(nodeType: AnyNodeType): nodeType is IVersionedNodeType {
	return 'nodeVersions' in nodeType;
}

/** The highest version the node offers (what a freshly added node gets in the editor). */
export function latestVersion(nodeType: AnyNodeType): number {
	if (isVersioned(nodeType)) {
		return nodeType.description.defaultVersion ?? Math.max(...Object.keys(nodeType.nodeVersions).map(Number));
	}
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export function baseDescriptionName(nodeType: AnyNodeType): string {
	return nodeType.description.name;
}

/** A node that outputs the items it is given — the test's `input`, with binary data as prepared. */
function inputNodeType(items: () => INodeExecutionData[]): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Harness input',
		name: INPUT_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Feeds the test input to the node under test',
		defaults: { name: INPUT_NODE_NAME },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [items().map((item) => ({ ...item, json: { ...(item.json as IDataObject) } }))];
		},
	};
}

/**
 * WorkflowExecute keeps only a plain-object copy of a node's error; to hand tests the real NodeApiError /
 * NodeOperationError, `execute` is wrapped to remember what it threw (and rethrow it unchanged).
 */
function recordingErrors(nodeType: INodeType, onError: (error: unknown) => void): INodeType {
	const original = nodeType.execute;
	if (!original) return nodeType;
	const wrapper = Object.create(nodeType) as INodeType;
	wrapper.execute = async function (this: IExecuteFunctions, ...args: unknown[]) {
		try {
			return await (original as (...a: unknown[]) => ReturnType<NonNullable<INodeType['execute']>>).apply(this, args);
		} catch (error) {
			onError(error);
			throw error;
		}
	} as INodeType['execute'];
	return wrapper;
}

export class HarnessNodeTypes implements INodeTypes {
	private readonly byName = new Map<string, AnyNodeType>();
	private readonly wrapped = new Map<string, INodeType>();
	private readonly underTestNames: Set<string>;

	constructor(
		underTest: AnyNodeType,
		inputItems: () => INodeExecutionData[],
		private readonly onNodeError: (error: unknown) => void = () => undefined,
	) {
		const name = baseDescriptionName(underTest);
		this.underTestNames = new Set([name, `${PACKAGE_PREFIX}.${name}`]);
		this.byName.set(name, underTest);
		this.byName.set(`${PACKAGE_PREFIX}.${name}`, underTest);
		this.byName.set(INPUT_NODE_TYPE, inputNodeType(inputItems));
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.byName.get(nodeType);
		if (!found) throw new Error(`Harness does not know node type "${nodeType}"`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const versioned = NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
		if (!this.underTestNames.has(nodeType)) return versioned;
		const key = `${nodeType}@${version ?? ''}`;
		let wrapper = this.wrapped.get(key);
		if (!wrapper) {
			wrapper = recordingErrors(versioned, this.onNodeError);
			this.wrapped.set(key, wrapper);
		}
		return wrapper;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
