import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export type DriveLocation = 'myDrive' | 'userDrive' | 'groupDrive' | 'siteLibrary';

/** Parameter names of the drive choice; helpers/driveLocation.ts and methods/listSearch.ts read them. */
export const DRIVE_PARAMETERS = {
	location: 'driveLocation',
	user: 'driveUser',
	group: 'driveGroup',
	site: 'driveSite',
	library: 'driveLibrary',
} as const;

const SITE_URL_REGEX = '^https://[^/\\s]+(/.*)?$';
/** Entra object ID (GUID) or a UPN / e-mail-like name. */
const USER_ID_REGEX = '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[^\\s/@]+@[^\\s/@]+)$';
const GUID_REGEX = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** Site IDs are `host,siteCollectionGuid,webGuid` (or just a host for the root site). */
const SITE_ID_REGEX = '^[A-Za-z0-9.-]+(,[0-9a-fA-F-]{36}){0,2}$';
/** Drive IDs: `b!...` (business, base64url) or 16 hex digits (personal). */
const DRIVE_ID_REGEX = '^[A-Za-z0-9!_.-]+$';

function show(location: DriveLocation, extra?: IDisplayOptions['show']): IDisplayOptions {
	return { show: { ...(extra ?? {}), [DRIVE_PARAMETERS.location]: [location] } };
}

/**
 * The "Drive" choice and its locators. `displayShow` (e.g. `{ resource: ['file'] }`) is merged into every
 * property's displayOptions so operations can place the block where they need it.
 */
export function driveLocationProperties(displayShow?: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Drive',
			name: DRIVE_PARAMETERS.location,
			type: 'options',
			description: 'Where the files are: your own OneDrive, another user\'s OneDrive, a group\'s files, or a SharePoint site\'s document library',
			options: [
				{
					name: 'My OneDrive',
					value: 'myDrive',
					description: 'The signed-in user\'s OneDrive (OAuth2 only — app-only sign-in has no signed-in user)',
				},
				{ name: "A User's OneDrive", value: 'userDrive', description: 'OneDrive of a user picked by name, UPN or ID' },
				{ name: "A Group's Drive", value: 'groupDrive', description: 'Document library of a Microsoft 365 group' },
				{
					name: 'SharePoint Site Library',
					value: 'siteLibrary',
					description: 'A document library of a SharePoint site',
				},
			],
			default: 'myDrive',
			...(displayShow ? { displayOptions: { show: displayShow } } : {}),
		},
		{
			displayName: 'User',
			name: DRIVE_PARAMETERS.user,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: 'Whose OneDrive to use',
			displayOptions: show('userDrive', displayShow),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a user...',
					typeOptions: { searchListMethod: 'searchUsers', searchable: true },
				},
				{
					displayName: 'By ID or UPN',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. alice@contoso.com or 00000000-0000-0000-0000-000000000000',
					validation: [
						{
							type: 'regex',
							properties: { regex: USER_ID_REGEX, errorMessage: 'Enter a user principal name (alice@contoso.com) or an object ID (GUID)' },
						},
					],
				},
			],
		},
		{
			displayName: 'Group',
			name: DRIVE_PARAMETERS.group,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description: 'Microsoft 365 group whose document library to use',
			displayOptions: show('groupDrive', displayShow),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a group...',
					typeOptions: { searchListMethod: 'searchGroups', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
					validation: [
						{ type: 'regex', properties: { regex: GUID_REGEX, errorMessage: 'Enter the group object ID (a GUID)' } },
					],
				},
			],
		},
		{
			displayName: 'Site',
			name: DRIVE_PARAMETERS.site,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			// Not required: a library picked by ID needs no site. resolveDrive names the field when it is needed.
			description: 'SharePoint site that holds the document library',
			displayOptions: show('siteLibrary', displayShow),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Search sites...',
					typeOptions: { searchListMethod: 'searchSites', searchable: true },
				},
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					placeholder: 'e.g. https://contoso.sharepoint.com/sites/Team',
					validation: [
						{ type: 'regex', properties: { regex: SITE_URL_REGEX, errorMessage: 'Enter the site URL, e.g. https://contoso.sharepoint.com/sites/Team' } },
					],
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE',
					validation: [
						{ type: 'regex', properties: { regex: SITE_ID_REGEX, errorMessage: 'Enter a site ID: hostname,siteCollectionId,webId' } },
					],
				},
			],
		},
		{
			displayName: 'Library',
			name: DRIVE_PARAMETERS.library,
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description: "Document library (drive) of the site; leave empty for the site's default library",
			displayOptions: show('siteLibrary', displayShow),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a library...',
					typeOptions: { searchListMethod: 'searchLibraries', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. b!t18F8ybsHUq1z3LTz8xvZqP8zaSWjkFNhsME-Fepo75dTf9vQKfeRblBZjoSQrd7',
					validation: [
						{ type: 'regex', properties: { regex: DRIVE_ID_REGEX, errorMessage: 'Enter a drive ID such as b!t18F8yb...' } },
					],
				},
			],
		},
	];
}

/** The same block with no extra display conditions (shown for every resource and operation). */
export const driveLocationFields: INodeProperties[] = driveLocationProperties();
