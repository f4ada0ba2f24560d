/** The "Drive" choice: the shared target (me / user / group / site) plus a site's document library. */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { resourceLocator } from '../../shared/node/rlc';
import { targetProperties, type TargetSpec } from '../../shared/node/target';

export const DRIVE_TARGET: TargetSpec = {
	name: 'driveLocation',
	displayName: 'Drive',
	description: "Where the files are: your own OneDrive, another user's OneDrive, a group's files, or a SharePoint site's document library",
	choices: [
		{ kind: 'me', value: 'myDrive', name: 'My OneDrive', description: "The signed-in user's OneDrive (OAuth2 only — app-only sign-in has no signed-in user)" },
		{ kind: 'user', value: 'userDrive', name: "A User's OneDrive", description: 'OneDrive of a user picked by name, UPN or ID' },
		{ kind: 'group', value: 'groupDrive', name: "A Group's Drive", description: 'Document library of a Microsoft 365 group' },
		{ kind: 'site', value: 'siteLibrary', name: 'SharePoint Site Library', description: 'A document library of a SharePoint site' },
	],
	fields: {
		user: { name: 'driveUser', description: 'Whose OneDrive to use' },
		group: { name: 'driveGroup', description: 'Microsoft 365 group whose document library to use' },
		site: { name: 'driveSite', description: 'SharePoint site that holds the document library' },
	},
	appOnlyHint: "Choose a user's OneDrive (or a group's or site's drive) — app-only sign-in has no signed-in user.",
};

export const LIBRARY_PARAMETER = 'driveLibrary';

/** Parameters the item pickers depend on: a change to any of them reloads the list. */
export const DRIVE_DEPENDENCIES = ['driveLocation', 'driveUser.value', 'driveGroup.value', 'driveSite.value', `${LIBRARY_PARAMETER}.value`];

/** Drive IDs: `b!...` (business, base64url) or 16 hex digits (personal). */
const DRIVE_ID_REGEX = '^[A-Za-z0-9!_.-]+$';

/** The Drive choice, its user / group / site locators and the Library. `displayShow` is merged into every condition. */
export function driveProperties(displayShow?: IDisplayOptions['show']): INodeProperties[] {
	return [
		...targetProperties(DRIVE_TARGET, displayShow),
		resourceLocator({
			name: LIBRARY_PARAMETER,
			displayName: 'Library',
			description: "Document library (drive) of the site; leave empty for the site's default library",
			required: false,
			displayOptions: { show: { ...(displayShow ?? {}), driveLocation: ['siteLibrary'] } },
			list: { searchListMethod: 'searchLibraries', placeholder: 'Select a library...' },
			id: { placeholder: 'e.g. b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7', regex: DRIVE_ID_REGEX, errorMessage: 'Enter a drive ID such as b!t18F8yb...' },
			dependsOn: ['driveSite.value'],
		}),
	];
}
