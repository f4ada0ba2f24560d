/** Teams' Authentication choice (node and trigger): delegated or app-only. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../../shared/node/authentication';

const CHOICES: Authentication[] = ['oAuth2', 'clientCredentials'];

export const teamsAuthentication: INodeProperties = authenticationProperty({
	choices: CHOICES,
	descriptions: {
		oAuth2: 'Acts as the user who signed in (needs the Teams / Planner services on the credential); the only way to post messages',
		clientCredentials: 'Acts as the app itself: reads teams, channels, chats and messages, manages teams and members; Microsoft does not let apps post messages',
	},
});

export const teamsCredentials: INodeCredentialDescription[] = credentialsFor(CHOICES);
