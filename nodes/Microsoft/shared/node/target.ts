/**
 * Where an operation acts: the signed-in user (`/me`), a user by UPN or ID (the only choice app-only has), a
 * Microsoft 365 group or a SharePoint site. OneDrive's "Drive", Outlook's "Mailbox" and Teams' users are
 * this one choice with their own wording; the node appends its own path (`/drive`, `/messages`, ...).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../input';
import { authenticationOf } from './authentication';
import { locatorMode, locatorValue, readParameter, type NodeContext } from './parameters';
import { GUID_REGEX, resourceLocator, SITE_ID_REGEX, SITE_URL_REGEX, USER_ID_REGEX } from './rlc';

export type TargetKind = 'me' | 'user' | 'group' | 'site';

export interface TargetSpec {
	/** The options field, e.g. `driveLocation`. */
	name: string;
	displayName: string;
	description: string;
	/** The choices this node offers: option value and wording per kind (the first is the default). */
	choices: Array<{ kind: TargetKind; value: string; name: string; description: string }>;
	/** Locator field per kind that needs one (parameter name and what it is for). */
	fields: Partial<Record<Exclude<TargetKind, 'me'>, { name: string; description: string }>>;
	/** What to say when "me" is chosen with app-only sign-in. */
	appOnlyHint: string;
}

export interface ResolvedTarget {
	kind: TargetKind;
	/** Graph path of the principal, without version: `/me`, `/users/{u}`, `/groups/{g}`, `/sites/{s}`. */
	path: string;
	/** The option value the user chose (the node may have kinds beyond these, e.g. a library by ID). */
	value: string;
}

function show(spec: TargetSpec, kind: TargetKind, extra?: IDisplayOptions['show']): IDisplayOptions {
	const values = spec.choices.filter((choice) => choice.kind === kind).map((choice) => choice.value);
	return { show: { ...(extra ?? {}), [spec.name]: values } };
}

/** The choice and its user / group / site locators. `displayShow` is merged into every property's conditions. */
export function targetProperties(spec: TargetSpec, displayShow?: IDisplayOptions['show']): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: spec.displayName,
			name: spec.name,
			type: 'options',
			description: spec.description,
			options: spec.choices.map(({ value, name, description }) => ({ name, value, description })),
			default: spec.choices[0].value,
			...(displayShow ? { displayOptions: { show: displayShow } } : {}),
		},
	];
	const { user, group, site } = spec.fields;
	if (user) {
		properties.push(
			resourceLocator({
				name: user.name,
				displayName: 'User',
				description: user.description,
				displayOptions: show(spec, 'user', displayShow),
				list: { searchListMethod: 'searchUsers', placeholder: 'Select a user...' },
				id: {
					displayName: 'By ID or UPN',
					placeholder: 'e.g. alice@contoso.com or 00000000-0000-0000-0000-000000000000',
					regex: USER_ID_REGEX,
					errorMessage: 'Enter a user principal name (alice@contoso.com) or an object ID (GUID)',
				},
			}),
		);
	}
	if (group) {
		properties.push(
			resourceLocator({
				name: group.name,
				displayName: 'Group',
				description: group.description,
				displayOptions: show(spec, 'group', displayShow),
				list: { searchListMethod: 'searchGroups', placeholder: 'Select a group...' },
				id: { placeholder: 'e.g. 00000000-0000-0000-0000-000000000000', regex: GUID_REGEX, errorMessage: 'Enter the group object ID (a GUID)' },
			}),
		);
	}
	if (site) {
		properties.push(
			resourceLocator({
				name: site.name,
				displayName: 'Site',
				description: site.description,
				// Not required: a node may offer a sub-choice (a library by ID) that needs no site; resolveTarget names it when needed.
				required: false,
				displayOptions: show(spec, 'site', displayShow),
				list: { searchListMethod: 'searchSites', placeholder: 'Search sites...' },
				url: { placeholder: 'e.g. https://contoso.sharepoint.com/sites/Team', regex: SITE_URL_REGEX, errorMessage: 'Enter the site URL, e.g. https://contoso.sharepoint.com/sites/Team' },
				id: {
					placeholder: 'e.g. contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE',
					regex: SITE_ID_REGEX,
					errorMessage: 'Enter a site ID: hostname,siteCollectionId,webId',
				},
			}),
		);
	}
	return properties;
}

function missing(ctx: NodeContext, field: string, what: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `"${field}" is empty: ${what}`, { itemIndex });
}

/**
 * Graph path of a SharePoint site from a Site locator: `/sites/{id}` or, for a pasted URL,
 * `/sites/{hostname}:/{server-relative path}:` (the trailing colon lets a segment such as `/drive` follow).
 */
export function sitePath(ctx: NodeContext, fieldName: string, itemIndex = 0): string {
	const value = locatorValue(ctx, fieldName, itemIndex);
	if (!value) throw missing(ctx, 'Site', 'pick a SharePoint site from the list, paste its URL or enter its ID', itemIndex);
	if (locatorMode(ctx, fieldName, itemIndex) !== 'url') return `/sites/${encodePathSegment(value, 'Site')}`;
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
	if (url.protocol !== 'https:') throw new NodeOperationError(ctx.getNode(), '"Site" URL must start with https://', { itemIndex });
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
	const host = encodePathSegment(url.hostname.toLowerCase(), 'Site');
	if (siteRoot.length === 0) return `/sites/${host}`;
	return `/sites/${host}:/${siteRoot.map((segment) => encodePathSegment(segment, 'Site')).join('/')}:`;
}

/** Where the chosen target lives in Graph. No request is sent; bad values are refused naming the field. */
export function resolveTarget(ctx: NodeContext, spec: TargetSpec, itemIndex = 0): ResolvedTarget {
	const value = String(readParameter(ctx, spec.name, itemIndex, spec.choices[0].value) || spec.choices[0].value);
	const choice = spec.choices.find((candidate) => candidate.value === value);
	if (!choice) {
		throw new NodeOperationError(ctx.getNode(), `"${spec.displayName}" has an unknown value "${value}"`, {
			itemIndex,
			description: `Choose one of: ${spec.choices.map((c) => c.name).join(', ')}`,
		});
	}
	switch (choice.kind) {
		case 'me':
			if (authenticationOf(ctx, itemIndex) === 'clientCredentials') {
				throw new NodeOperationError(ctx.getNode(), `"${spec.displayName}" is "${choice.name}", which needs a signed-in user`, {
					itemIndex,
					description: spec.appOnlyHint,
				});
			}
			return { kind: 'me', path: '/me', value };
		case 'user': {
			const user = locatorValue(ctx, spec.fields.user!.name, itemIndex);
			if (!user) throw missing(ctx, 'User', 'pick a user or enter a UPN (alice@contoso.com) or object ID', itemIndex);
			return { kind: 'user', path: `/users/${encodePathSegment(user, 'User')}`, value };
		}
		case 'group': {
			const group = locatorValue(ctx, spec.fields.group!.name, itemIndex);
			if (!group) throw missing(ctx, 'Group', 'pick a group or enter its object ID', itemIndex);
			return { kind: 'group', path: `/groups/${encodePathSegment(group, 'Group')}`, value };
		}
		case 'site':
			return { kind: 'site', path: sitePath(ctx, spec.fields.site!.name, itemIndex), value };
	}
}
