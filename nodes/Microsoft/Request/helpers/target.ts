/**
 * Where the Request node sends: the credential's API base URL, and the user's path or full URL checked against it
 * before anything is sent (no dot segments that would climb out of the base, no control characters, only the
 * credential's hosts). The API base URL itself comes from shared/resourceApi.ts.
 */
import type { MicrosoftConnection } from '../../shared/connection';
import { assertWellFormedText, InputValueError, pathSegmentProblem } from '../../shared/input';
import { isAbsoluteUrl, isAllowedUrl } from '../../shared/transport';

/**
 * A relative path that already names the API's root (`/v1.0/me`, `/api/data/v9.2/accounts`, F&O's `/data/CustomersV3`,
 * Business Central's `/v2.0/{tenant}/…`) joins to the host's root.
 */
function rootFor(conn: MicrosoftConnection, path: string, base: string): string {
	if (conn.resource === 'graph' && /^\/?(?:v1\.0|beta)(?:[/?]|$)/i.test(path)) return conn.graphUrl;
	if (conn.resource === 'dataverse' && /^\/?api\/data\//i.test(path)) return conn.resourceUrl!;
	if (conn.resource === 'financeOperations' && /^\/?data(?:[/?]|$)/.test(path)) return conn.resourceUrl!;
	if (conn.resource === 'businessCentral' && /^\/?v2\.0\//i.test(path)) return conn.resourceUrl!;
	return base;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const HINT_PATH =
	'Enter a path relative to the API (e.g. /me/messages or accounts) or a full https URL on the credential\'s hosts, without "." or ".." segments; nothing was sent.';

/**
 * Refuses `.` / `..` segments in any spelling (encoded, full-width, between encoded slashes) in the path of `raw`, also
 * between the colons of Graph's path addressing (`root:/..:`).
 */
function assertNoDotSegments(raw: string): void {
	const path = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0];
	for (const segment of path.split(/[/\\:]/)) {
		if (!segment) continue;
		const problem = pathSegmentProblem(segment);
		if (problem) throw new InputValueError('URL', `path segment ${problem}`, HINT_PATH);
	}
}

/**
 * The absolute URL for the user's `URL` field: a relative path joined to `base` (the API base of the credential), or a
 * full URL that must be https on the credential's hosts. Throws an InputValueError naming "URL" otherwise.
 */
export function resolveUserUrl(conn: MicrosoftConnection, value: string, base: string): string {
	const raw = assertWellFormedText(value.trim(), 'URL');
	if (!raw) throw new InputValueError('URL', 'is empty', HINT_PATH);
	if (CONTROL.test(raw)) throw new InputValueError('URL', 'contains a line break or control character', HINT_PATH);
	assertNoDotSegments(raw);
	let joined = raw;
	if (!isAbsoluteUrl(raw)) {
		const root = rootFor(conn, raw, base).replace(/\/+$/, '');
		joined = `${root}${raw.startsWith('/') ? '' : '/'}${raw}`;
	}
	let url: URL;
	try {
		url = new URL(joined);
	} catch {
		throw new InputValueError('URL', `is not a valid URL: "${raw}"`, HINT_PATH);
	}
	url.hash = '';
	if (!isAllowedUrl(conn, url.href)) {
		const host = url.host.toLowerCase();
		const problem =
			url.protocol !== 'https:'
				? `must use https:// (got ${url.protocol}//${url.host})`
				: url.username || url.password
					? 'must not contain a user name or password'
					: conn.allowedHosts.has(host)
						? `is outside the credential's base path on ${url.host}`
						: `points to host "${url.host}", which may not receive this credential's token`;
		throw new InputValueError(
			'URL',
			problem,
			`This credential's token goes only to ${[...conn.allowedHosts].join(', ')}. Use a path relative to ${base} or a full URL on those hosts; nothing was sent.`,
		);
	}
	return url.href;
}

/** The path of an absolute URL (for error messages: "While trying to GET /v1.0/me"), never its query. */
export function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}
