import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/node/rlc';
import { DRIVE_DEPENDENCIES } from './drive';

export type ItemKind = 'file' | 'folder' | 'any';

/**
 * driveItem IDs: business `01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K`, personal `D4648F06C91D9D3D!54927` or the
 * newer `D4648F06C91D9D3D!s6a1b...`; `root` is accepted too. No `/`, `:` or spaces, so an ID can never
 * change the shape of the request path.
 */
export const ITEM_ID_REGEX = '^[A-Za-z0-9!_.-]{1,200}$';
export const ITEM_URL_REGEX = '^https?://[^/\\s]+(/.*)?$';

export interface ItemLocatorOptions {
	name: string;
	displayName: string;
	kind: ItemKind;
	required?: boolean;
	description?: string;
	displayOptions?: IDisplayOptions;
}

const KIND_WORD: Record<ItemKind, string> = { file: 'file', folder: 'folder', any: 'file or folder' };

/** A resource locator for a driveItem: From List, By URL, By Path, By ID; the list reloads when the drive changes. */
export function itemLocator(options: ItemLocatorOptions): INodeProperties {
	const word = KIND_WORD[options.kind];
	const examplePath = options.kind === 'folder' ? '/Documents/Reports' : '/Documents/report.xlsx';
	return resourceLocator({
		name: options.name,
		displayName: options.displayName,
		required: options.required,
		description:
			options.description ??
			`The ${word} to use. In the list, type a folder path ending in "/" (Reports/2026/) to open that folder, or words to search.`,
		displayOptions: options.displayOptions,
		list: { searchListMethod: options.kind === 'folder' ? 'searchFolders' : 'searchItems', placeholder: `Select a ${word}...` },
		url: {
			placeholder: 'e.g. https://contoso.sharepoint.com/:x:/s/Team/EaBc... or https://1drv.ms/x/s!Abc...',
			regex: ITEM_URL_REGEX,
			errorMessage: 'Enter a OneDrive or SharePoint link starting with https://',
		},
		path: { placeholder: `e.g. ${examplePath}`, hint: 'Path from the root of the chosen drive' },
		id: { placeholder: 'e.g. 01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K', regex: ITEM_ID_REGEX, errorMessage: 'Enter a driveItem ID (letters, digits and ! _ . - only)' },
		dependsOn: DRIVE_DEPENDENCIES,
	});
}
