/**
 * A test implementation of n8n-workflow's ICredentialsHelper that behaves like the one in n8n's `cli`
 * package, with an in-memory store instead of the database:
 * - stored data is encrypted with n8n-core's real `Credentials` class (as in n8n's database);
 * - `getDecrypted` applies the credential type's defaults (parents merged through `extends`), keeps
 *   `oauthTokenData`, and resolves `=`-expressions with `$self` = the credential's own data;
 * - `authenticate` applies the type's `authenticate` (function form, or generic headers/qs/body/auth
 *   with `{{$credentials.x}}` resolved);
 * - `preAuthentication` calls the type's `preAuthentication` when its hidden expirable field is empty or
 *   the caller says the credential expired (n8n-core does that after a 401), then persists the result;
 * - `updateCredentials` / `updateCredentialsOauthTokenData` persist, so rotated tokens are assertable.
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import {
	deepCopy,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialsExpressionResolveValues,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialTypeRegistry } from './credentialTypes';
import { bareNodeType } from './nodeTypes';

/** One entry of the helper's call log, for tests that assert n8n's call sequence. */
export interface CredentialsHelperCall {
	method: 'getDecrypted' | 'authenticate' | 'preAuthentication' | 'runPreAuthentication' | 'updateCredentials' | 'updateCredentialsOauthTokenData';
	type: string;
	/** preAuthentication: the "expired" flag n8n-core passed; getDecrypted: the raw flag. */
	flag?: boolean;
	/** preAuthentication: whether the credential type's preAuthentication was actually called. */
	called?: boolean;
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
	encrypted: string;
}

