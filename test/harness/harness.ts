/**
 * createHarness(): runs our node classes inside n8n-core's real execution engine (WorkflowExecute,
 * ExecuteContext, LoadOptionsContext, PollContext), with n8n-core's real request helpers (generic auth,
 * preAuthentication, OAuth2 refresh through @n8n/client-oauth2) and its real BinaryDataService.
 * See README.md for the API.
 */
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';

import {
	BinaryDataService,
	ExecuteContext,
	ExecutionLifecycleHooks,
	HookContext,
	LoadOptionsContext,
	PollContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IBinaryData,
	type IDataObject,
	type IExecuteData,
	type INode,
	type INodeCredentials,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type IRunExecutionData,
	type IWebhookData,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	activateBinaryDataService,
	createBinaryDataService,
	ensureContainer,
	newTempDir,
	releaseTempDir,
	type BinaryMode,
} from './container';
import { CredentialTypeRegistry } from './credentialTypes';
import { TestCredentialsHelper } from './credentialsHelper';
import {
	bareNodeType,
	HarnessNodeTypes,
	INPUT_NODE_NAME,
	INPUT_NODE_TYPE,
	latestVersion,
	PACKAGE_PREFIX,
	type AnyNodeType,
} from './nodeTypes';

export interface HarnessOptions {
	/** Stored credentials by type; each is stored under id = type (and name = type). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** 'default' keeps binary data in memory (base64); 'filesystem' stores files in a temp dir. */
	binaryMode?: BinaryMode;
	/** Extra credential types (test-only); the package's credentials/*.credentials.ts load automatically. */
	credentialTypes?: ICredentialType[];
	/** Set false to skip loading credentials/*.credentials.ts (e.g. while another engineer's file is broken). */
	loadPackageCredentials?: boolean;
	/** Workflow timezone (default UTC). */
	timezone?: string;
}

export interface NodeRunOptions {
	parameters?: INodeParameters;
	/** Items the node receives; default one empty item. */
	input?: INodeExecutionData[];
	/** n8n's "On Error: Continue" (onError = continueRegularOutput). */
	continueOnFail?: boolean;
	/** Which stored credential id the node uses per type; default every stored type with id = type. */
	credentialsFor?: Record<string, string>;
	typeVersion?: number;
	nodeName?: string;
	mode?: WorkflowExecuteMode;
}

export interface PollRunOptions extends Omit<NodeRunOptions, 'input' | 'continueOnFail'> {
	/** The node's static data; kept (mutated) across polls. JSON-roundtrip it to simulate an n8n restart. */
	staticData?: IDataObject;
	/** 'manual' = "Fetch Test Event" in the editor; 'trigger' = the active workflow polling. */
	mode?: WorkflowExecuteMode;
}

export interface WebhookRunOptions extends PollRunOptions {
	/** n8n's webhook base URL (e.g. a local test server's `http://127.0.0.1:port/webhook`). */
	webhookBaseUrl?: string;
	/** The node's webhookId (n8n gives every webhook node one): its URL is `{base}/{webhookId}/{path}`. */
	webhookId?: string;
}

/** What a webhook call gives the node: the request as n8n's express request, and the response to answer on. */
export interface WebhookCall {
	request: { body: unknown; query: Record<string, string>; headers: Record<string, string | string[] | undefined> };
	response: unknown;
}

interface BuiltWorkflow {
	workflow: Workflow;
	node: INode;
	additionalData: IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

export class Harness {
	readonly credentialsHelper: TestCredentialsHelper;
	readonly binaryMode: BinaryMode;
	readonly workflowId = 'harness-workflow';
	/** The engine's full result of the last `execute` (run data, task errors, execution status). */
	lastRun: IRun | undefined;

	/** Where filesystem-mode binary files are written. */
	readonly binaryStoragePath: string;

	private readonly initialCredentialIds: string[];
	private readonly binaryDataService: BinaryDataService;
	private readonly tempDir: string;
	private cleanedUp = false;
	private readonly ready: Promise<void>;
	private readonly timezone: string;

