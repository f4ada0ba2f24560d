/** Outlook's Authentication choice (node and trigger): delegated or app-only. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { authenticationProperty, credentialsFor, type Authentication } from '../../shared/node/authentication';

const CHOICES: Authentication[] = ['oAuth2', 'clientCredentials'];

export const outlookAuthentication: INodeProperties = authenticationProperty({
	choices: CHOICES,
	descriptions: {
		oAuth2: 'Acts as the user who signed in (needs the Mail / Calendar / Contacts services on the credential)',
		clientCredentials: 'Acts as the app itself on any mailbox it may access (Mail.* application permissions)',
	},
});

export const outlookCredentials: INodeCredentialDescription[] = credentialsFor(CHOICES);
