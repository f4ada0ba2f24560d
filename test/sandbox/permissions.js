// @ts-check
'use strict';

/**
 * Resources (APIs) the sandbox's Entra issues tokens for, with the delegated scopes and application roles
 * each one knows. `adminOnly` delegated scopes need an admin's consent for the tenant (as in Entra);
 * the others are consented by the signing-in user.
 */

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** Graph delegated scopes: name → needs admin consent. */
const GRAPH_DELEGATED = {
	'User.Read': false,
	'User.ReadWrite': false,
	'User.ReadBasic.All': false,
	'User.Read.All': true,
	'Directory.Read.All': true,
	'Organization.Read.All': true,
	'Files.Read': false,
	'Files.ReadWrite': false,
	'Files.Read.All': false,
	'Files.ReadWrite.All': false,
	'Sites.Read.All': false,
	'Sites.ReadWrite.All': false,
	'Sites.FullControl.All': true,
	'Mail.Read': false,
	'Mail.ReadWrite': false,
	'Mail.Send': false,
	'MailboxSettings.ReadWrite': false,
	'Calendars.Read': false,
	'Calendars.ReadWrite': false,
	'Contacts.Read': false,
	'Contacts.ReadWrite': false,
	'Mail.Read.Shared': false,
	'Mail.ReadWrite.Shared': false,
	'Mail.Send.Shared': false,
	'Calendars.Read.Shared': false,
	'Calendars.ReadWrite.Shared': false,
	'Contacts.Read.Shared': false,
	'Contacts.ReadWrite.Shared': false,
	'Tasks.ReadWrite': false,
	'Team.ReadBasic.All': false,
	'Channel.ReadBasic.All': false,
	'ChannelMessage.Send': false,
	'ChannelMessage.Read.All': true,
	'Chat.ReadWrite': false,
	'ChatMessage.Send': false,
	'Group.Read.All': true,
	'Group.ReadWrite.All': true,
	'GroupMember.Read.All': true,
	// Microsoft Teams, Planner and online meetings (graph/teams.js)
	'Team.Create': false,
	'TeamSettings.Read.All': true,
	'TeamSettings.ReadWrite.All': true,
	'Channel.Create': true,
	'ChannelSettings.Read.All': true,
	'ChannelSettings.ReadWrite.All': true,
	'Channel.Delete.All': true,
	'ChannelMessage.ReadWrite': true,
	'TeamMember.Read.All': true,
	'TeamMember.ReadWrite.All': true,
	'ChannelMember.Read.All': true,
	'ChannelMember.ReadWrite.All': true,
	'Chat.ReadBasic': false,
	'Chat.Read': false,
	'Chat.Create': false,
	'ChatMember.Read': false,
	'ChatMember.ReadWrite': false,
	'Tasks.Read': false,
	'OnlineMeetings.Read': false,
	'OnlineMeetings.ReadWrite': false,
};

/** Graph application roles (all need admin consent, by definition). */
const GRAPH_ROLES = [
	'User.Read.All',
	'Directory.Read.All',
	'Organization.Read.All',
	'Application.Read.All',
	'Files.Read.All',
	'Files.ReadWrite.All',
	'Sites.Read.All',
	'Sites.ReadWrite.All',
	'Mail.ReadWrite',
	'Mail.Send',
	'Calendars.ReadWrite',
	'Contacts.ReadWrite',
	'Mail.Read',
	'Calendars.Read',
	'Contacts.Read',
	'Group.Read.All',
	'GroupMember.Read.All',
	'ChannelMessage.Read.All',
	'Teamwork.Migrate.All',
	// Microsoft Teams, Planner and online meetings (graph/teams.js)
	'Group.ReadWrite.All',
	'Team.ReadBasic.All',
	'Team.Create',
	'TeamSettings.Read.All',
	'TeamSettings.ReadWrite.All',
	'Channel.ReadBasic.All',
	'Channel.Create',
	'ChannelSettings.Read.All',
	'ChannelSettings.ReadWrite.All',
	'Channel.Delete.All',
	'ChannelMessage.ReadWrite.All',
	'ChannelMessage.UpdatePolicyViolation.All',
	'TeamMember.Read.All',
	'TeamMember.ReadWrite.All',
	'ChannelMember.Read.All',
	'ChannelMember.ReadWrite.All',
	'Chat.ReadBasic.All',
	'Chat.Read.All',
	'Chat.ReadWrite.All',
	'Chat.Create',
	'ChatMember.Read.All',
	'ChatMember.ReadWrite.All',
	'Tasks.Read.All',
	'Tasks.ReadWrite.All',
	'OnlineMeetings.Read.All',
	'OnlineMeetings.ReadWrite.All',
];

/** OpenID Connect scopes: never tied to a resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * `defaultDelegated`: what a delegated `{resource}/.default` grants when the user has consented to nothing of that
 * resource yet: the delegated permission an app registration lists for it (Graph: User.Read, which new
 * registrations carry; Dynamics CRM: user_impersonation, its only delegated permission).
 * @typedef {{ key: string, appId: string, audience: string, identifiers: string[],
 *   delegated: Record<string, boolean>, roles: string[], defaultDelegated?: string[] }} Resource
 */

/**
 * @param {{ graphUrl: string, dataverseUrl?: string }} urls
 * @returns {Resource[]}
 */
function defaultResources(urls) {
	/** @type {Resource[]} */
	const resources = [
		{
			key: 'graph',
			appId: GRAPH_APP_ID,
			audience: GRAPH_AUDIENCE,
			// The sandbox's own Graph URL is what a `custom` cloud credential names as its Graph resource.
			identifiers: [GRAPH_AUDIENCE, GRAPH_APP_ID, urls.graphUrl],
			delegated: GRAPH_DELEGATED,
			roles: GRAPH_ROLES,
		},
	];
	if (urls.dataverseUrl) {
		resources.push({
			key: 'dataverse',
			appId: '00000007-0000-0000-c000-000000000000',
			audience: urls.dataverseUrl,
			identifiers: [urls.dataverseUrl],
			delegated: { user_impersonation: false },
			roles: [],
			defaultDelegated: ['user_impersonation'],
		});
	}
	return resources;
}

module.exports = { defaultResources, OIDC_SCOPES, GRAPH_AUDIENCE, GRAPH_APP_ID };