	constructor(options: HarnessOptions = {}) {
		ensureContainer();
		this.binaryMode = options.binaryMode ?? 'default';
		this.timezone = options.timezone ?? 'UTC';
		this.tempDir = newTempDir('harness-');
		const storagePath = `${this.tempDir}/binary`;
		mkdirSync(storagePath, { recursive: true });
		this.binaryStoragePath = storagePath;
		const types = new CredentialTypeRegistry(options.credentialTypes ?? [], options.loadPackageCredentials ?? true);
		this.credentialsHelper = new TestCredentialsHelper(types);
		this.initialCredentialIds = Object.keys(options.credentials ?? {});
		const saves = Object.entries(options.credentials ?? {}).map(
			async ([type, data]) => await this.credentialsHelper.save(type, type, data),
		);
		const binary = createBinaryDataService(this.binaryMode, storagePath);
		this.binaryDataService = binary.service;
		this.ready = Promise.all([binary.ready, ...saves]).then(() => undefined);
		// getDecrypted must not read the store before the initial saves are done.
		this.credentialsHelper.whenReady(this.ready);
	}

	/** Runs `nodeType.execute` through n8n-core's WorkflowExecute after an input node; returns the node's output. */
	async execute(nodeType: AnyNodeType, options: NodeRunOptions = {}): Promise<INodeExecutionData[][]> {
		await this.activate();
		const input = options.input ?? [{ json: {} }];
		const thrown: unknown[] = [];
		const built = this.buildWorkflow(nodeType, options, () => input, true, undefined, (error) => thrown.push(error));
		const mode = options.mode ?? 'manual';
		const runData: IWorkflowBase = {
			id: this.workflowId,
			name: 'Harness workflow',
			active: false,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
			nodes: Object.values(built.workflow.nodes),
			connections: built.workflow.connectionsBySourceNode,
		} as IWorkflowBase;
		built.additionalData.hooks = new ExecutionLifecycleHooks(mode, built.additionalData.executionId as string, runData);
		const run: IRun = await new WorkflowExecute(built.additionalData, mode).run({
			workflow: built.workflow,
			startNode: built.workflow.getNode(INPUT_NODE_NAME) ?? undefined,
		});
		this.lastRun = run;
		const taskData = run.data.resultData.runData[built.node.name]?.[0];
		// The node failed and did not continue: throw what it threw (the engine keeps only a plain copy).
		// With "continue on fail" the engine still records taskData.error but passes data on, as n8n does.
		const failed = taskData ? taskData.error !== undefined && !options.continueOnFail : true;
		if (failed && run.data.resultData.error) throw thrown.at(-1) ?? run.data.resultData.error;
		if (!taskData?.data) return [];
		return (taskData.data[NodeConnectionTypes.Main] ?? []).map((items) => items ?? []);
	}

	/** A real ExecuteContext for calling shared-layer functions directly (no engine run). */
	executeContext(nodeType: AnyNodeType, options: NodeRunOptions = {}): ExecuteContext {
		activateBinaryDataService(this.binaryDataService);
		const input = options.input ?? [{ json: {} }];
		const { workflow, node, additionalData } = this.buildWorkflow(nodeType, options, () => input, false);
		const runExecutionData: IRunExecutionData = createRunExecutionData();
		const inputData = { main: [input] };
		const executeData: IExecuteData = {
			node,
			data: inputData,
			source: { main: [{ previousNode: INPUT_NODE_NAME }] },
		};
		return new ExecuteContext(workflow, node, additionalData, options.mode ?? 'manual', runExecutionData, 0, input, inputData, executeData, []);
	}

	/** A real LoadOptionsContext (listSearch / loadOptions methods); parameters are the editor's current values. */
	loadOptionsContext(nodeType: AnyNodeType, options: NodeRunOptions & { path?: string } = {}): LoadOptionsContext {
		activateBinaryDataService(this.binaryDataService);
		const { workflow, node, additionalData } = this.buildWorkflow(nodeType, options, () => [], false);
		additionalData.currentNodeParameters = node.parameters;
		return new LoadOptionsContext(workflow, node, additionalData, options.path ?? '');
	}

