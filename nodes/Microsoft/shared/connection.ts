/** Reads and validates a Microsoft credential once, before any request, into what the transport needs. */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { allowedPathPrefixesFor, CredentialValueError, type ResourceKind } from './clouds';
import type { MicrosoftCredentialType } from './credentialSettings';
import { readCredentialSettings } from './credentialSettings';
import { rememberCredential } from './credentialToken';

/** Every n8n context a Microsoft node or trigger runs in. */
export type MicrosoftContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

export interface MicrosoftConnection {
	credentialType: string;
	/** Graph base URL without version, e.g. https://graph.microsoft.us */
	graphUrl: string;
	/** graphUrl + '/v1.0': what relative request URLs are resolved against. */
	graphBaseUrl: string;
	/** What the token is for: Graph, or a resource API (its 403s need different fixes). */
	resource: ResourceKind;
	/** Resource API base URL (Dataverse, F&O, Business Central, custom) when the credential targets one. */
	resourceUrl?: string;
	/** `host[:port]` (lower case) that may receive this credential's token; nothing else ever does. */
	allowedHosts: Set<string>;
	/** For hosts whose base URL has a path (custom cloud behind a proxy): the token goes only below it. */
	allowedPathPrefixes?: Map<string, string[]>;
	appOnly: boolean;
	tenant: string;
}

export async function getConnection(
	ctx: MicrosoftContext,
	credentialType: MicrosoftCredentialType | string,
	itemIndex?: number,
): Promise<MicrosoftConnection> {
	const data = (await (itemIndex === undefined
		? ctx.getCredentials(credentialType)
		: (ctx as IExecuteFunctions).getCredentials(credentialType, itemIndex))) as ICredentialDataDecryptedObject;
	let settings: ReturnType<typeof readCredentialSettings>;
	try {
		settings = readCredentialSettings(credentialType, data);
	} catch (error) {
		if (error instanceof CredentialValueError || (error as { name?: string })?.name === 'CredentialValueError') {
			const { field, message } = error as CredentialValueError;
			throw new NodeOperationError(ctx.getNode(), `Credential field "${field}": ${message}`, {
				description: `Open the ${credentialType} credential and correct "${field}".`,
				itemIndex,
			});
		}
		throw error;
	}
	const graphUrl = settings.cloudHosts.graphUrl.replace(/\/+$/, '');
	const resourceUrl = settings.resource !== 'graph' ? settings.resourceUrl.replace(/\/+$/, '') : undefined;
	const conn: MicrosoftConnection = {
		credentialType,
		graphUrl,
		graphBaseUrl: `${graphUrl}/v1.0`,
		resource: settings.resource,
		resourceUrl,
		allowedHosts: new Set([...settings.allowedHosts].map((host) => host.toLowerCase())),
		allowedPathPrefixes: allowedPathPrefixesFor(settings.cloudHosts, resourceUrl ? [resourceUrl] : []),
		appOnly: settings.appOnly,
		tenant: settings.tenant,
	};
	// The transport sends the token n8n holds with this read, instead of n8n reading the credential per request.
	rememberCredential(conn, data);
	return conn;
}
