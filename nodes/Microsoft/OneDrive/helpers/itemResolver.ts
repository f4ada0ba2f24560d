import type { IDataObject, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CLOUD_HOSTS, hostOf } from '../../shared/clouds';
import type { MicrosoftConnection } from '../../shared/connection';
import { encodePathSegment } from '../../shared/input';
import { httpStatusOf } from '../../shared/errors';
import type { NodeContext } from '../../shared/node/parameters';
import { graphRequest } from '../../shared/transport';
import { ITEM_ID_REGEX, type ItemKind } from '../descriptions/itemLocator';
import type { DriveRef } from './drive';
import { drivePath } from './paths';
import { encodeShareId, parseSharingUrl, SharingUrlError } from './sharingUrl';

export interface ResolvedItem {
	driveId: string;
	itemId: string;
	/** The driveItem as Graph returned it. */
	item: IDataObject;
}

export interface ResolveItemOptions {
	itemIndex?: number;
	/** Display name of the parameter, used in every error ("File", "Destination Folder"). */
	field: string;
	kind: ItemKind;
	/** `$select` for the lookup (the output's fields plus what resolving needs). */
	select?: string;
}

const ID_PATTERN = new RegExp(ITEM_ID_REGEX);
const KNOWN_GRAPH_HOSTS = new Set(Object.values(CLOUD_HOSTS).map((hosts) => hostOf(hosts.graphUrl)));

/** Hosts besides Microsoft's own that a pasted link may be on: a custom cloud's (proxy / sandbox) hosts. */
export function customLinkHosts(conn: MicrosoftConnection): string[] {
	return KNOWN_GRAPH_HOSTS.has(hostOf(conn.graphUrl)) ? [] : [...conn.allowedHosts];
}

/** Turns a drive-relative path typed by a user into a Graph path under `basePath` (root for ''/'/'). */
export function itemPathUrl(basePath: string, path: string, field: string): string {
	const segments = path.split('/').filter(Boolean);
	if (segments.length === 0) return `${basePath}/root`;
	return `${basePath}/root:${drivePath(path, field)}`;
}

/**
 * The Graph URL that addresses a locator value, without sending anything. Throws NodeOperationError naming
 * the field for unusable input (bad ID, `..` in a path, foreign-host link).
 */
export function itemRequestUrl(
	ctx: NodeContext,
	conn: MicrosoftConnection,
	drive: DriveRef,
	locator: INodeParameterResourceLocator | string,
	options: ResolveItemOptions,
): string {
	const { itemIndex = 0, field } = options;
	const mode = typeof locator === 'string' ? 'id' : locator.mode;
	const raw = typeof locator === 'string' ? locator : locator.value;
	const value = typeof raw === 'string' ? raw.trim() : raw === undefined || raw === null ? '' : String(raw);
	const node = ctx.getNode();
	if (mode === 'path') {
		const segments = value.split('/').filter(Boolean);
		if (segments.some((s) => s === '..' || s === '.')) {
			throw new NodeOperationError(node, `"${field}" path "${value}" contains ".." or "."`, {
				itemIndex,
				description: 'Give the full path from the drive root, e.g. /Documents/report.xlsx',
			});
		}
		if (value.includes('\\')) {
			throw new NodeOperationError(node, `"${field}" path "${value}" contains "\\"`, {
				itemIndex,
				description: 'Separate folders with "/", e.g. /Documents/report.xlsx',
			});
		}
		return itemPathUrl(drive.basePath, value, field);
	}
	if (!value) {
		throw new NodeOperationError(node, `"${field}" is empty`, {
			itemIndex,
			description: 'Pick an item from the list, or enter its URL, path or ID',
		});
	}
	if (mode === 'url') {
		try {
			const parsed = parseSharingUrl(value, customLinkHosts(conn));
			return `/shares/${encodeShareId(parsed.url)}/driveItem`;
		} catch (error) {
			if (error instanceof SharingUrlError) {
				throw new NodeOperationError(node, `"${field}" URL: ${error.message}`, { itemIndex, description: error.hint });
			}
			throw error;
		}
	}
	if (!ID_PATTERN.test(value)) {
		throw new NodeOperationError(node, `"${field}" ID "${value}" is not a driveItem ID`, {
			itemIndex,
			description: 'IDs look like 01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K or D4648F06C91D9D3D!54927; use By Path or By URL otherwise',
		});
	}
	// `root` is the alias the folder picker offers for the drive root; /root is its canonical address.
	if (value === 'root') return `${drive.basePath}/root`;
	return `${drive.basePath}/items/${encodePathSegment(value, field)}`;
}

function describe(mode: string, value: string): string {
	if (mode === 'path') return `path "${value || '/'}"`;
	if (mode === 'url') return 'link';
	return `ID "${value}"`;
}

/**
 * Finds the driveItem a locator points at with one GET, and checks it is the right kind. URL values are
 * resolved by Graph (`/shares/u!.../driveItem`); the pasted link itself is never requested.
 */
export async function resolveItem(
	ctx: NodeContext,
	conn: MicrosoftConnection,
	drive: DriveRef,
	locator: INodeParameterResourceLocator | string,
	options: ResolveItemOptions,
): Promise<ResolvedItem> {
	const { itemIndex = 0, field, kind } = options;
	const url = itemRequestUrl(ctx, conn, drive, locator, options);
	const mode = typeof locator === 'string' ? 'id' : locator.mode;
	const value = String((typeof locator === 'string' ? locator : locator.value) ?? '').trim();
	let item: IDataObject;
	try {
		const response = await graphRequest(ctx, conn, { method: 'GET', url, itemIndex, ...(options.select ? { qs: { $select: options.select } } : {}) });
		item = response.body as IDataObject;
	} catch (error) {
		const status = httpStatusOf(error);
		if (status === 404) {
			throw new NodeOperationError(ctx.getNode(), `"${field}": no item found at ${describe(mode, value)}`, {
				itemIndex,
				description:
					mode === 'url'
						? 'Check the link still works and that this account can open it'
						: 'Check the value and the chosen Drive; paths start at the drive root, e.g. /Documents/report.xlsx',
			});
		}
		throw error;
	}
	const isFolder = item.folder !== undefined || item.root !== undefined || (item.remoteItem as IDataObject)?.folder !== undefined;
	if (kind === 'file' && isFolder) {
		throw new NodeOperationError(ctx.getNode(), `"${field}" is the folder "${String(item.name ?? '')}", not a file`, {
			itemIndex,
			description: 'Pick a file; in the list, type the folder path ending in "/" to see the files inside it',
		});
	}
	if (kind === 'folder' && !isFolder) {
		throw new NodeOperationError(ctx.getNode(), `"${field}" is the file "${String(item.name ?? '')}", not a folder`, {
			itemIndex,
			description: 'Pick a folder',
		});
	}
	const parent = (item.parentReference ?? {}) as IDataObject;
	const driveId = String(parent.driveId ?? drive.driveId ?? '');
	return { driveId, itemId: String(item.id ?? ''), item };
}
