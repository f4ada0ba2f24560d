/**
 * One builder for resource locators (n8n's "From List / By URL / By Path / By ID" fields), so every node's
 * pickers look and validate alike. `dependsOn` makes the list reload when a parent field changes
 * (library ← site, channel ← team).
 */
import type { IDisplayOptions, INodeProperties, INodePropertyMode } from 'n8n-workflow';

export interface LocatorModeSpec {
	placeholder: string;
	/** Regex the value must match (checked by the editor), with the message shown otherwise. */
	regex?: string;
	errorMessage?: string;
	hint?: string;
	/** Display name of the mode (default "By URL" / "By Path" / "By ID"). */
	displayName?: string;
}

export interface LocatorSpec {
	name: string;
	displayName: string;
	description: string;
	required?: boolean;
	displayOptions?: IDisplayOptions;
	/** The "From List" mode: the node's `methods.listSearch` function name. */
	list?: { searchListMethod: string; placeholder: string; searchable?: boolean };
	url?: LocatorModeSpec;
	path?: LocatorModeSpec;
	id?: LocatorModeSpec;
	/** Parameters whose change reloads the list. */
	dependsOn?: string[];
}

function textMode(name: 'url' | 'path' | 'id', fallbackName: string, spec: LocatorModeSpec): INodePropertyMode {
	return {
		displayName: spec.displayName ?? fallbackName,
		name,
		type: 'string',
		placeholder: spec.placeholder,
		...(spec.hint ? { hint: spec.hint } : {}),
		...(spec.regex
			? { validation: [{ type: 'regex' as const, properties: { regex: spec.regex, errorMessage: spec.errorMessage ?? `Enter a valid ${fallbackName.slice(3)}` } }] }
			: {}),
	};
}

export function resourceLocator(spec: LocatorSpec): INodeProperties {
	const modes: INodePropertyMode[] = [];
	if (spec.list) {
		modes.push({
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: spec.list.placeholder,
			typeOptions: { searchListMethod: spec.list.searchListMethod, searchable: spec.list.searchable ?? true },
		});
	}
	if (spec.url) modes.push(textMode('url', 'By URL', spec.url));
	if (spec.path) modes.push(textMode('path', 'By Path', spec.path));
	if (spec.id) modes.push(textMode('id', 'By ID', spec.id));
	return {
		displayName: spec.displayName,
		name: spec.name,
		type: 'resourceLocator',
		default: { mode: modes[0]?.name ?? 'id', value: '' },
		required: spec.required ?? true,
		description: spec.description,
		...(spec.displayOptions ? { displayOptions: spec.displayOptions } : {}),
		...(spec.dependsOn?.length ? { typeOptions: { loadOptionsDependsOn: spec.dependsOn } } : {}),
		modes,
	};
}

/** Entra object IDs. */
export const GUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** Entra object ID (GUID) or a UPN / e-mail-like name. */
export const USER_ID_REGEX = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[^\\s/@]+@[^\\s/@]+)$';
/** SharePoint site IDs: `host,siteCollectionGuid,webGuid` (or just a host for the root site). */
export const SITE_ID_REGEX = '^[A-Za-z0-9.-]+(,[0-9a-fA-F-]{36}){0,2}$';
export const SITE_URL_REGEX = '^https://[^/\\s]+(/.*)?$';
