/** OneDrive's Authentication choice (node and trigger): delegated or app-only. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../../shared/node/authentication';

const CHOICES: Authentication[] = ['oAuth2', 'clientCredentials'];

export const oneDriveAuthentication: INodeProperties = authenticationProperty({
	choices: CHOICES,
	descriptions: {
		oAuth2: 'Acts as the user who signed in; "My OneDrive" is available',
		clientCredentials: "Acts as the app itself; pick a user's, group's or site's drive",
	},
	description: 'OAuth2 acts as the signed-in user; Client Credentials acts as the app itself (unattended, needs admin-consented application permissions)',
});

export const oneDriveCredentials: INodeCredentialDescription[] = credentialsFor(CHOICES);