	/** A real PollContext; `staticData` is the node's static data object and is mutated in place. */
	pollContext(nodeType: AnyNodeType, options: PollRunOptions = {}): PollContext {
		activateBinaryDataService(this.binaryDataService);
		const staticData = options.staticData ?? {};
		const built = this.buildWorkflow(nodeType, options, () => [], false, staticData);
		const mode = options.mode ?? 'trigger';
		const context = new PollContext(built.workflow, built.node, built.additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
		return context;
	}

	/** A real HookContext (webhookMethods: checkExists / create / delete on activation and deactivation). */
	hookContext(nodeType: AnyNodeType, options: WebhookRunOptions = {}): HookContext {
		activateBinaryDataService(this.binaryDataService);
		const built = this.buildWebhookWorkflow(nodeType, options);
		return new HookContext(built.workflow, built.node, built.additionalData, options.mode ?? 'trigger', 'activate', built.webhookData);
	}

	/** A real WebhookContext for one call of the node's webhook (as n8n builds it for a production webhook). */
	webhookContext(nodeType: AnyNodeType, call: WebhookCall, options: WebhookRunOptions = {}): WebhookContext {
		activateBinaryDataService(this.binaryDataService);
		const built = this.buildWebhookWorkflow(nodeType, options);
		Object.assign(built.additionalData, { httpRequest: call.request, httpResponse: call.response });
		return new WebhookContext(built.workflow, built.node, built.additionalData, options.mode ?? 'webhook', built.webhookData, [], null);
	}

	private buildWebhookWorkflow(nodeType: AnyNodeType, options: WebhookRunOptions) {
		const built = this.buildWorkflow(nodeType, options, () => [], false, options.staticData ?? {});
		if (options.webhookId) built.node.webhookId = options.webhookId;
		if (options.webhookBaseUrl) built.additionalData.webhookBaseUrl = options.webhookBaseUrl;
		const description = ('webhooks' in nodeType.description ? nodeType.description.webhooks : undefined)?.[0];
		if (!description) throw new Error(`Node "${built.node.type}" has no webhook`);
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: built.node.name,
			path: String(description.path),
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: built.additionalData,
			webhookId: options.webhookId,
		};
		return { ...built, webhookData };
	}

	/** Runs `nodeType.poll` once in a fresh PollContext (as n8n does on each poll tick). */
	async poll(nodeType: AnyNodeType, options: PollRunOptions = {}): Promise<INodeExecutionData[][] | null> {
		await this.activate();
		const context = this.pollContext(nodeType, options);
		const { poll } = context.nodeType;
		if (!poll) throw new Error(`Node "${context.node.type}" has no poll method`);
		return await poll.call(context);
	}

	/** The node static data a poll context works on (a live view, n8n's ObservableObject). */
	pollStaticData(context: PollContext): IDataObject {
		return context.getWorkflowStaticData('node');
	}

	/** What the credential store holds for `type` now (or for a specific stored id). */
	async storedCredentials(type: string, id = type): Promise<ICredentialDataDecryptedObject | undefined> {
		await this.ready;
		const data = await this.credentialsHelper.stored(id);
		return data;
	}

	async binaryToBuffer(binary: IBinaryData): Promise<Buffer> {
		await this.activate();
		return await this.binaryDataService.getAsBuffer(binary);
	}

	async binaryToStream(binary: IBinaryData): Promise<Readable> {
		await this.activate();
		if (binary.id) return await this.binaryDataService.getAsStream(binary.id);
		return Readable.from(await this.binaryToBuffer(binary));
	}

	/** Stores a buffer or stream like a node's `helpers.prepareBinaryData` does (filesystem mode streams to disk). */
	async prepareBinary(data: Buffer | Readable, fileName: string, mimeType?: string): Promise<IBinaryData> {
		await this.activate();
		const executionId = `harness-${++executionCounter}`;
		const context = this.bareContext(executionId);
		return await context.helpers.prepareBinaryData(data, fileName, mimeType);
	}

	async cleanup(): Promise<void> {
		if (this.cleanedUp) return;
		this.cleanedUp = true;
		await this.ready.catch(() => undefined);
		releaseTempDir(this.tempDir);
	}

