/**
 * Pasted OneDrive / SharePoint URLs: classify them, refuse foreign hosts, and turn them into Graph share IDs.
 * A pasted URL is only ever parsed and encoded — it is never fetched (our token must not go to it).
 */

export type SharingUrlKind = 'personal' | 'business' | 'sharepoint' | 'custom';

export interface ParsedSharingUrl {
	url: string;
	host: string;
	kind: SharingUrlKind;
	/** `/:x:/s/Team/...`, `1drv.ms/...` or `?...&e=` style links created by "Share". */
	isSharingLink: boolean;
}

/** Thrown for unusable URLs; callers turn it into a NodeOperationError naming the field. */
export class SharingUrlError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'SharingUrlError';
	}
}

const PERSONAL_HOSTS = new Set(['onedrive.live.com', '1drv.ms', 'onedrive.com', 'www.onedrive.com']);
/** SharePoint Online domains of the commercial, GCC High, DoD and China clouds. */
const SHAREPOINT_SUFFIXES = ['.sharepoint.com', '.sharepoint.us', '.sharepoint-mil.us', '.sharepoint.cn'];

function sharepointSuffix(host: string): string | undefined {
	return SHAREPOINT_SUFFIXES.find((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/**
 * Parses a pasted link. `extraHosts` (host[:port], lower case) are accepted too — the custom cloud's own
 * hosts, e.g. a proxy or the local sandbox.
 */
export function parseSharingUrl(input: string, extraHosts: Iterable<string> = []): ParsedSharingUrl {
	const text = input.trim();
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new SharingUrlError(`"${text}" is not a URL`, 'Paste the full link, starting with https://');
	}
	if (url.protocol !== 'https:') {
		throw new SharingUrlError('The link must start with https://', 'Copy the link again from OneDrive or SharePoint');
	}
	if (url.username || url.password) {
		throw new SharingUrlError('The link may not contain a user name or password', 'Remove the "user:password@" part');
	}
	const host = url.hostname.toLowerCase();
	const hostWithPort = url.host.toLowerCase();
	let kind: SharingUrlKind | undefined;
	if (PERSONAL_HOSTS.has(host)) kind = 'personal';
	else if (sharepointSuffix(host)) kind = host.split('.')[0].endsWith('-my') ? 'business' : 'sharepoint';
	else if (new Set(extraHosts).has(hostWithPort)) kind = 'custom';
	if (!kind) {
		throw new SharingUrlError(
			`The link is on "${host}", which is not a OneDrive or SharePoint host`,
			'Use a link from onedrive.live.com, 1drv.ms or your-tenant.sharepoint.com (or -my.sharepoint.com)',
		);
	}
	const isSharingLink =
		host === '1drv.ms' || /^\/:[a-z]:\//i.test(url.pathname) || url.searchParams.has('e') || url.pathname.startsWith('/redir');
	// Encode the link as pasted (Graph matches it), minus the fragment, which is browser-only state.
	const hashAt = text.indexOf('#');
	return { url: hashAt >= 0 ? text.slice(0, hashAt) : text, host, kind, isSharingLink };
}

/** Graph share ID of a URL (`u!` + base64url without padding); one implementation, in shared/odata. */
export { shareIdFromUrl as encodeShareId } from './paths';
