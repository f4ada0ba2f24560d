/** The Request node's Authentication choice: every credential type, each with the API it signs in to. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../../shared/node/authentication';

const CHOICES: Authentication[] = ['oAuth2', 'clientCredentials', 'tenantOAuth2'];

export const requestAuthentication: INodeProperties = authenticationProperty({
	choices: CHOICES,
	descriptions: {
		oAuth2: 'Microsoft Graph as the user who signed in',
		clientCredentials: "The app itself, on the API of the credential's Resource (Graph, Dataverse, Finance & Operations, Business Central, custom)",
		tenantOAuth2: "The user who signed in, on the API of the credential's Resource (Dataverse, Finance & Operations, Business Central, custom)",
	},
	description: 'The credential decides the API: relative paths are joined to its base URL',
});

export const requestCredentials: INodeCredentialDescription[] = credentialsFor(CHOICES);