/** Credential expressions are evaluated on a throw-away workflow, as n8n does outside a run. */
const expressionNode: INode = {
	id: 'credential-expression',
	name: 'Credential expression',
	type: 'harness.credentialExpression',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const expressionNodeType = bareNodeType('harness.credentialExpression', 'Credential expression');
const expressionNodeTypes: INodeTypes = {
	getByName: () => expressionNodeType,
	getByNameAndVersion: () => expressionNodeType,
	getKnownTypes: () => ({}),
};

function expressionWorkflow(): Workflow {
	return new Workflow({ nodes: [expressionNode], connections: {}, active: false, nodeTypes: expressionNodeTypes });
}

export class TestCredentialsHelper extends ICredentialsHelper {
	readonly calls: CredentialsHelperCall[] = [];

	private readonly store = new Map<string, StoredCredential>();

	private ready: Promise<unknown> = Promise.resolve();

	constructor(private readonly types: CredentialTypeRegistry) {
		super();
	}

	/** Reads wait for this (the harness's initial saves). */
	whenReady(ready: Promise<unknown>): void {
		this.ready = ready.catch(() => undefined);
	}

	/** Stores (encrypted) credential data under `id`; `id` is what node.credentials[type].id points to. */
	async save(id: string, type: string, data: ICredentialDataDecryptedObject, name = id): Promise<void> {
		this.types.get(type); // unknown type → clear error now, not at request time
		const credentials = new Credentials({ id, name }, type);
		await credentials.setData(deepCopy(data));
		this.store.set(id, { id, name, type, encrypted: credentials.getDataToSave().data as string });
	}

	/** What is stored now (decrypted, without defaults), or undefined. */
	async stored(id: string): Promise<ICredentialDataDecryptedObject | undefined> {
		const entry = this.store.get(id);
		if (!entry) return undefined;
		return await new Credentials({ id: entry.id, name: entry.name }, entry.type, entry.encrypted).getData();
	}

	storedIds(): string[] {
		return [...this.store.keys()];
	}

	getParentTypes(name: string): string[] {
		return this.types.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.types.has(credentialType)) return true;
		const type = this.types.get(credentialType);
		if (type.restrictToSupportedNodes !== true) return true;
		return (type.supportedNodes ?? []).includes(nodeType);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		await this.ready;
		const entry = nodeCredentials.id ? this.store.get(nodeCredentials.id) : undefined;
		if (!entry || entry.type !== type) {
			throw new Error(`Credential with ID "${nodeCredentials.id ?? ''}" of type "${type}" is not stored in the harness`);
		}
		return new Credentials({ id: entry.id, name: entry.name }, entry.type, entry.encrypted);
	}

	/** The type's properties with its parents' merged in first (n8n adds `oauthTokenData` to the OAuth bases). */
	getCredentialsProperties(type: string): INodeProperties[] {
		const typeData = this.types.get(type);
		if (typeData.extends === undefined) {
			if (type === 'oAuth2Api' || type === 'oAuth1Api') {
				return [
					...typeData.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return typeData.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of typeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, typeData.properties);
		return combined;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.calls.push({ method: 'getDecrypted', type, flag: raw === true });
		const original = await (await this.getCredentials(nodeCredentials, type)).getData();
		if (raw === true) return original;
		return this.applyDefaultsAndResolve(additionalData, original, type, mode, executeData, expressionResolveValues);
	}

	/** Defaults + `=`-expressions over `$self`, without going through the store (also used for direct tests). */
	applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		original: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode = 'internal',
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		let data = NodeHelpers.getNodeParameters(properties, original as INodeParameters, true, false, null, null) as ICredentialDataDecryptedObject;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: false });
		try {
			if (expressionResolveValues) {
				data = expressionResolveValues.workflow.expression.getParameterValue(
					data as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					data,
				) as ICredentialDataDecryptedObject;
			} else {
				data = expressionWorkflow().expression.getComplexParameterValue(
					expressionNode,
					data as INodeParameters,
					mode,
					additionalKeys,
					undefined,
					undefined,
					data,
				) as ICredentialDataDecryptedObject;
			}
		} catch (error) {
			if (error instanceof Error) error.message += ' [Error resolving credentials]';
			throw error;
		}
		return data;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.calls.push({ method: 'authenticate', type: typeName });
		const requestOptions = incoming as IHttpRequestOptions;
		const { authenticate } = this.types.get(typeName);
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic') return requestOptions;
		requestOptions.headers ??= {};
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(entries as Record<string, unknown>)) {
				const resolvedKey = this.resolveValue(key, credentials, workflow, node);
				const resolvedValue = this.resolveValue(value, credentials, workflow, node);
				const bucket = (target[section] ??= {});
				bucket[resolvedKey] = resolvedValue;
			}
		}
		return requestOptions;
	}

	/** Resolves one generic-auth value: `={{$credentials.x}}` → its string, falsy → '' (as n8n does). */
	private resolveValue(value: unknown, credentials: ICredentialDataDecryptedObject, workflow?: Workflow, node?: INode): string {
		if (!isExpression(value)) return value as string;
		const wf = workflow ?? expressionWorkflow();
		const result = wf.expression.getSimpleParameterValue(
			node ?? expressionNode,
			value as string,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		if (!result) return '';
		return String(result);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const call: CredentialsHelperCall = { method: 'preAuthentication', type: typeName, flag: credentialsExpired, called: false };
		this.calls.push(call);
		const type = this.types.get(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		call.called = true;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const updated: ICredentialDataDecryptedObject = { ...credentials };
		for (const [key, value] of Object.entries(output)) {
			if (value !== undefined && value !== null) updated[key] = value as ICredentialDataDecryptedObject[string];
		}
		const details = node.credentials?.[typeName];
		if (details?.id) await this.updateCredentials(details, typeName, updated);
		return updated;
	}

	/**
	 * Called by n8n-core's OAuth2 path before each signed request and after a refresh. Best reading of
	 * n8n: an OAuth2-based type that also has `preAuthentication` gets it called with the current data;
	 * the result is merged by the caller (n8n-core) and persisted with the token data.
	 */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const call: CredentialsHelperCall = { method: 'runPreAuthentication', type: typeName, called: false };
		this.calls.push(call);
		const type = this.types.get(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (expirable !== undefined && credentials[expirable.name] !== '') return undefined;
		call.called = true;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.calls.push({ method: 'updateCredentials', type });
		const entry = await this.getCredentials(nodeCredentials, type);
		await this.save(entry.id as string, type, data, entry.name);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.calls.push({ method: 'updateCredentialsOauthTokenData', type });
		const entry = (await this.getCredentials(nodeCredentials, type)) as Credentials;
		await entry.updateData({ oauthTokenData: data.oauthTokenData });
		this.store.set(entry.id as string, {
			id: entry.id as string,
			name: entry.name,
			type,
			encrypted: entry.getDataToSave().data as string,
		});
	}
}
