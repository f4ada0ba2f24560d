/** The Dynamics node's Authentication choice: a delegated or app-only credential whose Resource is the environment. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../../shared/node/authentication';

const CHOICES: Authentication[] = ['tenantOAuth2', 'clientCredentials'];

export const dynamicsAuthentication: INodeProperties = authenticationProperty({
	choices: CHOICES,
	descriptions: {
		tenantOAuth2: 'As the user who signed in; the credential\'s Resource is Dataverse and its Environment URL your environment',
		clientCredentials: 'As the app (an application user with a security role in the environment); the credential\'s Resource is Dataverse',
	},
	description: 'The credential names the Dynamics 365 environment',
});

export const dynamicsCredentials: INodeCredentialDescription[] = credentialsFor(CHOICES);
