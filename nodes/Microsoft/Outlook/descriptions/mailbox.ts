/** The "Mailbox" every Outlook operation acts on: the signed-in user's, or another / shared mailbox. */
import type { INodeProperties } from 'n8n-workflow';

import { targetProperties, type TargetSpec } from '../../shared/node/target';

export const MAILBOX_TARGET: TargetSpec = {
	name: 'mailbox',
	displayName: 'Mailbox',
	description: 'Whose mail, calendar and contacts: your own, or another user\'s or a shared mailbox (Full Access / Send As, or app-only)',
	choices: [
		{ kind: 'me', value: 'me', name: 'My Mailbox', description: "The signed-in user's mailbox (OAuth2 only)" },
		{ kind: 'user', value: 'user', name: 'Another or Shared Mailbox', description: 'A user or shared mailbox by address (UPN) or ID' },
	],
	fields: { user: { name: 'mailboxUser', description: 'The mailbox: pick a user, or enter an address such as support@contoso.com' } },
	appOnlyHint: 'App-only sign-in has no mailbox of its own: choose "Another or Shared Mailbox" and enter its address.',
};

export const mailboxProperties: INodeProperties[] = targetProperties(MAILBOX_TARGET);
