/** Escaping user values for OData queries and URL paths (Graph, Dataverse, F&O, Business Central). */

/** An OData string literal: wrapped in single quotes, inner single quotes doubled (`O'Brien` → `'O''Brien'`). */
export function odataString(value: string): string {
	return `'${String(value).replace(/'/g, "''")}'`;
}

/**
 * One URL path segment. Stricter than encodeURIComponent: also encodes `! ' ( ) *`, because `'` and `()`
 * delimit OData keys and function parameters inside paths.
 */
export function encodePathSegment(value: string): string {
	return encodeURIComponent(String(value)).replace(
		/[!'()*]/g,
		(ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

/**
 * A drive path for `root:/path:` addressing: each segment encoded (`#`, `%`, `?`, spaces, ...), `/` kept,
 * always starting with `/`, no empty segments. `drivePath('/Reports/2026/a#b.txt')` → `/Reports/2026/a%23b.txt`.
 */
export function drivePath(path: string): string {
	const segments = String(path)
		.split('/')
		.filter((segment) => segment.length > 0);
	if (segments.some((segment) => segment === '.' || segment === '..')) {
		throw new Error(`Path "${path}" contains "." or ".." segments, which OneDrive paths cannot use`);
	}
	return '/' + segments.map(encodePathSegment).join('/');
}

/**
 * Sharing-URL id for `/shares/{id}`: `u!` + base64url(url) without padding (Microsoft Graph "Access shared items").
 */
export function shareIdFromUrl(url: string): string {
	const base64 = Buffer.from(url, 'utf8').toString('base64');
	return 'u!' + base64.replace(/=+$/, '').replace(/\//g, '_').replace(/\+/g, '-');
}
