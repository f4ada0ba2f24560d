// @ts-check
'use strict';

/**
 * The sandbox's default directory: two tenants, four app registrations, three users.
 * Ids are fixed so tests, `npm run sandbox` and `npm run dev` can share them. The app certificate of
 * `singleTenant` is generated once into test/sandbox/.state/ (see ca.js) and registered at start.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

const CONTOSO_ID = '6f1a9c2e-3b4d-4e5f-8a7b-1c2d3e4f5a6b';
const FABRIKAM_ID = '9b8c7d6e-5f4a-4b3c-9d2e-1f0a9b8c7d6e';

/** Redirect URIs registered on every seeded app. Entra ignores the port of http://localhost and
 * http://127.0.0.1 redirect URIs, so n8n on any local port matches the first two. */
const DEFAULT_REDIRECT_URIS = [
	'http://localhost/rest/oauth2-credential/callback',
	'http://127.0.0.1/rest/oauth2-credential/callback',
	'https://app.example.test/callback',
];

const SEED = {
	tenants: {
		contoso: {
			id: CONTOSO_ID,
			displayName: 'Contoso',
			domains: ['contoso.onmicrosoft.com', 'contoso.example'],
		},
		fabrikam: {
			id: FABRIKAM_ID,
			displayName: 'Fabrikam',
			domains: ['fabrikam.onmicrosoft.com'],
		},
	},
	apps: {
		/** Multi-tenant web app with a valid secret and admin consent in Contoso. */
		multiTenant: {
			clientId: '1d7c4a2b-8e9f-4a0b-9c1d-2e3f4a5b6c7d',
			displayName: 'n8n Microsoft 365 (multi-tenant)',
			homeTenant: CONTOSO_ID,
			multiTenant: true,
			secretId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
			secret: 'mT8Q~sandbox.multi-tenant.secret.value_0001',
			adminConsentTenants: [CONTOSO_ID],
		},
		/** Single-tenant (Contoso only) app with a registered certificate and a secret, admin consent granted. */
		singleTenant: {
			clientId: '2e8d5b3c-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
			displayName: 'n8n Microsoft 365 (Contoso only)',
			homeTenant: CONTOSO_ID,
			multiTenant: false,
			secretId: 'b1c2d3e4-f5a6-4b7c-9d8e-0f1a2b3c4d5e',
			secret: 'sT8Q~sandbox.single-tenant.secret.value_0002',
			adminConsentTenants: [CONTOSO_ID],
		},
		/** Single-tenant app whose only secret has expired (AADSTS7000222). */
		expiredSecret: {
			clientId: '3f9e6c4d-0a1b-4c2d-9e3f-4a5b6c7d8e9f',
			displayName: 'n8n Microsoft 365 (expired secret)',
			homeTenant: CONTOSO_ID,
			multiTenant: false,
			secretId: 'c2d3e4f5-a6b7-4c8d-8e9f-1a2b3c4d5e6f',
			secret: 'eT8Q~sandbox.expired.secret.value_0003',
			adminConsentTenants: [CONTOSO_ID],
		},
		/** Single-tenant app with a valid secret but no admin consent: app-only tokens carry no roles,
		 * admin-only delegated scopes are refused with AADSTS65001. */
		noConsent: {
			clientId: '4a0f7d5e-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
			displayName: 'n8n Microsoft 365 (no admin consent)',
			homeTenant: CONTOSO_ID,
			multiTenant: false,
			secretId: 'd3e4f5a6-b7c8-4d9e-9f0a-2b3c4d5e6f7a',
			secret: 'nT8Q~sandbox.no-consent.secret.value_0004',
			adminConsentTenants: [],
		},
	},
	users: {
		alice: {
			id: 'a11ce000-0000-4000-8000-00000000a11c',
			tenant: CONTOSO_ID,
			userPrincipalName: 'alice@contoso.onmicrosoft.com',
			displayName: 'Alice Adams',
			givenName: 'Alice',
			surname: 'Adams',
			jobTitle: 'Operations Lead',
			mail: 'alice@contoso.onmicrosoft.com',
			officeLocation: '18/2111',
		},
		bob: {
			id: 'b0b00000-0000-4000-8000-000000000b0b',
			tenant: CONTOSO_ID,
			userPrincipalName: 'bob@contoso.onmicrosoft.com',
			displayName: "Bob O'Brien",
			givenName: 'Bob',
			surname: "O'Brien",
			jobTitle: 'Accountant',
			mail: 'bob@contoso.onmicrosoft.com',
			officeLocation: '20/1101',
		},
		carol: {
			id: 'ca201000-0000-4000-8000-0000000ca201',
			tenant: FABRIKAM_ID,
			userPrincipalName: 'carol@fabrikam.onmicrosoft.com',
			displayName: 'Carol Chen',
			givenName: 'Carol',
			surname: 'Chen',
			jobTitle: 'Buyer',
			mail: 'carol@fabrikam.onmicrosoft.com',
			officeLocation: null,
		},
	},
	/** Exchange mailboxes without a sign-in (shared mailboxes), served by the Outlook routes (graph/outlook.js). */
	mailboxes: {
		support: {
			id: '5b990000-0000-4000-8000-0000005b9900',
			tenant: CONTOSO_ID,
			address: 'support@contoso.onmicrosoft.com',
			displayName: 'Contoso Support',
		},
	},
	/** Exchange mailbox permissions (by address): who may open a mailbox (fullAccess) and send as it (sendAs). */
	mailboxPermissions: [
		{ mailbox: 'bob@contoso.onmicrosoft.com', user: 'alice@contoso.onmicrosoft.com', fullAccess: true, sendAs: false },
		{ mailbox: 'support@contoso.onmicrosoft.com', user: 'alice@contoso.onmicrosoft.com', fullAccess: true, sendAs: true },
	],
	/**
	 * Microsoft Teams (graph/teams.js): teams (each a Microsoft 365 group; the team id is the group id), their channels,
	 * chats and the Planner plan of Contoso Sales. Ids are fixed; see test/sandbox/README.md "Teams".
	 */
	teams: {
		/** Alice (owner) and Bob (member). General and Deals are standard; Leadership is private (Alice only). */
		sales: {
			id: '5a1e5000-0000-4000-8000-000000005a1e',
			tenant: CONTOSO_ID,
			displayName: 'Contoso Sales',
			channels: {
				general: { id: '19:5a1e000000000000000000000000a001@thread.tacv2', displayName: 'General' },
				deals: { id: '19:5a1e000000000000000000000000a002@thread.tacv2', displayName: 'Deals' },
				leadership: { id: '19:5a1e000000000000000000000000a003@thread.tacv2', displayName: 'Leadership' },
			},
		},
		/** Bob (owner) only: Alice is not a member. */
		engineering: {
			id: 'e0e00000-0000-4000-8000-00000000e0e0',
			tenant: CONTOSO_ID,
			displayName: 'Contoso Engineering',
			channels: { general: { id: '19:e0e0000000000000000000000000a001@thread.tacv2', displayName: 'General' } },
		},
		/** Carol (owner), in the Fabrikam tenant. */
		fabrikam: {
			id: 'fab00000-0000-4000-8000-00000000fab0',
			tenant: FABRIKAM_ID,
			displayName: 'Fabrikam Buyers',
			channels: { general: { id: '19:fab0000000000000000000000000a001@thread.tacv2', displayName: 'General' } },
		},
	},
	/** Teams chats: a one-on-one chat of Alice and Bob and the group chat "Project Falcon" (Alice, Bob). */
	chats: {
		aliceBob: { id: '19:a11ce000-0000-4000-8000-00000000a11c_b0b00000-0000-4000-8000-000000000b0b@unq.gbl.spaces', chatType: 'oneOnOne' },
		falcon: { id: '19:fa1c0000000000000000000000000001@thread.v2', chatType: 'group', topic: 'Project Falcon' },
	},
	/** The Planner plan of Contoso Sales (container: its group), with three buckets and two tasks. */
	planner: {
		salesPlan: {
			id: 'S4lesPipeline0000000000Plan1',
			title: 'Sales pipeline',
			buckets: { todo: 'S4lesBucketToDo00000000Buck1', inProgress: 'S4lesBucketDoing0000000Buck2', done: 'S4lesBucketDone00000000Buck3' },
			tasks: { callNorthwind: 'S4lesTaskCallNorthwind0Task1', forecast: 'S4lesTaskQ2Forecast0000Task2' },
		},
	},
};

/** Secrets of the seeded apps with their expiry (the expired one ended yesterday). */
function seedSecretsFor(/** @type {keyof typeof SEED.apps} */ name) {
	const app = SEED.apps[name];
	const expires = name === 'expiredSecret' ? new Date(Date.now() - DAY_MS) : new Date(Date.now() + 365 * DAY_MS);
	return [{ id: app.secretId, value: app.secret, expires }];
}

module.exports = { SEED, DEFAULT_REDIRECT_URIS, seedSecretsFor, CONTOSO_ID, FABRIKAM_ID };