	/** Makes this harness's BinaryDataService the one n8n-core uses, once its set-up is done. */
	private async activate(): Promise<void> {
		activateBinaryDataService(this.binaryDataService);
		await this.ready;
		activateBinaryDataService(this.binaryDataService);
	}

	private bareContext(executionId: string): ExecuteContext {
		const workflow = new Workflow({
			id: this.workflowId,
			nodes: [],
			connections: {},
			active: false,
			nodeTypes: new HarnessNodeTypes(bareNodeType('harnessEmpty', 'Harness'), () => []),
			settings: { timezone: this.timezone },
		});
		const node: INode = { id: 'prepare', name: 'Prepare', type: INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
		const additionalData = this.additionalData(executionId);
		const input = { main: [[]] };
		return new ExecuteContext(workflow, node, additionalData, 'manual', createRunExecutionData(), 0, [], input, { node, data: input, source: null }, []);
	}

	private nodeCredentials(options: NodeRunOptions): INodeCredentials {
		// Known synchronously: contexts may be created before the initial (async) saves finish.
		const known = new Set([...this.initialCredentialIds, ...this.credentialsHelper.storedIds()]);
		const ids = options.credentialsFor ?? Object.fromEntries([...known].map((id) => [id, id]));
		return Object.fromEntries(Object.entries(ids).map(([type, id]) => [type, { id, name: id }]));
	}

	private buildWorkflow(
		nodeType: AnyNodeType,
		options: NodeRunOptions,
		inputItems: () => INodeExecutionData[],
		withInputNode: boolean,
		staticData?: IDataObject,
		onNodeError?: (error: unknown) => void,
	): BuiltWorkflow {
		const typeName = `${PACKAGE_PREFIX}.${nodeType.description.name}`;
		const node: INode = {
			id: 'node-under-test',
			name: options.nodeName ?? defaultNodeName(nodeType),
			type: typeName,
			typeVersion: options.typeVersion ?? latestVersion(nodeType),
			position: [200, 0],
			parameters: structuredClone(options.parameters ?? {}),
			credentials: this.nodeCredentials(options),
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		};
		const nodes: INode[] = [node];
		const inputNode: INode = { id: 'input', name: INPUT_NODE_NAME, type: INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
		if (withInputNode) nodes.unshift(inputNode);
		const workflow = new Workflow({
			id: this.workflowId,
			name: 'Harness workflow',
			nodes,
			connections: withInputNode
				? { [INPUT_NODE_NAME]: { main: [[{ node: node.name, type: 'main', index: 0 }]] } }
				: {},
			active: false,
			nodeTypes: new HarnessNodeTypes(nodeType, inputItems, onNodeError),
			staticData: staticData ? { [`node:${node.name}`]: staticData } : undefined,
			settings: { timezone: this.timezone, executionOrder: 'v1' },
		});
		const additionalData = this.additionalData(`harness-${++executionCounter}`);
		return { workflow, node: workflow.getNode(node.name) as INode, additionalData };
	}

	private additionalData(executionId: string): IWorkflowExecuteAdditionalData {
		const unavailable = async (): Promise<never> => {
			throw new Error('Not available in the test harness');
		};
		return {
			credentialsHelper: this.credentialsHelper,
			executeWorkflow: unavailable,
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
			executionId,
			restApiUrl: 'http://127.0.0.1:5678/rest',
			instanceBaseUrl: 'http://127.0.0.1:5678/',
			formBaseUrl: 'http://127.0.0.1:5678/form',
			formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
			formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
			webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
			webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
			mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
			mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
			variables: {},
			logAiEvent: () => undefined,
			userId: 'harness-user',
		} as unknown as IWorkflowExecuteAdditionalData;
	}
}

/** The name the editor gives a new node of this type. */
function defaultNodeName(nodeType: AnyNodeType): string {
	const description = 'defaults' in nodeType.description ? nodeType.description : undefined;
	return (description?.defaults.name as string | undefined) ?? nodeType.description.displayName;
}


export function createHarness(options: HarnessOptions = {}): Harness {
	return new Harness(options);
}
