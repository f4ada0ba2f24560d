/** OneDrive addressing: drive-relative paths and sharing-URL IDs. */
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
