/** OneDrive addressing: drive-relative paths and sharing-URL IDs. */
import type { IDataObject } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';

/**
 * A drive path for `root:/path:` addressing: each segment encoded (`#`, `%`, `?`, spaces, ...), `/` kept,
 * always starting with `/`, no empty segments; `.` / `..` segments (also encoded) are refused naming `field`.
 * `drivePath('/Reports/2026/a#b.txt', 'File')` → `/Reports/2026/a%23b.txt`.
 */
export function drivePath(path: string, field: string): string {
	const segments = String(path)
		.split('/')
		.filter((segment) => segment.length > 0);
	return '/' + segments.map((segment) => encodePathSegment(segment, field)).join('/');
}

/**
 * Sharing-URL id for `/shares/{id}`: `u!` + base64url(url) without padding (Microsoft Graph "Access shared items").
 */
export function shareIdFromUrl(url: string): string {
	const base64 = Buffer.from(url, 'utf8').toString('base64');
	return 'u!' + base64.replace(/=+$/, '').replace(/\//g, '_').replace(/\+/g, '-');
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** `/drive/root:/Reports/2026` → `Reports/2026`; '' for the root; undefined when Graph left the path out. */
export function parentPathOf(item: IDataObject): string | undefined {
	const path = (item.parentReference as IDataObject | undefined)?.path;
	if (typeof path !== 'string') return undefined;
	const at = path.indexOf('root:');
	if (at < 0) return undefined;
	return safeDecode(path.slice(at + 'root:'.length)).replace(/^\/+|\/+$/g, '');
}
