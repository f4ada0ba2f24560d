/**
 * One rule for what Microsoft objects may carry into a node's output. Pre-authenticated URLs (a driveItem's
 * `@microsoft.graph.downloadUrl`, valid for about an hour and usable by anyone holding it) would land in
 * execution logs: they are removed everywhere in the output unless the user explicitly asks for them.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** Property names that hold a pre-authenticated URL (any annotation prefix: `@microsoft.graph.`, `@content.`). */
const PRE_AUTHENTICATED_URL_KEY = /(^|[.@])downloadUrl$/i;

export function isPreAuthenticatedUrlKey(key: string): boolean {
	return PRE_AUTHENTICATED_URL_KEY.test(key);
}

function isPlainContainer(value: unknown): value is object {
	return !!value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date);
}

/** Does `value` hold a pre-authenticated URL at any depth? (A scan allocates nothing, unlike a copy.) */
function holdsPreAuthenticatedUrl(value: unknown): boolean {
	if (Array.isArray(value)) return value.some(holdsPreAuthenticatedUrl);
	if (!isPlainContainer(value)) return false;
	for (const key in value) {
		if (!Object.hasOwn(value, key)) continue;
		if (isPreAuthenticatedUrlKey(key) || holdsPreAuthenticatedUrl((value as IDataObject)[key])) return true;
	}
	return false;
}

/**
 * `value` without pre-authenticated URLs at any depth (arrays and nested objects included): a copy of the parts that
 * hold one, the value itself when none does (a listing of thousands of simplified items is returned without copying
 * each one; the input is never changed).
 */
export function withoutPreAuthenticatedUrls<T>(value: T): T {
	if (!holdsPreAuthenticatedUrl(value)) return value;
	if (Array.isArray(value)) return value.map((entry) => withoutPreAuthenticatedUrls(entry)) as T;
	const copy: IDataObject = {};
	for (const [key, entry] of Object.entries(value as IDataObject)) {
		if (isPreAuthenticatedUrlKey(key)) continue;
		copy[key] = withoutPreAuthenticatedUrls(entry);
	}
	return copy as T;
}

/** Parameter name of the explicit opt-in; the router reads it for every operation that offers it. */
export const INCLUDE_PRE_AUTHENTICATED_URLS = 'includeDownloadUrl';

/** The opt-in field for operations whose raw output has download URLs. */
export function includeDownloadUrlProperty(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Include Download URL',
		name: INCLUDE_PRE_AUTHENTICATED_URLS,
		type: 'boolean',
		default: false,
		description:
			'Whether to keep "@microsoft.graph.downloadUrl" in the output. Anyone holding that URL can download the file for about an hour without signing in, and it is stored in the execution log; leave off unless another system needs it.',
		displayOptions,
	};
}
