import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { authenticationOf, readParameter, type AnyOneDriveContext } from '../descriptions/authentication';
import { DRIVE_PARAMETERS, type DriveLocation } from '../descriptions/driveLocation';

export interface DriveRef {
	/** Graph path of the drive, without version: `/me/drive`, `/users/{u}/drive`, `/groups/{g}/drive`, `/drives/{id}`. */
	basePath: string;
	/** Known when the drive was picked by ID (site libraries); otherwise learned from the first driveItem. */
	driveId?: string;
}

/** Reads a resource locator's value (string) from any context; '' when unset. */
export function locatorValue(ctx: AnyOneDriveContext, name: string, itemIndex = 0): string {
	const raw = readParameter(ctx, name, itemIndex, undefined);
	const value = raw && typeof raw === 'object' && 'value' in raw ? (raw as { value: unknown }).value : raw;
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** Reads a resource locator's mode ('list', 'url', 'id', ...). */
export function locatorMode(ctx: AnyOneDriveContext, name: string, itemIndex = 0): string {
	const raw = readParameter(ctx, name, itemIndex, undefined);
	return raw && typeof raw === 'object' && 'mode' in raw ? String((raw as { mode: unknown }).mode) : 'id';
}

function missing(ctx: AnyOneDriveContext, field: string, what: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `"${field}" is empty: ${what}`, { itemIndex });
}

/**
 * Graph path of a SharePoint site from the Site locator: `/sites/{id}` or, for a pasted URL,
 * `/sites/{hostname}:/{server-relative path}:` (Graph's path addressing; the trailing colon lets
 * a segment such as `/drives` follow).
 */
export function sitePathOf(ctx: AnyOneDriveContext, itemIndex = 0): string {
	const value = locatorValue(ctx, DRIVE_PARAMETERS.site, itemIndex);
	if (!value) throw missing(ctx, 'Site', 'pick a SharePoint site from the list, paste its URL or enter its ID', itemIndex);
	if (locatorMode(ctx, DRIVE_PARAMETERS.site, itemIndex) !== 'url') return `/sites/${encodePathSegment(value, 'Site')}`;
	// The URL parser would silently collapse `..` (also `%2e%2e`) into another site: check the raw path first.
	for (const part of value.split(/[?#]/)[0].split('/').slice(3)) if (part !== '') encodePathSegment(part, 'Site');
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `"Site" URL "${value}" is not a valid URL`, {
			itemIndex,
			description: 'Paste the address of the site, e.g. https://contoso.sharepoint.com/sites/Team',
		});
	}
	if (url.protocol !== 'https:') {
		throw new NodeOperationError(ctx.getNode(), '"Site" URL must start with https://', { itemIndex });
	}
	let segments: string[];
	try {
		segments = url.pathname
			.split('/')
			.filter(Boolean)
			.map((s) => decodeURIComponent(s));
	} catch {
		throw new NodeOperationError(ctx.getNode(), '"Site" URL has a broken %-escape', { itemIndex });
	}
	// Cut pasted library/page tails: `/sites/Team/Shared Documents/Forms/AllItems.aspx` → `/sites/Team`.
	const siteRoot = segments[0] === 'sites' || segments[0] === 'teams' ? segments.slice(0, 2) : [];
	if (segments.some((s) => s === '..' || s === '.')) {
		throw new NodeOperationError(ctx.getNode(), '"Site" URL may not contain "." or ".." segments', { itemIndex });
	}
	const host = encodePathSegment(url.hostname.toLowerCase(), 'Site');
	if (siteRoot.length === 0) return `/sites/${host}`;
	return `/sites/${host}:/${siteRoot.map((segment) => encodePathSegment(segment, 'Site')).join('/')}:`;
}

/** Where the chosen drive lives in Graph. No request is sent. */
export function resolveDrive(ctx: AnyOneDriveContext, itemIndex = 0): DriveRef {
	const location = (readParameter(ctx, DRIVE_PARAMETERS.location, itemIndex, 'myDrive') || 'myDrive') as DriveLocation;
	switch (location) {
		case 'myDrive':
			if (authenticationOf(ctx, itemIndex) === 'clientCredentials') {
				throw new NodeOperationError(ctx.getNode(), '"Drive" is "My OneDrive", which needs a signed-in user', {
					itemIndex,
					description:
						"Choose a user's OneDrive (or a group's or site's drive) — app-only sign-in has no signed-in user.",
				});
			}
			return { basePath: '/me/drive' };
		case 'userDrive': {
			const user = locatorValue(ctx, DRIVE_PARAMETERS.user, itemIndex);
			if (!user) throw missing(ctx, 'User', 'pick a user or enter a UPN (alice@contoso.com) or object ID', itemIndex);
			return { basePath: `/users/${encodePathSegment(user, 'User')}/drive` };
		}
		case 'groupDrive': {
			const group = locatorValue(ctx, DRIVE_PARAMETERS.group, itemIndex);
			if (!group) throw missing(ctx, 'Group', 'pick a group or enter its object ID', itemIndex);
			return { basePath: `/groups/${encodePathSegment(group, 'Group')}/drive` };
		}
		case 'siteLibrary': {
			const library = locatorValue(ctx, DRIVE_PARAMETERS.library, itemIndex);
			if (library) return { basePath: `/drives/${encodePathSegment(library, 'Library')}`, driveId: library };
			// No library chosen: the site's default document library.
			return { basePath: `${sitePathOf(ctx, itemIndex)}/drive` };
		}
		default:
			throw new NodeOperationError(ctx.getNode(), `"Drive" has an unknown value "${String(location)}"`, {
				itemIndex,
				description: 'Choose My OneDrive, a user\'s OneDrive, a group\'s drive or a SharePoint site library',
			});
	}
}
